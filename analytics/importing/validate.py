"""Validation: every cell of every usable sheet checked against the store, every problem kept.

Nothing is written here. The result is the list of score rows the file would store and the
problems found (errors block the import, warnings do not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

import duckdb

from analytics.errors import CchcError
from analytics.formatting import fmt_number
from analytics.importing.catalog import SUGGESTED, Catalog, CriteriaSet, Scope
from analytics.importing.formats import Column, DataRow, Layout, find_layout, is_summary_row
from analytics.importing.problems import WARNING, ProblemList, beyond
from analytics.importing.read import (
    MAX_FILE_BYTES,
    AmbiguousNumber,
    RawFile,
    ambiguous_reason,
    cell_text,
    encoding_hint,
    parse_number,
    read_number,
)
from analytics.importing.sheet_checks import check_sheet
from analytics.lineage import level_versions, named_in, out_of_year_sentence
from analytics.names import fold
from analytics.scope import Unit

MIN_YEAR = 2010
TOLERANCE = 0.01  # points; tables round every cell to two decimals
BAD = object()  # a cell that was reported as invalid
EXISTING_SQL = "SELECT DISTINCT year, unit_code FROM scores WHERE year IN (SELECT unnest(?))"


@dataclass
class ImportOptions:
    year: int | None = None
    level: str | None = None
    parent: str | None = None
    replace: bool = False
    demo: bool | None = None  # None: decided from the file's title and notes
    max_bytes: int = MAX_FILE_BYTES


@dataclass(frozen=True)
class Place:
    sheet: str | None
    line: int | None
    column: str | None


@dataclass
class Entry:
    year: int
    unit_code: str
    code: str
    points: float
    self_points: float | None
    place: Place
    stored: bool = True


@dataclass
class RankClaim:
    year: int
    level: str
    parent: str
    unit_code: str
    rank: int
    place: Place


@dataclass
class Group:
    """One unit in one year: where it first appears and its scope."""

    level: str
    parent: str
    place: Place
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Parsed:
    groups: dict[tuple[int, str], Group] = field(default_factory=dict)
    ranks: list[RankClaim] = field(default_factory=list)
    scopes: set[tuple[int, str, str]] = field(default_factory=set)
    texts: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    keys: dict[tuple[int, str, str], Place] = field(default_factory=dict)
    incomplete: set[tuple[int, str]] = field(default_factory=set)  # a cell of theirs was reported

    @property
    def entries(self) -> list[Entry]:
        return [e for g in self.groups.values() for e in g.entries]

    def rows(self) -> list[tuple]:
        """(year, unit_code, criterion_code, points, self_points) of every row to store."""
        return sorted((e.year, e.unit_code, e.code, e.points, e.self_points) for e in self.entries if e.stored)


def validate_file(
    con: duckdb.DuckDBPyConnection, raw: RawFile, options: ImportOptions, problems: ProblemList
) -> Parsed:
    catalog, parsed = Catalog(con), Parsed()
    if check_options(options, problems):
        return parsed  # a year out of range would be stamped on every row: nothing more to check
    for sheet in raw.sheets:
        layout = find_layout(sheet, catalog.criterion_names)
        if layout is None:
            if raw.kind == "xlsx" and any(c is not None for row in sheet.rows for c in row):
                problems.add(
                    sheet=sheet.name,
                    reason="Bỏ qua trang này: không có dòng tiêu đề nhận ra được.",
                    kind="ignored_sheet",
                    severity=WARNING,
                )
            continue
        parsed.sheets.append(sheet.name or raw.name)
        check_sheet(layout, problems)
        SheetValidator(con, catalog, raw, layout, options, problems, parsed).run()
    if not parsed.sheets:
        report_no_table(raw, problems)
    check_hierarchy(catalog, parsed, problems)
    check_missing_units(catalog, parsed, problems)
    check_existing(con, catalog, parsed, options, problems)
    return parsed


def check_options(options: ImportOptions, problems: ProblemList) -> bool:
    """True when an option is refused (reported)."""
    reason = year_problem(options.year) if options.year is not None else None
    if reason is None:
        return False
    problems.add(value=options.year, reason=reason, kind="year_range", suggestion="Kiểm tra lại năm đã chọn.")
    return True


def report_no_table(raw: RawFile, problems: ProblemList) -> None:
    what = "Không có trang tính nào dùng được" if raw.kind == "xlsx" else "Không tìm thấy dòng tiêu đề của bảng"
    problems.add(
        reason=f"{what}: cần một dòng tiêu đề có cột đơn vị (mã hoặc tên) và cột điểm "
        "(lĩnh vực 1–8, tổng điểm, hoặc tiêu chí và điểm)." + encoding_hint(raw),
        kind="no_table",
        suggestion="Tải tệp mẫu ở trang Dữ liệu để xem cách trình bày.",
    )


def year_problem(year: int) -> str | None:
    latest = date.today().year + 1
    if MIN_YEAR <= year <= latest:
        return None
    return f"Năm {year} nằm ngoài khoảng hợp lệ {MIN_YEAR}–{latest}."


def year_in_text(text: str) -> int | None:
    folded = fold(text)
    match = re.search(r"\bnam (\d{4})\b", folded) or re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", folded)
    return int(match.group(1)) if match else None


class SheetValidator:
    """Reads the data rows of one recognised sheet into Entries, reporting every bad cell."""

    def __init__(
        self,
        con,
        catalog: Catalog,
        raw: RawFile,
        layout: Layout,
        options: ImportOptions,
        problems: ProblemList,
        parsed: Parsed,
    ):
        self.con, self.catalog, self.raw, self.layout = con, catalog, raw, layout
        self.options, self.problems, self.parsed = options, problems, parsed
        self.sheet = layout.sheet.name
        self.code_col, self.name_col = layout.first("unit_code"), layout.first("unit")
        self.year_col = layout.first("year")
        self._scope: Scope | None = None
        self.sheet_year: int | None = None
        self.reported: set = set()
        self.last_unit: str | None = None
        self.last_year: int | None = None
        self.named: dict[str, list[Unit]] = {}
        self.versions: list[tuple[Unit, set[str]]] | None = None  # lineage.level_versions, read once

    # --- set-up -------------------------------------------------------------------------------

    def run(self) -> None:
        self.parsed.texts += [self.layout.title, self.layout.notes]
        if not [r for r in self.layout.rows if not r.after_gap]:
            self.problems.add(
                sheet=self.sheet,
                row=self.layout.header_line,
                kind="no_data",
                reason="Không có dòng dữ liệu nào dưới dòng tiêu đề.",
                suggestion="Điền điểm của các đơn vị vào bảng rồi nạp lại.",
            )
            return
        self.sheet_year = self.fallback_year()
        self._scope = self.resolve_scope()
        if self._scope is None:
            return
        self.warn_ignored_columns()
        read_row = {"long": self.read_long_row, "table": self.read_table_row, "totals": self.read_totals_row}
        for row in self.layout.rows:
            read_row[self.layout.kind](row)

    @property
    def scope(self) -> Scope:
        """The sheet's scope; rows are read only once run() has resolved it."""
        if self._scope is None:
            raise CchcError(f"Chưa xác định được cấp và đơn vị cha của trang {self.sheet}.")
        return self._scope

    def unit_texts(self) -> list[str]:
        texts = []
        for row in self.layout.rows:
            code, name = self.cell(row, self.code_col), self.cell(row, self.name_col)
            if not row.after_gap and (code or name) and not is_summary_row(name or code):
                texts.append(code or name)
        return texts

    def resolve_scope(self) -> Scope | None:
        level, parent = self.options.level, self.options.parent
        scopes, matched = self.catalog.infer_scope(self.unit_texts(), level, parent, self.sheet_year)
        if not scopes:
            self.problems.add(
                sheet=self.sheet,
                value=parent or level,
                kind="scope",
                reason=f"Không có đơn vị nào thuộc cấp '{level}' và đơn vị cha '{parent}'.",
                suggestion="Kiểm tra lại cấp và mã đơn vị cha đã chọn.",
            )
            return None
        if len(scopes) > 1 and matched > 0:
            self.problems.add(
                sheet=self.sheet,
                kind="scope",
                reason="Tên đơn vị trong trang khớp với nhiều cấp hoặc nhiều đơn vị cha.",
                suggestion="Chọn cấp (--level) và đơn vị cha (--parent) khi nạp.",
            )
            return None
        return self.catalog.scope(*scopes[0])

    def fallback_year(self) -> int | None:
        """--year / the form, else the title, else the file name; checked once."""
        year, source = self.options.year, "năm đã chọn"
        if year is None:
            year, source = year_in_text(self.layout.title), "dòng tiêu đề"
        if year is None:
            year, source = year_in_text(PurePath(self.raw.name).stem), "tên tệp"
        if year is not None and source != "năm đã chọn" and year_problem(year):
            self.problems.add(
                sheet=self.sheet,
                value=year,
                kind="year_range",
                reason=f"{year_problem(year)} (năm lấy từ {source})",
                suggestion="Sửa năm trong tệp hoặc chọn năm khi nạp.",
            )
            self.reported.add("year")
            return None
        return year

    def warn_ignored_columns(self) -> None:
        for col in self.layout.columns:
            if col.role is None and col.label:
                self.problems.add(
                    sheet=self.sheet,
                    row=self.layout.header_line,
                    column=col.label,
                    kind="ignored_column",
                    severity=WARNING,
                    reason="Bỏ qua cột không nhận ra.",
                    suggestion="Nếu đây là một lĩnh vực hay tiêu chí, hãy ghi mã của nó (ví dụ 3, 3.1).",
                )

    # --- cells --------------------------------------------------------------------------------

    @staticmethod
    def cell(row: DataRow, col: Column | None) -> str:
        if col is None or col.index >= len(row.cells):
            return ""
        return cell_text(row.cells[col.index])

    def raw_cell(self, row: DataRow, col: Column | None):
        return None if col is None or col.index >= len(row.cells) else row.cells[col.index]

    def place(self, row: DataRow | None, col: Column | None) -> Place:
        return Place(self.sheet, row.line if row else self.layout.header_line, col.label if col else None)

    def add(
        self, row: DataRow | None, col: Column | None, value, reason: str, kind: str, suggestion: str | None = None
    ) -> None:
        p = self.place(row, col)
        self.problems.add(
            sheet=p.sheet, row=p.line, column=p.column, value=value, reason=reason, kind=kind, suggestion=suggestion
        )

    def number(self, row: DataRow, col: Column, cs: CriteriaSet | None, code: str | None):
        """The cell as points within [0, max], None when blank, BAD when reported."""
        raw = self.raw_cell(row, col)
        try:
            value = read_number(raw, self.layout.sheet.decimal, self.layout.sheet.decimal_shown)
        except AmbiguousNumber:
            reason, suggestion = ambiguous_reason(raw)
            self.add(row, col, raw, reason, "ambiguous_number", suggestion)
            return BAD
        except ValueError:
            self.add(
                row, col, raw, f"'{cell_text(raw)}' không phải là số.", "not_a_number", "Ghi điểm bằng số, ví dụ 73,79."
            )
            return BAD
        if value is None:
            return None
        return self.check_range(row, col, value, cs, code)

    def check_range(self, row, col, value: float, cs: CriteriaSet | None, code: str | None):
        if value < 0:
            self.add(
                row, col, beyond(value, 0), f"Điểm âm ({beyond(value, 0)}).", "negative", "Điểm phải từ 0 trở lên."
            )
            return BAD
        if cs is not None and code is not None and value > cs.nodes[code].max_points + 1e-9:
            self.add(
                row,
                col,
                beyond(value, cs.nodes[code].max_points),
                f"{beyond(value, cs.nodes[code].max_points)} vượt điểm tối đa {cs.max_text(code)} của "
                f"{cs.label(code)}.",
                "above_maximum",
                f"Điểm {cs.label(code)} phải từ 0 đến {cs.max_text(code)}.",
            )
            return BAD
        return value

    def values_present(self, row: DataRow, columns: list[Column]) -> bool:
        return any(self.raw_cell(row, c) is not None for c in columns)

    # --- unit and year of a row ---------------------------------------------------------------

    def row_unit(self, row: DataRow, has_values: bool) -> str | None:
        code_text, name_text = self.cell(row, self.code_col), self.cell(row, self.name_col)
        if not (code_text or name_text) or is_summary_row(name_text or code_text):
            return None
        by_code = self.scope.match(code_text)[0] if code_text else None
        by_name, candidates = self.scope.match(name_text) if name_text else (None, set())
        if by_code and by_name and by_code != by_name:
            self.add(
                row,
                self.name_col,
                name_text,
                f"Mã đơn vị {code_text} là '{self.scope.name(by_code)}' nhưng tên ghi '{name_text}'.",
                "unit_mismatch",
                "Sửa mã hoặc tên cho khớp nhau.",
            )
            return None
        if by_code or by_name:
            return by_code or by_name
        if has_values and not row.after_gap:
            self.report_unknown_unit(row, code_text, name_text, candidates)
        return None

    def report_unknown_unit(self, row, code_text: str, name_text: str, candidates: set[str]) -> None:
        text, col = (name_text, self.name_col) if name_text else (code_text, self.code_col)
        if len(candidates) > 1:
            names = ", ".join(f"'{self.scope.name(c)}'" for c in sorted(candidates))
            self.add(
                row,
                col,
                text,
                f"Tên đơn vị '{text}' khớp với nhiều đơn vị ({names}).",
                "ambiguous_unit",
                "Ghi mã đơn vị để phân biệt.",
            )
            return
        year = self.sheet_year
        elsewhere = [u for u in self.versions_named(text) if year is not None and not u.valid_in(year)]
        if elsewhere:
            assert year is not None
            reasons = " ".join(out_of_year_sentence(self.con, unit, year) for unit in elsewhere)
            self.add(
                row,
                col,
                text,
                f"Năm {year} không có đơn vị '{text}': {reasons}",
                "unit_not_in_year",
                f"Ghi mã hoặc tên của đơn vị có trong năm {year}.",
            )
            return
        self.add(
            row,
            col,
            text,
            f"Không tìm thấy đơn vị '{text}' trong {self.scope.label}.",
            "unknown_unit",
            self.scope.suggestion(self.con, text) or "Ghi mã đơn vị hoặc tên chính thức của đơn vị.",
        )

    def versions_named(self, text: str) -> list[Unit]:
        """The unit versions of the sheet's level `text` names in any year (once per text, for the first
        SUGGESTED texts: a file may repeat one unknown name 100 000 times)."""
        if text not in self.named and len(self.named) < SUGGESTED:
            if self.versions is None:
                self.versions = level_versions(self.con, self.scope.level)
            self.named[text] = named_in(self.versions, text)
        return self.named.get(text, [])

    def row_year(self, row: DataRow) -> int | None:
        raw = self.raw_cell(row, self.year_col)
        if raw is None:
            return self.missing_year(row)
        try:
            year = parse_number(raw, ".")
        except ValueError:
            year = None
        if year is None or not float(year).is_integer():
            self.add(
                row,
                self.year_col,
                raw,
                f"'{cell_text(raw)}' không phải là một năm.",
                "not_a_number",
                "Ghi năm bằng bốn chữ số, ví dụ 2021.",
            )
            return None
        return self.checked_year(row, int(year))

    def checked_year(self, row: DataRow, year: int) -> int | None:
        reason = year_problem(year)
        if reason is not None:
            self.add(row, self.year_col, year, reason, "year_range", "Kiểm tra lại cột năm.")
            return None
        if self.options.year is not None and year != self.options.year:
            self.add(
                row,
                self.year_col,
                year,
                f"Năm trong tệp ({year}) khác năm đã chọn ({self.options.year}).",
                "year_conflict",
                "Bỏ chọn năm khi nạp, hoặc sửa cột năm.",
            )
            return None
        return year

    def missing_year(self, row: DataRow) -> int | None:
        year = self.last_year if self.layout.kind == "long" and self.last_year else self.sheet_year
        if year is None and "year" not in self.reported:
            self.reported.add("year")
            self.add(
                row,
                self.year_col,
                None,
                "Không xác định được năm của số liệu.",
                "missing_year",
                "Thêm cột Năm, ghi năm trong dòng tiêu đề, hoặc chọn năm khi nạp (--year).",
            )
        return year

    def criteria(self, row: DataRow, year: int) -> CriteriaSet | None:
        cs = self.catalog.criteria(self.scope.level, year)
        if cs is None and ("set", year) not in self.reported:
            self.reported.add(("set", year))
            self.add(
                row,
                None,
                year,
                f"Chưa có bộ tiêu chí {self.scope.label} áp dụng cho năm {year}.",
                "no_criteria_set",
                "Thêm bộ tiêu chí của năm này vào kho trước khi nạp điểm.",
            )
        return cs

    # --- rows of each layout -----------------------------------------------------------------

    def begin_row(self, row: DataRow, value_columns: list[Column]) -> tuple[str, int, CriteriaSet] | None:
        """(unit, year, criteria set) of a row that carries data, or None to skip it."""
        has_values = self.values_present(row, value_columns)
        unit = self.row_unit(row, has_values)
        if unit is None:
            return None
        if not has_values:
            if not row.after_gap:
                self.add(
                    row,
                    self.name_col or self.code_col,
                    self.scope.name(unit),
                    f"Dòng của {self.scope.name(unit)} không có điểm nào.",
                    "missing_value",
                    "Điền điểm hoặc xóa dòng này.",
                )
            return None
        year = self.row_year(row)
        if year is not None and not self.scope.in_force(unit, year):
            self.report_out_of_year(row, self.scope.version(unit), year)
            return None
        cs = self.criteria(row, year) if year is not None else None
        return (unit, year, cs) if year is not None and cs is not None else None

    def report_out_of_year(self, row: DataRow, unit: Unit, year: int) -> None:
        """A unit that did not exist in the row's year (the 2025 reform): say what it became or came from."""
        self.add(
            row,
            self.name_col or self.code_col,
            unit.name,
            f"Năm {year} không có {unit.name} (mã {unit.code}): {out_of_year_sentence(self.con, unit, year)}",
            "unit_not_in_year",
            f"Ghi mã hoặc tên của đơn vị có trong năm {year}.",
        )

    def read_table_row(self, row: DataRow) -> None:
        nodes = self.layout.of("node", "node_name")
        total_col = self.layout.first("total") or self.layout.first("points")
        rank_col = self.layout.first("rank")
        start = self.begin_row(row, nodes + [c for c in (total_col,) if c])
        if start is None or not self.open_group(row, *start[:2]):
            return
        unit, year, cs = start
        filled = [c for c in nodes if self.raw_cell(row, c) is not None]
        for col in nodes:
            code = self.column_code(col, cs)
            if not code:
                self.parsed.incomplete.add((year, unit))
                continue
            value = self.number(row, col, cs, code)
            if value is None and filled:
                self.add(
                    row,
                    col,
                    None,
                    f"Thiếu điểm {cs.label(code)}.",
                    "missing_value",
                    "Điền điểm (0 nếu không đạt điểm nào).",
                )
            if (value is None and filled) or value is BAD:
                self.parsed.incomplete.add((year, unit))
            elif value is not None:
                self.add_entry(year, unit, code, value, None, row, col)
        self.read_total_and_rank(row, unit, year, cs, total_col, rank_col, stored=not filled)

    def read_totals_row(self, row: DataRow) -> None:
        total_col = self.layout.first("total") or self.layout.first("points")
        rank_col = self.layout.first("rank")
        start = self.begin_row(row, [c for c in (total_col,) if c])
        if start is None or not self.open_group(row, *start[:2]):
            return
        unit, year, cs = start
        self.read_total_and_rank(row, unit, year, cs, total_col, rank_col, stored=True)

    def read_total_and_rank(self, row, unit, year, cs, total_col, rank_col, stored: bool) -> None:
        if total_col is not None:
            total = self.number(row, total_col, cs, cs.root)
            if total is None and stored:
                self.add(row, total_col, None, "Thiếu tổng điểm.", "missing_value", "Điền tổng điểm của đơn vị.")
            elif total is not None and total is not BAD:
                self.add_entry(year, unit, cs.root, total, None, row, total_col, stored=stored)
        if rank_col is not None and self.raw_cell(row, rank_col) is not None:
            self.read_rank(row, rank_col, unit, year)

    def read_rank(self, row: DataRow, col: Column, unit: str, year: int) -> None:
        raw = self.raw_cell(row, col)
        try:
            rank = parse_number(raw, ".")
        except ValueError:
            rank = None
        if rank is None or not float(rank).is_integer() or rank < 1:
            self.add(
                row,
                col,
                raw,
                f"'{cell_text(raw)}' không phải là một thứ hạng.",
                "not_a_number",
                "Ghi thứ hạng bằng số nguyên dương, ví dụ 6.",
            )
            return
        self.parsed.ranks.append(
            RankClaim(year, self.scope.level, self.scope.parent, unit, int(rank), self.place(row, col))
        )

    def read_long_row(self, row: DataRow) -> None:
        crit_col, points_col = self.required("criterion", "criterion_name"), self.required("points")
        self_col = self.layout.first("self_points")
        if not self.cell(row, crit_col) and self.raw_cell(row, points_col) is None:
            return
        self.fill_down(row)
        start = self.begin_row(row, [points_col])
        if start is None:
            return
        unit, year, cs = start
        self.last_unit, self.last_year = unit, year
        code = self.criterion_of(row, crit_col, cs)
        points = self.number(row, points_col, cs, code)
        self_points = self.number(row, self_col, cs, code) if self_col else None
        if points is None:
            self.add(row, points_col, None, "Thiếu điểm.", "missing_value", "Điền điểm hoặc xóa dòng này.")
        if code is None or points is None or BAD in (points, self_points):
            self.parsed.incomplete.add((year, unit))
            return
        if self.open_group(row, unit, year, duplicates_allowed=True):
            self.add_entry(year, unit, code, points, self_points, row, points_col)

    def required(self, *roles: str) -> Column:
        """The first column of `roles`, which the layout's kind guarantees (formats.kind_of)."""
        col = next((c for c in map(self.layout.first, roles) if c is not None), None)
        if col is None:
            raise CchcError(f"Trang {self.sheet} thiếu cột {' hoặc '.join(roles)}.")
        return col

    def fill_down(self, row: DataRow) -> None:
        """Long tables often write a unit (and year) once, above its criteria: carry it down."""
        unit_cols = [c for c in (self.code_col, self.name_col) if c is not None]
        for cols, last in ((unit_cols, self.last_unit), ([self.year_col] if self.year_col else [], self.last_year)):
            if cols and last and all(self.raw_cell(row, c) is None for c in cols):
                row.cells.extend([None] * (cols[0].index + 1 - len(row.cells)))
                row.cells[cols[0].index] = last

    def criterion_of(self, row: DataRow, col: Column, cs: CriteriaSet) -> str | None:
        text = self.cell(row, col)
        code = cs.resolve(text) if text else None
        if code is None:
            self.add(
                row,
                col,
                text,
                f"Không tìm thấy tiêu chí '{text}' trong bộ tiêu chí {cs.code}." if text else "Thiếu mã tiêu chí.",
                "unknown_criterion",
                cs.suggest(text),
            )
        return code

    def column_code(self, col: Column, cs: CriteriaSet) -> str | None:
        code = col.code if col.role == "node" and col.code in cs.nodes else None
        if col.role == "node_name":
            code = cs.resolve(col.label)
        if code is None and ("column", col.index, cs.code) not in self.reported:
            self.reported.add(("column", col.index, cs.code))
            self.add(
                None,
                col,
                col.label,
                f"Bộ tiêu chí {cs.code} không có lĩnh vực hay tiêu chí '{col.label}'.",
                "unknown_criterion",
                cs.suggest(col.label),
            )
        return code

    # --- collecting ---------------------------------------------------------------------------

    def open_group(self, row: DataRow, unit: str, year: int, duplicates_allowed: bool = False) -> bool:
        key = (year, unit)
        group = self.parsed.groups.get(key)
        if group is not None and not duplicates_allowed:
            first = group.place
            self.add(
                row,
                self.name_col or self.code_col,
                self.scope.name(unit),
                f"{self.scope.name(unit)} xuất hiện lần nữa (đã có ở dòng {first.line}).",
                "duplicate",
                "Xóa dòng trùng.",
            )
            return False
        if group is None:
            self.parsed.groups[key] = Group(self.scope.level, self.scope.parent, self.place(row, None))
            self.parsed.scopes.add((year, self.scope.level, self.scope.parent))
        return True

    def add_entry(self, year, unit, code, points, self_points, row, col, stored: bool = True) -> None:
        key = (year, unit, code)
        if stored and key in self.parsed.keys:
            self.add(
                row,
                col,
                code,
                f"Trùng dòng: {self.scope.name(unit)}, tiêu chí {code}, năm {year} "
                f"đã có ở dòng {self.parsed.keys[key].line}.",
                "duplicate",
                "Xóa dòng trùng.",
            )
            return
        if stored:
            self.parsed.keys[key] = self.place(row, col)
        self.parsed.groups[(year, unit)].entries.append(
            Entry(year, unit, code, points, self_points, self.place(row, col), stored)
        )


