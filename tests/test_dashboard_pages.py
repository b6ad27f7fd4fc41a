"""AppTest on the dashboard pages: the numbers shown follow the year, the unit and the reference.

Expected values come from the notice (F1–F3, F5–F7) or from the analytics functions on the same
store, never typed in by hand for illustrative numbers.
"""

import base64
import json
import re

import numpy as np
import pandas as pd
import pytest

from analytics import communes, gaps, plan, rankings, recoverable, targets
from analytics.formatting import fmt_number, fmt_rank
from analytics.reports.paragraph import summary_paragraph
from analytics.reports.wording import count_words
from analytics.store import bump_data_version, connect
from tests.cards import card_notes, card_values
from tests.conftest import open_page


def metrics(app) -> dict[str, str]:
    return card_values(app)


def deltas(app) -> dict[str, str]:
    return card_notes(app)


def markdown_text(app) -> str:
    return "\n".join(m.value for m in app.markdown)


def plain(obj):
    """A Plotly JSON spec with its typed arrays ({dtype, bdata, shape}) turned back into lists."""
    if isinstance(obj, dict) and "bdata" in obj and "dtype" in obj:
        array = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))
        shape = obj.get("shape")
        if shape:
            array = array.reshape([int(n) for n in str(shape).split(",")])
        return array.tolist()
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj


def figures(app) -> dict[str, dict]:
    """Plotly figures on the page, by title (a long title's line breaks read as spaces)."""
    specs = [plain(json.loads(el.proto.spec)) for el in app.get("plotly_chart")]
    return {(s["layout"].get("title") or {}).get("text", "").replace("<br>", " "): s for s in specs}


def figure(app, title_start: str) -> dict:
    """The one figure whose title starts so (titles go on to name the unit or scope and the year)."""
    (found,) = [s for t, s in figures(app).items() if t.startswith(title_start)]
    return found


def table(app, column):
    """The first table on the page with this column (AppTest gives tables no key)."""
    frames = [df.value for df in app.dataframe]
    frames = [f.data if hasattr(f, "data") else f for f in frames]
    return next(f for f in frames if column in f.columns)


# --- Tổng quan --------------------------------------------------------------------------------


def test_overview_shows_points_to_target_and_verdict(app, demo_readonly):
    open_page(app, "app_pages/overview.py")
    gap = targets.target_gap(demo_readonly, 2020, "042")  # the illustrative holder of rank 5 sets the distance
    shown = metrics(app)
    assert (shown["Tổng điểm"], shown["Xếp hạng"]) == ("73,79", "9/10")  # F1
    assert shown["Điểm cần thêm để đạt hạng 5/10"] == fmt_number(gap.points_needed)
    assert f"Huyện Bảo Lâm {gap.sentence}" in markdown_text(app)
    assert app.page_link[0].proto.page.endswith("ke-hoach") or "plan" in app.page_link[0].proto.page


def test_overview_marks_home_and_target_on_the_ranking(app, demo_readonly):
    open_page(app, "app_pages/overview.py")
    ranking = figure(app, "Xếp hạng cấp huyện của Tỉnh Cao Bằng năm 2020")
    bars = ranking["data"][0]
    home_index = [i for i, label in enumerate(bars["y"]) if "Bảo Lâm" in label]
    assert home_index == [8]  # ninth of ten
    assert bars["marker"]["color"][8] != bars["marker"]["color"][0]
    gap = targets.target_gap(demo_readonly, 2020, "042", 5)
    assert ranking["layout"]["shapes"][0]["x0"] == pytest.approx(gap.target_total)


