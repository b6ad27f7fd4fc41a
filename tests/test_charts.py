"""Chart builders on small hand-made frames: assert on the data the traces carry."""

import pandas as pd
import plotly.graph_objects as go
import pytest

from analytics import charts
from analytics.charts import HOME, NEGATIVE, OTHERS, POSITIVE, TARGET


@pytest.fixture
def trend():
    return pd.DataFrame(
        {
            "year": [2019, 2020, 2019, 2020, 2019, 2020],
            "unit_code": ["042", "042", "040", "040", "043", "043"],
            "unit_name": ["Huyện Bảo Lâm"] * 2 + ["Thành phố Cao Bằng"] * 2 + ["Huyện Bảo Lạc"] * 2,
            "total": [81.0, 73.79, 90.5, 91.2, 78.0, 80.1],
            "rank": [2, 3, 1, 1, 3, 2],
            "rank_of": [3] * 6,
        }
    )


@pytest.fixture
def matrix():
    rows = []
    for code, name, pcts in [
        ("042", "Huyện Bảo Lâm", [50, 80]),
        ("040", "Thành phố Cao Bằng", [90, 95]),
        ("043", "Huyện Bảo Lạc", [70, 60]),
    ]:
        for field, fname, mx, pct in [("1", "Chỉ đạo, điều hành", 10, pcts[0]), ("10", "Khác", 20, pcts[1])]:
            rows.append((code, name, field, fname, mx * pct / 100, mx, pct))
    return pd.DataFrame(
        rows, columns=["unit_code", "unit_name", "field_code", "field_name", "points", "max_points", "pct"]
    )


def trace_for(fig, name):
    return next(t for t in fig.data if t.name == name)


def test_bump_chart_draws_ranks_with_home_on_top(trend):
    fig = charts.bump_chart(trend, "042")
    home = fig.data[-1]
    assert home.name == "Huyện Bảo Lâm"
    assert list(home.y) == [2, 3] and list(home.x) == [2019, 2020]
    assert home.line.color == HOME and home.line.width > trace_for(fig, "Huyện Bảo Lạc").line.width
    assert all(t.line.color == OTHERS for t in fig.data[:-1])
    assert list(home.text) == ["", "Huyện Bảo Lâm"]
    assert home.customdata[1][1] == "3/3" and home.customdata[1][2] == "73,79"
    assert fig.layout.yaxis.range == (3.5, 0.5)  # rank 1 on top
    assert fig.layout.separators == ",."


def test_totals_chart_draws_totals(trend):
    fig = charts.totals_chart(trend, "040")
    assert fig.data[-1].name == "Thành phố Cao Bằng" and fig.data[-1].line.color == HOME
    assert list(trace_for(fig, "Huyện Bảo Lâm").y) == [81.0, 73.79]
    assert trace_for(fig, "Huyện Bảo Lâm").customdata[0][2] == "2/3"
    assert list(fig.layout.xaxis.tickvals) == [2019, 2020]


def test_unit_history_labels_points_and_rank(trend):
    fig = charts.unit_history(trend, "042")
    bar = fig.data[0]
    assert list(bar.y) == [81.0, 73.79]
    assert list(bar.text) == ["81,00 điểm<br>hạng 2/3", "73,79 điểm<br>hạng 3/3"]
    assert bar.marker.color == HOME


def three_units() -> pd.DataFrame:
    """A ranking of three districts, the home unit (042) last."""
    return pd.DataFrame(
        {
            "unit_code": ["040", "043", "042"],
            "unit_name": ["A", "B", "C"],
            "total": [91.2, 80.1, 73.79],
            "rank": [1, 2, 3],
            "has_data": [True] * 3,
        }
    )


def test_ranking_bar_marks_home_and_target():
    frame = three_units()
    fig = charts.ranking_bar(frame, "042", target_rank=2)
    assert list(fig.data[0].marker.color) == [OTHERS, OTHERS, HOME]
    assert list(fig.data[0].text) == ["91,20", "80,10", "73,79"]
    assert fig.layout.shapes[0].x0 == 80.1 and "Hạng 2: 80,10" in fig.layout.annotations[0].text


