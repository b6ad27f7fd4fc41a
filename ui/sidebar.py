"""The shared sidebar: level, year and unit, kept in the URL (`?level=district&year=2019&unit=042`,
see ui/url.py) so a link reopens the same view.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from analytics import scope
from ui import data
from ui.marks import compact_page
from ui.url import remember_stale, url_selectbox

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
    home_gone: bool = False  # the home unit no longer existed in the year (Huyện Bảo Lâm after 30/6/2025)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


def _scope(units_of_year, parent: str | None, level: str) -> list[str]:
    """The unit codes a level offers in the year's scope (scope.default_parent_in)."""
    in_level = units_of_year[units_of_year.level == level]
    codes = (in_level if parent is None else in_level[in_level.parent_code == parent]).code.tolist()
    return list(dict.fromkeys(codes))  # without a year every version is listed, and codes were reused


def render_sidebar(con) -> Selection:
    ver = data.version(con)
    home = data.home_unit()
    compact_page()
    level_of_linked_year(con, ver, home)
    with st.sidebar:
        home_name = st.empty()
        level = url_selectbox("Cấp", list(LEVEL_LABELS), "level", format_func=LEVEL_LABELS.get, notice_here=False)
        years = sorted(data.offered_years(con, ver, level, home), reverse=True)
        default_year = data.default_year(con, ver, level, home)
        year = url_selectbox(
            "Năm", years, "year", default=default_year, parse=int, placeholder="Chưa có dữ liệu", notice_here=False
        )
        parent = data.default_parent_in(con, ver, level, year, home) if year is not None else None
        units_of_year = data.units(con, ver, year)
        names = dict(zip(units_of_year.code, units_of_year.name))
        codes = _scope(units_of_year, parent, level)
        default_unit = data.default_unit_in(con, ver, level, year, home) if year is not None else None
        unit = url_selectbox(
            "Đơn vị",
            codes,
            "unit",
            default=default_unit or home,
            format_func=lambda c: names.get(c, c),
            notice_here=False,
        )
        home_gone = year is not None and home not in names
        home_name.markdown(f"**Đơn vị chủ quản:** {names.get(home) or data.unit_name(con, ver, home)}")
    selection = Selection(level, year, unit, names.get(unit, unit), parent, home, home_gone)
    st.session_state[SELECTION_KEY] = selection
    return selection


def level_of_linked_year(con, ver: str, home: str) -> None:
    """A link's year that its level no longer has (?level=district&year=2025: districts were dissolved on
    1/7/2025) opens the level that has that year, saying so, instead of the level's default year."""
    if "level" in st.session_state or "year" not in st.query_params:
        return
    linked = st.query_params.get("level")
    try:
        year = int(st.query_params["year"])
    except ValueError:
        return
    if linked in LEVEL_LABELS and year in data.offered_years(con, ver, linked, home):
        return
    for level in LEVEL_LABELS:
        if year in data.offered_years(con, ver, level, home):
            if linked in LEVEL_LABELS:
                remember_stale("level", f"{LEVEL_LABELS[linked].lower()} năm {year}")
            st.query_params["level"] = level
            return


def current() -> Selection:
    """The selection app.py made for this run (pages call this)."""
    return st.session_state[SELECTION_KEY]
