"""A province's criteria decision annex (Excel, or a CSV saved from it) into a criteria set.

What is read: title lines ("PHỤ LỤC …", "BỘ TIÊU CHÍ …", "(Kèm theo Quyết định số …)"), a header
`STT | Lĩnh vực/Tiêu chí/Tiêu chí thành phần | Điểm tối đa | Cơ quan chủ trì | Ghi chú`, a "(1) (2)
(3)" numbering row, merged cells, one of three numbering styles, a TỔNG ĐIỂM / Tổng cộng row and
signatures below. Codes are stable whatever the style: `1`, `1.1`, `1.1.1`.

- Arabic: `1`, `1.1`, `1.1.1` are the codes as written.
- Roman fields: `I`, `II`; criteria restart at `1` in each field, so `2` under field `II` is `2.2`.
- Letters at the lowest level: `a)`, `b)` under `1.1` are `1.1.1`, `1.1.2`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd
from openpyxl.utils import get_column_letter

from analytics.formatting import fmt_int, fmt_number
from analytics.importing.formats import is_numbering_row
from analytics.importing.problems import WARNING, ProblemList, beyond
from analytics.importing.read import RawFile, cell_text
from analytics.importing.reference import (
    NAME_MAX_CHARS,
    BadCell,
    Parsed,
    ReferenceOptions,
    Table,
    TableWrite,
    capped_name,
    cell_number,
    find_table,
    no_table,
    one_of,
    report,
)
from analytics.importing.reference_codes import numbering_text, without_leading_zeros
from analytics.importing.reference_offices import OfficeBook
from analytics.names import fold
from analytics.scope import LEVEL_WORDS

ROOT = "TOTAL"
TOLERANCE = 0.01
TOTAL_POINTS = 100.0
MAX_POINTS = 1000.0  # a set's maxima are on a 100-point scale; 1 000 leaves room for other scales, not for 1e22
BOUND_SUGGESTION = (
    "Điểm tối đa của một lĩnh vực, tiêu chí hay dòng tổng: từ trên 0 đến 1.000, nhiều nhất 2 chữ số thập phân."
)
LEVEL_PREFIX = {"district": "HUYEN", "commune": "XA"}
ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50}
ARABIC = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?$")
ROMAN = re.compile(r"^([ivxl]{1,6})\.?$")
LETTER = re.compile(r"^([a-z])\s*[).]?$")
SUMMARY = {"tong diem", "tong cong", "tong so diem", "tong", "cong", "tong diem toi da", "tong so"}
SPELLINGS = {
    "number": one_of("stt", "tt", "so tt", "so thu tu", "ma so", "ma tieu chi", "number"),
    "name": lambda w: (
        w.startswith(("linh vuc", "tieu chi", "noi dung", "ten tieu chi", "ten linh vuc"))
        or w in {"criterion", "name", "criterion_name"}
    ),
    "max": one_of("diem toi da", "toi da", "thang diem", "diem chuan", "max_points", "max points", "so diem toi da"),
    "office": lambda w: (
        w.startswith(("co quan chu tri", "co quan phu trach", "don vi chu tri", "don vi phu trach"))
        or w in {"office", "co quan"}
    ),
    "note": one_of("ghi chu", "note", "notes"),
    "unit": one_of("ten don vi", "don vi", "ma don vi", "unit", "unit_code", "nam", "year", "diem", "points"),
}
NEEDED = "STT, Lĩnh vực/Tiêu chí, Điểm tối đa"
CRITERIA_COLUMNS = ["set_code", "code", "parent_code", "name", "max_points", "office_code", "sort_order"]
SET_COLUMNS = ["code", "level", "year_from", "year_to", "name", "legal_source", "is_demo"]
TREE_HEADERS = {
    "code": "Mã",
    "name": "Lĩnh vực / tiêu chí",
    "max_points": "Điểm tối đa",
    "before": "Bộ đang áp dụng",
    "office": "Cơ quan chủ trì",
    "depth": "Cấp",
}
OTHER_SETS_SQL = "SELECT code, year_from, year_to FROM criteria_sets WHERE level = ? AND code <> ? ORDER BY year_from"
EXISTING_SET_SQL = "SELECT name FROM criteria_sets WHERE code = ?"


@dataclass
class Node:
    code: str
    parent: str
    number: str  # as written
    name: str
    max_points: float | None
    office: str | None
    line: int


def find_annex_table(raw: RawFile) -> Table | None:
    return find_table(raw, SPELLINGS, ("number", "name", "max"), refused=("unit",))


def read_annex(con, raw: RawFile, options: ReferenceOptions, problems: ProblemList) -> Parsed:
    table = find_annex_table(raw)
    if table is None:
        no_table(raw, problems, "criteria", NEEDED)
        return Parsed()
    title = title_text(table)
    level, year_from = options.level or level_in(title), options.year_from or year_in(title)
    if not check_scope(level, year_from, options, problems):
        return Parsed()
    assert level is not None and year_from is not None
    nodes, total = AnnexReader(table, problems).read()
    if not nodes:
        problems.add(
            sheet=table.sheet.name,
            row=table.sheet.line_numbers[table.header_index],
            kind="no_data",
            reason="Không có dòng tiêu chí nào dưới dòng tiêu đề.",
        )
        return Parsed()
    check_tree(table, nodes, total, problems)
    code = options.code or f"{LEVEL_PREFIX[level]}-{year_from}"
    first = {"sheet": table.sheet.name, "row": nodes[0].line, "column": table.labels["number"]}
    check_collision(con, code, level, year_from, options.year_to, problems, first)
    offices = OfficeBook(con)
    office_codes = {n.code: offices.resolve(n.office, n.line, table, problems) for n in nodes if n.office}
    root_max = total[0] if total and total[0] is not None else sum(n.max_points or 0 for n in nodes if n.parent == ROOT)
    name = options.name or set_name(title, level, year_from)
    check_set_name(table, name, given=options.name is not None, problems=problems)
    set_row = (code, level, year_from, options.year_to, name, legal_source(title), "minh hoa" in fold(title))
    criteria = [(code, ROOT, None, total[2] if total else "Tổng điểm", root_max, None, 1)] + [
        (code, n.code, n.parent, n.name, n.max_points, office_codes.get(n.code), i)
        for i, n in enumerate(nodes, start=2)
    ]
    replaced = con.execute(EXISTING_SET_SQL, [code]).fetchone()
    summary = (
        f"Bộ tiêu chí {code} ({LEVEL_WORDS[level]}, từ năm {year_from}"
        + (f" đến {options.year_to}" if options.year_to else "")
        + f"): {len(nodes)} lĩnh vực/tiêu chí, tổng {fmt_number(root_max)} điểm"
        + ("; thay bộ cùng mã đã có" if replaced else "")
    )
    writes = [
        TableWrite("criteria_sets", "code = ?", [code], SET_COLUMNS, [set_row]),
        TableWrite("criteria", "set_code = ?", [code], CRITERIA_COLUMNS, criteria),
        offices.write(),
    ]
    tree = tree_frame(criteria, offices)
    before = previous_maxima(con, level, year_from)
    tree["before"] = [
        "" if not before else ("mới" if c not in before else fmt_number(before[c]) if before[c] != m else "=")
        for c, m in zip(tree.code, tree.max_points)
    ]
    places = {n.code: n.line for n in nodes}
    header = (table.sheet.name, table.sheet.line_numbers[table.header_index], table.labels["number"])
    shown = tree.assign(max_points=tree.max_points.map(fmt_number))[list(TREE_HEADERS)]
    return Parsed(
        writes,
        shown.rename(columns=TREE_HEADERS),
        summary,
        level,
        code,
        tree,
        anchor=(table.sheet.name, places, table.labels["max"], header),
    )


def previous_maxima(con, level: str, year_from: int) -> dict[str, float]:
    """code -> maximum in the set in force for the level in the new set's first year, before it: what
    the preview compares the new maxima with ('=' unchanged, the old maximum, or 'mới')."""
    row = con.execute("SELECT set_in_force(?, ?)", [level, year_from]).fetchone()
    if row is None or row[0] is None:
        return {}
    return dict(con.execute("SELECT code, max_points FROM criteria WHERE set_code = ?", [row[0]]).fetchall())


def title_text(table: Table) -> str:
    rows = table.sheet.rows[: table.header_index]
    return "\n".join(" ".join(cell_text(c) for c in dict.fromkeys(r) if c is not None) for r in rows).strip()


def level_in(title: str) -> str | None:
    folded = fold(title)
    if re.search(r"\bcap xa\b|\bxa, (phuong|thi tran)", folded):
        return "commune"
    if re.search(r"\bcap huyen\b|\bhuyen, thanh pho\b", folded):
        return "district"
    return None


def year_in(title: str) -> int | None:
    match = re.search(r"\b(?:tu )?nam (20\d\d)\b", fold(title))
    return int(match.group(1)) if match else None


def check_scope(level: str | None, year_from: int | None, options: ReferenceOptions, problems: ProblemList) -> bool:
    if level not in LEVEL_PREFIX:
        problems.add(
            kind="missing_level",
            reason="Không xác định được cấp áp dụng của bộ tiêu chí (tiêu đề không ghi cấp huyện hay cấp xã).",
            suggestion="Chọn cấp: --level district hoặc --level commune.",
        )
    if year_from is None:
        problems.add(
            kind="missing_year",
            reason="Không xác định được năm bắt đầu áp dụng bộ tiêu chí.",
            suggestion="Ghi năm: --year-from 2022.",
        )
    elif options.year_to is not None and options.year_to < year_from:
        problems.add(
            kind="year_range",
            value=options.year_to,
            reason=f"Năm kết thúc {options.year_to} trước năm bắt đầu {year_from}.",
            suggestion="Kiểm tra --year-to.",
        )
    return not problems.errors


def set_name(title: str, level: str, year_from: int) -> str:
    line = next((t for t in title.splitlines() if "bo tieu chi" in fold(t)), None)
    return line.strip() if line else f"Bộ tiêu chí {LEVEL_WORDS[level]} từ năm {year_from}"


def check_set_name(table: Table, name: str, given: bool, problems: ProblemList) -> None:
    """capped_name for the set's name: from --name (the option named), else its title cell (row, column)."""
    try:
        capped_name("set_name", name)
    except BadCell as bad:
        place = {"column": "Tên bộ (--name)"} if given else title_cell(table, name)
        problems.add(
            **place, value=name[:80], reason=f"Tên bộ tiêu chí: {bad.reason}", suggestion=bad.suggestion, kind=bad.kind
        )