def gaps_frame():
    return pd.DataFrame(
        {
            "criterion_code": ["7", "3", "1"],
            "criterion_name": ["Hiện đại hóa hành chính", "TTHC", "Chỉ đạo"],
            "points": [9.0, 10.0, 9.5],
            "max_points": [15.0, 14.0, 10.0],
            "pct": [60.0, 71.4, 95.0],
            "reference_points": [11.4, 11.0, 9.0],
            "reference_pct": [76.0, 78.6, 90.0],
            "gap_points": [-2.4, -1.0, 0.5],
            "gap_pct": [-16.0, -7.2, 5.0],
        }
    )


def test_gap_bars_diverge_weakest_on_top():
    fig = charts.gap_bars(gaps_frame())
    bar = fig.data[0]
    assert list(bar.x) == [-2.4, -1.0, 0.5]
    assert bar.y[0].startswith("7. Hiện đại hóa")
    assert list(bar.marker.color) == [NEGATIVE, NEGATIVE, POSITIVE]
    values = {a.y: a for a in fig.layout.annotations}
    assert [values[y].text for y in bar.y] == ["−2,40", "−1,00", "+0,50"]
    assert fig.layout.xaxis.range[0] < -2.4 and fig.layout.xaxis.range[1] > 2.4


def test_gap_bars_write_values_at_zero_on_the_side_the_bar_leaves_free():
    """Never at the bar's outer end, where a negative value would run into the names at the left."""
    fig = charts.gap_bars(gaps_frame())
    labels = list(fig.layout.annotations)
    assert all(a.x == 0 for a in labels)
    assert [(a.xanchor, a.xshift > 0) for a in labels] == [("left", True), ("left", True), ("right", False)]


def test_gap_bars_in_percent_points():
    fig = charts.gap_bars(gaps_frame(), value="gap_pct")
    assert list(fig.data[0].x) == [-16.0, -7.2, 5.0]
    assert "điểm %" in fig.layout.xaxis.title.text


def test_field_heatmap_orders_units_and_fields(matrix):
    fig = charts.field_heatmap(matrix, "042")
    heat = fig.data[0]
    assert heat.y[0] == "TP Cao Bằng"  # most points on top; one short name per row
    assert heat.customdata[0][0][0] == "Thành phố Cao Bằng"  # the full names on hover
    assert heat.customdata[0][1][1] == "10. Khác"
    assert list(heat.x) == ["1", "10"]  # narrow columns: the field's number, in natural order
    # units ordered by total points: 28 (Cao Bằng) > 21 (Bảo Lâm: 5 + 16) > 19 (Bảo Lạc: 7 + 12)
    assert [list(r) for r in heat.z] == [[90, 95], [50, 80], [70, 60]]
    assert HOME in heat.y[1] and "Bảo Lâm" in heat.y[1]
    assert heat.zmax == 100 and heat.zmin == 50
    assert heat.texttemplate == "%{z:.0f}"  # every cell shows its value


def test_field_heatmap_keys_field_numbers_to_names_and_grows_with_units(matrix):
    fig = charts.field_heatmap(matrix, "042")
    (key,) = fig.layout.annotations
    assert key.text.split("<br>") == ["1. Chỉ đạo, điều hành", "10. Khác"]  # the PNG reads without hover
    more = pd.concat([matrix, matrix[matrix.unit_code == "043"].assign(unit_code="045", unit_name="Huyện Hà Quảng")])
    assert charts.field_heatmap(more, "042").layout.height - fig.layout.height == charts.HEAT_ROW_PX


def test_field_comparison_one_trace_per_unit(matrix):
    fig = charts.field_comparison(matrix, ["040", "042"], "042")
    assert [t.name for t in fig.data] == ["Thành phố Cao Bằng", "Huyện Bảo Lâm"]
    assert list(fig.data[1].x) == [50, 80] and fig.data[1].marker.color == HOME
    assert fig.data[1].orientation == "h" and fig.data[1].y[0].startswith("1.")  # field 1 first, read on top
    assert fig.data[0].marker.color not in (HOME, OTHERS)
    assert fig.layout.barmode == "group"


