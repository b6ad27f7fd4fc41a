"""What every page does first: the sidebar's selection, this run's cursor of the store, the title."""

from __future__ import annotations

import streamlit as st

from ui import data
from ui.sidebar import Selection, current
from ui.url import stale_notice


def begin(title: str) -> tuple[Selection, object, str]:
    """(selection, cursor, data version) for the page, after its title and any stale-link notice."""
    sel = current()
    con = data.connection()
    st.title(title)
    stale_notice()
    return sel, con, data.version(con)
