"""Task tables in and out: XLSX/CSV through the same check → preview → commit → undo path as results.

One row per task. A row with a task number (Mã nhiệm vụ) changes that task; a row without one
adds a task. Criteria are written "3.2; 3.3" and their points to gain "0,5; 0,5" (same order).
Every problem names the file, the row and the column; nothing is written until the commit,
which is one batch (kind 'import') that `undo_batch` takes back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from analytics.criteria import set_tree
from analytics.errors import CchcError
from analytics.formatting import fmt_number
from analytics.importing.intake import take_in, warn_if_imported_before
from analytics.importing.problems import WARNING, HasProblems, Problem, ProblemList
from analytics.importing.read import MAX_FILE_BYTES, RawSheet, cell_text, parse_number
from analytics.names import fold
from analytics.scope import get_unit
from analytics.sql import scalar
from analytics.store import actor_label
from analytics.tasks import (
    STATUSES,
    Changes,
    Task,
    TaskCriterion,
    clean_text,
    gains_text,
    list_tasks,
    load_task,
    office_names,
    same_content,
    save_changes,
)

# column key -> (header written, spellings recognised once folded)
COLUMNS = {
    "id": ("Mã nhiệm vụ", {"ma nhiem vu", "so nhiem vu", "id", "task id"}),
    "year": ("Năm phục vụ", {"nam phuc vu", "nam", "year"}),
    "unit_code": ("Mã đơn vị", {"ma don vi", "unit", "unit code", "unit_code"}),
    "office": ("Cơ quan chủ trì", {"co quan chu tri", "co quan", "office"}),  # a name, or a code
    "office_code": ("Mã cơ quan", {"ma co quan", "office code", "office_code"}),
    "title": ("Tên nhiệm vụ", {"ten nhiem vu", "nhiem vu", "title"}),
    "description": ("Mô tả", {"mo ta", "noi dung", "description"}),
    "criteria": ("Mã tiêu chí", {"ma tieu chi", "tieu chi", "criteria"}),
    "planned_gain": ("Điểm cần tăng", {"diem can tang", "diem muc tieu", "planned gain", "target points"}),
    "deadline": ("Hạn hoàn thành", {"han hoan thanh", "han", "thoi han", "deadline"}),
    "status": ("Trạng thái", {"trang thai", "status"}),
}
REQUIRED = ("year", "unit_code", "title", "criteria")
TEMPLATE_COLUMNS = [key for key in COLUMNS if key != "office_code"]  # a person filling it in names the office
EXPORT_ONLY = {"ten don vi", "tinh trang", "ngay hoan thanh", "sua lan cuoi", "nguoi sua", "du lieu minh hoa"}
EXPORT_EXTRA = ["Tên đơn vị", "Tình trạng", "Ngày hoàn thành", "Sửa lần cuối", "Người sửa", "Dữ liệu minh họa"]
STATUS_WORDS = {fold(label): code for code, label in STATUSES.items()} | {code: code for code in STATUSES}
LIST_SEPARATOR = re.compile(r"\s*[;\n]\s*")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%d-%m-%Y", "%d.%m.%Y")
OFFICES_SQL = "SELECT code, name FROM offices"
UNIT_SQL = "SELECT level FROM units WHERE code = ?"
# The task serves the results of its year: the unit version in force then (schema v5).
UNIT_IN_YEAR_SQL = "SELECT level FROM units WHERE code = ? AND valid_in_year(valid_from, valid_to, ?)"
ACTIONS = {"new": "Thêm mới", "changed": "Sửa", "same": "Không đổi"}


@dataclass
class TaskAnalysis(HasProblems):
    file_name: str
    sha256: str
    size: int
    problems: list[Problem]
    tasks: list[Task] = field(default_factory=list)
    preview: pd.DataFrame | None = None  # line, action, id, title, office, criteria

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.tasks)


PREVIEW_LABELS = {
    "action": "Thay đổi",
    "id": "Số",
    "year": "Năm",
    "unit_code": "Đơn vị",
    "office_code": "Cơ quan",
    "title": "Nhiệm vụ",
    "criteria": "Tiêu chí",
}  # the preview's columns as the page and the CLI show them


def analyze_tasks(con, file_name: str, data: bytes, max_bytes: int = MAX_FILE_BYTES) -> TaskAnalysis:
    """Read and check a task table against the store, and what committing it would do; writes nothing."""
    intake = take_in(file_name, data, max_bytes)
    file_name, problems, raw = intake.file_name, intake.problems, intake.raw
    if raw is None:
        return TaskAnalysis(file_name, "", len(data), problems.sorted())
    found = find_task_table(raw.sheets)
    if found is None:
        problems.add(
            reason="Không tìm thấy dòng tiêu đề của bảng nhiệm vụ (cần các cột "
            f"{', '.join(COLUMNS[k][0] for k in REQUIRED)}).",
            kind="no_table",
            suggestion="Dùng tệp mẫu nhiệm vụ ở trang Nhiệm vụ.",
        )
        return TaskAnalysis(file_name, raw.sha256, raw.size, problems.sorted())
    sheet, header_index, columns = found
    _warn_unknown_columns(sheet, header_index, columns, problems)
    tasks = _RowReader(con, sheet, columns, problems).read(header_index)
    warn_if_imported_before(con, raw.sha256, problems)
    preview = _preview(con, tasks) if not problems.errors else None
    return TaskAnalysis(
        file_name, raw.sha256, raw.size, problems.sorted(), tasks if not problems.errors else [], preview
    )


def commit_tasks(con, analysis: TaskAnalysis, actor: str) -> int | None:
    """One batch (kind 'import') with every task of the file; None when nothing changes."""
    if analysis.errors:
        raise CchcError(f"Tệp {analysis.file_name} còn {len(analysis.errors)} lỗi; chưa nạp gì.")
    return save_changes(
        con, Changes(tasks=analysis.tasks), actor, source_name=analysis.file_name, kind="import", sha256=analysis.sha256
    )


def analyze_and_commit_tasks(
    con, file_name: str, data: bytes, actor: str, max_bytes: int = MAX_FILE_BYTES
) -> tuple[TaskAnalysis, int | None]:
    analysis = analyze_tasks(con, file_name, data, max_bytes)
    return analysis, commit_tasks(con, analysis, actor) if analysis.ok else None


# --- finding the table -----------------------------------------------------------------------


def find_task_table(sheets: list[RawSheet]) -> tuple[RawSheet, int, dict[str, int]] | None:
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:30]):
            columns = _header_columns(row)
            if all(k in columns for k in REQUIRED):
                return sheet, index, columns
    return None


def _header_columns(row: list) -> dict[str, int]:
    columns = {}
    for position, cell in enumerate(row):
        key = fold(cell_text(cell))
        for name, (_, spellings) in COLUMNS.items():
            if key in spellings and name not in columns:
                columns[name] = position
    return columns


def _warn_unknown_columns(sheet: RawSheet, header_index: int, columns: dict[str, int], problems) -> None:
    for position, cell in enumerate(sheet.rows[header_index]):
        text = cell_text(cell)
        if text and position not in columns.values() and fold(text) not in EXPORT_ONLY:
            problems.add(
                sheet=sheet.name,
                row=sheet.line_numbers[header_index],
                column=text[:60],
                severity=WARNING,
                kind="ignored_column",
                reason="Cột này không thuộc bảng nhiệm vụ, được bỏ qua.",
            )


# --- reading the rows ------------------------------------------------------------------------


class _BadCell(Exception):
    def __init__(self, column: str, value, reason: str, suggestion: str | None = None):
        super().__init__(reason)
        self.column, self.value, self.reason, self.suggestion = column, value, reason, suggestion


class _RowReader:
    """Turns each data row into a Task, or into problems naming the row and the column."""

    def __init__(self, con, sheet: RawSheet, columns: dict[str, int], problems: ProblemList):
        self.con, self.sheet, self.columns, self.problems = con, sheet, columns, problems
        self.offices = {fold(code): code for code, _ in con.execute(OFFICES_SQL).fetchall()}
        self.offices |= {fold(name): code for code, name in con.execute(OFFICES_SQL).fetchall()}
        self.maxima: dict[tuple[str, int], dict[str, float]] = {}

    def read(self, header_index: int) -> list[Task]:
        tasks = []
        for index in range(header_index + 1, len(self.sheet.rows)):
            row = self.sheet.rows[index]
            if not any(cell_text(c) for c in row):
                continue
            try:
                tasks.append(self.task(row))
            except _BadCell as bad:
                self.problems.add(
                    sheet=self.sheet.name,
                    row=self.sheet.line_numbers[index],
                    column=bad.column,
                    value=None if bad.value is None else cell_text(bad.value)[:80],
                    reason=bad.reason,
                    suggestion=bad.suggestion,
                )
        if not tasks and not self.problems.errors:
            self.problems.add(sheet=self.sheet.name, kind="empty", reason="Bảng nhiệm vụ không có dòng nào.")
        return tasks

    def cell(self, row: list, key: str):
        position = self.columns.get(key)
        return row[position] if position is not None and position < len(row) else None

    def task(self, row: list) -> Task:
        year, unit_code = self.year(row), self.unit(row)
        self.check_unit_in_year(unit_code, year)
        criteria = self.criteria(row, unit_code, year)
        task_id = self.task_id(row)
        return Task(
            year=year,
            unit_code=unit_code,
            office_code=self.office(row),
            title=self.title(row),
            criteria=criteria,
            description=clean_text(cell_text(self.cell(row, "description"))),
            deadline=self.deadline(row),
            status=self.status(row),
            id=task_id,
        )

    def bad(self, key: str, value, reason: str, suggestion: str | None = None) -> _BadCell:
        return _BadCell(COLUMNS[key][0], value, reason, suggestion)

    def task_id(self, row: list) -> int | None:
        value = self.cell(row, "id")
        if value is None:
            return None
        try:
            task_id = int(float(cell_text(value)))
            load_task(self.con, task_id)
        except (ValueError, CchcError):
            raise self.bad(
                "id",
                value,
                "Không có nhiệm vụ số này trong kho.",
                "Để trống để thêm nhiệm vụ mới; muốn sửa thì dùng số từ tệp xuất.",
            ) from None
        return task_id

    def year(self, row: list) -> int:
        value = self.cell(row, "year")
        try:
            year = int(float(cell_text(value)))
        except ValueError:
            raise self.bad("year", value, "Năm phải là số, ví dụ 2021.") from None
        if not 2000 <= year <= 2100:
            raise self.bad("year", value, "Năm phải từ 2000 đến 2100.")
        return year

    def unit(self, row: list) -> str:
        value = cell_text(self.cell(row, "unit_code"))
        if not value or self.con.execute(UNIT_SQL, [value]).fetchone() is None:
            raise self.bad("unit_code", value, "Không có đơn vị mã này trong kho.", "Ví dụ: 042 (Huyện Bảo Lâm).")
        return value

    def office(self, row: list) -> str | None:
        """The office by its name or code; an exported row has both, and they must agree."""
        by_name, by_code = self.known_office(row, "office"), self.known_office(row, "office_code")
        if by_name and by_code and by_name != by_code:
            raise self.bad(
                "office",
                cell_text(self.cell(row, "office")),
                f"Cơ quan chủ trì không khớp với mã cơ quan '{cell_text(self.cell(row, 'office_code'))}'.",
                "Sửa cho khớp, hoặc để trống một trong hai cột.",
            )
        return by_name or by_code

    def known_office(self, row: list, key: str) -> str | None:
        value = cell_text(self.cell(row, key))
        if not value:
            return None
        if fold(value) not in self.offices:
            raise self.bad(key, value, "Không có cơ quan này.", "Ghi mã (NV, VP, TP…) hoặc tên cơ quan.")
        return self.offices[fold(value)]

    def title(self, row: list) -> str:
        value = clean_text(cell_text(self.cell(row, "title")))
        if not value:
            raise self.bad("title", None, "Chưa có tên nhiệm vụ.")
        if len(value) > 300:
            raise self.bad("title", value, "Tên nhiệm vụ dài quá 300 ký tự.")
        return value

    def criteria(self, row: list, unit_code: str, year: int) -> tuple[TaskCriterion, ...]:
        codes = [c for c in LIST_SEPARATOR.split(cell_text(self.cell(row, "criteria"))) if c]
        gains = self.gains(row, len(codes))
        maxima = self.criteria_maxima(unit_code, year)
        for code, gain in zip(codes, gains):
            if code not in maxima:
                raise self.bad("criteria", code, f"Không có tiêu chí '{code}' trong bộ tiêu chí áp dụng năm {year}.")
            if gain is not None and not 0 <= gain <= maxima[code]:
                raise self.bad(
                    "planned_gain", gain, f"Điểm cần tăng ở tiêu chí {code} phải từ 0 đến {fmt_number(maxima[code])}."
                )
        if not codes or len(set(codes)) != len(codes):
            raise self.bad("criteria", None, "Cần ít nhất một mã tiêu chí, mỗi mã một lần.", "Ví dụ: 3.2; 3.3")
        return tuple(TaskCriterion(code, gain) for code, gain in zip(codes, gains))

    def gains(self, row: list, count: int) -> list[float | None]:
        value = self.cell(row, "planned_gain")
        if value is None:
            return [None] * count
        parts = [value] if isinstance(value, (int, float)) else LIST_SEPARATOR.split(str(value))
        try:
            gains = [parse_number(p if not isinstance(p, str) else (p or None), ",") for p in parts]
        except ValueError:
            raise self.bad(
                "planned_gain",
                value,
                "Điểm cần tăng phải là số, ví dụ 0,5; nhiều tiêu chí thì ngăn cách bằng dấu chấm phẩy.",
            ) from None
        if len(gains) != count:
            raise self.bad("planned_gain", value, f"Có {count} mã tiêu chí nhưng {len(gains)} số điểm cần tăng.")
        return gains

    def check_unit_in_year(self, unit_code: str, year: int) -> None:
        if self.con.execute(UNIT_IN_YEAR_SQL, [unit_code, year]).fetchone() is None:
            try:
                get_unit(self.con, unit_code, year)
            except CchcError as exc:
                raise self.bad("unit_code", unit_code, exc.message, "Ghi mã của đơn vị có trong năm đó.") from None

    def criteria_maxima(self, unit_code: str, year: int) -> dict[str, float]:
        level = scalar(self.con, UNIT_IN_YEAR_SQL, [unit_code, year])
        if (level, year) not in self.maxima:
            try:
                nodes = set_tree(self.con, level, year).nodes
            except CchcError as exc:
                raise self.bad("year", year, exc.message) from None
            self.maxima[(level, year)] = {n.criterion_code: n.max_points for n in nodes}
        return self.maxima[(level, year)]

    def deadline(self, row: list) -> date | None:
        value = self.cell(row, "deadline")
        if value is None:
            return None
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(cell_text(value), fmt).date()
            except ValueError:
                continue
        raise self.bad("deadline", value, "Hạn hoàn thành phải là ngày, ví dụ 30/11/2021.")

    def status(self, row: list) -> str:
        value = cell_text(self.cell(row, "status"))
        if not value:
            return "todo"
        if fold(value) not in STATUS_WORDS:
            raise self.bad("status", value, "Trạng thái không hợp lệ.", f"Dùng: {', '.join(STATUSES.values())}.")
        return STATUS_WORDS[fold(value)]


# --- preview ---------------------------------------------------------------------------------


def _preview(con, tasks: list[Task]) -> pd.DataFrame:
    rows, names = [], dict(con.execute(OFFICES_SQL).fetchall())
    for task in tasks:
        rows.append(
            {
                "action": ACTIONS[_action(con, task)],
                "id": task.id,
                "year": task.year,
                "unit_code": task.unit_code,
                "office_code": names.get(task.office_code, task.office_code),
                "title": task.title,
                "criteria": "; ".join(c.code for c in task.criteria),
            }
        )
    return pd.DataFrame(rows, columns=["action", "id", "year", "unit_code", "office_code", "title", "criteria"])


def _action(con, task: Task) -> str:
    if task.id is None:
        return "new"
    return "same" if same_content(load_task(con, task.id), task) else "changed"


# --- export and template ---------------------------------------------------------------------


def export_frame(con, year: int | None = None, unit_code: str | None = None) -> pd.DataFrame:
    """The tasks as the import reads them (plus read-only columns), Vietnamese headers; dates as dates
    and the last change as a datetime, for the file writers to show the Vietnamese way."""
    tasks = list_tasks(con, year, unit_code)
    gains = con.execute("SELECT task_id, criterion_code, planned_gain FROM task_criteria").fetchall()
    by_task: dict[int, list] = {}
    for task_id, code, gain in sorted(gains, key=lambda g: (g[0], g[1])):
        by_task.setdefault(task_id, []).append((code, gain))
    headers = {k: v[0] for k, v in COLUMNS.items()}
    offices = office_names(con)
    return pd.DataFrame(
        {
            headers["id"]: tasks["id"],
            headers["year"]: tasks["year"],
            headers["unit_code"]: tasks["unit_code"],
            "Tên đơn vị": tasks["unit_name"],
            headers["office"]: [None if pd.isna(c) else offices.get(c, c) for c in tasks["office_code"]],
            headers["office_code"]: tasks["office_code"],
            headers["title"]: tasks["title"],
            headers["description"]: tasks["description"],
            headers["criteria"]: ["; ".join(c for c, _ in by_task.get(i, [])) for i in tasks["id"]],
            headers["planned_gain"]: [_gains_text(by_task.get(i, [])) for i in tasks["id"]],
            headers["deadline"]: [_date(d) for d in tasks["deadline"]],
            headers["status"]: tasks["status"].map(STATUSES),
            "Tình trạng": tasks["state_label"],
            "Ngày hoàn thành": [_date(d) for d in tasks["done_on"]],
            "Sửa lần cuối": [None if pd.isna(t) else pd.Timestamp(t).to_pydatetime() for t in tasks["changed_at"]],
            "Người sửa": [actor_label(a, k) for a, k in zip(tasks["changed_by"], tasks["changed_content"])],
            "Dữ liệu minh họa": ["Có" if d else "Không" for d in tasks["is_demo"]],
        }
    )


def _gains_text(items: list) -> str:
    return gains_text(tuple(TaskCriterion(c, None if g is None or pd.isna(g) else g) for c, g in items))


def _date(value) -> date | None:
    return None if value is None or pd.isna(value) else value


def template_frame() -> pd.DataFrame:
    """The import columns with one example row (a task of the demo plan) to overwrite."""
    headers = [COLUMNS[key][0] for key in TEMPLATE_COLUMNS]
    example = [
        "",
        2021,
        "042",
        "Văn phòng HĐND và UBND",
        "Nâng tỷ lệ hồ sơ giải quyết đúng hạn",
        "Theo dõi, đôn đốc giải quyết hồ sơ TTHC đúng hạn trên VNPT-iGATE",
        "3.3; 7.4",
        "0,5; 0,25",
        date(2021, 11, 30),
        STATUSES["todo"],
    ]
    return pd.DataFrame([example], columns=headers)
