"""The target rank and the points between a unit and the unit holding it."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics.errors import CchcError, NotFoundError
from analytics.formatting import fmt_number
from analytics.rankings import holder_of_rank, rank_among, round_total
from analytics.scope import get_unit, own_and_peer_totals

# A target holds from its year until a later one replaces it.
TARGET_RANK_SQL = """
SELECT comparator, value FROM targets
WHERE unit_code = $unit AND metric = 'rank' AND ($year IS NULL OR year <= $year)
ORDER BY year DESC LIMIT 1
"""
UNIT_NAME_SQL = "SELECT name FROM units WHERE code = ?"


@dataclass(frozen=True)
class TargetGap:
    unit_code: str
    unit_name: str
    year: int
    target_rank: int
    rank_of: int
    current_rank: int
    current_total: float
    target_unit_code: str | None
    target_unit_name: str | None
    target_total: float | None
    points_needed: float
    reached: bool
    sentence: str


def target_rank_for(con: duckdb.DuckDBPyConnection, unit_code: str, year: int | None = None) -> int | None:
    """The rank the unit aims at in `year` (the latest target set on or before it); None if none."""
    row = con.execute(TARGET_RANK_SQL, {"unit": unit_code, "year": year}).fetchone()
    if row is None:
        return None
    comparator, value = row
    return int(value) - 1 if comparator == "<" else int(value)


def resolve_target_rank(con: duckdb.DuckDBPyConnection, year: int, unit_code: str, target_rank: int | None) -> int:
    """The caller's rank, else the target set for the year after `year` (the one still to reach)."""
    rank = target_rank if target_rank is not None else target_rank_for(con, unit_code, year + 1)
    if rank is None:
        name = con.execute(UNIT_NAME_SQL, [unit_code]).fetchone()
        raise NotFoundError(f"Chưa có chỉ tiêu xếp hạng cho {name[0] if name else unit_code}; "
                            "hãy nhập hạng mục tiêu.")
    return int(rank)


def check_rank(rank: int, rank_of: int) -> None:
    if not 1 <= rank <= rank_of:
        raise CchcError(f"Hạng mục tiêu phải từ 1 đến {rank_of} (đang có {rank_of} đơn vị được xếp hạng).")


def target_gap(con: duckdb.DuckDBPyConnection, year: int, unit_code: str,
               target_rank: int | None = None) -> TargetGap:
    """Points between the unit and the unit that holds the target rank among the others that year."""
    return target_gap_with_peers(con, year, unit_code, target_rank)[0]


def target_gap_with_peers(con: duckdb.DuckDBPyConnection, year: int, unit_code: str,
                          target_rank: int | None = None) -> tuple[TargetGap, pd.DataFrame]:
    """target_gap and the other units' unit_code/total it was computed from (for callers that
    need both, so the totals are read once)."""
    unit = get_unit(con, unit_code)
    rank = resolve_target_rank(con, year, unit_code, target_rank)
    total, others = own_and_peer_totals(con, year, unit)
    rank_of = len(others) + 1
    check_rank(rank, rank_of)
    holder = holder_of_rank(others, rank)
    target_total = None if holder is None else round_total(holder.total)
    needed = 0.0 if target_total is None else max(0.0, round_total(target_total - round_total(total)))
    current_rank = rank_among(others.total, total)
    gap = TargetGap(
        unit_code=unit.code, unit_name=unit.name, year=year, target_rank=rank, rank_of=rank_of,
        current_rank=current_rank, current_total=total,
        target_unit_code=None if holder is None else holder.unit_code,
        target_unit_name=None if holder is None else con.execute(UNIT_NAME_SQL, [holder.unit_code]).fetchone()[0],
        target_total=target_total, points_needed=needed, reached=current_rank <= rank,
        sentence=gap_sentence(needed, rank, rank_of, current_rank),
    )
    return gap, others


def gap_sentence(points_needed: float, rank: int, rank_of: int, current_rank: int) -> str:
    """The chairman's words: 'cần thêm 5,39 điểm để đạt hạng 5/10'."""
    if current_rank <= rank:
        return f"đã đạt hạng {rank}/{rank_of} (đang xếp hạng {current_rank}/{rank_of})"
    return f"cần thêm {fmt_number(points_needed)} điểm để đạt hạng {rank}/{rank_of}"
