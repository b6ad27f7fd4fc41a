"""Follow-through: once the results of the year a task served are loaded, did its criteria move?

Expected values are read from the files and the store independently of the code under test:
the 2021 sample's field points of Bảo Lâm against its 2020 field points in the store.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from analytics.importing import ImportOptions, analyze, commit_import
from analytics.task_results import follow_through, plan_progress, scorecard, task_verdicts
from analytics.tasks import Changes, Task, TaskCriterion, list_tasks, save_changes
from tests.conftest import ROOT

SAMPLE = ROOT / "data" / "samples" / "ket-qua-huyen-2021.csv"
TODAY = date(2022, 3, 1)


def load(con, name: str, data: bytes) -> None:
    analysis = analyze(con, name, data, ImportOptions())
    assert analysis.ok, [p.message for p in analysis.errors]
    commit_import(con, analysis, "pytest")


def sample_fields(unit: str) -> dict[str, float]:
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))[1:]
    header, row = rows[0], next(r for r in rows[1:] if r[2] == unit)
    return {h.split()[-1]: float(v) for h, v in zip(header, row) if h.startswith("Lĩnh vực")}


def stored_fields(con, year: int, unit: str) -> dict[str, float]:
    rows = con.execute(
        """SELECT split_part(criterion_code, '.', 1), sum(points) FROM scores
                          WHERE year = ? AND unit_code = ? AND criterion_code LIKE '%.%' GROUP BY 1""",
        [year, unit],
    ).fetchall()
    return dict(rows)


def a_criterion_of(con, field: str) -> str:
    return con.execute(
        "SELECT min(code) FROM criteria WHERE set_code = 'DEMO-HUYEN-2020' AND parent_code = ?", [field]
    ).fetchone()[0]


@pytest.fixture
def with_2021(demo_con):
    load(demo_con, SAMPLE.name, SAMPLE.read_bytes())
    return demo_con


def test_before_2021_is_loaded_every_task_waits_for_its_results(demo_con):
    rows = follow_through(demo_con, 2021, "042", today=TODAY)
    assert len(rows) and set(rows.verdict) == {"pending"}


def test_with_2021_loaded_a_criterion_that_rose_is_improved_and_one_that_fell_is_worse(with_2021):
    con = with_2021
    before, after = stored_fields(con, 2020, "042"), sample_fields("042")
    rose = max(before, key=lambda f: after[f] - before[f])
    fell = min(before, key=lambda f: after[f] - before[f])
    assert after[rose] > before[rose] and after[fell] < before[fell]
    tasks = [
        Task(2021, "042", "NV", f"Nhiệm vụ lĩnh vực {f}", (TaskCriterion(a_criterion_of(con, f), 0.5),))
        for f in (rose, fell)
    ]
    save_changes(con, Changes(tasks=tasks), "pytest")
    ids = list_tasks(con, 2021, "042").query("changed_by == 'pytest'").set_index("title").id
    rows = follow_through(con, 2021, "042", today=TODAY).set_index("task_id")
    for field, expected in ((rose, "improved"), (fell, "worse")):
        row = rows.loc[ids[f"Nhiệm vụ lĩnh vực {field}"]]
        assert row.verdict == expected
        assert row.measured_code == field  # the 2021 sample has field totals only
        assert (row.before_year, row.after_year) == (2020, 2021)
        assert row.before_points == pytest.approx(before[field]) and row.after_points == pytest.approx(after[field])
        assert row.change_points == pytest.approx(after[field] - before[field])


def test_criterion_level_results_are_compared_criterion_by_criterion(demo_con):
    rows = demo_con.execute("""SELECT s.unit_code, s.criterion_code, s.points FROM scores s JOIN units u
                               ON u.code = s.unit_code WHERE s.year = 2020 AND u.level = 'district'
                               AND s.criterion_code LIKE '%.%' ORDER BY 1, 2""").fetchall()
    moved = {("042", "7.1"): 1.0, ("042", "3.3"): -0.5}
    lines = ["Năm,Mã đơn vị,Mã tiêu chí,Điểm"] + [f"2021,{u},{c},{p + moved.get((u, c), 0):.2f}" for u, c, p in rows]
    load(demo_con, "tieu-chi-2021.csv", "\n".join(lines).encode())
    save_changes(
        demo_con,
        Changes(
            tasks=[
                Task(2021, "042", "VHTT", "CNTT", (TaskCriterion("7.1", 1.0),)),
                Task(2021, "042", "VP", "Hồ sơ", (TaskCriterion("3.3", 0.5),)),
            ]
        ),
        "pytest",
    )
    found = follow_through(demo_con, 2021, "042", today=TODAY)
    mine = found[found.title.isin(["CNTT", "Hồ sơ"])].set_index("title")
    assert list(mine.measured_code) == list(mine.criterion_code)
    assert (mine.loc["CNTT", "verdict"], mine.loc["Hồ sơ", "verdict"]) == ("improved", "worse")
    assert mine.loc["CNTT", "change_points"] == pytest.approx(1.0)
    assert mine.loc["Hồ sơ", "change_points"] == pytest.approx(-0.5)
    unchanged = found[(found.measured_code == "1.1")]
    assert set(unchanged.verdict) == {"unchanged"}  # task 1 targets 1.1, which did not move


def test_the_office_scorecard_adds_up(with_2021):
    con = with_2021
    card = scorecard(con, 2021, "042", today=TODAY)
    tasks = list_tasks(con, 2021, "042", today=TODAY)
    rows = follow_through(con, 2021, "042", today=TODAY)
    gained = task_verdicts(rows).points_gained
    assert card.tasks.sum() == len(tasks)
    assert card.done.sum() == (tasks.status == "done").sum()
    on_time = sum(s == "done" and (d is None or o <= d) for s, d, o in zip(tasks.status, tasks.deadline, tasks.done_on))
    assert card.done_on_time.sum() == on_time
    assert card.overdue.sum() == (tasks.state == "overdue").sum()
    assert card.criteria_targeted.sum() == len(rows)
    assert card.criteria_improved.sum() == (rows.verdict == "improved").sum()
    assert card.criteria_worse.sum() == (rows.verdict == "worse").sum()
    assert card.points_planned.sum() == pytest.approx(rows.planned_gain.sum())
    assert card.points_gained.sum() == pytest.approx(gained.sum())
    for office, group in tasks.groupby("office_code"):
        assert card.set_index("office_code").loc[office, "tasks"] == len(group)
    order = [r[0] for r in con.execute("SELECT code FROM offices ORDER BY rowid").fetchall()]
    assert list(card.office_code) == [c for c in order if c in set(tasks.office_code)]


def test_plan_progress_counts_done_late_and_on_track_and_the_points(demo_con):
    day = date(2021, 11, 15)
    found = plan_progress(demo_con, 2020, "042", today=day)
    tasks = list_tasks(demo_con, 2021, "042", today=day)
    assert (found.total, found.done) == (len(tasks), (tasks.status == "done").sum())
    assert found.late == (tasks.state == "overdue").sum() and found.late + found.on_track + found.done == found.total
    assert found.points_planned == pytest.approx(tasks.planned_gain.sum())
    gap = demo_con.execute("SELECT value FROM targets WHERE unit_code = '042' AND metric = 'rank'").fetchone()[0]
    assert (found.target_rank, found.rank_of, found.year_served) == (int(gap), 10, 2021)
    assert found.points_needed > 0 and found.is_demo