def test_overview_history_and_offices(app, demo_readonly):
    open_page(app, "app_pages/overview.py", chart="history")
    assert len(figures(app)) == 1  # the chosen tab's chart only
    history = figure(app, "Huyện Bảo Lâm: điểm và thứ hạng qua các năm")["data"][0]
    assert history["y"] == [81.0, 73.79]
    assert history["text"] == ["81,00 điểm<br>hạng 7/10", "73,79 điểm<br>hạng 9/10"]
    app.session_state["chart"] = "Cơ quan có thể lấy lại điểm"  # what clicking the tab does
    app.run()
    assert app.query_params["chart"] == "offices"
    shown = figures(app)
    assert len(shown) == 1
    offices = next(s for t, s in shown.items() if s["data"][0].get("name") == "Điểm bị mất")
    summary, _ = recoverable.recoverable_by_office(demo_readonly, 2020, "042")
    top = summary[summary.reachable_points > 0].head(3)
    assert offices["data"][1]["x"] == pytest.approx(top.reachable_points.tolist())


def test_a_chart_tab_link_that_no_longer_exists_is_said_and_the_ranking_shown(app):
    app.query_params.update({"year": "2020", "unit": "042", "level": "district", "chart": "sankey"})
    app.run()  # the overview is the default page
    assert list(figures(app)) == ["Xếp hạng cấp huyện của Tỉnh Cao Bằng năm 2020"]
    assert any("biểu đồ “sankey” nay không còn" in c.value for c in app.caption)
    assert "chart" not in app.query_params


def test_overview_follows_year_and_unit(app, demo_readonly):
    open_page(app, "app_pages/overview.py")
    app.sidebar.selectbox(key="year").select(2019).run()
    shown = metrics(app)
    assert (shown["Tổng điểm"], shown["Xếp hạng"]) == ("81,00", "7/10")
    # the rank-5 target was set for 2021, after the 2020 results: nothing applies to 2019 (targets.target_rank_after)
    assert targets.target_rank_after(demo_readonly, "042", 2019) is None
    assert shown["Điểm cần thêm"] == "–"
    app.sidebar.selectbox(key="unit").select("040").run()
    row = rankings.rankings(demo_readonly, 2019).set_index("unit_code").loc["040"]
    assert metrics(app)["Tổng điểm"] == fmt_number(row.total)
    assert metrics(app)["Xếp hạng"] == fmt_rank(row["rank"], row.rank_of)


def test_overview_explains_a_year_without_data(app, demo_store):
    con = connect(demo_store)
    con.execute("DELETE FROM scores WHERE year = 2020 AND unit_code = '042'")
    bump_data_version(con)
    con.close()
    open_page(app, "app_pages/overview.py", year=2020)
    assert not card_values(app)
    assert any("Huyện Bảo Lâm chưa có dữ liệu năm 2020" in i.value for i in app.info)


# --- Xếp hạng ---------------------------------------------------------------------------------


def home_row(frame, name="Huyện Bảo Lâm"):
    return frame[frame["Đơn vị"] == name].iloc[0].to_dict()


def test_ranking_table_shows_change_and_follows_the_year(app):
    open_page(app, "app_pages/ranking.py")
    shown = table(app, "Thay đổi thứ hạng")
    row = home_row(shown)
    assert row == {
        "Hạng": 9,
        "Đơn vị": "Huyện Bảo Lâm",
        "Tổng điểm": 73.79,
        "Thay đổi điểm": -7.21,
        "Hạng năm trước": 7,
        "Thay đổi thứ hạng": -2,
        "Xếp loại": "Khá",
    }
    numeric = ["Hạng", "Tổng điểm", "Thay đổi điểm", "Hạng năm trước", "Thay đổi thứ hạng"]
    assert all(pd.api.types.is_numeric_dtype(shown[c]) for c in numeric)  # sorted as numbers, shown 73,79
    app.sidebar.selectbox(key="year").select(2019).run()
    row = home_row(table(app, "Thay đổi thứ hạng"))
    assert (row["Hạng"], row["Tổng điểm"]) == (7, 81.0) and pd.isna(row["Thay đổi điểm"])