# --- checks across rows ---------------------------------------------------------------------------


def check_hierarchy(catalog: Catalog, parsed: Parsed, problems: ProblemList) -> None:
    """A field total must equal its criteria, a total its fields (within rounding)."""
    for (year, unit), group in parsed.groups.items():
        if (year, unit) in parsed.incomplete:
            continue  # its bad cells are reported; a sum over the rest would only add noise
        cs = catalog.required_criteria(group.level, year)
        given = {e.code: e for e in group.entries}
        for code, entry in given.items():
            kids = [k for k in cs.children.get(code, []) if _subtree_given(cs, k, given)]
            if kids:
                total = round(sum(_value(cs, k, given) for k in kids), 6)
                if abs(total - entry.points) > TOLERANCE + 1e-9:
                    _report_mismatch(problems, catalog.scope(group.level, group.parent), cs, entry, total)


def _subtree_given(cs: CriteriaSet, code: str, given: dict) -> bool:
    return code in given or any(_subtree_given(cs, k, given) for k in cs.children.get(code, []))


def _value(cs: CriteriaSet, code: str, given: dict) -> float:
    if code in given:
        return given[code].points
    return sum(_value(cs, k, given) for k in cs.children.get(code, []) if _subtree_given(cs, k, given))


def _report_mismatch(problems: ProblemList, scope: Scope, cs: CriteriaSet, entry: Entry, total: float) -> None:
    name, shown, summed = scope.name(entry.unit_code), fmt_number(entry.points), fmt_number(total)
    gap = fmt_number(abs(entry.points - total))
    if entry.code == cs.root:
        reason = f"Tổng điểm của {name} ghi {shown} nhưng cộng các lĩnh vực được {summed} (lệch {gap})."
        kind = "total_mismatch"
    else:
        reason = (
            f"Điểm {cs.label(entry.code)} của {name} ghi {shown} nhưng cộng các tiêu chí con được "
            f"{summed} (lệch {gap})."
        )
        kind = "field_mismatch"
    problems.add(
        sheet=entry.place.sheet,
        row=entry.place.line,
        column=entry.place.column,
        value=shown,
        reason=reason,
        kind=kind,
        suggestion="Kiểm tra lại điểm tổng và các điểm thành phần.",
    )


