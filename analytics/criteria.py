"""The criteria tree in force for a level and year, with the office that owns each node."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import duckdb
import pandas as pd

from analytics.errors import CchcError, NotFoundError
from analytics.rankings import criteria_set_for
from analytics.scope import LEVEL_WORDS

# The nodes of one set, each with its own office (NULL when it inherits one).
CRITERIA_ROWS_SQL = """
SELECT c.code, c.parent_code, c.name, c.max_points, c.office_code, o.name AS office_name, c.sort_order
FROM criteria c LEFT JOIN offices o ON o.code = c.office_code
WHERE c.set_code = ?
"""
# The set in force for a level and year (the store's macro set_in_force, schema.py) with its flag.
SET_COLUMNS = "{'code': code, 'is_demo': is_demo, 'name': name, 'year_from': year_from, 'year_to': year_to}"
SET_IN_FORCE_SQL = f"SELECT {SET_COLUMNS} FROM criteria_sets WHERE code = set_in_force(?, ?)"

TREE_COLUMNS = [
    "criterion_code",
    "parent_code",
    "criterion_name",
    "depth",
    "field_code",
    "max_points",
    "office_code",
    "office_name",
    "sort_order",
]


class TreeNode(NamedTuple):
    criterion_code: str
    parent_code: str | None
    criterion_name: str
    depth: int
    field_code: str | None
    max_points: float
    office_code: str | None  # its own office, else its nearest ancestor's
    office_name: str | None
    sort_order: int


@dataclass(frozen=True)
class SetTree:
    code: str
    is_demo: bool
    nodes: list[TreeNode]  # ordered by sort_order, then code
    name: str = ""
    year_from: int | None = None
    year_to: int | None = None

    @cached_property
    def parent_of(self) -> dict[str, str | None]:
        return {node.criterion_code: node.parent_code for node in self.nodes}

    @cached_property
    def root(self) -> str | None:
        return next((node.criterion_code for node in self.nodes if node.depth == 0), None)


def require_set(con: duckdb.DuckDBPyConnection, level: str, year: int) -> str:
    set_code = criteria_set_for(con, level, year)
    if set_code is None:
        raise no_set(level, year)
    return set_code


def no_set(level: str, year: int) -> NotFoundError:
    return NotFoundError(f"Chưa có bộ tiêu chí {LEVEL_WORDS.get(level, level)} áp dụng cho năm {year}.")


def set_tree(con: duckdb.DuckDBPyConnection, level: str, year: int) -> SetTree:
    """The criteria set in force for the level in `year` (the latest one starting on or before it).

    Depth 0 is the root (total), 1 a field, 2 a criterion, 3 a sub-criterion. A node without an
    office of its own is owned by the office of its nearest ancestor that has one. The tree is
    walked here rather than in a recursive query: it has tens of nodes, and a query costs more.
    """
    row = con.execute(SET_IN_FORCE_SQL, [level, year]).fetchone()
    if row is None:
        raise no_set(level, year)
    found = row[0]
    rows = con.execute(CRITERIA_ROWS_SQL, [found["code"]]).fetchall()
    roots = sorted(row[0] for row in rows if row[1] is None)
    if len(roots) > 1:  # the totals query would add them up, a unit's analysis take one: refuse both
        raise CchcError(
            f"Bộ tiêu chí {found['code']} có {len(roots)} gốc ({', '.join(roots)}); mỗi bộ chỉ có "
            "một gốc là tổng điểm. Sửa cột tiêu chí cha trong bộ tiêu chí."
        )
    nodes = sorted(_walk(rows), key=lambda node: (node.sort_order, node.criterion_code))
    return _set_tree(found, nodes)


def criteria_tree(con: duckdb.DuckDBPyConnection, level: str, year: int) -> pd.DataFrame:
    """Every node of the criteria set in force (see set_tree), one row each (TREE_COLUMNS)."""
    return tree_frame(set_tree(con, level, year))


def tree_frame(found: SetTree) -> pd.DataFrame:
    tree = pd.DataFrame(found.nodes, columns=TREE_COLUMNS)
    tree.attrs["set_code"] = found.code
    tree.attrs["is_demo"] = found.is_demo
    tree.attrs["set_name"] = found.name
    tree.attrs["set_years"] = (found.year_from, found.year_to)
    return tree


def _walk(rows: list[tuple]) -> list[TreeNode]:
    """Every node reachable from a root, depth first."""
    children: dict[str | None, list[tuple]] = {}
    for row in rows:
        children.setdefault(row[1], []).append(row)
    found = []
    stack = [(row, 0, None, None, None) for row in children.get(None, [])]
    while stack:
        row, depth, field, owner, owner_name = stack.pop()
        code, parent, name, max_points, office, office_name, sort_order = row
        field = code if depth == 1 else field  # a field is its own field
        if office is not None:
            owner, owner_name = office, office_name
        found.append(TreeNode(code, parent, name, depth, field, max_points, owner, owner_name, sort_order))
        stack.extend((child, depth + 1, field, owner, owner_name) for child in children.get(code, []))
    return found


def code_sort_key(code: str) -> tuple:
    """'3.10' after '3.9', deterministic for any code: numbers compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in str(code).split("."))


SET_SQL = f"SELECT {SET_COLUMNS} FROM criteria_sets WHERE code = ?"
LISTING_COLUMNS = ["code", "parent_code", "name", "max_points", "office_code", "office_name", "depth"]


def tree_of_set(con: duckdb.DuckDBPyConnection, set_code: str) -> SetTree:
    """The nodes of one named set, walked as set_tree walks the set in force."""
    row = con.execute(SET_SQL, [set_code]).fetchone()
    if row is None:
        raise NotFoundError(f"Không có bộ tiêu chí {set_code} trong kho.")
    rows = con.execute(CRITERIA_ROWS_SQL, [set_code]).fetchall()
    nodes = sorted(_walk(rows), key=lambda node: (node.sort_order, node.criterion_code))
    return _set_tree(row[0], nodes)


def _set_tree(found: dict, nodes: list[TreeNode]) -> SetTree:
    return SetTree(found["code"], bool(found["is_demo"]), nodes, found["name"], found["year_from"], found["year_to"])


def criteria_listing(
    con: duckdb.DuckDBPyConnection, level: str, year: int, set_code: str | None = None
) -> pd.DataFrame:
    """One row per node (LISTING_COLUMNS) of the named set, else of the set in force for the level and
    year: what `python -m analytics criteria` prints and the Dữ liệu page draws as a tree."""
    found = tree_of_set(con, set_code) if set_code else set_tree(con, level, year)
    frame = tree_frame(found).rename(columns={"criterion_code": "code", "criterion_name": "name"})
    listing = frame[LISTING_COLUMNS].copy()
    listing.attrs.update(frame.attrs)
    return listing


def set_codes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every stored criteria set, the newest first (the choice a bands or ownership file is for)."""
    return [code for (code,) in con.execute("SELECT code FROM criteria_sets ORDER BY year_from DESC, code").fetchall()]
