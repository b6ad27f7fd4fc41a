"""Tổng quan: the chairman's page. Score, rank, change, the distance to the target rank, where points are."""

import streamlit as st

from analytics.charts import office_bars, ranking_bar, unit_history
from analytics.formatting import fmt_number, fmt_rank, fmt_signed, rank_change_words
from ui import analyses, data, exports, lineage
from ui import tasks as tasks_ui
from ui.marks import Card, cards, change_card, chart, demo_badge, empty_state, stop_without_data, verdict
from ui.page import begin
from ui.url import shared_params, url_tabs

CHART_TABS = {"ranking": "Xếp hạng", "history": "Qua các năm", "offices": "Cơ quan có thể lấy lại điểm"}

sel, con, ver = begin("Tổng quan chỉ số CCHC")
lineage.dissolved_notice(con, ver, sel)
stop_without_data(sel)

ranking = data.rankings(con, ver, sel.year, sel.level, sel.parent_code)
row = ranking[ranking.unit_code == sel.unit_code].iloc[0]
st.subheader(f"{sel.unit_name} — năm {sel.year}")
demo_badge(bool(ranking.is_demo.any()))

if not row.has_data:
    empty_state(f"{sel.unit_name} chưa có dữ liệu năm {sel.year}. Hãy chọn năm khác hoặc nạp kết quả ở trang Dữ liệu.")
    st.stop()

# --- the cards: score, rank, points to the target rank -----------------------------------------
gap = analyses.target_gap(sel, con, ver)
previous = ranking.attrs.get("previous_year")
points_card = change_card(
    "Tổng điểm",
    fmt_number(row.total),
    row.delta_total,
    f"{fmt_signed(row.delta_total)} điểm so với {previous}" if previous else None,
)
rank_card = change_card(
    "Xếp hạng",
    fmt_rank(row["rank"], row.rank_of),
    row.delta_rank,
    f"{rank_change_words(row.delta_rank)} so với {previous} ({fmt_rank(row.rank_previous, row.rank_of)})"
    if previous
    else None,
)
if gap is None:
    no_target = Card("Điểm cần thêm", "–", help="Chưa đặt chỉ tiêu xếp hạng cho đơn vị này.")
    cards([points_card, rank_card, no_target], "overview")
else:
    holder = f"hạng {gap.target_rank} năm {sel.year}: {gap.target_unit_name}" if gap.target_unit_name else None
    needed = Card(
        f"Điểm cần thêm để đạt hạng {gap.target_rank}/{gap.rank_of}",
        "Đã đạt" if gap.reached else fmt_number(gap.points_needed),
        holder,
    )
    cards([points_card, rank_card, needed], "overview")
    verdict(
        f"{sel.unit_name} {gap.sentence}"
        + (f" (điểm của {gap.target_unit_name}, {fmt_number(gap.target_total)})." if holder else ".")
    )
    st.page_link(
        "app_pages/plan.py",
        label=f"Xem kế hoạch đạt hạng {gap.target_rank}/{gap.rank_of}",
        icon=":material/flag:",
        query_params=shared_params(),
    )

tasks_ui.render_overview_summary(con, ver, sel)

# --- the charts, one tab at a time: only the chosen tab's chart is drawn (docs/performance.md) --------
tabs = url_tabs(CHART_TABS, "chart")
if tabs["ranking"].open:
    with tabs["ranking"]:
        scope = data.scope_words(con, ver, sel.level, sel.parent_code, sel.year)
        chart(
            ranking_bar(
                ranking,
                sel.unit_code,
                target_rank=gap.target_rank if gap else None,
                title=f"Xếp hạng {scope} năm {sel.year}",
            ),
            "overview_ranking",
            "Mỗi thanh là tổng điểm chỉ số CCHC của một đơn vị, xếp từ cao xuống thấp. "
            f"Thanh màu cam là {sel.unit_name}. Đường nét đứt màu xanh là điểm của đơn vị đang giữ hạng mục tiêu: "
            "khoảng cách từ thanh màu cam đến đường này là số điểm cần thêm.",
            ("Xếp hạng", sel.year, sel.unit_code),
        )
if tabs["history"].open:
    with tabs["history"], st.columns([3, 2])[0]:  # a few yearly bars need no full width
        history = data.trend(con, ver, sel.level, sel.parent_code)
        chart(
            unit_history(history, sel.unit_code, title=f"{sel.unit_name}: điểm và thứ hạng qua các năm"),
            "overview_history",
            f"Mỗi cột là tổng điểm của {sel.unit_name} trong một năm; nhãn trên cột ghi điểm và thứ hạng năm đó.",
            ("Điểm qua các năm", sel.unit_code),
        )
if tabs["offices"].open:
    with tabs["offices"], st.columns([3, 2])[0]:
        summary, _detail = data.recoverable(con, ver, sel.year, sel.unit_code)
        top = summary[summary.reachable_points > 0].head(3)
        if top.empty:
            empty_state(f"Năm {sel.year}, {sel.unit_name} không có tiêu chí nào thấp hơn đơn vị tốt nhất cùng cấp.")
        else:
            chart(
                office_bars(top, title=f"{sel.unit_name} năm {sel.year}: ba cơ quan có nhiều điểm có thể lấy lại nhất"),
                "overview_offices",
                "Thanh nhạt: số điểm mỗi cơ quan phụ trách đã bị mất so với điểm tối đa. Thanh xanh: phần có thể "
                "lấy lại nếu mỗi tiêu chí đạt bằng đơn vị cùng cấp làm tốt nhất tiêu chí đó năm nay. "
                "Danh sách tiêu chí cụ thể ở trang Tiêu chí.",
                ("Cơ quan", sel.year, sel.unit_code),
            )

lineage.predecessors_section(con, ver, sel)

# --- the paragraph and the files ---------------------------------------------------------------
st.subheader("Đánh giá chung")
exports.summary_block(con, sel.year, sel.unit_code)
with st.container(horizontal=True, key="overview_downloads"):
    exports.xlsx_button(con, sel.year, sel.unit_code)
    exports.docx_button(con, sel.year, sel.unit_code)
