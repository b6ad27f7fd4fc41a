"""The plan to reach the target rank, and what-if: totals and ranks after changing some points."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from analytics.criteria import code_sort_key, criteria_tree
from analytics.errors import CchcError, NotFoundError
from analytics.formatting import fmt_number
from analytics.nodes import unit_nodes
from analytics.rankings import rank_among, round_total
from analytics.recoverable import criterion_headroom
from analytics.scope import get_unit, own_and_peer_totals
from analytics.targets import target_gap_with_peers

CAPS = ("best", "max")


@dataclass(frozen=True)
class PlanStep:
    criterion_code: str
    criterion_name: str
    owner_office: str | None
    owner_office_name: str | None
    from_points: float
    to_points: float
    gain: float


@dataclass(frozen=True)
class Plan:
    unit_code: str
    year: int
    target_rank: int
    rank_of: int
    current_total: float
    target_total: float | None
    points_needed: float
    steps: list[PlanStep]
    resulting_total: float
    resulting_rank: int
    reachable: bool
    shortfall: float
    cap: str
    assumption: str
    current_rank: int = 0
    unit_name: str = ""
    target_unit_code: str | None = None
    target_unit_name: str | None = None
    max_reachable_points: float = 0.0


@dataclass(frozen=True)
class WhatIf:
    old_total: float
    old_rank: int
    new_total: float
    new_rank: int
    rank_of: int
    applied: dict[str, float] = field(default_factory=dict)


def reaches(total: float, target_total: float | None) -> bool:
    """A total holds the target rank when, rounded to two decimals, it is at least the holder's."""
    return target_total is None or round_total(total) >= round_total(target_total) - 1e-9


def choose_steps(rooms: list[tuple[str, float]], current: float, target_total: float | None) -> list[tuple[str, float]]:
    """(code, gain) pairs: the fewest criteria, most room first, lifting `current` to `target_total`.

    `rooms` must already be in priority order. Taking the largest rooms first gives the fewest
    steps (the k largest rooms are the most k steps can add); the last step takes only the
    whole hundredths of a point still needed. Without enough room every room is taken.
    """
    steps: list[tuple[str, float]] = []
    if target_total is None:  # no unit holds the target rank: nothing to reach
        return steps
    gained = 0.0
    for code, room in rooms:
        if reaches(current + gained, target_total):
            break
        gain = min(room, _hundredths_needed(current + gained, target_total))
        steps.append((code, round(gain, 6)))
        gained += gain
    return steps


def _hundredths_needed(total: float, target_total: float) -> float:
    gain = math.ceil(round((target_total - total) * 100, 6)) / 100
    while not reaches(total + gain, target_total):
        gain += 0.01
    return gain


def assumption_text(year: int, cap: str) -> str:
    limit = (
        "điểm tối đa của tiêu chí"
        if cap == "max"
        else f"mức cao nhất (theo % điểm tối đa) mà một đơn vị khác đạt được ở tiêu chí đó năm {year}"
    )
    return (
        f"Giả định các đơn vị khác giữ nguyên tổng điểm năm {year}; mỗi tiêu chí chỉ được nâng tới {limit}. "
        "Đây là ước tính, không phải kết quả chấm điểm."
    )


def improvement_rooms(con: duckdb.DuckDBPyConnection, year: int, unit_code: str, cap: str) -> pd.DataFrame:
    """The unit's counted criteria with cap_points and room (cap − points), most room first, by code."""
    if cap not in CAPS:
        raise CchcError(f"Mức trần không hợp lệ: '{cap}'. Dùng best hoặc max.")
    frame = criterion_headroom(con, year, get_unit(con, unit_code, year))
    frame["cap_points"] = frame.max_points if cap == "max" else frame.best_peer_points.fillna(frame.points)
    frame["room"] = (frame.cap_points - frame.points).clip(lower=0).round(6)
    frame["_code_key"] = frame.criterion_code.map(code_sort_key)
    frame = frame.sort_values(["room", "_code_key"], ascending=[False, True]).drop(columns="_code_key")
    return frame[frame.room > 0].reset_index(drop=True)