def test_ranking_bump_chart_and_totals(app):
    open_page(app, "app_pages/ranking.py")
    home = figure(app, "Thứ hạng cấp huyện của Tỉnh Cao Bằng, 2019–2020")["data"][-1]
    assert (home["name"], home["y"]) == ("Huyện Bảo Lâm", [7, 9])
    assert figure(app, "Tổng điểm cấp huyện của Tỉnh Cao Bằng, 2019–2020")["data"][-1]["y"] == [81.0, 73.79]
    app.sidebar.selectbox(key="unit").select("040").run()
    assert figure(app, "Thứ hạng cấp huyện")["data"][-1]["name"] == "Thành phố Cao Bằng"


def test_ranking_compares_chosen_units_field_by_field(app, demo_readonly):
    open_page(app, "app_pages/ranking.py")
    matrix = gaps.field_matrix(demo_readonly, 2020, "district", "04")
    title = "Tỷ lệ điểm đạt theo lĩnh vực, cấp huyện của Tỉnh Cao Bằng, năm 2020"
    assert [t["name"] for t in figures(app)[title]["data"]] == ["Huyện Bảo Lâm", "Thành phố Cao Bằng"]
    app.multiselect(key="ranking_compare").select("045").run()
    traces = figures(app)[title]["data"]
    assert [t["name"] for t in traces] == ["Huyện Bảo Lâm", "Thành phố Cao Bằng", "Huyện Hà Quảng"]
    expected = matrix[matrix.unit_code == "045"].sort_values("field_code").pct.tolist()
    assert traces[2]["orientation"] == "h" and traces[2]["x"] == pytest.approx(
        expected
    )  # bars lie down: names fit a phone


# --- Tiêu chí ---------------------------------------------------------------------------------

FIELD_GAPS = "Chênh lệch theo lĩnh vực so với "


def field_gap_chart(app):
    return next(s for t, s in figures(app).items() if t.startswith(FIELD_GAPS))


def test_criteria_weakest_fields_against_the_province_mean(app):
    open_page(app, "app_pages/criteria.py")
    bars = field_gap_chart(app)["data"][0]
    weakest = [label.split(".")[0] for label, x in zip(bars["y"], bars["x"]) if x < 0][:4]
    assert set(weakest) == {"7", "6", "5", "3"}  # F6
    assert "Thấp hơn trung bình các đơn vị cùng cấp ở **4** lĩnh vực" in markdown_text(app)  # F6


def test_criteria_page_and_paragraph_count_the_same_weak_fields(app, demo_readonly):
    open_page(app, "app_pages/criteria.py")
    shown = re.search(r"Thấp hơn trung bình các đơn vị cùng cấp ở \*\*(\d+)\*\* lĩnh vực: ([^\n]*)", markdown_text(app))
    items = shown.group(2).rstrip(".").split("; ")  # "7. Hiện đại hóa hành chính (−2,93 điểm)"
    listed = {item.split(". ")[0] for item in items}
    weak = gaps.weak_fields(demo_readonly, 2020, "042")
    paragraph = summary_paragraph(demo_readonly, 2020, "042")
    assert int(shown.group(1)) == len(weak) == len(listed)
    assert listed == set(weak.criterion_code)
    assert all(f"{c}. {n} (" in shown.group(2) for c, n in zip(weak.criterion_code, weak.criterion_name))
    assert f"điểm chỉ số của {count_words(len(weak), 'lĩnh vực')} còn thấp" in paragraph.text
    assert all(name.lower() in " ".join(paragraph.footnotes).lower() for name in weak.criterion_name)


def test_criteria_reference_changes_the_gaps(app, demo_readonly):
    open_page(app, "app_pages/criteria.py")
    against_mean = field_gap_chart(app)["data"][0]["x"]
    app.selectbox(key="ref").select("best").run()
    expected = gaps.gaps(demo_readonly, 2020, "042", reference="best", depth=1).sort_values("gap_points")
    bars = field_gap_chart(app)["data"][0]
    assert bars["x"] == pytest.approx(expected.gap_points.tolist())
    assert bars["x"] != pytest.approx(against_mean)
    assert app.query_params["ref"] == ["best"] or app.query_params["ref"] == "best"


