"""Tasks (nhiệm vụ) of section II of the notice: stored, versioned and undone like every other write.

A task serves a results year (the year whose index it aims to raise), belongs to a unit (the
district, or a commune for its own remediation plan) and to an owning office (None: the unit
itself, as a commune is), targets criteria of the set in force with optional points to gain, and
has a deadline and a status. "Quá hạn" is never stored: it is computed from the deadline.

Every change is one batch (kind 'edit' from the page or the CLI, 'import' from a file): the new
versions of the tasks carry its id, the versions they replace go to replaced_tasks /
replaced_task_criteria under it, so `importing.undo_batch` restores exactly what was there.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from analytics.criteria import code_sort_key, set_tree
from analytics.errors import CchcError, NotFoundError
from analytics.formatting import fmt_number
from analytics.scope import get_unit
from analytics.store import bump_data_version, new_batch
from analytics.transactions import transaction

STATUSES = {"todo": "Chưa thực hiện", "doing": "Đang thực hiện", "done": "Hoàn thành"}
OVERDUE = "overdue"
STATES = {**STATUSES, OVERDUE: "Quá hạn"}
STATE_ORDER = {OVERDUE: 0, "doing": 1, "todo": 2, "done": 3}  # overdue first
MAX_TITLE, MAX_DESCRIPTION, MAX_NOTE = 300, 4000, 2000
DEFAULT_DEADLINE = (11, 30)  # before the next self-assessment (tự chấm) starts in December
EDIT_SOURCE = "Sửa nhiệm vụ"

TASK_SQL = "SELECT * FROM tasks WHERE id = ?"
TASK_CRITERIA_SQL = "SELECT criterion_code, planned_gain FROM task_criteria WHERE task_id = ?"
NEXT_ID_SQL = "SELECT coalesce(max(id), 0) + 1 FROM (SELECT id FROM tasks UNION ALL SELECT id FROM replaced_tasks)"
SAVE_REPLACED_SQL = [
    "INSERT INTO replaced_tasks BY NAME SELECT $batch AS replaced_by_batch_id, * FROM tasks WHERE id = $id",
    """INSERT INTO replaced_task_criteria BY NAME
       SELECT $batch AS replaced_by_batch_id, * FROM task_criteria WHERE task_id = $id""",
    "DELETE FROM task_criteria WHERE task_id = $id",
    "DELETE FROM tasks WHERE id = $id",
]
INSERT_TASK_SQL = """
    INSERT INTO tasks (id, year, unit_code, office_code, title, description, deadline, status, done_on, sort_order,
                       is_demo, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
INSERT_CRITERION_SQL = "INSERT INTO task_criteria (task_id, criterion_code, planned_gain, batch_id) VALUES (?, ?, ?, ?)"
INSERT_NOTE_SQL = "INSERT INTO task_notes (task_id, noted_on, note, batch_id) VALUES (?, ?, ?, ?)"
OFFICE_SQL = "SELECT count(*) FROM offices WHERE code = ?"
LIST_SQL = """
    SELECT t.id, t.year, t.unit_code, u.name AS unit_name, t.office_code,
           coalesce(o.name, u.name) AS office_name, t.title, t.description, t.deadline, t.status, t.done_on,
           t.sort_order, t.is_demo, b.created_at AS changed_at, b.actor AS changed_by,
           b.content AS changed_content,
           (SELECT string_agg(c.criterion_code, '; ' ORDER BY c.criterion_code) FROM task_criteria c
             WHERE c.task_id = t.id) AS criteria,
           (SELECT sum(c.planned_gain) FROM task_criteria c WHERE c.task_id = t.id) AS planned_gain,
           (SELECT count(*) FROM task_notes n WHERE n.task_id = t.id) AS notes
    FROM tasks t
    JOIN units u ON u.code = t.unit_code AND valid_in_year(u.valid_from, u.valid_to, t.year)
    LEFT JOIN offices o ON o.code = t.office_code
    LEFT JOIN batches b ON b.id = t.batch_id
    WHERE ($year IS NULL OR t.year = $year) AND ($unit IS NULL OR t.unit_code = $unit)
      AND ($office IS NULL OR t.office_code = $office)
"""
CRITERIA_ROWS_SQL = """
    SELECT c.task_id, c.criterion_code, c.planned_gain FROM task_criteria c
    WHERE c.task_id IN (SELECT unnest($ids::INTEGER[]))
"""
HISTORY_SQL = """
    SELECT v.batch_id, b.created_at, b.actor, b.kind, b.content, b.source_name, b.undone_by_batch_id, v.title, v.status,
           v.deadline, v.office_code, v.replaced_by_batch_id
    FROM (SELECT *, NULL::INTEGER AS replaced_by_batch_id FROM tasks WHERE id = $id
          UNION ALL BY NAME SELECT * FROM replaced_tasks WHERE id = $id) v
    JOIN batches b ON b.id = v.batch_id ORDER BY v.batch_id
"""
NOTES_SQL = """
    SELECT n.noted_on, n.note, b.actor, b.content, b.created_at FROM task_notes n JOIN batches b ON b.id = n.batch_id
    WHERE n.task_id = ? ORDER BY n.noted_on, n.batch_id
"""
LIST_COLUMNS = [
    "id",
    "year",
    "unit_code",
    "unit_name",
    "office_code",
    "office_name",
    "title",
    "description",
    "deadline",
    "status",
    "state",
    "state_label",
    "done_on",
    "criteria",
    "planned_gain",
    "notes",
    "sort_order",
    "is_demo",
    "changed_at",
    "changed_by",
    "changed_content",
]


@dataclass(frozen=True)
class TaskCriterion:
    code: str
    planned_gain: float | None = None  # points the task should add to this criterion


@dataclass(frozen=True)
class Task:
    year: int  # the results year the task serves
    unit_code: str
    office_code: str | None  # None: the unit itself (a commune's own plan)
    title: str
    criteria: tuple[TaskCriterion, ...]
    description: str | None = None
    deadline: date | None = None
    status: str = "todo"
    id: int | None = None  # None: a new task
    is_demo: bool = False
    done_on: date | None = None
    sort_order: int = 0


@dataclass
class Changes:
    """What one batch writes: new or changed tasks, removed task ids, progress notes (task id, text)."""

    tasks: list[Task] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.tasks or self.removed or self.notes)


