"""Writing: one transaction per file, an audit row per batch, and undo that restores exactly.

An import stores the rows of every (year, unit) it carries. With replace, the rows those
(year, unit) pairs had before are deleted and copied into `replaced_scores` under the new
batch, so that undoing the batch deletes its rows and puts those back. A batch whose rows
a later import replaced can only be undone after that later import is undone.

Every write goes through analytics.transactions.transaction: one writer at a time, all or nothing.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd

from analytics import settings
from analytics.errors import CchcError, NotFoundError
from analytics.importing.rows import ScoreRows
from analytics.schema import REFERENCE_TABLES
from analytics.sql import scalar
from analytics.store import bump_data_version, new_batch
from analytics.transactions import transaction

# Test hook: seconds to sleep inside the import transaction, just before COMMIT (see tests).
PAUSE_ENV = settings.IMPORT_PAUSE_SECONDS.name
PAUSED_MARK = "CCHC_IMPORT_PAUSED"

# The incoming rows are registered on the connection as INCOMING (an Arrow table, one bulk
# statement instead of a statement per row); their (year, unit) pairs are INCOMING_PAIRS.
INCOMING = "incoming_scores"
INCOMING_PAIRS = f"(SELECT DISTINCT year, unit_code FROM {INCOMING})"
EXISTING_PAIRS_SQL = f"""
    SELECT s.year, s.unit_code, count(*) FROM scores s SEMI JOIN {INCOMING_PAIRS} p USING (year, unit_code)
    GROUP BY s.year, s.unit_code ORDER BY s.year, s.unit_code
"""
SAVE_REPLACED_SQL = f"""
    INSERT INTO replaced_scores (replaced_by_batch_id, year, unit_code, criterion_code, points, self_points,
                                 is_demo, source, batch_id)
    SELECT $batch, year, unit_code, criterion_code, points, self_points, is_demo, source, batch_id
    FROM scores SEMI JOIN {INCOMING_PAIRS} p USING (year, unit_code)
"""
DELETE_PAIRS_SQL = f"""
    DELETE FROM scores USING {INCOMING_PAIRS} p WHERE scores.year = p.year AND scores.unit_code = p.unit_code
"""
INSERT_SCORES_SQL = f"""
    INSERT INTO scores (year, unit_code, criterion_code, points, self_points, is_demo, source, batch_id)
    SELECT year, unit_code, criterion_code, points, self_points, $is_demo, $source, $batch FROM {INCOMING}
"""
BATCH_SQL = "SELECT kind, undone_by_batch_id FROM batches WHERE id = ?"
BLOCKING_SQL = "SELECT DISTINCT replaced_by_batch_id FROM replaced_scores WHERE batch_id = ? ORDER BY 1"
DELETE_BATCH_ROWS_SQL = "DELETE FROM scores WHERE batch_id = ?"
RESTORE_SQL = """
    INSERT INTO scores (year, unit_code, criterion_code, points, self_points, is_demo, source, batch_id)
    SELECT year, unit_code, criterion_code, points, self_points, is_demo, source, batch_id
    FROM replaced_scores WHERE replaced_by_batch_id = ?
"""
FORGET_REPLACED_SQL = "DELETE FROM replaced_scores WHERE replaced_by_batch_id = ?"
COUNT_BATCH_ROWS_SQL = """
    SELECT (SELECT count(*) FROM scores WHERE batch_id = $b) + (SELECT count(*) FROM tasks WHERE batch_id = $b)
""" + "".join(f" + (SELECT count(*) FROM {table} WHERE batch_id = $b)" for table in REFERENCE_TABLES)
# Reference rows (criteria sets, bands, offices, targets…) are versioned the same way, each table with its twin.
UNDO_REFERENCE_SQL = [
    statement
    for table in REFERENCE_TABLES
    for statement in (
        f"DELETE FROM {table} WHERE batch_id = $b",
        f"INSERT INTO {table} BY NAME SELECT * EXCLUDE (replaced_by_batch_id) FROM replaced_{table} "
        "WHERE replaced_by_batch_id = $b",
        f"DELETE FROM replaced_{table} WHERE replaced_by_batch_id = $b",
    )
]
BLOCKING_REFERENCE_SQL = " UNION ".join(
    f"SELECT replaced_by_batch_id FROM replaced_{table} WHERE batch_id = $b" for table in REFERENCE_TABLES
)
# Scores loaded after a set this batch wrote, in the years it is in force: they were checked against
# that set, and undoing it would leave them without it (or on another), so the undo is refused while
# they are there. Scores stored before the set go back to the set they had (and those it removed return).
SETS_IN_USE_SQL = """
    SELECT cs.code, s.year, count(*) AS rows
    FROM criteria_sets cs
    JOIN (SELECT DISTINCT code, level FROM units) u ON u.level = cs.level
    JOIN scores s ON s.unit_code = u.code
    WHERE cs.batch_id = $b AND s.batch_id > $b AND set_in_force(cs.level, s.year) = cs.code
    GROUP BY cs.code, s.year ORDER BY cs.code, s.year
