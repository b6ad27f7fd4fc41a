"""Nhiệm vụ: the tasks of section II per office, their progress, and whether the targeted criteria moved."""

from datetime import date

import streamlit as st

from analytics.formatting import MISSING
from ui import data
from ui import task_page as view
from ui import tasks as tasks_ui
from ui.editor import editor, sign_in_panel, signed_in_bar
from ui.marks import demo_badge, empty_state, how_to_read
from ui.page import what_to_load_first
from ui.sidebar import current

sel = current()
con = data.connection()
ver = data.version(con)
actor = editor()
today = date.today()
st.title("Nhiệm vụ")
what_to_load_first(con, ver)
tasks_ui.show_result()

all_years = sorted(set(tasks_ui.task_list(con, ver, today, None, sel.unit_code).year.astype(int)))
results_year = sel.year
default = results_year if results_year in all_years else (results_year or today.year) + 1
left, right = st.columns([1, 3], vertical_alignment="bottom")
year = left.selectbox(
    "Năm phục vụ",
    sorted({*all_years, default}),
    index=sorted({*all_years, default}).index(default),
    key="tasks_year",
    help="Năm kết quả mà nhiệm vụ hướng tới.",
)
right.caption(f"{sel.unit_name}: nhiệm vụ giao sau khi có kết quả năm {year - 1}, để nâng chỉ số năm {year}.")
frame = tasks_ui.task_list(con, ver, today, year, sel.unit_code)
demo_badge(bool(frame.is_demo.any()))
office_names = view.offices(con)

tabs = st.tabs(["Danh sách", "Theo cơ quan", "Kết quả trước/sau", "Tự chấm – thẩm định", "Tệp và Word", "Lịch sử"])
with tabs[0]:
    if actor is not None:
        signed_in_bar(actor)
    if frame.empty:
        empty_state(f"Chưa có nhiệm vụ nào năm {year}. Giao từ trang Kế hoạch đạt mục tiêu hoặc Tiêu chí.")
    else:
        office, state, field = view.filters(frame, office_names)
        shown = view.filtered(frame, office, state, field)
        st.caption(f"{len(shown)}/{len(frame)} nhiệm vụ; quá hạn trước, rồi theo hạn hoàn thành.")
        view.show_table(con, shown, actor, office_names)
        if actor is not None and len(shown):
            view.progress_form(shown, actor)
            view.remove_form(shown, actor)
    if actor is None:
        sign_in_panel()
    else:
        view.new_task_form(year, sel.unit_code, sel.unit_name, office_names, actor)
    how_to_read(
        "Mỗi dòng là một nhiệm vụ: cơ quan chủ trì, các tiêu chí nhắm tới và số điểm cần tăng. "
        "**Quá hạn** là nhiệm vụ chưa hoàn thành mà đã qua hạn. Mỗi lần lưu là một lô trong lịch sử "
        "dữ liệu, hoàn tác được ở trang Dữ liệu."
    )

with tabs[1]:
    if frame.empty:
        empty_state("Chưa có nhiệm vụ.")
    else:
        st.dataframe(
            view.scorecard_table(tasks_ui.scorecard(con, ver, today, year, sel.unit_code)),
            hide_index=True,
            key="tasks_scorecard",
            placeholder=MISSING,
        )
        view.office_lists(frame, office_names)

with tabs[2]:
    rows = tasks_ui.follow_through(con, ver, today, year, sel.unit_code) if len(frame) else None
    if rows is None or rows.empty or rows.verdict.eq("pending").all():
        empty_state(
            f"Chưa có kết quả năm {year} của {sel.unit_name}: khi nạp kết quả năm {year} ở trang Dữ liệu, "
            "mỗi nhiệm vụ sẽ có điểm trước và sau của các tiêu chí nhắm tới."
        )
    else:
        st.markdown(view.follow_summary(rows))
        st.dataframe(view.follow_table(rows), hide_index=True, key="tasks_follow", placeholder=MISSING)
        how_to_read(
            "So sánh theo % điểm tối đa giữa năm kết quả trước khi giao nhiệm vụ và năm nhiệm vụ hướng tới. "
            "Khi một năm chỉ có điểm theo lĩnh vực, tiêu chí được đo ở lĩnh vực chứa nó (cột **Đo ở**); "
            "thay đổi của lĩnh vực khi đó là chung cho mọi nhiệm vụ thuộc lĩnh vực, không riêng nhiệm vụ này."
        )

with tabs[3]:
    if sel.year is None:
        empty_state("Chưa có kết quả nào trong kho.")
    else:
        view.self_assessment(con, sel.year, sel.unit_code, sel.unit_name)

with tabs[4]:
    view.downloads(con, year, sel.unit_code, year - 1 if sel.year is not None and year - 1 <= sel.year else None)
    if actor is None:
        st.caption("Đăng nhập biên tập viên (thẻ Danh sách) để nạp bảng nhiệm vụ.")
    else:
        view.upload(con, actor)

with tabs[5]:
    if frame.empty:
        empty_state("Chưa có nhiệm vụ.")
    else:
        view.history(con, frame)
