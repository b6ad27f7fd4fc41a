"""The yardstick of bench/first_paint.py with the dashboard's sidebar: the minimal page (one st.metric,
one small Plotly bar chart) under the same navigation of seven pages, with the same "Đơn vị chủ quản"
line and three selectboxes, and nothing else. It tells how much of the overview's delay the sidebar,
which every page shows, costs by itself.
"""

import sys
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ui.navigation import PAGE_SPECS  # noqa: E402


def minimal() -> None:
    st.metric("Tổng điểm", "73,79")
    st.plotly_chart(go.Figure(go.Bar(x=["A", "B", "C"], y=[1, 3, 2])), height=300)


def elsewhere() -> None:
    st.write("Trang khác")


st.set_page_config(page_title="Chỉ số CCHC", page_icon=":material/insights:", layout="wide")
page = st.navigation(
    [
        st.Page(minimal, title=spec.title, icon=spec.icon, default=True)
        if spec.url_path is None
        else st.Page(elsewhere, title=spec.title, icon=spec.icon, url_path=spec.url_path)
        for spec in PAGE_SPECS
    ]
)
with st.sidebar:
    st.markdown("**Đơn vị chủ quản:** Huyện Bảo Lâm")
    st.selectbox("Cấp", ["Cấp huyện", "Cấp xã"])
    st.selectbox("Năm", [2021, 2020, 2019])
    st.selectbox("Đơn vị", [f"Đơn vị {n}" for n in range(1, 11)])
page.run()
