"""Totals and rankings: any year, level and parent, from whatever depth of the tree the data has."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import numpy as np
import pandas as pd

# The criteria set in force for a level and year: the latest one starting on or before it.
CRITERIA_SET_SQL = """
    SELECT code FROM criteria_sets
    WHERE level = ? AND year_from <= ?
    ORDER BY year_from DESC LIMIT 1
"""

# The rows that count for every unit in scope: the lowest scored rows of the tree. A row
# with a scored descendant is dropped, so a level given twice (criteria and their field
# total) is never counted twice, and a unit with only field points or only a total still
# counts. Parameters: $set, $year, $level, $parent (NULL = any parent).
LOWEST_CTES = """
WITH RECURSIVE
tree(ancestor, descendant) AS (
    SELECT code, code FROM criteria WHERE set_code = $set
    UNION ALL
    SELECT t.ancestor, c.code
    FROM tree t JOIN criteria c ON c.set_code = $set AND c.parent_code = t.descendant
),
scored AS (
    SELECT s.unit_code, s.criterion_code, s.points, s.is_demo
    FROM scores s JOIN units u ON u.code = s.unit_code
    WHERE s.year = $year AND u.level = $level AND ($parent IS NULL OR u.parent_code = $parent)
      AND s.criterion_code IN (SELECT descendant FROM tree)
),
has_deeper AS (
    SELECT DISTINCT s.unit_code, t.ancestor AS criterion_code
    FROM scored s JOIN tree t ON t.descendant = s.criterion_code AND t.ancestor <> t.descendant
),
lowest AS (
    SELECT * FROM scored ANTI JOIN has_deeper USING (unit_code, criterion_code)
)
"""

# The scored rows that count, per unit: the nodes a plan or a what-if can move.
LOWEST_NODES_SQL = LOWEST_CTES + "SELECT unit_code, criterion_code, points, is_demo FROM lowest"

# Value of every tree node for every unit in scope: the sum of the lowest scored rows at or
# below it (rounded to 6 decimals only to drop binary noise such as 73.78999999999999).
NODE_VALUES_SQL = LOWEST_CTES + """
SELECT l.unit_code, t.ancestor AS criterion_code, round(sum(l.points), 6) AS value, bool_or(l.is_demo) AS is_demo
FROM lowest l JOIN tree t ON t.descendant = l.criterion_code
GROUP BY l.unit_code, t.ancestor
"""

TOTALS_SQL = f"""
WITH nodes AS ({NODE_VALUES_SQL})
SELECT unit_code, value AS total, is_demo FROM nodes
WHERE criterion_code = (SELECT code FROM criteria WHERE set_code = $set AND parent_code IS NULL)
"""

# Totals of every unit in scope for several years at once, each year with its own criteria
# set: the same lowest-rows rule as LOWEST_CTES, keyed by year. Parameters: $years, $sets
# (lists of equal length), $level, $parent.
TOTALS_BY_YEAR_SQL = """
WITH RECURSIVE
year_set(year, set_code) AS (SELECT unnest($years), unnest($sets)),
tree(set_code, ancestor, descendant) AS (
    SELECT set_code, code, code FROM criteria WHERE set_code IN (SELECT set_code FROM year_set)
    UNION ALL
    SELECT t.set_code, t.ancestor, c.code
    FROM tree t JOIN criteria c ON c.set_code = t.set_code AND c.parent_code = t.descendant
),
scored AS (
    SELECT s.year, y.set_code, s.unit_code, s.criterion_code, s.points, s.is_demo
    FROM scores s JOIN units u ON u.code = s.unit_code JOIN year_set y ON y.year = s.year
    WHERE u.level = $level AND ($parent IS NULL OR u.parent_code = $parent)
      AND (y.set_code, s.criterion_code) IN (SELECT set_code, descendant FROM tree)
),
has_deeper AS (
    SELECT DISTINCT s.year, s.unit_code, t.ancestor AS criterion_code
    FROM scored s JOIN tree t ON t.set_code = s.set_code AND t.descendant = s.criterion_code
                             AND t.ancestor <> t.descendant
),
lowest AS (
    SELECT * FROM scored ANTI JOIN has_deeper USING (year, unit_code, criterion_code)
)
SELECT l.year, l.unit_code, round(sum(l.points), 6) AS total, bool_or(l.is_demo) AS is_demo
FROM lowest l
JOIN tree t ON t.set_code = l.set_code AND t.descendant = l.criterion_code
JOIN criteria root ON root.set_code = t.set_code AND root.code = t.ancestor AND root.parent_code IS NULL
GROUP BY l.year, l.unit_code
"""

UNITS_IN_SCOPE_SQL = """
SELECT code AS unit_code, name AS unit_name FROM units
WHERE level = $level AND ($parent IS NULL OR parent_code = $parent)
  AND (valid_from IS NULL OR year(valid_from) <= $year)
  AND (valid_to IS NULL OR year(valid_to) >= $year)
