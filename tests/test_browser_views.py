"""What a person sees in Debian chromium: tables sort numbers, links reopen the whole view, the phone reads well."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from analytics.plan import plan_to_target
from analytics.rankings import rankings
from analytics.store import connect
from tests.conftest import wait_for_script

pytestmark = pytest.mark.browser

HOME = "year=2020&unit=042&level=district"
SIDEBAR_BOX = "document.querySelector('[data-testid=stSidebar]').getBoundingClientRect()"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
    "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Mobile Safari/537.36",
}


@pytest.fixture(scope="module")
def demo_numbers(demo_store_template):
    """Expected values from the same demo data (the server holds its own copy open for writing)."""
    con = connect(demo_store_template, read_only=True)
    numbers = {"ranking": rankings(con, 2020), "plan": plan_to_target(con, 2020, "042", 5)}
    con.close()
    return numbers


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    yield page
    context.close()


def grid_column(page, table_index: int, column: int) -> list[str]:
    """The cells of one column in display order, from the grid's accessible table (the raw values)."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(table_index)
    return grid.locator(f'table tbody td[aria-colindex="{column}"]').all_text_contents()


def grid_titles(grid) -> list[str]:
    """The column titles, once the grid has drawn (its accessible table is filled after the canvas)."""
    grid.locator("table thead th").first.wait_for(state="attached")
    return grid.locator("table thead th").all_text_contents()