def check_missing_units(catalog: Catalog, parsed: Parsed, problems: ProblemList) -> None:
    for year, level, parent in sorted(parsed.scopes):
        scope = catalog.scope(level, parent)
        missing = [c for c in scope.valid_in(year) if (year, c) not in parsed.groups]
        if missing:
            names = ", ".join(scope.name(c) for c in missing)
            problems.add(
                value=", ".join(missing),
                severity=WARNING,
                kind="missing_units",
                reason=f"Tệp không có điểm năm {year} của {len(missing)} đơn vị {scope.label}: {names}.",
                suggestion="Các đơn vị này sẽ chưa có dữ liệu năm đó; có thể nạp bổ sung sau.",
            )


def check_existing(con, catalog: Catalog, parsed: Parsed, options: ImportOptions, problems: ProblemList) -> None:
    if options.replace or not parsed.groups:
        return
    years = sorted({y for y, _ in parsed.groups})
    existing = set(con.execute(EXISTING_SQL, [years]).fetchall())
    for (year, unit), group in sorted(parsed.groups.items()):
        if (year, unit) in existing:
            name = catalog.scope(group.level, group.parent).name(unit)
            problems.add(
                sheet=group.place.sheet,
                row=group.place.line,
                value=name,
                kind="exists",
                reason=f"{name} đã có dữ liệu năm {year} trong kho.",
                suggestion="Chọn 'Thay thế dữ liệu đã có' (--replace) để ghi đè; có thể hoàn tác sau.",
            )
