"""The parts of the Nhiệm vụ page: the task table (editable when signed in), progress, per office,
follow-through, self-assessment cuts, files in and out, and a task's history."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from analytics import tasks
from analytics.errors import CchcError
from analytics.formatting import MISSING, fmt_number, fmt_pct, fmt_signed
from analytics.importing.task_file import PREVIEW_LABELS, analyze_tasks, commit_tasks, export_frame, template_frame
from analytics.reports.notice_docx import build_notice
from analytics.reports.task_files import TEMPLATE_SHEET, tasks_csv, tasks_xlsx
from analytics.self_assessment import criterion_cuts, largest_cuts, office_cuts
from analytics.store import actor_label
from ui import data
from ui.exports import CSV_MIME, DOCX_MIME, ICON, XLSX_MIME, file_stem
from ui.imports import MARKDOWN_SPECIALS, file_uploader, inert
from ui.tasks import RESULT_KEY, save

ALL = "__all__"
STATUS_BY_LABEL = {label: code for code, label in tasks.STATUSES.items()}
TASK_UPLOAD_COUNTER = "_task_upload_counter"


def offices(con) -> dict[str, str]:
    return tasks.office_names(con)


def fields_of(criteria: str | None) -> set[str]:
    return {c.strip().split(".")[0] for c in (criteria or "").split(";") if c.strip()}


def filtered(frame: pd.DataFrame, office: str, state: str, field: str) -> pd.DataFrame:
    keep = pd.Series(True, index=frame.index)
    if office != ALL:
        keep &= frame.office_code.fillna("") == office
    if state != ALL:
        keep &= frame.state == state
    if field != ALL:
        keep &= frame.criteria.map(lambda c: field in fields_of(c))
    return frame[keep]


def filters(frame: pd.DataFrame, office_names: dict[str, str]) -> tuple[str, str, str]:
    cols = st.columns(3)
    present = [c for c in office_names if c in set(frame.office_code.dropna())]
    office = cols[0].selectbox(
        "Cơ quan", [ALL, *present], key="tasks_office", format_func=lambda c: "Tất cả" if c == ALL else office_names[c]
    )
    state = cols[1].selectbox(
        "Tình trạng",
        [ALL, *tasks.STATES],
        key="tasks_state",
        format_func=lambda s: "Tất cả" if s == ALL else tasks.STATES[s],
    )
    fields = sorted(set().union(*[fields_of(c) for c in frame.criteria]) if len(frame) else set(), key=int)
    field = cols[2].selectbox(
        "Lĩnh vực", [ALL, *fields], key="tasks_field", format_func=lambda f: "Tất cả" if f == ALL else f"Lĩnh vực {f}"
    )
    return office, state, field


# --- the table -----------------------------------------------------------------------------------


def table_frame(frame: pd.DataFrame, con) -> pd.DataFrame:
    """What the table shows and lets an editor change, one row per task (index: task id); the task and
    its deadline first, so that a phone shows them without scrolling sideways."""
    criteria = {i: tasks.load_task(con, int(i)).criteria for i in frame.id}
    return pd.DataFrame(
        {
            "Nhiệm vụ": frame.title.tolist(),
            "Hạn": frame.deadline.tolist(),
            "Tình trạng": frame.state_label.tolist(),
            "Cơ quan": frame.office_name.tolist(),
            "Tiêu chí": [";".join(c.code for c in criteria[i]).replace(";", "; ") for i in frame.id],
            "Điểm cần tăng": [tasks.gains_text(criteria[i]) for i in frame.id],
            "Trạng thái": frame.status.map(tasks.STATUSES).tolist(),
        },
        index=pd.Index(frame.id.tolist(), name="Số"),
    )


def column_config() -> dict:
    widths = {"Tình trạng": 90, "Cơ quan": 160, "Tiêu chí": 70, "Điểm cần tăng": 95}  # all in view at 1366 px
    config = {name: st.column_config.Column(width=width) for name, width in widths.items()}
    config["Nhiệm vụ"] = st.column_config.TextColumn(width="large")
    config["Hạn"] = st.column_config.DateColumn(format="DD/MM/YYYY", width=85)
    return config


def show_table(con, frame: pd.DataFrame, actor: str | None, office_names: dict[str, str]) -> None:
    shown = table_frame(frame, con)
    config = column_config()
    if actor is None:  # the stored status is in the state, but for overdue
        event = st.dataframe(
            shown.drop(columns="Trạng thái"),
            key="tasks_table",
            column_config=config,
            placeholder=MISSING,
            on_select="rerun",
            selection_mode="single-row",
        )
        chosen = event.selection.rows
        if chosen:
            st.container(border=True).html(task_detail_html(shown.iloc[chosen[0]], frame.description.iloc[chosen[0]]))
        else:
            st.caption("Chọn một dòng (ô vuông đầu dòng) để đọc đầy đủ nhiệm vụ.")
        return
    edited = st.data_editor(
        shown,
        key="tasks_editor",
        disabled=["Tình trạng"],
        column_config={
            **config,
            "Cơ quan": st.column_config.SelectboxColumn(options=list(office_names.values()), width=160),
            "Trạng thái": st.column_config.SelectboxColumn(options=list(tasks.STATUSES.values()), required=True),
        },
    )
    st.caption("Bấm đúp vào một ô để đọc đầy đủ và sửa; Lưu để ghi mọi thay đổi thành một lô.")
    st.button(
        "Lưu các thay đổi trong bảng",
        key="tasks_save_table",
        icon=":material/save:",
        on_click=save_table,
        args=(shown, edited, actor, office_names),
    )


def task_detail_html(row: pd.Series, description: str | None) -> str:
    """One task in full, as text (titles are typed by people: escaped, never Markdown)."""
    facts = f"Hạn {_date(row['Hạn'])} · {row['Tình trạng']} · {row['Cơ quan']} · tiêu chí {row['Tiêu chí']}" + (
        f" (điểm cần tăng {row['Điểm cần tăng']})" if row["Điểm cần tăng"] else ""
    )
    more = f"<p>{inert(description)}</p>" if isinstance(description, str) and description else ""
    return (
        f"<div class='task-detail'><p><b>#{int(row.name)} — {inert(row['Nhiệm vụ'])}</b></p>"
        f"<p>{inert(facts)}</p>{more}</div>"
    )


def save_table(before: pd.DataFrame, after: pd.DataFrame, actor: str, office_names: dict[str, str]) -> None:
    con = data.connection()
    codes = {name: code for code, name in office_names.items()}
    try:
        changed = [
            edited_task(con, int(i), after.loc[i], codes) for i in after.index if not before.loc[i].equals(after.loc[i])
        ]
    except CchcError as exc:
        st.session_state[RESULT_KEY] = ("error", exc.message)
        return
    save(tasks.Changes(tasks=changed), actor, f"Đã lưu {len(changed)} nhiệm vụ")


def edited_task(con, task_id: int, row: pd.Series, office_codes: dict[str, str]) -> tasks.Task:
    stored = tasks.load_task(con, task_id)
    deadline = row["Hạn"]
    return replace(
        stored,
        title=str(row["Nhiệm vụ"] or ""),
        office_code=office_codes.get(row["Cơ quan"]),
        criteria=tasks.parse_criteria(row["Tiêu chí"], row["Điểm cần tăng"]),
        deadline=None if deadline is None or pd.isna(deadline) else pd.Timestamp(deadline).date(),
        status=STATUS_BY_LABEL.get(row["Trạng thái"], stored.status),
    )


# --- progress, new task, removal -----------------------------------------------------------------


def task_label(frame: pd.DataFrame):
    titles = dict(zip(frame.id, frame.title))
    return lambda i: f"#{i} — {titles[i]}"


def progress_form(frame: pd.DataFrame, actor: str) -> None:
    """Status and a dated progress note for one task, saved as one batch."""
    st.markdown("**Cập nhật tiến độ**")
    with st.form("task_progress", clear_on_submit=True, border=True):
        st.selectbox("Nhiệm vụ cần cập nhật", frame.id.tolist(), format_func=task_label(frame), key="progress_task")
        st.selectbox("Trạng thái mới", list(tasks.STATUSES), format_func=tasks.STATUSES.get, key="progress_status")
        st.text_area("Ghi chú tiến độ (không bắt buộc)", key="progress_note", max_chars=tasks.MAX_NOTE)
        st.form_submit_button("Lưu tiến độ", icon=":material/task_alt:", on_click=save_progress, args=(actor,))


def save_progress(actor: str) -> None:
    task_id, status = st.session_state["progress_task"], st.session_state["progress_status"]
    note = (st.session_state.get("progress_note") or "").strip()
    stored = tasks.load_task(data.connection(), int(task_id))
    changes = tasks.Changes(tasks=[replace(stored, status=status)], notes=[(int(task_id), note)] if note else [])
    save(changes, actor, f"Đã cập nhật nhiệm vụ #{task_id}: {tasks.STATUSES[status].lower()}")


def new_task_form(year: int, unit_code: str, unit_name: str, office_names: dict[str, str], actor: str) -> None:
    owners = {**office_names, None: f"Chính {unit_name} (kế hoạch của đơn vị)"}
    with st.expander("Thêm nhiệm vụ"):
        with st.form("task_new", clear_on_submit=True, border=False):
            cols = st.columns(2)
            cols[0].selectbox("Cơ quan chủ trì", list(owners), format_func=owners.get, key="new_office")
            cols[1].date_input(
                "Hạn hoàn thành", value=tasks.default_deadline(year), format="DD/MM/YYYY", key="new_deadline"
            )
            st.text_input("Tên nhiệm vụ", key="new_title", max_chars=tasks.MAX_TITLE)
            st.text_area("Mô tả", key="new_description", max_chars=tasks.MAX_DESCRIPTION)
            cols = st.columns(2)
            cols[0].text_input("Mã tiêu chí (ví dụ 3.2; 3.3)", key="new_criteria")
            cols[1].text_input("Điểm cần tăng (ví dụ 0,5; 0,25)", key="new_gains")
            st.form_submit_button("Thêm", icon=":material/add:", on_click=add_task, args=(year, unit_code, actor))


def add_task(year: int, unit_code: str, actor: str) -> None:
    state = st.session_state
    try:
        task = tasks.Task(
            year=year,
            unit_code=unit_code,
            office_code=state["new_office"],
            title=state["new_title"],
            criteria=tasks.parse_criteria(state["new_criteria"], state["new_gains"]),
            description=state["new_description"],
            deadline=state["new_deadline"],
        )
    except CchcError as exc:
        st.session_state[RESULT_KEY] = ("error", exc.message)
        return
    save(tasks.Changes(tasks=[task]), actor, "Đã thêm nhiệm vụ")


def remove_form(frame: pd.DataFrame, actor: str) -> None:
    with st.expander("Xóa nhiệm vụ"):
        task_id = st.selectbox("Nhiệm vụ cần xóa", frame.id.tolist(), format_func=task_label(frame), key="remove_task")
        st.button(
            "Xóa nhiệm vụ đã chọn",
            key="remove_confirm",
            icon=":material/delete:",
            on_click=lambda: save(tasks.Changes(removed=[int(task_id)]), actor, f"Đã xóa nhiệm vụ #{task_id}"),
            help="Hoàn tác được ở trang Dữ liệu, thẻ Lịch sử nạp.",
        )


# --- per office and follow-through ---------------------------------------------------------------


def scorecard_table(card: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Cơ quan": card.office_name,
            "Số nhiệm vụ": card.tasks,
            "Hoàn thành": card.done,
            "Hoàn thành đúng hạn": card.done_on_time,
            "Quá hạn": card.overdue,
            "Tiêu chí được giao": card.criteria_targeted,
            "Tiêu chí cải thiện": card.criteria_improved,
            "Tiêu chí giảm": card.criteria_worse,
            "Điểm dự kiến tăng": card.points_planned.map(fmt_number),
            "Điểm thay đổi thực tế": card.points_gained.map(fmt_signed),
        }
    )


def office_lists(frame: pd.DataFrame, office_names: dict[str, str]) -> None:
    """The tasks of each office, offices in the notice's order (office_names is in that order)."""
    order = {name: i for i, name in enumerate(office_names.values())}
    ordered = frame.assign(_order=frame.office_name.map(order).fillna(len(order))).sort_values("_order", kind="stable")
    for name, group in ordered.groupby("office_name", sort=False):
        with st.expander(f"{name} — {len(group)} nhiệm vụ"):
            st.dataframe(
                pd.DataFrame(
                    {
                        "Số": group.id,
                        "Nhiệm vụ": group.title,
                        "Tiêu chí": group.criteria,
                        "Hạn": [_date(d) for d in group.deadline],
                        "Tình trạng": group.state_label,
                    }
                ),
                hide_index=True,
                key=f"office_list_{group.office_code.iloc[0]}",
                placeholder=MISSING,
            )


