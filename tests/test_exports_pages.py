"""The reports on the pages (AppTest): the overview paragraph with its copy box, download buttons by each table."""

import json

import pytest

from analytics.reports.paragraph import summary_paragraph
from analytics.store import connect
from tests.conftest import open_page

# page -> the download buttons (by key) it must show for the 2020 district view of Bảo Lâm (the overview
# draws the chart of its chosen tab only; test_overview_each_chart_tab_has_its_png covers the other two)
BUTTONS = {
    "app_pages/overview.py": {"download_xlsx", "download_docx", "overview_ranking_png"},
    "app_pages/ranking.py": {"ranking_csv", "ranking_bump_png", "ranking_totals_png", "ranking_fields_png"},
    "app_pages/criteria.py": {
        "criteria_fields_csv",
        "criteria_drill_csv",
        "criteria_detail_csv",
        "criteria_fields_png",
        "criteria_offices_png",
    },
    "app_pages/communes.py": {"communes_csv", "communes_indicators_csv", "communes_bars_png"},
    "app_pages/plan.py": {"plan_csv", "plan_waterfall_png"},
}


def button_keys(app) -> set[str]:
    return {b.proto.id.rsplit("-", 1)[-1] for b in app.get("download_button")}


@pytest.mark.parametrize("page", list(BUTTONS))
def test_download_buttons_sit_on_every_page(app, page):
    open_page(app, page, year=2020, unit="042", level="district")
    assert BUTTONS[page] <= button_keys(app)


@pytest.mark.parametrize("tab", ["ranking", "history", "offices"])
def test_overview_each_chart_tab_has_its_png(app, tab):
    open_page(app, "app_pages/overview.py", year=2020, unit="042", level="district", chart=tab)
    assert {k for k in button_keys(app) if k.endswith("_png")} == {f"overview_{tab}_png"}


def open_copy_box(app):
    """The copy box is drawn when opened (its code block would slow the first screen)."""
    assert not app.code
    app.session_state["summary_copy"] = True
    app.run()
    assert not app.exception
    return app


def test_overview_shows_the_paragraph_and_its_copy_box(app, demo_store_template):
    open_page(app, "app_pages/overview.py", year=2020, unit="042", level="district")
    open_copy_box(app)
    con = connect(demo_store_template, read_only=True)
    expected = summary_paragraph(con, 2020, "042")
    con.close()
    assert any(m.value.replace("\\", "") == expected.text for m in app.markdown)
    assert [c.value for c in app.code] == [expected.full_text()]
    assert "giảm 7,21 điểm và giảm 2 bậc so với năm 2019" in app.code[0].value


def test_overview_paragraph_of_a_first_year(app):
    open_copy_box(open_page(app, "app_pages/overview.py", year=2019, unit="042", level="district"))
    assert "chưa có kết quả năm trước để so sánh" in app.code[0].value


def test_overview_paragraph_of_a_commune(app):
    open_copy_box(open_page(app, "app_pages/overview.py", year=2020, unit="01304", level="commune"))
    assert app.code[0].value.startswith("Năm 2020, kết quả chỉ số CCHC của xã Thạch Lâm đạt")
    assert "(xếp thứ 1/13 xã, thị trấn)" in app.code[0].value


def test_without_a_browser_the_png_buttons_are_disabled_and_say_why(app, monkeypatch, tmp_path):
    monkeypatch.setenv("CCHC_BROWSER_PATH", str(tmp_path / "no-chromium"))
    open_page(app, "app_pages/ranking.py", year=2020, unit="042", level="district")
    png = [b.proto for b in app.get("download_button") if b.proto.id.endswith("_png")]
    assert len(png) == 3
    assert all(p.disabled and "không có trình duyệt Chromium" in p.help for p in png)
    app.switch_page("app_pages/overview.py").run()
    buttons = {b.proto.id.rsplit("-", 1)[-1]: b.proto for b in app.get("download_button")}
    assert buttons["overview_ranking_png"].disabled and not buttons["download_xlsx"].disabled


# page -> words every chart title there must hold: the unit or the scope, and the year or the years
VIEW_WORDS = {
    "app_pages/overview.py": ("Huyện Bảo Lâm", "Tỉnh Cao Bằng"),
    "app_pages/ranking.py": ("Tỉnh Cao Bằng",),
    "app_pages/criteria.py": ("Huyện Bảo Lâm", "Tỉnh Cao Bằng"),
    "app_pages/communes.py": ("Huyện Bảo Lâm", "Xã Thạch Lâm", "Thị trấn Pác Miầu"),
    "app_pages/plan.py": ("Huyện Bảo Lâm",),
}


@pytest.mark.parametrize("page", list(VIEW_WORDS))
def test_every_chart_title_names_the_unit_or_scope_and_the_year(app, page):
    """The PNG of a chart is read away from the page: its title says what the page's heading said."""
    open_page(app, page, year=2020, unit="042", level="district")
    titles = [json.loads(c.proto.spec)["layout"].get("title", {}).get("text", "") for c in app.get("plotly_chart")]
    assert titles and all(titles)
    for title in (t.replace("<br>", " ") for t in titles):
        assert any(words in title for words in VIEW_WORDS[page]), title
        assert "2020" in title or "qua các năm" in title, title
