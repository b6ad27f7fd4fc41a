"""Communes of a district: bands per year, moves between bands, mean change, operational indicators."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from analytics.criteria import code_sort_key, require_set
from analytics.gaps import gaps
from analytics.rankings import add_bands, rankings
from analytics.scope import unit_name

LEVEL = "commune"

BAND_ORDER_SQL = "SELECT name, sort_order FROM bands WHERE set_code = ? ORDER BY sort_order"

INDICATORS_SQL = """
SELECT i.unit_code, u.name AS unit_name, i.indicator, coalesce(m.name, i.indicator) AS indicator_name,
       i.value, i.is_demo
FROM indicators i
JOIN units u ON u.code = i.unit_code AND valid_in_year(u.valid_from, u.valid_to, i.year)
LEFT JOIN measures m ON m.code = i.indicator
WHERE i.year = $year AND u.level = $level AND u.parent_code = $parent
ORDER BY i.unit_code, i.indicator
"""

UNIT_INDICATORS_SQL = """
SELECT i.indicator, coalesce(m.name, i.indicator) AS indicator_name, m.unit, i.value, i.is_demo, i.source
FROM indicators i LEFT JOIN measures m ON m.code = i.indicator
WHERE i.year = ? AND i.unit_code = ?
ORDER BY i.indicator
"""


INDICATOR_YEARS_SQL = """
SELECT DISTINCT i.year FROM indicators i
JOIN units u ON u.code = i.unit_code AND valid_in_year(u.valid_from, u.valid_to, i.year)
WHERE i.unit_code = $district OR u.parent_code = $district ORDER BY i.year
"""

TABLE_COLUMNS = [
    "unit_code",
    "unit_name",
    "total",
    "rank",
    "rank_of",
    "pct",
    "band",
    "band_previous",
    "delta_total",
    "has_data",
    "is_demo",
]


@dataclass(frozen=True)
class CommuneSummary:
    year: int
    previous_year: int | None
    band_counts: dict[str, int]
    band_count_changes: dict[str, int]
    mean_change: float | None
    members: dict[str, list[str]]
    moved_up: list[tuple[str, str, str, str]] = field(default_factory=list)
    moved_down: list[tuple[str, str, str, str]] = field(default_factory=list)


def band_order(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, int]:
    """Band name -> position, best first, for the commune criteria set in force that year."""
    return dict(con.execute(BAND_ORDER_SQL, [require_set(con, LEVEL, year)]).fetchall())


def commune_table(con: duckdb.DuckDBPyConnection, year: int, parent: str) -> pd.DataFrame:
    """Every commune of `parent`: total, rank, band, last year's band and the change in points."""
    frame = rankings(con, year, LEVEL, parent)
    prev = frame.attrs["previous_year"]
    if prev is None:
        frame["band_previous"] = None
    else:  # last year's band, from the previous totals the ranking already holds
        before = frame[["total_previous"]].rename(columns={"total_previous": "total"})
        add_bands(con, before, LEVEL, prev)
        frame["band_previous"] = before["band"].to_numpy()
    result = frame[TABLE_COLUMNS]
    result.attrs["previous_year"] = prev
    return result


def band_transitions(con: duckdb.DuckDBPyConnection, year_from: int, year_to: int, parent: str) -> pd.DataFrame:
    """band_from, band_to, count, unit_codes, unit_names for communes with a band in both years."""
    before = rankings(con, year_from, LEVEL, parent)[["unit_code", "band", "total"]]
    after = rankings(con, year_to, LEVEL, parent)[["unit_code", "unit_name", "band", "total"]]
    pairs = before.merge(after, on="unit_code", suffixes=("_from", "_to")).dropna(subset=["band_from", "band_to"])
    pairs = pairs.sort_values(["total_to", "unit_code"], ascending=[False, True])
    order = {**band_order(con, year_from), **band_order(con, year_to)}
    grouped = (
        pairs.groupby(["band_from", "band_to"], sort=False)
        .agg(count=("unit_code", "size"), unit_codes=("unit_code", list), unit_names=("unit_name", list))
        .reset_index()
    )
    grouped["_key"] = [(order.get(a, 99), order.get(b, 99)) for a, b in zip(grouped.band_from, grouped.band_to)]
    return grouped.sort_values("_key").drop(columns="_key").reset_index(drop=True)


