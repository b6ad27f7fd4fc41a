"""The shared sidebar: level, year and unit, kept in the URL (`?level=district&year=2019&unit=042`,
see ui/url.py) so a link reopens the same view.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from analytics import scope
from ui import data
from ui.marks import compact_page
from ui.url import url_selectbox

LEVEL_LABELS = {level: scope.LEVEL_LABELS[level] for level in scope.RANKED_LEVELS}
SELECTION_KEY = "_selection"


@dataclass(frozen=True)
class Selection:
    level: str
    year: int | None
    unit_code: str
    unit_name: str
    parent_code: str | None
    home_code: str

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


def _scope(all_units, home_code: str, level: str) -> tuple[str | None, list[str]]:
    """(parent, unit codes) a level offers by default (scope.default_parent)."""
    home_rows = all_units[all_units.code == home_code]
    home = None if home_rows.empty else scope.Unit(*home_rows.iloc[0][["code", "name", "level", "parent_code"]])
    parent = scope.default_parent(level, home)
    in_level = all_units[all_units.level == level]
    codes = (in_level if parent is None else in_level[in_level.parent_code == parent]).code.tolist()
    return parent, codes


def render_sidebar(con) -> Selection:
    ver = data.version(con)
    all_units = data.units(con, ver)
    names = dict(zip(all_units.code, all_units.name))
    home = data.home_unit()
    compact_page()
    with st.sidebar:
        st.markdown(f"**Đơn vị chủ quản:** {names.get(home, home)}")
        level = url_selectbox("Cấp", list(LEVEL_LABELS), "level", format_func=LEVEL_LABELS.get, notice_here=False)
        parent, codes = _scope(all_units, home, level)
        years = sorted(data.years(con, ver, level, parent), reverse=True)
        year = url_selectbox("Năm", years, "year", parse=int, placeholder="Chưa có dữ liệu", notice_here=False)
        unit = url_selectbox(
            "Đơn vị", codes, "unit", default=home, format_func=lambda c: names.get(c, c), notice_here=False
        )
    selection = Selection(level, year, unit, names.get(unit, unit), parent, home)
    st.session_state[SELECTION_KEY] = selection
    return selection


def current() -> Selection:
    """The selection app.py made for this run (pages call this)."""
    return st.session_state[SELECTION_KEY]