# --- status ----------------------------------------------------------------------------------


def task_state(status: str, deadline: date | None, today: date) -> str:
    """The stored status, or 'overdue' when the task is not done and its deadline has passed."""
    if status != "done" and deadline is not None and deadline < today:
        return OVERDUE
    return status


def default_deadline(year: int) -> date:
    """A task serving year Y is due before that year's self-assessment: 30/11/Y."""
    return date(year, *DEFAULT_DEADLINE)


# --- checks ----------------------------------------------------------------------------------


def clean_text(text: str | None) -> str | None:
    """Text without control characters (a newline in a description stays), trimmed; None when empty."""
    if text is None:
        return None
    kept = "".join(c for c in str(text) if c == "\n" or unicodedata.category(c) != "Cc").strip()
    return kept or None


def check_task(con, task: Task) -> Task:
    """The task with clean text, or a CchcError naming what is wrong (in Vietnamese)."""
    label = f"Nhiệm vụ '{task.title}'" if task.title else "Nhiệm vụ"
    unit = get_unit(con, task.unit_code, task.year)
    title, description = clean_text(task.title), clean_text(task.description)
    if not title:
        raise CchcError(f"{label}: chưa có tên nhiệm vụ.")
    if len(title) > MAX_TITLE or len(description or "") > MAX_DESCRIPTION:
        raise CchcError(f"{label}: tên quá {MAX_TITLE} ký tự hoặc mô tả quá {MAX_DESCRIPTION} ký tự.")
    if task.status not in STATUSES:
        raise CchcError(f"{label}: trạng thái '{task.status}' không hợp lệ; dùng {', '.join(STATUSES.values())}.")
    if task.office_code is not None and not con.execute(OFFICE_SQL, [task.office_code]).fetchone()[0]:
        raise NotFoundError(f"{label}: không có cơ quan mã '{task.office_code}'.")
    check_criteria(con, task, unit.level, label)
    return replace(task, title=title, description=description)


