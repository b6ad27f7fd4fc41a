"""A unit, the peers it is compared with, and the checks every analysis starts with."""

from __future__ import annotations

import os
from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics.errors import NotFoundError
from analytics.rankings import unit_totals, years_with_data

UNIT_SQL = "SELECT code, name, level, parent_code FROM units WHERE code = ?"

LEVEL_WORDS = {"province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã"}


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    level: str
    parent_code: str | None


def get_unit(con: duckdb.DuckDBPyConnection, unit_code: str) -> Unit:
    row = con.execute(UNIT_SQL, [unit_code]).fetchone()
    if row is None:
        raise NotFoundError(f"Không có đơn vị mã '{unit_code}' trong kho dữ liệu.")
    return Unit(*row)


def require_year(con: duckdb.DuckDBPyConnection, year: int, level: str, parent: str | None = None) -> None:
    """Raise NotFoundError naming the years that do have data, if `year` has none."""
    years = years_with_data(con, level, parent)
    if year not in years:
        have = ", ".join(map(str, years)) if years else "chưa có năm nào"
        raise NotFoundError(f"Không có dữ liệu {_scope_words(con, level, parent)} năm {year} "
                            f"(các năm có dữ liệu: {have}).")


def latest_year(con: duckdb.DuckDBPyConnection, level: str, parent: str | None = None) -> int:
    years = years_with_data(con, level, parent)
    if not years:
        raise NotFoundError(f"Chưa có dữ liệu {_scope_words(con, level, parent)} trong kho.")
    return years[-1]


def _scope_words(con: duckdb.DuckDBPyConnection, level: str, parent: str | None) -> str:
    """'cấp xã của Huyện Bảo Lạc', or just 'cấp huyện' when every parent is meant."""
    words = LEVEL_WORDS.get(level, level)
    row = con.execute(UNIT_SQL, [parent]).fetchone() if parent is not None else None
    return f"{words} của {row[1]}" if row and level == "commune" else words


def own_and_peer_totals(con: duckdb.DuckDBPyConnection, year: int, unit: Unit) -> tuple[float, pd.DataFrame]:
    """(the unit's total, the other units' unit_code/total) in the unit's level and parent that year."""
    totals = unit_totals(con, year, unit.level, unit.parent_code)
    own = totals[totals.unit_code == unit.code]
    if own.empty:
        raise NotFoundError(f"{unit.name} chưa có dữ liệu năm {year}.")
    others = totals[totals.unit_code != unit.code][["unit_code", "total"]].reset_index(drop=True)
    return float(own.total.iloc[0]), others


HOME_UNIT_ENV = "CCHC_HOME_UNIT"
DEFAULT_HOME_UNIT = "042"


def home_unit_code() -> str:
    """The unit the dashboard is for: $CCHC_HOME_UNIT, else 042 (Huyện Bảo Lâm)."""
    return os.environ.get(HOME_UNIT_ENV) or DEFAULT_HOME_UNIT