def test_criteria_threshold_and_percent(app, demo_readonly):
    open_page(app, "app_pages/criteria.py", ref="threshold")
    app.slider(key="threshold").set_value(90).run()
    app.segmented_control(key="measure").set_value("gap_pct").run()
    expected = gaps.gaps(demo_readonly, 2020, "042", reference="threshold:90", depth=1).sort_values("gap_pct")
    bars = field_gap_chart(app)["data"][0]
    assert bars["x"] == pytest.approx(expected.gap_pct.tolist())


def test_criteria_drill_down_and_office_filter(app, demo_readonly):
    open_page(app, "app_pages/criteria.py")
    app.selectbox(key="field").select("7").run()
    drill = figure(app, "Chênh lệch từng tiêu chí, lĩnh vực 7: Huyện Bảo Lâm, năm 2020")["data"][0]
    assert all(label.startswith("7.") for label in drill["y"])
    app.selectbox(key="office").select("VP").run()
    detail = table(app, "Có thể lấy lại")
    assert set(detail["Cơ quan"]) == {"Văn phòng HĐND và UBND"}
    _, expected = recoverable.recoverable_by_office(demo_readonly, 2020, "042")
    assert len(detail) == int(((expected.office_code == "VP") & (expected.lost_points > 0)).sum())


def test_criteria_heatmap_follows_the_year(app, demo_readonly):
    open_page(app, "app_pages/criteria.py")
    app.sidebar.selectbox(key="year").select(2019).run()
    heat = figure(app, "Tỷ lệ điểm đạt (% điểm tối đa), năm 2019, cấp huyện của Tỉnh Cao Bằng")["data"][0]
    matrix = gaps.field_matrix(demo_readonly, 2019, "district", "04")
    assert len(heat["y"]) == matrix.unit_code.nunique() and len(heat["x"]) == matrix.field_code.nunique()
    assert heat["zmin"] == pytest.approx(matrix.pct.min())


# --- Cấp xã -----------------------------------------------------------------------------------


def test_communes_bands_2020_and_mean_change(app):
    open_page(app, "app_pages/communes.py")
    shown, moved = metrics(app), deltas(app)
    assert (shown["Tốt"], shown["Khá"], shown["Trung bình"]) == ("01 xã", "09 xã", "03 xã")  # F3
    assert (moved["Khá"], moved["Trung bình"]) == ("+5 xã so với 2019", "−5 xã so với 2019")  # F4
    assert moved["Tốt"] == "0 xã so với 2019"
    assert shown["Thay đổi điểm trung bình"] == "+3,0 điểm"  # F5
    assert "**Tốt**: Xã Thạch Lâm" in markdown_text(app)


def test_communes_sankey_names_on_hover(app):
    open_page(app, "app_pages/communes.py")
    sankey = figure(app, "Chuyển loại các xã của Huyện Bảo Lâm: 2019 → 2020")["data"][0]
    labels = sankey["node"]["label"]
    flows = {
        (labels[s], labels[t]): v
        for s, t, v in zip(sankey["link"]["source"], sankey["link"]["target"], sankey["link"]["value"])
    }
    assert flows[("Trung bình (2019): 8", "Khá (2020): 9")] == 5
    assert "Xã Vĩnh Quang" in " ".join(sankey["link"]["customdata"])
    assert "%{value:d} xã" in sankey["link"]["hovertemplate"]  # "5 xã", not "5.00 xã"


def test_communes_operations_f7(app):
    open_page(app, "app_pages/communes.py")
    text = markdown_text(app)
    assert "- Tỷ lệ hồ sơ TTHC giải quyết trước hạn, đúng hạn: **97%**" in text
    assert "- Số đơn vị cấp huyện giải quyết TTHC trên VNPT-iGATE: **12**" in text
    assert "- Số xã, thị trấn giải quyết TTHC trên VNPT-iGATE: **5**" in text
    assert "- Chưa đạt “Có hệ thống một cửa điện tử”: **07 xã**" in text


