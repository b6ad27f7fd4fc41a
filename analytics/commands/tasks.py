"""tasks (list with follow-through) and `import FILE --kind tasks` (check, preview, commit; undo as any batch)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from analytics.commands.common import add_db_option, add_format_option, emit, open_store, to_jsonable
from analytics.errors import CchcError
from analytics.formatting import fmt_number, fmt_signed
from analytics.importing.task_file import PREVIEW_LABELS
from analytics.tasks import STATES

STATE_WORDS = {
    **{k: k for k in STATES},
    **{v.lower(): k for k, v in STATES.items()},
    "chua thuc hien": "todo",
    "dang thuc hien": "doing",
    "hoan thanh": "done",
    "qua han": "overdue",
}
TABLE_HEADERS = {
    "id": "Số",
    "year": "Năm",
    "office_name": "Cơ quan",
    "title": "Nhiệm vụ",
    "criteria": "Tiêu chí",
    "deadline": "Hạn",
    "state_label": "Tình trạng",
    "planned_gain": "Điểm cần tăng",
    "verdict_label": "Kết quả",
    "points_gained": "Điểm thay đổi",
}
TITLE_WIDTH = 48


def register(subparsers) -> None:
    tasks = subparsers.add_parser("tasks", help="danh sách nhiệm vụ và kết quả theo dõi (trước/sau)")
    add_db_option(tasks)
    tasks.add_argument("--year", type=int, help="năm kết quả mà nhiệm vụ phục vụ, ví dụ 2021")
    tasks.add_argument("--unit", help='mã, tên hoặc tên khác của đơn vị, ví dụ 042 hoặc "Bảo Lâm"')
    tasks.add_argument("--office", help="mã cơ quan chủ trì, ví dụ NV")
    tasks.add_argument("--status", help="todo | doing | done | overdue (hoặc: chưa thực hiện, quá hạn…)")
    add_format_option(tasks)
    tasks.set_defaults(func=run_tasks)


def state_code(text: str | None) -> str | None:
    if text is None:
        return None
    from analytics.names import fold

    code = STATE_WORDS.get(text.strip().lower()) or STATE_WORDS.get(fold(text))
    if code is None:
        raise CchcError(f"Trạng thái '{text}' không hợp lệ; dùng todo, doing, done hoặc overdue.")
    return code


def task_table(con, year=None, unit=None, office=None, state=None) -> pd.DataFrame:
    """The tasks (overdue first) with each task's follow-through verdict and points changed."""
    from analytics.task_results import follow_through, task_verdicts
    from analytics.tasks import list_tasks

    tasks = list_tasks(con, year, unit, office, state)
    rows = follow_through(con, year, unit, office)
    verdicts = (
        task_verdicts(rows)
        if len(rows)
        else pd.DataFrame(columns=["task_id", "verdict", "verdict_label", "points_gained", "before_pct", "after_pct"])
    )
    return tasks.merge(verdicts, left_on="id", right_on="task_id", how="left").drop(columns="task_id")


def run_tasks(args) -> int:
    from analytics.commands.reports import unit_code

    con = open_store(args)
    try:
        unit = unit_code(con, args.unit) if args.unit else None
        frame = task_table(con, args.year, unit, args.office, state_code(args.status))
    finally:
        con.close()
    if args.format == "table":
        print(_readable(frame).to_string(index=False) if len(frame) else "Không có nhiệm vụ nào.")
        if frame.is_demo.any():
            print("\n(Dữ liệu minh họa: có nhiệm vụ minh họa, chưa phải nhiệm vụ chính thức.)")
        return 0
    frame = frame.assign(
        deadline=frame.deadline.astype(str).replace("None", None),
        done_on=frame.done_on.astype(str).replace("None", None),
        changed_at=frame.changed_at.astype(str),
    )
    emit(frame, args.format)
    return 0


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    shown = frame.assign(
        title=[t if len(t) <= TITLE_WIDTH else t[: TITLE_WIDTH - 1] + "…" for t in frame.title],
        deadline=[f"{d:%d/%m/%Y}" if d is not None else "–" for d in frame.deadline],
        planned_gain=frame.planned_gain.map(fmt_number),
        verdict_label=frame.verdict_label.fillna("–"),
        points_gained=frame.points_gained.map(fmt_signed),
    )
    return shown[list(TABLE_HEADERS)].rename(columns=TABLE_HEADERS)


# --- import --kind tasks -------------------------------------------------------------------------


def run_task_import(args, data: bytes, max_bytes: int) -> int:
    from analytics.commands.imports import ACTOR, open_for_writing
    from analytics.importing.task_file import analyze_and_commit_tasks, analyze_tasks

    con = open_for_writing(args)
    name = Path(args.file).name
    try:
        if args.dry_run:
            analysis, batch_id = analyze_tasks(con, name, data, max_bytes), None
        else:
            analysis, batch_id = analyze_and_commit_tasks(con, name, data, ACTOR, max_bytes)
    finally:
        con.close()
    _report(analysis, batch_id, args)
    return 0 if analysis.ok else 2


def _report(analysis, batch_id: int | None, args) -> None:
    if args.format == "json":
        emit(
            {
                "file": analysis.file_name,
                "sha256": analysis.sha256,
                "ok": analysis.ok,
                "dry_run": args.dry_run,
                "batch_id": batch_id,
                "tasks": len(analysis.tasks),
                "problems": [p.as_dict() for p in analysis.problems],
                "preview": None if analysis.preview is None else to_jsonable(analysis.preview),
            },
            "json",
        )
        return
    out = sys.stdout if analysis.ok else sys.stderr
    print(f"Tệp {analysis.file_name}: {len(analysis.tasks)} nhiệm vụ.", file=out)
    for title, items in (("Lỗi", analysis.errors), ("Cảnh báo", analysis.warnings)):
        if items:
            print(f"{title} ({len(items)}):", file=out)
            for problem in items:
                print(f"  - {problem.message}", file=out)
    if analysis.preview is not None and len(analysis.preview):
        print(
            analysis.preview.rename(columns=PREVIEW_LABELS).to_string(index=False),
            file=out,
        )
    print(_outcome(analysis, batch_id, args.dry_run), file=out)


def _outcome(analysis, batch_id: int | None, dry_run: bool) -> str:
    if not analysis.ok:
        return "Chưa nạp gì: hãy sửa các lỗi trên rồi nạp lại."
    if dry_run:
        return "Chạy thử (--dry-run): chưa ghi gì vào kho."
    if batch_id is None:
        return "Không có gì thay đổi: mọi nhiệm vụ trong tệp đã có đúng như vậy trong kho."
    return f"Đã nạp lô #{batch_id}. Hoàn tác bằng: python -m analytics undo {batch_id}"
