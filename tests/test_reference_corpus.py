"""The reference-data corpus (tests/data/reference/): every good file loads what it holds through the
CLI; every bad file is refused with a message naming its row and column, exit status 2, and every
table of the store unchanged (snapshot of schema.DATA_TABLES)."""

from __future__ import annotations

import json
import re

import pytest

from analytics.cli import main
from analytics.criteria import criteria_listing, tree_of_set
from analytics.importing.reference import REFERENCE_KINDS, ReferenceOptions, analyze_reference
from analytics.importing.templates import reference_template_csv, reference_template_xlsx
from analytics.names import resolve_unit
from analytics.store import connect
from analytics.targets import target_rank_after
from tests.conftest import snapshot_of
from tests.data.make_reference_corpus import BAD, GOOD, bad_files, good_files

DISTRICT_FIELD_MAXIMA = {"1": 9, "2": 6, "3": 14, "4": 8, "5": 10, "6": 7, "7": 16, "8": 30}
LEGAL_SOURCE = "Quyết định số 123/QĐ-UBND ngày 15/02/2022 của UBND tỉnh Cao Bằng"


def run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def read(store, query):
    con = connect(store, read_only=True)
    try:
        return query(con)
    finally:
        con.close()


def maxima(con, set_code: str) -> dict[str, float]:
    return {n.criterion_code: n.max_points for n in tree_of_set(con, set_code).nodes}


def check_arabic_district(con) -> bool:
    listing = criteria_listing(con, "district", 2022)
    assert listing.attrs["set_code"] == "HUYEN-2022"
    fields = listing[listing.depth == 1].set_index("code").max_points.to_dict()
    assert fields == DISTRICT_FIELD_MAXIMA
    nodes = listing.set_index("code")
    assert (nodes.loc["TOTAL", "max_points"], nodes.loc["3.2", "parent_code"], len(listing)) == (100, "3", 30)
    # Owners as the decision names them, matched to the store's offices; 7.3 has its own, 3.1 inherits field 3's.
    assert (nodes.loc["7.3", "office_code"], nodes.loc["1.4", "office_code"], nodes.loc["3.1", "office_code"]) == (
        "KTHT",
        "TTVHTT",
        "VP",
    )
    row = con.execute("SELECT legal_source, year_from, level FROM criteria_sets WHERE code = 'HUYEN-2022'").fetchone()
    assert row == (LEGAL_SOURCE, 2022, "district")
    assert criteria_listing(con, "district", 2021).attrs["set_code"] == "DEMO-HUYEN-2020"  # older years keep theirs
    return True


def check_letters(con) -> bool:
    found = maxima(con, "HUYEN-2022")
    assert (found["3.1"], found["3.1.1"], found["3.1.2"], found["8.1.1"], found["8.1.2"]) == (4, 2, 2, 10, 10)
    assert "1.1.1" not in found and len(found) == 56
    return True


def check_roman_commune(con) -> bool:
    found = maxima(con, "XA-2022")
    assert (found["1"], found["1.2"], found["3.2"], found["8.1"], found["TOTAL"]) == (12, 6, 12, 10, 100)
    assert criteria_listing(con, "commune", 2023).attrs["set_code"] == "XA-2022"
    return True


def bands_of(con, set_code: str) -> list[tuple]:
    return con.execute(
        "SELECT code, name, min_pct FROM bands WHERE set_code = ? ORDER BY sort_order", [set_code]
    ).fetchall()