"""

UNIT_NAMES_SQL = "SELECT code AS unit_code, name AS unit_name FROM units WHERE code IN (SELECT unnest(?))"
BANDS_SQL = "SELECT code, name, min_pct FROM bands WHERE set_code = ? ORDER BY min_pct DESC"
ROOT_SQL = "SELECT code, max_points FROM criteria WHERE set_code = ? AND parent_code IS NULL"
PREVIOUS_YEAR_SQL = """
SELECT max(s.year) FROM scores s JOIN units u ON u.code = s.unit_code
WHERE s.year < ? AND u.level = ? AND (? IS NULL OR u.parent_code = ?)
"""
YEARS_SQL = """
SELECT DISTINCT s.year FROM scores s JOIN units u ON u.code = s.unit_code
WHERE u.level = ? AND (? IS NULL OR u.parent_code = ?) ORDER BY s.year
"""

RANKING_COLUMNS = ["unit_code", "unit_name", "total", "rank", "rank_of", "delta_total", "delta_rank",
                   "band", "band_code", "pct", "has_data", "is_demo", "total_previous", "rank_previous"]


def criteria_set_for(con: duckdb.DuckDBPyConnection, level: str, year: int) -> str | None:
    row = con.execute(CRITERIA_SET_SQL, [level, year]).fetchone()
    return row[0] if row else None


def years_with_data(con: duckdb.DuckDBPyConnection, level: str, parent: str | None = None) -> list[int]:
    return [r[0] for r in con.execute(YEARS_SQL, [level, parent, parent]).fetchall()]


def previous_year(con, year: int, level: str, parent: str | None = None) -> int | None:
    return con.execute(PREVIOUS_YEAR_SQL, [year, level, parent, parent]).fetchone()[0]


def node_values(con: duckdb.DuckDBPyConnection, year: int, level: str, parent: str | None = None) -> pd.DataFrame:
    """unit_code, criterion_code, value, is_demo for every node with data."""
    set_code = criteria_set_for(con, level, year)
    params = {"set": set_code, "year": year, "level": level, "parent": parent}
    return con.execute(NODE_VALUES_SQL, params).df()


def unit_totals(con: duckdb.DuckDBPyConnection, year: int, level: str, parent: str | None = None) -> pd.DataFrame:
    """unit_code, total, is_demo for the units in scope that have data that year."""
    set_code = criteria_set_for(con, level, year)
    params = {"set": set_code, "year": year, "level": level, "parent": parent}
    return con.execute(TOTALS_SQL, params).df()


def totals_by_year(con: duckdb.DuckDBPyConnection, years: list[int], level: str,
                   parent: str | None = None) -> pd.DataFrame:
    """year, unit_code, total, is_demo for the units in scope with data, over several years at once."""
    sets = [criteria_set_for(con, level, year) for year in years]
    params = {"years": list(years), "sets": sets, "level": level, "parent": parent}
    return con.execute(TOTALS_BY_YEAR_SQL, params).df()


def lowest_nodes(con: duckdb.DuckDBPyConnection, year: int, level: str, parent: str | None = None) -> pd.DataFrame:
    """unit_code, criterion_code, points, is_demo: the scored rows that make up each unit's total."""
    set_code = criteria_set_for(con, level, year)
    params = {"set": set_code, "year": year, "level": level, "parent": parent}
    return con.execute(LOWEST_NODES_SQL, params).df()


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
    ordered = others.assign(_rounded=others["total"].round(2))
    ordered = ordered.sort_values(["_rounded", "unit_code"], ascending=[False, True])
    return ordered.drop(columns="_rounded").iloc[rank - 1]


def competition_rank(totals: pd.Series) -> pd.Series:
    """Rank "1, 2, 2, 4" on totals rounded to two decimals (NaN stays unranked)."""
    return totals.round(2).rank(method="min", ascending=False).astype("Int64")


def band_for(pct: float | None, bands: list[tuple[str, str, float]]) -> tuple[str | None, str | None]:
    """(code, name) of the band whose lower bound is the highest one not above pct."""
    if pct is None or pd.isna(pct):
        return None, None
    for code, name, min_pct in bands:  # sorted by min_pct descending
        if round(pct, 6) >= min_pct:
            return code, name
    return None, None


