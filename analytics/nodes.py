"""The value of every criteria node for the units of one scope (a level under one parent).

A page asks about one unit among its peers: a few hundred scored rows. Written as one SQL query
(a recursive tree, joins, hash aggregates) that cost 10-20 ms on this machine whatever the data
size, DuckDB's planner and hash tables being most of it, while reading the rows with plain
queries and adding them up here takes a few. The "lowest scored rows" rule is the one of
rankings.TOTALS_BY_YEAR_CTES, which still totals whole levels at national size;
tests/test_nodes.py checks that both agree with each other and with the benchmark's pandas
baseline.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from analytics.criteria import SetTree, set_tree
from analytics.errors import NotFoundError
from analytics.scope import Unit

SCOPE_ROWS_SQL = """
SELECT unit_code, criterion_code, points, is_demo FROM scores
WHERE year = $year
  AND unit_code IN (SELECT code FROM units WHERE level = $level AND ($parent IS NULL OR parent_code = $parent)
                    AND valid_in_year(valid_from, valid_to, $year))
"""

VALUE_COLUMNS = ["unit_code", "criterion_code", "value", "is_demo"]


@dataclass(frozen=True)
class ScopeNodes:
    criteria: SetTree  # the set in force for the level and year
    lowest: list[tuple]  # (unit_code, criterion_code, points, is_demo): the rows each total is made of
    values: dict[tuple[str, str], tuple[float, bool]]  # (unit, node) -> (value, is_demo), nodes with data

    def values_frame(self) -> pd.DataFrame:
        """VALUE_COLUMNS, one row per unit and node with data."""
        rows = [(unit, node, value, demo) for (unit, node), (value, demo) in self.values.items()]
        return pd.DataFrame(rows, columns=VALUE_COLUMNS)

    def best_of_others(self, unit_code: str) -> dict[str, float]:
        """node -> the highest value any other unit of the scope has on it."""
        best: dict[str, float] = {}
        for (unit, node), (value, _) in self.values.items():
            if unit != unit_code and value > best.get(node, float("-inf")):
                best[node] = value
        return best

    def totals(self) -> pd.DataFrame:
        """unit_code, total, is_demo: the root's value, for every unit with data."""
        root = self.criteria.root
        rows = [(unit, value, demo) for (unit, node), (value, demo) in self.values.items() if node == root]
        return pd.DataFrame(rows, columns=["unit_code", "total", "is_demo"])


def scope_nodes(con: duckdb.DuckDBPyConnection, year: int, level: str, parent: str | None = None) -> ScopeNodes:
    """Node values of every unit of the level (under `parent`, or any) that year."""
    found, rows = _tree_and_rows(con, year, level, parent)
    lowest = lowest_rows(rows, found.parent_of)
    return ScopeNodes(found, lowest, node_sums(lowest, found.parent_of))


def _tree_and_rows(con, year: int, level: str, parent: str | None) -> tuple[SetTree, list[tuple]]:
    """The criteria set in force and the scope's scored rows, read at the same time.

    Both are small queries whose cost is mostly DuckDB's fixed cost per query, together about a
    third of a unit-sized call. The tree is read through a second cursor (its own connection,
    committed data: criteria are reference data that no import writes); the scores through
    `con`, so a caller inside an import's transaction sees its own rows. One short-lived thread
    per call: nothing is shared between calls or sessions.
    """
    cursor = con.cursor()
    found: dict[str, Any] = {}
    reader = threading.Thread(target=_read_tree, args=(cursor, level, year, found), name="cchc-criteria")
    reader.start()
    try:
        rows = con.execute(SCOPE_ROWS_SQL, {"year": year, "level": level, "parent": parent}).fetchall()
    finally:
        reader.join()  # the cursor is closed only once nothing runs on it
        cursor.close()
    if "error" in found:
        raise found["error"]
    return found["tree"], rows


def _read_tree(cursor, level: str, year: int, found: dict) -> None:
    try:
        found["tree"] = set_tree(cursor, level, year)
    except Exception as exc:  # re-raised in the caller's thread
        found["error"] = exc


def node_values(con: duckdb.DuckDBPyConnection, year: int, level: str, parent: str | None = None) -> pd.DataFrame:
    """VALUE_COLUMNS for every unit of the scope and every node it has data for."""
    return scope_nodes(con, year, level, parent).values_frame()


def unit_nodes(con: duckdb.DuckDBPyConnection, year: int, unit: Unit) -> ScopeNodes:
    """scope_nodes of the unit's level and parent; NotFoundError when the unit has no points that
    year (the same words as scope.own_and_peer_totals)."""
    no_data = NotFoundError(f"{unit.name} chưa có dữ liệu năm {year}.")
    try:
        nodes = scope_nodes(con, year, unit.level, unit.parent_code)
    except NotFoundError:  # no criteria set for that year: nothing can have been scored
        raise no_data from None
    if not any(row[0] == unit.code for row in nodes.lowest):
        raise no_data
    return nodes


def lowest_rows(rows: list[tuple], parent_of: dict[str, str | None]) -> list[tuple]:
    """The rows (unit, criterion, points, is_demo) that count: on a node of the set, with no scored
    row of the same unit below them (so a field total given beside its criteria is not added twice)."""
    in_set = [row for row in rows if row[1] in parent_of]
    covered = set()  # (unit, node): the unit has a scored row somewhere below the node
    for unit, code, *_ in in_set:
        node = parent_of[code]
        while node is not None and (unit, node) not in covered:  # its ancestors are covered already
            covered.add((unit, node))
            node = parent_of[node]
    return [row for row in in_set if (row[0], row[1]) not in covered]


def node_sums(lowest: list[tuple], parent_of: dict[str, str | None]) -> dict[tuple[str, str], tuple[float, bool]]:
    """(unit, node) -> (value, is_demo) for every node at or above a counted row: the sum of the
    counted rows below it, rounded to 6 decimals like the totals query (dropping binary noise)."""
    sums: dict[tuple[str, str], float] = {}
    demo: set[tuple[str, str]] = set()
    for unit, code, value, is_demo in lowest:
        node = code
        while node is not None:
            key = (unit, node)
            sums[key] = sums.get(key, 0.0) + value
            if is_demo:
                demo.add(key)
            node = parent_of[node]
    return {key: (round(total, 6), key in demo) for key, total in sums.items()}
