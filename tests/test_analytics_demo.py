"""F1–F7 of DESIGN.md and the chairman's numbers, through the analytics functions on the demo store."""

from analytics.communes import (
    band_transitions,
    commune_summary,
    commune_table,
    communes_lacking,
    indicator_table,
    unit_indicators,
)
from analytics.gaps import gaps, weak_fields
from analytics.plan import plan_to_target, what_if
from analytics.recoverable import recoverable_by_office
from analytics.targets import target_gap
from analytics.trend import target_projection, trend


def test_f6_weak_fields_2020_are_7_6_5_3(demo_con):
    weak = weak_fields(demo_con, 2020, "042")
    assert set(weak.criterion_code) == {"7", "6", "5", "3"}
    assert (weak.gap_pct < 0).all() and weak.gap_pct.is_monotonic_increasing
    assert weak.attrs["is_demo"]


def test_weak_fields_are_every_field_below_the_reference_with_no_cap(demo_con):
    for reference in ("province-mean", "best", "threshold:95"):
        fields = gaps(demo_con, 2020, "042", reference, depth=1)
        weak = weak_fields(demo_con, 2020, "042", reference)
        assert set(weak.criterion_code) == set(fields[fields.gap_pct < 0].criterion_code), reference
    assert len(weak_fields(demo_con, 2020, "042", "threshold:95")) > 4  # more than the old cap of four


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


KHA_2020 = {"01290", "01294", "01297", "01303", "01300", "01312", "01296", "01318", "01316"}
MOVED_UP = {"01300", "01312", "01296", "01318", "01316"}
NO_E_ONE_STOP = {"01315", "01316", "01296", "01318", "01291", "01300", "01309"}


def test_f3_2020_commune_bands(demo_con):
    summary = commune_summary(demo_con, 2020, "042")
    assert summary.members["Tốt"] == ["Xã Thạch Lâm"]
    assert set(summary.members["Trung bình"]) == {"Xã Thái Học", "Xã Đức Hạnh", "Xã Vĩnh Phong"}
    table = commune_table(demo_con, 2020, "042")
    assert set(table[table.band == "Khá"].unit_code) == KHA_2020
    assert summary.band_counts == {"Xuất sắc": 0, "Tốt": 1, "Khá": 9, "Trung bình": 3, "Yếu": 0}


def test_f4_2019_bands_and_five_moves_from_trung_binh_to_kha(demo_con):
    before = commune_summary(demo_con, 2019, "042").band_counts
    assert (before["Tốt"], before["Khá"], before["Trung bình"]) == (1, 4, 8)
    moves = band_transitions(demo_con, 2019, 2020, "042")
    up = moves[(moves.band_from == "Trung bình") & (moves.band_to == "Khá")].iloc[0]
    assert (up["count"], set(up.unit_codes)) == (5, MOVED_UP)
    summary = commune_summary(demo_con, 2020, "042")
    assert {code for code, *_ in summary.moved_up} == MOVED_UP and summary.moved_down == []


def test_f5_mean_change_is_plus_3_0(demo_con):
    assert round(commune_summary(demo_con, 2020, "042").mean_change, 1) == 3.0


def test_f7_operations_2020(demo_con):
    own = unit_indicators(demo_con, 2020, "042").set_index("indicator").value
    assert (own["on_time_pct"], own["district_units_on_igate"], own["communes_on_igate"]) == (97, 12, 5)
    table = indicator_table(demo_con, 2020, "042")
    on_igate = table[(table.indicator == "uses_vnpt_igate") & (table.value == 1)]
    assert len(on_igate) == own["communes_on_igate"]
    lacking = communes_lacking(demo_con, 2020, "042", "has_e_one_stop")
    assert set(lacking.unit_code) == NO_E_ONE_STOP
    no_dossiers = communes_lacking(demo_con, 2020, "042", "has_dossiers")
    assert set(no_dossiers.unit_code) == NO_E_ONE_STOP


def test_the_plan_lifts_bao_lam_to_rank_5_in_2020(demo_con):
    plan = plan_to_target(demo_con, 2020, "042")
    assert (plan.target_rank, plan.points_needed, plan.reachable, plan.resulting_rank) == (5, 5.39, True, 5)
    assert round(sum(s.gain for s in plan.steps), 2) == 5.39 and round(plan.resulting_total, 2) == 79.18
    gains = [s.gain for s in plan.steps[:-1]]
    assert gains == sorted(gains, reverse=True)  # most reachable first; the last takes what is needed
    check = what_if(demo_con, 2020, "042", {s.criterion_code: s.gain for s in plan.steps})
    assert (check.old_rank, check.new_rank) == (9, 5)
    assert "giữ nguyên tổng điểm năm 2020" in plan.assumption


def test_f1_f2_through_the_trend(demo_con):
    frame = trend(demo_con, "district", "04")
    bao_lam = frame[frame.unit_code == "042"].set_index("year")
    assert bao_lam[["total", "rank", "rank_of"]].values.tolist() == [[81.0, 7, 10], [73.79, 9, 10]]


def test_projection_for_rank_5_in_2021(demo_con):
    projection = target_projection(demo_con, "042")
    assert (projection.next_year, projection.target_rank, projection.last_score_needed) == (2021, 5, 79.18)
    # Hà Quảng 79,18 after −2,02: continued, 77,16 is the fifth best projected total.
    assert projection.score_needed == 77.16
