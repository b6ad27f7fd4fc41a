"""Points a unit lost and points its peers show are reachable, per criterion and per owning office."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from analytics.criteria import criteria_tree, require_set
from analytics.errors import NotFoundError
from analytics.rankings import LOWEST_NODES_SQL, NODE_VALUES_SQL, criteria_set_for
from analytics.scope import Unit, get_unit

# The unit's scored rows that make up its total (its deepest level), each with the best value
# any other unit of the same level and parent has on that node that year.
HEADROOM_SQL = f"""
WITH nodes AS ({NODE_VALUES_SQL}), lowest AS ({LOWEST_NODES_SQL})
SELECT l.criterion_code, l.points, max(n.value) AS best_peer_value
FROM lowest l
LEFT JOIN nodes n ON n.criterion_code = l.criterion_code AND n.unit_code <> $unit
WHERE l.unit_code = $unit
GROUP BY l.criterion_code, l.points
"""

UNASSIGNED_OFFICE = "Chưa xác định đơn vị phụ trách"

DETAIL_COLUMNS = ["office_code", "office_name", "criterion_code", "criterion_name", "max_points", "points",
                  "best_peer_pct", "best_peer_points", "lost_points", "reachable_points"]
SUMMARY_COLUMNS = ["office_code", "office_name", "lost_points", "reachable_points", "criteria_count"]


def criterion_headroom(con: duckdb.DuckDBPyConnection, year: int, unit: Unit) -> pd.DataFrame:
    """The unit's counted criteria with max, owner and the best peer's points (capped at the max)."""
    # The unit must have data that year: read from its own rows here rather than from a totals
    # query of its own (the same "no data" error as scope.own_and_peer_totals).
    no_data = NotFoundError(f"{unit.name} chưa có dữ liệu năm {year}.")
    if criteria_set_for(con, unit.level, year) is None:
        raise no_data
    params = {"set": require_set(con, unit.level, year), "year": year, "level": unit.level,
              "parent": unit.parent_code, "unit": unit.code}
    rows = con.execute(HEADROOM_SQL, params).df()
    if rows.empty:
        raise no_data
    tree = criteria_tree(con, unit.level, year)
    frame = rows.merge(tree, on="criterion_code")
    frame["office_name"] = frame["office_name"].fillna(UNASSIGNED_OFFICE)
    frame["best_peer_points"] = np.minimum(frame.best_peer_value.astype(float), frame.max_points)
    frame["best_peer_pct"] = frame.best_peer_points / frame.max_points.replace(0, np.nan) * 100
    frame["lost_points"] = (frame.max_points - frame.points).clip(lower=0).round(6)
    frame["reachable_points"] = (frame.best_peer_points - frame.points).clip(lower=0).fillna(0).round(6)
    frame.attrs["is_demo"] = tree.attrs["is_demo"]
    return frame


def recoverable_by_office(con: duckdb.DuckDBPyConnection, year: int,
                          unit_code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(summary per office, most reachable first; the criteria behind each sum)."""
    frame = criterion_headroom(con, year, get_unit(con, unit_code))
    detail = frame.sort_values(["reachable_points", "lost_points", "sort_order"], ascending=[False, False, True])
    detail = detail[DETAIL_COLUMNS].reset_index(drop=True)
    summary = (detail.assign(office_key=detail.office_code.fillna(""))
               .groupby(["office_key", "office_name"], as_index=False)
               .agg(office_code=("office_code", "first"), lost_points=("lost_points", "sum"),
                    reachable_points=("reachable_points", "sum"), criteria_count=("criterion_code", "count")))
    summary[["lost_points", "reachable_points"]] = summary[["lost_points", "reachable_points"]].round(6)
    summary = summary.sort_values(["reachable_points", "lost_points", "office_key"], ascending=[False, False, True])
    for part in (summary, detail):
        part.attrs["is_demo"] = frame.attrs["is_demo"]
    return summary[SUMMARY_COLUMNS].reset_index(drop=True), detail