# file -> (extra CLI arguments, the check of what was stored)
GOOD_EXPECTED = {
    "phu-luc-huyen-so-a-rap.xlsx": ([], check_arabic_district),
    "phu-luc-huyen-so-a-rap.csv": (
        ["--kind", "criteria", "--level", "district", "--year-from", "2022"],
        check_arabic_district,
    ),
    "phu-luc-huyen-chu-cai.xlsx": ([], check_letters),
    "phu-luc-xa-la-ma.csv": (["--year-from", "2022"], check_roman_commune),
    "xep-loai-phan-tram.csv": (
        ["--set", "DEMO-XA-2020"],
        lambda con: (
            bands_of(con, "DEMO-XA-2020")
            == [
                ("XS", "Xuất sắc", 90),
                ("TOT", "Tốt", 80),
                ("KHA", "Khá", 70),
                ("TB", "Trung bình", 50),
                ("YEU", "Yếu", 0),
            ]
        ),
    ),
    "xep-loai-diem.xlsx": (
        ["--kind", "bands", "--set", "DEMO-HUYEN-2020"],
        lambda con: (
            bands_of(con, "DEMO-HUYEN-2020")
            == [("TOT", "Tốt", 85), ("KHA", "Khá", 70), ("TB", "Trung bình", 50), ("YEU", "Yếu", 0)]
        ),
    ),
    "co-quan.csv": (
        [],
        lambda con: (
            con.execute("SELECT name FROM offices WHERE code = 'TNMT'").fetchone()
            == ("Phòng Tài nguyên và Môi trường",)
        ),
    ),
    "co-quan-chu-tri.csv": (
        ["--set", "DEMO-HUYEN-2020"],
        lambda con: (
            dict(
                con.execute(
                    "SELECT code, office_code FROM criteria "
                    "WHERE set_code = 'DEMO-HUYEN-2020' AND code IN ('1.4', '6.2')"
                ).fetchall()
            )
            == {"1.4": "TTVHTT", "6.2": "TCKH"}
        ),
    ),
    "chi-tieu-2023.csv": ([], lambda con: target_rank_after(con, "042", 2023) == 5),
    "chi-so-hoat-dong-2022.xlsx": (
        [],
        lambda con: (
            con.execute(
                "SELECT value FROM indicators WHERE year = 2022 AND unit_code = '042' AND indicator = 'on_time_pct'"
            ).fetchone()
            == (98.5,)
        ),
    ),
    "ten-goi-khac.csv": ([], lambda con: resolve_unit(con, "H. Bảo Lâm") == "042"),
}

# file -> (extra CLI arguments, problem kind, fragments of its message: the place and the reason)
BAD_EXPECTED = {
    "phu-luc-con-lech-cha.csv": (
        [],
        "sum_mismatch",
        ["dòng 7", "cột 'Điểm tối đa'", "Điểm tối đa của mục 1 ghi 9,00", "được 9,50"],
    ),
    "phu-luc-trung-so.csv": ([], "duplicate", ["dòng 9", "cột 'STT'", "Số thứ tự 1.1 (mã 1.1) trùng với dòng 8"]),
    "phu-luc-nhay-so.csv": ([], "skipped", ["dòng 10", "cột 'STT'", "thiếu mục 1.3 trước 1.4"]),
    "phu-luc-thieu-cha.csv": ([], "orphan", ["dòng 14", "cột 'STT'", "Tiêu chí 2.3.1 không có mục cha 2.3"]),
    "phu-luc-diem-chu.csv": ([], "not_a_number", ["dòng 15", "cột 'Điểm tối đa'", "'hai' không phải là số"]),
    "phu-luc-diem-am.csv": ([], "not_positive", ["dòng 16", "cột 'Điểm tối đa'", "phải là số dương", "−3,00"]),
    "phu-luc-tong-lech.csv": ([], "total_mismatch", ["dòng 36", "cột 'Điểm tối đa'", "Dòng tổng ghi 95,00 điểm"]),
    "phu-luc-trung-nam.csv": (
        ["--year-from", "2019", "--code", "HUYEN-MOI"],
        "set_collision",
        ["dòng 7", "cột 'STT'", "DEMO-HUYEN-2020 đã áp dụng cho năm từ 2019"],
    ),
    "phu-luc-bo-roi-diem.csv": (
        ["--year-from", "2020"],
        "stranded_scores",
        [
            "dòng 8",
            "cột 'Điểm tối đa'",
            "98 dòng điểm đã lưu (năm 2020) không còn khớp",
            "tiêu chí 1.1 (2,68 điểm > tối đa 2,00)",
        ],
    ),
    "xep-loai-chong-nhau.csv": (
        ["--set", "DEMO-XA-2020"],
        "overlap",
        ["dòng 3", "cột 'Đến dưới (%)'", "Mức 'Khá' đến 85,00 chồng lên mức 'Tốt'"],
    ),
    "xep-loai-lon-xon.csv": (
        ["--set", "DEMO-XA-2020"],
        "unordered",
        ["dòng 4", "cột 'Từ (%)'", "Ngưỡng 65,00 của 'Khá' không theo thứ tự"],
    ),
    "chi-tieu-don-vi-khong-co.csv": (
        [],
        "unknown_unit",
        ["dòng 3", "cột 'Đơn vị'", "Không tìm thấy đơn vị 'Huyện Bảo Lâmm Lâm'", "có phải 'Huyện Bảo Lâm' (mã 042)?"],
    ),
    "chi-tieu-so-sanh-sai.csv": ([], "bad_comparator", ["dòng 2", "cột 'So sánh'", "Không hiểu phép so sánh 'khoảng'"]),
    "chi-so-khong-phai-so.csv": ([], "not_a_number", ["dòng 2", "cột 'Giá trị'", "'97 %x' không phải là số"]),
    "phu-luc-diem-qua-lon.csv": (
        [],
        "out_of_range",
        ["dòng 8", "cột 'Điểm tối đa'", "Điểm tối đa 1.000.000,00 vượt giới hạn 1.000 điểm", "từ trên 0 đến 1.000"],
    ),
    "phu-luc-diem-le.csv": ([], "too_many_decimals", ["dòng 9", "cột 'Điểm tối đa'", "2,0001 có quá 2 chữ số"]),
    "phu-luc-so-mo-ho.csv": (
        ["--year-from", "2026"],
        "ambiguous_number",
        ["dòng 8", "cột 'Điểm tối đa'", "'6.000' là 6000 nếu dấu '.' phân cách hàng nghìn", "là 6 nếu", "Ghi 6000"],
    ),
    "phu-luc-ten-qua-dai.csv": (
        [],
        "too_long",
        ["dòng 10", "cột 'Lĩnh vực/Tiêu chí/Tiêu chí thành phần'", "Tên dài 341 ký tự, vượt giới hạn 300 ký tự"],
    ),
    "phu-luc-windows-1258.csv": (
        ["--kind", "criteria"],
        "no_table",
        ["Không tìm thấy dòng tiêu đề", "không ở bảng mã UTF-8", "CSV UTF-8 (Comma delimited)"],
    ),
    "chi-tieu-nam-sai.csv": ([], "not_a_number", ["dòng 2", "cột 'Năm'", "'2O24' không phải là số"]),
}
# A summary printed as "{summary}." never shows an empty value: no "năm ." nor ": ." (issue #11's probe).
EMPTY_VALUE = re.compile(r"(năm|bộ|của|:)\s*$|\s[.,;:]|^\s|\s$")


