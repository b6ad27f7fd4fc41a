"""Import follows time (issue #12, point 5): a file's year decides which unit a code or a name means.

Files are CSV bytes as provinces publish them (a title line with the year, a header, one row per unit).
"""

from __future__ import annotations

import csv

from analytics.importing.pipeline import analyze, analyze_and_commit
from analytics.importing.validate import ImportOptions
from analytics.rankings import rankings
from analytics.store import connect
from tests.conftest import ROOT, snapshot


def results_file(year: int, rows: list[tuple[str, str, float]], scope_words: str) -> bytes:
    lines = [
        f"KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CÁC XÃ, PHƯỜNG, THỊ TRẤN {scope_words}",
        "",
        "STT,Mã đơn vị,Tên đơn vị,Tổng điểm",
        *(f"{i},{code},{name},{total:.2f}" for i, (code, name, total) in enumerate(rows, 1)),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def stored_units(analysis) -> set[str]:
    return {row[1] for row in analysis.rows}


def new_communes() -> list[tuple[str, str]]:
    with (ROOT / "data" / "register" / "04" / "unit_versions.csv").open(encoding="utf-8", newline="") as handle:
        return [(r["code"], r["name"]) for r in csv.DictReader(handle) if r["valid_from"] == "2025-07-01"]


def test_a_2020_file_01304_is_thach_lam_and_quang_lam_is_01303(demo_con):
    data = results_file(2020, [("01304", "", 84.10), ("", "Quảng Lâm", 67.30)], "HUYỆN BẢO LÂM")
    analysis = analyze(demo_con, "xa-2020.csv", data, ImportOptions(replace=True))
    assert analysis.ok, [p.reason for p in analysis.errors]
    assert stored_units(analysis) == {"01304", "01303"}
    assert {r[1]: r[3] for r in analysis.rows} == {"01304": 84.10, "01303": 67.30}


def test_a_2025_file_01304_and_quang_lam_are_the_new_xa_quang_lam(demo_con):
    rows = [(code, name, 70.0 + i / 4) for i, (code, name) in enumerate(new_communes())]
    analysis = analyze(demo_con, "xa-2025.csv", results_file(2025, rows, "TỈNH CAO BẰNG"), ImportOptions(replace=True))
    assert analysis.ok, [p.reason for p in analysis.errors]
    assert len(stored_units(analysis)) == 56 and "01304" in stored_units(analysis)
    by_name = results_file(2025, [("", "Quảng Lâm", 80.0), ("", "Bảo Lâm", 60.0)], "")
    analysis = analyze(demo_con, "xa-2025-ten.csv", by_name, ImportOptions(replace=True))
    assert analysis.ok, [p.reason for p in analysis.errors]
    assert {r[1]: r[3] for r in analysis.rows} == {"01304": 80.0, "01290": 60.0}


def test_a_unit_that_did_not_exist_in_the_files_year_is_an_error_naming_its_successor(demo_store):
    data = results_file(2025, [("", "Quảng Lâm", 80.0), ("", "Xã Thạch Lâm", 75.0)], "TỈNH CAO BẰNG")
    before = snapshot(connect(demo_store, read_only=True))
    con = connect(demo_store)
    analysis, batch_id = analyze_and_commit(con, "xa-2025.csv", data, ImportOptions(replace=True), actor="test")
    con.close()
    assert batch_id is None
    (problem,) = [p for p in analysis.errors if p.kind == "unit_not_in_year"]
    assert "Xã Thạch Lâm đã sáp nhập vào Xã Quảng Lâm từ 01/7/2025" in problem.reason
    assert problem.row == 5 and problem.column and problem.file == "xa-2025.csv"
    assert snapshot(connect(demo_store, read_only=True)) == before


def test_a_new_unit_in_an_old_file_names_its_predecessors(demo_con):
    rows = [("", "Xã Bảo Lâm", 70.0), ("", "Xã Lý Bôn", 73.05), ("", "Xã Nam Quang", 70.15), ("", "Xã Yên Thổ", 65.4)]
    data = results_file(2020, rows, "HUYỆN BẢO LÂM")
    analysis = analyze(demo_con, "xa-2020.csv", data, ImportOptions(replace=True))
    reasons = [p.reason for p in analysis.errors]
    assert any("Xã Bảo Lâm chỉ có từ 01/7/2025 (hình thành từ Thị trấn Pác Miầu, Xã Vĩnh Phong" in r for r in reasons)


def test_a_reused_code_in_a_row_of_another_year_is_refused(demo_con):
    """01309 (Xã Vĩnh Phong) named in a 2025 row of a Bảo Lâm file: the row says what became of it."""
    data = (
        "Năm,Mã đơn vị,Tên đơn vị,Tổng điểm\n2020,01290,Thị trấn Pác Miầu,78.40\n2025,01309,Xã Vĩnh Phong,60.00\n"
    ).encode()
    analysis = analyze(demo_con, "xa.csv", data, ImportOptions(replace=True, level="commune", parent="042"))
    (problem,) = [p for p in analysis.errors if p.kind == "unit_not_in_year"]
    assert "Xã Vĩnh Phong đã sáp nhập vào Xã Bảo Lâm từ 01/7/2025" in problem.reason and problem.row == 3


def test_a_2021_commune_file_loads_without_replacing_anything(demo_store):
    codes = ["01290", "01291", "01294", "01296", "01297", "01300", "01303", "01304", "01309", "01312", "01315"]
    rows = [(code, "", 60.0 + i) for i, code in enumerate(codes + ["01316", "01318"])]
    con = connect(demo_store)
    data = results_file(2021, rows, "HUYỆN BẢO LÂM")
    analysis, batch_id = analyze_and_commit(con, "xa-2021.csv", data, ImportOptions(), actor="t")
    assert batch_id is not None, [p.reason for p in analysis.errors]
    assert con.execute("SELECT count(*) FROM replaced_scores").fetchone()[0] == 0
    ranking = rankings(con, 2021, "commune", "042")
    assert len(ranking) == 13 and ranking.set_index("unit_code").unit_name["01304"] == "Xã Thạch Lâm"
    assert len(rankings(con, 2025, "commune", "04")) == 56  # the illustrative 2025 results are untouched
    con.close()


def test_an_alias_names_the_unit_version_of_its_year_and_a_reused_code_without_a_year_is_refused(demo_con):
    from analytics.importing.reference import ReferenceOptions, analyze_and_commit_reference
    from analytics.names import resolve_unit

    before = snapshot(demo_con)
    undated = "Tên gọi khác,Mã đơn vị\nXã Bảo Lâm mới,01290\n".encode()
    analysis, batch_id = analyze_and_commit_reference(
        demo_con, "aliases", "ten-khac.csv", undated, ReferenceOptions(), "pytest"
    )
    assert batch_id is None and snapshot(demo_con) == before
    (problem,) = analysis.errors
    assert (problem.row, problem.column) == (2, "Mã đơn vị")
    assert "Thị trấn Pác Miầu" in problem.message and "Xã Bảo Lâm" in problem.message and "cột Năm" in problem.message

    dated = "Tên gọi khác,Mã đơn vị,Năm\nBảo Lâm mới,01290,2025\n".encode()
    analysis, batch_id = analyze_and_commit_reference(
        demo_con, "aliases", "ten-khac.csv", dated, ReferenceOptions(), "pytest"
    )
    assert batch_id is not None, [p.message for p in analysis.errors]
    stored = demo_con.execute("SELECT unit_code FROM unit_aliases WHERE alias = 'Bảo Lâm mới'").fetchall()
    assert stored == [("01290@2025-07-01",)]
    assert resolve_unit(demo_con, "Bảo Lâm mới", year=2025) == "01290"
    assert "Bảo Lâm mới" not in {
        a for (a,) in demo_con.execute("SELECT alias FROM unit_aliases WHERE unit_code = '01290'").fetchall()
    }


def test_an_alias_that_is_another_units_name_or_names_two_units_is_refused(demo_con):
    from analytics.importing.reference import ReferenceOptions, analyze_and_commit_reference

    before = snapshot(demo_con)
    data = "Tên gọi khác,Mã đơn vị,Ghi chú\nHuyện Hà Quảng,042,x\nBL,042,x\nBL,043,y\n".encode()
    analysis, batch_id = analyze_and_commit_reference(
        demo_con, "aliases", "ten-khac.csv", data, ReferenceOptions(), "pytest"
    )
    assert batch_id is None and snapshot(demo_con) == before
    found = {(p.row, p.column, p.kind) for p in analysis.errors}
    assert found == {(2, "Tên gọi khác", "alias_is_a_unit_name"), (4, "Tên gọi khác", "alias_names_two_units")}
    taken = "TP Cao Bằng,042,x\n".encode()  # a stored alias of Thành phố Cao Bằng (040)
    analysis, batch_id = analyze_and_commit_reference(
        demo_con,
        "aliases",
        "ten-khac.csv",
        "Tên gọi khác,Mã đơn vị,Ghi chú\n".encode() + taken,
        ReferenceOptions(),
        "pytest",
    )
    assert batch_id is None and "040" in analysis.errors[0].message