def test_office_bars_show_lost_and_reachable():
    summary = pd.DataFrame(
        {
            "office_code": ["VP", "NV"],
            "office_name": ["Văn phòng HĐND và UBND", "Phòng Nội vụ"],
            "lost_points": [3.0, 5.0],
            "reachable_points": [2.5, 1.0],
            "criteria_count": [2, 3],
        }
    )
    fig = charts.office_bars(summary)
    lost, reachable = fig.data
    assert list(reachable.x) == [2.5, 1.0] and list(reachable.text) == ["2,50", "1,00"]
    assert list(lost.x) == [3.0, 5.0] and reachable.y[0] == "Văn phòng HĐND và UBND"


def transitions_frame():
    return pd.DataFrame(
        {
            "band_from": ["Tốt", "Khá", "Trung bình", "Trung bình"],
            "band_to": ["Tốt", "Khá", "Khá", "Trung bình"],
            "count": [1, 4, 5, 3],
            "unit_codes": [["01304"], ["a", "b", "c", "d"], ["e", "f", "g", "h", "i"], ["j", "k", "l"]],
            "unit_names": [
                ["Xã Thạch Lâm"],
                ["A", "B", "C", "D"],
                ["Xã Vĩnh Quang", "F", "G", "H", "I"],
                ["J", "K", "L"],
            ],
        }
    )


