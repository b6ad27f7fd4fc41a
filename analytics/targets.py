"""The target rank and the points between a unit and the unit holding it."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics.errors import CchcError, NotFoundError
from analytics.formatting import fmt_number
from analytics.rankings import holder_of_rank, rank_among, round_total
from analytics.scope import get_unit, own_and_peer_totals, unit_name

# A target holds from its year until a later one replaces it.
TARGET_RANK_SQL = """
SELECT comparator, value FROM targets
WHERE unit_code = $unit AND metric = 'rank' AND year <= $year
ORDER BY year DESC LIMIT 1
"""


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


def target_rank_after(con: duckdb.DuckDBPyConnection, unit_code: str, results_year: int) -> int | None:
    """The rank the unit aims at, seen from the results of `results_year`: the target set for the next
    year (the notice of April 2021 sets the 2021 target after the 2020 results), else the latest earlier
    one still in force; None when there is none. The pages and the CLI both ask this function."""
    row = con.execute(TARGET_RANK_SQL, {"unit": unit_code, "year": results_year + 1}).fetchone()
    if row is None:
        return None
    comparator, value = row
    return int(value) - 1 if comparator == "<" else int(value)


def resolve_target_rank(con: duckdb.DuckDBPyConnection, year: int, unit_code: str, target_rank: int | None) -> int:
    """The caller's rank, else the target that applies to the results of `year` (target_rank_after)."""
    rank = target_rank if target_rank is not None else target_rank_after(con, unit_code, year)
    if rank is None:
        raise NotFoundError(
            f"Chưa có chỉ tiêu xếp hạng cho {unit_name(con, unit_code, year)} sau kết quả năm {year}; "
            "hãy nhập hạng mục tiêu."
        )
    return int(rank)


def check_rank(rank: int, rank_of: int) -> None:
    if not 1 <= rank <= rank_of:
        raise CchcError(f"Hạng mục tiêu phải từ 1 đến {rank_of} (đang có {rank_of} đơn vị được xếp hạng).")


def target_gap(con: duckdb.DuckDBPyConnection, year: int, unit_code: str, target_rank: int | None = None) -> TargetGap:
    """Points between the unit and the unit that holds the target rank among the others that year."""
    return target_gap_with_peers(con, year, unit_code, target_rank)[0]


def target_gap_with_peers(
    con: duckdb.DuckDBPyConnection, year: int, unit_code: str, target_rank: int | None = None
) -> tuple[TargetGap, pd.DataFrame]:
    """target_gap and the other units' unit_code/total it was computed from (for callers that
    need both, so the totals are read once)."""
    unit = get_unit(con, unit_code, year)
    rank = resolve_target_rank(con, year, unit_code, target_rank)
    total, others = own_and_peer_totals(con, year, unit)
    rank_of = len(others) + 1
    check_rank(rank, rank_of)
    holder = holder_of_rank(others, rank)
    target_total = None if holder is None else round_total(holder.total)
    needed = 0.0 if target_total is None else max(0.0, round_total(target_total - round_total(total)))
    current_rank = rank_among(others.total, total)
    gap = TargetGap(
        unit_code=unit.code,
        unit_name=unit.name,
        year=year,
        target_rank=rank,
        rank_of=rank_of,
        current_rank=current_rank,
        current_total=total,
        target_unit_code=None if holder is None else holder.unit_code,
        target_unit_name=None if holder is None else unit_name(con, holder.unit_code, year),
        target_total=target_total,
        points_needed=needed,
        reached=current_rank <= rank,
        sentence=gap_sentence(needed, rank, rank_of, current_rank),
    )
    return gap, others


def gap_sentence(points_needed: float, rank: int, rank_of: int, current_rank: int) -> str:
    """The chairman's words: 'cần thêm 5,39 điểm để đạt hạng 5/10'."""
    if current_rank <= rank:
        return f"đã đạt hạng {rank}/{rank_of} (đang xếp hạng {current_rank}/{rank_of})"
    return f"cần thêm {fmt_number(points_needed)} điểm để đạt hạng {rank}/{rank_of}"
