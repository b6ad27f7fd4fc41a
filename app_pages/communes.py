"""Cấp xã: the communes' totals and bands, band transitions, a commune's profile, operational indicators."""

import streamlit as st

from analytics.charts import band_sankey, commune_bars, commune_profile_chart
from analytics.formatting import fmt_signed
from analytics.reports.workbook import COMMUNE_COLUMNS
from ui import data, exports, tables
from ui.marks import cards, change_card, chart, demo_badge, empty_state
from ui.marks import escape_markdown as esc
from ui.page import begin
from ui.url import url_selectbox

sel, con, ver = begin("Cấp xã")

# The unit whose communes are shown: the unit chosen at district level, or the chosen commune's parent (its
# district; from 2025 the province).
district = sel.unit_code if sel.level == "district" else sel.parent_code
selected_commune = sel.unit_code if sel.level == "commune" else None
district_name = data.unit_name(con, ver, district, sel.year)
years = data.years(con, ver, "commune", district)
if not years:
    empty_state(f"Chưa có kết quả cấp xã của {district_name}. Hãy nạp kết quả chấm điểm các xã ở trang Dữ liệu.")
    st.stop()
if sel.year not in years:
    listed = ", ".join(str(y) for y in years)
    empty_state(f"Chưa có kết quả cấp xã của {district_name} năm {sel.year}. Các năm có dữ liệu: {listed}.")
    st.stop()
year = sel.year

# --- bands: counts, changes and members -----------------------------------------------------------
summary = data.commune_summary(con, ver, year, district)
table = data.commune_table(con, ver, year, district)
band_names = data.bands(con, ver, "commune", year)
st.subheader(f"Các xã, phường, thị trấn của {district_name} — năm {year}")
demo_badge(True)

since = f"so với {summary.previous_year}" if summary.previous_year else None
# Bands no commune is in, this year or last, would only be noise.
shown_bands = {b: n for b, n in summary.band_counts.items() if n or summary.band_count_changes.get(b)}
band_cards = [
    change_card(
        band,
        f"{count:02d} xã",
        summary.band_count_changes.get(band),
        f"{fmt_signed(summary.band_count_changes[band], 0)} xã {since}"
        if since and summary.band_count_changes.get(band) is not None
        else None,
        neutral=True,
    )
    for band, count in shown_bands.items()
]
mean = summary.mean_change
mean_card = change_card(
    "Thay đổi điểm trung bình",
    "–" if mean is None else fmt_signed(mean, 1) + " điểm",
    mean,
    since or "chưa có năm trước",
)
cards([*band_cards, mean_card], "communes")
members = "; ".join(f"**{esc(band)}**: {esc(', '.join(names))}" for band, names in summary.members.items() if names)
st.markdown(members + ".")

chart(
    commune_bars(
        table, band_names, selected_commune, title=f"Tổng điểm và xếp loại các xã của {district_name} năm {year}"
    ),
    "communes_bars",
    "Mỗi thanh là tổng điểm của một xã, thị trấn; màu thanh là loại xếp được (chú giải ở trên biểu đồ). "
    "Xã đang chọn ở thanh bên có viền và tên màu cam.",
    ("Xếp loại các xã", year, district),
)

# --- moves between bands ------------------------------------------------------------------------
st.subheader("Chuyển loại giữa hai năm")
earlier = sorted((y for y in years if y < year), reverse=True)
if not earlier:
    empty_state(f"Chưa có năm nào trước {year} để so sánh xếp loại.")
else:
    year_from = url_selectbox("So với năm", earlier, "communes_from", parse=int)
    transitions = data.band_transitions(con, ver, year_from, year, district)
    chart(
        band_sankey(
            transitions,
            band_names,
            year_from,
            year,
            title=f"Chuyển loại các xã của {district_name}: {year_from} → {year}",
        ),
        "communes_sankey",
        f"Bên trái là các loại năm {year_from}, bên phải là năm {year}; độ dày mỗi dải là số xã. "
        "Dải đi chéo xuống dưới là xã tụt loại, đi chéo lên là xã lên loại. Di chuột lên một dải để xem tên các xã.",
        ("Chuyển loại các xã", year_from, year, district),
    )
    if summary.moved_up:
        ups = esc(", ".join(f"{name} ({src} → {dst})" for _, name, src, dst in summary.moved_up))
        st.markdown(f"**Lên loại ({len(summary.moved_up)} xã):** {ups}.")
    if summary.moved_down:
        downs = esc(", ".join(f"{name} ({src} → {dst})" for _, name, src, dst in summary.moved_down))
        st.markdown(f"**Xuống loại ({len(summary.moved_down)} xã):** {downs}.")

with st.expander("Bảng điểm các xã", expanded=False):
    tables.show(
        tables.commune_rows(table),
        "communes_table",
        tables.commune_formats(int(table.rank_of.max())),
        highlight=("Xã, thị trấn", sel.unit_name),
    )
    exports.csv_button(table, f"cac-xa-{district}-{year}", "communes_csv", COMMUNE_COLUMNS)

# --- one commune against the others -------------------------------------------------------------
st.subheader("Hồ sơ một xã so với trung bình các xã")
ranked = table[table.total.notna()]
names = dict(zip(ranked.unit_code, ranked.unit_name))
codes = ranked.unit_code.tolist()
if selected_commune in codes:  # at commune level the sidebar chooses the commune
    chosen = selected_commune
else:
    chosen = url_selectbox("Xã, thị trấn", codes, "communes_profile_unit", format_func=names.get)
profile = data.commune_profile(con, ver, year, chosen)
if profile.empty:
    empty_state(f"{names[chosen]} chưa có điểm theo lĩnh vực năm {year}.")
else:
    chart(
        commune_profile_chart(
            profile, names[chosen], title=f"{names[chosen]}: tỷ lệ điểm đạt theo lĩnh vực, năm {year}"
        ),
        "communes_profile",
        f"Thanh màu cam là phần trăm điểm tối đa {names[chosen]} đạt ở mỗi lĩnh vực; vạch đen là trung bình của "
        "các xã, thị trấn trong huyện. Thanh ngắn hơn vạch là lĩnh vực xã này yếu hơn mặt bằng chung.",
        ("Hồ sơ xã", year, chosen),
    )

# --- operations (one-stop desks, VNPT-iGATE) ----------------------------------------------------
st.subheader("Chỉ số vận hành")
own = data.unit_indicators(con, ver, year, district)
lines = [
    f"- {esc(item.indicator_name)}: **{tables.indicator_text(item.value, item.unit)}**" for item in own.itertuples()
]
indicators = data.indicator_table(con, ver, year, district)
for code, name in indicators.drop_duplicates("indicator")[["indicator", "indicator_name"]].itertuples(index=False):
    lacking = data.communes_lacking(con, ver, year, district, code)
    if len(lacking):
        lines.append(f"- Chưa đạt “{esc(name)}”: **{len(lacking):02d} xã** ({esc(', '.join(lacking.unit_name))})")
if lines:
    st.markdown("\n".join(lines))
if indicators.empty:
    empty_state(f"Chưa có số liệu vận hành của từng xã (một cửa điện tử, VNPT-iGATE) năm {year}.")
else:
    flags = tables.indicator_flags(indicators)
    tables.show(flags, "communes_indicators", tables.indicator_formats(flags))
    exports.csv_button(
        indicators,
        f"chi-so-van-hanh-{district}-{year}",
        "communes_indicators_csv",
        ["unit_code", "unit_name", "indicator", "indicator_name", "value"],
    )
