"""Save a screenshot of every dashboard page at 1366×768 and on a 390×844 phone, on a fresh demo store.

    python -m tests.screenshots [OUTDIR]        (default: docs/screenshots)

For each page and size two files: `<page>.png` (`<page>-390.png` on the phone) is the first screen as
that display shows it, `<page>-full.png` (`<page>-390-full.png`) the whole page at the same width.
Uses Debian chromium (CHROMIUM_PATH).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from analytics.store import init_store
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, StreamlitServer, free_port, wait_for_script

WIDTH, HEIGHT = 1366, 768
PHONE_WIDTH, PHONE_HEIGHT = 390, 844
# suffix of the file name -> (width, height, phone?)
SIZES = {"": (WIDTH, HEIGHT, False), "-390": (PHONE_WIDTH, PHONE_HEIGHT, True)}
# name -> path and query: the chairman's view of 2020, plus a commune selected on the commune page;
# "#Danh mục" after the query opens that tab of the page.
SHOTS = {
    "tong-quan": "/?year=2020&unit=042&level=district",
    "xep-hang": "/xep-hang?year=2020&unit=042&level=district",
    "tieu-chi": "/tieu-chi?year=2020&unit=042&level=district",
    "cap-xa": "/cap-xa?year=2020&unit=01315&level=commune",
    "ke-hoach": "/ke-hoach?year=2020&unit=042&level=district",
    "nhiem-vu": "/nhiem-vu?year=2020&unit=042&level=district",
    "du-lieu": "/du-lieu?year=2020&unit=042&level=district",
    "du-lieu-danh-muc": "/du-lieu?year=2020&unit=042&level=district#Danh mục",
    # after the 2025 reform: Cao Bằng's communes ranked together, Xã Bảo Lâm beside its predecessors
    "tong-quan-2025-xa": "/?year=2025&unit=01290&level=commune",
    "xep-hang-2025-xa": "/xep-hang?year=2025&unit=01290&level=commune",
}


def _settle(page) -> None:
    """Wait for the script, then for every chart to draw (Plotly paints after the script ends)."""
    wait_for_script(page)
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                 .every(c => c.querySelector('.main-svg'))""",
        timeout=30_000,
    )
    page.wait_for_timeout(800)  # plotly transitions and fonts


def _content_height(page) -> int:
    return page.evaluate(
        """() => { const m = document.querySelector('[data-testid="stMain"]');
                   const inner = m && m.firstElementChild;
                   return Math.max(document.body.scrollHeight, inner ? inner.scrollHeight : 0); }"""
    )


def shoot(base_url: str, outdir: Path, browser, shots: dict[str, str] = SHOTS) -> list[Path]:
    saved = []
    for name, path in shots.items():
        for suffix, (width, height, phone) in SIZES.items():
            saved += _shoot_one(base_url + path, outdir / f"{name}{suffix}", browser, width, height, phone)
    return saved


def _shoot_one(url: str, stem: Path, browser, width: int, height: int, phone: bool) -> list[Path]:
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="vi-VN", is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    url, _, tab = url.partition("#")  # "#Tab name": the shot is of that tab, clicked open
    page.goto(url)
    _settle(page)
    if tab:
        page.get_by_role("tab", name=tab).click()
        _settle(page)
    first, full = stem.with_name(stem.name + ".png"), stem.with_name(stem.name + "-full.png")
    page.screenshot(path=first)
    page.set_viewport_size({"width": width, "height": max(height, _content_height(page) + 40)})
    _settle(page)
    page.screenshot(path=full, full_page=True)
    context.close()
    return [first, full]


def main(argv: list[str]) -> int:
    outdir = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "cchc.duckdb"
        init_store(db)
        server = StreamlitServer(db, free_port())
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                for file in shoot(server.url, outdir, browser):
                    print(file)
                browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
