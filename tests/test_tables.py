"""CSV with BOM and Excel workbooks: headers, formats, filters, widths, formula neutralisation."""

import csv
import io

import openpyxl
import pandas as pd
import pytest

from analytics.rankings import rankings
from analytics.reports.table_files import Sheet, csv_bytes, neutralise, workbook_bytes


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")'])
def test_formula_like_text_gets_a_leading_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Huyện Bảo Lâm", "Phòng Tài chính - Kế hoạch", "", 3.5, -7.21, None])
def test_ordinary_values_are_left_alone(value):
    assert neutralise(value) == value


def test_csv_has_a_bom_vietnamese_headers_and_reads_back(demo_con):
    frame = rankings(demo_con, 2020)
    data = csv_bytes(frame, ["rank", "unit_name", "total"])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Xếp hạng", "Đơn vị", "Tổng điểm"]
    bao_lam = next(r for r in rows if r[1] == "Huyện Bảo Lâm")
    assert bao_lam == ["9", "Huyện Bảo Lâm", "73.79"]
    assert len(rows) == 11


def test_csv_neutralises_formula_text():
    data = csv_bytes(pd.DataFrame({"unit_name": ["=cmd|'/c calc'!A1", "Bảo Lâm"]}))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1] == ["'=cmd|'/c calc'!A1"]


def test_workbook_sheet_is_formatted_and_holds_the_values(demo_con):
    frame = rankings(demo_con, 2020)
    columns = ["rank", "unit_code", "unit_name", "total", "delta_total", "is_demo"]
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes([Sheet("Xếp hạng", frame, columns)])))
    sheet = book["Xếp hạng"]
    assert [c.value for c in sheet[1]] == [
        "Xếp hạng",
        "Mã đơn vị",
        "Đơn vị",
        "Tổng điểm",
        "Thay đổi điểm",
        "Dữ liệu minh họa",
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F11"
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    expected = [
        [int(r.rank), r.unit_code, r.unit_name, r.total, r.delta_total, "Có" if r.is_demo else "Không"]
        for r in frame.itertuples()
    ]
    assert values == expected
    assert sheet["D2"].number_format == "0.00" and sheet["A2"].number_format == "0"
    widest_name = max(len(n) for n in frame.unit_name)
    assert sheet.column_dimensions["C"].width == widest_name + 2


def test_formula_text_in_a_sheet_stays_text():
    frame = pd.DataFrame({"unit_name": ["=1+1", "@A1", "Bảo Lâm"], "total": [1.0, 2.0, 3.0]})
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes([Sheet("Bảng", frame)])))
    cells = [book["Bảng"].cell(row=r, column=1) for r in (2, 3, 4)]
    assert [c.value for c in cells] == ["'=1+1", "'@A1", "Bảo Lâm"]
    assert all(c.data_type == "s" for c in cells)


def test_lists_and_missing_values_are_written_plainly():
    frame = pd.DataFrame({"unit_names": [["Lý Bôn", "Nam Quang"], []], "total": [1.5, float("nan")]})
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8-sig"))))
    assert rows[1:] == [["Lý Bôn, Nam Quang", "1.5"], ["", ""]]


def test_every_table_shows_a_dash_for_an_empty_cell_not_streamlits_none():
    """st.dataframe draws a missing value as "None" unless given a placeholder (a Styler's na_rep is not
    used for null cells): every table of the pages passes formatting.MISSING."""
    import ast

    from tests.conftest import ROOT

    calls = []
    for path in [*(ROOT / "ui").glob("*.py"), *(ROOT / "app_pages").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "st.dataframe":
                keywords = {k.arg: ast.unparse(k.value) for k in node.keywords}
                calls.append((path.name, node.lineno, keywords.get("placeholder")))
    assert len(calls) >= 15
    assert [call for call in calls if call[2] != "MISSING"] == []
