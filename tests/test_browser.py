"""What a person sees: Debian chromium, driven by Playwright, against `streamlit run`."""

import pytest

from tests.cards import page_card_values
from tests.conftest import wait_for_script

pytestmark = pytest.mark.browser


def test_overview_shows_73_79_and_9_of_10(app_server, page):
    page.goto(app_server.url + "/?year=2020")
    wait_for_script(page)
    page.locator('[class*="st-key-card_"] h2').first.wait_for()
    shown = page_card_values(page)
    assert shown["Tổng điểm"] == "73,79"
    assert shown["Xếp hạng"] == "9/10"
    assert page.locator('[data-testid="stException"]').count() == 0
    page.locator(".js-plotly-plot .bars path").first.wait_for()


@pytest.mark.parametrize("slug", ["", "xep-hang", "tieu-chi", "cap-xa", "ke-hoach", "du-lieu"])
def test_a_deep_link_opens_its_page_without_a_not_found_dialog(app_server, page, slug):
    page.goto(f"{app_server.url}/{slug}?year=2020")
    wait_for_script(page)
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("h1").count() >= 1