def plan_to_target(
    con: duckdb.DuckDBPyConnection, year: int, unit_code: str, target_rank: int | None = None, cap: str = "best"
) -> Plan:
    """The smallest set of criterion improvements that lifts the unit to the target rank."""
    gap, others = target_gap_with_peers(con, year, unit_code, target_rank)
    rooms = improvement_rooms(con, year, unit_code, cap)
    chosen = dict(choose_steps(list(zip(rooms.criterion_code, rooms.room)), gap.current_total, gap.target_total))
    steps = [_step(row, chosen[row.criterion_code]) for row in rooms.itertuples() if row.criterion_code in chosen]
    resulting = round(gap.current_total + sum(chosen.values()), 6)
    reachable = reaches(resulting, gap.target_total)
    shortfall = 0.0 if reachable or gap.target_total is None else round(gap.target_total - resulting, 2)
    return Plan(
        unit_code=gap.unit_code,
        year=year,
        target_rank=gap.target_rank,
        rank_of=gap.rank_of,
        current_total=gap.current_total,
        target_total=gap.target_total,
        points_needed=gap.points_needed,
        steps=steps,
        resulting_total=resulting,
        resulting_rank=rank_among(others.total, resulting),
        reachable=reachable,
        shortfall=shortfall,
        cap=cap,
        assumption=assumption_text(year, cap),
        current_rank=gap.current_rank,
        unit_name=gap.unit_name,
        target_unit_code=gap.target_unit_code,
        target_unit_name=gap.target_unit_name,
        max_reachable_points=round(float(rooms.room.sum()), 6),
    )


def _step(row, gain: float) -> PlanStep:
    office = None if pd.isna(row.office_code) else row.office_code
    return PlanStep(
        criterion_code=row.criterion_code,
        criterion_name=row.criterion_name,
        owner_office=office,
        owner_office_name=row.office_name,
        from_points=float(row.points),
        to_points=round(float(row.points) + gain, 6),
        gain=gain,
    )


def plan_summary(plan: Plan) -> str:
    """One Vietnamese sentence on the outcome."""
    if not plan.steps and plan.reachable:
        return f"Đã đạt hạng {plan.target_rank}/{plan.rank_of}; không cần cải thiện thêm."
    if plan.reachable:
        return (
            f"Cần thêm {fmt_number(plan.points_needed)} điểm ở {len(plan.steps)} tiêu chí để đạt hạng "
            f"{plan.target_rank}/{plan.rank_of} (tổng dự kiến {fmt_number(plan.resulting_total)})."
        )
    return (
        f"Không thể đạt hạng {plan.target_rank}/{plan.rank_of} trong giới hạn đã chọn: còn thiếu "
        f"{fmt_number(plan.shortfall)} điểm sau khi nâng mọi tiêu chí tới mức trần."
    )


def what_if(con: duckdb.DuckDBPyConnection, year: int, unit_code: str, changes: dict[str, float]) -> WhatIf:
    """New total and rank after adding `changes` (code -> points, + or −) to fields or criteria.

    Each changed node is clipped to [0, its maximum]; the deepest codes are applied first and a
    change moves every ancestor by what it actually added.
    """
    unit = get_unit(con, unit_code, year)
    total, others = own_and_peer_totals(con, year, unit)
    tree = criteria_tree(con, unit.level, year).set_index("criterion_code")
    values = _unit_node_values(con, year, unit)
    applied = {}
    for code in sorted(changes, key=lambda c: (-_depth(tree, c), code_sort_key(c))):
        applied[code] = _apply_change(tree, values, code, float(changes[code]), unit.name, year)
    new_total = round(total + sum(applied.values()), 6)
    return WhatIf(
        old_total=total,
        old_rank=rank_among(others.total, total),
        new_total=new_total,
        new_rank=rank_among(others.total, new_total),
        rank_of=len(others) + 1,
        applied=applied,
    )


def _unit_node_values(con, year: int, unit) -> dict[str, float]:
    values = unit_nodes(con, year, unit).values
    return {node: value for (owner, node), (value, _) in values.items() if owner == unit.code}


def _depth(tree: pd.DataFrame, code: str) -> int:
    if code not in tree.index:
        raise NotFoundError(f"Không có tiêu chí '{code}' trong bộ tiêu chí đang áp dụng.")
    return int(tree.loc[code].depth)


def _apply_change(
    tree: pd.DataFrame, values: dict[str, float], code: str, delta: float, unit_name: str, year: int
) -> float:
    if code not in values:
        raise NotFoundError(f"{unit_name} không có điểm tiêu chí '{code}' năm {year}.")
    new = min(max(values[code] + delta, 0.0), float(tree.loc[code].max_points))
    actual = round(new - values[code], 6)
    node = code
    while node is not None and not pd.isna(node):
        values[node] = values.get(node, 0.0) + actual
        node = tree.loc[node].parent_code
    return actual