def check_criteria(con, task: Task, level: str, label: str) -> None:
    if not task.criteria:
        raise CchcError(f"{label}: cần ít nhất một tiêu chí.")
    tree = set_tree(con, level, task.year)
    maxima = {n.criterion_code: n.max_points for n in tree.nodes}
    for item in task.criteria:
        if item.code not in maxima:
            raise NotFoundError(
                f"{label}: không có tiêu chí '{item.code}' trong bộ tiêu chí {tree.code} áp dụng cho năm {task.year}."
            )
        if item.planned_gain is not None and not 0 <= item.planned_gain <= maxima[item.code]:
            raise CchcError(
                f"{label}: điểm cần tăng ở tiêu chí {item.code} phải từ 0 đến "
                f"{fmt_number(maxima[item.code])} (điểm tối đa)."
            )
    if len({item.code for item in task.criteria}) != len(task.criteria):
        raise CchcError(f"{label}: một tiêu chí được ghi hai lần.")


# --- writing ---------------------------------------------------------------------------------


def save_changes(
    con,
    changes: Changes,
    actor: str,
    *,
    source_name: str = EDIT_SOURCE,
    kind: str = "edit",
    sha256: str | None = None,
    today: date | None = None,
) -> int | None:
    """Write the changes as one batch in one transaction; its id, or None when nothing changed."""
    today = today or date.today()
    with transaction(con):
        tasks, notes = _checked(con, changes)
        if not (tasks or changes.removed or notes):
            return None
        batch_id = new_batch(
            con,
            source_name=source_name,
            sha256=sha256,
            row_count=len(tasks) + len(notes),
            actor=actor,
            kind=kind,
            mode="tasks",
            content="tasks",
            note=_batch_note(tasks, changes.removed, notes),
        )
        _write(con, Changes(tasks, changes.removed, notes), batch_id, today)
        bump_data_version(con)
    return batch_id


def _checked(con, changes: Changes) -> tuple[list[Task], list[tuple[int, str]]]:
    """The tasks that differ from their stored version (checked) and the notes (cleaned); a missing
    task is named before anything is written."""
    tasks = [t for t in (check_task(con, t) for t in changes.tasks) if _differs(con, t)]
    for task_id in changes.removed:
        load_task(con, task_id)
    return tasks, [(task_id, _checked_note(con, task_id, text)) for task_id, text in changes.notes]


def _write(con, changes: Changes, batch_id: int, today: date) -> None:
    for task in changes.tasks:
        _write_task(con, task, batch_id, today)
    for task_id in changes.removed:
        _save_replaced(con, task_id, batch_id)
    for task_id, text in changes.notes:
        con.execute(INSERT_NOTE_SQL, [task_id, today, text, batch_id])


def _differs(con, task: Task) -> bool:
    """A new task, or one whose stored version is not the same."""
    if task.id is None:
        return True
    return not same_content(load_task(con, task.id), task)


def same_content(a: Task, b: Task) -> bool:
    """Two versions say the same (what a person edits; not the id, flags or done date)."""
    return _comparable(a) == _comparable(b)


def _comparable(task: Task) -> tuple:
    criteria = tuple(
        sorted((c.code, None if c.planned_gain is None else round(c.planned_gain, 6)) for c in task.criteria)
    )
    return (
        task.year,
        task.unit_code,
        task.office_code,
        task.title,
        task.description or None,
        task.deadline,
        task.status,
        criteria,
    )


def _checked_note(con, task_id: int, text: str) -> str:
    load_task(con, task_id)
    note = clean_text(text)
    if not note or len(note) > MAX_NOTE:
        raise CchcError(f"Ghi chú tiến độ của nhiệm vụ #{task_id} trống hoặc dài quá {MAX_NOTE} ký tự.")
    return note


def _batch_note(tasks: list[Task], removed: list[int], notes: list) -> str:
    new = sum(1 for t in tasks if t.id is None)
    parts = [
        f"{new} nhiệm vụ mới" if new else "",
        f"sửa {len(tasks) - new} nhiệm vụ" if len(tasks) - new else "",
        f"xóa {len(removed)} nhiệm vụ" if removed else "",
        f"{len(notes)} ghi chú tiến độ" if notes else "",
    ]
    return "; ".join(p for p in parts if p)


