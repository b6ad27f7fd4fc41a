"""Reference data from files: criteria annexes, bands, offices, ownership, targets, indicators, aliases.

The same path as results: read (read.read_file) → recognise the table → validate every cell (every
problem at once, with its place) → preview (a trial transaction, rolled back) → commit (one
transaction, one batch whose `content` is the kind) → undo (commit.undo_batch). Each kind turns a
file into TableWrites: the rows a table gets and the condition selecting the rows they replace; the
replaced rows are copied into the table's replaced_ twin under the new batch, so undo restores them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from analytics.errors import CchcError
from analytics.formatting import fmt_int, fmt_number
from analytics.importing.commit import finish_batch
from analytics.importing.intake import take_in, warn_if_imported_before
from analytics.importing.problems import ERROR, WARNING, HasProblems, Problem, ProblemList
from analytics.importing.read import (
    MAX_FILE_BYTES,
    XLSX_MAGIC,
    AmbiguousNumber,
    RawFile,
    RawSheet,
    ambiguous_reason,
    cell_text,
    encoding_hint,
    read_number,
    shown_decimal,
)
from analytics.names import fold
from analytics.schema import REFERENCE_TABLES
from analytics.store import new_batch
from analytics.transactions import transaction, trial

KIND_LABELS = {
    "scores": "kết quả chấm điểm",
    "tasks": "bảng nhiệm vụ",
    "criteria": "bộ tiêu chí",
    "bands": "thang xếp loại",
    "offices": "danh mục cơ quan",
    "ownership": "cơ quan chủ trì tiêu chí",
    "targets": "chỉ tiêu",
    "indicators": "chỉ số hoạt động",
    "aliases": "tên gọi khác của đơn vị",
}
REFERENCE_KINDS = ("criteria", "bands", "offices", "ownership", "targets", "indicators", "aliases")
HEADER_SCAN_ROWS = 40
NAME_MAX_CHARS = 300  # a criterion, office, set, band, metric, indicator or alias name; a decision's longest is ~250
STRANDED_SHOWN = 10
# Scores of a level, in the years the new set is in force, that it does not hold or holds above its maximum.
STRANDED_SQL = """
    WITH lv AS (SELECT DISTINCT code, level FROM units WHERE level = $level),
    yrs AS (SELECT DISTINCT year FROM scores),
    ys AS (SELECT year, set_code FROM (SELECT year, set_in_force($level, year) AS set_code FROM yrs)
           WHERE set_code = $set)
    SELECT s.year, s.unit_code, s.criterion_code, s.points, c.max_points, ys.set_code
    FROM scores s JOIN lv ON lv.code = s.unit_code JOIN ys USING (year)
    LEFT JOIN criteria c ON c.set_code = ys.set_code AND c.code = s.criterion_code
    WHERE c.code IS NULL OR s.points > c.max_points + 0.005
    ORDER BY s.year, s.unit_code, s.criterion_code
"""
SAVE_STRANDED_SQL = """
    INSERT INTO replaced_scores BY NAME
    SELECT $batch AS replaced_by_batch_id, s.* FROM scores s
    WHERE (s.year, s.unit_code, s.criterion_code) IN (SELECT (year, unit_code, criterion_code) FROM stranded_now)
"""
DELETE_STRANDED_SQL = """
    DELETE FROM scores WHERE (year, unit_code, criterion_code) IN
        (SELECT (year, unit_code, criterion_code) FROM stranded_now)
"""


@dataclass
class ReferenceOptions:
    """What a reference file does not say itself (the CLI's options, the page's fields)."""

    level: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    code: str | None = None
    name: str | None = None
    set_code: str | None = None
    remove_stranded: bool = False  # a new set may remove the stored scores it would strand (undoable)
    max_bytes: int = MAX_FILE_BYTES


@dataclass
class TableWrite:
    """Rows for one table, replacing the rows `where` selects (a constant condition; values in params)."""

    table: str
    where: str
    params: list
    columns: list[str]
    rows: list[tuple]


@dataclass
class ReferenceAnalysis(HasProblems):
    kind: str
    file_name: str
    sha256: str
    size: int
    problems: list[Problem]
    writes: list[TableWrite] = field(default_factory=list)
    preview: pd.DataFrame | None = None  # one row per thing added or changed, Vietnamese headers
    tree: pd.DataFrame | None = None  # a criteria set's nodes (criteria only)
    summary: str = ""
    affected_years: list[int] = field(default_factory=list)
    stranded: pd.DataFrame | None = None
    recognised: bool = False  # the kind was recognised from the header, not asked for

    @property
    def ok(self) -> bool:
        return not self.errors and any(w.rows for w in self.writes)

    @property
    def row_count(self) -> int:
        return sum(len(w.rows) for w in self.writes)


@dataclass
class Parsed:
    """What a kind's reader returns: the writes, the preview and what the preview needs to check."""

    writes: list[TableWrite] = field(default_factory=list)
    preview: pd.DataFrame | None = None
    summary: str = ""
    level: str | None = None  # a criteria set's level: its scores are checked for stranding
    set_code: str | None = None
    tree: pd.DataFrame | None = None
    # (sheet, code -> line, max column, (sheet, header line, number column)): where stranded scores point
    anchor: tuple | None = None


