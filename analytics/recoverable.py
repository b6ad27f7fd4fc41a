"""Points a unit lost and points its peers show are reachable, per criterion and per owning office."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from analytics.criteria import tree_frame
from analytics.nodes import unit_nodes
from analytics.scope import Unit, get_unit

UNASSIGNED_OFFICE = "Chưa xác định đơn vị phụ trách"

DETAIL_COLUMNS = [
    "office_code",
    "office_name",
    "criterion_code",
    "criterion_name",
    "max_points",
    "points",
    "best_peer_pct",
    "best_peer_points",
    "lost_points",
    "reachable_points",
]
SUMMARY_COLUMNS = ["office_code", "office_name", "lost_points", "reachable_points", "criteria_count"]


def criterion_headroom(con: duckdb.DuckDBPyConnection, year: int, unit: Unit) -> pd.DataFrame:
    """The unit's counted criteria (the scored rows its total is made of) with max, owner and the
    best points any other unit of its scope has on them (capped at the max)."""
    nodes = unit_nodes(con, year, unit)
    best = nodes.best_of_others(unit.code)
    rows = [(code, points, best.get(code, np.nan)) for owner, code, points, _ in nodes.lowest if owner == unit.code]
    tree = tree_frame(nodes.criteria)
    frame = pd.DataFrame(rows, columns=["criterion_code", "points", "best_peer_value"]).merge(tree, on="criterion_code")
    frame["office_name"] = frame["office_name"].fillna(UNASSIGNED_OFFICE)
    frame["best_peer_points"] = np.minimum(frame.best_peer_value.astype(float), frame.max_points)
    frame["best_peer_pct"] = frame.best_peer_points / frame.max_points.replace(0, np.nan) * 100
    frame["lost_points"] = (frame.max_points - frame.points).clip(lower=0).round(6)
    frame["reachable_points"] = (frame.best_peer_points - frame.points).clip(lower=0).fillna(0).round(6)
    frame.attrs["is_demo"] = tree.attrs["is_demo"]
    return frame


def recoverable_by_office(
    con: duckdb.DuckDBPyConnection, year: int, unit_code: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(summary per office, most reachable first; the criteria behind each sum)."""
    frame = criterion_headroom(con, year, get_unit(con, unit_code, year))
    detail = frame.sort_values(["reachable_points", "lost_points", "sort_order"], ascending=[False, False, True])
    detail = detail[DETAIL_COLUMNS].reset_index(drop=True)
    summary = (
        detail.assign(office_key=detail.office_code.fillna(""))
        .groupby(["office_key", "office_name"], as_index=False)
        .agg(
            office_code=("office_code", "first"),
            lost_points=("lost_points", "sum"),
            reachable_points=("reachable_points", "sum"),
            criteria_count=("criterion_code", "count"),
        )
    )
    summary[["lost_points", "reachable_points"]] = summary[["lost_points", "reachable_points"]].round(6)
    summary = summary.sort_values(["reachable_points", "lost_points", "office_key"], ascending=[False, False, True])
    for part in (summary, detail):
        part.attrs["is_demo"] = frame.attrs["is_demo"]
    return summary[SUMMARY_COLUMNS].reset_index(drop=True), detail
