"""Small marks shown on every page: the illustrative-data badge, empty states, help."""

from __future__ import annotations

import re
from dataclasses import dataclass

import streamlit as st

DEMO_LABEL = "Dữ liệu minh họa"
DEMO_HELP = (
    "Chỉ tổng điểm và thứ hạng của huyện Bảo Lâm năm 2019, 2020, xếp loại các xã và các số liệu "
    "vận hành nêu trong Thông báo 4/2021 là số liệu thật; các điểm khác do data/generate_demo.py "
    "tạo ra để minh họa."
)


MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#|~$])")
# A card's whole text is a few short names and numbers, so it can afford to escape more: also ":" (Streamlit's
# :emoji:, :material/icon: and :red[...] directives), "/" (the icon's path), "-", "+" and "." (a name read as
# a list item). A backslash before any of them shows it as is.
CARD_SPECIALS = re.compile(r"([\\`*_\[\]<>#|~$:/+.-])")


def escape_markdown(text: str) -> str:
    """Text from the store (names, codes) shown as itself, never read as Markdown."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def demo_badge(is_demo: bool) -> None:
    if is_demo:
        st.badge(DEMO_LABEL, icon=":material/info:", color="orange", help=DEMO_HELP)


def how_to_read(text: str) -> None:
    with st.expander("Cách đọc", expanded=False):
        st.markdown(text)


def empty_state(message: str) -> None:
    st.info(escape_markdown(message), icon=":material/database_off:")


# Plotly's toolbar in Vietnamese (its own locale mechanism, given per chart), without the camera: each chart
# has the page's "Tải ảnh PNG" button, which draws the image for print.
PLOTLY_LOCALE = {
    "dictionary": {
        "Zoom": "Phóng to vùng chọn",
        "Pan": "Kéo",
        "Zoom in": "Phóng to",
        "Zoom out": "Thu nhỏ",
        "Reset axes": "Về khung ban đầu",
        "Autoscale": "Tự co giãn",
        "Reset view": "Về khung ban đầu",
        "Box Select": "Chọn vùng",
        "Lasso Select": "Chọn tự do",
        "Toggle Spike Lines": "Bật/tắt đường gióng",
        "Show closest data on hover": "Hiện điểm gần nhất",
        "Compare data on hover": "So sánh khi di chuột",
        "Double-click to zoom back out": "Nhấp đúp để thu nhỏ lại",
        "Download plot as a PNG": "Tải ảnh PNG",
    },
    "format": {"decimal": ",", "thousands": "."},
}
PLOTLY_CONFIG = {
    "displaylogo": False,
    "locale": "vi",
    "locales": {"vi": PLOTLY_LOCALE},
    "modeBarButtonsToRemove": ["toImage", "select2d", "lasso2d", "autoScale2d"],
}


def chart(fig, key: str, reading: str, png_name: tuple) -> None:
    """A Plotly figure at full width, a PNG download button and its "Cách đọc" help underneath.

    png_name says what the chart shows and for which view, in Vietnamese words, e.g. ("Xếp hạng", 2020, "042"):
    two years or units never download under the same name."""
    from ui.exports import png_button  # late: ui.exports pulls in the report writers

    st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG, width="stretch")
    png_button(fig, png_name, key=f"{key}_png")
    how_to_read(escape_markdown(reading))  # readings name units from the store


def verdict(text: str) -> None:
    """The one sentence a reader should take away, set larger than body text."""
    st.markdown(f"#### {escape_markdown(text)}")


# Streamlit's default top padding (~6rem) pushes the cards below the fold on a 1366×768 screen, and
# its side padding (5rem) leaves card labels truncated on a 1024-wide projector; headings are a notch
# smaller so a title and the cards fit the first screen.
COMPACT_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; padding-bottom: 3rem; }
@media (max-width: 1500px) {
  [data-testid="stMainBlockContainer"] { padding-left: 2.5rem; padding-right: 2.5rem; }
}
[data-testid="stMain"] h1 { font-size: 2.1rem; padding-bottom: 0.25rem; }
[data-testid="stMain"] h3 { padding-top: 0.75rem; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding: 3.5rem 1rem 2rem 1rem; }
  /* A touch screen shows Plotly's toolbar all the time, over the chart's title: a phone pinches instead. */
  [data-testid="stPlotlyChart"] .modebar-container { display: none; }
  [data-testid="stMain"] h1 { font-size: 1.6rem; }
  [data-testid="stMain"] h3 { font-size: 1.2rem; }
  [data-testid="stMain"] h4 { font-size: 1.05rem; }
}
/* Cards (cards() below): a label, the value in regular weight, the note, spaced like st.metric's. */
[class*="st-key-card_"] [data-testid="stMarkdownContainer"] p { margin-bottom: 0.25rem; font-size: 0.875rem; }
[class*="st-key-card_"] [data-testid="stMarkdownContainer"] h2 {
  padding: 0 0 0.35rem 0; font-size: 2.25rem; font-weight: 400; line-height: 1.25;
}
[class*="st-key-card_whatif_"] { min-width: 10rem; }
/* Tabs of charts (ui.url.url_tabs): the chosen tab is empty until its chart is drawn; keep the page's
   height meanwhile so a reader who scrolled to the chart is not pulled up. */
.st-key-chart [role="tabpanel"] { min-height: 36rem; }
/* The tables' toolbar offers an English "Download as CSV" of the formatted text: each table has "Tải CSV". */
[data-testid="stElementToolbarButton"]:has(button[aria-label="Download as CSV"]) { display: none; }
/* Plotly draws its toolbar tooltips from data-title in CSS; Streamlit's own full-screen button has no locale. */
.modebar-btn[data-title="Fullscreen"]::after { content: "Toàn màn hình" !important; }
.modebar-btn[data-title="Exit fullscreen"]::after { content: "Thoát toàn màn hình" !important; }
</style>"""


