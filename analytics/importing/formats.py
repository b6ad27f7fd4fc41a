"""Recognising the table in a sheet: where the header is, what each column holds, which layout.

Three layouts (the `kind` of a Layout):
- "long": one row per unit × criterion (unit, criterion and points columns);
- "table": the province's table, one row per unit and one column per field or criterion,
  with optional total and rank columns;
- "totals": one row per unit with only a total.
Title lines above the header, a second header row under merged cells, a row numbering the
columns "(1) (2) (3)", notes and signatures below the table are recognised and set aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from analytics.importing.folding import quick_fold
from analytics.importing.read import Cell, RawSheet, cell_text
from analytics.names import fold

HEADER_SCAN_ROWS = 40

# folded header text -> role; the folding removes accents, case and a trailing "(...)".
ROLE_WORDS: dict[str, set[str]] = {
    "year": {"year", "nam", "nam danh gia", "nam xep hang"},
    "stt": {"stt", "tt", "so tt", "so thu tu", "no", "#"},
    "unit_code": {"unit_code", "ma don vi", "ma dv", "ma", "code", "ma dvhc", "ma hanh chinh", "ma so"},
    "unit": {
        "unit",
        "unit_name",
        "don vi",
        "ten don vi",
        "ten dv",
        "ten",
        "huyen, thanh pho",
        "huyen/thanh pho",
        "ten huyen",
        "ten xa",
        "xa, thi tran",
        "xa/thi tran",
        "don vi hanh chinh",
        "ten don vi hanh chinh",
        "dia phuong",
        "huyen",
        "xa",
        "co quan, don vi",
        "ten co quan, don vi",
    },
    "criterion": {
        "criterion",
        "criterion_code",
        "tieu chi",
        "ma tieu chi",
        "ma tc",
        "linh vuc/tieu chi",
        "ma so tieu chi",
        "ma linh vuc, tieu chi",
    },
    "criterion_name": {"criterion_name", "ten tieu chi", "noi dung", "noi dung tieu chi", "ten linh vuc, tieu chi"},
    "points": {"points", "diem", "diem tham dinh", "diem dat duoc", "diem danh gia", "diem dat", "diem so"},
    "self_points": {"self_points", "diem tu cham", "diem tu danh gia", "tu cham", "tu danh gia"},
    "max": {"max_points", "diem toi da", "toi da", "thang diem", "diem chuan"},
    "total": {
        "total",
        "tong diem",
        "tong",
        "chi so",
        "chi so cchc",
        "tong diem dat duoc",
        "diem chi so",
        "tong cong",
        "ket qua",
        "tong diem chi so",
        "chi so cai cach hanh chinh",
    },
    "rank": {"rank", "xep hang", "hang", "thu hang", "thu tu xep hang", "xep thu"},
    "ignore": {"ghi chu", "note", "notes", "xep loai", "band", "phan loai"},
}
ROLE_OF = {word: role for role, words in ROLE_WORDS.items() for word in words}
UNIT_ROLES = {"unit", "unit_code"}
KEY_ROLES = UNIT_ROLES | {"stt", "year"}
VALUE_ROLES = {"points", "total", "node", "node_name"}
# Rows that sum or average the table, not a unit.
SUMMARY_ROWS = {
    "tong cong",
    "tong",
    "cong",
    "binh quan",
    "trung binh",
    "trung binh chung",
    "toan tinh",
    "ca tinh",
    "binh quan chung",
    "tong so",
}

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
CODE = r"(\d{1,2}(?:\.\d{1,2}){0,2})"
NODE_PATTERNS = [
    re.compile(rf"^{CODE}$"),
    re.compile(rf"^(?:linh vuc|lv|tieu chi|tc|chi so thanh phan)\s*{CODE}(?:\s*[-:.)]\s*.*)?$"),
    re.compile(r"^(?:linh vuc|lv)\s*([ivx]{1,4})(?:\s*[-:.)]\s*.*)?$"),
    re.compile(rf"^{CODE}\s*[.):-]\s*\D.*$"),
]
NUMBERING_CELL = re.compile(r"^\(?(\d{1,2}|[a-z])\)?(\s*[=+\-x*/]\s*\(?\d{1,2}\)?)*$")


@dataclass
class Column:
    index: int
    label: str
    role: str | None  # a ROLE_WORDS key, "node" (code known), "node_name" (name to resolve) or None
    code: str | None = None


@dataclass
class DataRow:
    line: int
    cells: list[Cell]
    after_gap: bool  # below a blank line that follows the data: notes and signatures live here


@dataclass
class Layout:
    sheet: RawSheet
    kind: str  # "long", "table" or "totals"
    columns: list[Column]
    header_line: int
    title: str
    rows: list[DataRow] = field(default_factory=list)

    def first(self, role: str) -> Column | None:
        return next((c for c in self.columns if c.role == role), None)

    def of(self, *roles: str) -> list[Column]:
        return [c for c in self.columns if c.role in roles]

    @property
    def notes(self) -> str:
        return " ".join(" ".join(cell_text(c) for c in r.cells if c is not None) for r in self.rows if r.after_gap)


def header_key(label: str) -> str:
    """Fold a header: no accents or case, no '(tối đa 10)' or '(điểm)', no trailing ':' or '*'."""
    key = fold(re.sub(r"\([^)]*\)", " ", label))
    return re.sub(r"\s+", " ", key).strip(" :*.")


def classify(label: str, criterion_names: set[str]) -> tuple[str | None, str | None]:
    """(role, criterion code) of a header cell."""
    key = header_key(label)
    if not key:
        return None, None
    if key in ROLE_OF:
        return ROLE_OF[key], None
    for pattern in NODE_PATTERNS:
        match = pattern.match(key)
        if match:
            code = match.group(1)
            return "node", str(ROMAN[code]) if code in ROMAN else code
    return ("node_name", None) if key in criterion_names else (None, None)


def classify_row(cells: list[Cell], criterion_names: set[str]) -> list[Column]:
    return [Column(i, cell_text(v), *classify(cell_text(v), criterion_names)) for i, v in enumerate(cells)]


def is_header(columns: list[Column]) -> bool:
    roles = {c.role for c in columns}
    return bool(roles & UNIT_ROLES) and bool(roles & VALUE_ROLES)


def find_layout(sheet: RawSheet, criterion_names: set[str]) -> Layout | None:
    """The layout of a sheet, or None when no row of it looks like a header."""
    for index, cells in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        columns = classify_row(cells, criterion_names)
        if is_header(columns):
            return build_layout(sheet, index, columns, criterion_names)
    return None


def build_layout(sheet: RawSheet, index: int, columns: list[Column], criterion_names: set[str]) -> Layout:
    last = index
    while last + 1 < len(sheet.rows):
        merged = merge_continuation(columns, sheet.rows[last + 1], criterion_names)
        if merged is None:
            break
        columns, last = merged, last + 1
    title = " ".join(cell_text(c) for row in sheet.rows[:index] for c in row if c is not None)
    layout = Layout(sheet, kind_of(columns), columns, sheet.line_numbers[last], title)
    layout.rows = data_rows(sheet, last + 1, layout)
    return layout


def merge_continuation(columns: list[Column], cells: list[Cell], criterion_names: set[str]) -> list[Column] | None:
    """Columns relabelled by a second header row (under merged cells), or None if it is not one."""
    below = classify_row(cells, criterion_names)
    upper = {c.index: c for c in columns}
    changed = False
    for cell in below:
        above = upper.get(cell.index)
        if not cell.label or (above and cell.label == above.label):
            continue
        if cell.role is None or (above and above.role in KEY_ROLES):
            return None
        changed = True
    if not changed:
        return None
    merged = [c if c.label and not (upper.get(c.index) and c.label == upper[c.index].label) else None for c in below]
    relabelled = [m or upper.get(i) or Column(i, "", None) for i, m in enumerate(merged)]
    extra = [c for i, c in upper.items() if i >= len(below)]
    return relabelled + extra


def kind_of(columns: list[Column]) -> str:
    roles = {c.role for c in columns}
    if roles & {"criterion", "criterion_name"} and "points" in roles:
        return "long"
    if roles & {"node", "node_name"}:
        return "table"
    return "totals"


def data_rows(sheet: RawSheet, start: int, layout: Layout) -> list[DataRow]:
    rows, seen_data, gap = [], False, False
    for position in range(start, len(sheet.rows)):
        cells = sheet.rows[position]
        blank = all(c is None for c in cells)
        if blank:
            gap = gap or seen_data
            continue
        if not seen_data and is_numbering_row(cells):
            continue
        rows.append(DataRow(sheet.line_numbers[position], cells, gap))
        seen_data = True
    return rows


def is_numbering_row(cells: list[Cell]) -> bool:
    """A row under the header that numbers the columns: '(1) (2) (3)…', '1 2 3…' or 'A B 1 2…'.

    Every non-empty cell (at least three) is a column label, and the labels run in sequence: letters
    from A, then numbers from 1, each the next one ('(4)=(2)+(3)' counts as 4). A first data row such
    as '1 | A | 50' (number 1, name "A", maximum 50) is not in sequence, so it stays data."""
    labels = [NUMBERING_CELL.match(fold(cell_text(c))) for c in cells if cell_text(c).strip()]
    if len(labels) < 3 or not all(labels):
        return False
    leads = [m.group(1) for m in labels if m]
    letters = [x for x in leads if not x.isdigit()]
    numbers = [int(x) for x in leads[len(letters) :] if x.isdigit()]
    return (
        len(letters) + len(numbers) == len(leads)
        and letters == [chr(ord("a") + i) for i in range(len(letters))]
        and numbers == list(range(1, len(numbers) + 1))
    )


@lru_cache(maxsize=1 << 18)  # asked twice per row; a hostile file has 100 000 distinct names
def is_summary_row(text: str) -> bool:
    return quick_fold(text).strip(" :.") in SUMMARY_ROWS
