"""What a person sees: Debian chromium, driven by Playwright, against `streamlit run`."""

import pytest

from tests.conftest import wait_for_script

pytestmark = pytest.mark.browser


def test_overview_shows_73_79_and_9_of_10(app_server, page):
    page.goto(app_server.url + "/?year=2020")
    wait_for_script(page)
    metrics = page.locator('[data-testid="stMetricValue"]')
    metrics.first.wait_for()
    values = metrics.all_inner_texts()
    assert "73,79" in values
    assert "9/10" in values
    assert page.locator('[data-testid="stException"]').count() == 0
    page.locator(".js-plotly-plot .bars path").first.wait_for()