def _date(value) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:%d/%m/%Y}"


def follow_table(rows: pd.DataFrame) -> pd.DataFrame:
    def side(year, points, maximum, pct):
        return [
            f"{int(y)}: {fmt_number(p)}/{fmt_number(m)} ({fmt_pct(c)})" if not pd.isna(p) else "–"
            for y, p, m, c in zip(year, points, maximum, pct)
        ]

    return pd.DataFrame(
        {
            "Số": rows.task_id,
            "Kết quả": rows.verdict_label,
            "Tiêu chí": rows.criterion_code,
            "Đo ở": [
                ("–" if pd.isna(m) else ("tiêu chí " + m if m == c else "lĩnh vực " + m))
                for c, m in zip(rows.criterion_code, rows.measured_code)
            ],
            "Trước": side(rows.before_year.fillna(0), rows.before_points, rows.before_max, rows.before_pct),
            "Sau": side(rows.after_year.fillna(0), rows.after_points, rows.after_max, rows.after_pct),
            "Thay đổi (điểm %)": rows.change_pct.map(fmt_signed),
            "Cơ quan": rows.office_name,
            "Nhiệm vụ": rows.title,
        }
    )


def follow_summary(rows: pd.DataFrame) -> str:
    counts = rows.verdict.value_counts()
    return (
        f"{len(rows)} tiêu chí được giao: {counts.get('improved', 0)} cải thiện, {counts.get('unchanged', 0)} "
        f"không đổi, {counts.get('worse', 0)} giảm, {counts.get('pending', 0)} chưa có kết quả."
    )


