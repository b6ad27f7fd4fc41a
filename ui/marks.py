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