def title_cell(table: Table, text: str) -> dict:
    """Sheet, row and column letter of the title cell holding `text` (the set's name line)."""
    for index, cells in enumerate(table.sheet.rows[: table.header_index]):
        for position, cell in enumerate(cells):
            if cell_text(cell).strip() and cell_text(cell).strip() in text:
                return {
                    "sheet": table.sheet.name,
                    "row": table.sheet.line_numbers[index],
                    "column": get_column_letter(position + 1),
                }
    return {"sheet": table.sheet.name}


def legal_source(title: str) -> str | None:
    match = re.search(r"(quyết định\s+số[^)\n]*)", title, flags=re.IGNORECASE)
    return match.group(1).strip() if match else None


class AnnexReader:
    """The rows under the header into nodes with stable codes, each bad cell reported."""

    def __init__(self, table: Table, problems: ProblemList):
        self.table, self.problems = table, problems
        self.field: str | None = None  # the current Roman field, as its Arabic code
        self.last_numbered: str | None = None  # the latest node not numbered by a letter
        self.last_letter = ""

    def read(self) -> tuple[list[Node], tuple[float | None, int, str] | None]:
        nodes: list[Node] = []
        for line, cells in self.rows():
            name = self.table.text(cells, "name")
            number = numbering_text(self.table.text(cells, "number"))
            if {fold(name).strip(" :."), number.strip(" :.")} & SUMMARY or (
                not number and fold(name).startswith("tong")
            ):
                return nodes, (self.total_max(line, cells), line, name)
            try:
                node = self.node(line, cells, number, name)
            except BadCell as bad:
                report(self.problems, self.table, line, bad)
                continue
            if node is not None:
                nodes.append(node)
        return nodes, None

    def rows(self) -> list[tuple[int, list]]:
        rows = self.table.data_rows()
        while rows and is_numbering_row(rows[0][1]):
            rows = rows[1:]
        return rows

    def node(self, line: int, cells: list, number: str, name: str) -> Node | None:
        if not number:
            if self.table.cell(cells, "max") is None:
                return None  # a note or a wrapped line of the name above
            raise BadCell(
                "number",
                None,
                "Dòng có điểm tối đa nhưng không có số thứ tự.",
                "Ghi số thứ tự (1, 1.1, a)…).",
                kind="missing_number",
            )
        if not name:
            raise BadCell("name", None, f"Tiêu chí số {number} không có tên.", kind="missing_value")
        code = self.code_of(number)
        parent = code.rsplit(".", 1)[0] if "." in code else ROOT
        name = self.capped(line, "name", name)
        office = self.capped(line, "office", self.table.text(cells, "office")) or None
        try:
            points = self.max_of(cells)
        except BadCell as bad:  # reported; the node stays, so its parent's sum is not reported as well
            report(self.problems, self.table, line, bad)
            points = None
        return Node(code, parent, self.table.text(cells, "number"), name, points, office, line)

    def capped(self, line: int, key: str, text: str) -> str:
        """capped_name; a name too long is reported and the node kept, so that no sum is reported too."""
        try:
            return capped_name(key, text)
        except BadCell as bad:
            report(self.problems, self.table, line, bad)
            return text[:NAME_MAX_CHARS]

    def code_of(self, number: str) -> str:
        letter = LETTER.match(number)
        roman = ROMAN.match(number)
        if letter and (not roman or self.continues_letters(letter.group(1))):
            return self.letter_code(number, letter.group(1))
        if roman:
            self.field = str(roman_value(roman.group(1)))
            self.last_numbered, self.last_letter = self.field, ""
            return self.field
        arabic = ARABIC.match(without_leading_zeros(number.rstrip(".")))
        if not arabic:
            raise BadCell(
                "number",
                number,
                f"Không hiểu số thứ tự '{number}'.",
                "Dùng 1, 1.1, 1.1.1; hoặc I, II cho lĩnh vực; hoặc a), b) cho cấp thấp nhất.",
                kind="bad_number",
            )
        code = f"{self.field}.{arabic.group(1)}" if self.field else arabic.group(1)
        self.last_numbered, self.last_letter = code, ""
        return code

    def continues_letters(self, letter: str) -> bool:
        return bool(self.last_letter) and ord(letter) == ord(self.last_letter) + 1

    def letter_code(self, number: str, letter: str) -> str:
        if self.last_numbered is None:
            raise BadCell("number", number, f"Mục '{number}' không nằm dưới tiêu chí nào.", kind="orphan")
        self.last_letter = letter
        return f"{self.last_numbered}.{ord(letter) - ord('a') + 1}"

    def max_of(self, cells: list) -> float | None:
        """A criterion's maximum: a number within the bound (check_maximum)."""
        points = cell_number(self.table, cells, "max", "2 hoặc 1,5")
        if points is None:
            raise BadCell("max", None, "Thiếu điểm tối đa.", kind="missing_value")
        return check_maximum(points, self.table.cell(cells, "max"))

    def total_max(self, line: int, cells: list) -> float | None:
        """The total row's maximum, None when blank or bad (a bad one reported)."""
        try:
            points = cell_number(self.table, cells, "max", "100")
            return None if points is None else check_maximum(points, self.table.cell(cells, "max"))
        except BadCell as bad:
            report(self.problems, self.table, line, bad)
            return None


