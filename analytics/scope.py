"""A unit, the peers it is compared with, and the checks every analysis starts with.

A unit is a GSO code valid over a period (schema v5): a year decides which version a code means
(the store's macro valid_in_year: the version in force on 31 December). Before the 2025 reform a
province ranks its districts and each district its communes; from 2025 the communes' parent is the
province itself, so the scope of a level in a year is simply the parents its versions have then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics import settings
from analytics.errors import NotFoundError
from analytics.rankings import HAS_SCORES_SQL, unit_totals, years_with_data
from analytics.sql import scalar

UNIT_COLUMNS = "code, name, level, parent_code, id, valid_from, valid_to"
# A year picks the version in force then; without one, the code's latest version. (Two statements: one
# with an OR of both would cost a page a few milliseconds per unit looked up.)
UNIT_IN_YEAR_SQL = f"SELECT {UNIT_COLUMNS} FROM units WHERE code = ? AND valid_in_year(valid_from, valid_to, ?)"
LATEST_UNIT_SQL = f"SELECT {UNIT_COLUMNS} FROM units WHERE code = ? ORDER BY valid_from DESC NULLS LAST LIMIT 1"
UNIT_BY_ID_SQL = f"SELECT {UNIT_COLUMNS} FROM units WHERE id = ?"
UNIT_VERSIONS_SQL = f"SELECT {UNIT_COLUMNS} FROM units WHERE code = ? ORDER BY valid_from NULLS FIRST"
UNITS_SQL = f"""
SELECT {UNIT_COLUMNS} FROM units
WHERE $year IS NULL OR valid_in_year(valid_from, valid_to, $year) ORDER BY level, code
"""
# The units of a level in force in a year that a dissolved unit's area went to: its own successors, or
# (for a district) its communes' successors.
SUCCESSORS_IN_YEAR_SQL = """
SELECT DISTINCT t.code, t.parent_code FROM units f
JOIN unit_lineage l ON l.from_unit_id = f.id
JOIN units t ON t.id = l.to_unit_id
WHERE (f.code = $code OR f.parent_code = $code) AND t.level = $level
  AND valid_in_year(t.valid_from, t.valid_to, $year)
ORDER BY 1
"""

RANKED_LEVELS = ("district", "commune")  # the levels whose units are scored and ranked
PARENT_LEVEL = {"district": "province", "commune": "district"}  # before the 2025 reform
PARENT_LEVELS = {"district": ("province",), "commune": ("district", "province")}  # any year
LEVEL_LABELS = {"province": "Cấp tỉnh", "district": "Cấp huyện", "commune": "Cấp xã"}  # as a choice
LEVEL_WORDS = {level: label.lower() for level, label in LEVEL_LABELS.items()}  # inside a sentence


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    level: str
    parent_code: str | None
    id: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def valid_in(self, year: int) -> bool:
        """In force on 31 December of the year: the store's macro valid_in_year for a unit already read, so
        that a file's rows need no query each (tests/test_reform.py checks both agree on the register)."""
        last_day = dt.date(year, 12, 31)
        return (self.valid_from is None or self.valid_from <= last_day) and (
            self.valid_to is None or self.valid_to >= last_day
        )


def get_unit(con: duckdb.DuckDBPyConnection, unit_code: str, year: int | None = None) -> Unit:
    unit = find_unit(con, unit_code, year)
    if unit is not None:
        return unit
    versions = unit_versions(con, unit_code)
    if versions and year is not None:
        raise NotFoundError(f"Mã {unit_code} không ứng với đơn vị nào năm {year} ({validity_words(versions)}).")
    raise NotFoundError(f"Không có đơn vị mã '{unit_code}' trong kho dữ liệu.")


def find_unit(con: duckdb.DuckDBPyConnection, unit_code: str | None, year: int | None = None) -> Unit | None:
    """The version of the unit with this code in force in `year` (its latest version without a year),
    or None when the store has none (or no code is given)."""
    if not unit_code:
        return None
    cursor = (
        con.execute(LATEST_UNIT_SQL, [unit_code]) if year is None else con.execute(UNIT_IN_YEAR_SQL, [unit_code, year])
    )
    row = cursor.fetchone()
    return None if row is None else Unit(*row)


def unit_by_id(con: duckdb.DuckDBPyConnection, unit_id: str) -> Unit | None:
    row = con.execute(UNIT_BY_ID_SQL, [unit_id]).fetchone()
    return None if row is None else Unit(*row)


def unit_versions(con: duckdb.DuckDBPyConnection, unit_code: str) -> list[Unit]:
    """Every version of a code, oldest first."""
    return [Unit(*row) for row in con.execute(UNIT_VERSIONS_SQL, [unit_code]).fetchall()]


def validity_words(versions: list[Unit]) -> str:
    """'Huyện Bảo Lâm đến 30/6/2025' / 'Xã Bảo Lâm từ 01/7/2025', the periods of a code's versions."""
    return "; ".join(f"{unit.name} {period_words(unit)}" for unit in versions)


def period_words(unit: Unit) -> str:
    if unit.valid_from and unit.valid_to:
        return f"từ {fmt_day(unit.valid_from)} đến {fmt_day(unit.valid_to)}"
    if unit.valid_from:
        return f"từ {fmt_day(unit.valid_from)}"
    return f"đến {fmt_day(unit.valid_to)}" if unit.valid_to else "không giới hạn thời gian"


def fmt_day(day: dt.date) -> str:
    """01/7/2025: the day with two digits, the month without a leading zero, as Vietnamese documents write it."""
    return f"{day.day:02d}/{day.month}/{day.year}"


