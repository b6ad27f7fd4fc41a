"""Build one province's official unit register, before and after the 2025 reform, with the lineage between them.

Run:  python data/register/build_register.py --province 04            (writes data/register/04/*.csv)
      python data/register/build_register.py --province 04 --check    (exit 1 if the shipped files differ)

--province is the province code from 1 July 2025 (04 Cao Bằng; 08 is the Tuyên Quang formed from the old
provinces 02 Hà Giang and 08 Tuyên Quang). The source is the PyPI package vietnamadminunits (pinned in
requirements-dev.txt), which carries the register of the 63 provinces before the reform (GSO codes), the
register of the 34 provinces after it, and the old-to-new mapping. Its data files are read directly (SQLite
and JSON, standard library only), so the package's own dependencies are never imported; the app reads only
the CSV files written here and never needs the package.

Files written (UTF-8, comma-separated, one header row):
  unit_versions.csv  code, name, level, kind, parent_code, valid_from, valid_to
      A unit is a code over a period: the same code can name two units (01290 is Thị trấn Pác Miầu until
      2025-06-30 and Xã Bảo Lâm from 2025-07-01). The source gives no start dates for the units that existed
      before the reform, so their valid_from is empty ("already in force"); valid_to is 2025-06-30. Units
      from the reform have valid_from 2025-07-01 and an empty valid_to. A province the reform left unchanged
      (same code, same name, one predecessor) is one version with both dates empty.
  unit_lineage.csv   from_code, from_valid_from, to_code, to_valid_from, date, kind
      One row per (old unit version, new unit version) pair, many-to-many. kind, per pair:
        split_from   the old unit was divided among several new units; the new one took part of it
        merged_into  the new unit was formed from several old ones
        renamed      one old unit became one new unit under another name
        moved        one old unit became one new unit with the same name under another parent
      Districts have no rows: they were dissolved, and their successors are the successors of their communes
      (except the few island districts that had no communes: each is the predecessor of its special zone).
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import importlib.util
import io
import json
import re
import sqlite3
import sys
import unicodedata
from collections import Counter
from contextlib import closing
from dataclasses import astuple, dataclass, fields
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE_PACKAGE = "vietnamadminunits"
REFORM_DATE = "2025-07-01"
LAST_DAY_BEFORE_REFORM = "2025-06-30"
CODE_DIGITS = {"province": 2, "district": 3, "commune": 5}
LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}
UNITS_FILE = "unit_versions.csv"
LINEAGE_FILE = "unit_lineage.csv"

# The package's two registers: before the reform (63 provinces, with districts) and after it (34 provinces).
LEGACY_SQL = """
SELECT DISTINCT provinceCode, province, provinceKey, districtCode, district, districtType, districtKey,
       wardCode, ward, wardType, wardKey