def test_band_sankey_links_and_names_on_hover():
    fig = charts.band_sankey(transitions_frame(), ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"], 2019, 2020)
    sankey = fig.data[0]
    labels = list(sankey.node.label)
    assert labels == [
        "Tốt (2019): 1",
        "Khá (2019): 4",
        "Trung bình (2019): 8",
        "Tốt (2020): 1",
        "Khá (2020): 9",
        "Trung bình (2020): 3",
    ]
    assert list(sankey.link.value) == [1, 4, 5, 3]
    flows = [(labels[s], labels[t]) for s, t in zip(sankey.link.source, sankey.link.target)]
    assert flows[2] == ("Trung bình (2019): 8", "Khá (2020): 9")
    assert sankey.link.customdata[2].split("<br>")[0] == "Xã Vĩnh Quang"


def test_band_sankey_names_communes_without_a_band():
    frame = pd.DataFrame(
        {"band_from": [None], "band_to": ["Khá"], "count": [2], "unit_codes": [["a", "b"]], "unit_names": [["A", "B"]]}
    )
    fig = charts.band_sankey(frame, ["Khá"], 2019, 2020)
    assert list(fig.data[0].node.label) == ["Chưa xếp loại (2019): 2", "Khá (2020): 2"]


def test_commune_bars_colour_by_band_and_outline_selection():
    table = pd.DataFrame(
        {
            "unit_code": ["01304", "01290", "01315"],
            "unit_name": ["Xã Thạch Lâm", "Thị trấn Pác Miầu", "Xã Thái Học"],
            "total": [85.0, 70.0, 55.0],
            "rank": [1, 2, 3],
            "band": ["Tốt", "Khá", "Trung bình"],
        }
    )
    fig = charts.commune_bars(table, ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"], selected_code="01290")
    assert [t.name for t in fig.data] == ["Tốt", "Khá", "Trung bình"]
    kha = trace_for(fig, "Khá")
    assert list(kha.x) == [70.0] and HOME in kha.y[0] and list(kha.marker.line.color) == [HOME]
    assert len({t.marker.color for t in fig.data}) == 3


def test_commune_profile_against_mean():
    profile = pd.DataFrame(
        {
            "field_code": ["2", "1"],
            "field_name": ["QPPL", "Chỉ đạo"],
            "max_points": [8, 12],
            "points": [4.0, 9.0],
            "pct": [50.0, 75.0],
            "mean_pct": [60.0, 70.0],
        }
    )
    fig = charts.commune_profile_chart(profile, "Xã Thạch Lâm")
    bars, mean = fig.data
    assert list(bars.x) == [75.0, 50.0] and bars.marker.color == HOME
    assert list(mean.x) == [70.0, 60.0] and mean.name == "Trung bình các xã"
    # horizontal, field 1 on top: full names at the left, never upright labels squeezed under eight bars
    assert bars.orientation == "h" and list(bars.y) == ["1. Chỉ đạo", "2. QPPL"]
    assert fig.layout.yaxis.autorange == "reversed"


def steps_frame(n=3):
    return pd.DataFrame(
        {
            "criterion_code": [f"7.{i}" for i in range(1, n + 1)],
            "criterion_name": [f"Tiêu chí {i}" for i in range(1, n + 1)],
            "gain": [1.0 + i for i in range(n)],
        }
    )


def test_plan_waterfall_runs_from_today_to_the_target():
    fig = charts.plan_waterfall(steps_frame(), 73.79, 79.0, target_rank=5)
    fall = fig.data[0]
    assert list(fall.measure) == ["absolute", "relative", "relative", "relative", "total"]
    assert list(fall.x)[:4] == [73.79, 3.0, 2.0, 1.0]  # biggest gain first
    assert fall.text[0] == "73,79" and fall.text[-1] == "79,79"
    assert fall.y[0] == "Hiện tại" and fall.y[1] == "7.3. Tiêu chí 3" and fall.y[-1] == "Sau kế hoạch"
    assert fig.layout.shapes[0].layer == "below"  # the value labels stay readable over the line
    assert fig.layout.shapes[0].x0 == 79.0 and fig.layout.shapes[0].line.color == TARGET
    assert "Điểm hạng 5: 79,00" in fig.layout.annotations[0].text


def test_plan_waterfall_folds_small_steps():
    fig = charts.plan_waterfall(steps_frame(10), 60.0, 100.0, max_steps=4)
    fall = fig.data[0]
    assert len(fall.x) == 6
    assert fall.y[4] == "7 tiêu chí khác"
    assert fall.x[4] == pytest.approx(sum(1.0 + i for i in range(7)))
    assert fall.text[-1] == "115,00"


def test_wrap_breaks_long_labels():
    assert charts.wrap("Xây dựng và nâng cao chất lượng đội ngũ CBCCVC", 20).count("<br>") >= 1
    assert charts.wrap("Ngắn") == "Ngắn"


def test_spread_keeps_labels_apart_and_near_their_points():
    placed = charts.spread([79.18, 78.56, 90.0, 79.0], 1.0)
    ordered = sorted(placed)
    assert all(b - a >= 1.0 - 1e-9 for a, b in zip(ordered, ordered[1:]))
    assert placed[2] == pytest.approx(90.0, abs=1.0)  # a lone label barely moves
    assert charts.spread([10.0, 20.0], 1.0) == [10.0, 20.0]


def test_totals_chart_labels_names_at_the_last_year(trend):
    close = trend.copy()
    close.loc[close.unit_code == "043", "total"] = [78.0, 73.9]  # ends 0,11 from Bảo Lâm
    fig = charts.totals_chart(close, "042")
    labels = {a.text: a for a in fig.layout.annotations}
    assert set(labels) == {"Huyện Bảo Lâm", "Thành phố Cao Bằng", "Huyện Bảo Lạc"}
    assert labels["Huyện Bảo Lâm"].font.color == HOME and labels["Huyện Bảo Lâm"].x == 2020
    assert abs(labels["Huyện Bảo Lâm"].y - labels["Huyện Bảo Lạc"].y) > 0.5  # nudged apart


def test_short_name_drops_the_unit_kind():
    assert charts.short_name("Huyện Bảo Lâm") == "Bảo Lâm"
    assert charts.short_name("Thành phố Cao Bằng") == "TP Cao Bằng"
    assert charts.short_name("Thị trấn Pác Miầu") == "TT Pác Miầu"
    assert charts.short_name("Xã Lý Bôn") == "Lý Bôn"
    assert charts.short_name("Bảo Lâm") == "Bảo Lâm"


def test_ranking_bar_labels_sit_inside_the_bars_the_target_line_runs_under():
    frame = three_units()
    fig = charts.ranking_bar(frame, "042", target_rank=2, title="Xếp hạng cấp huyện năm 2020")
    bar = fig.data[0]
    assert bar.textposition == "inside" and bar.insidetextanchor == "end"
    assert fig.layout.shapes[0].layer == "below"  # hidden behind the bars, where the labels are
    assert list(bar.textfont.color) == ["#1F2933", "#1F2933", "white"]  # readable on grey and on HOME
    low, high = fig.layout.xaxis.range
    assert (73.79 - low) / (high - low) >= charts.SHORTEST_BAR_SHARE - 1e-9  # the shortest bar holds its label
    assert fig.layout.margin.t >= charts.title_px(fig.layout.title.text) + charts.LINE_LABEL_PX


def test_plan_waterfall_step_labels_never_straddle_the_target_line():
    fig = charts.plan_waterfall(steps_frame(), 73.79, 79.0, target_rank=5)
    steps = {a.text: a for a in fig.layout.annotations[1:]}
    # the steps end at 76,79, 78,79 and 79,79: the first two write their gain past the line at 79
    assert [steps[t].x for t in ("+3,00", "+2,00", "+1,00")] == pytest.approx([79.0, 79.0, 79.79])
    assert all(a.xanchor == "left" and a.xshift > 0 for a in steps.values())
    assert list(fig.data[0].textposition) == ["inside", "none", "none", "none", "inside"]


def test_totals_chart_keeps_end_labels_a_line_apart():
    trend = pd.DataFrame(
        {
            "year": [2019, 2020] * 3,
            "unit_code": ["045"] * 2 + ["052"] * 2 + ["040"] * 2,
            "unit_name": ["Huyện Hà Quảng"] * 2 + ["Huyện Nguyên Bình"] * 2 + ["Thành phố Cao Bằng"] * 2,
            "total": [81.3, 79.18, 81.2, 78.56, 70.0, 88.0],
            "rank": [1, 1, 2, 2, 3, 3],
            "rank_of": [3] * 6,
        }
    )
    fig = charts.totals_chart(trend, "042")
    low, high = fig.layout.yaxis.range
    px_per_point = (fig.layout.height - charts.PLOT_FRAME_PX) / (high - low)
    ys = sorted(a.y for a in fig.layout.annotations)
    assert min(b - a for a, b in zip(ys, ys[1:])) * px_per_point >= charts.NAME_LABEL_PX - 0.1
    assert low <= ys[0] and ys[-1] <= high  # every label inside the plot


def test_long_titles_wrap_and_take_their_own_band():
    short = charts.base_layout(go.Figure(), "Xếp hạng năm 2020", height=400)
    long_title = "Huyện Bảo Lâm năm 2020: chênh lệch theo lĩnh vực so với trung bình các đơn vị cùng cấp"
    long = charts.base_layout(go.Figure(), long_title, height=400)
    lines = long.layout.title.text.split("<br>")
    assert len(lines) == 3 and all(len(line) <= charts.TITLE_WIDTH for line in lines)
    assert " ".join(lines) == long_title
    assert long.layout.margin.t - short.layout.margin.t == 2 * charts.TITLE_LINE_PX
    assert long.layout.height - short.layout.height == 2 * charts.TITLE_LINE_PX  # the plot keeps its height


def test_wrap_keeps_breaks_already_there():
    assert charts.wrap("Chênh lệch<br>(điểm)", 30) == "Chênh lệch<br>(điểm)"
    assert charts.wrap("", 10) == ""


def test_office_bars_leave_room_for_the_label_past_the_longest_green_bar():
    summary = pd.DataFrame(
        {
            "office_code": ["VP", "NV"],
            "office_name": ["Văn phòng HĐND và UBND xã", "Phòng Nội vụ"],
            "lost_points": [16.4, 5.0],
            "reachable_points": [16.41, 1.0],
            "criteria_count": [2, 3],
        }
    )
    low, high = charts.office_bars(summary).layout.xaxis.range
    assert low == 0 and (high - 16.41) / high >= charts.LABEL_ROOM_SHARE - 1e-9


def test_field_heatmap_key_narrows_as_unit_names_widen(matrix):
    def key_width(frame):
        (key,) = charts.field_heatmap(frame, "042").layout.annotations
        return max(len(line) for line in key.text.split("<br>"))

    short = matrix.assign(field_name="Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức")
    long = short.assign(unit_name=short.unit_name.str.replace("Huyện ", "Phường Phường Rất Dài "))
    assert key_width(long) < key_width(short) <= charts.FIELD_KEY_CHARS
