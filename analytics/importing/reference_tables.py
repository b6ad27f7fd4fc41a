"""The simple reference tables: bands, offices, ownership, targets, indicators and aliases.

Each is one table with Vietnamese or English headers (templates.REFERENCE_TEMPLATES), read row by
row: a bad cell is reported with its row and column and the row skipped, so every problem is listed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analytics.errors import NotFoundError
from analytics.formatting import fmt_number
from analytics.importing.problems import WARNING, ProblemList
from analytics.importing.read import RawFile
from analytics.importing.reference import (
    BadCell,
    Parsed,
    ReferenceOptions,
    Table,
    TableWrite,
    cell_number,
    find_table,
    no_table,
    one_of,
    report,
    text_or_none,
)
from analytics.importing.reference_codes import criterion_code, derived_code
from analytics.importing.reference_offices import OfficeBook
from analytics.names import fold, resolve_unit
from analytics.scope import Unit, get_unit, unit_versions, validity_words

ADDED, CHANGED, SAME = "Thêm mới", "Sửa", "Không đổi"
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class Spec:
    kind: str
    spellings: dict[str, Callable[[str], bool]]
    required: tuple[str, ...]
    needed: str  # the required columns as a person reads them
    refused: tuple[str, ...] = ()


UNIT_WORDS = one_of("ma don vi", "don vi", "ten don vi", "unit", "unit_code", "unit code", "ma dvhc")
YEAR_WORDS = one_of("nam", "year", "nam ap dung")
SOURCE_WORDS = one_of("nguon", "can cu", "source", "van ban")
SPECS = {
    "bands": Spec(
        "bands",
        {
            "code": one_of("ma xep loai", "ma", "code"),
            "name": one_of("xep loai", "ten xep loai", "muc xep loai", "band", "name", "loai"),
            "lower": one_of("tu", "diem tu", "ty le tu", "nguong duoi", "min_pct", "min_points", "lower", "from"),
            "upper": one_of("den duoi", "den", "nguong tren", "max_pct", "max_points", "upper", "to", "below"),
        },
        ("name", "lower"),
        "Xếp loại, Từ (%) hoặc Từ (điểm)",
    ),
    "offices": Spec(
        "offices",
        {
            "code": one_of("ma co quan", "ma", "code", "office_code"),
            "name": one_of("ten co quan", "co quan", "name", "office_name", "ten"),
            "duties": one_of("nhiem vu", "chuc nang, nhiem vu", "linh vuc phu trach", "duties"),
        },
        ("code", "name"),
        "Mã cơ quan, Tên cơ quan",
        refused=("unit",),
    ),
    "ownership": Spec(
        "ownership",
        {
            "criterion": one_of("ma tieu chi", "tieu chi", "criterion", "criterion_code", "stt"),
            "office": one_of("co quan chu tri", "co quan", "ma co quan", "office", "office_code"),
            "max": one_of("diem toi da", "toi da"),
            "unit": UNIT_WORDS,
        },
        ("criterion", "office"),
        "Mã tiêu chí, Cơ quan chủ trì",
        refused=("max", "unit"),
    ),
    "targets": Spec(
        "targets",
        {
            "year": YEAR_WORDS,
            "unit": UNIT_WORDS,
            "metric": one_of("chi tieu", "noi dung chi tieu", "metric", "ten chi tieu", "ma chi tieu"),
            "comparator": one_of("so sanh", "dieu kien", "comparator", "phep so sanh"),
            "value": one_of("gia tri", "muc tieu", "value", "gia tri muc tieu"),
            "source": SOURCE_WORDS,
        },
        ("year", "unit", "metric", "comparator", "value"),
        "Năm, Đơn vị, Chỉ tiêu, So sánh, Giá trị",
    ),
    "indicators": Spec(
        "indicators",
        {
            "year": YEAR_WORDS,
            "unit": UNIT_WORDS,
            "indicator": one_of("chi so hoat dong", "ten chi so", "ma chi so", "indicator", "chi so van hanh"),
            "value": one_of("gia tri", "value", "so lieu"),
            "source": SOURCE_WORDS,
        },
        ("year", "unit", "indicator", "value"),
        "Năm, Đơn vị, Chỉ số hoạt động, Giá trị",
    ),
    "aliases": Spec(
        "aliases",
        {
            "alias": one_of("ten goi khac", "ten khac", "cach viet khac", "alias"),
            "unit": UNIT_WORDS,
            "year": YEAR_WORDS,
            "note": one_of("ghi chu", "note"),
        },
        ("alias", "unit"),
        "Tên gọi khác, Mã đơn vị",
    ),
}
RECOGNISED_ORDER = ("bands", "targets", "indicators", "aliases", "offices", "ownership")
COMPARATORS = {
    "<=": "<=",
    "≤": "<=",
    "=<": "<=",
    ">=": ">=",
    "≥": ">=",
    "=>": ">=",
    "<": "<",
    ">": ">",
    "=": "=",
    "khong vuot": "<=",
    "toi da": "<=",
    "khong thap hon": ">=",
    "it nhat": ">=",
    "toi thieu": ">=",
    "tren": ">",
    "duoi": "<",
    "bang": "=",
}
RANK_WORDS = {"rank", "hang", "xep hang", "thu hang", "thu hang chi so cchc", "xep hang chi so cchc"}
MEASURES_SQL = "SELECT code, name, kind FROM measures"
ROOT_MAX_SQL = "SELECT max_points FROM criteria WHERE set_code = ? AND parent_code IS NULL"
SET_LEVEL_SQL = "SELECT level FROM criteria_sets WHERE code = ?"
CRITERIA_OF_SET_SQL = """
    SELECT code, parent_code, name, max_points, office_code, sort_order FROM criteria WHERE set_code = ?