def test_the_reference_corpus_is_complete_and_committed():
    assert set(GOOD_EXPECTED) == set(good_files()) and len(GOOD_EXPECTED) >= 8
    assert set(BAD_EXPECTED) == set(bad_files()) and len(BAD_EXPECTED) >= 12
    assert all((GOOD / n).is_file() for n in GOOD_EXPECTED) and all((BAD / n).is_file() for n in BAD_EXPECTED)
    for name, data in bad_files().items():  # the committed bad files are what the generator writes
        assert (BAD / name).read_bytes() == data, name


@pytest.mark.parametrize("name", sorted(GOOD_EXPECTED))
def test_a_good_reference_file_loads_what_it_holds(demo_store, name, capsys):
    args, check = GOOD_EXPECTED[name]
    code, out, err = run(["import", str(GOOD / name), *args, "--db", str(demo_store)], capsys)
    assert code == 0, err
    assert "Đã nạp lô #" in out
    assert read(demo_store, check)


@pytest.mark.parametrize("name", sorted(BAD_EXPECTED))
def test_a_bad_reference_file_is_refused_naming_row_and_column_and_changes_nothing(demo_store, name, capsys):
    args, kind, fragments = BAD_EXPECTED[name]
    before = snapshot_of(demo_store)
    code, out, _ = run(["import", str(BAD / name), *args, "--db", str(demo_store), "--format", "json"], capsys)
    assert code == 2
    result = json.loads(out)
    assert not result["ok"] and result["batch_id"] is None
    messages = [p["message"] for p in result["problems"] if p["kind"] == kind and p["severity"] == "error"]
    assert messages, [p["message"] for p in result["problems"]]
    assert all(fragment in messages[0] for fragment in fragments), messages[0]
    assert not EMPTY_VALUE.search(result["summary"]), result["summary"]
    assert snapshot_of(demo_store) == before


def test_a_header_of_another_kind_is_recognised_and_said(demo_store, capsys):
    code, _, err = run(
        ["import", str(GOOD / "xep-loai-phan-tram.csv"), "--set", "DEMO-XA-2020", "--db", str(demo_store)], capsys
    )
    assert code == 0
    assert "Nhận ra tệp xep-loai-phan-tram.csv là thang xếp loại (--kind bands)" in err