def test_communes_follow_year_unit_and_profile(app, demo_readonly):
    open_page(app, "app_pages/communes.py")
    app.sidebar.selectbox(key="year").select(2019).run()
    shown = metrics(app)
    assert (shown["Tốt"], shown["Khá"], shown["Trung bình"]) == ("01 xã", "04 xã", "08 xã")  # F4
    app.sidebar.selectbox(key="level").select("commune").run()
    app.sidebar.selectbox(key="unit").select("01315").run()
    profile = communes.commune_profile(demo_readonly, app.sidebar.selectbox(key="year").value, "01315")
    bars = figure(app, "Xã Thái Học: tỷ lệ điểm đạt theo lĩnh vực, năm 20")["data"]
    assert bars[0]["x"] == pytest.approx(profile.pct.tolist())
    assert bars[1]["x"] == pytest.approx(profile.mean_pct.tolist())


def test_communes_explain_a_district_without_commune_results(app):
    open_page(app, "app_pages/communes.py", unit="040")
    assert any("Chưa có kết quả cấp xã của Thành phố Cao Bằng" in i.value for i in app.info)
    assert not app.get("plotly_chart")


# --- Kế hoạch ---------------------------------------------------------------------------------


def test_plan_cards_table_and_waterfall(app, demo_readonly):
    open_page(app, "app_pages/plan.py")
    expected = plan.plan_to_target(demo_readonly, 2020, "042", 5)
    shown = metrics(app)
    assert (shown["Hiện tại"], shown["Điểm của hạng 5"], shown["Điểm cần thêm"]) == (
        "73,79",
        fmt_number(expected.target_total),
        fmt_number(expected.points_needed),
    )
    assert shown["Sau kế hoạch"] == fmt_number(expected.resulting_total)
    steps = table(app, "Tổng điểm lũy kế")
    assert len(steps) == len(expected.steps)
    assert steps["Tổng điểm lũy kế"].iloc[-1] == pytest.approx(expected.resulting_total)
    fall = figure(app, "Từ điểm hiện tại đến hạng 5: Huyện Bảo Lâm, kết quả năm 2020")["data"][0]
    assert fall["x"][0] == pytest.approx(73.79) and fall["measure"][-1] == "total"
    assert any(expected.assumption in i.value for i in app.info)


def test_plan_follows_the_target_rank(app, demo_readonly):
    open_page(app, "app_pages/plan.py")
    app.number_input(key="target_rank").set_value(3).run()
    gap = targets.target_gap(demo_readonly, 2020, "042", 3)
    assert metrics(app)["Điểm cần thêm"] == fmt_number(gap.points_needed)
    assert metrics(app)["Điểm của hạng 3"] == fmt_number(gap.target_total)


def test_plan_what_if_sliders_move_total_and_rank(app, demo_readonly):
    open_page(app, "app_pages/plan.py")
    assert metrics(app)["Tổng điểm mới"] == "73,79" and metrics(app)["Thứ hạng mới"] == "9/10"
    app.select_slider(key="whatif_7").set_value(15.0).run()
    app.select_slider(key="whatif_3").set_value(14.0).run()
    field_points = gaps.gaps(demo_readonly, 2020, "042", depth=1).set_index("criterion_code").points
    expected = plan.what_if(
        demo_readonly, 2020, "042", {"7": round(15 - field_points["7"], 2), "3": round(14 - field_points["3"], 2)}
    )
    assert metrics(app)["Tổng điểm mới"] == fmt_number(expected.new_total)
    assert metrics(app)["Thứ hạng mới"] == fmt_rank(expected.new_rank, expected.rank_of)
    assert expected.new_rank < 9


def test_names_from_the_store_are_never_read_as_markdown(app, demo_store):
    con = connect(demo_store)
    con.execute("UPDATE units SET name = 'Xã *Thạch* [Lâm](http://x.y)' WHERE code = '01304'")
    bump_data_version(con)
    con.close()
    open_page(app, "app_pages/communes.py")
    text = markdown_text(app)
    assert r"**Tốt**: Xã \*Thạch\* \[Lâm\](http://x.y)" in text
    assert "Xã *Thạch*" not in text.replace("\\*", "")


