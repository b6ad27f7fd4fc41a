"""Small marks shown on every page: the illustrative-data badge, empty states, help."""

from __future__ import annotations

import streamlit as st

DEMO_LABEL = "Dữ liệu minh họa"
DEMO_HELP = ("Chỉ tổng điểm và thứ hạng của huyện Bảo Lâm năm 2019, 2020, xếp loại các xã và các số liệu "
             "vận hành nêu trong Thông báo 4/2021 là số liệu thật; các điểm khác do data/generate_demo.py "
             "tạo ra để minh họa.")


def demo_badge(is_demo: bool) -> None:
    if is_demo:
        st.badge(DEMO_LABEL, icon=":material/info:", color="orange", help=DEMO_HELP)


def how_to_read(text: str) -> None:
    with st.expander("Cách đọc", expanded=False):
        st.markdown(text)


def empty_state(message: str) -> None:
    st.info(message, icon=":material/database_off:")


PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"]}


def chart(fig, key: str, reading: str) -> None:
    """A Plotly figure at full width, with its "Cách đọc" help underneath."""
    st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG, width="stretch")
    how_to_read(reading)


def verdict(text: str) -> None:
    """The one sentence a reader should take away, set larger than body text."""
    st.markdown(f"#### {text}")


HOME_ROW = "background-color: #FBE3D6; font-weight: 600"


def highlight_row(table, column: str, value):
    """A Styler that tints the rows of the unit in focus (the home colour, pale)."""
    return table.style.apply(lambda r: [HOME_ROW if r[column] == value else ""] * len(r), axis=1)
