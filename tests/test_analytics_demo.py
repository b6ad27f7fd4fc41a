"""F1–F7 of DESIGN.md and the chairman's numbers, through the analytics functions on the demo store."""

from analytics.gaps import gaps, weak_fields
from analytics.recoverable import recoverable_by_office
from analytics.targets import target_gap


def test_f6_weak_fields_2020_are_7_6_5_3(demo_con):
    weak = weak_fields(demo_con, 2020, "042")
    assert set(weak.criterion_code) == {"7", "6", "5", "3"}
    assert (weak.gap_pct < 0).all() and weak.gap_pct.is_monotonic_increasing
    assert weak.attrs["is_demo"]


def test_2020_target_gap_to_rank_5_is_5_39_points(demo_con):
    gap = target_gap(demo_con, 2020, "042")
    assert (gap.target_rank, gap.current_rank, gap.rank_of) == (5, 9, 10)
    assert (gap.target_unit_code, gap.target_total, gap.current_total) == ("045", 79.18, 73.79)
    assert gap.points_needed == 5.39
    assert gap.sentence == "cần thêm 5,39 điểm để đạt hạng 5/10"


def test_every_field_and_criterion_of_bao_lam_has_a_gap(demo_con):
    frame = gaps(demo_con, 2020, "042")
    assert set(frame.depth) == {1, 2} and len(frame) == 8 + 29
    assert frame.owner_office.notna().all()


def test_recoverable_sums_match_their_criteria(demo_con):
    summary, detail = recoverable_by_office(demo_con, 2020, "042")
    by_office = detail.groupby("office_code").reachable_points.sum().round(6)
    assert summary.set_index("office_code").reachable_points.to_dict() == by_office.to_dict()
    assert summary.reachable_points.is_monotonic_decreasing
    assert (detail.reachable_points <= detail.lost_points + 1e-9).all()
