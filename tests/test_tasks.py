"""Tasks as data: made from the plan, checked, versioned in batches with who and when, undone exactly."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from analytics.errors import CchcError
from analytics.importing import history, undo_batch
from analytics.plan import plan_to_target
from analytics.schema import DATA_TABLES, MIGRATIONS, SCHEMA_VERSION, current_version
from analytics.store import connect, init_store
from analytics.tasks import (
    Changes,
    Task,
    TaskCriterion,
    default_deadline,
    list_tasks,
    load_task,
    parse_criteria,
    save_changes,
    task_for_criterion,
    task_history,
    task_notes,
    task_state,
    tasks_from_plan,
)
from tests.conftest import snapshot

AUDIT_TABLES = ("batches", "meta")


def assert_restored(before: dict, after: dict, batch_id: int, undo_id: int) -> None:
    """Every table as before; batches gains only the batch (marked undone) and its undo row."""
    for table in DATA_TABLES:
        if table not in AUDIT_TABLES:
            assert after[table] == before[table], table
    added = {row[0]: row for row in set(after["batches"]) - set(before["batches"])}
    assert set(added) == {batch_id, undo_id}
    assert added[batch_id][9] == undo_id and added[undo_id][6] == "undo" and added[undo_id][8] == batch_id


def new_task(**fields) -> Task:
    values = dict(
        year=2021,
        unit_code="042",
        office_code="VP",
        title="Nâng tỷ lệ hồ sơ đúng hạn",
        criteria=(TaskCriterion("3.3", 0.5),),
        deadline=date(2021, 11, 30),
    )
    return Task(**{**values, **fields})


def test_a_task_made_from_a_plan_step_carries_its_criterion_office_and_points(demo_con):
    plan = plan_to_target(demo_con, 2020, "042")
    drafts, skipped = tasks_from_plan(demo_con, plan)
    taken = {r[0] for r in demo_con.execute("SELECT criterion_code FROM task_criteria").fetchall()}
    assert skipped == [s.criterion_code for s in plan.steps if s.criterion_code in taken]
    assert drafts, "the demo plan has a step no demo task targets"
    batch = save_changes(demo_con, Changes(tasks=drafts), "pytest")
    stored = list_tasks(demo_con, 2021, "042")
    made = stored[stored.changed_by == "pytest"]
    assert len(made) == len(drafts)
    steps = {s.criterion_code: s for s in plan.steps}
    for task_id in made.id:
        task = load_task(demo_con, int(task_id))
        (criterion,) = task.criteria
        step = steps[criterion.code]
        assert (task.office_code, criterion.planned_gain) == (step.owner_office, round(step.gain, 2))
        assert (task.year, task.unit_code, task.status, task.deadline) == (2021, "042", "todo", date(2021, 11, 30))
    assert tasks_from_plan(demo_con, plan)[0] == [], "pressing the button again makes no duplicates"
    assert history(demo_con).set_index("id").loc[batch, "kind"] == "edit"


def test_a_weak_criterion_becomes_a_task_of_its_office(demo_con):
    task = task_for_criterion(demo_con, 2020, "042", "7.5", 1.0)
    office = demo_con.execute(
        "SELECT office_code FROM criteria WHERE code = '7.5' AND set_code = 'DEMO-HUYEN-2020'"
    ).fetchone()[0]
    assert (task.year, task.office_code, task.criteria) == (2021, office, (TaskCriterion("7.5", 1.0),))


def test_every_change_is_in_the_audit_trail_with_who_and_when_and_undoes_exactly(demo_con):
    before = snapshot(demo_con)
    task = load_task(demo_con, 10)
    batch = save_changes(
        demo_con,
        Changes(tasks=[replace(task, status="done")], notes=[(10, "Đã cấp chứng nhận")]),
        "bien tap vien",
        today=date(2021, 12, 20),
    )
    versions = task_history(demo_con, 10)
    assert list(versions.status) == ["todo", "done"] and list(versions.actor) == ["init", "bien tap vien"]
    assert versions.replaced_by_batch_id.iloc[0] == batch and versions.created_at.notna().all()
    assert load_task(demo_con, 10).done_on == date(2021, 12, 20)
    notes = task_notes(demo_con, 10)
    assert (notes.note.iloc[0], notes.actor.iloc[0], notes.noted_on.iloc[0].date()) == (
        "Đã cấp chứng nhận",
        "bien tap vien",
        date(2021, 12, 20),
    )
    row = history(demo_con).set_index("id").loc[batch]
    assert (row.kind, row.actor, row["mode"], bool(row.can_undo)) == ("edit", "bien tap vien", "tasks", True)
    undo_id = undo_batch(demo_con, batch, "bien tap vien")
    assert_restored(before, snapshot(demo_con), batch, undo_id)


def test_new_and_removed_tasks_undo_exactly(demo_con):
    before = snapshot(demo_con)
    added = save_changes(demo_con, Changes(tasks=[new_task()]), "pytest")
    task_id = int(list_tasks(demo_con, 2021, "042").query("changed_by == 'pytest'").id.iloc[0])
    removed = save_changes(demo_con, Changes(removed=[task_id, 3]), "pytest")
    assert {3, task_id}.isdisjoint(set(list_tasks(demo_con).id))
    with pytest.raises(CchcError, match=f"lô #{removed}"):
        undo_batch(demo_con, added, "pytest")  # its task was removed later: that batch first
    undo_batch(demo_con, removed, "pytest")
    assert load_task(demo_con, 3).criteria == (TaskCriterion("5.3", 0.5),)
    undo_id = undo_batch(demo_con, added, "pytest")
    after = snapshot(demo_con)
    for table in DATA_TABLES:
        if table not in AUDIT_TABLES:
            assert after[table] == before[table], table
    assert undo_id > removed


def test_saving_an_unchanged_task_writes_nothing(demo_con):
    before = snapshot(demo_con)
    assert save_changes(demo_con, Changes(tasks=[load_task(demo_con, 1)]), "pytest") is None
    assert snapshot(demo_con) == before


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (dict(criteria=(TaskCriterion("9.9"),)), "không có tiêu chí '9.9'"),
        (dict(criteria=(TaskCriterion("3.3", 9.0),)), "điểm cần tăng ở tiêu chí 3.3 phải từ 0 đến 4,00"),
        (dict(office_code="XYZ"), "không có cơ quan mã 'XYZ'"),
        (dict(title="  \x07 "), "chưa có tên nhiệm vụ"),
        (dict(criteria=()), "cần ít nhất một tiêu chí"),
        (dict(status="finished"), "trạng thái 'finished' không hợp lệ"),
    ],
)
def test_a_bad_task_is_refused_with_a_message_and_changes_nothing(demo_con, change, words):
    before = snapshot(demo_con)
    with pytest.raises(CchcError, match=words):
        save_changes(demo_con, Changes(tasks=[new_task(**change)]), "pytest")
    assert snapshot(demo_con) == before


def test_control_characters_are_dropped_from_text(demo_con):
    save_changes(demo_con, Changes(tasks=[new_task(title="Tên\x1b[31m có mã điều khiển\x00")]), "pytest")
    titles = set(list_tasks(demo_con).title)
    assert "Tên[31m có mã điều khiển" in titles


def test_overdue_is_computed_from_the_deadline():
    day = date(2021, 12, 1)
    assert task_state("doing", date(2021, 11, 30), day) == "overdue"
    assert task_state("todo", date(2021, 12, 1), day) == "todo"
    assert task_state("done", date(2021, 1, 1), day) == "done"
    assert task_state("todo", None, day) == "todo"
    assert default_deadline(2021) == date(2021, 11, 30)


def test_the_list_puts_overdue_tasks_first_and_filters(demo_con):
    frame = list_tasks(demo_con, 2021, "042", today=date(2021, 11, 1))
    assert list(frame.state[:1]) == ["overdue"]  # task 6 (31/10/2021) is not done
    states = list(frame.state)
    assert states == sorted(states, key=lambda s: {"overdue": 0, "doing": 1, "todo": 2, "done": 3}[s])
    vp = list_tasks(demo_con, 2021, "042", "VP", today=date(2021, 11, 1))
    assert set(vp.office_code) == {"VP"} and len(vp) == 3


def test_criteria_as_people_write_them():
    assert parse_criteria("3.2; 3.3", "0,5; 0,25") == (TaskCriterion("3.2", 0.5), TaskCriterion("3.3", 0.25))
    assert parse_criteria("7.1", "") == (TaskCriterion("7.1"),)
    with pytest.raises(CchcError, match="2 mã tiêu chí nhưng 1 số"):
        parse_criteria("3.2; 3.3", "0,5")


def test_a_v2_store_is_migrated_to_the_task_tables_keeping_its_batches(tmp_path):
    path = tmp_path / "v2.duckdb"
    con = connect(path)
    for version in (1, 2):
        for statement in MIGRATIONS[version]:
            con.execute(statement)
    con.execute("INSERT INTO meta VALUES ('schema_version', '2'), ('data_version', '4')")
    con.execute(
        "INSERT INTO batches VALUES (1, TIMESTAMP '2021-04-01 08:00:00', 'a.csv', NULL, 80, 'cli', "
        "'import', 'insert', NULL, NULL, 'Năm 2021')"
    )
    con.close()
    assert init_store(path) is False
    con = connect(path)
    assert current_version(con) == SCHEMA_VERSION
    assert con.execute("SELECT source_name, kind FROM batches").fetchall() == [("a.csv", "import")]
    assert con.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0
    con.close()
