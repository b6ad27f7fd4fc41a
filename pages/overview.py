"""Tổng quan: the chairman's page."""

import streamlit as st

from analytics.charts import ranking_bar
from analytics.formatting import fmt_number, fmt_rank, fmt_signed, rank_change_words
from ui import data
from ui.marks import demo_badge, empty_state, how_to_read
from ui.sidebar import current

sel = current()
con = data.connection()
st.title("Tổng quan chỉ số CCHC")

if sel.year is None:
    empty_state(f"Chưa có dữ liệu {sel.level_label.lower()} nào trong kho. Hãy nạp kết quả ở trang Dữ liệu.")
    st.stop()

ranking = data.rankings(con, data.version(con), sel.year, sel.level, sel.parent_code)
row = ranking[ranking.unit_code == sel.unit_code].iloc[0]
st.subheader(f"{sel.unit_name} — năm {sel.year}")
demo_badge(bool(ranking.is_demo.any()))

if not row.has_data:
    empty_state(f"{sel.unit_name} chưa có dữ liệu năm {sel.year}.")
    st.stop()

previous = ranking.attrs.get("previous_year")
since = f"so với {previous}" if previous else "chưa có năm trước"
cards = st.columns(4)
# st.metric colours a delta by a leading ASCII "-", so deltas use it; values use the typographic minus.
points_delta = f"{row.delta_total:+.2f}".replace(".", ",") + f" điểm {since}" if previous else None
places_delta = f"{int(row.delta_rank):+d} bậc {since}" if previous else None
cards[0].metric("Tổng điểm", fmt_number(row.total), delta=points_delta, border=True)
cards[1].metric("Xếp hạng", fmt_rank(row["rank"], row.rank_of), delta=places_delta, border=True)
cards[2].metric(f"Thay đổi điểm ({since})", fmt_signed(row.delta_total), border=True)
cards[3].metric(f"Thay đổi thứ hạng ({since})", rank_change_words(row.delta_rank) if previous else "–", border=True)

st.plotly_chart(ranking_bar(ranking, sel.unit_code, title=f"Xếp hạng {sel.level_label.lower()} năm {sel.year}"),
                key="overview_ranking")
how_to_read("Mỗi thanh là tổng điểm chỉ số CCHC của một đơn vị, xếp từ cao xuống thấp. "
            f"Thanh màu cam là {sel.unit_name}.")