def unit_names(con: duckdb.DuckDBPyConnection, codes) -> pd.DataFrame:
    """unit_code, unit_name of the given codes only (a national store has ten thousand units)."""
    return con.execute(UNIT_NAMES_SQL, [list(codes)]).df()


def _with_names(con, totals: pd.DataFrame, scope: pd.DataFrame) -> pd.DataFrame:
    """totals with unit_name: from the scope already read, else (a unit outside its validity dates
    that still has data) from the units table."""
    with_data = totals.merge(scope, on="unit_code", how="left")
    unnamed = with_data.unit_name.isna()
    if unnamed.any():
        names = unit_names(con, with_data.unit_code[unnamed])
        with_data.loc[unnamed, "unit_name"] = with_data.unit_code[unnamed].map(
            dict(zip(names.unit_code, names.unit_name)))
    return with_data


def ranked_year(con, year: int, level: str, parent: str | None = None,
                totals: pd.DataFrame | None = None) -> pd.DataFrame:
    """unit_code, unit_name, total, is_demo, has_data, rank, rank_of for one year (no comparison).

    `totals` (unit_code, total, is_demo), when the caller already read them, saves the query.
    """
    scope = con.execute(UNITS_IN_SCOPE_SQL, {"year": year, "level": level, "parent": parent}).df()
    totals = unit_totals(con, year, level, parent) if totals is None else totals
    with_data = _with_names(con, totals, scope)
    # a set, not Series.isin: isin on pandas' Arrow strings builds a pyarrow scalar per value
    with_totals = set(totals.unit_code.tolist())
    without_data = scope[pd.Series([code not in with_totals for code in scope.unit_code.tolist()],
                                   index=scope.index, dtype=bool)]
    frame = pd.concat([with_data, without_data], ignore_index=True)
    frame["has_data"] = frame["total"].notna()
    frame["rank"] = competition_rank(frame["total"])
    frame["rank_of"] = int(frame["has_data"].sum())
    return frame


def _totals_of(by_year: pd.DataFrame, year: int) -> pd.DataFrame:
    """One year's rows of totals_by_year, shaped like unit_totals (unit_code, total, is_demo)."""
    return by_year[by_year.year == year][["unit_code", "total", "is_demo"]].reset_index(drop=True)


def rankings(con: duckdb.DuckDBPyConnection, year: int, level: str = "district",
             parent: str | None = None) -> pd.DataFrame:
    """One row per unit in scope: total, rank of N, change against the previous year with data, band.

    delta_rank is places gained: rank_previous - rank (so falling from 7th to 9th is -2).
    Units without data that year are listed with has_data False and no rank.
    """
    prev_year = previous_year(con, year, level, parent)
    years = [year] if prev_year is None else [year, prev_year]
    by_year = totals_by_year(con, years, level, parent)  # both years in one query
    frame = ranked_year(con, year, level, parent, _totals_of(by_year, year))
    if prev_year is not None:
        prev = ranked_year(con, prev_year, level, parent, _totals_of(by_year, prev_year))
        prev = prev[["unit_code", "total", "rank"]]
        frame = frame.merge(prev.rename(columns={"total": "total_previous", "rank": "rank_previous"}),
                            on="unit_code", how="left")
    else:
        frame["total_previous"] = float("nan")
        frame["rank_previous"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    frame["delta_total"] = (frame["total"] - frame["total_previous"]).round(2)
    frame["delta_rank"] = (frame["rank_previous"] - frame["rank"]).astype("Int64")
    _add_bands(con, frame, level, year)
    frame["is_demo"] = frame["is_demo"].fillna(False).astype(bool)
    frame.attrs["previous_year"] = prev_year
    order = frame.sort_values(["rank", "unit_code"], na_position="last").reset_index(drop=True)
    return order[RANKING_COLUMNS]


def add_bands(con, frame: pd.DataFrame, level: str, year: int) -> None:
    """Set pct, band_code and band on `frame` from its `total`, with the bands of the set in force."""
    _add_bands(con, frame, level, year)


def _add_bands(con, frame: pd.DataFrame, level: str, year: int) -> None:
    set_code = criteria_set_for(con, level, year)
    root = con.execute(ROOT_SQL, [set_code]).fetchone()
    bands = con.execute(BANDS_SQL, [set_code]).fetchall()
    frame["pct"] = frame["total"] / root[1] * 100 if root else float("nan")
    pairs = [band_for(p, bands) for p in frame["pct"]]
    frame["band_code"] = [c for c, _ in pairs]
    frame["band"] = [n for _, n in pairs]


_ranked_year = ranked_year  # the foundation's name, kept for callers written against it
