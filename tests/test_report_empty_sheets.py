"""Every sheet of the Excel report that has no rows says why in its first row, in the brief's own words."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest

from analytics.reports.brief_docx import build_brief
from analytics.reports.contents import NO_TARGET_PLAN
from analytics.reports.workbook import analytics_workbook


def sheets(con, year: int, unit_code: str) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(analytics_workbook(con, year, unit_code)))
    return {s.title: list(s.iter_rows(values_only=True)) for s in book.worksheets}


def brief_paragraphs(con, year: int, unit_code: str) -> list[str]:
    document = docx.Document(io.BytesIO(build_brief(con, year, unit_code, charts=False)))
    return [p.text for p in document.paragraphs]


def test_the_2025_plan_sheet_says_there_is_no_target_as_the_brief_does(demo_readonly):
    plan = sheets(demo_readonly, 2025, "01290")["Kế hoạch"]
    assert plan[0][:2] == ("Mã tiêu chí", "Tiêu chí")
    assert plan[1][0] == NO_TARGET_PLAN and len(plan) == 2
    assert NO_TARGET_PLAN in brief_paragraphs(demo_readonly, 2025, "01290")


@pytest.mark.parametrize(("year", "unit_code"), [(2025, "01290"), (2025, "01304"), (2020, "042"), (2020, "040")])
def test_no_sheet_is_only_a_header(demo_readonly, year, unit_code):
    for title, rows in sheets(demo_readonly, year, unit_code).items():
        assert len(rows) >= 2, title
        assert any(v is not None for v in rows[1]), title


def test_a_sheet_with_rows_carries_no_note(demo_readonly):
    plan = sheets(demo_readonly, 2020, "042")["Kế hoạch"]
    assert plan[1][0] == "8.1" and NO_TARGET_PLAN not in {r[0] for r in plan}


def test_a_target_already_reached_leaves_the_plan_empty_and_says_so(demo_con):
    demo_con.execute(
        "INSERT INTO targets (year, unit_code, metric, comparator, value, is_demo, source, batch_id) "
        "VALUES (2021, '040', 'rank', '<=', 5, true, 'kiểm thử', 1)"
    )
    plan = sheets(demo_con, 2020, "040")["Kế hoạch"]
    assert plan[1][0] == "Đã đạt hạng 5/10; không cần cải thiện thêm." and len(plan) == 2
    assert plan[1][0] in brief_paragraphs(demo_con, 2020, "040")
