"""Xếp hạng: rank and totals over the years for every unit, a table of changes, units compared field by field."""

import streamlit as st

from analytics.charts import bump_chart, field_comparison, totals_chart
from analytics.reports.workbook import RANKING_COLUMNS
from ui import data, exports, tables
from ui.marks import chart, demo_badge, empty_state, stop_without_data
from ui.page import begin
from ui.url import url_multiselect

sel, con, ver = begin("Xếp hạng")

trend = data.trend(con, ver, sel.level, sel.parent_code)
stop_without_data(sel, trend.empty)

ranking = data.rankings(con, ver, sel.year, sel.level, sel.parent_code)
st.subheader(f"{sel.level_label} — {len(trend.year.unique())} năm có dữ liệu")
demo_badge(bool(ranking.is_demo.any()))
if not ranking.set_index("unit_code").has_data.get(sel.unit_code, False):
    empty_state(
        f"{sel.unit_name} chưa có dữ liệu năm {sel.year}; các bảng và biểu đồ dưới đây chỉ gồm những "
        "đơn vị đã có kết quả."
    )

years_shown = sorted(int(y) for y in trend.year.unique())
scope = data.scope_words(con, ver, sel.level, sel.parent_code, sel.year)
span = f"{years_shown[0]}–{years_shown[-1]}"
if len(years_shown) == 1:  # one point per unit is no line (the communes of a province in 2025, say)
    empty_state(
        f"Phạm vi này mới có kết quả năm {years_shown[0]}: biểu đồ thứ hạng và tổng điểm qua các năm "
        "sẽ có khi có kết quả năm thứ hai."
    )
else:
    chart(
        bump_chart(trend, sel.unit_code, title=f"Thứ hạng {scope}, {span}"),
        "ranking_bump",
        "Mỗi đường là một đơn vị; càng ở trên, thứ hạng càng cao (hạng 1 ở trên cùng). "
        f"Đường màu cam, đậm là {sel.unit_name}. Đường đi xuống nghĩa là tụt hạng. "
        "Di chuột lên một điểm để xem điểm và thứ hạng năm đó.",
        ("Thứ hạng", span, sel.level_label, sel.parent_code),
    )
    chart(
        totals_chart(trend, sel.unit_code, title=f"Tổng điểm {scope}, {span}"),
        "ranking_totals",
        f"Mỗi đường là tổng điểm của một đơn vị qua các năm; đường màu cam là {sel.unit_name}. "
        "Hai đơn vị có thể cùng tăng điểm mà thứ hạng vẫn đổi, vì xếp hạng so sánh giữa các đơn vị.",
        ("Tổng điểm", span, sel.level_label, sel.parent_code),
    )

# --- the year's table ---------------------------------------------------------------------------
previous = ranking.attrs.get("previous_year")
st.subheader(f"Bảng xếp hạng năm {sel.year}" + (f" và thay đổi so với {previous}" if previous else ""))
ranked = ranking[ranking.has_data]
tables.show(
    tables.ranking_changes(ranking),
    "ranking_table",
    tables.ranking_formats(int(ranking.rank_of.max())),
    highlight=("Đơn vị", sel.unit_name),
    widths={"Đơn vị": "medium"},
)
exports.csv_button(ranked, f"xep-hang-{sel.level}-{sel.year}", "ranking_csv", RANKING_COLUMNS)
missing = ranking[~ranking.has_data].unit_name.tolist()
if missing:
    st.caption(f"Chưa có dữ liệu năm {sel.year}: {', '.join(missing)}.")

# --- units compared field by field -------------------------------------------------------------
st.subheader("So sánh từng lĩnh vực")
matrix = data.field_matrix(con, ver, sel.year, sel.level, sel.parent_code)
if matrix.empty:
    empty_state(f"Chưa có điểm theo lĩnh vực năm {sel.year}: kết quả nạp vào chỉ có tổng điểm.")
    st.stop()
names = dict(zip(ranking.unit_code, ranking.unit_name))
offered = [c for c in ranked.unit_code if c in set(matrix.unit_code)]
default = [c for c in dict.fromkeys([sel.unit_code, offered[0]]) if c in offered]
chosen = url_multiselect(
    "Đơn vị so sánh (tối đa 4)",
    offered,
    "ranking_compare",
    default,
    format_func=names.get,
    max_selections=4,
    placeholder="Chọn đơn vị",
)
if not chosen:
    empty_state("Hãy chọn ít nhất một đơn vị để so sánh.")
else:
    chart(
        field_comparison(matrix, chosen, sel.unit_code, title=f"Tỷ lệ điểm đạt theo lĩnh vực, {scope}, năm {sel.year}"),
        "ranking_fields",
        "Mỗi nhóm thanh là một lĩnh vực; độ dài thanh là phần trăm điểm tối đa của lĩnh vực mà đơn vị đạt được, "
        f"nên các lĩnh vực có thang điểm khác nhau vẫn so sánh được. Thanh màu cam là {sel.unit_name}.",
        ("So sánh lĩnh vực", sel.year, *chosen),
    )