def _write_task(con, task: Task, batch_id: int, today: date) -> int:
    previous = None if task.id is None else load_task(con, task.id)
    task_id = task.id if task.id is not None else con.execute(NEXT_ID_SQL).fetchone()[0]
    if previous is not None:
        _save_replaced(con, task_id, batch_id)
    done_on = (
        None
        if task.status != "done"
        else (previous.done_on if previous is not None and previous.status == "done" else task.done_on or today)
    )
    order = task.sort_order or (previous.sort_order if previous else task_id)
    con.execute(
        INSERT_TASK_SQL,
        [
            task_id,
            task.year,
            task.unit_code,
            task.office_code,
            task.title,
            task.description,
            task.deadline,
            task.status,
            done_on,
            order,
            task.is_demo,
            batch_id,
        ],
    )
    for item in task.criteria:
        con.execute(INSERT_CRITERION_SQL, [task_id, item.code, item.planned_gain, batch_id])
    return task_id


def _save_replaced(con, task_id: int, batch_id: int) -> None:
    for statement in SAVE_REPLACED_SQL:
        con.execute(statement, {"batch": batch_id, "id": task_id} if "$batch" in statement else {"id": task_id})


# --- reading ---------------------------------------------------------------------------------


def load_task(con, task_id: int) -> Task:
    cursor = con.execute(TASK_SQL, [task_id])
    row = cursor.fetchone()
    if row is None:
        raise NotFoundError(f"Không có nhiệm vụ #{task_id}.")
    record = dict(zip([d[0] for d in cursor.description], row))
    criteria = tuple(
        TaskCriterion(code, gain)
        for code, gain in sorted(
            con.execute(TASK_CRITERIA_SQL, [task_id]).fetchall(), key=lambda r: code_sort_key(r[0])
        )
    )
    return Task(
        year=record["year"],
        unit_code=record["unit_code"],
        office_code=record["office_code"],
        title=record["title"],
        criteria=criteria,
        description=record["description"],
        deadline=record["deadline"],
        status=record["status"],
        id=record["id"],
        is_demo=record["is_demo"],
        done_on=record["done_on"],
        sort_order=record["sort_order"],
    )


def list_tasks(
    con,
    year: int | None = None,
    unit_code: str | None = None,
    office_code: str | None = None,
    state: str | None = None,
    today: date | None = None,
) -> pd.DataFrame:
    """LIST_COLUMNS, overdue first, then by deadline and order; `state` filters on the computed state."""
    today = today or date.today()
    frame = con.execute(LIST_SQL, {"year": year, "unit": unit_code, "office": office_code}).df()
    frame["deadline"] = _dates(frame["deadline"])
    frame["done_on"] = _dates(frame["done_on"])
    frame["state"] = [task_state(s, d, today) for s, d in zip(frame["status"], frame["deadline"])]
    frame["state_label"] = frame["state"].map(STATES)
    if state is not None:
        frame = frame[frame["state"] == state]
    frame = frame.assign(_order=frame["state"].map(STATE_ORDER), _deadline=frame["deadline"].fillna(date.max))
    frame = frame.sort_values(["_order", "_deadline", "sort_order", "id"])
    return frame[LIST_COLUMNS].reset_index(drop=True)


def _dates(column: pd.Series) -> pd.Series:
    return pd.Series([None if pd.isna(v) else pd.Timestamp(v).date() for v in column], index=column.index, dtype=object)


def task_criteria(con, task_ids: list[int]) -> pd.DataFrame:
    """task_id, criterion_code, planned_gain of the given tasks."""
    return con.execute(CRITERIA_ROWS_SQL, {"ids": [int(i) for i in task_ids]}).df()


def task_history(con, task_id: int) -> pd.DataFrame:
    """Every version of a task, oldest first: the batch that wrote it, who and when, and its status."""
    return con.execute(HISTORY_SQL, {"id": task_id}).df()


def task_notes(con, task_id: int) -> pd.DataFrame:
    return con.execute(NOTES_SQL, [task_id]).df()


# --- drafts from the analysis ------------------------------------------------------------------

TARGETED_SQL = """
    SELECT DISTINCT c.criterion_code FROM task_criteria c JOIN tasks t ON t.id = c.task_id
    WHERE t.year = ? AND t.unit_code = ?
"""


