"""The import corpus (tests/data/): every good file loads to the same numbers; every bad file is
refused with a message naming the problem and its place, a non-zero exit, and a store whose every
table is unchanged (tests/conftest.py snapshot)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analytics.cli import main
from analytics.importing import ImportOptions, analyze
from analytics.importing.read import MAX_FILE_BYTES
from analytics.rankings import rankings
from analytics.store import connect
from tests.conftest import ROOT, snapshot
from tests.data.make_corpus import BAD, BAD_FILES, COMMUNE_TOTALS_2021, GOOD, GOOD_FILES, district_2021, oversize_bytes

DISTRICT_TOTALS_2021 = {r["code"]: r["total"] / 100 for r in district_2021()}

# file -> (options, level, parent, score rows stored, encoding, separator)
GOOD_EXPECTED = {
    "huyen-2021-bang-tinh-tieu-de.xlsx": ({}, "district", "04", 80, None, None),
    "huyen-2021-long-english.csv": ({}, "district", "04", 90, "utf-8", ","),
    "huyen-2021-tieu-chi.xlsx": ({}, "district", "04", 370, None, None),
    "huyen-tong-diem-utf16.txt": ({"year": 2021}, "district", "04", 10, "utf-16", "\t"),
    "xa-2021-cp1258-dai.csv": ({}, "commune", "042", 208, "cp1258", ","),
    "xa-2021-tong-diem.xlsx": ({}, "commune", "042", 13, None, None),
    "xa-2021-utf8-bom-cham-phay.csv": ({}, "commune", "042", 104, "utf-8-sig", ";"),
}

# file -> (kind, fragments the message must contain: the problem and its place)
BAD_EXPECTED = {
    "don-vi-khong-co.csv": (
        "unknown_unit",
        ["dòng 4", "cột 'Tên đơn vị'", "Không tìm thấy đơn vị 'Huyện Bảo Lacc'", "Có phải 'Huyện Bảo Lạc' (mã 043)?"],
    ),
    "tieu-chi-khong-co.csv": ("unknown_criterion", ["dòng 5", "cột 'Mã tiêu chí'", "Không tìm thấy tiêu chí '3.9'"]),
    "khong-phai-so.csv": ("not_a_number", ["dòng 3", "cột 'Lĩnh vực 3'", "'8,O9' không phải là số"]),
    "diem-am.csv": ("negative", ["dòng 5", "cột 'Lĩnh vực 4'", "Điểm âm (−1,50)"]),
    "vuot-toi-da.csv": ("above_maximum", ["dòng 6", "cột 'Lĩnh vực 1'", "12,50 vượt điểm tối đa 10,00"]),
    "trung-dong.csv": (
        "duplicate",
        ["dòng 12", "cột 'Tên đơn vị'", "Huyện Bảo Lâm xuất hiện lần nữa (đã có ở dòng 3)"],
    ),
    "linh-vuc-lech-tieu-chi.csv": (
        "field_mismatch",
        ["dòng 14", "cột 'Điểm'", "Điểm lĩnh vực 3 của Huyện Bảo Lâm ghi 11,70", "cộng các tiêu chí con được 11,50"],
    ),
    "tong-lech-linh-vuc.csv": (
        "total_mismatch",
        ["dòng 3", "cột 'Tổng điểm'", "ghi 79,95", "cộng các lĩnh vực được 79,85"],
    ),
    "xep-hang-sai.csv": ("rank_mismatch", ["dòng 3", "cột 'Xếp hạng'", "Xếp hạng ghi 5", "Huyện Bảo Lâm xếp thứ 6/10"]),
    "nam-ngoai-khoang.csv": ("year_range", ["dòng 2", "cột 'Năm'", "Năm 1921 nằm ngoài khoảng hợp lệ"]),
    "rong.csv": ("empty", ["tệp rong.csv", "Tệp rỗng"]),
    "khong-co-trang-dung-duoc.xlsx": (
        "no_table",
        ["tệp khong-co-trang-dung-duoc.xlsx", "Không có trang tính nào dùng được"],
    ),
    "thieu-nam.csv": ("missing_year", ["dòng 2", "Không xác định được năm"]),
    "o-trong.csv": ("missing_value", ["dòng 8", "cột 'Lĩnh vực 7'", "Thiếu điểm lĩnh vực 7"]),
    "ma-ten-khong-khop.csv": (
        "unit_mismatch",
        ["dòng 4", "cột 'Tên đơn vị'", "Mã đơn vị 042 là 'Huyện Bảo Lâm' nhưng tên ghi 'Huyện Bảo Lạc'"],
    ),
    "xa-trong-bang-huyen.csv": (
        "unknown_unit",
        ["dòng 10", "cột 'Tên đơn vị'", "Không tìm thấy đơn vị 'Xã Lý Bôn'", "cấp huyện thuộc Tỉnh Cao Bằng"],
    ),
    "excel-cu.xls": ("unsupported", ["tệp excel-cu.xls", "(.xls) chưa được hỗ trợ"]),
    "excel-hong.xlsx": ("unreadable", ["tệp excel-hong.xlsx", "Không đọc được tệp Excel"]),
    "chi-co-tieu-de.csv": ("no_data", ["dòng 1", "Không có dòng dữ liệu nào"]),
    "khong-co-bang.csv": ("no_table", ["tệp khong-co-bang.csv", "Không tìm thấy dòng tiêu đề"]),
}


def test_the_corpus_is_complete_and_committed():
    assert set(GOOD_EXPECTED) == set(GOOD_FILES) and len(GOOD_FILES) >= 6
    assert set(BAD_EXPECTED) == set(BAD_FILES) and len(BAD_FILES) >= 15
    assert all((GOOD / n).is_file() for n in GOOD_FILES) and all((BAD / n).is_file() for n in BAD_FILES)
    kinds = {kind for kind, _ in BAD_EXPECTED.values()} | {"too_large"}  # too_large is made at test time
    assert {
        "unknown_unit",
        "unknown_criterion",
        "not_a_number",
        "negative",
        "above_maximum",
        "duplicate",
        "field_mismatch",
        "total_mismatch",
        "rank_mismatch",
        "year_range",
        "empty",
        "too_large",
        "no_table",
    } <= kinds


def test_bad_files_are_regenerated_identically():
    """The committed bad files are what make_corpus.py writes (text and byte files only)."""
    for name, make in BAD_FILES.items():
        if not name.endswith(".xlsx") or name == "excel-hong.xlsx":
            assert (BAD / name).read_bytes() == make(), name


@pytest.mark.parametrize("name", sorted(GOOD_EXPECTED))
def test_good_file_loads_the_numbers_it_holds(demo_store, name):
    options, level, parent, row_count, encoding, separator = GOOD_EXPECTED[name]
    analysis = stored(demo_store, lambda con: analyze(con, name, (GOOD / name).read_bytes(), ImportOptions(**options)))
    assert [p.message for p in analysis.errors] == []
    assert (len(analysis.rows), analysis.encoding, analysis.separator) == (row_count, encoding, separator)
    assert analysis.preview.new_years == [2021]
    assert main(["import", str(GOOD / name), "--db", str(demo_store)] + year_args(options)) == 0
    ranking = stored(demo_store, lambda con: rankings(con, 2021, level, parent))
    totals = ranking.set_index("unit_code").total.round(2).to_dict()
    expected = DISTRICT_TOTALS_2021 if level == "district" else COMMUNE_TOTALS_2021
    assert totals == expected


def stored(path, fn):
    """Run fn on a connection that is closed again, so that the CLI can open the store itself."""
    con = connect(path)
    try:
        return fn(con)
    finally:
        con.close()


def year_args(options: dict) -> list[str]:
    return ["--year", str(options["year"])] if "year" in options else []


def test_district_table_gives_bao_lam_79_85_rank_6_of_10(demo_store):
    name = "huyen-2021-bang-tinh-tieu-de.xlsx"
    assert main(["import", str(GOOD / name), "--db", str(demo_store)]) == 0
    ranking = stored(demo_store, lambda con: rankings(con, 2021, "district", "04"))
    row = ranking.set_index("unit_code").loc["042"]
    assert (round(row.total, 2), int(row["rank"]), int(row.rank_of)) == (79.85, 6, 10)
    fields = stored(
        demo_store,
        lambda con: dict(
            con.execute("SELECT criterion_code, points FROM scores WHERE year = 2021 AND unit_code = '042'").fetchall()
        ),
    )
    assert sorted(fields) == [str(i) for i in range(1, 9)]  # fields only: the total is not stored twice


def test_notes_spellings_reach_their_units(demo_store):
    """'TT Pác Miều', 'Hoà An' in NFD, 'TP Cao Bằng', 'THẠCH AN', 'H. Hạ Lang' all find their unit."""
    for name in ("xa-2021-utf8-bom-cham-phay.csv", "huyen-2021-bang-tinh-tieu-de.xlsx"):
        assert main(["import", str(GOOD / name), "--db", str(demo_store)]) == 0
    have = stored(
        demo_store,
        lambda con: {r[0] for r in con.execute("SELECT DISTINCT unit_code FROM scores WHERE year = 2021").fetchall()},
    )
    assert {"01290", "051", "040", "053", "048", "049"} <= have


@pytest.mark.parametrize("name", sorted(BAD_EXPECTED))
def test_bad_file_is_refused_with_its_place_and_nothing_changes(demo_store, capsys, name):
    kind, fragments = BAD_EXPECTED[name]
    before = stored(demo_store, snapshot)
    status = main(["import", str(BAD / name), "--db", str(demo_store), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert status != 0 and report["ok"] is False and report["batch_id"] is None
    assert {p["kind"] for p in errors} == {kind}
    assert any(all(f in p["message"] for f in fragments) for p in errors), [p["message"] for p in errors]
    assert all(p["suggestion"] for p in errors)
    assert stored(demo_store, snapshot) == before


def test_a_file_over_the_size_limit_is_refused(demo_store, tmp_path, capsys):
    path = tmp_path / "qua-lon.csv"
    path.write_bytes(oversize_bytes(MAX_FILE_BYTES))
    before = stored(demo_store, snapshot)
    assert main(["import", str(path), "--db", str(demo_store)]) == 2
    err = capsys.readouterr().err
    assert "tệp qua-lon.csv: Tệp dung lượng 5,0 MB, vượt giới hạn 5,0 MB" in err
    assert stored(demo_store, snapshot) == before


def test_the_table_format_lists_every_problem_on_stderr(demo_store, capsys):
    assert main(["import", str(BAD / "nam-ngoai-khoang.csv"), "--db", str(demo_store)]) == 2
    err = capsys.readouterr().err
    assert "Lỗi (10):" in err
    assert all(f"dòng {n}, cột 'Năm': Năm 1921" in err for n in range(2, 12))
    assert "Chưa nạp gì" in err


def test_existing_year_needs_replace(demo_store, capsys):
    sample = str(ROOT / "data" / "samples" / "ket-qua-huyen-2021.csv")
    db = str(demo_store)
    assert main(["import", sample, "--db", db]) == 0
    before = stored(demo_store, snapshot)
    capsys.readouterr()
    assert main(["import", sample, "--db", db]) == 2
    err = capsys.readouterr().err
    assert "Huyện Bảo Lâm đã có dữ liệu năm 2021 trong kho" in err and "--replace" in err
    assert stored(demo_store, snapshot) == before
    assert main(["import", sample, "--db", db, "--replace"]) == 0


def test_year_option_conflicting_with_the_year_column(demo_con):
    data = (ROOT / "data" / "samples" / "ket-qua-huyen-2021.csv").read_bytes()
    analysis = analyze(demo_con, "a.csv", data, ImportOptions(year=2020))
    assert {p.kind for p in analysis.errors} == {"year_conflict"}
    assert "Năm trong tệp (2021) khác năm đã chọn (2020)" in analysis.errors[0].message


def test_the_real_cli_exits_non_zero_and_writes_nothing(demo_store):
    before = stored(demo_store, snapshot)
    result = subprocess.run(
        [sys.executable, "-m", "analytics", "import", str(BAD / "diem-am.csv"), "--db", str(demo_store)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "tệp diem-am.csv, dòng 5, cột 'Lĩnh vực 4': Điểm âm (−1,50)" in result.stderr
    assert stored(demo_store, snapshot) == before


def test_both_shipped_samples_are_stored_as_illustrative(demo_store):
    """The samples say of themselves "DỮ LIỆU MINH HỌA", so their rows carry the demo flag."""
    for sample in ("ket-qua-huyen-2021.csv", "ket-qua-huyen-2021.xlsx"):
        assert main(["import", str(ROOT / "data" / "samples" / sample), "--db", str(demo_store), "--replace"]) == 0
        con = connect(demo_store, read_only=True)
        flags = con.execute("SELECT DISTINCT is_demo FROM scores WHERE year = 2021").fetchall()
        con.close()
        assert flags == [(True,)], sample