Reader = Callable[[duckdb.DuckDBPyConnection, RawFile, "ReferenceOptions", ProblemList], Parsed]


# --- finding a table by its header -----------------------------------------------------------


def header_word(value) -> str:
    """A header cell folded: no accents or case, no trailing ':' or '*', spaces collapsed."""
    return re.sub(r"\s+", " ", fold(cell_text(value))).strip(" :*.")


@dataclass
class Table:
    sheet: RawSheet
    header_index: int
    columns: dict[str, int]  # key -> position
    labels: dict[str, str]  # key -> the header as written
    decimals: dict[str, tuple[str, bool]] = field(default_factory=dict)  # decimal_of, once per column

    def data_rows(self) -> list[tuple[int, list]]:
        """(line, cells) of every non-blank row under the header, up to a blank line after data."""
        rows, seen = [], False
        for index in range(self.header_index + 1, len(self.sheet.rows)):
            cells = self.sheet.rows[index]
            if all(cell_text(c) == "" for c in cells):
                if seen:
                    break
                continue
            seen = True
            rows.append((self.sheet.line_numbers[index], cells))
        return rows

    def decimal_of(self, key: str) -> tuple[str, bool]:
        """(decimal mark, shown) of a value column: what its own cells show, not the whole sheet's, whose
        criterion numbers ("1.1", "3.2") would count as decimal points. Unshown: the sheet's default."""
        if key not in self.decimals:
            shown = shown_decimal([[self.cell(cells, key)] for _, cells in self.data_rows()])
            self.decimals[key] = (shown or self.sheet.decimal, shown is not None)
        return self.decimals[key]

    def cell(self, cells: list, key: str):
        position = self.columns.get(key)
        return cells[position] if position is not None and position < len(cells) else None

    def text(self, cells: list, key: str) -> str:
        return cell_text(self.cell(cells, key)).strip()

    def name(self, cells: list, key: str) -> str:
        """A name cell (criterion, office, band, metric, indicator, alias): its text, refused when longer
        than NAME_MAX_CHARS (BadCell at its column)."""
        return capped_name(key, self.text(cells, key))


def cell_number(table: Table, cells: list, key: str, example: str = "70 hoặc 97,5") -> float | None:
    """A number cell of a reference table (read.read_number, the results importer's rule); blank -> None."""
    value = table.cell(cells, key)
    try:
        return read_number(value, *table.decimal_of(key))
    except AmbiguousNumber:
        reason, suggestion = ambiguous_reason(value)
        raise BadCell(key, value, reason, suggestion, kind="ambiguous_number") from None
    except ValueError:
        raise BadCell(
            key, value, f"'{cell_text(value)}' không phải là số.", f"Ghi số, ví dụ {example}.", kind="not_a_number"
        ) from None


def capped_name(key: str, text: str) -> str:
    """The one rule for the length of every name a reference file (or --name) gives."""
    if len(text) > NAME_MAX_CHARS:
        raise BadCell(
            key,
            text,
            f"Tên dài {fmt_int(len(text))} ký tự, vượt giới hạn {fmt_int(NAME_MAX_CHARS)} ký tự.",
            "Rút gọn tên; phần giải thích dài ghi vào cột Ghi chú hoặc văn bản kèm theo.",
            kind="too_long",
        )
    return text


