"""The plan to reach a target rank and what-if, on the tiny hand-made store."""

import pytest

from analytics.errors import CchcError, NotFoundError
from analytics.plan import choose_steps, plan_summary, plan_to_target, what_if
from tests.stores import tiny_store


@pytest.fixture
def con(tmp_path):
    con = tiny_store(tmp_path / "tiny.duckdb")
    yield con
    con.close()


def _steps(plan):
    return [(s.criterion_code, s.from_points, s.to_points, s.gain) for s in plan.steps]


def test_plan_takes_the_criterion_with_most_room_and_only_what_is_needed(con):
    # D4 (70, rank 4) aims at rank 2 (the targets table): needs D2's 75. Rooms to the best
    # other unit: 1.1 → 20 (10), 2.2 → 25 (5), 1.2 → 16 (4), 2.1 none (D4 is best).
    plan = plan_to_target(con, 2020, "D4")
    assert (plan.target_rank, plan.points_needed, plan.target_unit_code) == (2, 5, "D2")
    assert _steps(plan) == [("1.1", 10, 15, 5)]
    assert (plan.resulting_total, plan.resulting_rank, plan.reachable, plan.shortfall) == (75, 2, True, 0)
    assert (plan.steps[0].owner_office, plan.steps[0].owner_office_name) == ("A", "Phòng A")
    assert "giữ nguyên tổng điểm năm 2020" in plan.assumption
    assert plan.max_reachable_points == 19


def test_plan_over_several_criteria(con):
    plan = plan_to_target(con, 2020, "D4", target_rank=1)
    assert _steps(plan) == [("1.1", 10, 20, 10)]
    assert plan.resulting_rank == 1  # 80 ties D1: a shared first place


def test_a_plan_already_reached_has_no_steps(con):
    plan = plan_to_target(con, 2020, "D2", target_rank=3)
    assert (plan.steps, plan.points_needed, plan.reachable, plan.resulting_rank) == ([], 0, True, 2)
    assert plan_summary(plan).startswith("Đã đạt hạng 3/5")


def test_unreachable_within_peer_caps_but_reachable_up_to_the_maximum(con):
    # C2 (68) aims at C3's 95. C3 has totals only, so the caps come from C1 (41 on each field).
    best = plan_to_target(con, 2020, "C2", target_rank=1)
    assert (best.reachable, best.shortfall, best.resulting_total, best.resulting_rank) == (False, 13, 82, 2)
    assert _steps(best) == [("1", 34, 41, 7), ("2", 34, 41, 7)]
    assert "còn thiếu 13,00 điểm" in plan_summary(best)
    most = plan_to_target(con, 2020, "C2", target_rank=1, cap="max")
    assert _steps(most) == [("1", 34, 50, 16), ("2", 34, 45, 11)]
    assert (most.reachable, most.resulting_total, most.resulting_rank, most.cap) == (True, 95, 1, "max")
    assert "điểm tối đa của tiêu chí" in most.assumption


def test_a_unit_with_totals_only_can_only_move_its_total(con):
    plan = plan_to_target(con, 2020, "D5", target_rank=4)
    assert _steps(plan) == [("TOTAL", 60, 70, 10)]


def test_bad_plan_inputs_are_clear_errors(con):
    with pytest.raises(CchcError, match="Mức trần không hợp lệ"):
        plan_to_target(con, 2020, "D4", cap="peer")
    with pytest.raises(NotFoundError, match="chưa có dữ liệu năm 2020"):
        plan_to_target(con, 2020, "D6", target_rank=1)


def test_choose_steps_stops_at_the_hundredth_needed():
    assert choose_steps([("a", 3.0), ("b", 2.0)], 70.0, 72.345) == [("a", 2.35)]
    assert choose_steps([("a", 1.0), ("b", 1.0)], 70.0, 75.0) == [("a", 1.0), ("b", 1.0)]
    assert choose_steps([("a", 1.0)], 70.0, 69.0) == []


def test_what_if_on_criteria_and_fields(con):
    result = what_if(con, 2020, "D4", {"1.1": 5})
    assert (result.old_total, result.old_rank, result.new_total, result.new_rank, result.rank_of) == (70, 4, 75, 2, 5)
    clipped = what_if(con, 2020, "D4", {"1.1": 50, "2": -100})
    assert clipped.applied == {"1.1": 10, "2": -48}
    assert (clipped.new_total, clipped.new_rank) == (32, 5)


def test_what_if_clips_a_field_after_its_criteria(con):
    # 1.1 +10 fills field 1 to 32 of 40; +20 more on field 1 can add only 8.
    result = what_if(con, 2020, "D4", {"1": 20, "1.1": 10})
    assert result.applied == {"1.1": 10, "1": 8}
    assert result.new_total == 88


def test_what_if_unknown_criterion_or_missing_points(con):
    with pytest.raises(NotFoundError, match="Không có tiêu chí '9.9'"):
        what_if(con, 2020, "D4", {"9.9": 1})
    with pytest.raises(NotFoundError, match="không có điểm tiêu chí '1'"):
        what_if(con, 2020, "D5", {"1": 1})
