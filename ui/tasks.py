"""Task widgets the pages call: the overview's task summary, "Giao nhiệm vụ" on the plan and criteria
pages, and the shared reads (cached by data version and day, since "quá hạn" changes with the date).

Writes run in button callbacks, before the next run draws anything, so every page of that run
already sees the new data version. Writing needs the editor sign-in (ui/editor.py).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analytics import task_results, tasks
from analytics.errors import CchcError
from analytics.formatting import fmt_int, fmt_number
from ui import data
from ui.editor import editor
from ui.imports import MARKDOWN_SPECIALS
from ui.marks import Card, cards, demo_badge
from ui.url import shared_params

RESULT_KEY = "_task_result"
TASKS_PAGE = "app_pages/tasks.py"


@st.cache_data(show_spinner=False)
def task_list(_con, data_ver: str, day: date, year: int | None, unit_code: str | None) -> pd.DataFrame:
    return tasks.list_tasks(_con, year, unit_code, today=day)


@st.cache_data(show_spinner=False)
def progress(_con, data_ver: str, day: date, results_year: int, unit_code: str) -> task_results.PlanProgress:
    return task_results.plan_progress(_con, results_year, unit_code, today=day)


@st.cache_data(show_spinner=False)
def follow_through(_con, data_ver: str, day: date, year: int, unit_code: str) -> pd.DataFrame:
    return task_results.follow_through(_con, year, unit_code, today=day)


@st.cache_data(show_spinner=False)
def scorecard(_con, data_ver: str, day: date, year: int, unit_code: str) -> pd.DataFrame:
    return task_results.scorecard(_con, year, unit_code, today=day)


def show_result() -> None:
    kind, message = st.session_state.pop(RESULT_KEY, (None, None))
    if message:  # a message may quote a title typed by a person: never read as Markdown
        getattr(st, kind)(message.translate(MARKDOWN_SPECIALS))


def save(changes: tasks.Changes, actor: str, done_words: str) -> int | None:
    """Save in one batch and leave a message for the next run; the batch id (None if nothing changed)."""
    try:
        batch_id = tasks.save_changes(data.connection(), changes, actor)
    except CchcError as exc:
        st.session_state[RESULT_KEY] = ("error", exc.message)
        return None
    message = f"{done_words} (lô #{batch_id}; hoàn tác được ở trang Dữ liệu)." if batch_id else "Không có gì thay đổi."
    st.session_state[RESULT_KEY] = ("success" if batch_id else "info", message)
    return batch_id


# --- overview ------------------------------------------------------------------------------------


def render_overview_summary(con, ver: str, sel) -> None:
    """For the plan made from the selected year's results: tasks done, on track, late, and the points
    they plan to add against the points the unit still needs for its target rank."""
    found = progress(con, ver, date.today(), sel.year, sel.unit_code)
    st.subheader(f"Nhiệm vụ năm {found.year_served}")
    if not found.total:
        st.caption(
            f"Chưa giao nhiệm vụ nào cho năm {found.year_served}. Giao từ trang Kế hoạch đạt mục tiêu "
            "hoặc trang Tiêu chí."
        )
        return
    demo_badge(found.is_demo)
    needed = "–" if found.points_needed is None else fmt_number(found.points_needed)
    cards(
        [
            Card("Hoàn thành", f"{fmt_int(found.done)}/{fmt_int(found.total)}"),
            Card("Đang thực hiện, còn hạn", fmt_int(found.on_track)),
            Card("Quá hạn", fmt_int(found.late)),
            Card(
                "Dự kiến tăng / cần thêm",
                f"{fmt_number(found.points_planned)} / {needed}",
                help="Tổng điểm cần tăng ghi ở các nhiệm vụ, so với số điểm còn thiếu để đạt hạng "
                "mục tiêu. Điểm của nhiệm vụ là dự kiến, không phải kết quả chấm.",
            ),
        ],
        "tasks",
    )
    st.page_link(TASKS_PAGE, label="Xem và cập nhật nhiệm vụ", icon=":material/task_alt:", query_params=shared_params())


# --- plan and criteria pages ---------------------------------------------------------------------


def _make_from_plan(plan) -> None:
    actor = editor()
    if actor is None:
        st.session_state[RESULT_KEY] = ("error", "Cần đăng nhập biên tập viên để giao nhiệm vụ.")
        return
    con = data.connection()
    drafts, skipped = tasks.tasks_from_plan(con, plan)
    skipped_words = f"; bỏ qua tiêu chí đã có nhiệm vụ: {', '.join(skipped)}" if skipped else ""
    if not drafts:
        st.session_state[RESULT_KEY] = ("info", f"Mọi tiêu chí của kế hoạch đã có nhiệm vụ{skipped_words}.")
        return
    save(
        tasks.Changes(tasks=drafts),
        actor,
        f"Đã giao {len(drafts)} nhiệm vụ năm {plan.year + 1} từ kế hoạch{skipped_words}",
    )


def plan_button(plan) -> None:
    """'Giao nhiệm vụ': one draft task per plan step (criterion, office, points to gain pre-filled)."""
    show_result()
    if not plan.steps:
        return
    if editor() is None:
        st.caption("Đăng nhập biên tập viên (trang Nhiệm vụ) để giao các bước của kế hoạch thành nhiệm vụ.")
        return
    st.button(
        "Giao nhiệm vụ",
        key="plan_make_tasks",
        icon=":material/assignment_add:",
        on_click=_make_from_plan,
        args=(plan,),
        help=f"Mỗi tiêu chí của kế hoạch thành một nhiệm vụ năm {plan.year + 1} của cơ quan "
        "phụ trách, với số điểm cần tăng; sửa tiếp ở trang Nhiệm vụ.",
    )


def _make_for_criterion(results_year: int, unit_code: str, code: str, gain: float | None) -> None:
    actor = editor()
    if actor is None:
        st.session_state[RESULT_KEY] = ("error", "Cần đăng nhập biên tập viên để giao nhiệm vụ.")
        return
    try:
        draft = tasks.task_for_criterion(data.connection(), results_year, unit_code, code, gain)
    except CchcError as exc:
        st.session_state[RESULT_KEY] = ("error", exc.message)
        return
    save(tasks.Changes(tasks=[draft]), actor, f"Đã giao nhiệm vụ năm {results_year + 1} cho tiêu chí {code}")


def criterion_button(sel, criteria: pd.DataFrame | None) -> None:
    """A weak criterion (below the reference) becomes a task for the next year."""
    show_result()
    if criteria is None or criteria.empty:
        return
    weak = criteria[criteria.gap_points < 0].sort_values("gap_points")
    if weak.empty or editor() is None:
        if not weak.empty:
            st.caption("Đăng nhập biên tập viên (trang Nhiệm vụ) để giao nhiệm vụ cho một tiêu chí còn yếu.")
        return
    names = {
        r.criterion_code: f"{r.criterion_code}. {r.criterion_name} ({fmt_number(r.gap_points)} điểm)"
        for r in weak.itertuples()
    }
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    code = left.selectbox("Tiêu chí còn yếu", list(names), format_func=names.get, key="criterion_task_code")
    gain = float(-weak.set_index("criterion_code").gap_points[code])
    right.button(
        "Giao nhiệm vụ",
        key="criterion_make_task",
        icon=":material/assignment_add:",
        on_click=_make_for_criterion,
        args=(sel.year, sel.unit_code, code, round(gain, 2)),
    )