def match_columns(cells: list, spellings: dict[str, Callable[[str], bool]]) -> tuple[dict[str, int], dict[str, str]]:
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    for position, value in enumerate(cells):
        word = header_word(value)
        if not word:
            continue
        for key, accepts in spellings.items():
            if key not in columns and accepts(word):
                columns[key], labels[key] = position, cell_text(value)
                break
    return columns, labels


def find_table(
    raw: RawFile, spellings: dict[str, Callable[[str], bool]], required: tuple[str, ...], refused: tuple[str, ...] = ()
) -> Table | None:
    """The first row (of any sheet) holding every required column and none of the refused ones."""
    for sheet in raw.sheets:
        for index, cells in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
            columns, labels = match_columns(cells, spellings)
            if all(k in columns for k in required) and not any(k in columns for k in refused):
                return Table(sheet, index, columns, labels)
    return None


def one_of(*words: str) -> Callable[[str], bool]:
    accepted = set(words)
    return lambda word: re.sub(r"\s*\([^)]*\)\s*", " ", word).strip() in accepted or word in accepted


class BadCell(Exception):
    """One bad cell: the reader reports it at its row and column and goes on with the next row."""

    def __init__(self, key: str, value, reason: str, suggestion: str | None = None, kind: str = "invalid"):
        super().__init__(reason)
        self.key, self.value, self.reason, self.suggestion, self.kind = key, value, reason, suggestion, kind


def report(problems: ProblemList, table: Table, line: int, bad: BadCell, severity: str = ERROR) -> None:
    problems.add(
        sheet=table.sheet.name,
        row=line,
        column=table.labels.get(bad.key, bad.key),
        value=None if bad.value is None else cell_text(bad.value)[:80],
        reason=bad.reason,
        suggestion=bad.suggestion,
        kind=bad.kind,
        severity=severity,
    )


def no_table(raw: RawFile, problems: ProblemList, kind: str, needed: str) -> None:
    problems.add(
        reason=f"Không tìm thấy dòng tiêu đề của bảng {KIND_LABELS[kind]} (cần các cột {needed})." + encoding_hint(raw),
        kind="no_table",
        suggestion="Tải tệp mẫu ở thẻ Tệp mẫu của trang Dữ liệu để xem cách trình bày.",
    )


# --- the pipeline ------------------------------------------------------------------------------


def readers() -> dict[str, Reader]:
    from analytics.importing import annex, reference_tables

    return {"criteria": annex.read_annex, **reference_tables.READERS}


def analyze_reference(
    con, kind: str, file_name: str, data: bytes, options: ReferenceOptions | None = None
) -> ReferenceAnalysis:
    """Read, check and preview a reference file against the store, without writing anything."""
    return _analyze(con, kind, file_name, data, options or ReferenceOptions(), recognised=False)


def _analyze(con, kind: str, file_name: str, data: bytes, options: ReferenceOptions, recognised: bool):
    intake = take_in(file_name, data, options.max_bytes)
    if intake.raw is None:
        return ReferenceAnalysis(kind, intake.file_name, intake.sha256, intake.size, intake.problems.sorted())
    return analyze_raw(con, kind, intake.raw, options, intake.problems, recognised)


def analyze_raw(
    con, kind: str, raw: RawFile, options: ReferenceOptions, problems: ProblemList, recognised: bool = False
) -> ReferenceAnalysis:
    parsed = readers()[kind](con, raw, options, problems)
    warn_if_imported_before(con, raw.sha256, problems)
    analysis = ReferenceAnalysis(kind, raw.name, raw.sha256, raw.size, [], recognised=recognised)
    analysis.writes, analysis.preview, analysis.summary, analysis.tree = (
        parsed.writes,
        parsed.preview,
        parsed.summary,
        parsed.tree,
    )
    if not problems.errors and parsed.writes:
        preview_in_trial(con, parsed, analysis, options, problems)
    analysis.problems = problems.sorted()
    if analysis.errors:
        analysis.writes = [TableWrite(w.table, w.where, w.params, w.columns, []) for w in analysis.writes]
    return analysis


def preview_in_trial(
    con, parsed: Parsed, analysis: ReferenceAnalysis, options: ReferenceOptions, problems: ProblemList
) -> None:
    """Apply the writes in a transaction that is rolled back: which years change set, which scores strand."""
    if parsed.level is None:
        return
    years_before = sets_by_year(con, parsed.level)
    with trial(con):
        apply_writes(con, parsed.writes, batch_id=-1)
        stranded = con.execute(STRANDED_SQL, {"level": parsed.level, "set": parsed.set_code}).df()
        years_after = sets_by_year(con, parsed.level)
    analysis.affected_years = sorted(y for y, code in years_after.items() if years_before.get(y) != code)
    analysis.stranded = stranded
    if not stranded.empty:
        report_stranded(stranded, problems, options.remove_stranded, parsed.anchor)