# --- self-assessment -----------------------------------------------------------------------------


def self_assessment(con, year: int, unit_code: str, unit_name: str) -> None:
    cuts = criterion_cuts(con, year, unit_code)
    if cuts.empty:
        st.info(
            f"Kết quả năm {year} của {unit_name} không có cột điểm tự chấm. Nạp tệp kết quả có cột "
            "'Điểm tự chấm' ở trang Dữ liệu để xem điểm bị trừ khi thẩm định.",
            icon=":material/info:",
        )
        return
    top = largest_cuts(cuts)
    st.markdown(
        f"Thẩm định trừ tổng cộng **{fmt_number(cuts.cut.clip(lower=0).sum())}** điểm so với điểm tự chấm "
        f"ở {int((cuts.cut > 0).sum())} tiêu chí: đây là nơi thiếu minh chứng, nguồn đầu tiên của nhiệm vụ."
    )
    st.markdown("**Các tiêu chí bị trừ nhiều nhất**")
    st.dataframe(
        pd.DataFrame(
            {
                "Tiêu chí": top.criterion_code + ". " + top.criterion_name,
                "Cơ quan": top.office_name,
                "Tự chấm": top.self_points.map(fmt_number),
                "Thẩm định": top.points.map(fmt_number),
                "Bị trừ": top.cut.map(fmt_number),
                "Bị trừ (% tối đa)": top.cut_pct.map(fmt_pct),
            }
        ),
        hide_index=True,
        key="cuts_top",
        placeholder=MISSING,
    )
    per_office = office_cuts(cuts)
    st.markdown("**Điểm bị trừ theo cơ quan**")
    st.dataframe(
        pd.DataFrame(
            {
                "Cơ quan": per_office.office_name,
                "Số tiêu chí": per_office.criteria_count,
                "Tự chấm": per_office.self_points.map(fmt_number),
                "Thẩm định": per_office.points.map(fmt_number),
                "Bị trừ": per_office.cut.map(fmt_number),
            }
        ),
        hide_index=True,
        key="cuts_office",
        placeholder=MISSING,
    )


