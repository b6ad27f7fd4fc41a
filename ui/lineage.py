"""The 2025 reform on the pages: a dissolved home unit's successors, a merged unit's predecessors."""

from __future__ import annotations

import streamlit as st

from analytics.formatting import MISSING
from analytics.lineage import end_sentence, merger_words, predecessors_frame
from ui import data
from ui.marks import demo_badge, how_to_read
from ui.marks import escape_markdown as esc


def dissolved_notice(con, ver: str, sel) -> None:
    """When the home unit no longer existed in the chosen year: when it ended, and a button per successor."""
    if not sel.home_gone:
        return
    found = data.lineage(con, ver, sel.home_code, None)
    st.info(esc(end_sentence(found)), icon=":material/account_tree:")
    in_year = [linked for linked in found.successors if linked.unit.valid_in(sel.year)]
    with st.container(horizontal=True, key="successor_links"):
        for linked in in_year:
            st.button(
                esc(linked.unit.name),
                key=f"successor_{linked.unit.id}",
                type="tertiary",
                icon=":material/arrow_forward:",
                on_click=_choose,
                args=(linked.unit.level, linked.unit.code),
            )


def _choose(level: str, unit_code: str) -> None:
    """Open a successor: the sidebar's widgets (kept in the URL) take its level and code on the next run."""
    st.session_state["level"], st.session_state["unit"] = level, unit_code


def predecessors_section(con, ver: str, sel) -> None:
    """A merged unit's predecessors ("đơn vị tiền thân") with their own results, side by side."""
    found = data.lineage(con, ver, sel.unit_code, sel.year)
    if not found.predecessors:
        return
    st.subheader("Đơn vị tiền thân")
    demo_badge(found.is_demo)
    st.caption(esc(merger_words(found)) + " Mỗi ô: tổng điểm (hạng/số đơn vị, xếp loại) của năm đó.")
    st.dataframe(predecessors_frame(found), hide_index=True, key="predecessors_table", placeholder=MISSING)
    how_to_read(
        f"{esc(sel.unit_name)} được hình thành từ {len(found.predecessors)} đơn vị trên. Mỗi ô là kết quả của đơn vị "
        "tiền thân trong năm đó, xếp hạng trong phạm vi của chính nó (các xã của huyện cũ); các số này không "
        f"cộng vào và không được xếp hạng cùng {esc(sel.unit_name)}."
    )