def sets_by_year(con, level: str) -> dict[int, str | None]:
    """year -> the set in force for the level, for every year with stored scores of that level."""
    rows = con.execute(
        """SELECT DISTINCT s.year, set_in_force($level, s.year) FROM scores s
           WHERE s.unit_code IN (SELECT code FROM units WHERE level = $level)""",
        {"level": level},
    ).fetchall()
    return dict(rows)


def stranded_place(stranded: pd.DataFrame, anchor: tuple | None) -> dict:
    """The annex row of the first stranded score's criterion when the new set has it (its maximum is
    too low), else the header's number column (the criterion is missing from the numbering)."""
    if anchor is None:
        return {}
    sheet, lines, max_column, (header_sheet, header_line, number_column) = anchor
    held = [code for code in stranded.criterion_code if code in lines]
    if held:
        return {"sheet": sheet, "row": lines[held[0]], "column": max_column}
    return {"sheet": header_sheet, "row": header_line, "column": number_column}


def report_stranded(stranded: pd.DataFrame, problems: ProblemList, removing: bool, anchor: tuple | None = None) -> None:
    listed = "; ".join(
        f"năm {r.year}, đơn vị {r.unit_code}, tiêu chí {r.criterion_code} ({fmt_number(r.points)} điểm"
        + ("" if pd.isna(r.max_points) else f" > tối đa {fmt_number(r.max_points)}")
        + ")"
        for r in stranded.head(STRANDED_SHOWN).itertuples()
    )
    more = f" và {fmt_int(len(stranded) - STRANDED_SHOWN)} dòng khác" if len(stranded) > STRANDED_SHOWN else ""
    years = ", ".join(map(str, sorted(set(stranded.year))))
    if removing:
        problems.add(
            **stranded_place(stranded, anchor),
            severity=WARNING,
            kind="stranded_removed",
            value=fmt_int(len(stranded)),
            reason=f"{fmt_int(len(stranded))} dòng điểm đã lưu (năm {years}) không khớp bộ tiêu chí mới và sẽ "
            f"bị gỡ cùng lô này: {listed}{more}.",
            suggestion="Hoàn tác lô này sẽ trả lại các dòng điểm đó.",
        )
        return
    problems.add(
        **stranded_place(stranded, anchor),
        kind="stranded_scores",
        value=fmt_int(len(stranded)),
        reason=f"Bộ tiêu chí mới làm {fmt_int(len(stranded))} dòng điểm đã lưu (năm {years}) không còn khớp "
        f"(tiêu chí không còn, hoặc điểm vượt điểm tối đa mới): {listed}{more}.",
        suggestion="Nạp lại kết quả các năm đó theo bộ mới (thay thế), hoặc chọn gỡ các dòng điểm này cùng lô "
        "(--remove-stranded; hoàn tác được), hoặc đổi năm áp dụng.",
    )


# --- writing -----------------------------------------------------------------------------------


def table_columns(con, table: str) -> set[str]:
    return {
        name
        for (name,) in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
        ).fetchall()
    }


def apply_writes(con, writes: list[TableWrite], batch_id: int) -> int:
    """Inside a transaction: each table's replaced rows into its twin, then the new rows; rows replaced."""
    replaced = 0
    for write in writes:
        # Table, columns and condition are identifiers and SQL written in this package (never from a
        # file); every value is a bound parameter. Checked here, the one place they are spliced.
        if write.table not in REFERENCE_TABLES or not set(write.columns) <= table_columns(con, write.table):
            raise ValueError(f"not a reference table write: {write.table} {write.columns}")
        condition = f"SELECT * FROM {write.table} WHERE {write.where}"
        replaced += con.execute(f"SELECT count(*) FROM ({condition})", write.params).fetchone()[0]
        con.execute(
            f"INSERT INTO replaced_{write.table} BY NAME SELECT ? AS replaced_by_batch_id, * "
            f"FROM {write.table} WHERE {write.where}",
            [batch_id, *write.params],
        )
        con.execute(f"DELETE FROM {write.table} WHERE {write.where}", write.params)
        if write.rows:
            columns = [*write.columns, "batch_id"]
            con.executemany(
                f"INSERT INTO {write.table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                [[*row, batch_id] for row in write.rows],
            )
    return replaced


