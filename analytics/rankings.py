"""Totals and rankings: any year, level and parent, from whatever depth of the tree the data has."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import numpy as np
import pandas as pd

from analytics.sql import scalar

# The criteria set in force for a level and year: the store's macro set_in_force (schema.py).
CRITERIA_SET_SQL = "SELECT set_in_force(?, ?)"

# Totals of every unit in scope for one or several years, each year with the criteria set in
# force that year. A total counts the lowest scored rows of the tree: a row with a scored
# descendant is dropped, so a level given twice (criteria and their field total) is never
# counted twice, and a unit with only field points or only a total still counts. Only rows on
# inner nodes (a field, the total) can have a scored descendant, and they are few: leaf rows are
# summed in one pass, inner rows are checked apart. That keeps the rule cheap on millions of rows.
# analytics/nodes.py applies the same rule to one scope's rows in Python (tests/test_nodes.py
# checks both agree).
# The units in scope are the versions in force each year (the store's macro valid_in_year), so a
# code reused by the 2025 reform counts for the unit it named that year. The rows are read by code
# (a one-column filter DuckDB pushes into the scan) and each (year, unit) total is kept only if a
# version of the scope was in force that year: a check on thousands of totals, not millions of rows.
# Parameters: $years, $level, $parent (NULL = any parent).
TOTALS_BY_YEAR_CTES = """
WITH RECURSIVE
year_set(year, set_code) AS (
    SELECT y.year, set_in_force($level, y.year)
    FROM (SELECT DISTINCT unnest($years) AS year) y
),
scope_units AS MATERIALIZED (
    SELECT y.year, u.code FROM year_set y
    JOIN units u ON valid_in_year(u.valid_from, u.valid_to, y.year)
    WHERE u.level = $level AND ($parent IS NULL OR u.parent_code = $parent)
),
scope_codes AS MATERIALIZED (
    SELECT DISTINCT code FROM units WHERE level = $level AND ($parent IS NULL OR parent_code = $parent)
),
walk(set_code, code, path) AS (
    SELECT set_code, code, [code] FROM criteria
    WHERE set_code IN (SELECT set_code FROM year_set) AND parent_code IS NULL
    UNION ALL
    SELECT w.set_code, c.code, list_append(w.path, c.code)
    FROM walk w JOIN criteria c ON c.set_code = w.set_code AND c.parent_code = w.code
),
tree AS (SELECT set_code, unnest(path) AS ancestor, code AS descendant FROM walk),
set_nodes AS (
    SELECT y.year, w.set_code, w.code,
           (w.set_code, w.code) IN (SELECT set_code, parent_code FROM criteria WHERE parent_code IS NOT NULL)
           AS is_inner
    FROM walk w JOIN year_set y ON y.set_code = w.set_code
),
leaf_sums AS (
    SELECT s.year, s.unit_code, sum(s.points) AS points, bool_or(s.is_demo) AS is_demo
    FROM scores s JOIN set_nodes n ON n.year = s.year AND n.code = s.criterion_code AND NOT n.is_inner
    WHERE s.year IN (SELECT year FROM year_set)
      AND s.unit_code IN (SELECT code FROM scope_codes)
    GROUP BY s.year, s.unit_code
),
inner_rows AS MATERIALIZED (
    SELECT s.year, n.set_code, s.unit_code, s.criterion_code, s.points, s.is_demo
    FROM scores s JOIN set_nodes n ON n.year = s.year AND n.code = s.criterion_code AND n.is_inner
    WHERE s.year IN (SELECT year FROM year_set)
      AND s.unit_code IN (SELECT code FROM scope_codes)
),
overridden AS (
    SELECT DISTINCT i.year, i.unit_code, i.criterion_code
    FROM inner_rows i
    JOIN tree t ON t.set_code = i.set_code AND t.ancestor = i.criterion_code AND t.descendant <> t.ancestor
    JOIN scores d ON d.year = i.year AND d.unit_code = i.unit_code AND d.criterion_code = t.descendant
),
counted_inner AS (
    SELECT year, unit_code, sum(points) AS points, bool_or(is_demo) AS is_demo
    FROM inner_rows ANTI JOIN overridden USING (year, unit_code, criterion_code)
    GROUP BY year, unit_code
),
summed AS (
    SELECT year, unit_code, round(sum(points), 6) AS total, bool_or(is_demo) AS is_demo
    FROM (SELECT * FROM leaf_sums UNION ALL SELECT * FROM counted_inner)
    GROUP BY year, unit_code
),
totals AS (SELECT * FROM summed SEMI JOIN scope_units u ON u.year = summed.year AND u.code = summed.unit_code)
"""

TOTALS_BY_YEAR_SQL = TOTALS_BY_YEAR_CTES + "SELECT year, unit_code, total, is_demo FROM totals"

# For each year shown ($shown) and the year it is compared with ($previous, same order; NULL for
# none): one row per unit version of the scope in force in either year, with its total that year
# and the year before (NULL without data or when the version was not in force then), ordered by
# year and code. `listed` (in force in the year shown) says which rows the ranking shows; the
# others only rank the year before. A code reused for another unit is thus never compared with
# the unit it named before. $years lists every year of both lists.
RANKING_ROWS_SQL = (
    TOTALS_BY_YEAR_CTES
    + """,