"""
# Task rows (analytics/tasks.py) are versioned like scores: a batch's rows carry its id, the rows it
# replaced are kept in the replaced_ twin; notes are only ever added.
VERSIONED_TASK_TABLES = (("tasks", "replaced_tasks"), ("task_criteria", "replaced_task_criteria"))
UNDO_TASK_SQL = [
    statement
    for table, twin in VERSIONED_TASK_TABLES
    for statement in (
        f"DELETE FROM {table} WHERE batch_id = $b",
        f"INSERT INTO {table} BY NAME SELECT * EXCLUDE (replaced_by_batch_id) FROM {twin} "
        "WHERE replaced_by_batch_id = $b",
        f"DELETE FROM {twin} WHERE replaced_by_batch_id = $b",
    )
] + ["DELETE FROM task_notes WHERE batch_id = $b"]
BLOCKING_TASK_SQL = """
    SELECT replaced_by_batch_id FROM replaced_tasks WHERE batch_id = $b
    UNION SELECT replaced_by_batch_id FROM replaced_task_criteria WHERE batch_id = $b ORDER BY 1
"""
UNDOABLE_KINDS = ("import", "edit")
MARK_UNDONE_SQL = "UPDATE batches SET undone_by_batch_id = ? WHERE id = ?"
HISTORY_SQL = (
    """
    SELECT b.id, b.created_at, b.source_name, b.sha256, b.row_count, b.actor, b.kind, b.mode,
           b.undoes_batch_id, b.undone_by_batch_id, b.note, b.content,
           (SELECT string_agg(DISTINCT CAST(s.year AS VARCHAR), ', ' ORDER BY CAST(s.year AS VARCHAR))
              FROM scores s WHERE s.batch_id = b.id) AS years,
           b.kind IN ('import', 'edit') AND b.undone_by_batch_id IS NULL
             AND NOT EXISTS (SELECT 1 FROM replaced_scores r WHERE r.batch_id = b.id)
             AND NOT EXISTS (SELECT 1 FROM replaced_tasks r WHERE r.batch_id = b.id)
             AND NOT EXISTS (SELECT 1 FROM replaced_task_criteria r WHERE r.batch_id = b.id)
             """
    + "".join(
        f"AND NOT EXISTS (SELECT 1 FROM replaced_{table} r WHERE r.batch_id = b.id) " for table in REFERENCE_TABLES
    )
    + """AS can_undo
    FROM batches b ORDER BY b.id DESC
