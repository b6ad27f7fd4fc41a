"""The preview: what a file would add or change, per unit, and the rankings it would produce.

The rankings come from the real ranking code run inside a transaction that is always rolled
back, so the preview is exactly what the commit will show, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import cached_property, partial

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.importing.commit import INCOMING, incoming, write_rows
from analytics.importing.problems import ProblemList
from analytics.importing.rows import ScoreRows
from analytics.importing.validate import Parsed
from analytics.rankings import rankings_by_year, years_with_data
from analytics.transactions import trial

STATUS_NEW_YEAR = "Năm mới"
STATUS_NEW = "Thêm mới"
STATUS_REPLACED = "Thay thế"
STATUS_SAME = "Không đổi"
UNIT_COLUMNS = [
    "year",
    "unit_code",
    "unit_name",
    "status",
    "old_total",
    "new_total",
    "delta_total",
    "old_rank",
    "new_rank",
    "rank_of",
    "rows_added",
    "rows_changed",
    "rows_removed",
]
CHANGE_COLUMNS = ["year", "unit_code", "unit_name", "criterion_code", "old_points", "new_points"]
COUNT_COLUMNS = ["rows_added", "rows_changed", "rows_removed"]
# The (year, unit) pairs the file carries are registered as PAIRS, its rows as INCOMING; the
# scores added, changed or removed are the two sides of one full join, compared in SQL.
PAIRS = "preview_pairs"
CHANGES = "preview_changes"
CHANGES_SQL = f"""
    WITH old AS (SELECT s.year, s.unit_code, s.criterion_code, s.points FROM scores s
                 SEMI JOIN {PAIRS} p USING (year, unit_code)),
         new AS (SELECT n.year, n.unit_code, n.criterion_code, n.points FROM {INCOMING} n
                 SEMI JOIN {PAIRS} p USING (year, unit_code))
    SELECT d.year, d.unit_code, coalesce(u.name, d.unit_code) AS unit_name, d.criterion_code,
           d.old_points, d.new_points
    FROM (SELECT year, unit_code, criterion_code, old.points AS old_points, new.points AS new_points
          FROM old FULL OUTER JOIN new USING (year, unit_code, criterion_code)) d
    LEFT JOIN units u ON u.code = d.unit_code AND valid_in_year(u.valid_from, u.valid_to, d.year)
    WHERE d.old_points IS NULL OR d.new_points IS NULL OR abs(d.new_points - d.old_points) > 1e-9
    ORDER BY d.year, d.unit_code, d.criterion_code
"""
COUNTS_SQL = f"""
    SELECT year, unit_code, count(*) FILTER (old_points IS NULL) AS rows_added,
           count(*) FILTER (old_points IS NOT NULL AND new_points IS NOT NULL) AS rows_changed,
           count(*) FILTER (new_points IS NULL) AS rows_removed
    FROM {CHANGES} GROUP BY year, unit_code
