"""What a person sees on the dashboard pages: Debian chromium, driven by Playwright, against `streamlit run`."""

import re
import struct

import pytest

from analytics import rankings
from analytics.formatting import fmt_number, fmt_rank
from tests.cards import page_card_values
from tests.conftest import wait_for_script
from ui.navigation import PAGE_SPECS

pytestmark = pytest.mark.browser

NAV = {spec.title: spec.url_path for spec in PAGE_SPECS if spec.file != "data.py"}  # None: the default page
H1 = {title: title for title in NAV} | {"Tổng quan": "Tổng quan chỉ số CCHC"}
WITHOUT_CHARTS = {"Nhiệm vụ"}  # a page of tables and forms


def open_url(page, url):
    page.goto(url)
    wait_for_script(page)


def go_to(page, title):
    """Click a page in the sidebar navigation, as a person would."""
    link = page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=title)
    link.click()
    if NAV[title]:  # the default page lives at "/"
        page.wait_for_url(re.compile(f"/{NAV[title]}"))
    wait_for_script(page)
    page.locator("h1").filter(has_text=H1[title]).wait_for()


def assert_painted(page):
    """No error box; every Plotly chart on the page has drawn its SVG with marks in it."""
    assert page.locator('[data-testid="stException"]').count() == 0
    charts = page.locator('[data-testid="stPlotlyChart"]')
    assert charts.count() > 0
    for i in range(charts.count()):
        charts.nth(i).locator(".main-svg").first.wait_for(state="attached")
        marks = charts.nth(i).locator(
            ".bars path, .scatterlayer path, .heatmaplayer image, .sankey path, .waterfall path, .heatmaplayer path"
        )
        assert marks.count() > 0, f"chart {i} drew no marks"


def metric_values(page) -> dict[str, str]:
    page.locator('[class*="st-key-card_"] h2').first.wait_for()
    return page_card_values(page)


def sidebar_choice(page, label) -> str:
    return page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=label).input_value()


def test_every_page_through_the_sidebar(app_server, page):
    open_url(page, app_server.url + "/?year=2020")
    for title in NAV:
        go_to(page, title)
        if title in WITHOUT_CHARTS:
            assert page.locator('[data-testid="stException"]').count() == 0
        else:
            assert_painted(page)
        assert "year=2020" in page.url, f"{title} lost the year from the URL: {page.url}"


def test_key_numbers_of_the_notice(app_server, page):
    open_url(page, app_server.url + "/?year=2020")
    shown = metric_values(page)
    assert (shown["Tổng điểm"], shown["Xếp hạng"]) == ("73,79", "9/10")  # F1
    assert "cần thêm 5,39 điểm để đạt hạng 5/10" in page.locator('[data-testid="stMain"]').inner_text()
    go_to(page, "Cấp xã")
    shown = metric_values(page)
    assert (shown["Tốt"], shown["Khá"], shown["Trung bình"]) == ("01 xã", "09 xã", "03 xã")  # F3
    open_url(page, app_server.url + "/?year=2019")
    shown = metric_values(page)
    assert (shown["Tổng điểm"], shown["Xếp hạng"]) == ("81,00", "7/10")  # F2


def test_a_link_reopens_the_same_unit_and_year(app_server, page, demo_con):
    expected = rankings.rankings(demo_con, 2019).set_index("unit_code").loc["040"]
    open_url(page, app_server.url + "/xep-hang?year=2019&unit=040&level=district")
    assert sidebar_choice(page, "Năm") == "2019"
    assert sidebar_choice(page, "Đơn vị") == "Thành phố Cao Bằng"
    highlighted = page.locator('[data-testid="stMain"]').inner_text()
    assert "Bảng xếp hạng năm 2019" in highlighted
    go_to(page, "Tổng quan")
    shown = metric_values(page)
    assert (shown["Tổng điểm"], shown["Xếp hạng"]) == (
        fmt_number(expected.total),
        fmt_rank(expected["rank"], expected.rank_of),
    )
    assert "unit=040" in page.url and "year=2019" in page.url


def test_a_commune_link(app_server, page):
    open_url(page, app_server.url + "/cap-xa?level=commune&unit=01315&year=2020")
    assert sidebar_choice(page, "Cấp") == "Cấp xã"
    assert sidebar_choice(page, "Đơn vị") == "Xã Thái Học"
    assert_painted(page)
    assert "Xã Thái Học: tỷ lệ điểm đạt theo lĩnh vực, năm 2020" in chart_titles(page)


def chart_titles(page) -> list[str]:
    """The charts' titles as read, a wrapped title's lines joined by spaces (plotly draws a line per tspan)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .gtitle')].map(t => {
             const lines = [...t.querySelectorAll('tspan.line')].map(l => l.textContent);
             return lines.length ? lines.join(' ') : t.textContent; })"""
    )


def png_size(path) -> tuple[int, int]:
    with open(path, "rb") as png:
        header = png.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_screenshot_script_saves_the_first_screen_and_the_whole_page(app_server, browser, tmp_path):
    from tests.screenshots import HEIGHT, PHONE_HEIGHT, PHONE_WIDTH, SHOTS, WIDTH, shoot

    first, whole, phone_first, phone_whole = shoot(app_server.url, tmp_path, browser, {"cap-xa": SHOTS["cap-xa"]})
    assert png_size(first) == (WIDTH, HEIGHT)
    width, height = png_size(whole)
    assert width == WIDTH and height > HEIGHT
    assert (phone_first.name, png_size(phone_first)) == ("cap-xa-390.png", (PHONE_WIDTH, PHONE_HEIGHT))
    width, height = png_size(phone_whole)
    assert width == PHONE_WIDTH and height > PHONE_HEIGHT
