"""The store connection and cached analytics calls.

One read-write DuckDB database per process (cache_resource); each script run takes its own
cursor, because a DuckDB connection must not be shared between threads. Cached results are
keyed by the store's data version, which every import and undo bumps.
"""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from analytics import rankings as rk
from analytics.store import connect, data_version, init_store, resolve_db_path

HOME_UNIT_ENV = "CCHC_HOME_UNIT"
DEFAULT_HOME_UNIT = "042"


@st.cache_resource(show_spinner="Đang mở kho dữ liệu…")
def _database(path: str):
    init_store(resolve_db_path(path))
    return connect(path)


def connection():
    """A cursor of the shared database, for this script run."""
    return _database(str(resolve_db_path())).cursor()


def home_unit() -> str:
    return os.environ.get(HOME_UNIT_ENV, DEFAULT_HOME_UNIT)


def version(con) -> int:
    return data_version(con)


@st.cache_data(show_spinner=False)
def rankings(_con, data_ver: int, year: int, level: str, parent: str | None) -> pd.DataFrame:
    return rk.rankings(_con, year, level, parent)


@st.cache_data(show_spinner=False)
def years(_con, data_ver: int, level: str, parent: str | None) -> list[int]:
    return rk.years_with_data(_con, level, parent)


@st.cache_data(show_spinner=False)
def units(_con, data_ver: int) -> pd.DataFrame:
    return _con.execute("SELECT code, name, level, parent_code FROM units ORDER BY level, code").df()