def unit_name(con: duckdb.DuckDBPyConnection, unit_code: str, year: int | None = None) -> str:
    """The unit's registered name in the year (its latest without one); its code when the store does not know it."""
    unit = find_unit(con, unit_code, year)
    return unit_code if unit is None else unit.name


def all_units(con: duckdb.DuckDBPyConnection, year: int | None = None) -> pd.DataFrame:
    """Every unit version of the register in force in the year (every version without one):
    code, name, level, parent_code, id, valid_from, valid_to."""
    return con.execute(UNITS_SQL, {"year": year}).df()


def home_unit(con: duckdb.DuckDBPyConnection, year: int | None = None) -> Unit | None:
    """The unit the dashboard is for (settings.home_unit_code) as in force in the year, or None when this
    store lacks it (or it did not exist that year)."""
    return find_unit(con, settings.home_unit_code(), year)


def default_parent(level: str, home: Unit | None) -> str | None:
    """The scope a level is shown in by default: the home unit's parent at its own level (its peers),
    the home unit itself one level up (its communes, its districts); else every parent (None)."""
    if home is not None and home.level == level:
        return home.parent_code
    if home is not None and home.level in PARENT_LEVELS.get(level, ()):
        return home.code
    return None


def default_parent_in(con: duckdb.DuckDBPyConnection, level: str, year: int) -> str | None:
    """default_parent of the home unit as in force in the year; for a year after the home unit was
    dissolved (Huyện Bảo Lâm in 2025), the scope its area went to (the communes of Cao Bằng)."""
    home = home_unit(con, year)
    if home is not None:
        return default_parent(level, home)
    parents = {parent for _, parent in home_successors(con, level, year)}
    return parents.pop() if len(parents) == 1 else None


def home_successors(con: duckdb.DuckDBPyConnection, level: str, year: int) -> list[tuple[str, str | None]]:
    """(code, parent) of the units of a level in force in the year that the home unit's area went to."""
    params = {"code": settings.home_unit_code(), "level": level, "year": year}
    return [(code, parent) for code, parent in con.execute(SUCCESSORS_IN_YEAR_SQL, params).fetchall()]


def default_unit_in(con: duckdb.DuckDBPyConnection, level: str, year: int) -> str | None:
    """The unit a level shows by default in the year: the home unit, or after it was dissolved the first
    unit its area went to (Xã Bảo Lâm for Huyện Bảo Lâm in 2025); None when neither is of the level."""
    home = home_unit(con, year)
    if home is not None:
        return home.code if home.level == level else None
    successors = home_successors(con, level, year)
    return successors[0][0] if successors else None


def offered_years(con: duckdb.DuckDBPyConnection, level: str) -> list[int]:
    """The years whose default scope (default_parent_in) has data, oldest first."""
    return [
        year
        for year in years_with_data(con, level)
        if scalar(con, HAS_SCORES_SQL, {"year": year, "level": level, "parent": default_parent_in(con, level, year)})
    ]


def default_year(con: duckdb.DuckDBPyConnection, level: str, offered: list[int] | None = None) -> int | None:
    """The year a level opens on: the latest offered year in which the home unit itself exists (2020 for
    Huyện Bảo Lâm, whose area only has commune results after 2025), else the latest offered year.
    `offered`: offered_years, when the caller has them already."""
    years = offered_years(con, level) if offered is None else offered
    own = [year for year in years if home_unit(con, year) is not None]
    return (own or years)[-1] if years else None


def require_year(con: duckdb.DuckDBPyConnection, year: int, level: str, parent: str | None = None) -> None:
    """Raise NotFoundError naming the years that do have data, if `year` has none."""
    years = years_with_data(con, level, parent)
    if year not in years:
        have = ", ".join(map(str, years)) if years else "chưa có năm nào"
        raise NotFoundError(
            f"Không có dữ liệu {_scope_words(con, level, parent, year)} năm {year} (các năm có dữ liệu: {have})."
        )


def latest_year(con: duckdb.DuckDBPyConnection, level: str, parent: str | None = None) -> int:
    years = years_with_data(con, level, parent)
    if not years:
        raise NotFoundError(f"Chưa có dữ liệu {_scope_words(con, level, parent)} trong kho.")
    return years[-1]


def _scope_words(con: duckdb.DuckDBPyConnection, level: str, parent: str | None, year: int | None = None) -> str:
    """'cấp xã của Huyện Bảo Lạc', or just 'cấp huyện' when every parent is meant."""
    return scope_words(con, level, parent, year) if level == "commune" else LEVEL_WORDS.get(level, level)


def scope_words(con: duckdb.DuckDBPyConnection, level: str, parent: str | None, year: int | None = None) -> str:
    """'cấp huyện của Tỉnh Cao Bằng', 'cấp xã của Huyện Bảo Lâm': the units a chart compares, for its title."""
    words = LEVEL_WORDS.get(level, level)
    parent_unit = find_unit(con, parent, year)
    return f"{words} của {parent_unit.name}" if parent_unit else words


def own_and_peer_totals(con: duckdb.DuckDBPyConnection, year: int, unit: Unit) -> tuple[float, pd.DataFrame]:
    """(the unit's total, the other units' unit_code/total) in the unit's level and parent that year."""
    totals = unit_totals(con, year, unit.level, unit.parent_code)  # the scope of the unit's version
    own = totals[totals.unit_code == unit.code]
    if own.empty:
        raise NotFoundError(f"{unit.name} chưa có dữ liệu năm {year}.")
    others = totals[totals.unit_code != unit.code][["unit_code", "total"]].reset_index(drop=True)
    return float(own.total.iloc[0]), others