def targeted_criteria(con, year: int, unit_code: str) -> set[str]:
    """The criteria some task serving `year` of the unit already targets."""
    return {r[0] for r in con.execute(TARGETED_SQL, [year, unit_code]).fetchall()}


def tasks_from_plan(con, plan) -> tuple[list[Task], list[str]]:
    """(draft tasks, criteria skipped): one task per plan step, serving the year after the plan's
    results, with the step's criterion, owning office and points to gain. A criterion that a task
    of that year already targets is skipped, so pressing the button twice makes no duplicates."""
    year = plan.year + 1
    taken = targeted_criteria(con, year, plan.unit_code)
    drafts = [_draft_from_step(plan, step, year) for step in plan.steps if step.criterion_code not in taken]
    return drafts, [s.criterion_code for s in plan.steps if s.criterion_code in taken]


def _draft_from_step(plan, step, year: int) -> Task:
    description = (
        f"Từ kế hoạch đạt hạng {plan.target_rank}/{plan.rank_of}: nâng tiêu chí {step.criterion_code} từ "
        f"{fmt_number(step.from_points)} lên {fmt_number(step.to_points)} điểm so với kết quả năm "
        f"{plan.year}."
    )
    return Task(
        year=year,
        unit_code=plan.unit_code,
        office_code=step.owner_office,
        title=f"Nâng điểm tiêu chí {step.criterion_code}: {step.criterion_name}",
        criteria=(TaskCriterion(step.criterion_code, round(step.gain, 2)),),
        description=description,
        deadline=default_deadline(year),
    )


def task_for_criterion(
    con, results_year: int, unit_code: str, criterion_code: str, planned_gain: float | None = None
) -> Task:
    """A draft task for one weak criterion of `results_year`, serving the next year, owned by the
    criterion's office."""
    unit = get_unit(con, unit_code, results_year)
    year = results_year + 1
    node = next((n for n in set_tree(con, unit.level, year).nodes if n.criterion_code == criterion_code), None)
    if node is None:
        raise NotFoundError(f"Không có tiêu chí '{criterion_code}' trong bộ tiêu chí áp dụng cho năm {year}.")
    gain = None if planned_gain is None else round(planned_gain, 2)
    return Task(
        year=year,
        unit_code=unit.code,
        office_code=node.office_code,
        title=f"Nâng điểm tiêu chí {node.criterion_code}: {node.criterion_name}",
        criteria=(TaskCriterion(node.criterion_code, gain),),
        description=f"Tiêu chí còn yếu trong kết quả năm {results_year}.",
        deadline=default_deadline(year),
    )


# --- criteria as people write them ---------------------------------------------------------------


def parse_criteria(codes: str | None, gains: str | None) -> tuple[TaskCriterion, ...]:
    """'3.2; 3.3' and '0,5; 0,25' (same order, gains optional) -> TaskCriterion tuple; CchcError if unclear."""
    code_list = [c.strip() for c in (codes or "").replace("\n", ";").split(";") if c.strip()]
    if not gains or not gains.strip():
        return tuple(TaskCriterion(c) for c in code_list)
    gain_texts = [g.strip() for g in gains.replace("\n", ";").split(";")]
    if len(gain_texts) != len(code_list):
        raise CchcError(
            f"Có {len(code_list)} mã tiêu chí nhưng {len(gain_texts)} số điểm cần tăng; ghi cùng thứ tự, "
            "ngăn cách bằng dấu chấm phẩy."
        )
    try:
        values = [float(g.replace(",", ".")) if g else None for g in gain_texts]
    except ValueError:
        raise CchcError(f"Điểm cần tăng '{gains}' không phải số (ví dụ 0,5; 0,25).") from None
    return tuple(TaskCriterion(c, v) for c, v in zip(code_list, values))


def gains_text(criteria: tuple[TaskCriterion, ...]) -> str:
    """The points to gain as people write them: '0,5; 0,25' ('' when none is set)."""
    if all(c.planned_gain is None for c in criteria):
        return ""
    return "; ".join(
        "" if c.planned_gain is None else fmt_number(c.planned_gain).rstrip("0").rstrip(",") for c in criteria
    )


def office_names(con) -> dict[str, str]:
    """code → name of every office, in the order they were registered."""
    return dict(con.execute("SELECT code, name FROM offices ORDER BY rowid").fetchall())