def test_sorting_a_number_column_sorts_numbers(app_server, page, demo_numbers):
    page.goto(f"{app_server.url}/xep-hang?{HOME}")
    wait_for_script(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    titles = grid_titles(grid)
    column = titles.index("Thay đổi điểm") + 1
    box = grid.locator('[data-testid="stDataFrameResizable"]').bounding_box()
    # The grid is drawn on a canvas: click each header cell from the left until this column sorts.
    for x in range(20, int(box["width"]), 40):
        page.mouse.move(box["x"] + x, box["y"] + 17)
        page.mouse.down()
        page.mouse.up()
        page.wait_for_timeout(500)  # past the double-click interval, and the grid redraws
        values = [float(v) for v in grid_column(page, 0, column) if v]
        if values == sorted(values) and values != [float(v) for v in demo_numbers["ranking"].delta_total.dropna()]:
            break
    expected = sorted(demo_numbers["ranking"].delta_total.dropna().round(2).tolist())
    assert values == pytest.approx(expected)  # −7,21 first, +1,17 last: numbers, not text


def test_tables_show_numbers_the_vietnamese_way(app_server, page):
    page.goto(f"{app_server.url}/xep-hang?{HOME}")
    wait_for_script(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    grid.hover()
    labels = page.locator('[data-testid="stElementToolbarButton"] button')
    visible = [b.get_attribute("aria-label") for b in labels.all() if b.is_visible()]
    assert "Download as CSV" not in visible  # the page's "Tải CSV" is the download
    assert page.get_by_role("button", name="Tải CSV").first.is_visible()


def test_a_link_with_every_control_reopens_the_same_view(app_server, browser):
    links = {
        "tieu-chi": "year=2019&unit=042&level=district&ref=threshold&threshold=90&measure=gap_pct&field=7&office=VP",
        "ke-hoach": f"{HOME}&target_rank=3&plan_cap=max&whatif_7=15.0",
        "cap-xa": f"{HOME}&communes_from=2019&communes_profile_unit=01315",
        "xep-hang": f"{HOME}&ranking_compare=042,045,040",
        "": f"{HOME}&chart=offices",
    }
    for path, query in links.items():
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        page = context.new_page()
        page.goto(f"{app_server.url}/{path}?{query}")
        wait_for_script(page)
        kept = parse_qs(urlparse(page.url).query)
        assert {k: v[0] for k, v in parse_qs(query).items()}.items() <= {k: v[0] for k, v in kept.items()}.items()
        assert not page.get_by_text("nay không còn").count(), path
        context.close()


def test_a_chart_tab_draws_its_chart_and_keeps_it_in_the_link(app_server, page):
    page.goto(f"{app_server.url}/?{HOME}")
    wait_for_script(page)
    titles = page.locator('[data-testid="stPlotlyChart"] .gtitle')
    titles.first.wait_for()
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 1  # the chosen tab's chart only
    page.get_by_role("tab", name="Qua các năm").click()
    wait_for_script(page)
    page.locator('[data-testid="stPlotlyChart"] .gtitle', has_text="điểm và thứ hạng").wait_for()
    assert parse_qs(urlparse(page.url).query)["chart"] == ["history"]
    plan_link = page.get_by_role("link", name="Xem kế hoạch đạt hạng 5/10").get_attribute("href")
    assert "unit=042" in plan_link and "chart" not in plan_link  # one page's control stays on its page
    page.reload()
    wait_for_script(page)
    page.locator('[data-testid="stPlotlyChart"] .gtitle', has_text="điểm và thứ hạng").wait_for()
    assert page.get_by_role("tab", name="Qua các năm").get_attribute("aria-selected") == "true"


def test_a_chart_tab_link_gone_is_said_above_the_tabs(app_server, page):
    page.goto(f"{app_server.url}/?{HOME}&chart=sankey")
    wait_for_script(page)
    notice = page.locator('[data-testid="stCaptionContainer"]', has_text="biểu đồ “sankey” nay không còn")
    tabs = page.get_by_role("tablist")
    assert notice.count() == 1
    assert notice.bounding_box()["y"] < tabs.bounding_box()["y"]


def selectbox_values(page) -> list[str]:
    """What each select box on the page shows."""
    return page.locator('[data-testid="stSelectbox"] input').evaluate_all("els => els.map(e => e.value)")


def test_the_linked_view_shows_what_the_link_says(app_server, page):
    page.goto(
        f"{app_server.url}/tieu-chi?year=2019&unit=042&level=district&ref=threshold&threshold=90"
        "&measure=gap_pct&field=7&office=VP"
    )
    wait_for_script(page)
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_text("Thấp hơn ngưỡng 90% điểm tối đa").count()
    assert page.locator('[data-testid="stSlider"]').get_by_text("90").count()
    assert {"Văn phòng HĐND và UBND", "7. Hiện đại hóa hành chính"} <= set(selectbox_values(page))
    page.goto(f"{app_server.url}/ke-hoach?{HOME}&target_rank=3&plan_cap=max")
    wait_for_script(page)
    assert page.locator('[class*="st-key-card_plan_"]').get_by_text("Điểm của hạng 3").count()
    assert "điểm tối đa của tiêu chí" in selectbox_values(page)


@pytest.mark.parametrize(
    "query, words",
    [
        ("year=1999&unit=042&level=district", "năm “1999”"),
        ("year=2020&unit=XYZ&level=district", "đơn vị “XYZ”"),
        (f"{HOME}&ref=nowhere", "mốc so sánh “nowhere”"),
    ],
)
def test_a_link_to_something_gone_says_so_in_one_line(app_server, page, query, words):
    page.goto(f"{app_server.url}/tieu-chi?{query}")
    wait_for_script(page)
    notice = page.locator('[data-testid="stCaptionContainer"]', has_text="nay không còn")
    assert notice.count() == 1 and words in notice.inner_text()


@pytest.mark.parametrize("path", ["/", "/ke-hoach"])
def test_overview_and_plan_read_well_on_a_phone(app_server, phone, path):
    phone.goto(f"{app_server.url}{path}?{HOME}")
    wait_for_script(phone)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scroll
    for grid in phone.locator('[data-testid="stDataFrame"]').all():
        box = grid.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert all(not bar.is_visible() for bar in phone.locator(".modebar-container").all())  # titles uncovered


def test_the_plan_table_shows_the_criterion_and_its_numbers_on_a_phone(app_server, phone):
    phone.goto(f"{app_server.url}/ke-hoach?{HOME}")
    wait_for_script(phone)
    grid = phone.locator('[data-testid="stDataFrame"]').first
    assert grid_titles(grid)[:3] == ["Tiêu chí", "Tăng thêm", "Tổng điểm lũy kế"]
    assert grid.bounding_box()["width"] <= 390 - 2 * 16


def test_what_if_sliders_come_in_field_order_on_a_phone(app_server, phone):
    phone.goto(f"{app_server.url}/ke-hoach?{HOME}")
    wait_for_script(phone)
    sliders = phone.locator('[data-testid="stSlider"]')
    tops = [(s.bounding_box()["y"], s.locator("label").inner_text().split(".")[0]) for s in sliders.all()]
    assert [code for _, code in sorted(tops)] == [str(i) for i in range(1, 9)]


def test_choosing_a_page_on_a_phone_closes_the_sidebar(app_server, phone):
    phone.goto(f"{app_server.url}/?{HOME}")
    wait_for_script(phone)
    sidebar = phone.locator('[data-testid="stSidebar"]')
    phone.locator('[data-testid="stExpandSidebarButton"]').click()
    phone.wait_for_function(f"() => {SIDEBAR_BOX}.x >= 0")
    phone.locator('[data-testid="stSidebarNavLink"]', has_text="Kế hoạch").click()
    wait_for_script(phone)
    phone.wait_for_function(f"() => {SIDEBAR_BOX}.right <= 0")
    assert sidebar.bounding_box()["x"] < 0


def test_chart_toolbars_speak_vietnamese_even_in_an_english_browser(app_server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    page = context.new_page()
    page.goto(f"{app_server.url}/xep-hang?{HOME}")
    wait_for_script(page)
    page.locator('[data-testid="stPlotlyChart"]').first.hover()
    titles = set(
        page.locator('[data-testid="stPlotlyChart"]')
        .first.locator(".modebar-btn")
        .evaluate_all("els => els.map(e => e.getAttribute('data-title'))")
    )
    assert {"Phóng to vùng chọn", "Kéo", "Về khung ban đầu"} <= titles
    assert not titles & {"Download plot as a PNG", "Zoom", "Pan", "Reset axes"}  # no camera: "Tải ảnh PNG" below
    full_screen = page.locator('.modebar-btn[data-title="Fullscreen"]').first
    assert full_screen.evaluate("e => getComputedStyle(e, '::after').content") == '"Toàn màn hình"'
    context.close()
