"""The pure parts of the import: reading bytes, numbers, headers; the password hash and slow-down;
templates that read back through the importer."""

from __future__ import annotations

import codecs
import hashlib
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics import settings
from analytics.auth import (
    Throttle,
    delay_after,
    hash_password,
    try_password,
    verify_password,
)
from analytics.importing import ImportOptions, analyze, commit_import, template_csv, template_xlsx
from analytics.importing.formats import classify, find_layout
from analytics.importing.read import decode_text, detect_separator, parse_number, read_file
from analytics.rankings import rankings
from analytics.settings import editor_password_hash
from tests.data.make_corpus import to_cp1258

TABLE = "Tên đơn vị;Lĩnh vực 1;Tổng điểm\nHuyện Hòa An;7,90;85,02\n"


@pytest.mark.parametrize(
    "encode, encoding",
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: t.encode("utf-16"), "utf-16"),
        (lambda t: t.encode("utf-16-le"), "utf-16-le"),
        (to_cp1258, "cp1258"),
    ],
)
def test_every_accepted_encoding_reads_the_same_nfc_text(encode, encoding):
    text, found = decode_text(encode(TABLE))
    assert (text, found) == (TABLE, encoding)


@pytest.mark.parametrize(
    "text, separator",
    [
        ("a;b;c\n1,5;2,5;3\n", ";"),
        ("a,b,c\n1.5,2.5,3\n", ","),
        ("a\tb\tc\n1,5\t2\t3\n", "\t"),
        ('TIÊU ĐỀ, NĂM 2021\na,b\n"1,5","2,5"\n', ","),
    ],
)
def test_separator_detection(text, separator):
    assert detect_separator(text) == separator


@pytest.mark.parametrize(
    "cell, decimal, value",
    [
        ("73,79", ",", 73.79),
        ("73.79", ",", 73.79),
        ("73.79", ".", 73.79),
        ("1.234,5", ",", 1234.5),
        ("1,234.5", ".", 1234.5),
        ("1.234", ",", 1234.0),
        ("1,234", ".", 1234.0),
        (" 8 ", ",", 8.0),
        ("−1,5", ",", -1.5),
        (13.4, ",", 13.4),
        (None, ",", None),
        ("1.234.567", ",", 1234567.0),
    ],
)
def test_numbers_as_files_write_them(cell, decimal, value):
    assert parse_number(cell, decimal) == value


@pytest.mark.parametrize("cell", ["8,O9", "abc", "nan", "inf", "1,2,3", "7 điểm"])
def test_what_is_not_a_number(cell):
    with pytest.raises(ValueError):
        parse_number(cell, ",")


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_a_two_decimal_point_value_reads_back_in_both_styles(value):
    text = f"{value:.2f}"
    assert parse_number(text.replace(".", ","), ",") == float(text) == parse_number(text, ".")


@pytest.mark.parametrize(
    "label, role, code",
    [
        ("Năm", "year", None),
        ("STT", "stt", None),
        ("Mã đơn vị", "unit_code", None),
        ("TÊN ĐƠN VỊ", "unit", None),
        ("Lĩnh vực 3", "node", "3"),
        ("LV 7", "node", "7"),
        ("Lĩnh vực IV", "node", "4"),
        ("3.1 (tối đa 3)", "node", "3.1"),
        ("1. Công tác chỉ đạo, điều hành CCHC", "node", "1"),
        ("Tổng điểm", "total", None),
        ("Chỉ số", "total", None),
        ("Xếp hạng", "rank", None),
        ("Hạng", "rank", None),
        ("Điểm tự chấm", "self_points", None),
        ("Ghi chú", "ignore", None),
        ("Cột lạ", None, None),
    ],
)
def test_header_vocabulary(label, role, code):
    assert classify(label, set()) == (role, code)


def test_a_two_row_header_under_merged_cells_and_a_numbering_row():
    data = (
        "BẢNG KẾT QUẢ NĂM 2021\n\nSTT;Đơn vị;Điểm các lĩnh vực;;Tổng điểm\nSTT;Đơn vị;1;2;Tổng điểm\n"
        "(1);(2);(3);(4);(5)\n1;Hòa An;7,90;5,07;12,97\n\nNgười lập biểu\n"
    ).encode()
    sheet = read_file("a.csv", data).sheets[0]
    layout = find_layout(sheet, set())
    assert [(c.role, c.code) for c in layout.columns] == [
        ("stt", None),
        ("unit", None),
        ("node", "1"),
        ("node", "2"),
        ("total", None),
    ]
    assert (layout.kind, layout.header_line, layout.title) == ("table", 4, "BẢNG KẾT QUẢ NĂM 2021")
    assert [(r.line, r.after_gap) for r in layout.rows] == [(6, False), (8, True)]


# --- who may write -----------------------------------------------------------------------------


def test_the_hash_is_salted_and_verifies_only_the_password():
    first, second = hash_password("mật khẩu dài"), hash_password("mật khẩu dài")
    assert first != second and first.startswith("scrypt$16384$8$1$")
    assert "mật khẩu" not in first
    assert verify_password("mật khẩu dài", first) and verify_password("mật khẩu dài", second)
    assert not verify_password("mật khẩu sai", first)
    assert not verify_password("mật khẩu dài", None) and not verify_password("x", "rác$1$2")


