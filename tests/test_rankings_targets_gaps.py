"""Rankings, criteria trees, target gaps, gaps and recoverable points on a tiny hand-made store."""

import pandas as pd
import pytest

from analytics.criteria import code_sort_key, criteria_tree
from analytics.errors import CchcError, NotFoundError
from analytics.gaps import field_matrix, gaps, parse_reference, weak_fields
from analytics.rankings import criteria_set_for, rankings
from analytics.recoverable import recoverable_by_office
from analytics.targets import target_gap, target_rank_after
from tests.stores import insert_set, tiny_store


@pytest.fixture
def con(tmp_path):
    con = tiny_store(tmp_path / "tiny.duckdb")
    yield con
    con.close()


def _by_unit(frame):
    return {row.unit_code: row for row in frame.itertuples()}


def test_ties_share_a_rank_and_the_next_rank_is_skipped(con):
    rows = _by_unit(rankings(con, 2020, "district", "P"))
    assert {c: (rows[c].total, rows[c].rank) for c in ["D1", "D2", "D3", "D4", "D5"]} == {
        "D1": (80, 1),
        "D2": (75, 2),
        "D3": (75, 2),
        "D4": (70, 4),
        "D5": (60, 5),
    }
    assert rows["D1"].rank_of == 5


def test_a_unit_missing_a_year_is_listed_unranked_not_last(con):
    frame = rankings(con, 2020, "district", "P")
    d6 = frame[frame.unit_code == "D6"].iloc[0]
    assert not d6.has_data and pd.isna(d6["rank"])
    assert frame.unit_code.iloc[-1] == "D6"
    assert d6.total_previous == 72


def test_totals_only_and_field_points_only_units_are_ranked(con):
    rows = _by_unit(rankings(con, 2019, "district", "P"))
    assert (rows["D5"].total, rows["D5"].rank) == (65, 5)
    assert (rows["D6"].total, rows["D6"].rank) == (72, 3)


def test_a_level_given_twice_is_counted_once(con):
    assert _by_unit(rankings(con, 2020, "district", "P"))["D3"].total == 75


def test_change_against_the_previous_year(con):
    rows = _by_unit(rankings(con, 2020, "district", "P"))
    assert (rows["D3"].delta_total, rows["D3"].delta_rank) == (15, 4)
    assert (rows["D2"].delta_total, rows["D2"].delta_rank) == (-3, -1)


def test_a_year_without_its_own_set_uses_the_latest_earlier_one(con):
    assert criteria_tree(con, "district", 2020).attrs["set_code"] == "S1"
    tree_2021 = criteria_tree(con, "district", 2021)
    assert tree_2021.attrs["set_code"] == "S2"
    assert tree_2021.criterion_code.tolist() == ["TOTAL", "A", "B"]
    rows = _by_unit(rankings(con, 2021, "district", "P"))
    assert (rows["D2"].rank, rows["D1"].rank, rows["D1"].delta_rank, rows["D4"].delta_total) == (1, 2, -1, -10)
    assert set(gaps(con, 2021, "D1", depth=1).criterion_code) == {"A", "B"}


def test_criteria_tree_depth_field_and_inherited_office(con):
    tree = criteria_tree(con, "district", 2020).set_index("criterion_code")
    assert tree.loc["TOTAL"].depth == 0 and tree.loc["2"].depth == 1 and tree.loc["2.2"].depth == 2
    assert (tree.loc["1.2"].field_code, tree.loc["1.2"].office_code) == ("1", "B")
    assert (tree.loc["1"].field_code, tree.loc["2"].field_code) == ("1", "2")  # a field is its own field
    assert pd.isna(tree.loc["TOTAL"].field_code)
    fields = gaps(con, 2020, "D1", depth=1)
    assert fields.set_index("criterion_code").field_code.to_dict() == {"1": "1", "2": "2"}
    assert (tree.loc["1.1"].office_code, tree.loc["2.2"].office_code, tree.loc["2.2"].office_name) == (
        "A",
        "C",
        "Phòng C",
    )
    with pytest.raises(NotFoundError, match="năm 2010"):
        criteria_tree(con, "district", 2010)


def test_two_sets_starting_the_same_year_every_query_takes_the_same_one(con):
    insert_set(con, "S0", "district", 2021, [("TOTAL", None, "Tổng", 100, None, 1), ("Z", "TOTAL", "Z", 100, "A", 2)])
    assert criteria_set_for(con, "district", 2021) == "S2" == criteria_tree(con, "district", 2021).attrs["set_code"]
    assert set(gaps(con, 2021, "D1").criterion_code) == {"A", "B"}
    assert _by_unit(rankings(con, 2021, "district", "P"))["D1"].total == 80


def test_a_set_with_two_roots_is_refused_in_words(con):
    insert_set(con, "S9", "district", 2023, [("T1", None, "Tổng 1", 50, None, 1), ("T2", None, "Tổng 2", 50, None, 2)])
    with pytest.raises(CchcError, match="S9 có 2 gốc"):
        criteria_tree(con, "district", 2023)


def test_an_empty_result_keeps_its_column_types(con):
    nothing_weak = weak_fields(con, 2020, "D1", "threshold:0")
    assert nothing_weak.empty and nothing_weak.gap_pct.dtype == float and nothing_weak.depth.dtype == "int64"
    assert field_matrix(con, 2021, "district", "nowhere").points.dtype == float