# --- links ----------------------------------------------------------------------------------------


def stale_notes(app) -> list[str]:
    return [c.value for c in app.caption if "nay không còn" in c.value]


def test_a_link_to_a_year_gone_says_so_once_and_not_on_a_later_change(app):
    app.query_params["year"] = "1999"
    app.run()  # the overview is the default page: the link's first view
    assert not app.exception
    notes = stale_notes(app)
    assert len(notes) == 1 and "năm “1999”" in notes[0]
    assert metrics(app)["Tổng điểm"] == "73,79"  # the default, the latest year
    app.sidebar.selectbox(key="level").select("commune").run()
    assert not stale_notes(app) and not app.exception


def test_page_controls_come_from_the_link(app, demo_readonly):
    open_page(app, "app_pages/plan.py", target_rank=3, plan_cap="max", whatif_7="15.0")
    assert app.number_input(key="target_rank").value == 3 and app.selectbox(key="plan_cap").value == "max"
    assert app.select_slider(key="whatif_7").value == 15.0
    expected = plan.plan_to_target(demo_readonly, 2020, "042", 3, cap="max")
    assert metrics(app)["Sau kế hoạch"] == fmt_number(expected.resulting_total)
    assert app.query_params["target_rank"] in (["3"], "3")


# --- empty states -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page_path", ["app_pages/overview.py", "app_pages/ranking.py", "app_pages/criteria.py", "app_pages/plan.py"]
)
def test_pages_explain_a_unit_without_data_that_year(app, demo_store, page_path):
    con = connect(demo_store)
    con.execute("DELETE FROM scores WHERE year = 2020 AND unit_code = '042'")
    bump_data_version(con)
    con.close()
    open_page(app, page_path, year=2020)
    messages = " ".join(i.value for i in app.info) + " " + " ".join(c.value for c in app.caption)
    assert "Huyện Bảo Lâm chưa có dữ liệu năm 2020" in messages


def test_pages_explain_an_empty_store(app, demo_store):
    con = connect(demo_store)
    con.execute("DELETE FROM scores")
    bump_data_version(con)
    con.close()
    app.run()
    for page_path in [
        "app_pages/overview.py",
        "app_pages/ranking.py",
        "app_pages/criteria.py",
        "app_pages/communes.py",
        "app_pages/plan.py",
    ]:
        app.switch_page(page_path).run()
        assert not app.exception, [e.value for e in app.exception]
        assert any("Chưa có" in i.value for i in app.info), page_path


@pytest.mark.parametrize("page_path", ["app_pages/overview.py", "app_pages/plan.py"])
def test_pages_work_for_a_commune(app, demo_readonly, page_path):
    open_page(app, page_path, level="commune", unit="01315", year=2020)
    assert any("Xã Thái Học" in h.value for h in app.subheader)
    row = rankings.rankings(demo_readonly, 2020, "commune", "042").set_index("unit_code").loc["01315"]
    total_label = "Tổng điểm" if page_path.endswith("overview.py") else "Hiện tại"
    assert metrics(app)[total_label] == fmt_number(row.total)


def test_criteria_for_a_commune_against_the_other_communes(app, demo_readonly):
    open_page(app, "app_pages/criteria.py", level="commune", unit="01315", year=2020)
    expected = gaps.gaps(demo_readonly, 2020, "01315", depth=1).sort_values("gap_points")
    assert field_gap_chart(app)["data"][0]["x"] == pytest.approx(expected.gap_points.tolist())
    heat = figure(app, "Tỷ lệ điểm đạt (% điểm tối đa), năm 2020, cấp xã của Huyện Bảo Lâm")["data"][0]
    assert len(heat["y"]) == 13  # the district's thirteen communes, a row each
