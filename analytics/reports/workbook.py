"""The Excel workbook of a unit and a year: summary, rankings, fields, criteria gaps, offices, communes, plan."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.formatting import fmt_rank
from analytics.reports.contents import ReportData, collect, why_empty
from analytics.reports.table_files import Sheet, workbook_bytes
from analytics.self_assessment import CUT_COLUMNS, LABELS, OFFICE_CUT_COLUMNS, criterion_cuts, office_cuts

RANKING_COLUMNS = [
    "rank",
    "unit_code",
    "unit_name",
    "total",
    "rank_of",
    "delta_total",
    "delta_rank",
    "band",
    "pct",
    "total_previous",
    "rank_previous",
    "has_data",
    "is_demo",
]
FIELD_COLUMNS = [
    "criterion_code",
    "criterion_name",
    "max_points",
    "points",
    "pct",
    "reference_points",
    "reference_pct",
    "gap_points",
    "gap_pct",
    "owner_office_name",
]
FIELD_LABELS = {"criterion_code": "Mã lĩnh vực", "criterion_name": "Lĩnh vực"}
CRITERIA_COLUMNS = ["field_code", *FIELD_COLUMNS]
OFFICE_COLUMNS = ["office_name", "lost_points", "reachable_points", "criteria_count"]
OFFICE_DETAIL_COLUMNS = [
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
COMMUNE_COLUMNS = ["rank", "unit_code", "unit_name", "total", "pct", "band", "band_previous", "delta_total"]
PLAN_COLUMNS = ["criterion_code", "criterion_name", "owner_office_name", "from_points", "to_points", "gain"]
SUMMARY_LABELS = {"item": "Nội dung", "value": "Giá trị"}

SHEET_SUMMARY, SHEET_RANKING, SHEET_FIELDS, SHEET_CRITERIA = "Tóm tắt", "Xếp hạng", "Lĩnh vực", "Tiêu chí"
SHEET_OFFICES, SHEET_OFFICE_CRITERIA, SHEET_COMMUNES, SHEET_PLAN = (
    "Cơ quan",
    "Tiêu chí theo cơ quan",
    "Xã",
    "Kế hoạch",
)


def summary_frame(data: ReportData) -> pd.DataFrame:
    """Two columns (item, value): the cards, the target, the paragraph and its footnotes."""
    row = data.row
    items = [
        ("Đơn vị", data.unit.name),
        ("Năm", data.year),
        ("Tổng điểm", float(row["total"])),
        ("Xếp hạng", fmt_rank(row["rank"], row["rank_of"])),
    ]
    if data.previous_year is not None and not pd.isna(row["total_previous"]):
        items += [
            (f"Thay đổi điểm so với năm {data.previous_year}", float(row["delta_total"])),
            (f"Thay đổi thứ hạng so với năm {data.previous_year} (bậc)", int(row["delta_rank"])),
        ]
    if data.target is not None:
        items += [
            ("Hạng mục tiêu", fmt_rank(data.target.target_rank, data.target.rank_of)),
            ("Điểm cần thêm để đạt mục tiêu", float(data.target.points_needed)),
        ]
    items += [("Đánh giá chung", data.summary.text)]
    items += [(f"Chú thích {n}", text) for n, text in enumerate(data.summary.footnotes, start=1)]
    if data.is_demo:
        items.append(("Ghi chú", "Dữ liệu minh họa: các số điểm chưa phải kết quả chính thức."))
    return pd.DataFrame(items, columns=["item", "value"], dtype=object)


def workbook_sheets(data: ReportData) -> list[Sheet]:
    """Every sheet; one without rows says why in its first row (the brief's words, contents.why_empty)."""
    why = why_empty(data)
    sheets = [
        Sheet(SHEET_SUMMARY, summary_frame(data), labels=SUMMARY_LABELS),
        Sheet(SHEET_RANKING, data.ranking, RANKING_COLUMNS, empty_note=why["ranking"]),
        Sheet(SHEET_FIELDS, data.fields, FIELD_COLUMNS, FIELD_LABELS, why["fields"]),
        Sheet(SHEET_CRITERIA, data.criteria, CRITERIA_COLUMNS, empty_note=why["criteria"]),
        Sheet(SHEET_OFFICES, data.offices, OFFICE_COLUMNS, empty_note=why["offices"]),
        Sheet(SHEET_OFFICE_CRITERIA, data.office_criteria, OFFICE_DETAIL_COLUMNS, empty_note=why["office_criteria"]),
    ]
    if data.communes is not None:
        sheets.append(Sheet(SHEET_COMMUNES, data.communes, COMMUNE_COLUMNS, {"unit_name": "Xã, thị trấn"}))
    sheets.append(Sheet(SHEET_PLAN, data.plan_steps, PLAN_COLUMNS, empty_note=why["plan"]))
    return sheets


def analytics_workbook(con: duckdb.DuckDBPyConnection, year: int, unit_code: str) -> bytes:
    """The .xlsx bytes of every table of the reports for a unit and a year."""

    return workbook_bytes(workbook_sheets(collect(con, year, unit_code)) + self_assessment_sheets(con, year, unit_code))


def self_assessment_sheets(con, year: int, unit_code: str) -> list[Sheet]:
    """The two sheets of the Excel export; none when the results carry no self points."""
    cuts = criterion_cuts(con, year, unit_code)
    if cuts.empty:
        return []
    return [
        Sheet("Tự chấm - thẩm định", cuts, CUT_COLUMNS, LABELS),
        Sheet("Bị trừ theo cơ quan", office_cuts(cuts), OFFICE_CUT_COLUMNS, LABELS),
    ]
