"""Routing only: page config, navigation and the shared sidebar."""

import streamlit as st

from ui.data import connection
from ui.navigation import pages
from ui.sidebar import render_sidebar

st.set_page_config(page_title="Chỉ số CCHC", page_icon=":material/insights:", layout="wide")
page = st.navigation(pages())
render_sidebar(connection())
page.run()
