"""The official register of Cao Bằng before and after the 2025 reform, as data/register/build_register.py writes it.

The expected lineages are the table of issue #12 (the official 2025 arrangement of Huyện Bảo Lâm's communes).
"""

from __future__ import annotations

import csv
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "data" / "register" / "build_register.py"
REGISTER = ROOT / "data" / "register" / "04"
LAST_DAY_BEFORE = "2025-06-30"
FIRST_DAY_AFTER = "2025-07-01"

# Issue #12: new commune (code, name) -> the old communes it was formed from (code, name).
BAO_LAM_LINEAGE = {
    ("01290", "Xã Bảo Lâm"): {("01290", "Thị trấn Pác Miầu"), ("01309", "Xã Vĩnh Phong"), ("01312", "Xã Mông Ân")},
    ("01294", "Xã Lý Bôn"): {("01294", "Xã Lý Bôn"), ("01300", "Xã Vĩnh Quang")},
    ("01297", "Xã Nam Quang"): {("01296", "Xã Nam Cao"), ("01297", "Xã Nam Quang")},
    ("01304", "Xã Quảng Lâm"): {("01303", "Xã Quảng Lâm"), ("01304", "Xã Thạch Lâm")},
    ("01318", "Xã Yên Thổ"): {("01315", "Xã Thái Học"), ("01316", "Xã Thái Sơn"), ("01318", "Xã Yên Thổ")},
    ("01324", "Xã Cốc Pàng"): {("01291", "Xã Đức Hạnh"), ("01324", "Xã Cốc Pàng")},
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def units() -> list[dict[str, str]]:
    return read_csv(REGISTER / "unit_versions.csv")


@pytest.fixture(scope="module")
def lineage() -> list[dict[str, str]]:
    return read_csv(REGISTER / "unit_lineage.csv")


def valid_on(unit: dict[str, str], day: str) -> bool:
    return (unit["valid_from"] or day) <= day <= (unit["valid_to"] or day)


def in_force(units, day: str, level: str) -> list[dict[str, str]]:
    return [unit for unit in units if unit["level"] == level and valid_on(unit, day)]


def version(units, code: str, day: str) -> dict[str, str]:
    (found,) = [unit for unit in units if unit["code"] == code and valid_on(unit, day)]
    return found


def run_script(*args: str, python_flags: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *python_flags, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


# --- the register before and after 1 July 2025 ------------------------------------------------------------


def test_cao_bang_has_10_districts_and_161_communes_on_30_june_2025(units):
    districts = in_force(units, LAST_DAY_BEFORE, "district")
    communes = in_force(units, LAST_DAY_BEFORE, "commune")
    assert len(districts) == 10 and {d["parent_code"] for d in districts} == {"04"}
    assert len(communes) == 161
    assert {c["parent_code"] for c in communes} == {d["code"] for d in districts}
    assert version(units, "042", LAST_DAY_BEFORE)["name"] == "Huyện Bảo Lâm"
    assert sorted(c["name"] for c in communes if c["parent_code"] == "042") == sorted(
        name for olds in BAO_LAM_LINEAGE.values() for code, name in olds if code != "01324"
    )


def test_cao_bang_has_56_communes_and_wards_under_the_province_from_1_july_2025(units):
    communes = in_force(units, FIRST_DAY_AFTER, "commune")
    assert len(communes) == 56
    assert {c["parent_code"] for c in communes} == {"04"}
    assert sorted(c["kind"] for c in communes).count("phường") == 3
    assert sorted(c["kind"] for c in communes).count("xã") == 53
    assert in_force(units, FIRST_DAY_AFTER, "district") == []
    assert [p["name"] for p in in_force(units, FIRST_DAY_AFTER, "province")] == ["Tỉnh Cao Bằng"]


def test_the_six_lineages_of_bao_lam_are_exactly_the_issue_table(units, lineage):
    def name(code, valid_from):
        (unit,) = [u for u in units if u["code"] == code and u["valid_from"] == valid_from]
        return unit["name"]

    for (new_code, new_name), expected in BAO_LAM_LINEAGE.items():
        rows = [row for row in lineage if row["to_code"] == new_code and row["to_valid_from"] == FIRST_DAY_AFTER]
        assert name(new_code, FIRST_DAY_AFTER) == new_name
        assert {(row["from_code"], name(row["from_code"], row["from_valid_from"])) for row in rows} == expected
        assert {(row["date"], row["kind"]) for row in rows} == {(FIRST_DAY_AFTER, "merged_into")}


def test_bao_lam_communes_all_went_into_those_six(units, lineage):
    bao_lam = {c["code"] for c in in_force(units, LAST_DAY_BEFORE, "commune") if c["parent_code"] == "042"}
    successors = {row["to_code"] for row in lineage if row["from_code"] in bao_lam and row["from_valid_from"] == ""}
    assert successors == {code for code, _ in BAO_LAM_LINEAGE}


@pytest.mark.parametrize(
    ("code", "before", "after"),
    [
        ("01290", "Thị trấn Pác Miầu", "Xã Bảo Lâm"),
        ("01304", "Xã Thạch Lâm", "Xã Quảng Lâm"),
        ("01294", "Xã Lý Bôn", "Xã Lý Bôn"),
    ],
)
def test_a_reused_code_resolves_to_the_unit_of_the_year(units, code, before, after):
    old, new = version(units, code, "2020-12-31"), version(units, code, "2025-12-31")
    assert (old["name"], old["parent_code"], old["valid_to"]) == (before, "042", LAST_DAY_BEFORE)
    assert (new["name"], new["parent_code"], new["valid_from"]) == (after, "04", FIRST_DAY_AFTER)
    assert version(units, code, LAST_DAY_BEFORE) == old and version(units, code, FIRST_DAY_AFTER) == new


def test_every_code_names_at_most_one_unit_on_any_day(units):
    for day in ("2020-12-31", LAST_DAY_BEFORE, FIRST_DAY_AFTER):
        codes = [unit["code"] for unit in units if valid_on(unit, day)]
        assert len(codes) == len(set(codes)), day


def test_lineage_links_existing_versions_and_covers_every_commune(units, lineage):
    versions = {(u["code"], u["valid_from"]) for u in units}
    assert {(r["from_code"], r["from_valid_from"]) for r in lineage} <= versions
    assert {(r["to_code"], r["to_valid_from"]) for r in lineage} <= versions
    old = {(c["code"], c["valid_from"]) for c in in_force(units, LAST_DAY_BEFORE, "commune")}
    new = {(c["code"], c["valid_from"]) for c in in_force(units, FIRST_DAY_AFTER, "commune")}
    assert {(r["from_code"], r["from_valid_from"]) for r in lineage} == old
    assert {(r["to_code"], r["to_valid_from"]) for r in lineage} == new


def test_names_are_nfc_and_codes_keep_their_leading_zeros(units):
    digits = {"province": 2, "district": 3, "commune": 5}
    for unit in units:
        assert unicodedata.normalize("NFC", unit["name"]) == unit["name"] == unit["name"].strip()
        assert unit["code"].isdigit() and len(unit["code"]) == digits[unit["level"]], unit
    raw = (REGISTER / "unit_versions.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw


def test_every_unit_the_demo_data_names_is_a_register_version_in_force_in_its_year(units):
    """data/demo names units by code and year only; the store's units are this register (store.load_demo)."""
    scored = {(int(r["year"]), r["unit_code"]) for r in read_csv(ROOT / "data" / "demo" / "scores.csv")}
    named = {(year, version(units, code, f"{year}-12-31")["name"]) for year, code in scored}
    assert (2020, "Thị trấn Pác Miầu") in named and (2020, "Xã Thạch Lâm") in named
    assert (2025, "Xã Bảo Lâm") in named and (2025, "Xã Quảng Lâm") in named
    new_communes = {c["code"] for c in in_force(units, FIRST_DAY_AFTER, "commune")}
    assert {code for year, code in scored if year == 2025} == new_communes and len(new_communes) == 56
    assert {year for year, _ in scored} == {2019, 2020, 2025}  # none for 2021-2024 (issue #12, point 6)


def test_the_app_never_imports_the_source_package():
    sources = [ROOT / "app.py", *ROOT.glob("analytics/**/*.py"), *ROOT.glob("ui/**/*.py"), *ROOT.glob("app_pages/*.py")]
    assert [p.name for p in sources if "vietnamadminunits" in p.read_text(encoding="utf-8")] == []
    assert "vietnamadminunits" not in (ROOT / "requirements.txt").read_text(encoding="utf-8")


# --- the script -----------------------------------------------------------------------------------------


def test_check_passes_on_the_shipped_files():
    result = run_script("--province", "04", "--check")
    assert result.returncode == 0, result.stderr
    assert "khớp" in result.stdout


def test_check_names_the_file_and_line_that_differ(tmp_path):
    assert run_script("--province", "04", "--out", str(tmp_path)).returncode == 0
    shipped = tmp_path / "unit_versions.csv"
    assert shipped.read_bytes() == (REGISTER / "unit_versions.csv").read_bytes()
    shipped.write_text(shipped.read_text(encoding="utf-8").replace("Xã Bảo Lâm", "Xã Bảo Lam"), encoding="utf-8")
    result = run_script("--province", "04", "--check", "--out", str(tmp_path))
    assert result.returncode == 1
    assert "unit_versions.csv: dòng" in result.stderr and "Xã Bảo Lam" in result.stderr
    assert "unit_lineage.csv" not in result.stderr and "Traceback" not in result.stderr


def test_another_province_is_one_command_away(tmp_path):
    """08 Tuyên Quang from 2025 was formed from the old provinces 02 Hà Giang and 08 Tuyên Quang."""
    result = run_script("--province", "08", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    units, lineage = read_csv(tmp_path / "unit_versions.csv"), read_csv(tmp_path / "unit_lineage.csv")
    assert [p["code"] for p in in_force(units, LAST_DAY_BEFORE, "province")] == ["02", "08"]
    after = in_force(units, FIRST_DAY_AFTER, "province")
    assert [(p["code"], p["name"]) for p in after] == [("08", "Tỉnh Tuyên Quang")]
    new_province = ("08", FIRST_DAY_AFTER)
    into_province = {(r["from_code"], r["kind"]) for r in lineage if (r["to_code"], r["to_valid_from"]) == new_province}
    assert into_province == {("02", "merged_into"), ("08", "merged_into")}
    districts = {d["code"]: d["parent_code"] for d in in_force(units, LAST_DAY_BEFORE, "district")}
    assert set(districts.values()) == {"02", "08"}
    assert {c["parent_code"] for c in in_force(units, FIRST_DAY_AFTER, "commune")} == {"08"}
    old_communes = {c["code"] for c in in_force(units, LAST_DAY_BEFORE, "commune")}
    assert {r["from_code"] for r in lineage if len(r["from_code"]) == 5} == old_communes


@pytest.mark.parametrize(("province", "words"), [("99", "Không có tỉnh, thành phố mã 99"), ("4", "2 chữ số")])
def test_a_wrong_province_is_one_vietnamese_line_and_exit_2(tmp_path, province, words):
    result = run_script("--province", province, "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert words in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_without_the_package_the_script_says_so_and_exits_2(tmp_path):
    # -S leaves out site-packages, so the interpreter is one where vietnamadminunits is not installed.
    result = run_script("--province", "04", "--out", str(tmp_path / "out"), python_flags=("-I", "-S"))
    assert result.returncode == 2
    assert "Chưa cài gói vietnamadminunits" in result.stderr and "requirements-dev.txt" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_an_output_folder_that_is_a_file_is_one_vietnamese_line_and_exit_2(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    result = run_script("--province", "04", "--out", str(blocker))
    assert result.returncode == 2
    assert result.stderr.startswith("Lỗi: không đọc hoặc ghi được") and "Traceback" not in result.stderr
    assert blocker.read_text(encoding="utf-8") == "x"


def test_the_register_loads_into_a_store_as_unit_versions_and_lineage():
    import duckdb

    from analytics.register import load_register
    from analytics.schema import create_schema

    con = duckdb.connect()
    create_schema(con)
    load_register(con, "04", actor="test")
    in_year = "SELECT count(*) FROM units WHERE level = ? AND valid_in_year(valid_from, valid_to, ?)"
    assert con.execute(in_year, ["district", 2020]).fetchone()[0] == 10
    assert con.execute(in_year, ["commune", 2020]).fetchone()[0] == 161
    assert con.execute(in_year, ["commune", 2025]).fetchone()[0] == 56
    assert con.execute(in_year, ["district", 2025]).fetchone()[0] == 0
    names = "SELECT name FROM units WHERE code = ? AND valid_in_year(valid_from, valid_to, ?)"
    assert con.execute(names, ["01290", 2020]).fetchall() == [("Thị trấn Pác Miầu",)]
    assert con.execute(names, ["01290", 2025]).fetchall() == [("Xã Bảo Lâm",)]
    predecessors = con.execute(
        "SELECT f.name FROM unit_lineage l JOIN units f ON f.id = l.from_unit_id "
        "JOIN units t ON t.id = l.to_unit_id WHERE t.code = '01290' AND t.valid_from IS NOT NULL ORDER BY f.code"
    ).fetchall()
    assert predecessors == [("Thị trấn Pác Miầu",), ("Xã Vĩnh Phong",), ("Xã Mông Ân",)]
    assert con.execute("SELECT content FROM batches").fetchall() == [("units",)]