"""
)


def write_rows(con, rows: ScoreRows, batch_id: int, is_demo: bool, source: str, save_replaced: bool) -> int:
    """Replace the data of every (year, unit) in rows by rows; returns how many rows were replaced."""
    with incoming(con, rows):
        return _write_incoming(con, batch_id, is_demo, source, save_replaced)


def _write_incoming(con, batch_id: int, is_demo: bool, source: str, save_replaced: bool) -> int:
    replaced = sum(count for _, _, count in con.execute(EXISTING_PAIRS_SQL).fetchall())
    if replaced and save_replaced:
        con.execute(SAVE_REPLACED_SQL, {"batch": batch_id})
    if replaced:
        con.execute(DELETE_PAIRS_SQL)
    con.execute(INSERT_SCORES_SQL, {"is_demo": is_demo, "source": source, "batch": batch_id})
    return replaced


@contextmanager
def incoming(con, rows: ScoreRows):
    """rows registered on `con` as INCOMING meanwhile (their Arrow table: no copy)."""
    con.register(INCOMING, as_score_rows(rows).table)
    try:
        yield con
    finally:
        con.unregister(INCOMING)


def as_score_rows(rows) -> ScoreRows:
    """ScoreRows as they are; a list of (year, unit, criterion, points, self_points) tuples converted."""
    return rows if isinstance(rows, ScoreRows) else ScoreRows.from_tuples(rows)


def commit_rows(con, rows: ScoreRows, *, file_name: str, sha256: str, actor: str, replace: bool, is_demo: bool) -> int:
    """Store rows as one batch in one transaction; returns the batch id."""
    with transaction(con):
        batch_id = write_batch(
            con, rows, file_name=file_name, sha256=sha256, actor=actor, replace=replace, is_demo=is_demo
        )
        finish_batch(con)
    return batch_id


def write_batch(con, rows: ScoreRows, *, file_name: str, sha256: str, actor: str, replace: bool, is_demo: bool) -> int:
    """Inside a transaction: the batch row and its rows (refused when a pair has data and not replace)."""
    rows = as_score_rows(rows)
    if not rows:
        raise CchcError("Tệp không có dòng điểm nào để nạp.")
    with incoming(con, rows):
        if not replace:
            refuse_existing(con)
        batch_id = new_batch(
            con,
            source_name=file_name,
            sha256=sha256,
            row_count=len(rows),
            actor=actor,
            kind="import",
            mode="replace" if replace else "insert",
        )
        replaced = _write_incoming(con, batch_id, is_demo, f"Nạp từ tệp {file_name}", save_replaced=True)
    con.execute("UPDATE batches SET note = ? WHERE id = ?", [batch_note(rows, replaced), batch_id])
    return batch_id


def finish_batch(con) -> None:
    """The last step inside an import's transaction, just before COMMIT."""
    bump_data_version(con)
    _pause_for_tests()


def batch_note(rows: ScoreRows, replaced: int) -> str:
    """'Năm 2021; 10 đơn vị; thay 80 dòng điểm đã có' (kept, since undo removes the rows)."""
    note = f"Năm {', '.join(map(str, rows.years))}; {rows.unit_count} đơn vị"
    return note + (f"; thay {replaced} dòng điểm đã có" if replaced else "")


def refuse_existing(con) -> None:
    """Checked again inside the transaction (INCOMING registered): another import may have landed since
    the preview."""
    existing = con.execute(EXISTING_PAIRS_SQL).fetchall()
    if existing:
        year, unit, _ = existing[0]
        raise CchcError(
            f"Đơn vị {unit} đã có dữ liệu năm {year} trong kho; chọn 'Thay thế dữ liệu đã có' "
            "để ghi đè. Chưa có gì thay đổi."
        )


def _pause_for_tests() -> None:
    seconds = settings.import_pause_seconds()
    if seconds:
        print(PAUSED_MARK, file=sys.stderr, flush=True)
        time.sleep(float(seconds))


def commit_import(con, analysis, actor: str) -> int:
    """Commit an analysed file (see pipeline.analyze); refuses one with errors."""
    if analysis.errors:
        raise CchcError(f"Tệp {analysis.file_name} còn {len(analysis.errors)} lỗi; chưa nạp gì.")
    return commit_rows(
        con,
        analysis.rows,
        file_name=analysis.file_name,
        sha256=analysis.sha256,
        actor=actor,
        replace=analysis.options.replace,
        is_demo=analysis.is_demo,
    )


def undo_batch(con, batch_id: int, actor: str) -> int:
    """Undo an import or a task edit: delete its rows, put back what it replaced. Returns the id of the undo batch."""
    with transaction(con):
        check_undoable(con, batch_id)
        removed = con.execute(COUNT_BATCH_ROWS_SQL, {"b": batch_id}).fetchone()[0]
        con.execute(DELETE_BATCH_ROWS_SQL, [batch_id])
        con.execute(RESTORE_SQL, [batch_id])
        con.execute(FORGET_REPLACED_SQL, [batch_id])
        for statement in UNDO_TASK_SQL + UNDO_REFERENCE_SQL:
            con.execute(statement, {"b": batch_id})
        undo_id = new_batch(
            con,
            source_name=f"Hoàn tác lô #{batch_id}",
            sha256=None,
            row_count=removed,
            actor=actor,
            kind="undo",
            undoes_batch_id=batch_id,
            content=scalar(con, "SELECT content FROM batches WHERE id = ?", [batch_id]),
        )
        con.execute(MARK_UNDONE_SQL, [undo_id, batch_id])
        bump_data_version(con)
    return undo_id