def commit_reference(con, analysis: ReferenceAnalysis, actor: str, options: ReferenceOptions | None = None) -> int:
    """One transaction: the batch (content = the kind), its rows; refused when the file has errors or
    (checked again inside the transaction) would strand stored scores."""
    options = options or ReferenceOptions()
    if analysis.errors or not analysis.ok:
        raise CchcError(f"Tệp {analysis.file_name} còn {len(analysis.errors)} lỗi; chưa nạp gì.")
    with transaction(con):
        batch_id = new_batch(
            con,
            source_name=analysis.file_name,
            sha256=analysis.sha256,
            row_count=analysis.row_count,
            actor=actor,
            kind="import",
            mode="replace",
            content=analysis.kind,
            note=analysis.summary[:500] or None,
        )
        apply_writes(con, analysis.writes, batch_id)
        new_set = next((w.rows[0] for w in analysis.writes if w.table == "criteria_sets" and w.rows), None)
        if new_set is not None:
            settle_stranded(con, new_set[1], new_set[0], batch_id, options.remove_stranded)
        finish_batch(con)
    return batch_id


def settle_stranded(con, level: str, set_code: str, batch_id: int, remove: bool) -> None:
    stranded = con.execute(STRANDED_SQL, {"level": level, "set": set_code}).df()
    if stranded.empty:
        return
    if not remove:
        problems = ProblemList("")
        report_stranded(stranded, problems, removing=False)
        raise CchcError(problems.items[0].reason + " Chưa có gì thay đổi.")
    con.register("stranded_now", stranded)
    try:
        con.execute(SAVE_STRANDED_SQL, {"batch": batch_id})
        con.execute(DELETE_STRANDED_SQL)
    finally:
        con.unregister("stranded_now")


def analyze_and_commit_reference(
    con, kind: str, file_name: str, data: bytes, options: ReferenceOptions | None, actor: str
) -> tuple[ReferenceAnalysis, int | None]:
    options = options or ReferenceOptions()
    analysis = analyze_reference(con, kind, file_name, data, options)
    return analysis, commit_reference(con, analysis, actor, options) if analysis.ok else None


# --- recognising a file's kind from its header ------------------------------------------------


def recognise_kind(raw: RawFile) -> str | None:
    """The kind other than results whose header the file clearly has, or None (then it is read as results)."""
    from analytics.importing import annex, reference_tables
    from analytics.importing.task_file import find_task_table

    if annex.find_annex_table(raw) is not None:
        return "criteria"
    if find_task_table(raw.sheets) is not None:
        return "tasks"
    for kind in reference_tables.RECOGNISED_ORDER:
        if reference_tables.find(raw, kind) is not None:
            return kind
    return None


RECOGNISED_TEXT_BYTES = 64 * 1024  # a text file's header is in its first lines
RECOGNISED_WORKBOOK_BYTES = 1024 * 1024  # reference workbooks are small; a bigger one is results


def recognised_from(file_name: str, data: bytes, max_bytes: int = MAX_FILE_BYTES) -> str | None:
    """recognise_kind of a file's first lines; None when they cannot be read (the results path then says
    why). Only a bounded part is read, so that results files, the big ones, are not read twice."""
    if data.startswith(XLSX_MAGIC):
        if len(data) > RECOGNISED_WORKBOOK_BYTES:
            return None
        head = data
    else:
        head = data[:RECOGNISED_TEXT_BYTES]
        if len(data) > RECOGNISED_TEXT_BYTES:
            head = head[: head.rfind(b"\n") + 1] or head
    raw = take_in(file_name, head, max_bytes).raw
    return None if raw is None else recognise_kind(raw)


def text_or_none(value) -> str | None:
    text = cell_text(value).strip()
    return text or None


def is_blank(value) -> bool:
    return cell_text(value).strip() == ""


def existing_keys(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> dict[tuple, tuple]:
    """key tuple -> the rest of the row, for rows the preview compares against ('Thêm mới' / 'Sửa')."""
    return {tuple(row[:-1]): row[-1] for row in con.execute(sql, params or []).fetchall()}
