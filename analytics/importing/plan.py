"""The preview: what a file would add or change, per unit, and the rankings it would produce.

The rankings come from the real ranking code run inside a transaction that is always rolled
back, so the preview is exactly what the commit will show, and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from analytics.importing.commit import trial, write_rows
from analytics.importing.problems import ProblemList
from analytics.importing.validate import Parsed
from analytics.rankings import rankings, years_with_data

STATUS_NEW_YEAR = "Năm mới"
STATUS_NEW = "Thêm mới"
STATUS_REPLACED = "Thay thế"
STATUS_SAME = "Không đổi"
UNIT_COLUMNS = ["year", "unit_code", "unit_name", "status", "old_total", "new_total", "delta_total", "old_rank",
                "new_rank", "rank_of", "rows_added", "rows_changed", "rows_removed"]
CHANGE_COLUMNS = ["year", "unit_code", "unit_name", "criterion_code", "old_points", "new_points"]
# The stored points of every (year, unit) the file carries (registered as PAIRS), in one query.
PAIRS = "preview_pairs"
OLD_ROWS_SQL = f"""
    SELECT s.year, s.unit_code, s.criterion_code, s.points
    FROM scores s SEMI JOIN {PAIRS} p USING (year, unit_code)
"""


@dataclass
class Preview:
    units: pd.DataFrame  # UNIT_COLUMNS, one row per (year, unit) in the file
    changes: pd.DataFrame  # CHANGE_COLUMNS, one row per score that is added, changed or removed
    rankings: dict[tuple[int, str, str], pd.DataFrame] = field(default_factory=dict)  # (year, level, parent)
    new_years: list[int] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return sorted({y for y, _, _ in self.rankings})


def preview(con, parsed: Parsed, rows: list[tuple], is_demo: bool, problems: ProblemList) -> Preview:
    """Diff against the store and the rankings after the import; adds rank-column problems."""
    before = {s: _ranking_or_none(con, *s) for s in sorted(parsed.scopes)}
    old_rows = _old_rows(con, sorted(parsed.groups))
    new_years = sorted({y for y, lv, p in parsed.scopes if y not in years_with_data(con, lv, p)})
    with trial(con):
        write_rows(con, rows, -1, is_demo, "xem trước", save_replaced=False)
        after = {s: rankings(con, *s) for s in sorted(parsed.scopes)}
    check_ranks(parsed, after, problems)
    units = _unit_rows(parsed, rows, old_rows, before, after, new_years)
    return Preview(units, _changes(parsed, rows, old_rows, after), after, new_years)


def _old_rows(con, pairs: list[tuple[int, str]]) -> dict[tuple[int, str], dict[str, float]]:
    """(year, unit) -> {criterion: points} stored now, for every pair of the file (empty when none)."""
    old_rows: dict[tuple[int, str], dict[str, float]] = {pair: {} for pair in pairs}
    table = pa.table({"year": pa.array([y for y, _ in pairs], pa.int32()),
                      "unit_code": pa.array([u for _, u in pairs], pa.string())})
    con.register(PAIRS, table)
    try:
        for year, unit, code, points in con.execute(OLD_ROWS_SQL).fetchall():
            old_rows[(year, unit)][code] = points
    finally:
        con.unregister(PAIRS)
    return old_rows


def _ranking_or_none(con, year: int, level: str, parent: str) -> pd.DataFrame | None:
    return rankings(con, year, level, parent) if year in years_with_data(con, level, parent) else None


def _by_unit(frame: pd.DataFrame | None) -> dict[str, dict]:
    return {} if frame is None else {r["unit_code"]: r for r in frame.to_dict(orient="records")}


def _unit_rows(parsed, rows, old_rows, before, after, new_years) -> pd.DataFrame:
    new_rows = _rows_by_pair(rows)
    before_units = {s: _by_unit(f) for s, f in before.items()}
    after_units = {s: _by_unit(f) for s, f in after.items()}
    records = []
    for (year, unit), group in sorted(parsed.groups.items()):
        scope = (year, group.level, group.parent)
        old, new = before_units[scope].get(unit, {}), after_units[scope][unit]
        old_points, new_points = old_rows[(year, unit)], new_rows.get((year, unit), {})
        records.append({
            "year": year, "unit_code": unit, "unit_name": new["unit_name"],
            "status": _status(year, old_points, new_points, new_years),
            "old_total": old.get("total"), "new_total": new["total"],
            "delta_total": round(new["total"] - old["total"], 2) if old.get("has_data") else None,
            "old_rank": old.get("rank") if old.get("has_data") else None, "new_rank": new["rank"],
            "rank_of": new["rank_of"],
            "rows_added": len(new_points.keys() - old_points.keys()),
            "rows_changed": sum(1 for c in new_points.keys() & old_points.keys()
                                if abs(new_points[c] - old_points[c]) > 1e-9),
            "rows_removed": len(old_points.keys() - new_points.keys()),
        })
    return pd.DataFrame(records, columns=UNIT_COLUMNS)


def _status(year: int, old_points: dict, new_points: dict, new_years: list[int]) -> str:
    if year in new_years:
        return STATUS_NEW_YEAR
    if not old_points:
        return STATUS_NEW
    same = old_points.keys() == new_points.keys() and all(abs(old_points[c] - new_points[c]) <= 1e-9
                                                          for c in old_points)
    return STATUS_SAME if same else STATUS_REPLACED


def _rows_by_pair(rows: list[tuple]) -> dict[tuple[int, str], dict[str, float]]:
    pairs: dict[tuple[int, str], dict[str, float]] = {}
    for year, unit, code, points, _ in rows:
        pairs.setdefault((year, unit), {})[code] = points
    return pairs


def _changes(parsed, rows, old_rows, after) -> pd.DataFrame:
    names = {u: n for frame in after.values() for u, n in zip(frame["unit_code"], frame["unit_name"])}
    if not any(old_rows.values()):
        return _all_added(rows, names)
    new_rows = _rows_by_pair(rows)
    records = []
    for (year, unit), old in sorted(old_rows.items()):
        new = new_rows.get((year, unit), {})
        for code in sorted(old.keys() | new.keys()):
            if code not in old or code not in new or abs(old[code] - new[code]) > 1e-9:
                records.append({"year": year, "unit_code": unit, "unit_name": names.get(unit, unit),
                                "criterion_code": code, "old_points": old.get(code), "new_points": new.get(code)})
    return pd.DataFrame(records, columns=CHANGE_COLUMNS)


def _all_added(rows: list[tuple], names: dict[str, str]) -> pd.DataFrame:
    """The changes when none of the file's units had data: every row added, in the order of rows."""
    added = pd.DataFrame.from_records(rows, columns=["year", "unit_code", "criterion_code", "new_points", "self"])
    added["unit_name"] = added["unit_code"].map(names).fillna(added["unit_code"])
    added["old_points"] = pd.Series([None] * len(added), dtype=object)
    return added[CHANGE_COLUMNS]


def check_ranks(parsed: Parsed, after: dict, problems: ProblemList) -> None:
    """A rank column must agree with the ranks computed from the totals (competition ranking)."""
    if not parsed.ranks:
        return
    after_units = {s: _by_unit(f) for s, f in after.items()}
    for claim in parsed.ranks:
        row = after_units.get((claim.year, claim.level, claim.parent), {}).get(claim.unit_code)
        if row is None or pd.isna(row["rank"]) or int(row["rank"]) == claim.rank:
            continue
        problems.add(sheet=claim.place.sheet, row=claim.place.line, column=claim.place.column, value=claim.rank,
                     kind="rank_mismatch",
                     reason=f"Xếp hạng ghi {claim.rank} nhưng theo tổng điểm thì {row['unit_name']} xếp thứ "
                            f"{int(row['rank'])}/{int(row['rank_of'])} năm {claim.year}.",
                     suggestion="Kiểm tra lại cột xếp hạng hoặc điểm của các đơn vị.")
