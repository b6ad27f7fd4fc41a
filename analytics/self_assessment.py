"""Self-assessment against appraisal: the points the province's appraisal cut (tự chấm − thẩm định).

Results files may carry the points an office gave itself (column `self_points`, "Điểm tự chấm")
beside the appraised points. A cut is where the evidence did not convince the appraisers: the
first place to look for tasks. Only the lowest rows that carry self points are counted, so a field
given beside its criteria is not counted twice.
"""

from __future__ import annotations

import pandas as pd

from analytics.criteria import set_tree, tree_frame
from analytics.nodes import lowest_rows
from analytics.scope import get_unit

SELF_ROWS_SQL = """
    SELECT unit_code, criterion_code, points, self_points FROM scores
    WHERE year = ? AND unit_code = ? AND self_points IS NOT NULL
"""
CUT_COLUMNS = [
    "criterion_code",
    "criterion_name",
    "field_code",
    "office_code",
    "office_name",
    "max_points",
    "self_points",
    "points",
    "cut",
    "cut_pct",
]
OFFICE_CUT_COLUMNS = ["office_code", "office_name", "criteria_count", "self_points", "points", "cut"]
LABELS = {
    "self_points": "Điểm tự chấm",
    "points": "Điểm thẩm định",
    "cut": "Điểm bị trừ khi thẩm định",
    "cut_pct": "Điểm bị trừ (% điểm tối đa)",
}
UNASSIGNED = "Chưa giao cơ quan"


def criterion_cuts(con, year: int, unit_code: str) -> pd.DataFrame:
    """CUT_COLUMNS, one row per lowest criterion with self points, the largest cut first."""
    unit = get_unit(con, unit_code, year)
    rows = con.execute(SELF_ROWS_SQL, [year, unit.code]).fetchall()
    if not rows:
        return pd.DataFrame(columns=CUT_COLUMNS)
    found = set_tree(con, unit.level, year)
    kept = lowest_rows(rows, found.parent_of)
    tree = tree_frame(found)
    frame = pd.DataFrame(kept, columns=["unit_code", "criterion_code", "points", "self_points"])
    frame = frame.merge(tree, on="criterion_code")
    frame["office_name"] = frame["office_name"].fillna(UNASSIGNED)
    frame["cut"] = (frame.self_points - frame.points).round(6)
    frame["cut_pct"] = (frame.cut / frame.max_points.where(frame.max_points > 0) * 100).round(6)
    frame = frame.sort_values(["cut", "sort_order"], ascending=[False, True])
    return frame[CUT_COLUMNS].reset_index(drop=True)


def office_cuts(cuts: pd.DataFrame) -> pd.DataFrame:
    """OFFICE_CUT_COLUMNS from criterion_cuts: each office's cuts added up, the largest first."""
    if cuts.empty:
        return pd.DataFrame(columns=OFFICE_CUT_COLUMNS)
    frame = (
        cuts.assign(office_key=cuts.office_code.fillna(""))
        .groupby(["office_key", "office_name"], as_index=False)
        .agg(
            office_code=("office_code", "first"),
            criteria_count=("criterion_code", "count"),
            self_points=("self_points", "sum"),
            points=("points", "sum"),
            cut=("cut", "sum"),
        )
    )
    frame[["self_points", "points", "cut"]] = frame[["self_points", "points", "cut"]].round(6)
    return frame.sort_values(["cut", "office_key"], ascending=[False, True])[OFFICE_CUT_COLUMNS].reset_index(drop=True)


def largest_cuts(cuts: pd.DataFrame, count: int = 5) -> pd.DataFrame:
    """The criteria the appraisal cut most (only real cuts, > 0)."""
    return cuts[cuts.cut > 0].head(count)