"""


def find(raw: RawFile, kind: str) -> Table | None:
    spec = SPECS[kind]
    return find_table(raw, spec.spellings, spec.required, spec.refused)


def rows_of(con, raw: RawFile, kind: str, problems: ProblemList, parse) -> tuple[Table | None, list]:
    """The table of the kind and parse(line, cells) of each data row; bad cells reported, rows skipped."""
    table = find(raw, kind)
    if table is None:
        no_table(raw, problems, kind, SPECS[kind].needed)
        return None, []
    parsed = []
    for line, cells in table.data_rows():
        try:
            parsed.append((line, parse(table, line, cells)))
        except BadCell as bad:
            report(problems, table, line, bad)
    if not parsed and not problems.errors:
        problems.add(
            sheet=table.sheet.name,
            row=table.sheet.line_numbers[table.header_index],
            kind="no_data",
            reason="Không có dòng dữ liệu nào dưới dòng tiêu đề.",
        )
    return table, parsed


def number(table: Table, cells: list, key: str, required: bool = True) -> float | None:
    parsed = cell_number(table, cells, key)
    if parsed is None and required:
        raise BadCell(key, None, "Ô này còn trống.", kind="missing_value")
    return parsed


def year_of(table: Table, cells: list) -> int:
    value = number(table, cells, "year")
    assert value is not None
    if not value.is_integer() or not MIN_YEAR <= value <= MAX_YEAR:
        raise BadCell(
            "year", table.cell(cells, "year"), f"Năm phải là số từ {MIN_YEAR} đến {MAX_YEAR}.", kind="year_range"
        )
    return int(value)


def unit_of(con, table: Table, cells: list, year: int | None) -> Unit:
    """The unit version a cell names in the year: by code (zeros restored: 42 → 042), name or alias.

    Without a year (an aliases file without a year column), a code that named several units over time
    is refused: 01290 is Thị trấn Pác Miầu until 30/6/2025 and Xã Bảo Lâm after."""
    text = table.text(cells, "unit")
    if not text:
        raise BadCell("unit", None, "Thiếu đơn vị.", kind="missing_value")
    try:
        return version_in(con, code_of(con, text, year), year)
    except NotFoundError as exc:
        raise BadCell(
            "unit", text, exc.message, "Ghi mã đơn vị (ví dụ 042) hoặc tên như trong danh mục.", kind="unknown_unit"
        ) from None


def code_of(con, text: str, year: int | None) -> str:
    for code in (text, text.zfill(2), text.zfill(3), text.zfill(5)) if text.isdigit() else (text,):
        if unit_versions(con, code):
            return code
    return resolve_unit(con, text, year=year)


def version_in(con, code: str, year: int | None) -> Unit:
    if year is not None:
        return get_unit(con, code, year)
    versions = unit_versions(con, code)
    if len(versions) > 1:
        raise NotFoundError(
            f"Mã {code} ứng với nhiều đơn vị qua các thời kỳ ({validity_words(versions)}); "
            "hãy thêm cột Năm để chỉ rõ đơn vị của năm nào."
        )
    return versions[0]


def action(existing: dict, key: tuple, values: tuple) -> str:
    if key not in existing:
        return ADDED
    return SAME if existing[key] == values else CHANGED


# --- bands -------------------------------------------------------------------------------------


def band_code(name: str) -> str:
    """'Xuất sắc' -> XS, 'Tốt' -> TOT; a name with no letter or digit -> XL01."""
    return derived_code(name, (), fallback="XL", single_word_whole=True)


def read_bands(con, raw: RawFile, options: ReferenceOptions, problems: ProblemList) -> Parsed:
    set_code = require_set(con, options, problems)
    table, rows = rows_of(con, raw, "bands", problems, parse_band)
    if table is None or set_code is None or not rows:
        return Parsed()
    in_points = any(w in fold(table.labels["lower"]) for w in ("diem", "point"))
    root_max = con.execute(ROOT_MAX_SQL, [set_code]).fetchone()[0] or 100.0
    scale = 100.0 / root_max if in_points else 1.0
    limit = root_max if in_points else 100.0
    for line, (_, _, lower, upper) in rows:
        if lower > limit + 1e-9 or (upper is not None and upper > limit + 1e-9):
            report(
                problems,
                table,
                line,
                BadCell(
                    "lower",
                    lower,
                    f"Ngưỡng vượt {fmt_number(limit)}{' điểm' if in_points else ' %'}.",
                    kind="out_of_range",
                ),
            )
    ordered = check_band_order(table, rows, problems)
    existing = {
        r[0]: (r[1], r[2])
        for r in con.execute("SELECT code, name, min_pct FROM bands WHERE set_code = ?", [set_code]).fetchall()
    }
    bands = [(set_code, code, name, lower * scale, i) for i, (_, (code, name, lower, _)) in enumerate(ordered, 1)]
    preview = pd.DataFrame(
        {
            "Thay đổi": [action(existing, (b[1],), (b[2], b[3])) for b in bands],
            "Mã": [b[1] for b in bands],
            "Xếp loại": [b[2] for b in bands],
            "Từ (% điểm tối đa)": [fmt_number(b[3]) for b in bands],
        }
    )
    gone = sorted(set(existing) - {b[1] for b in bands})
    summary = f"Thang xếp loại của bộ {set_code}: {', '.join(b[2] for b in bands)}" + (
        f"; bỏ {', '.join(gone)}" if gone else ""
    )
    write = TableWrite(
        "bands", "set_code = ?", [set_code], ["set_code", "code", "name", "min_pct", "sort_order"], bands
    )
    return Parsed([write], preview, summary)


def parse_band(table: Table, line: int, cells: list):
    name = table.name(cells, "name")
    if not name:
        raise BadCell("name", None, "Thiếu tên xếp loại.", kind="missing_value")
    lower = number(table, cells, "lower")
    upper = number(table, cells, "upper", required=False)
    assert lower is not None
    if lower < 0:
        raise BadCell("lower", lower, "Ngưỡng dưới không được âm.", kind="negative")
    return (table.text(cells, "code") or band_code(name), name, lower, upper)


def check_band_order(table: Table, rows: list, problems: ProblemList) -> list:
    """The bands best first; lower bounds strictly ordered (either way), upper bounds meeting the next."""
    lowers = [r[1][2] for r in rows]
    descending = all(a > b for a, b in zip(lowers, lowers[1:]))
    ascending = all(a < b for a, b in zip(lowers, lowers[1:]))
    if not (descending or ascending):
        for (line_a, a), (line_b, b) in zip(rows, rows[1:]):
            if (a[2] <= b[2]) if lowers[0] >= lowers[-1] else (a[2] >= b[2]):
                report(
                    problems,
                    table,
                    line_b,
                    BadCell(
                        "lower",
                        b[2],
                        f"Ngưỡng {fmt_number(b[2])} của '{b[1]}' không theo thứ tự so với "
                        f"'{a[1]}' ({fmt_number(a[2])}, dòng {line_a}).",
                        "Xếp các mức từ cao xuống thấp, mỗi mức một ngưỡng khác nhau.",
                        kind="unordered",
                    ),
                )
        return rows
    best_first = rows if descending else rows[::-1]
    for (_, higher), (line, lower) in zip(best_first, best_first[1:]):
        if lower[3] is not None and abs(lower[3] - higher[2]) > 1e-9:
            what = "chồng lên" if lower[3] > higher[2] else "để hở so với"
            report(
                problems,
                table,
                line,
                BadCell(
                    "upper",
                    lower[3],
                    f"Mức '{lower[1]}' đến {fmt_number(lower[3])} {what} mức '{higher[1]}' "
                    f"(từ {fmt_number(higher[2])}).",
                    "Ngưỡng trên của một mức phải bằng ngưỡng dưới của mức trên nó.",
                    kind="overlap",
                ),
            )
    if best_first[-1][1][2] > 0:
        problems.add(
            sheet=table.sheet.name,
            row=best_first[-1][0],
            column=table.labels["lower"],
            severity=WARNING,
            kind="lowest_above_zero",
            value=fmt_number(best_first[-1][1][2]),
            reason="Mức thấp nhất không bắt đầu từ 0: đơn vị dưới ngưỡng đó sẽ không được xếp loại.",
        )
    return best_first


def require_set(con, options: ReferenceOptions, problems: ProblemList) -> str | None:
    if not options.set_code:
        problems.add(
            kind="missing_set",
            reason="Chưa chọn bộ tiêu chí của tệp này.",
            suggestion="Ghi --set MÃ_BỘ (xem bằng: python -m analytics criteria).",
        )
        return None
    if con.execute(SET_LEVEL_SQL, [options.set_code]).fetchone() is None:
        codes = [r[0] for r in con.execute("SELECT code FROM criteria_sets ORDER BY code").fetchall()]
        problems.add(
            kind="unknown_set",
            value=options.set_code,
            reason=f"Không có bộ tiêu chí {options.set_code}.",
            suggestion=f"Các bộ đã có: {', '.join(codes) or 'chưa có; hãy nạp bộ tiêu chí trước'}.",
        )
        return None
    return options.set_code


# --- offices and ownership ---------------------------------------------------------------------


def read_offices(con, raw: RawFile, options: ReferenceOptions, problems: ProblemList) -> Parsed:
    def parse(table: Table, line: int, cells: list):
        code, name = table.text(cells, "code"), table.name(cells, "name")
        if not code or not name:
            raise BadCell("code" if not code else "name", None, "Thiếu mã hoặc tên cơ quan.", kind="missing_value")
        return (code, name, text_or_none(table.cell(cells, "duties")))

    table, rows = rows_of(con, raw, "offices", problems, parse)
    check_unique(table, rows, lambda r: r[0], problems)
    existing = {(r[0],): (r[1], r[2]) for r in con.execute("SELECT code, name, duties FROM offices").fetchall()}
    offices = [r for _, r in rows]
    preview = pd.DataFrame(
        {
            "Thay đổi": [action(existing, (o[0],), (o[1], o[2])) for o in offices],
            "Mã": [o[0] for o in offices],
            "Cơ quan": [o[1] for o in offices],
            "Nhiệm vụ": [o[2] or "" for o in offices],
        }
    )
    write = TableWrite(
        "offices", "list_contains(?, code)", [[o[0] for o in offices]], ["code", "name", "duties"], offices
    )
    return Parsed([write], preview, f"{len(offices)} cơ quan")


def check_unique(table: Table | None, rows: list, key, problems: ProblemList) -> None:
    seen: dict = {}
    for line, row in rows:
        if key(row) in seen and table is not None:
            report(
                problems,
                table,
                line,
                BadCell(
                    next(iter(table.columns)), str(key(row)), f"Trùng với dòng {seen[key(row)]}.", kind="duplicate"
                ),
            )
        seen.setdefault(key(row), line)


def read_ownership(con, raw: RawFile, options: ReferenceOptions, problems: ProblemList) -> Parsed:
    set_code = require_set(con, options, problems)
    if set_code is None:
        return Parsed()
    nodes = {r[0]: r for r in con.execute(CRITERIA_OF_SET_SQL, [set_code]).fetchall()}
    offices = OfficeBook(con)

    def parse(table: Table, line: int, cells: list):
        code = criterion_code(table.text(cells, "criterion"))
        if code not in nodes:
            raise BadCell("criterion", code, f"Bộ {set_code} không có tiêu chí '{code}'.", kind="unknown_criterion")
        office = offices.resolve(table.name(cells, "office"), line, table, problems)
        if office is None:
            raise BadCell("office", None, "Thiếu cơ quan chủ trì.", kind="missing_value")
        return (code, office)

    table, rows = rows_of(con, raw, "ownership", problems, parse)
    check_unique(table, rows, lambda r: r[0], problems)
    owned = dict(r for _, r in rows)
    criteria = [(set_code, c, *nodes[c][1:4], office, nodes[c][5]) for c, office in owned.items()]
    names = offices.names()
    preview = pd.DataFrame(
        {
            "Thay đổi": [SAME if nodes[c][4] == o else CHANGED for c, o in owned.items()],
            "Tiêu chí": [f"{c} {nodes[c][2]}" for c in owned],
            "Cơ quan cũ": [names.get(nodes[c][4], "") if nodes[c][4] else "" for c in owned],
            "Cơ quan mới": [names.get(o, o) for o in owned.values()],
        }
    )
    writes = [
        TableWrite(
            "criteria",
            "set_code = ? AND list_contains(?, code)",
            [set_code, list(owned)],
            ["set_code", "code", "parent_code", "name", "max_points", "office_code", "sort_order"],
            criteria,
        ),
        offices.write(),
    ]
    return Parsed(writes, preview, f"Cơ quan chủ trì của {len(owned)} tiêu chí (bộ {set_code})")


# --- targets, indicators and aliases -----------------------------------------------------------


class MeasureBook:
    """Metrics and indicators by code or name; a new one is added to `measures` (a warning says so)."""

    def __init__(self, con, kind: str):
        self.kind = kind
        rows = con.execute(MEASURES_SQL).fetchall()
        self.known = {fold(c): c for c, _, k in rows if k == kind} | {fold(n): c for c, n, k in rows if k == kind}
        self.codes = {c for c, _, _ in rows}
        self.new: dict[str, tuple[str, str]] = {}

    def resolve(self, text: str, line: int, table: Table, key: str, problems: ProblemList) -> str:
        if not text:
            raise BadCell(key, None, "Ô này còn trống.", kind="missing_value")
        folded = fold(text)
        if self.kind == "target" and folded in RANK_WORDS:
            folded = "rank"
            self.known.setdefault("rank", "rank")
            if "rank" not in self.codes and "rank" not in self.new:
                self.new["rank"] = ("Thứ hạng chỉ số CCHC", "rank")
        if folded not in self.known:
            code = re.sub(r"[^a-z0-9]+", "_", folded).strip("_")[:40] or "chi_tieu"
            unit = "pct" if "%" in text or "ty le" in folded else "count"
            self.known[folded] = code
            self.new[code] = (text, unit)
            problems.add(
                sheet=table.sheet.name,
                row=line,
                column=table.labels.get(key),
                value=text[:80],
                severity=WARNING,
                kind="new_measure",
                reason=f"'{text}' chưa có trong danh mục; sẽ được thêm với mã {code}.",
            )
        return self.known[folded]

    def write(self) -> TableWrite:
        rows = [(code, name, self.kind, unit) for code, (name, unit) in self.new.items()]
        return TableWrite(
            "measures", "list_contains(?, code)", [list(self.new)], ["code", "name", "kind", "unit"], rows
        )


def source_of(table: Table, cells: list, file_name: str) -> str:
    return table.text(cells, "source") or f"Nạp từ tệp {file_name}"


def read_targets(con, raw: RawFile, options: ReferenceOptions, problems: ProblemList) -> Parsed:
    measures = MeasureBook(con, "target")

    def parse(table: Table, line: int, cells: list):
        year = year_of(table, cells)
        unit = unit_of(con, table, cells, year).code
        metric = measures.resolve(table.name(cells, "metric"), line, table, "metric", problems)
        word = table.text(cells, "comparator")
        comparator = COMPARATORS.get(word) or COMPARATORS.get(fold(word))
        if comparator is None:
            raise BadCell(
                "comparator",
                word,
                f"Không hiểu phép so sánh '{word}'.",
                "Dùng <=, >=, <, >, = (ví dụ hạng <= 5; tỷ lệ > 70).",
                kind="bad_comparator",
            )
        value = number(table, cells, "value")
        return (year, unit, metric, comparator, value, False, source_of(table, cells, raw.name))

    table, rows = rows_of(con, raw, "targets", problems, parse)
    check_unique(table, rows, lambda r: r[:3], problems)
    return keyed_parsed(
        con,
        "targets",
        rows,
        ["year", "unit_code", "metric", "comparator", "value", "is_demo", "source"],
        3,
        measures,
        "chỉ tiêu",
    )


def read_indicators(con, raw: RawFile, options: ReferenceOptions, problems: ProblemList) -> Parsed:
    measures = MeasureBook(con, "indicator")

    def parse(table: Table, line: int, cells: list):
        year = year_of(table, cells)
        unit = unit_of(con, table, cells, year).code
        indicator = measures.resolve(table.name(cells, "indicator"), line, table, "indicator", problems)
        return (year, unit, indicator, number(table, cells, "value"), False, source_of(table, cells, raw.name))

    table, rows = rows_of(con, raw, "indicators", problems, parse)
    check_unique(table, rows, lambda r: r[:3], problems)
    return keyed_parsed(
        con, "indicators", rows, ["year", "unit_code", "indicator", "value", "is_demo", "source"], 3, measures, "chỉ số"
    )


KEYED_TABLES = ("targets", "indicators")


def keyed_parsed(
    con, table_name: str, rows: list, columns: list[str], key_width: int, measures: MeasureBook, noun: str
) -> Parsed:
    """Targets and indicators: rows keyed by (year, unit, metric), each replacing the row of its key."""
    values = [r for _, r in rows]
    keys = [f"{r[0]}|{r[1]}|{r[2]}" for r in values]
    if table_name not in KEYED_TABLES:  # identifiers spliced below: only these tables' own, never a file's
        raise ValueError(f"not a keyed reference table: {table_name}")
    key_sql = "list_contains(?, CAST(year AS VARCHAR) || '|' || unit_code || '|' || " + columns[2] + ")"
    existing_rows = con.execute(f"SELECT {', '.join(columns)} FROM {table_name} WHERE {key_sql}", [keys]).fetchall()
    existing = {tuple(r[:key_width]): tuple(r[key_width:-2]) for r in existing_rows}
    preview = pd.DataFrame(
        {
            "Thay đổi": [action(existing, tuple(r[:key_width]), tuple(r[key_width:-2])) for r in values],
            **{
                label: [r[i] for r in values]
                for i, label in enumerate(["Năm", "Đơn vị", "Chỉ tiêu" if noun == "chỉ tiêu" else "Chỉ số"])
            },
            "Giá trị": [(f"{r[3]} " if table_name == "targets" else "") + fmt_number(r[-3]) for r in values],
        }
    )
    years = ", ".join(map(str, sorted({r[0] for r in values})))
    writes = [TableWrite(table_name, key_sql, [keys], columns, values), measures.write()]
    return Parsed(writes, preview, f"{len(values)} {noun} năm {years}" if values else "")


UNIT_NAMES_SQL = "SELECT id, name FROM units"
STORED_ALIASES_SQL = "SELECT alias, unit_code FROM unit_aliases"


def check_alias_meanings(con, table: Table, rows: list, problems: ProblemList) -> None:
    """An alias may not be another unit's registered name, nor name two units (in the file or the store):
    either would make every later file naming it ambiguous."""
    names = {fold(name): unit_id for unit_id, name in con.execute(UNIT_NAMES_SQL).fetchall()}
    meanings = {fold(alias): {unit_id} for alias, unit_id in con.execute(STORED_ALIASES_SQL).fetchall()}
    for line, (alias, unit_id, _) in rows:
        key = fold(alias)
        if key in names and names[key] != unit_id:
            reason = f"'{alias}' là tên của một đơn vị khác trong danh mục (mã {names[key].split('@')[0]})."
            report(problems, table, line, BadCell("alias", alias, reason, kind="alias_is_a_unit_name"))
        elif meanings.get(key, {unit_id}) != {unit_id}:
            others = ", ".join(sorted(u.split("@")[0] for u in meanings[key] - {unit_id}))
            reason = f"Tên gọi khác '{alias}' đã dùng cho đơn vị {others}; một tên chỉ được chỉ một đơn vị."
            report(problems, table, line, BadCell("alias", alias, reason, kind="alias_names_two_units"))
        meanings.setdefault(key, set()).add(unit_id)


def read_aliases(con, raw: RawFile, options: ReferenceOptions, problems: ProblemList) -> Parsed:
    def parse(table: Table, line: int, cells: list):
        alias = table.name(cells, "alias")
        if not alias:
            raise BadCell("alias", None, "Thiếu tên gọi khác.", kind="missing_value")
        year = year_of(table, cells) if "year" in table.columns else None
        # An alias names one unit version (schema v5): its id, so "TT Pác Miều" never means Xã Bảo Lâm.
        return (alias, unit_of(con, table, cells, year).id, text_or_none(table.cell(cells, "note")))

    table, rows = rows_of(con, raw, "aliases", problems, parse)
    check_unique(table, rows, lambda r: r[:2], problems)
    if table is not None:
        check_alias_meanings(con, table, rows, problems)
    values = [r for _, r in rows]
    keys = [f"{r[0]}|{r[1]}" for r in values]
    key_sql = "list_contains(?, alias || '|' || unit_code)"
    existing = {
        (a, u): (n,)
        for a, u, n in con.execute(
            f"SELECT alias, unit_code, note FROM unit_aliases WHERE {key_sql}", [keys]
        ).fetchall()
    }
    preview = pd.DataFrame(
        {
            "Thay đổi": [action(existing, r[:2], r[2:]) for r in values],
            "Tên gọi khác": [r[0] for r in values],
            "Đơn vị": [r[1] for r in values],
            "Ghi chú": [r[2] or "" for r in values],
        }
    )
    write = TableWrite("unit_aliases", key_sql, [keys], ["alias", "unit_code", "note"], values)
    return Parsed([write], preview, f"{len(values)} tên gọi khác của đơn vị")


READERS = {
    "bands": read_bands,
    "offices": read_offices,
    "ownership": read_ownership,
    "targets": read_targets,
    "indicators": read_indicators,
    "aliases": read_aliases,
}
