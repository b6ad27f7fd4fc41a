"""Charts as a person reads them on a phone (390 px) and a laptop (1366 px), in Debian chromium: every text
of a chart (title, tick labels, value labels, annotations, legend) inside the chart, none on another, and no
line across a value label unless the label sits inside a bar drawn over the line."""

from __future__ import annotations

import pytest

from tests.conftest import wait_for_script
from tests.test_browser_views import PHONE

pytestmark = pytest.mark.browser

VIEW = "year=2020&unit=042&level=district"
AFTER_REFORM = "year=2025&unit=01290&level=commune"  # 56 communes and wards ranked together
PAGES = [
    f"/?{VIEW}",
    f"/?{VIEW}&chart=history",
    f"/?{VIEW}&chart=offices",
    f"/xep-hang?{VIEW}",
    f"/tieu-chi?{VIEW}",
    f"/cap-xa?{VIEW}",
    f"/ke-hoach?{VIEW}",
    f"/?{AFTER_REFORM}",
    f"/tieu-chi?{AFTER_REFORM}",
]
SLACK_PX = 2  # a glyph box's leading may touch its neighbour's; more than this is a collision

# Every text of one chart with its box, whether it is a bar's own label, and the boxes of vertical lines.
CHART_TEXTS = """chart => {
  const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
  const bars = [...chart.querySelectorAll('.bars .point path, .waterfall .point path')]
    .map(p => box(p.getBoundingClientRect()));
  const within = (r, b) =>
    r.left >= b.left - 1 && r.right <= b.right + 1 && r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
  const texts = [...chart.querySelectorAll('svg text')]
    .filter(t => !t.closest('.hoverlayer') && t.textContent.trim())
    .map(t => ({text: t.textContent.trim(), ...box(t.getBoundingClientRect()), heat: !!t.closest('.heatmaplayer')}))
    .map(t => ({...t, inBar: bars.some(b => within(t, b))}))
    .filter(t => t.right - t.left > 0 && t.bottom - t.top > 0);
  const lines = [...chart.querySelectorAll('.shapelayer path')]
    .map(p => ({below: !!p.closest('.layer-below'), ...box(p.getBoundingClientRect())}))
    .filter(l => l.right - l.left < 6 && l.bottom - l.top > 20)
    .map(l => ({...l, left: l.left - 1, right: l.right + 1}));  // a vertical path's box has no width
  return {chart: box(chart.getBoundingClientRect()), texts, lines};
}"""


def overlap(a: dict, b: dict) -> float:
    """The smaller of the horizontal and vertical overlaps of two boxes, in px (<= 0: apart)."""
    across = min(a["right"], b["right"]) - max(a["left"], b["left"])
    down = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return min(across, down)


def chart_layouts(page, url: str) -> list[dict]:
    page.goto(url)
    wait_for_script(page)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    layouts = []
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        chart.locator(".main-svg").first.wait_for(state="attached")
        page.wait_for_timeout(300)  # plotly's automargin redraws once after the first paint
        layouts.append(chart.evaluate(CHART_TEXTS))
    return layouts


def problems(layout: dict) -> list[str]:
    texts, frame = layout["texts"], layout["chart"]
    found = [
        f"'{t['text']}' runs out of the chart"
        for t in texts
        if t["left"] < frame["left"] - SLACK_PX or t["right"] > frame["right"] + SLACK_PX
    ]
    found += [
        f"'{a['text']}' on '{b['text']}'"
        for i, a in enumerate(texts)
        for b in texts[i + 1 :]
        if overlap(a, b) > SLACK_PX
    ]
    found += [
        f"a line across '{t['text']}'"
        for line in layout["lines"]
        for t in texts
        if overlap(line, t) > 0 and not (t["inBar"] and line["below"])
    ]
    return found


@pytest.fixture(params=["phone", "laptop"])
def screen(request, browser, app_server):
    options = PHONE if request.param == "phone" else {"viewport": {"width": 1366, "height": 768}, "locale": "vi-VN"}
    context = browser.new_context(**options)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_chart_text_collides_or_is_cut(screen, app_server, path):
    layouts = chart_layouts(screen, app_server.url + path)
    assert layouts, "the page drew no chart"
    found = {i: problems(layout) for i, layout in enumerate(layouts)}
    assert not {i: p for i, p in found.items() if p}


def test_the_heat_map_shows_every_cell_value_on_a_phone(browser, app_server):
    page = browser.new_context(**PHONE).new_page()
    heat = next(
        layout
        for layout in chart_layouts(page, f"{app_server.url}/tieu-chi?{VIEW}")
        if any(t["heat"] for t in layout["texts"])
    )
    values = [t for t in heat["texts"] if t["heat"]]
    assert len(values) == 10 * 8  # ten districts × eight fields, each cell with its number
    assert all(t["text"].isdigit() for t in values)
    assert min(t["right"] - t["left"] for t in values) > 8  # drawn at a readable size, not shrunk away
    page.context.close()