def commune_summary(con: duckdb.DuckDBPyConnection, year: int, parent: str) -> CommuneSummary:
    """Band counts (best band first) and their change, mean change of totals, who moved up or down."""
    table = commune_table(con, year, parent)
    prev = table.attrs["previous_year"]
    order = band_order(con, year)
    ranked = table[table.has_data]
    counts = {name: int((ranked.band == name).sum()) for name in order}
    before = table.band_previous.dropna()
    changes = {name: counts[name] - int((before == name).sum()) for name in order} if prev else {}
    deltas = table.delta_total.dropna()
    return CommuneSummary(
        year=year,
        previous_year=prev,
        band_counts=counts,
        band_count_changes=changes,
        mean_change=float(deltas.mean()) if len(deltas) else None,
        members={name: ranked[ranked.band == name].unit_name.tolist() for name in order},
        moved_up=_moves(table, order, up=True),
        moved_down=_moves(table, order, up=False),
    )


def _moves(table: pd.DataFrame, order: dict[str, int], up: bool) -> list[tuple[str, str, str, str]]:
    both = table.dropna(subset=["band", "band_previous"])
    moved = []
    for row in both.itertuples():
        step = order.get(row.band_previous, 99) - order.get(row.band, 99)  # > 0: a better band now
        if (step > 0) if up else (step < 0):
            moved.append((row.unit_code, row.unit_name, row.band_previous, row.band))
    return moved


def indicator_table(con: duckdb.DuckDBPyConnection, year: int, parent: str) -> pd.DataFrame:
    """unit_code, unit_name, indicator, indicator_name, value, is_demo for the communes of `parent`."""
    return con.execute(INDICATORS_SQL, {"year": year, "level": LEVEL, "parent": parent}).df()


def unit_indicators_frame(con: duckdb.DuckDBPyConnection, year: int, unit_code: str) -> pd.DataFrame:
    """The unit's own indicators in the shape of indicator_table."""
    own = unit_indicators(con, year, unit_code)
    own.insert(0, "unit_name", unit_name(con, unit_code, year))
    own.insert(0, "unit_code", unit_code)
    return own[["unit_code", "unit_name", "indicator", "indicator_name", "value", "is_demo"]]


def district_indicators(con: duckdb.DuckDBPyConnection, year: int, district: str) -> pd.DataFrame:
    """A district's own operational indicators, then those of its communes."""
    communes = indicator_table(con, year, district)
    frames = [f for f in (unit_indicators_frame(con, year, district), communes) if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else communes


def indicator_years(con: duckdb.DuckDBPyConnection, district: str) -> list[int]:
    return [r[0] for r in con.execute(INDICATOR_YEARS_SQL, {"district": district}).fetchall()]


def communes_lacking(con: duckdb.DuckDBPyConnection, year: int, parent: str, indicator: str) -> pd.DataFrame:
    """Communes whose `indicator` is recorded as 0 (e.g. no e-one-stop system). Unrecorded is not lacking."""
    table = indicator_table(con, year, parent)
    lacking = table[(table.indicator == indicator) & (table.value <= 0)]
    return lacking[["unit_code", "unit_name", "value", "is_demo"]].reset_index(drop=True)


def unit_indicators(con: duckdb.DuckDBPyConnection, year: int, unit_code: str) -> pd.DataFrame:
    """indicator, indicator_name, unit, value, is_demo, source: a unit's own operational figures."""
    return con.execute(UNIT_INDICATORS_SQL, [year, unit_code]).df()


def commune_profile(con: duckdb.DuckDBPyConnection, year: int, unit_code: str) -> pd.DataFrame:
    """field_code, field_name, max_points, points, pct, mean_pct: a commune's fields against the mean
    of the communes of its district (itself included)."""
    fields = gaps(con, year, unit_code, "province-mean", depth=1).drop(columns="field_code")
    fields = fields.rename(
        columns={"criterion_code": "field_code", "criterion_name": "field_name", "reference_pct": "mean_pct"}
    )
    profile = fields[["field_code", "field_name", "max_points", "points", "pct", "mean_pct"]]
    return profile.sort_values("field_code", key=lambda codes: codes.map(code_sort_key)).reset_index(drop=True)