pairs AS (SELECT unnest($shown) AS year, unnest($previous) AS previous),
versions AS (
    SELECT p.year, p.previous, u.code, u.name,
           valid_in_year(u.valid_from, u.valid_to, p.year) AS listed,
           p.previous IS NOT NULL AND valid_in_year(u.valid_from, u.valid_to, p.previous) AS was_in_force
    FROM pairs p
    JOIN units u ON u.level = $level AND ($parent IS NULL OR u.parent_code = $parent)
),
rows AS (
    SELECT v.year, v.code AS unit_code, v.name AS unit_name, cur.total, coalesce(cur.is_demo, false) AS is_demo,
           prev.total AS total_previous, v.listed
    FROM versions v
    LEFT JOIN totals cur ON v.listed AND cur.year = v.year AND cur.unit_code = v.code
    LEFT JOIN totals prev ON v.was_in_force AND prev.year = v.previous AND prev.unit_code = v.code
    WHERE v.listed OR v.was_in_force
)
SELECT * FROM rows WHERE listed OR total_previous IS NOT NULL ORDER BY year, unit_code
"""
)

# The names of codes as in force in a year (NULL: each code's latest version).
UNIT_NAMES_SQL = """
SELECT code AS unit_code, arg_max(name, coalesce(valid_from, DATE '0001-01-01')) AS unit_name FROM units
WHERE code IN (SELECT unnest($codes)) AND ($year IS NULL OR valid_in_year(valid_from, valid_to, $year))
GROUP BY code
"""
# The version (id, name) each code names in each year.
UNIT_VERSIONS_IN_YEARS_SQL = """
SELECT y.year, u.code AS unit_code, u.id AS unit_id, u.name AS unit_name
FROM (SELECT DISTINCT unnest($years) AS year) y
JOIN units u ON valid_in_year(u.valid_from, u.valid_to, y.year)
WHERE u.code IN (SELECT unnest($codes))
"""
BANDS_SQL = "SELECT code, name, min_pct FROM bands WHERE set_code = ? ORDER BY min_pct DESC"
ROOT_SQL = "SELECT code, max_points FROM criteria WHERE set_code = ? AND parent_code IS NULL"
YEARS_BEFORE_SQL = "SELECT DISTINCT year FROM scores WHERE year < ? ORDER BY year DESC"
# EXISTS stops at the first matching row, where max(year) over a join would read every score.
HAS_SCORES_SQL = """
SELECT EXISTS (SELECT 1 FROM scores WHERE year = $year AND unit_code IN (
    SELECT code FROM units WHERE level = $level AND ($parent IS NULL OR parent_code = $parent)
    AND valid_in_year(valid_from, valid_to, $year)))
