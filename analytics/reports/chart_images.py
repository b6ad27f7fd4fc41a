"""PNG images of plotly figures through kaleido and the system's Chromium (Debian's /usr/bin/chromium).

Kaleido finds Chrome through choreographer; we hand it the browser path explicitly (the
environment variable CCHC_BROWSER_PATH, else BROWSER_PATH, else /usr/bin/chromium), so that no
browser is ever downloaded. When there is none, ChartImageError says so and the caller carries on
without images.
"""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from analytics import settings
from analytics.errors import CchcError

PNG_WIDTH, PNG_HEIGHT, PNG_SCALE = 900, 480, 2


# Streamlit makes its own template the process-wide default when it draws a chart, and that template
# lacks the axis automargins of plotly's: a figure built afterwards in the app exports with the
# category labels cut off, while the CLI's is whole. Images are always drawn with plotly's own
# template, so both paths give the same picture.
EXPORT_TEMPLATE = "plotly"


class ChartImageError(CchcError):
    """No browser to draw chart images with (or it failed)."""


def browser_path(explicit: str | os.PathLike | None = None) -> str:
    """The Chromium executable to draw with (see settings.browser_path)."""
    return settings.browser_path(explicit)


def browser_available(explicit: str | os.PathLike | None = None) -> bool:
    path = Path(browser_path(explicit))
    return path.is_file() and os.access(path, os.X_OK)


def figures_to_png(
    figures: list[go.Figure], browser: str | os.PathLike | None = None, width: int = PNG_WIDTH
) -> list[bytes]:
    """PNG bytes of each figure, drawn in one browser session. Raises ChartImageError without a browser."""
    path = browser_path(browser)
    if not browser_available(path):
        raise ChartImageError(f"Không tìm thấy trình duyệt Chromium tại '{path}' để vẽ biểu đồ.")
    specs = [
        (
            for_export(fig),
            {"format": "png", "width": width, "height": int(fig.layout.height or PNG_HEIGHT), "scale": PNG_SCALE},
        )
        for fig in figures
    ]
    try:
        return _run_in_fresh_loop(_render(specs, path))
    except Exception as exc:  # kaleido/choreographer raise many kinds; the user needs one message
        raise ChartImageError(f"Không vẽ được biểu đồ bằng trình duyệt '{path}': {exc}") from exc


def for_export(figure: go.Figure) -> go.Figure:
    """A copy of the figure on the export template, with margins that grow to fit the axis labels."""
    copy = go.Figure(figure)
    copy.update_layout(template=pio.templates[EXPORT_TEMPLATE])
    copy.update_xaxes(automargin=True)
    copy.update_yaxes(automargin=True)
    return copy


def figure_to_png(figure: go.Figure, browser: str | os.PathLike | None = None) -> bytes:
    return figures_to_png([figure], browser)[0]


async def _render(specs, path: str) -> list[bytes]:
    import kaleido  # imported late: it is slow to import and only needed here

    async with kaleido.Kaleido(n=1, path=path, mathjax=False) as session:
        return [await session.calc_fig(fig, opts=opts) for fig, opts in specs]


def _run_in_fresh_loop(coroutine):
    """Run a coroutine in its own thread and event loop (callers may already be inside one)."""
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as exc:  # re-raised in the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="chart-png")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
