"""A unit, the peers it is compared with, and the checks every analysis starts with."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics import settings
from analytics.errors import NotFoundError
from analytics.rankings import unit_totals, years_with_data

UNIT_SQL = "SELECT code, name, level, parent_code FROM units WHERE code = ?"
UNITS_SQL = "SELECT code, name, level, parent_code FROM units ORDER BY level, code"

RANKED_LEVELS = ("district", "commune")  # the levels whose units are scored and ranked
PARENT_LEVEL = {"district": "province", "commune": "district"}
LEVEL_LABELS = {"province": "Cấp tỉnh", "district": "Cấp huyện", "commune": "Cấp xã"}  # as a choice
LEVEL_WORDS = {level: label.lower() for level, label in LEVEL_LABELS.items()}  # inside a sentence


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    level: str
    parent_code: str | None


def get_unit(con: duckdb.DuckDBPyConnection, unit_code: str) -> Unit:
    unit = find_unit(con, unit_code)
    if unit is None:
        raise NotFoundError(f"Không có đơn vị mã '{unit_code}' trong kho dữ liệu.")
    return unit


def find_unit(con: duckdb.DuckDBPyConnection, unit_code: str | None) -> Unit | None:
    """The unit with this code, or None when the store has none (or no code is given)."""
    row = con.execute(UNIT_SQL, [unit_code]).fetchone() if unit_code else None
    return None if row is None else Unit(*row)


def unit_name(con: duckdb.DuckDBPyConnection, unit_code: str) -> str:
    """The unit's registered name; its code when the store does not know it."""
    unit = find_unit(con, unit_code)
    return unit_code if unit is None else unit.name


def all_units(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every unit of the register: code, name, level, parent_code."""
    return con.execute(UNITS_SQL).df()


def home_unit(con: duckdb.DuckDBPyConnection) -> Unit | None:
    """The unit the dashboard is for (settings.home_unit_code), or None when this store lacks it."""
    return find_unit(con, settings.home_unit_code())


def default_parent(level: str, home: Unit | None) -> str | None:
    """The scope a level is shown in by default: the home unit's parent at its own level (its peers),
    the home unit itself one level down (its communes); else every parent (None)."""
    if home is not None and home.level == level:
        return home.parent_code
    if home is not None and home.level == PARENT_LEVEL.get(level):
        return home.code
    return None


def require_year(con: duckdb.DuckDBPyConnection, year: int, level: str, parent: str | None = None) -> None:
    """Raise NotFoundError naming the years that do have data, if `year` has none."""
    years = years_with_data(con, level, parent)
    if year not in years:
        have = ", ".join(map(str, years)) if years else "chưa có năm nào"
        raise NotFoundError(
            f"Không có dữ liệu {_scope_words(con, level, parent)} năm {year} (các năm có dữ liệu: {have})."
        )


def latest_year(con: duckdb.DuckDBPyConnection, level: str, parent: str | None = None) -> int:
    years = years_with_data(con, level, parent)
    if not years:
        raise NotFoundError(f"Chưa có dữ liệu {_scope_words(con, level, parent)} trong kho.")
    return years[-1]


def _scope_words(con: duckdb.DuckDBPyConnection, level: str, parent: str | None) -> str:
    """'cấp xã của Huyện Bảo Lạc', or just 'cấp huyện' when every parent is meant."""
    words = LEVEL_WORDS.get(level, level)
    parent_unit = find_unit(con, parent)
    return f"{words} của {parent_unit.name}" if parent_unit and level == "commune" else words


def own_and_peer_totals(con: duckdb.DuckDBPyConnection, year: int, unit: Unit) -> tuple[float, pd.DataFrame]:
    """(the unit's total, the other units' unit_code/total) in the unit's level and parent that year."""
    totals = unit_totals(con, year, unit.level, unit.parent_code)
    own = totals[totals.unit_code == unit.code]
    if own.empty:
        raise NotFoundError(f"{unit.name} chưa có dữ liệu năm {year}.")
    others = totals[totals.unit_code != unit.code][["unit_code", "total"]].reset_index(drop=True)
    return float(own.total.iloc[0]), others