"""
YEARS_SQL = """
SELECT DISTINCT s.year FROM scores s
JOIN units u ON u.code = s.unit_code AND valid_in_year(u.valid_from, u.valid_to, s.year)
WHERE u.level = ? AND (? IS NULL OR u.parent_code = ?) ORDER BY s.year
"""

RANKING_COLUMNS = [
    "unit_code",
    "unit_name",
    "total",
    "rank",
    "rank_of",
    "delta_total",
    "delta_rank",
    "band",
    "band_code",
    "pct",
    "has_data",
    "is_demo",
    "total_previous",
    "rank_previous",
]


def criteria_set_for(con: duckdb.DuckDBPyConnection, level: str, year: int) -> str | None:
    return scalar(con, CRITERIA_SET_SQL, [level, year])


def band_names(con: duckdb.DuckDBPyConnection, level: str, year: int) -> list[str]:
    """The band names of the criteria set in force for the level that year, best first."""
    return [name for _, name, _ in con.execute(BANDS_SQL, [criteria_set_for(con, level, year)]).fetchall()]


def years_with_data(con: duckdb.DuckDBPyConnection, level: str, parent: str | None = None) -> list[int]:
    return [r[0] for r in con.execute(YEARS_SQL, [level, parent, parent]).fetchall()]


def previous_year(con, year: int, level: str, parent: str | None = None) -> int | None:
    """The latest year before `year` with scores for the level and parent, or None."""
    for (candidate,) in con.execute(YEARS_BEFORE_SQL, [year]).fetchall():
        params = {"year": candidate, "level": level, "parent": parent}
        if con.execute(HAS_SCORES_SQL, params).fetchone()[0]:
            return candidate
    return None


def unit_totals(con: duckdb.DuckDBPyConnection, year: int, level: str, parent: str | None = None) -> pd.DataFrame:
    """unit_code, total, is_demo for the units in scope that have data that year."""
    return totals_by_year(con, [year], level, parent).drop(columns="year")


def totals_by_year(
    con: duckdb.DuckDBPyConnection, years: list[int], level: str, parent: str | None = None
) -> pd.DataFrame:
    """year, unit_code, total, is_demo for the units in scope with data, over several years at once."""
    params = {"years": list(years), "level": level, "parent": parent}
    return con.execute(TOTALS_BY_YEAR_SQL, params).df()


def round_total(value: float) -> float:
    """A total rounded to two decimals exactly as competition_rank rounds it (numpy's rounding)."""
    return float(np.round(float(value), 2))


def rank_among(others: Iterable[float], total: float) -> int:
    """Competition rank a total would get among the others' totals (all rounded to two decimals)."""
    mine = round_total(total)
    return 1 + sum(1 for other in others if round_total(other) > mine)


def holder_of_rank(others: pd.DataFrame, rank: int) -> pd.Series | None:
    """The row of `others` (unit_code, total) at position `rank` when sorted best first, or None.

    Its rounded total is what a unit must reach to hold that rank: with competition ranking a
    unit is ranked R or better exactly when fewer than R others have a strictly higher total.
    """
    if rank < 1 or rank > len(others):
        return None
    rounded = others["total"].round(2).tolist()  # numpy's rounding, as competition_rank
    codes = others["unit_code"].tolist()
    best_first = sorted(range(len(codes)), key=lambda i: (-rounded[i], codes[i]))
    return others.iloc[best_first[rank - 1]]


def competition_rank(totals: pd.Series) -> pd.Series:
    """Rank "1, 2, 2, 4" on totals rounded to two decimals (NaN stays unranked)."""
    return totals.round(2).rank(method="min", ascending=False).astype("Int64")


def bands_of(pcts: pd.Series, bands: list[tuple[str, str, float]]) -> tuple[list, list]:
    """For each pct: (codes, names) of the band whose lower bound is the highest one not above
    it (pct rounded to 6 decimals first, so 79,9999999 is 80); None where none applies.
    `bands` are sorted by min_pct descending."""
    rounded = pcts.astype(float).round(6).to_numpy()
    position = np.full(len(rounded), -1)
    for index in range(len(bands) - 1, -1, -1):  # the highest band that fits is written last
        position[rounded >= bands[index][2]] = index
    return ([bands[i][0] if i >= 0 else None for i in position], [bands[i][1] if i >= 0 else None for i in position])


def unit_names(con: duckdb.DuckDBPyConnection, codes, year: int | None = None) -> pd.DataFrame:
    """unit_code, unit_name of the given codes only (a national store has ten thousand units), as named
    in the year (each code's latest name without one)."""
    return con.execute(UNIT_NAMES_SQL, {"codes": list(codes), "year": year}).df()


def unit_versions_in_years(con: duckdb.DuckDBPyConnection, years, codes) -> pd.DataFrame:
    """year, unit_code, unit_id, unit_name: the version each code names in each year."""
    params = {"years": [int(y) for y in years], "codes": list(codes)}
    return con.execute(UNIT_VERSIONS_IN_YEARS_SQL, params).df()


def ranking_rows(con, previous: dict[int, int | None], level: str, parent: str | None = None) -> pd.DataFrame:
    """year, unit_code, unit_name, total, is_demo, total_previous, listed (see RANKING_ROWS_SQL) for
    each year shown (the keys of `previous`) against the year it maps to."""
    shown = list(previous)
    years = sorted(set(shown) | {p for p in previous.values() if p is not None})
    params = {
        "years": years,
        "shown": shown,
        "previous": [previous[y] for y in shown],
        "level": level,
        "parent": parent,
    }
    return con.execute(RANKING_ROWS_SQL, params).df()


def rankings(
    con: duckdb.DuckDBPyConnection, year: int, level: str = "district", parent: str | None = None
) -> pd.DataFrame:
    """One row per unit in scope: total, rank of N, change against the previous year with data, band.

    delta_rank is places gained: rank_previous - rank (so falling from 7th to 9th is -2).
    Units without data that year are listed with has_data False and no rank.
    """
    return _rankings(con, {year: previous_year(con, year, level, parent)}, level, parent)[year]


def rankings_by_year(
    con: duckdb.DuckDBPyConnection, years: list[int], level: str, parent: str | None = None
) -> dict[int, pd.DataFrame]:
    """rankings() of several years, from one totals query for them and the years before them."""
    with_data = years_with_data(con, level, parent)
    previous = {year: max((w for w in with_data if w < year), default=None) for year in years}
    return _rankings(con, previous, level, parent)


def _rankings(con, previous: dict[int, int | None], level: str, parent: str | None) -> dict[int, pd.DataFrame]:
    rows = ranking_rows(con, previous, level, parent)
    return {year: _ranked(con, rows[rows.year == year], level, year, previous[year]) for year in previous}


def _ranked(con, rows: pd.DataFrame, level: str, year: int, prev_year: int | None) -> pd.DataFrame:
    rows = rows.drop(columns="year")
    rows["rank_previous"] = competition_rank(rows["total_previous"])  # among every unit with data then
    frame = rows[rows["listed"]].drop(columns="listed").reset_index(drop=True)
    frame["has_data"] = frame["total"].notna()
    frame["rank"] = competition_rank(frame["total"])
    frame["rank_of"] = int(frame["has_data"].sum())
    frame["delta_total"] = (frame["total"] - frame["total_previous"]).round(2)
    frame["delta_rank"] = (frame["rank_previous"] - frame["rank"]).astype("Int64")
    _add_bands(con, frame, level, year)
    frame.attrs["previous_year"] = prev_year
    return _best_first(frame)[RANKING_COLUMNS]


def _best_first(frame: pd.DataFrame) -> pd.DataFrame:
    """Ordered by rank, unranked last; ties keep the code order the rows came in (a stable sort
    on the numbers alone: sorting Arrow strings costs more than the query on a national store)."""
    order = np.argsort(frame["rank"].to_numpy(dtype=float, na_value=np.inf), kind="stable")
    return frame.take(order).reset_index(drop=True)


def add_bands(con, frame: pd.DataFrame, level: str, year: int) -> None:
    """Set pct, band_code and band on `frame` from its `total`, with the bands of the set in force."""
    _add_bands(con, frame, level, year)


def _add_bands(con, frame: pd.DataFrame, level: str, year: int) -> None:
    set_code = criteria_set_for(con, level, year)
    root = con.execute(ROOT_SQL, [set_code]).fetchone()
    bands = con.execute(BANDS_SQL, [set_code]).fetchall()
    frame["pct"] = frame["total"] / root[1] * 100 if root else float("nan")
    codes, names = bands_of(frame["pct"], bands)
    frame["band_code"] = codes
    frame["band"] = names
