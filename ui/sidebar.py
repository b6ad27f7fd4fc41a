"""The shared sidebar: level, year and unit, kept in the URL so a link reopens the same view."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui import data

LEVEL_LABELS = {"district": "Cấp huyện", "commune": "Cấp xã"}
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
    """(parent, unit codes) a level offers: the home district's siblings, or its communes."""
    home = all_units[all_units.code == home_code].iloc[0]
    parent = home.parent_code if level == home.level else home_code
    codes = all_units[(all_units.level == level) & (all_units.parent_code == parent)].code.tolist()
    return parent, codes


def _keep_valid(key: str, options: list, default) -> None:
    if key in st.session_state and st.session_state[key] not in options:
        st.session_state[key] = default


def render_sidebar(con) -> Selection:
    ver = data.version(con)
    all_units = data.units(con, ver)
    names = dict(zip(all_units.code, all_units.name))
    home = data.home_unit()
    with st.sidebar:
        st.markdown(f"**Đơn vị chủ quản:** {names.get(home, home)}")
        level = st.selectbox("Cấp", list(LEVEL_LABELS), format_func=LEVEL_LABELS.get, key="level",
                             bind="query-params")
        parent, codes = _scope(all_units, home, level)
        years = sorted(data.years(con, ver, level, parent), reverse=True)
        _keep_valid("year", years, years[0] if years else None)
        year = st.selectbox("Năm", years, key="year", bind="query-params",
                            placeholder="Chưa có dữ liệu", index=0 if years else None)
        default_unit = home if home in codes else (codes[0] if codes else None)
        _keep_valid("unit", codes, default_unit)
        unit = st.selectbox("Đơn vị", codes, index=codes.index(default_unit) if default_unit in codes else 0,
                            format_func=lambda c: names.get(c, c), key="unit", bind="query-params")
    selection = Selection(level, year, unit, names.get(unit, unit), parent, home)
    st.session_state[SELECTION_KEY] = selection
    return selection


def current() -> Selection:
    """The selection app.py made for this run (pages call this)."""
    return st.session_state[SELECTION_KEY]
