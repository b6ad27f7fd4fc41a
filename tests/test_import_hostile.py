"""Hostile files and names (issue #16), through the real CLI in a child process: each is refused (or
loaded with a named warning) with a message naming the problem, exit status 2 (0), no traceback, peak
memory under 1 GB and wall time under 30 s (measured with os.wait4), and every table unchanged."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analytics.formatting import fmt_int
from analytics.importing.read import NON_SPACE_CONTROLS
from analytics.store import connect
from tests.conftest import ROOT, snapshot_of
from tests.data.make_corpus import (
    HOSTILE,
    HOSTILE_FILES,
    TERMINAL_ATTACK,
    note_columns_bytes,
    numbered_rows_xlsx,
    unknown_units_bytes,
)

MAX_SECONDS = 30
MAX_PEAK_KB = 1024 * 1024
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# file -> (exit status, kind of the problem, fragments of its message)
PRINTABLE_ATTACK = NON_SPACE_CONTROLS.sub("", TERMINAL_ATTACK)
HOSTILE_EXPECTED = {
    "o-thua-XFD1048576.xlsx": (2, "too_large", ["ô XFD1048576", "ngoài giới hạn 100.000 dòng × 1.000 cột"]),
    "bom-nen.xlsx": (2, "too_large", ["xl/worksheets/sheet1.xml", "giải nén ra 255,9 MB", "vượt giới hạn 48,0 MB"]),
    "trieu-dong.xlsx": (2, "too_large", ["nén 411 lần", "vượt giới hạn 100 lần"]),
    "hai-trieu-dinh-dang.xlsx": (2, "too_large", ["xl/styles.xml", "(định dạng ô)", "vượt giới hạn 4,0 MB"]),
    "xml-sai.xlsx": (2, "unreadable", ["Tệp Excel bị hỏng hoặc được bảo vệ (nội dung XML không hợp lệ"]),
    "xml-cut.xlsx": (2, "unreadable", ["Tệp Excel bị hỏng hoặc được bảo vệ (nội dung XML không hợp lệ"]),
    "doctype-entity.xlsx": (2, "unreadable", ["Tệp Excel bị hỏng hoặc được bảo vệ", "DOCTYPE/ENTITY"]),
    "ky-tu-esc-trong-xml.xlsx": (2, "unreadable", ["Tệp Excel bị hỏng hoặc được bảo vệ"]),
    "zip-mat-khau.xlsx": (2, "encrypted", ["xl/worksheets/sheet1.xml", "được đặt mật khẩu"]),
    "deflate64.xlsx": (2, "unreadable", ["nén theo kiểu không hỗ trợ (mã 9)"]),
    "ma-hoa-mat-khau.xlsx": (2, "encrypted", ["Tệp Excel được đặt mật khẩu (mã hóa)"]),
    "cong-thuc-chua-tinh.xlsx": (
        2,
        "formula_without_value",
        ["80 ô công thức chưa có giá trị đã tính", "D2, E2", "và 70 ô khác"],
    ),
    "o-gop-du-lieu.xlsx": (2, "merged_data", ["Ô gộp D3:D4 trải trên ô dữ liệu"]),
    "dong-cot-an.xlsx": (0, "hidden_rows", ["1 dòng bị ẩn có dữ liệu: dòng 5"]),
    "trang-an-sau.xlsx": (0, "hidden_sheet", ["Trang 'Huyện 2021' bị ẩn sâu (very hidden"]),
    # read.clean drops the control characters from the cell: the message names what is left of it
    "esc-trong-o.csv": (2, "unknown_unit", ["dòng 4", f"Không tìm thấy đơn vị 'Huyện Bảo Lạc{PRINTABLE_ATTACK}'"]),
    "vuot-toi-da-0004.csv": (2, "above_maximum", ["dòng 6", "10,004 vượt điểm tối đa 10,00"]),
    "ky-tu-an-trong-ten.csv": (0, "hidden_marks", ["U+200B ZERO WIDTH SPACE", "'Bao⟨U+200B⟩ Lam'"]),
}


def run_cli(args: list[str], out: Path) -> tuple[int, str, float, int]:
    """(exit status, stdout + stderr, wall seconds, peak resident KB) of `python -m analytics args`."""
    start = time.monotonic()
    with out.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "analytics", *args], cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, out.read_text(encoding="utf-8"), time.monotonic() - start, usage.ru_maxrss


def assert_bounded_and_clean(text: str, seconds: float, peak_kb: int) -> None:
    assert seconds < MAX_SECONDS, seconds
    assert peak_kb < MAX_PEAK_KB, peak_kb
    assert "Traceback" not in text and not CONTROL.search(text.replace("\n", "").replace("\t", ""))


def test_the_hostile_corpus_is_complete_and_small_on_disk():
    assert set(HOSTILE_EXPECTED) == set(HOSTILE_FILES)
    sizes = {name: (HOSTILE / name).stat().st_size for name in HOSTILE_FILES}
    assert max(sizes.values()) < 1024 * 1024, sizes


@pytest.mark.parametrize("name", sorted(HOSTILE_EXPECTED))
def test_hostile_file_is_refused_or_warned_within_bounds(demo_store, tmp_path, name):
    status, kind, fragments = HOSTILE_EXPECTED[name]
    before = snapshot_of(demo_store)
    args = ["import", str(HOSTILE / name), "--db", str(demo_store), "--format", "json"]
    code, text, seconds, peak_kb = run_cli(args + (["--dry-run"] if status == 0 else []), tmp_path / "out.json")
    assert code == status, text[-2000:]
    assert_bounded_and_clean(text, seconds, peak_kb)
    report = json.loads(text)
    named = [p for p in report["problems"] if p["kind"] == kind]
    assert named and any(all(f in p["message"] for f in fragments) for p in named), [
        p["message"] for p in report["problems"]
    ]
    assert all(p["suggestion"] for p in named)
    assert snapshot_of(demo_store) == before


@pytest.mark.parametrize("name", ["esc-trong-o.csv", "o-thua-XFD1048576.xlsx", "xml-sai.xlsx"])
def test_the_table_format_prints_no_control_character_and_no_traceback(demo_store, tmp_path, name):
    code, text, seconds, peak_kb = run_cli(
        ["import", str(HOSTILE / name), "--db", str(demo_store)], tmp_path / "out.txt"
    )
    assert code == 2
    assert_bounded_and_clean(text, seconds, peak_kb)
    assert "\x1b" not in text and "Chưa nạp gì" in text


def test_a_file_of_unknown_units_gives_grouped_errors_quickly(demo_store, tmp_path):
    """4,9 MB, 125 641 unknown units: ten errors in full, one line for the rest, a short output."""
    path = tmp_path / "khong-co-don-vi.csv"
    path.write_bytes(unknown_units_bytes())
    rows = path.read_bytes().count(b"\n") - 1
    before = snapshot_of(demo_store)
    code, text, seconds, peak_kb = run_cli(["import", str(path), "--db", str(demo_store)], tmp_path / "out.txt")
    assert code == 2 and rows > 120_000
    assert_bounded_and_clean(text, seconds, peak_kb)
    assert f"Lỗi ({fmt_int(rows)}):" in text and text.count("Không tìm thấy đơn vị") == 11
    assert f"… và {fmt_int(rows - 10)} lỗi cùng loại như 'Không tìm thấy đơn vị" in text
    assert f"ở các dòng 12–{fmt_int(rows + 1)}." in text
    assert len(text.encode()) < 20_000
    assert snapshot_of(demo_store) == before


def test_16000_note_columns_give_one_grouped_warning_line(demo_store, tmp_path):
    path = tmp_path / "ghi-chu.csv"
    path.write_bytes(note_columns_bytes())
    code, text, seconds, peak_kb = run_cli(
        ["import", str(path), "--db", str(demo_store), "--dry-run"], tmp_path / "out.txt"
    )
    assert code == 0
    assert_bounded_and_clean(text, seconds, peak_kb)
    assert "Cảnh báo (16.000):" in text and "… và 15.990 cảnh báo cùng loại như 'Bỏ qua cột không nhận ra.'" in text
    assert len(text.encode()) < 20_000


def test_json_lists_the_first_thousand_problems_and_counts_them_all(demo_store, tmp_path):
    path = tmp_path / "khong-co-don-vi.csv"
    path.write_bytes(unknown_units_bytes(400_000))
    code, text, _, _ = run_cli(
        ["import", str(path), "--db", str(demo_store), "--format", "json"], tmp_path / "out.json"
    )
    report = json.loads(text)
    assert code == 2 and len(report["problems"]) == 1000
    assert report["problems_total"] == report["problem_counts"]["unknown_unit"] > 10_000


def test_scope_inference_is_linear_in_the_rows(tmp_path):
    """Names of communes of 300 districts (no single scope): inferred in seconds, refused with a message."""
    db, long_csv = tmp_path / "synth.duckdb", tmp_path / "codes.csv"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "analytics",
            "synth",
            "--db",
            str(db),
            "--units",
            "6000",
            "--districts",
            "300",
            "--provinces",
            "10",
            "--years",
            "1",
            "--criteria",
            "10",
            "--csv-level",
            "commune",
            "--csv",
            str(long_csv),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    con = connect(db, read_only=True)
    names = dict(con.execute("SELECT code, name FROM units").fetchall())
    con.close()
    lines = long_csv.read_text(encoding="utf-8").splitlines()
    named = tmp_path / "ten-xa.csv"
    named.write_text(
        "\n".join(
            ["year,unit,criterion,points"]
            + [",".join([y, names[u.strip('"')], c, p]) for y, u, c, p in (line.split(",") for line in lines[1:])]
        ),
        encoding="utf-8",
    )
    code, text, seconds, peak_kb = run_cli(["import", str(named), "--db", str(db), "--dry-run"], tmp_path / "o.txt")
    assert len(lines) > 50_000 and code == 2
    assert_bounded_and_clean(text, seconds, peak_kb)
    assert "khớp với nhiều cấp hoặc nhiều đơn vị cha" in text


@pytest.mark.parametrize(
    "option",
    [["--year", "3000000000"], ["--max-mb", "nan"], ["--max-mb", "inf"], ["--max-mb", "0"], ["--year", "20x1"]],
)
def test_bad_options_are_refused_before_anything_runs(demo_store, tmp_path, option):
    before = snapshot_of(demo_store)
    sample = ROOT / "data" / "samples" / "ket-qua-huyen-2021.csv"
    code, text, _, _ = run_cli(["import", str(sample), "--db", str(demo_store), *option], tmp_path / "out.txt")
    assert code == 2 and "Traceback" not in text
    assert f"argument {option[0]}" in text and len(text.strip().splitlines()) == 1
    assert snapshot_of(demo_store) == before


FORMULA_NAME = "=cmd|' -C calc'!A0 2021.csv"
ESCAPE_NAME = "\x1b]0;pwned\x07ket-qua\x1b[2J\x1b[32m 2021.csv"


@pytest.mark.parametrize("file_name", [FORMULA_NAME, ESCAPE_NAME])
def test_a_hostile_file_name_is_stored_clean_and_replayed_safely(demo_store, tmp_path, file_name):
    path = tmp_path / file_name
    path.write_bytes((ROOT / "data" / "samples" / "ket-qua-huyen-2021.csv").read_bytes())
    code, text, _, _ = run_cli(["import", str(path), "--db", str(demo_store)], tmp_path / "import.txt")
    assert code == 0 and not CONTROL.search(text.replace("\n", ""))
    con = connect(demo_store, read_only=True)
    stored = con.execute("SELECT source_name FROM batches WHERE kind = 'import'").fetchone()[0]
    con.close()
    assert not CONTROL.search(stored) and "/" not in stored
    for fmt in ("table", "csv", "json"):
        code, text, _, _ = run_cli(["history", "--db", str(demo_store), "--format", fmt], tmp_path / f"h.{fmt}")
        assert code == 0 and not CONTROL.search(text.replace("\n", "")), fmt
    csv_cells = [cell for line in text_of(tmp_path / "h.csv").splitlines() for cell in split_csv(line)]
    assert not [c for c in csv_cells if c[:1] in ("=", "+", "-", "@")], csv_cells
    if file_name == FORMULA_NAME:
        assert stored == FORMULA_NAME and "'=cmd|' -C calc'!A0 2021.csv" in text_of(tmp_path / "h.csv")


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def split_csv(line: str) -> list[str]:
    import csv

    return next(csv.reader([line]))


def test_hidden_marks_are_removed_before_matching_and_each_name_is_warned_once(demo_con):
    from analytics.importing import ImportOptions, analyze
    from tests.data.make_corpus import GOOD

    clean = analyze(demo_con, "a.csv", (GOOD / "huyen-2021-long-english.csv").read_bytes(), ImportOptions())
    marked = analyze(demo_con, "b.csv", (HOSTILE / "ky-tu-an-trong-ten.csv").read_bytes(), ImportOptions())
    assert clean.ok and marked.ok and marked.rows == clean.rows
    warned = [p for p in marked.warnings if p.kind == "hidden_marks"]
    assert [p.value for p in warned] == ["Bao⟨U+200B⟩ Lam", "Ba⟨U+034F⟩o Lac", "H⟨U+0336⟩a Lang"]
    assert "dòng 11–19" in warned[0].message and not clean.warnings


def test_a_sheet_of_1048576_numbered_rows_stops_at_the_row_limit(demo_store, tmp_path):
    """Unlike trieu-dong.xlsx (refused by its compression ratio), these rows pass the zip checks: the
    sheet is streamed and refused at the first value past row 100.000, by its address."""
    path = tmp_path / "trieu-dong-danh-so.xlsx"
    path.write_bytes(numbered_rows_xlsx())
    assert path.stat().st_size < 5 * 1024 * 1024
    code, text, seconds, peak_kb = run_cli(["import", str(path), "--db", str(demo_store)], tmp_path / "out.txt")
    assert code == 2
    assert_bounded_and_clean(text, seconds, peak_kb)
    assert "có giá trị ở ô A100001 (dòng 100.001, cột 1), ngoài giới hạn 100.000 dòng × 1.000 cột" in text


@pytest.mark.parametrize(
    ("limit", "value", "message"),
    [
        ("MAX_AREA", 50, "trải trên 11 dòng × 13 cột = 143 ô, vượt giới hạn 50 ô"),
        ("MAX_XML_ELEMENTS", 100, "có hơn 100 phần tử (ô, dòng, kể cả ô trống có định dạng), vượt giới hạn"),
    ],
)
def test_the_area_and_element_limits_name_themselves(monkeypatch, limit, value, message):
    """The same limits at a size a clean table passes, lowered so that it does not."""
    from analytics.importing import workbook
    from analytics.importing.problems import FileProblem
    from tests.data.make_corpus import table_workbook, xlsx_bytes

    data = xlsx_bytes(table_workbook())
    assert len(workbook.read_workbook(data)[0].rows) == 11
    monkeypatch.setattr(workbook, limit, value)
    with pytest.raises(FileProblem) as refused:
        workbook.read_workbook(data)
    assert message in refused.value.reason and refused.value.kind == "too_large"


def test_hostile_text_files_are_regenerated_identically():
    for name, make in HOSTILE_FILES.items():
        if name.endswith(".csv"):
            assert (HOSTILE / name).read_bytes() == make(), name
