"""AppTest of the task wiring: without the editor sign-in nothing can be changed; signed in, the plan's
steps become tasks, a task is marked done, and the overview's task summary follows."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.auth import hash_password
from analytics.settings import EDITOR_PASSWORD_HASH
from analytics.store import connect
from tests.cards import card_values
from tests.conftest import ROOT, snapshot_of

APP = str(ROOT / "app.py")
PASSWORD = "mat-khau-bien-tap-vien"
PARAMS = {"year": "2020", "unit": "042", "level": "district"}


@pytest.fixture
def app(demo_store, monkeypatch):
    monkeypatch.setenv("CCHC_DB", str(demo_store))
    monkeypatch.setenv(EDITOR_PASSWORD_HASH.name, hash_password(PASSWORD))
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in PARAMS.items():
        at.query_params[key] = value
    at.run()
    return at


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(at: AppTest) -> AppTest:
    go(at, "tasks")
    at.text_input(key="editor_password").input(PASSWORD)
    return at.button(key="editor_sign_in_button").click().run()


def summary(at: AppTest) -> dict[str, str]:
    go(at, "overview")
    return card_values(at)


def test_without_sign_in_nothing_can_be_changed(app, demo_store):
    before = snapshot_of(demo_store)
    go(app, "tasks")
    assert app.title[0].value == "Nhiệm vụ"
    assert not [b for b in app.button if b.key in ("tasks_save_table", "remove_confirm")]
    assert "tasks_editor" not in [getattr(e, "key", None) for e in app.get("arrow_data_frame")]
    assert app.text_input(key="editor_password") is not None
    go(app, "plan")
    assert not [b for b in app.button if b.key == "plan_make_tasks"]
    assert any("Đăng nhập biên tập viên" in c.value for c in app.caption)
    go(app, "criteria")
    assert not [b for b in app.button if b.key == "criterion_make_task"]
    assert snapshot_of(demo_store) == before


def test_plan_steps_become_tasks_and_marking_one_done_moves_the_overview(app, demo_store):
    first = summary(app)
    done, total = map(int, first["Hoàn thành"].split("/"))
    sign_in(app)
    go(app, "plan")
    app.button(key="plan_make_tasks").click().run()
    made = [s.value for s in app.success]
    assert made and made[0].startswith("Đã giao ") and "từ kế hoạch" in made[0]
    count = int(made[0].split()[2])
    assert summary(app)["Hoàn thành"] == f"{done}/{total + count}"

    con = connect(demo_store)
    try:
        new_id = con.execute("SELECT max(id) FROM tasks").fetchone()[0]
    finally:
        con.close()
    go(app, "tasks")
    app.selectbox(key="progress_task").select(new_id)
    app.selectbox(key="progress_status").select("done")
    app.text_area(key="progress_note").input("Đã triển khai khảo sát")
    app.button[[b.label for b in app.button].index("Lưu tiến độ")].click().run()
    assert any(f"nhiệm vụ #{new_id}: hoàn thành" in s.value.replace("\\", "") for s in app.success)
    assert summary(app)["Hoàn thành"] == f"{done + 1}/{total + count}"
    con = connect(demo_store)
    try:
        status, note = con.execute(
            "SELECT t.status, n.note FROM tasks t JOIN task_notes n ON n.task_id = t.id WHERE t.id = ?", [new_id]
        ).fetchone()
    finally:
        con.close()
    assert (status, note) == ("done", "Đã triển khai khảo sát")


def test_a_weak_criterion_becomes_a_task(app, demo_store):
    sign_in(app)
    go(app, "criteria")
    code = app.selectbox(key="criterion_task_code").value
    app.button(key="criterion_make_task").click().run()
    assert any(f"tiêu chí {code}" in s.value for s in app.success)
    con = connect(demo_store)
    try:
        assert (
            con.execute(
                "SELECT count(*) FROM tasks t JOIN task_criteria c ON c.task_id = t.id WHERE "
                "c.criterion_code = ? AND t.year = 2021",
                [code],
            ).fetchone()[0]
            >= 1
        )
    finally:
        con.close()


def test_every_tab_of_the_tasks_page_runs(app):
    go(app, "tasks")
    assert len(app.tabs) == 6
    columns = [list(frame.value.columns) for frame in app.dataframe]
    assert any("Hoàn thành đúng hạn" in c for c in columns)  # the office scorecard
    assert any(i.value.startswith("Chưa có kết quả năm 2021") for i in app.info)  # before/after waits for 2021


def test_a_row_edited_in_the_table_becomes_the_new_version_of_its_task(demo_con):
    from analytics.tasks import Changes, list_tasks, load_task, save_changes
    from ui.task_page import edited_task, offices, table_frame

    frame = list_tasks(demo_con, 2021, "042")
    shown = table_frame(frame[frame.id == 6], demo_con)
    row = shown.loc[6].copy()
    row["Trạng thái"], row["Tiêu chí"], row["Điểm cần tăng"] = "Hoàn thành", "3.2; 3.3; 7.4", "0,5; 0,5; 0,25"
    row["Cơ quan"] = "Phòng Nội vụ"
    codes = {name: code for code, name in offices(demo_con).items()}
    task = edited_task(demo_con, 6, row, codes)
    assert save_changes(demo_con, Changes(tasks=[task]), "pytest") is not None
    stored = load_task(demo_con, 6)
    assert (stored.status, stored.office_code) == ("done", "NV")
    assert [(c.code, c.planned_gain) for c in stored.criteria] == [("3.2", 0.5), ("3.3", 0.5), ("7.4", 0.25)]


def keyed_table(at: AppTest, key: str):
    (table,) = [d for d in at.dataframe if d.proto.id.endswith(key)]
    return table


def test_the_list_puts_the_task_and_its_deadline_first_in_a_wide_column(app):
    go(app, "tasks")
    table = keyed_table(app, "tasks_table")
    assert list(table.value.columns)[:3] == ["Nhiệm vụ", "Hạn", "Tình trạng"]
    assert table.value.index.name == "Số"
    assert json.loads(table.proto.columns)["Nhiệm vụ"]["width"] == "large"
    assert any("Chọn một dòng" in c.value for c in app.caption)


def test_signed_in_the_editor_also_starts_with_the_task(app):
    sign_in(app)
    assert list(keyed_table(app, "tasks_editor").value.columns)[:2] == ["Nhiệm vụ", "Hạn"]
    assert [s.value for s in app.success] == ["Đang đăng nhập: biên tập viên (mật khẩu)"]


def test_a_task_in_full_is_text_never_markup():
    from ui.task_page import task_detail_html

    row = pd.Series(
        {
            "Nhiệm vụ": "**Gấp** <img src=x onerror=alert(1)> [xem](www.evil.example)",
            "Hạn": date(2021, 11, 30),
            "Tình trạng": "Quá hạn",
            "Cơ quan": "Phòng Nội vụ",
            "Tiêu chí": "5.4",
            "Điểm cần tăng": "0,5",
        },
        name=42,
    )
    html = task_detail_html(row, "<script>alert(1)</script>")
    assert "<img" not in html and "<script>" not in html and "&lt;img src=x" in html
    assert (
        "#42 — **Gấp**" in html and "Hạn 30/11/2021 · Quá hạn · Phòng Nội vụ · tiêu chí 5.4 (điểm cần tăng 0,5)" in html
    )
