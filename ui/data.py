"""The store connection and cached analytics calls.

One read-write DuckDB database per process (cache_resource); each script run takes its own
cursor, because a DuckDB connection must not be shared between threads. Cached results are
keyed by the store's data version, which every import and undo bumps.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import communes as cm
from analytics import gaps as gp
from analytics import lineage as ln
from analytics import plan as pl
from analytics import rankings as rk
from analytics import recoverable as rec
from analytics import scope, settings, targets
from analytics import trend as tr
from analytics.errors import CchcError
from analytics.settings import db_path
from analytics.store import connect, data_version, init_store


@st.cache_resource(show_spinner="Đang mở kho dữ liệu…")
def _database(path: str):
    init_store(db_path(path))
    return connect(path)


def connection():
    """A cursor of the shared database, for this script run."""
    return _database(str(db_path())).cursor()


def home_unit() -> str:
    return settings.home_unit_code()


def version(con) -> str:
    """The cache key of the store's current content: its path and data version.

    The path is part of it because the cache is shared by the whole process: two stores (as in
    tests, or after pointing CCHC_DB elsewhere) may both be at version 3 with different data.
    """
    return f"{db_path()}#{data_version(con)}"


@st.cache_data(show_spinner=False)
def rankings(_con, data_ver: str, year: int, level: str, parent: str | None) -> pd.DataFrame:
    return rk.rankings(_con, year, level, parent)


@st.cache_data(show_spinner=False)
def years(_con, data_ver: str, level: str, parent: str | None) -> list[int]:
    return rk.years_with_data(_con, level, parent)


@st.cache_data(show_spinner=False)
def units(_con, data_ver: str, year: int | None = None) -> pd.DataFrame:
    """The unit versions in force in the year (every version without one)."""
    return scope.all_units(_con, year)


@st.cache_data(show_spinner=False)
def unit_name(_con, data_ver: str, code: str, year: int | None = None) -> str:
    return scope.unit_name(_con, code, year)


@st.cache_data(show_spinner=False)
def scope_words(_con, data_ver: str, level: str, parent: str | None, year: int | None = None) -> str:
    return scope.scope_words(_con, level, parent, year)


# The default scope and year follow the home unit (settings), so its code is part of these cache keys.
@st.cache_data(show_spinner=False)
def offered_years(_con, data_ver: str, level: str, home: str) -> list[int]:
    return scope.offered_years(_con, level)


@st.cache_data(show_spinner=False)
def default_year(_con, data_ver: str, level: str, home: str) -> int | None:
    return scope.default_year(_con, level, offered_years(_con, data_ver, level, home))


@st.cache_data(show_spinner=False)
def default_parent_in(_con, data_ver: str, level: str, year: int, home: str) -> str | None:
    return scope.default_parent_in(_con, level, year)


@st.cache_data(show_spinner=False)
def default_unit_in(_con, data_ver: str, level: str, year: int, home: str) -> str | None:
    return scope.default_unit_in(_con, level, year)


@st.cache_data(show_spinner=False)
def lineage(_con, data_ver: str, unit_code: str, year: int | None):
    return ln.lineage(_con, unit_code, year)


# --- the analytics calls the pages make, cached by data version ------------------------------


@st.cache_data(show_spinner=False)
def trend(_con, data_ver: str, level: str, parent: str | None) -> pd.DataFrame:
    return tr.trend(_con, level, parent)


@st.cache_data(show_spinner=False)
def projection(_con, data_ver: str, unit_code: str, target_rank: int, level: str, parent: str | None):
    """The naive projection of the target rank's score next year; None when it cannot be made."""
    try:
        return tr.target_projection(_con, unit_code, target_rank, level, parent)
    except CchcError:
        return None


@st.cache_data(show_spinner=False)
def target_rank(_con, data_ver: str, unit_code: str, year: int) -> int | None:
    """The target rank that applies to the results of `year` (the same rule as the CLI's)."""
    return targets.target_rank_after(_con, unit_code, year)


@st.cache_data(show_spinner=False)
def target_gap(_con, data_ver: str, year: int, unit_code: str, target_rank: int | None = None):
    return targets.target_gap(_con, year, unit_code, target_rank)


@st.cache_data(show_spinner=False)
def gaps(
    _con,
    data_ver: str,
    year: int,
    unit_code: str,
    reference: str = "province-mean",
    depth: int | None = None,
    target_rank: int | None = None,
) -> pd.DataFrame:
    return gp.gaps(_con, year, unit_code, reference=reference, depth=depth, target_rank=target_rank)


@st.cache_data(show_spinner=False)
def field_matrix(_con, data_ver: str, year: int, level: str, parent: str | None) -> pd.DataFrame:
    return gp.field_matrix(_con, year, level, parent)


@st.cache_data(show_spinner=False)
def recoverable(_con, data_ver: str, year: int, unit_code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    return rec.recoverable_by_office(_con, year, unit_code)


@st.cache_data(show_spinner=False)
def bands(_con, data_ver: str, level: str, year: int) -> list[str]:
    """Band names of the criteria set in force, best first."""
    return rk.band_names(_con, level, year)


@st.cache_data(show_spinner=False)
def commune_table(_con, data_ver: str, year: int, parent: str) -> pd.DataFrame:
    return cm.commune_table(_con, year, parent)


@st.cache_data(show_spinner=False)
def commune_summary(_con, data_ver: str, year: int, parent: str):
    return cm.commune_summary(_con, year, parent)


@st.cache_data(show_spinner=False)
def band_transitions(_con, data_ver: str, year_from: int, year_to: int, parent: str) -> pd.DataFrame:
    return cm.band_transitions(_con, year_from, year_to, parent)


@st.cache_data(show_spinner=False)
def indicator_table(_con, data_ver: str, year: int, parent: str) -> pd.DataFrame:
    return cm.indicator_table(_con, year, parent)


@st.cache_data(show_spinner=False)
def commune_profile(_con, data_ver: str, year: int, unit_code: str) -> pd.DataFrame:
    return cm.commune_profile(_con, year, unit_code)


@st.cache_data(show_spinner=False)
def plan(_con, data_ver: str, year: int, unit_code: str, target_rank: int | None, cap: str = "best"):
    return pl.plan_to_target(_con, year, unit_code, target_rank=target_rank, cap=cap)


@st.cache_data(show_spinner=False)
def what_if(_con, data_ver: str, year: int, unit_code: str, changes: tuple[tuple[str, float], ...]):
    """`changes` as sorted (code, delta) pairs, so equal choices hit the same cache entry."""
    return pl.what_if(_con, year, unit_code, dict(changes))


@st.cache_data(show_spinner=False)
def communes_lacking(_con, data_ver: str, year: int, parent: str, indicator: str) -> pd.DataFrame:
    return cm.communes_lacking(_con, year, parent, indicator)


@st.cache_data(show_spinner=False)
def unit_indicators(_con, data_ver: str, year: int, unit_code: str) -> pd.DataFrame:
    return cm.unit_indicators(_con, year, unit_code)
