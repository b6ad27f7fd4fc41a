"""The shared sidebar: level, year and unit, kept in the URL so a link reopens the same view.

The URL carries codes (`?level=district&year=2019&unit=042`), while the widgets show names.
Streamlit's `bind="query-params"` would put the displayed name in the URL, so the sidebar syncs
the query parameters itself: a valid value in the URL seeds the widget once, and every run
writes the current choice back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from analytics import scope
from ui import data
from ui.marks import compact_page

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


def _from_url(key: str, parse: Callable[[str], object]):
    raw = st.query_params.get(key)
    try:
        return parse(raw) if raw is not None else None
    except ValueError:
        return None


def seed(key: str, options: list, default, parse: Callable[[str], object] = str) -> None:
    """Keep the widget's value if still offered; else take it from the URL; else the default."""
    if key in st.session_state and st.session_state[key] in options:
        return
    from_url = _from_url(key, parse)
    st.session_state[key] = from_url if from_url in options else default


def to_url(key: str, value) -> None:
    """Write a choice to the URL (only when it changed, to avoid needless messages)."""
    if value is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != str(value):
        st.query_params[key] = str(value)


def url_selectbox(label: str, options: list, key: str, default=None, parse: Callable[[str], object] = str,
                  format_func: Callable = str, **kwargs):
    """A selectbox whose value is kept in the URL as the option itself (a code, not its label)."""
    seed(key, options, default if default in options else (options[0] if options else None), parse)
    value = st.selectbox(label, options, key=key, format_func=format_func, **kwargs)
    to_url(key, value)
    return value


def render_sidebar(con) -> Selection:
    ver = data.version(con)
    all_units = data.units(con, ver)
    names = dict(zip(all_units.code, all_units.name))
    home = data.home_unit()
    compact_page()
    with st.sidebar:
        st.markdown(f"**Đơn vị chủ quản:** {names.get(home, home)}")
        level = url_selectbox("Cấp", list(LEVEL_LABELS), "level", format_func=LEVEL_LABELS.get)
        parent, codes = _scope(all_units, home, level)
        years = sorted(data.years(con, ver, level, parent), reverse=True)
        year = url_selectbox("Năm", years, "year", parse=int, placeholder="Chưa có dữ liệu")
        unit = url_selectbox("Đơn vị", codes, "unit", default=home, format_func=lambda c: names.get(c, c))
    selection = Selection(level, year, unit, names.get(unit, unit), parent, home)
    st.session_state[SELECTION_KEY] = selection
    return selection


def current() -> Selection:
    """The selection app.py made for this run (pages call this)."""
    return st.session_state[SELECTION_KEY]