def check_maximum(points: float, value) -> float:
    """A maximum is finite, above 0, at most MAX_POINTS and written with at most two decimals."""
    if not math.isfinite(points) or points > MAX_POINTS:
        shown = fmt_number(points) if math.isfinite(points) and points < 1e9 else cell_text(value)[:24]
        raise BadCell(
            "max",
            value,
            f"Điểm tối đa {shown} vượt giới hạn {fmt_int(MAX_POINTS)} điểm.",
            BOUND_SUGGESTION,
            kind="out_of_range",
        )
    if points <= 0:
        raise BadCell(
            "max", value, f"Điểm tối đa phải là số dương (đang ghi {fmt_number(points)}).", kind="not_positive"
        )
    if abs(points * 100 - round(points * 100)) > 1e-6:
        raise BadCell(
            "max",
            value,
            f"Điểm tối đa {cell_text(value)} có quá 2 chữ số thập phân.",
            BOUND_SUGGESTION,
            kind="too_many_decimals",
        )
    return points


def roman_value(text: str) -> int:
    values = [ROMAN_VALUES[c] for c in text]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def check_tree(table: Table, nodes: list[Node], total, problems: ProblemList) -> None:
    by_code: dict[str, Node] = {}
    for node in nodes:
        if node.code in by_code:
            bad = BadCell(
                "number",
                node.number,
                f"Số thứ tự {node.number} (mã {node.code}) trùng với dòng {by_code[node.code].line}.",
                "Mỗi lĩnh vực/tiêu chí một số thứ tự.",
                kind="duplicate",
            )
            report(problems, table, node.line, bad)
        else:
            by_code[node.code] = node
    check_parents(table, nodes, by_code, problems)
    check_numbering(table, nodes, problems)
    check_sums(table, nodes, problems)
    check_total(table, nodes, total, problems)


