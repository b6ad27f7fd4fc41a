"""Where a unit loses points: each field and criterion against a chosen reference."""

from __future__ import annotations

import re

import duckdb
import numpy as np
import pandas as pd

from analytics.criteria import criteria_tree, require_set
from analytics.errors import CchcError, NotFoundError
from analytics.rankings import NODE_VALUES_SQL, criteria_set_for
from analytics.scope import Unit, get_unit, own_and_peer_totals
from analytics.targets import target_gap

REFERENCES = ("province-mean", "best", "target", "threshold:NN")

# Per node: the unit's points, the mean over every unit of its scope that has the node (itself
# included), the best other unit, and the unit named $target (NULL when not comparing to one).
NODE_STATS_SQL = f"""
WITH nodes AS ({NODE_VALUES_SQL})
SELECT criterion_code,
       max(value) FILTER (WHERE unit_code = $unit) AS points,
       round(avg(value), 6) AS mean_points,
       max(value) FILTER (WHERE unit_code <> $unit) AS best_points,
       max(value) FILTER (WHERE unit_code = $target) AS target_points,
       bool_or(is_demo) AS any_demo
FROM nodes GROUP BY criterion_code
"""

FIELD_MATRIX_SQL = f"""
WITH nodes AS ({NODE_VALUES_SQL})
SELECT n.unit_code, u.name AS unit_name, c.code AS field_code, c.name AS field_name,
       n.value AS points, c.max_points, n.is_demo, c.sort_order
FROM nodes n
JOIN criteria c ON c.set_code = $set AND c.code = n.criterion_code
JOIN criteria root ON root.set_code = $set AND root.code = c.parent_code AND root.parent_code IS NULL
JOIN units u ON u.code = n.unit_code
ORDER BY n.unit_code, c.sort_order
"""

GAP_COLUMNS = ["criterion_code", "criterion_name", "depth", "parent_code", "field_code", "max_points", "points",
               "pct", "reference_points", "reference_pct", "gap_points", "gap_pct", "owner_office",
               "owner_office_name"]


def parse_reference(reference: str) -> tuple[str, float | None]:
    """('province-mean'|'best'|'target'|'threshold', NN or None); CchcError on anything else."""
    text = str(reference).strip().lower()
    if text in ("province-mean", "best", "target"):
        return text, None
    match = re.fullmatch(r"threshold:(\d+(?:[.,]\d+)?)", text)
    if match and 0 <= float(match.group(1).replace(",", ".")) <= 100:
        return "threshold", float(match.group(1).replace(",", "."))
    raise CchcError(f"Mốc so sánh không hợp lệ: '{reference}'. Dùng province-mean, best, target "
                    "hoặc threshold:NN (NN từ 0 đến 100).")


def pct_of(points, max_points):
    """Points as % of the maximum (6 decimals, dropping binary noise); NaN where the maximum is 0."""
    return (points / pd.Series(max_points).replace(0, np.nan).to_numpy() * 100).round(6)


def node_stats(con: duckdb.DuckDBPyConnection, year: int, unit: Unit, target_unit: str | None = None):
    params = {"set": require_set(con, unit.level, year), "year": year, "level": unit.level,
              "parent": unit.parent_code, "unit": unit.code, "target": target_unit}
    return con.execute(NODE_STATS_SQL, params).df()


def _unit_stats(con: duckdb.DuckDBPyConnection, year: int, unit: Unit, target: str | None) -> pd.DataFrame:
    """node_stats, raising the "no data" error when the unit has no points that year: the same
    check as own_and_peer_totals, read from the stats instead of a totals query of its own."""
    no_data = NotFoundError(f"{unit.name} chưa có dữ liệu năm {year}.")
    if criteria_set_for(con, unit.level, year) is None:
        raise no_data
    stats = node_stats(con, year, unit, target)
    if not stats.points.notna().any():
        raise no_data
    return stats


def gaps(con: duckdb.DuckDBPyConnection, year: int, unit_code: str, reference: str = "province-mean",
         depth: int | None = None, target_rank: int | None = None) -> pd.DataFrame:
    """Every field and criterion the unit has points for (depth >= 1, or only `depth`), weakest first.

    gap = unit − reference, so a negative gap is a shortfall. `best` is, per node, the highest
    points any other unit of the same level and parent got; `target` the unit holding the
    target rank among the others; `threshold:NN` NN % of each node's maximum.
    """
    kind, threshold = parse_reference(reference)
    unit = get_unit(con, unit_code)
    target = None
    if kind == "target":
        own_and_peer_totals(con, year, unit)  # the unit must have data that year (said before the target)
        target = target_gap(con, year, unit_code, target_rank).target_unit_code
    stats = _unit_stats(con, year, unit, target)
    tree = criteria_tree(con, unit.level, year)
    frame = tree.merge(stats[stats.points.notna()], on="criterion_code")
    frame = frame[frame.depth == depth] if depth is not None else frame[frame.depth >= 1]
    frame = frame.rename(columns={"office_code": "owner_office", "office_name": "owner_office_name"})
    frame["pct"] = pct_of(frame.points, frame.max_points)
    frame["reference_points"] = _reference_points(frame, kind, threshold)
    frame["reference_pct"] = pct_of(frame.reference_points, frame.max_points)
    frame["gap_points"] = (frame.points - frame.reference_points).round(6)
    frame["gap_pct"] = (frame.pct - frame.reference_pct).round(6)
    frame = frame.sort_values(["gap_pct", "gap_points", "sort_order"], na_position="last")
    result = frame[GAP_COLUMNS].reset_index(drop=True)
    result.attrs.update(is_demo=bool(tree.attrs["is_demo"] or stats.any_demo.any()), reference=kind,
                        target_unit_code=target)
    return result


def _reference_points(frame: pd.DataFrame, kind: str, threshold: float | None) -> pd.Series:
    if kind == "threshold":
        return frame.max_points * threshold / 100
    column = {"province-mean": "mean_points", "best": "best_points", "target": "target_points"}[kind]
    return frame[column].astype(float)


def weak_fields(con: duckdb.DuckDBPyConnection, year: int, unit_code: str, reference: str = "province-mean",
                n: int = 4) -> pd.DataFrame:
    """The `n` fields furthest below the reference (in % of maximum), weakest first."""
    fields = gaps(con, year, unit_code, reference, depth=1)
    return fields[fields.gap_pct < 0].head(n).reset_index(drop=True)


def field_matrix(con: duckdb.DuckDBPyConnection, year: int, level: str, parent: str | None) -> pd.DataFrame:
    """unit_code, unit_name, field_code, field_name, points, max_points, pct, is_demo: units × fields."""
    params = {"set": require_set(con, level, year), "year": year, "level": level, "parent": parent}
    frame = con.execute(FIELD_MATRIX_SQL, params).df()
    frame["pct"] = pct_of(frame.points, frame.max_points)
    return frame[["unit_code", "unit_name", "field_code", "field_name", "points", "max_points", "pct", "is_demo"]]
