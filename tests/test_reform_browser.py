"""The 2025 reform as a person sees it in Debian chromium (issue #12): the province's 56 communes ranked,
and Xã Bảo Lâm's three predecessors with their 2019-2020 results beside it."""

from __future__ import annotations

import pytest

from analytics.rankings import rankings
from analytics.store import connect
from tests.conftest import wait_for_script

pytestmark = pytest.mark.browser

COMMUNES_2025 = "level=commune&year=2025"


def grid_text(grid) -> str:
    grid.locator("table thead th").first.wait_for(state="attached")
    return " ".join(grid.locator("table").all_text_contents())


def test_the_2025_ranking_of_cao_bangs_communes(app_server, page, demo_store_template):
    page.goto(f"{app_server.url}/xep-hang?{COMMUNES_2025}&unit=01290")
    wait_for_script(page)
    assert "year=2025" in page.url and page.get_by_text("Bảng xếp hạng năm 2025").is_visible()
    table = page.get_by_test_id("stDataFrame").first
    table.locator("table thead th").first.wait_for(state="attached")
    assert table.locator("table").get_attribute("aria-rowcount") == "57"  # the header and 56 communes and wards
    shown = table.locator('table tbody td[aria-colindex="2"]').all_text_contents()  # the rows drawn so far
    expected = rankings(connect(demo_store_template, read_only=True), 2025, "commune", "04")
    assert shown == expected.unit_name.tolist()[: len(shown)] and len(shown) >= 5
    assert page.get_by_text("Dữ liệu minh họa").first.is_visible()
    assert not page.get_by_test_id("stException").count()


def test_the_lineage_of_xa_bao_lam_shows_its_three_predecessors(app_server, page):
    page.goto(f"{app_server.url}/?{COMMUNES_2025}&unit=01290")
    wait_for_script(page)
    assert page.get_by_text("Huyện Bảo Lâm đã giải thể từ 01/7/2025").is_visible()
    assert page.get_by_role("button", name="Xã Cốc Pàng").is_visible()  # a successor commune, one click away
    heading = page.get_by_role("heading", name="Đơn vị tiền thân")
    heading.scroll_into_view_if_needed()
    assert heading.is_visible()
    table = page.locator('[data-testid="stDataFrame"]').filter(has_text="Thị trấn Pác Miầu").first
    text = grid_text(table)
    for name in ("Thị trấn Pác Miầu", "Xã Vĩnh Phong", "Xã Mông Ân"):
        assert name in text
    titles = table.locator("table thead th").all_text_contents()
    assert titles[-2:] == ["2019", "2020"]
    assert "78,40 (2/13, Khá)" in text and "55,10 (13/13, Trung bình)" in text
    assert not page.get_by_test_id("stException").count()


def test_following_a_successor_link_opens_that_commune(app_server, page):
    page.goto(f"{app_server.url}/?{COMMUNES_2025}")
    wait_for_script(page)
    page.get_by_role("button", name="Xã Quảng Lâm").click()
    page.wait_for_url("**unit=01304**")
    wait_for_script(page)
    assert "year=2025" in page.url
    assert page.get_by_text("Xã Quảng Lâm — năm 2025").is_visible()
    table = page.locator('[data-testid="stDataFrame"]').filter(has_text="Xã Thạch Lâm").first
    assert "Xã Thạch Lâm" in grid_text(table) and "01303" in grid_text(table)  # its two predecessors