def check_parents(table: Table, nodes: list[Node], by_code: dict[str, Node], problems: ProblemList) -> None:
    for node in nodes:
        if node.parent != ROOT and node.parent not in by_code:
            bad = BadCell(
                "number",
                node.number,
                f"Tiêu chí {node.code} không có mục cha {node.parent} trong bảng.",
                f"Thêm dòng {node.parent} phía trên, hoặc sửa số thứ tự.",
                kind="orphan",
            )
            report(problems, table, node.line, bad)


def check_numbering(table: Table, nodes: list[Node], problems: ProblemList) -> None:
    """Children of a parent numbered 1, 2, 3… in the order written: a skipped number is reported."""
    expected: dict[str, int] = {}
    for node in nodes:
        position = int(node.code.rsplit(".", 1)[-1])
        want = expected.get(node.parent, 1)
        if position > want:
            missing = f"{node.parent}.{want}" if node.parent != ROOT else str(want)
            bad = BadCell(
                "number",
                node.number,
                f"Số thứ tự nhảy cóc: thiếu mục {missing} trước {node.code}.",
                "Kiểm tra có sót dòng hay đánh số sai.",
                kind="skipped",
            )
            report(problems, table, node.line, bad)
        expected[node.parent] = max(want, position + 1)


def check_sums(table: Table, nodes: list[Node], problems: ProblemList) -> None:
    children: dict[str, list[Node]] = {}
    for node in nodes:
        children.setdefault(node.parent, []).append(node)
    for node in nodes:
        kids = children.get(node.code)
        if not kids or node.max_points is None or any(k.max_points is None for k in kids):
            continue
        total = sum(k.max_points or 0 for k in kids)
        if abs(total - node.max_points) > TOLERANCE:
            bad = BadCell(
                "max",
                node.max_points,
                f"Điểm tối đa của mục {node.code} ghi {beyond(node.max_points, total)}, cộng các mục con "
                f"({', '.join(k.code for k in kids)}) được {beyond(total, node.max_points)}.",
                "Sửa điểm của mục cha hoặc của các mục con cho khớp.",
                kind="sum_mismatch",
            )
            report(problems, table, node.line, bad)