def test_code_sort_key_orders_numbers_as_numbers():
    assert sorted(["3.10", "3.9", "10", "2", "A"], key=code_sort_key) == ["2", "3.9", "3.10", "10", "A"]


def test_the_target_after_a_years_results_is_the_next_years_then_stays_in_force(con):
    # D4's target is set for 2021: it is the one to reach after the 2020 results, and stays until replaced.
    assert target_rank_after(con, "D4", 2020) == 2
    assert target_rank_after(con, "D4", 2019) is None
    assert target_rank_after(con, "D4", 2022) == 2
    assert target_rank_after(con, "D1", 2020) is None


def test_target_gap_to_the_unit_holding_the_target_rank(con):
    gap = target_gap(con, 2020, "D4")
    assert (gap.target_rank, gap.rank_of, gap.current_rank, gap.target_unit_code, gap.target_total) == (
        2,
        5,
        4,
        "D2",
        75,
    )
    assert (gap.points_needed, gap.reached) == (5, False)
    assert gap.sentence == "cần thêm 5,00 điểm để đạt hạng 2/5"


def test_target_gap_with_a_tie_at_the_target_rank(con):
    # Others rank D1 80, D2 75, D3 75: ranks 2 and 3 both need 75 (a tie shares rank 2).
    assert target_gap(con, 2020, "D4", 3).target_total == 75
    assert target_gap(con, 2020, "D4", 1).points_needed == 10


def test_target_gap_when_reached_and_when_impossible(con):
    reached = target_gap(con, 2020, "D2", 2)
    assert (reached.reached, reached.points_needed) == (True, 0)
    assert reached.sentence == "đã đạt hạng 2/5 (đang xếp hạng 2/5)"
    with pytest.raises(CchcError, match="từ 1 đến 5"):
        target_gap(con, 2020, "D4", 6)
    with pytest.raises(NotFoundError, match="chỉ tiêu xếp hạng"):
        target_gap(con, 2020, "D1")
    with pytest.raises(NotFoundError, match="chưa có dữ liệu năm 2020"):
        target_gap(con, 2020, "D6", 1)


def test_gaps_against_the_provincial_mean(con):
    frame = gaps(con, 2020, "D4").set_index("criterion_code")
    # Field 1 (max 40): D4 22 against the mean of D1 34, D2 30, D3 30, D4 22 = 29; D5 has no fields.
    assert (frame.loc["1"].points, frame.loc["1"].reference_points, frame.loc["1"].gap_points) == (22, 29, -7)
    assert frame.loc["1"].gap_pct == pytest.approx(-17.5)
    assert frame.loc["2"].gap_points == 2
    assert "TOTAL" not in frame.index
    assert frame.loc["1.2"].owner_office_name == "Phòng B"


def test_gaps_are_sorted_weakest_first(con):
    frame = gaps(con, 2020, "D4")
    assert frame.gap_pct.is_monotonic_increasing
    assert weak_fields(con, 2020, "D4").criterion_code.tolist() == ["1"]


def test_gaps_against_best_target_and_threshold(con):
    best = gaps(con, 2020, "D4", "best", depth=2).set_index("criterion_code")
    assert (best.loc["1.1"].reference_points, best.loc["2.1"].gap_points) == (20, 3)  # D4 is best on 2.1
    target = gaps(con, 2020, "D4", "target", depth=2).set_index("criterion_code")
    assert target.loc["1.1"].reference_points == 15  # D2 holds rank 2 among the others
    threshold = gaps(con, 2020, "D4", "threshold:80", depth=1).set_index("criterion_code")
    assert (threshold.loc["1"].reference_points, threshold.loc["1"].reference_pct) == (32, 80)


@pytest.mark.parametrize("text", ["mean", "threshold:120", "threshold:", "threshold:abc", ""])
def test_a_bad_reference_is_a_clear_error(text):
    with pytest.raises(CchcError, match="Mốc so sánh không hợp lệ"):
        parse_reference(text)


def test_field_matrix_has_one_row_per_unit_and_field(con):
    frame = field_matrix(con, 2020, "district", "P")
    assert len(frame) == 4 * 2  # D5 has totals only
    row = frame[(frame.unit_code == "D4") & (frame.field_code == "1")].iloc[0]
    assert (row.points, row.max_points, row.pct) == (22, 40, 55)


def test_recoverable_points_by_office(con):
    summary, detail = recoverable_by_office(con, 2020, "D4")
    rows = detail.set_index("criterion_code")
    assert (rows.loc["1.1"].lost_points, rows.loc["1.1"].reachable_points, rows.loc["1.1"].best_peer_pct) == (
        10,
        10,
        100,
    )
    assert rows.loc["2.1"].reachable_points == 0  # nobody beats D4 on 2.1
    offices = summary.set_index("office_code")
    assert offices.loc["A"].reachable_points == 10 and offices.loc["B"].reachable_points == 4
    assert (offices.loc["C"].lost_points, offices.loc["C"].reachable_points, offices.loc["C"].criteria_count) == (
        12,
        5,
        2,
    )
    assert summary.office_code.tolist() == ["A", "C", "B"]
    assert summary.reachable_points.sum() == detail.reachable_points.sum()


def test_recoverable_for_field_points_only_works_on_fields(con):
    summary, detail = recoverable_by_office(con, 2019, "D6")
    assert set(detail.criterion_code) == {"1", "2"}
    # Best other units in 2019: field 1 D2 32, field 2 D2 46.
    assert detail.set_index("criterion_code").reachable_points.to_dict() == {"1": 2, "2": 4}
