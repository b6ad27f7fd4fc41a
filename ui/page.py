"""What every page does first: the sidebar's selection, this run's cursor of the store, the title."""

from __future__ import annotations

import streamlit as st

from analytics.store import first_missing
from ui import data
from ui.sidebar import Selection, current
from ui.url import stale_notice


def begin(title: str) -> tuple[Selection, object, str]:
    """(selection, cursor, data version) for the page, after its title and any stale-link notice."""
    sel = current()
    con = data.connection()
    st.title(title)
    stale_notice()
    ver = data.version(con)
    what_to_load_first(con, ver)
    return sel, con, ver


FIRST_STEPS = {
    "criteria": "Chưa có bộ tiêu chí nào trong kho dữ liệu. Hãy nạp trước bộ tiêu chí của tỉnh (phụ lục quyết "
    "định: lĩnh vực, tiêu chí, điểm tối đa), thang xếp loại, rồi kết quả chấm điểm các năm.",
    "scores": "Chưa có kết quả chấm điểm nào trong kho dữ liệu (đã có bộ tiêu chí). Hãy nạp kết quả các năm.",
}


@st.cache_data(show_spinner=False)
def _first_missing(_con, data_ver: str) -> str | None:
    return first_missing(_con)


def what_to_load_first(con, data_ver: str) -> None:
    """In a store started empty: say what to load, link to Dữ liệu, and draw nothing else."""
    missing = _first_missing(con, data_ver)
    if missing is None:
        return
    st.info(FIRST_STEPS[missing], icon=":material/info:")
    st.page_link("app_pages/data.py", label="Mở trang Dữ liệu để nạp", icon=":material/upload_file:")
    st.stop()
