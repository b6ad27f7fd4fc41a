"""Chart PNGs through kaleido and Debian chromium; a clear error when there is no browser."""

import struct
from pathlib import Path

import plotly.graph_objects as go
import pytest

from analytics.charts import ranking_bar
from analytics.rankings import rankings
from analytics.reports.chart_images import ChartImageError, browser_path, figures_to_png
from tests.conftest import CHROMIUM
from tests.pictures import has_label_bands, ink_share

needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@needs_chromium
def test_ranking_chart_becomes_a_png(demo_con):
    figure = ranking_bar(rankings(demo_con, 2020), "042", target_rank=5, title="Xếp hạng 2020")
    (png,) = figures_to_png([figure], browser=CHROMIUM)
    width, height = png_size(png)
    assert width == 1800 and height == 2 * int(figure.layout.height)
    assert len(png) > 10_000  # bars, labels and text, not an empty canvas


def test_a_missing_browser_raises_a_vietnamese_error(tmp_path):
    missing = tmp_path / "no-chromium"
    with pytest.raises(ChartImageError, match="Không tìm thấy trình duyệt"):
        figures_to_png([go.Figure()], browser=missing)


def test_browser_path_prefers_explicit_then_environment(monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setenv("CCHC_BROWSER_PATH", "/opt/chrome")
    assert browser_path("/x/chromium") == "/x/chromium"
    assert browser_path() == "/opt/chrome"
    monkeypatch.delenv("CCHC_BROWSER_PATH")
    assert browser_path() == "/usr/bin/chromium"


@needs_chromium
def test_labels_survive_streamlit_s_plotly_template(demo_con, monkeypatch):
    """Drawing a chart in the app makes Streamlit's template the default: the PNG must keep its labels."""
    import plotly.io as pio
    from streamlit.elements.lib.streamlit_plotly_theme import configure_streamlit_plotly_theme

    configure_streamlit_plotly_theme()
    monkeypatch.setattr(pio.templates, "default", "streamlit")
    figure = ranking_bar(rankings(demo_con, 2020), "042", target_rank=5, title="Xếp hạng 2020")
    (png,) = figures_to_png([figure], browser=CHROMIUM)
    assert has_label_bands(png)
    assert ink_share(png, 0.0, 0.1, 0.01, 0.85) == 0  # a margin, not a cut-off label
