"""Routing only: page config, navigation and the shared sidebar."""

from pathlib import Path

import streamlit as st

from ui.data import connection
from ui.sidebar import render_sidebar

# Not "pages/": a folder of that name beside app.py switches Streamlit to its legacy multipage
# mode until st.navigation runs, so a deep link's first run skips this script (and its sidebar)
# or shows a spurious "Page not found".
PAGES_DIR = Path(__file__).parent / "app_pages"
PAGES = [
    st.Page(PAGES_DIR / "overview.py", title="Tổng quan", icon=":material/dashboard:", default=True),
    st.Page(PAGES_DIR / "ranking.py", title="Xếp hạng", icon=":material/leaderboard:", url_path="xep-hang"),
    st.Page(PAGES_DIR / "criteria.py", title="Tiêu chí", icon=":material/checklist:", url_path="tieu-chi"),
    st.Page(PAGES_DIR / "communes.py", title="Cấp xã", icon=":material/holiday_village:", url_path="cap-xa"),
    st.Page(PAGES_DIR / "plan.py", title="Kế hoạch đạt mục tiêu", icon=":material/flag:", url_path="ke-hoach"),
    st.Page(PAGES_DIR / "tasks.py", title="Nhiệm vụ", icon=":material/task_alt:", url_path="nhiem-vu"),
    st.Page(PAGES_DIR / "data.py", title="Dữ liệu", icon=":material/upload_file:", url_path="du-lieu"),
]

st.set_page_config(page_title="Chỉ số CCHC", page_icon=":material/insights:", layout="wide")
page = st.navigation(PAGES)
render_sidebar(connection())
page.run()
