"""Property tests (hypothesis) for the ranking and the plan, each example on a fresh DuckDB file."""

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.plan import plan_to_target, what_if
from analytics.rankings import competition_rank, rank_among, rankings, round_total
from tests.stores import empty_store, insert_scores, insert_set, insert_units

QUICK = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# A few values only, so that ties are common; two decimals like real results.
totals_strategy = st.lists(
    st.sampled_from([55.0, 61.25, 61.25, 70.5, 70.5, 70.504, 88.0, 90.1]), min_size=1, max_size=8
)


@st.composite
def districts(draw):
    """Maxima of 1–5 leaf criteria under one field, and 2–6 units with points in hundredths."""
    maxima = draw(st.lists(st.integers(1, 10), min_size=1, max_size=5))
    count = draw(st.integers(2, 6))
    points = [[draw(st.integers(0, m * 100)) / 100 for m in maxima] for _ in range(count)]
    totals_only = draw(st.lists(st.booleans(), min_size=count, max_size=count))
    return maxima, points, totals_only


def _build(path: Path, maxima, points, totals_only=None):
    con = empty_store(path)
    insert_units(con, [(f"U{i}", f"Đơn vị {i}", "district", "huyện", "P") for i in range(len(points))])
    leaves = [(f"1.{j + 1}", "1", f"Tiêu chí 1.{j + 1}", m, "A", j + 3) for j, m in enumerate(maxima)]
    insert_set(
        con,
        "H",
        "district",
        2020,
        [("TOTAL", None, "Tổng", sum(maxima), None, 1), ("1", "TOTAL", "Lĩnh vực 1", sum(maxima), "A", 2), *leaves],
    )
    scores = {}
    for i, unit_points in enumerate(points):
        leaf_points = {f"1.{j + 1}": p for j, p in enumerate(unit_points)}
        only_total = bool(totals_only and totals_only[i] and i > 0)  # U0 is the planning unit
        scores[f"U{i}"] = {"TOTAL": round(sum(unit_points), 2)} if only_total else leaf_points
    insert_scores(con, 2020, scores)
    return con


@QUICK
@given(totals_strategy)
def test_rankings_order_and_rank_agree_and_form_a_competition_ranking(totals):
    with tempfile.TemporaryDirectory() as tmp:
        con = _build(Path(tmp) / "s.duckdb", [100], [[t] for t in totals])
        frame = rankings(con, 2020, "district", "P")
        con.close()
    ranked = frame[frame.has_data]
    assert len(ranked) == len(totals) and (ranked.rank_of == len(totals)).all()
    assert ranked["rank"].is_monotonic_increasing
    assert ranked.total.round(2).is_monotonic_decreasing
    for row in ranked.itertuples():
        assert row.rank == 1 + sum(round_total(t) > round_total(row.total) for t in totals)
    same = ranked.groupby(ranked.total.round(2))["rank"].nunique()
    assert (same == 1).all()


@QUICK
@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=12))
def test_competition_rank_counts_the_strictly_better_ones(values):
    ranks = competition_rank(pd.Series(values)).tolist()
    for value, rank in zip(values, ranks):
        assert rank == 1 + sum(round_total(v) > round_total(value) for v in values) == rank_among(values, value)


@QUICK
@given(districts(), st.integers(1, 6), st.sampled_from(["best", "max"]))
def test_the_plan_meets_the_target_within_caps_and_is_minimal(drawn, target_rank, cap):
    maxima, points, totals_only = drawn
    target_rank = min(target_rank, len(points))
    with tempfile.TemporaryDirectory() as tmp:
        con = _build(Path(tmp) / "s.duckdb", maxima, points, totals_only)
        plan = plan_to_target(con, 2020, "U0", target_rank, cap)
        check = what_if(con, 2020, "U0", {s.criterion_code: s.gain for s in plan.steps})
        con.close()
    others = [round(sum(p), 2) for p in points[1:]]
    own = {f"1.{j + 1}": p for j, p in enumerate(points[0])}
    leaf_peers = [p for i, p in enumerate(points) if i > 0 and not (totals_only[i])]
    caps = {
        f"1.{j + 1}": (m if cap == "max" else max([p[j] for p in leaf_peers], default=0.0))
        for j, m in enumerate(maxima)
    }
    gains = [s.gain for s in plan.steps]
    # Gains add up, and each step moves one criterion from its points towards (never past) its cap.
    assert abs(plan.current_total + sum(gains) - plan.resulting_total) < 1e-6
    assert abs(check.new_total - plan.resulting_total) < 1e-6 and check.new_rank == plan.resulting_rank
    assert len({s.criterion_code for s in plan.steps}) == len(plan.steps)
    for step in plan.steps:
        assert step.from_points == own[step.criterion_code] and step.gain > 0
        assert abs(step.to_points - step.from_points - step.gain) < 1e-6
        assert step.to_points <= caps[step.criterion_code] + 1e-9
        assert step.to_points <= maxima[int(step.criterion_code.split(".")[1]) - 1] + 1e-9
    assert plan.resulting_rank == rank_among(others, plan.resulting_total)
    if plan.reachable:
        assert plan.resulting_rank <= target_rank and plan.shortfall == 0
        for step in plan.steps:  # removing any step breaks the target
            assert rank_among(others, plan.resulting_total - step.gain) > target_rank
    else:
        assert plan.resulting_rank > target_rank and plan.shortfall > 0
        rooms = {c: max(0.0, caps[c] - own[c]) for c in caps}
        assert abs(sum(gains) - sum(rooms.values())) < 1e-6  # every criterion raised to its cap