# --- files ---------------------------------------------------------------------------------------


def downloads(con, year: int, unit_code: str, results_year: int | None) -> None:
    frame = export_frame(con, year, unit_code)
    stem = file_stem("nhiem-vu", year, unit_code)
    cols = st.columns(3)
    cols[0].download_button(
        "Tải danh sách (Excel)",
        tasks_xlsx(frame),
        file_name=f"{stem}.xlsx",
        mime=XLSX_MIME,
        key="tasks_xlsx",
        icon=ICON,
        on_click="ignore",
    )
    cols[1].download_button(
        "Tải danh sách (CSV)",
        tasks_csv(frame),
        file_name=f"{stem}.csv",
        mime=CSV_MIME,
        key="tasks_csv",
        icon=ICON,
        on_click="ignore",
    )
    if results_year is not None:
        worker = con.cursor()
        cols[2].download_button(
            "Tải dự thảo Thông báo kết luận (Word)",
            data=lambda: build_notice(worker, results_year, unit_code),
            file_name=f"{file_stem('thong-bao-ket-luan', results_year, unit_code)}.docx",
            mime=DOCX_MIME,
            key="notice_docx",
            icon=ICON,
            on_click="ignore",
            help=f"Mục I: đánh giá kết quả năm {results_year}; mục II: nhiệm vụ năm "
            f"{results_year + 1} theo từng cơ quan. Bố cục theo Nghị định 30/2020/NĐ-CP.",
        )
    template = template_frame()
    cols = st.columns(3)
    cols[0].download_button(
        "Tải mẫu nhiệm vụ (Excel)",
        tasks_xlsx(template, TEMPLATE_SHEET),
        file_name="mau-nhiem-vu.xlsx",
        mime=XLSX_MIME,
        key="tasks_template_xlsx",
        icon=ICON,
        on_click="ignore",
    )
    cols[1].download_button(
        "Tải mẫu nhiệm vụ (CSV)",
        tasks_csv(template),
        file_name="mau-nhiem-vu.csv",
        mime=CSV_MIME,
        key="tasks_template_csv",
        icon=ICON,
        on_click="ignore",
    )