"""
# The names of codes in one year: the unit version in force then (schema v5).
UNIT_NAMES_SQL = """
SELECT code, name FROM units WHERE code IN (SELECT unnest(?)) AND valid_in_year(valid_from, valid_to, ?)
"""
STORED_PAIRS_SQL = f"SELECT DISTINCT s.year, s.unit_code FROM scores s SEMI JOIN {PAIRS} p USING (year, unit_code)"


@dataclass
class Preview:
    units: pd.DataFrame  # UNIT_COLUMNS, one row per (year, unit) in the file
    changes_table: pa.Table  # CHANGE_COLUMNS, one row per score that is added, changed or removed
    rankings: dict[tuple[int, str, str], pd.DataFrame] = field(default_factory=dict)  # (year, level, parent)
    new_years: list[int] = field(default_factory=list)

    @cached_property
    def changes(self) -> pd.DataFrame:
        """changes_table as a DataFrame, built when first asked for (the CLI never shows it)."""
        return self.changes_table.to_pandas()

    @property
    def years(self) -> list[int]:
        return sorted({y for y, _, _ in self.rankings})


@dataclass
class Diff:
    changes: pa.Table  # CHANGE_COLUMNS
    counts: pd.DataFrame  # year, unit_code, rows_added, rows_changed, rows_removed (pairs with a change)
    stored: set[tuple[int, str]]  # the pairs of the file that have scores in the store now


def preview(
    con,
    parsed: Parsed,
    rows: ScoreRows,
    is_demo: bool,
    problems: ProblemList,
    write: Callable[[], object] | None = None,
) -> Preview:
    """Diff against the store and the rankings after the import; adds rank-column problems.

    Without `write` the rows are written inside a transaction that is rolled back. With it, the
    caller has opened the commit's own transaction and `write()` stores the rows for good: the
    rankings after are then read from what will be committed, and the rows are written once.
    """
    scopes = sorted(parsed.scopes)
    stored_years = {(lv, p): set(years_with_data(con, lv, p)) for lv, p in {(lv, p) for _, lv, p in scopes}}
    before = scope_rankings(con, [s for s in scopes if s[0] in stored_years[s[1:]]])
    new_years = sorted({y for y, lv, p in scopes if y not in stored_years[(lv, p)]})
    diff = _diff(con, rows, sorted(parsed.groups))
    with trial(con) if write is None else nullcontext():
        (write or partial(write_rows, con, rows, -1, is_demo, "xem trước", save_replaced=False))()
        after = scope_rankings(con, scopes)
    check_ranks(parsed, after, problems)
    return Preview(_unit_rows(parsed, diff, before, after, new_years), diff.changes, after, new_years)


# --- rankings: every year of a scope from one totals query -----------------------------------


def scope_rankings(con, scopes: list[tuple[int, str, str]]) -> dict[tuple[int, str, str], pd.DataFrame]:
    """rankings(con, year, level, parent) of every scope, the years of one level and parent together."""
    result = {}
    for level, parent in sorted({(lv, p) for _, lv, p in scopes}):
        years = [y for y, lv, p in scopes if (lv, p) == (level, parent)]
        for year, frame in rankings_by_year(con, years, level, parent).items():
            result[(year, level, parent)] = frame
    return {s: result[s] for s in scopes}


# --- what changes, per score and per unit ------------------------------------------------------


def _diff(con, rows: ScoreRows, pairs: list[tuple[int, str]]) -> Diff:
    table = pa.table(
        {"year": pa.array([y for y, _ in pairs], pa.int32()), "unit_code": pa.array([u for _, u in pairs], pa.string())}
    )
    con.register(PAIRS, table)
    try:
        stored = set(con.execute(STORED_PAIRS_SQL).fetchall())
        if not stored:  # a new year, or new units: every row is added, no join needed
            return _all_added(con, rows)
        with incoming(con, rows):
            changes = con.sql(CHANGES_SQL).to_arrow_table()
    finally:
        con.unregister(PAIRS)
    con.register(CHANGES, changes)
    try:
        counts = con.execute(COUNTS_SQL).df()
    finally:
        con.unregister(CHANGES)
    return Diff(changes, counts, stored)


def _all_added(con, rows: ScoreRows) -> Diff:
    """The diff when none of the file's units has data stored: rows as they are, with unit names."""
    table = rows.table
    changes = pa.table(
        {
            "year": table["year"],
            "unit_code": table["unit_code"],
            "unit_name": _names_in_their_years(con, table),
            "criterion_code": table["criterion_code"],
            "old_points": pa.nulls(len(rows), pa.float64()),
            "new_points": table["points"],
        }
    )
    return Diff(changes, _rows_per_pair(table), set())


def _names_in_their_years(con, table: pa.Table) -> pa.ChunkedArray:
    """Each row's unit name as in force in the row's year; rows are sorted by year, so each year is one run."""
    pieces = []
    years = table["year"].to_numpy()
    starts = np.r_[0, np.flatnonzero(years[1:] != years[:-1]) + 1, len(years)]
    for start, end in zip(starts[:-1], starts[1:]):
        run = table["unit_code"].slice(start, end - start)
        codes = pc.unique(run)
        names = dict(con.execute(UNIT_NAMES_SQL, [codes.to_pylist(), int(years[start])]).fetchall())
        unit_names = pa.array([names.get(c, c) for c in codes.to_pylist()], pa.string())
        pieces.append(unit_names.take(pc.index_in(run, value_set=codes)))
    return pa.chunked_array(pieces, pa.string())