def test_dry_run_writes_nothing_and_shows_the_tree(demo_store, capsys):
    before = snapshot_of(demo_store)
    code, out, _ = run(
        ["import", str(GOOD / "phu-luc-huyen-so-a-rap.xlsx"), "--dry-run", "--db", str(demo_store)], capsys
    )
    assert code == 0 and "Chạy thử (--dry-run)" in out
    assert "Công tác chỉ đạo, điều hành cải cách hành chính" in out and "Áp dụng ISO 9001:2015" in out
    assert snapshot_of(demo_store) == before


def test_a_new_set_names_the_stored_years_it_takes_over(demo_con):
    data = (GOOD / "phu-luc-huyen-so-a-rap.xlsx").read_bytes()
    analysis = analyze_reference(
        demo_con, "criteria", "a.xlsx", data, ReferenceOptions(year_from=2021, code="HUYEN-2021")
    )
    assert analysis.ok and analysis.affected_years == []  # the demo has no 2021 district results
    stranding = analyze_reference(
        demo_con, "criteria", "a.xlsx", data, ReferenceOptions(year_from=2020, remove_stranded=True)
    )
    assert stranding.ok and stranding.affected_years == [2020]
    assert [p.kind for p in stranding.warnings if p.kind == "stranded_removed"] == ["stranded_removed"]


def test_the_criteria_command_prints_the_set_in_force(demo_store, capsys):
    code, out, _ = run(
        ["criteria", "--year", "2020", "--level", "commune", "--format", "json", "--db", str(demo_store)], capsys
    )
    rows = json.loads(out)
    assert code == 0 and set(rows[0]) == {
        "code",
        "parent_code",
        "name",
        "max_points",
        "office_code",
        "office_name",
        "depth",
    }
    fields = {r["code"]: r["max_points"] for r in rows if r["depth"] == 1}
    assert fields == {"1": 12, "2": 8, "3": 22, "4": 8, "5": 14, "6": 10, "7": 16, "8": 10}  # DESIGN.md's commune set
    code, out, _ = run(["criteria", "--set", "DEMO-HUYEN-2020", "--format", "csv", "--db", str(demo_store)], capsys)
    assert code == 0 and out.splitlines()[0] == "code,parent_code,name,max_points,office_code,office_name,depth"
    assert run(["criteria", "--set", "KHONG-CO", "--db", str(demo_store)], capsys)[0] == 2


TEMPLATE_OPTIONS = {
    "criteria": ReferenceOptions(year_from=2030, code="VI-DU-2030"),
    "bands": ReferenceOptions(set_code="DEMO-HUYEN-2020"),
    "ownership": ReferenceOptions(set_code="DEMO-HUYEN-2020"),
}


@pytest.mark.parametrize("kind", REFERENCE_KINDS)
def test_every_template_reads_back_through_its_importer(demo_con, kind):
    """What the Tệp mẫu tab offers, opened as the importer opens a user's file: no error, rows to load."""
    for name, data in ((f"{kind}.csv", reference_template_csv(kind)), (f"{kind}.xlsx", reference_template_xlsx(kind))):
        analysis = analyze_reference(demo_con, kind, name, data, TEMPLATE_OPTIONS.get(kind, ReferenceOptions()))
        assert analysis.ok, (name, [p.message for p in analysis.errors])
        assert analysis.row_count >= 1 and analysis.preview is not None


def test_control_characters_in_a_criterion_name_never_reach_the_store(tmp_path):
    import re

    from analytics.importing.reference import analyze_and_commit_reference
    from analytics.store import connect, init_empty_store

    store = tmp_path / "s.duckdb"
    init_empty_store(store, "04")
    annex = (
        "PHỤ LỤC\nBỘ TIÊU CHÍ CẤP HUYỆN\n\n"
        "STT,Lĩnh vực/Tiêu chí/Tiêu chí thành phần,Điểm tối đa,Cơ quan chủ trì,Ghi chú\n"
        '1,"Lĩnh vực\x00 A",50,,\n2,\x1b[31mLĩnh vực B\x1b[0m,50,,\n'
    ).encode()
    con = connect(store)
    try:
        options = ReferenceOptions(level="district", year_from=2026)
        analysis, batch_id = analyze_and_commit_reference(con, "criteria", "pl.csv", annex, options, "pytest")
        assert batch_id is not None, [p.message for p in analysis.errors]
        names = [n for (n,) in con.execute("SELECT name FROM criteria ORDER BY sort_order").fetchall()]
    finally:
        con.close()
    assert not [n for n in names if re.search("[\x00-\x1f\x7f-\x9f]", n)], names
    assert "Lĩnh vực A" in names and "[31mLĩnh vực B[0m" in names