def upload(con, actor: str) -> None:
    counter = st.session_state.setdefault(TASK_UPLOAD_COUNTER, 0)
    uploaded = file_uploader("Nạp bảng nhiệm vụ", ".xlsx, .csv", ["xlsx", "csv"], f"task_upload_{counter}")
    if uploaded is None:
        return
    analysis = analyze_tasks(con, uploaded.name, uploaded.getvalue())
    for problem in analysis.problems:
        (st.error if problem.severity == "error" else st.warning)(problem.message.translate(MARKDOWN_SPECIALS))
    if analysis.preview is not None and len(analysis.preview):
        st.dataframe(
            analysis.preview.rename(columns=PREVIEW_LABELS),
            hide_index=True,
            key="task_upload_preview",
            placeholder=MISSING,
        )
    st.button(
        "Xác nhận nạp nhiệm vụ",
        type="primary",
        disabled=not analysis.ok,
        key="task_upload_confirm",
        on_click=confirm_upload,
        args=(uploaded.name, uploaded.getvalue(), actor),
    )


def confirm_upload(name: str, payload: bytes, actor: str) -> None:
    con = data.connection()
    try:
        batch_id = commit_tasks(con, analyze_tasks(con, name, payload), actor)
    except CchcError as exc:
        st.session_state[RESULT_KEY] = ("error", exc.message)
        return
    st.session_state[RESULT_KEY] = (
        "success",
        f"Đã nạp bảng nhiệm vụ {name} (lô #{batch_id})."
        if batch_id
        else "Không có gì thay đổi: mọi nhiệm vụ trong tệp đã có như vậy.",
    )
    st.session_state[TASK_UPLOAD_COUNTER] = st.session_state.get(TASK_UPLOAD_COUNTER, 0) + 1


# --- history -------------------------------------------------------------------------------------


def history(con, frame: pd.DataFrame) -> None:
    task_id = st.selectbox("Nhiệm vụ cần xem", frame.id.tolist(), format_func=task_label(frame), key="history_task")
    versions = tasks.task_history(con, int(task_id))
    st.dataframe(
        pd.DataFrame(
            {
                "Lô": versions.batch_id,
                "Thời điểm": [f"{t:%d/%m/%Y %H:%M}" for t in versions.created_at],
                "Người thực hiện": [actor_label(a, c) for a, c in zip(versions.actor, versions.content)],
                "Trạng thái": versions.status.map(tasks.STATUSES),
                "Hạn": [_date(d) for d in versions.deadline],
                "Tên nhiệm vụ": versions.title,
                "Ghi chú": ["Đã hoàn tác" if pd.notna(u) else "" for u in versions.undone_by_batch_id],
            }
        ),
        hide_index=True,
        key="history_versions",
        placeholder=MISSING,
    )
    notes = tasks.task_notes(con, int(task_id))
    st.markdown("**Ghi chú tiến độ**")
    if notes.empty:
        st.caption("Chưa có ghi chú tiến độ.")
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    "Ngày": [_date(d) for d in notes.noted_on],
                    "Ghi chú": notes.note,
                    "Người ghi": [actor_label(a, c) for a, c in zip(notes.actor, notes.content)],
                }
            ),
            hide_index=True,
            key="history_notes",
            placeholder=MISSING,
        )