FROM admin_units_legacy WHERE provinceKey IN (SELECT value FROM json_each(?))
"""
CURRENT_SQL = """
SELECT DISTINCT provinceCode, province, provinceKey, wardCode, ward, wardType, wardKey
FROM admin_units WHERE provinceCode = ?
"""


class RegisterError(Exception):
    """A problem the user can act on; the message is Vietnamese and shown as is."""


@dataclass(frozen=True, order=True)
class Unit:
    code: str
    name: str
    level: str
    kind: str
    parent_code: str
    valid_from: str
    valid_to: str


@dataclass(frozen=True, order=True)
class Lineage:
    from_code: str
    from_valid_from: str
    to_code: str
    to_valid_from: str
    date: str
    kind: str


@dataclass(frozen=True)
class Source:
    data_dir: Path
    version: str
    mapping: dict


# --- reading the package's data ---------------------------------------------------------------------------


def find_source() -> Source:
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RegisterError(
            f"Chưa cài gói {SOURCE_PACKAGE} (nguồn danh mục đơn vị hành chính). "
            "Cài các gói dùng cho phát triển rồi chạy lại: pip install -r requirements-dev.txt"
        )
    data_dir = Path(next(iter(spec.submodule_search_locations))) / "data"
    mapping = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
    return Source(data_dir, importlib.metadata.version(SOURCE_PACKAGE), mapping)


def query(source: Source, sql: str, params: list[str]) -> list[dict]:
    uri = (source.data_dir / "dataset.db").as_uri() + "?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as con:
        con.row_factory = sqlite3.Row
        return [dict(row) for row in con.execute(sql, params)]


def current_rows(source: Source, province_code: str) -> list[dict]:
    rows = query(source, CURRENT_SQL, [province_code])
    if not rows:
        known = sorted({row["provinceCode"] for row in query(source, "SELECT provinceCode FROM admin_units", [])})
        raise RegisterError(
            f"Không có tỉnh, thành phố mã {province_code} trong danh mục từ 01/7/2025. Các mã có: {', '.join(known)}."
        )
    return rows


def legacy_rows(source: Source, old_province_keys: list[str]) -> list[dict]:
    return query(source, LEGACY_SQL, [json.dumps(old_province_keys)])


# --- turning rows into unit versions ----------------------------------------------------------------------


def official_name(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def checked_code(code: str | None, level: str, name: str) -> str:
    digits = CODE_DIGITS[level]
    if not code or not re.fullmatch(rf"\d{{{digits}}}", code):
        raise RegisterError(f"Mã của {name} trong nguồn không phải {digits} chữ số: {code!r}.")
    return code


def province_kind(name: str) -> str:
    return "thành phố" if name.startswith("Thành phố ") else "tỉnh"


def make_unit(code, name, level, kind, parent_code, valid_from="", valid_to="") -> Unit:
    name = official_name(name)
    return Unit(
        checked_code(code, level, name), name, level, official_name(kind).lower(), parent_code, valid_from, valid_to
    )


def province(code: str, name: str, valid_from: str = "", valid_to: str = "") -> Unit:
    return make_unit(code, name, "province", province_kind(official_name(name)), "", valid_from, valid_to)


def old_district(row: dict) -> Unit:
    return make_unit(
        row["districtCode"],
        row["district"],
        "district",
        row["districtType"],
        row["provinceCode"],
        "",
        LAST_DAY_BEFORE_REFORM,
    )


def old_commune(row: dict) -> Unit:
    return make_unit(
        row["wardCode"], row["ward"], "commune", row["wardType"], row["districtCode"], "", LAST_DAY_BEFORE_REFORM
    )


def new_commune(row: dict) -> Unit:
    return make_unit(row["wardCode"], row["ward"], "commune", row["wardType"], row["provinceCode"], REFORM_DATE, "")


def old_unit_keys(rows: list[dict]) -> dict[str, Unit]:
    """Old units by the mapping's keys: 'province_district_ward' for a commune, 'province_district_' for a district
    (the mapping uses that form for island districts that had no communes)."""
    units = {}
    for row in rows:
        units[f"{row['provinceKey']}_{row['districtKey']}_"] = old_district(row)
        if row["wardKey"]:
            units[f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey']}"] = old_commune(row)
    return units


# --- the province(s) ------------------------------------------------------------------------------------


def province_versions(new_row: dict, old_rows: list[dict]) -> tuple[list[Unit], list[Unit]]:
    """The old province versions and the new one; a province the reform left as it was is one version."""
    olds = {row["provinceCode"]: official_name(row["province"]) for row in old_rows}
    new_code, new_name = new_row["provinceCode"], official_name(new_row["province"])
    if olds == {new_code: new_name}:
        return [], [province(new_code, new_name)]
    before = [province(code, name, valid_to=LAST_DAY_BEFORE_REFORM) for code, name in sorted(olds.items())]
    return before, [province(new_code, new_name, valid_from=REFORM_DATE)]


# --- lineage --------------------------------------------------------------------------------------------


def mapped_pairs(mapping: dict, new_province_key: str) -> set[tuple[str, str]]:
    """(old unit key, new ward key) pairs, from wards kept whole and from wards divided among several."""
    pairs = set()
    for new_key, old_keys in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new_province_key, {}).items():
        pairs.update((old_key, new_key) for old_key in old_keys)
    for old_key, targets in mapping["DICT_PROVINCE_WARD_DIVIDED"].get(new_province_key, {}).items():
        pairs.update((old_key, target["newWardKey"]) for target in targets)
    return pairs


def change_kind(old: Unit, new: Unit, successors: Counter, predecessors: Counter) -> str:
    if successors[old] > 1:
        return "split_from"
    if predecessors[new] > 1:
        return "merged_into"
    return "renamed" if old.name != new.name else "moved"


def lineage_rows(pairs: list[tuple[Unit, Unit]]) -> list[Lineage]:
    successors = Counter(old for old, _ in pairs)
    predecessors = Counter(new for _, new in pairs)
    return sorted(
        Lineage(
            old.code,
            old.valid_from,
            new.code,
            new.valid_from,
            REFORM_DATE,
            change_kind(old, new, successors, predecessors),
        )
        for old, new in pairs
    )


def resolve_pairs(pairs: set[tuple[str, str]], olds: dict[str, Unit], news: dict[str, Unit]) -> list[tuple[Unit, Unit]]:
    unknown = sorted(key for key, _ in pairs if key not in olds) + sorted(key for _, key in pairs if key not in news)
    if unknown:
        raise RegisterError(f"Bảng chuyển đổi của nguồn nêu đơn vị không có trong danh mục: {', '.join(unknown[:5])}.")
    return [(olds[old_key], news[new_key]) for old_key, new_key in pairs]


def check_complete(resolved: list[tuple[Unit, Unit]], old_communes: list[Unit], new_communes: list[Unit]) -> None:
    linked = {unit for pair in resolved for unit in pair}
    orphans = [unit for unit in old_communes + new_communes if unit not in linked]
    if orphans:
        listed = ", ".join(f"{u.code} {u.name}" for u in orphans[:5])
        raise RegisterError(f"Nguồn thiếu quan hệ kế thừa cho {len(orphans)} đơn vị, ví dụ: {listed}.")


# --- the whole register of one province -----------------------------------------------------------------


def build_register(source: Source, province_code: str) -> tuple[list[Unit], list[Lineage]]:
    new_rows = current_rows(source, province_code)
    new_province_key = new_rows[0]["provinceKey"]
    old_rows = legacy_rows(source, source.mapping["DICT_PROVINCE"][new_province_key])
    provinces_before, provinces_after = province_versions(new_rows[0], old_rows)
    news = {row["wardKey"]: new_commune(row) for row in new_rows}
    olds = old_unit_keys(old_rows)
    old_communes = sorted({u for u in olds.values() if u.level == "commune"})
    resolved = resolve_pairs(mapped_pairs(source.mapping, new_province_key), olds, news)
    check_complete(resolved, old_communes, list(news.values()))
    province_pairs = [(old, new) for old in provinces_before for new in provinces_after]
    units = provinces_before + provinces_after + [u for u in olds.values() if u.level == "district"]
    units = sorted(set(units) | set(old_communes) | set(news.values()), key=unit_order)
    check_one_version_per_code(units)
    return units, lineage_rows(province_pairs) + lineage_rows(resolved)


def check_one_version_per_code(units: list[Unit]) -> None:
    starts = Counter((unit.code, unit.valid_from) for unit in units)
    twice = sorted(code for (code, _), count in starts.items() if count > 1)
    if twice:
        raise RegisterError(f"Nguồn có hai đơn vị cùng mã trong cùng thời kỳ: {', '.join(twice[:5])}.")


def unit_order(unit: Unit) -> tuple:
    return LEVEL_ORDER[unit.level], unit.valid_from, unit.code


# --- files ----------------------------------------------------------------------------------------------


def to_csv(rows: list, row_type: type) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(field.name for field in fields(row_type))
    writer.writerows(astuple(row) for row in rows)
    return buffer.getvalue()


def render(units: list[Unit], lineage: list[Lineage]) -> dict[str, str]:
    return {UNITS_FILE: to_csv(units, Unit), LINEAGE_FILE: to_csv(lineage, Lineage)}


def first_difference(shipped: str, fresh: str) -> str:
    for number, (old, new) in enumerate(zip(shipped.splitlines(), fresh.splitlines(), strict=False), start=1):
        if old != new:
            return f"dòng {number}: tệp có {old!r}, bản dựng lại có {new!r}"
    return f"số dòng khác nhau ({len(shipped.splitlines())} và {len(fresh.splitlines())})"


def stale_files(out_dir: Path, files: dict[str, str]) -> list[str]:
    problems = []
    for name, text in files.items():
        path = out_dir / name
        if not path.is_file():
            problems.append(f"{path}: không có tệp")
        elif (shipped := path.read_text(encoding="utf-8")) != text:
            problems.append(f"{path}: {first_difference(shipped, text)}")
    return problems


def summary(units: list[Unit], lineage: list[Lineage], source: Source) -> str:
    before = Counter(u.level for u in units if u.valid_to == LAST_DAY_BEFORE_REFORM)
    after = sum(1 for u in units if u.level == "commune" and u.valid_from == REFORM_DATE)
    return (
        f"{before['district']} đơn vị cấp huyện và {before['commune']} đơn vị cấp xã đến 30/6/2025; "
        f"{after} đơn vị cấp xã từ 01/7/2025; {len(lineage)} quan hệ kế thừa "
        f"(nguồn {SOURCE_PACKAGE} {source.version})"
    )


def run(province_code: str, out_dir: Path, check: bool) -> int:
    if not re.fullmatch(r"\d{2}", province_code):
        raise RegisterError(f"Mã tỉnh phải gồm 2 chữ số (ví dụ 04), không phải {province_code!r}.")
    source = find_source()
    units, lineage = build_register(source, province_code)
    files = render(units, lineage)
    if check:
        problems = stale_files(out_dir, files)
        for problem in problems:
            print(f"Khác với bản dựng lại: {problem}", file=sys.stderr)
        print("Tệp danh mục khớp với nguồn." if not problems else "Tệp danh mục đã cũ: chạy lại không có --check.")
        return 1 if problems else 0
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out_dir / name).write_text(text, encoding="utf-8")
    print(f"Đã ghi {out_dir}: {summary(units, lineage, source)}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", required=True, help="mã tỉnh, thành phố từ 01/7/2025 (2 chữ số, ví dụ 04)")
    parser.add_argument("--check", action="store_true", help="dựng lại trong bộ nhớ; exit 1 nếu tệp đã lưu khác")
    parser.add_argument("--out", type=Path, help="thư mục tệp (mặc định data/register/<mã tỉnh>)")
    args = parser.parse_args(argv)
    try:
        return run(args.province, args.out or HERE / args.province, args.check)
    except RegisterError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 2
    except (OSError, sqlite3.Error, KeyError, ValueError) as error:
        print(
            f"Lỗi: không đọc hoặc ghi được dữ liệu ({type(error).__name__}: {error}). Kiểm tra thư mục ghi "
            f"và phiên bản gói {SOURCE_PACKAGE} ghi trong requirements-dev.txt.",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