def compact_page() -> None:
    st.html(COMPACT_CSS)


def stop_without_data(sel, empty: bool = False) -> None:
    """End the page with an explanation when the store has no year of the selected level."""
    if sel.year is None or empty:
        empty_state(f"Chưa có dữ liệu {sel.level_label.lower()} nào trong kho. Hãy nạp kết quả ở trang Dữ liệu.")
        st.stop()


@dataclass(frozen=True)
class Card:
    """One figure in a row of cards: a label, the value, and an optional line under it (a change, a holder)."""

    label: str
    value: str
    note: str | None = None
    colour: str = "gray"  # the note's badge: "green", "red" or "gray"
    arrow: str | None = None  # "up" or "down" before the note
    help: str | None = None  # a tooltip beside the card


def change_card(label: str, value: str, change, text: str | None, neutral: bool = False) -> Card:
    """A card whose note is a change written in words: arrow and colour from its sign (grey when `neutral`:
    more communes in a band is good news for the best bands and bad for the weakest)."""
    if text is None:
        return Card(label, value)
    if change is None or change != change or change == 0:
        return Card(label, value, text)
    up = change > 0
    colour = "gray" if neutral else "green" if up else "red"
    return Card(label, value, text, colour, "up" if up else "down")


# Cards are plain Markdown in bordered columns, not st.metric: Markdown's code is in Streamlit's first
# bundle, while st.metric's (like raw HTML's) is fetched on first use and shown behind a skeleton until
# then, so these cards are on the first frame a page draws (docs/performance.md, "Lần vẽ đầu tiên").
ARROWS = {"up": ":material/arrow_upward: ", "down": ":material/arrow_downward: ", None: ""}


def _card_text(text: str) -> str:
    return CARD_SPECIALS.sub(r"\\\1", str(text))


def card_markdown(card: Card) -> str:
    """Label, value as a level-2 heading (the only large type plain Markdown has), the note as a badge."""
    lines = [_card_text(card.label), f"## {_card_text(card.value)}"]
    if card.note:
        lines.append(f":{card.colour}-badge[{ARROWS[card.arrow]}{_card_text(card.note)}]")
    return "\n\n".join(lines)


def cards(items: list[Card], key: str, wrap: bool = False) -> None:
    """A row of cards, each card's container keyed card_<key>_<n>: one per column, stacked on a phone; or,
    with `wrap`, side by side and wrapping two to a line on a phone (the what-if results, kept near their
    sliders)."""
    if wrap:
        row = st.container(horizontal=True)
        slots = [row.container(border=True, key=f"card_{key}_{n}") for n in range(len(items))]
    else:
        slots = [
            column.container(border=True, height="stretch", key=f"card_{key}_{n}")
            for n, column in enumerate(st.columns(len(items)))
        ]
    for slot, card in zip(slots, items, strict=True):
        with slot:
            st.markdown(card_markdown(card), help=card.help and _card_text(card.help), anchors=False)