def _rows_per_pair(table: pa.Table) -> pd.DataFrame:
    """year, unit_code and rows_added (the others 0) of rows sorted by year and unit: one run per pair."""
    n = table.num_rows
    if n == 0:
        return pd.DataFrame(columns=["year", "unit_code", *COUNT_COLUMNS])
    years, units = table["year"], table["unit_code"]
    new_pair = pc.or_(
        pc.not_equal(years.slice(1), years.slice(0, n - 1)), pc.not_equal(units.slice(1), units.slice(0, n - 1))
    )
    starts = np.r_[0, np.flatnonzero(new_pair.to_numpy(zero_copy_only=False)) + 1]
    return pd.DataFrame(
        {
            "year": years.take(pa.array(starts)).to_numpy(),
            "unit_code": units.take(pa.array(starts)).to_pylist(),
            "rows_added": np.diff(np.r_[starts, n]),
            "rows_changed": 0,
            "rows_removed": 0,
        }
    )


def _unit_rows(parsed: Parsed, diff: Diff, before: dict, after: dict, new_years: list[int]) -> pd.DataFrame:
    keys = sorted(parsed.groups)
    frame = pd.DataFrame(
        {
            "year": [y for y, _ in keys],
            "unit_code": [u for _, u in keys],
            "level": [parsed.groups[k].level for k in keys],
            "parent": [parsed.groups[k].parent for k in keys],
        }
    )
    frame = frame.merge(
        _stacked(after, {"unit_name": "unit_name", "total": "new_total", "rank": "new_rank", "rank_of": "rank_of"}),
        how="left",
    )
    frame = frame.merge(
        _stacked(before, {"total": "old_total", "rank": "old_rank", "has_data": "old_has_data"}), how="left"
    )
    frame = frame.merge(diff.counts, on=["year", "unit_code"], how="left")
    frame[COUNT_COLUMNS] = frame[COUNT_COLUMNS].fillna(0).astype("int64")
    had_data = frame["old_has_data"].fillna(False).astype(bool)
    frame["delta_total"] = (frame["new_total"] - frame["old_total"]).round(2).where(had_data)
    frame["old_rank"] = frame["old_rank"].astype("Int64").where(had_data, pd.NA)
    frame["status"] = _statuses(frame, keys, diff.stored, new_years)
    return frame[UNIT_COLUMNS]


def _stacked(rankings: dict, columns: dict[str, str]) -> pd.DataFrame:
    """The ranking frames one under the other, keyed by year, level, parent and unit_code."""
    parts = [
        frame[["unit_code", *columns]].assign(year=year, level=level, parent=parent)
        for (year, level, parent), frame in rankings.items()
    ]
    if not parts:
        return pd.DataFrame(columns=["year", "level", "parent", "unit_code", *columns.values()])
    stacked = pd.concat(parts, ignore_index=True).rename(columns=columns)
    stacked["year"] = stacked["year"].astype("int64")
    return stacked


def _statuses(frame: pd.DataFrame, keys: list[tuple[int, str]], stored: set, new_years: list[int]) -> np.ndarray:
    changed = (frame[COUNT_COLUMNS].sum(axis=1) > 0).to_numpy()
    new_year = frame["year"].isin(new_years).to_numpy()
    had_rows = np.array([k in stored for k in keys], dtype=bool)
    return np.select([new_year, ~had_rows, ~changed], [STATUS_NEW_YEAR, STATUS_NEW, STATUS_SAME], STATUS_REPLACED)


def _by_unit(frame: pd.DataFrame) -> dict[str, dict]:
    return {r["unit_code"]: r for r in frame.to_dict(orient="records")}


def check_ranks(parsed: Parsed, after: dict, problems: ProblemList) -> None:
    """A rank column must agree with the ranks computed from the totals (competition ranking)."""
    if not parsed.ranks:
        return
    after_units = {s: _by_unit(f) for s, f in after.items()}
    for claim in parsed.ranks:
        row = after_units.get((claim.year, claim.level, claim.parent), {}).get(claim.unit_code)
        if row is None or pd.isna(row["rank"]) or int(row["rank"]) == claim.rank:
            continue
        problems.add(
            sheet=claim.place.sheet,
            row=claim.place.line,
            column=claim.place.column,
            value=claim.rank,
            kind="rank_mismatch",
            reason=f"Xếp hạng ghi {claim.rank} nhưng theo tổng điểm thì {row['unit_name']} xếp thứ "
            f"{int(row['rank'])}/{int(row['rank_of'])} năm {claim.year}.",
            suggestion="Kiểm tra lại cột xếp hạng hoặc điểm của các đơn vị.",
        )