def check_total(table: Table, nodes: list[Node], total, problems: ProblemList) -> None:
    if any(n.max_points is None for n in nodes if n.parent == ROOT):
        return  # a field's maximum was reported: the sum would only repeat it
    fields = sum(n.max_points or 0 for n in nodes if n.parent == ROOT)
    if total and total[0] is not None and abs(total[0] - fields) > TOLERANCE:
        bad = BadCell(
            "max",
            total[0],
            f"Dòng tổng ghi {beyond(total[0], fields)} điểm, cộng các lĩnh vực được {beyond(fields, total[0])}.",
            "Sửa dòng tổng hoặc điểm các lĩnh vực.",
            kind="total_mismatch",
        )
        report(problems, table, total[1], bad)
    elif abs(fields - TOTAL_POINTS) > TOLERANCE:
        problems.add(
            sheet=table.sheet.name,
            severity=WARNING,
            kind="total_not_100",
            value=fmt_number(fields),
            reason=f"Tổng điểm tối đa các lĩnh vực là {fmt_number(fields)}, không phải 100.",
            suggestion="Kiểm tra lại nếu quyết định của tỉnh ghi thang 100 điểm.",
        )


def check_collision(
    con, code: str, level: str, year_from: int, year_to: int | None, problems: ProblemList, place: dict
) -> None:
    """Another set of the level claiming one of the same years: its explicit range, or its first year.
    Reported at the set's first row (the years are the file's as a whole)."""
    end = year_to if year_to is not None else year_from
    for other, other_from, other_to in con.execute(OTHER_SETS_SQL, [level, code]).fetchall():
        other_end = other_to if other_to is not None else other_from
        if year_from <= other_end and other_from <= end:
            span = f"{other_from}–{other_to}" if other_to else f"từ {other_from}"
            problems.add(
                **place,
                kind="set_collision",
                value=f"{year_from}",
                reason=f"Bộ tiêu chí {LEVEL_WORDS[level]} {other} đã áp dụng cho năm {span}, trùng với bộ mới "
                f"(từ {year_from}{f' đến {year_to}' if year_to else ''}).",
                suggestion=f"Đổi năm áp dụng, hoặc nạp với cùng mã --code {other} để thay bộ đó.",
            )


def tree_frame(criteria: list[tuple], offices: OfficeBook) -> pd.DataFrame:
    names = offices.names()
    return pd.DataFrame(
        {
            "code": [r[1] for r in criteria],
            "name": [r[3] for r in criteria],
            "max_points": [r[4] for r in criteria],
            "office": [names.get(r[5], "") if r[5] else "" for r in criteria],
            "depth": [0 if r[1] == ROOT else r[1].count(".") + 1 for r in criteria],
        }
    )