def check_undoable(con, batch_id: int) -> None:
    row = con.execute(BATCH_SQL, [batch_id]).fetchone()
    if row is None:
        raise NotFoundError(f"Không có lô nhập #{batch_id}.")
    kind, undone_by = row
    if kind not in UNDOABLE_KINDS:
        raise CchcError(f"Lô #{batch_id} không phải lô nạp từ tệp hay lô sửa nhiệm vụ; chỉ hoàn tác được các lô đó.")
    if undone_by is not None:
        raise CchcError(f"Lô #{batch_id} đã được hoàn tác (lô #{undone_by}).")
    later = sorted(
        {r[0] for r in con.execute(BLOCKING_SQL, [batch_id]).fetchall()}
        | {r[0] for r in con.execute(BLOCKING_TASK_SQL, {"b": batch_id}).fetchall()}
        | {r[0] for r in con.execute(BLOCKING_REFERENCE_SQL, {"b": batch_id}).fetchall()}
    )
    if later:
        raise CchcError(
            f"Dữ liệu của lô #{batch_id} đã bị lô #{later[-1]} thay thế; hãy hoàn tác lô #{later[-1]} trước."
        )
    refuse_set_in_use(con, batch_id)


def refuse_set_in_use(con, batch_id: int) -> None:
    used = con.execute(SETS_IN_USE_SQL, {"b": batch_id}).fetchall()
    if used:
        years = ", ".join(f"năm {year} ({rows} dòng)" for _, year, rows in used)
        raise CchcError(
            f"Không hoàn tác được lô #{batch_id}: bộ tiêu chí {used[0][0]} đang được dùng bởi điểm đã lưu: {years}. "
            "Hãy hoàn tác (hoặc nạp lại theo bộ khác) các lô điểm đó trước."
        )


def history(con) -> pd.DataFrame:
    """Every batch, newest first: id, created_at, source_name, sha256, row_count, actor, kind, mode,
    undoes_batch_id, undone_by_batch_id, note, content, years, can_undo."""
    return con.execute(HISTORY_SQL).df()


UNDO_PREVIEW_SQL = """
    SELECT (SELECT count(*) FROM scores WHERE batch_id = $id),
           (SELECT count(*) FROM (SELECT DISTINCT year, unit_code FROM scores WHERE batch_id = $id)),
           (SELECT coalesce(list(DISTINCT year ORDER BY year), []) FROM scores WHERE batch_id = $id),
           (SELECT count(*) FROM replaced_scores WHERE replaced_by_batch_id = $id)
"""


@dataclass(frozen=True)
class UndoPreview:
    """What undoing a batch would do: its rows removed, and the rows it replaced put back."""

    rows_removed: int
    units: int
    years: list[int]
    rows_restored: int


def undo_preview(con, batch_id: int) -> UndoPreview:
    removed, units, years, restored = con.execute(UNDO_PREVIEW_SQL, {"id": batch_id}).fetchone()
    return UndoPreview(int(removed), int(units), [int(y) for y in years], int(restored))


REFERENCE_UNDO_SQL = (
    "SELECT "
    + " + ".join(f"(SELECT count(*) FROM {table} WHERE batch_id = $id)" for table in REFERENCE_TABLES)
    + ", "
    + " + ".join(
        f"(SELECT count(*) FROM replaced_{table} WHERE replaced_by_batch_id = $id)" for table in REFERENCE_TABLES
    )
)


def reference_undo_preview(con, batch_id: int) -> tuple[int, int]:
    """(reference rows the batch wrote, reference rows it replaced): what its undo removes and restores."""
    removed, restored = con.execute(REFERENCE_UNDO_SQL, {"id": batch_id}).fetchone()
    return int(removed), int(restored)


def batch_content(con, batch_id: int) -> str | None:
    """What a batch holds (schema.BATCH_CONTENTS), None for an unknown batch."""
    row = con.execute("SELECT content FROM batches WHERE id = ?", [batch_id]).fetchone()
    return None if row is None else row[0]