def test_pbkdf2_hashes_are_accepted_too():
    salt = b"0123456789abcdef"
    key = hashlib.pbkdf2_hmac("sha256", b"secret-pass", salt, 1000)
    stored = f"pbkdf2_sha256$1000${salt.hex()}${key.hex()}"
    assert verify_password("secret-pass", stored) and not verify_password("secret-pasS", stored)


def test_repeated_wrong_passwords_wait_longer_and_longer():
    stored, throttle, now = hash_password("dung-mat-khau"), Throttle(), 1000.0
    waits = []
    for _ in range(5):
        ok, throttle, message = try_password("sai", stored, throttle, now)
        assert not ok and "Sai mật khẩu" in message
        waits.append(throttle.wait(now))
        now += throttle.wait(now)
    assert waits == [1, 2, 4, 8, 16]
    assert delay_after(30) == 300
    refused = try_password("dung-mat-khau", stored, throttle.failed(now), now)
    assert refused[0] is False and "vui lòng đợi 32 giây" in refused[2]
    ok, after, _ = try_password("dung-mat-khau", stored, throttle, now)
    assert ok and after == Throttle()


def test_the_hash_comes_from_secrets_then_the_environment(monkeypatch):
    monkeypatch.setenv(settings.EDITOR_PASSWORD_HASH.name, "scrypt$b")
    assert editor_password_hash({settings.EDITOR_HASH_SECRET: "scrypt$a"}) == "scrypt$a"
    assert editor_password_hash({}) == "scrypt$b"
    monkeypatch.setenv(settings.EDITOR_PASSWORD_HASH.name, "")
    assert editor_password_hash({}) is None


def test_hash_password_cli(capsys, monkeypatch):
    from analytics.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-bien-tap\n"))
    assert main(["hash-password", "--stdin"]) == 0
    out = capsys.readouterr()
    hashed = out.out.strip()
    assert verify_password("mat-khau-bien-tap", hashed) and "editor_password_hash" in out.err
    monkeypatch.setattr("sys.stdin", io.StringIO("ngan\n"))
    assert main(["hash-password", "--stdin"]) == 2


# --- templates -------------------------------------------------------------------------------


def test_the_xlsx_template_lists_units_criteria_maxima_and_validates_the_range(demo_con):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(template_xlsx(demo_con, 2021, "district", "04")))
    ws = wb.active
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert rows[0] == ("Năm", "Mã đơn vị", "Tên đơn vị", "Mã tiêu chí", "Tên tiêu chí", "Điểm tối đa", "Điểm")
    assert len(rows) - 1 == 10 * 29  # ten districts × the 29 criteria under the eight fields
    assert rows[1][:6] == (2021, "040", "Thành phố Cao Bằng", "1.1", "Kế hoạch CCHC năm", 3)
    rule = ws.data_validations.dataValidation[0]
    assert (rule.type, rule.operator, rule.formula1, rule.formula2) == ("decimal", "between", "0", "F4")
    assert str(rule.sqref) == "G4:G293"


def test_a_filled_template_imports_and_its_totals_are_the_sums(demo_con):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(template_xlsx(demo_con, 2021, "commune", "042")))
    ws = wb.active
    for row in ws.iter_rows(min_row=4):
        row[6].value = round(row[5].value * 0.75, 2)
    buffer = io.BytesIO()
    wb.save(buffer)
    analysis = analyze(demo_con, "mau-xa-2021.xlsx", buffer.getvalue(), ImportOptions())
    assert analysis.ok, [p.message for p in analysis.errors]
    commit_import(demo_con, analysis, "pytest")
    totals = rankings(demo_con, 2021, "commune", "042").total.round(2)
    assert len(totals) == 13 and (totals == 75.0).all()


def test_the_csv_template_has_a_bom_and_decimal_commas(demo_con):
    data = template_csv(demo_con, 2021, "district", "04")
    assert data.startswith(codecs.BOM_UTF8)
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Năm,Mã đơn vị,Tên đơn vị,Mã tiêu chí,Tên tiêu chí,Điểm tối đa,Điểm"
    assert lines[1] == '2021,040,Thành phố Cao Bằng,1.1,Kế hoạch CCHC năm,"3,0",'
    assert len(lines) == 1 + 290


def test_an_unfilled_template_is_refused_cell_by_cell(demo_con):
    analysis = analyze(demo_con, "mau.csv", template_csv(demo_con, 2021, "district", "04"), ImportOptions())
    assert analysis.rows == [] and not analysis.ok


def test_the_secrets_example_holds_no_secret_and_the_real_file_is_ignored():
    import subprocess
    import tomllib

    from tests.conftest import ROOT

    example = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8"))
    assert set(example) == {"editor_password_hash"} and "<salt-hex>" in example["editor_password_hash"]
    assert not verify_password("", example["editor_password_hash"])
    ignored = subprocess.run(["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=ROOT)
    assert ignored.returncode == 0
