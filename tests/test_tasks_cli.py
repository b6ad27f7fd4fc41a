"""`python -m analytics tasks` and `import FILE --kind tasks`: real files, a real store, check → preview →
commit → undo; a bad file names file, row and column and changes nothing."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import openpyxl
import pytest

from analytics.importing.task_file import analyze_tasks, export_frame, template_frame
from analytics.reports.task_files import tasks_csv, tasks_xlsx
from analytics.store import connect
from tests.conftest import ROOT, snapshot_of

SAMPLE = ROOT / "data" / "samples" / "ket-qua-huyen-2021.xlsx"


def cli(*args: str, db) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analytics", *args, "--db", str(db)], cwd=ROOT, capture_output=True, text=True
    )


def xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADER = list(template_frame().columns)


def test_tasks_lists_with_follow_through_once_2021_is_loaded(demo_store):
    before = json.loads(cli("tasks", "--year", "2021", "--format", "json", db=demo_store).stdout)
    assert {t["verdict"] for t in before} == {"pending"}
    assert cli("import", str(SAMPLE), db=demo_store).returncode == 0
    after = json.loads(cli("tasks", "--year", "2021", "--format", "json", db=demo_store).stdout)
    assert len(after) == len(before) and {t["verdict"] for t in after} <= {"improved", "worse", "unchanged"}
    assert all(t["before_pct"] is not None and t["after_pct"] is not None for t in after)
    overdue = json.loads(cli("tasks", "--status", "quá hạn", "--format", "json", db=demo_store).stdout)
    assert overdue and {t["state"] for t in overdue} == {"overdue"}
    table = cli("tasks", "--office", "VP", db=demo_store).stdout
    assert "Văn phòng HĐND và UBND" in table and "Phòng Nội vụ" not in table and "Dữ liệu minh họa" in table


def test_an_unknown_status_is_one_clear_line(demo_store):
    result = cli("tasks", "--status", "xong", db=demo_store)
    assert result.returncode == 2 and result.stderr.startswith("Lỗi: Trạng thái 'xong'")
    assert "Traceback" not in result.stderr


def test_import_a_task_table_then_undo_restores_the_store(tmp_path, demo_store):
    before = snapshot_of(demo_store)
    path = tmp_path / "nhiem-vu.csv"  # text that looks like a formula (in a workbook it would be a formula)
    lines = [
        ",".join(HEADER),
        ',2021,042,Văn phòng HĐND và UBND,"=HYPERLINK(""x"")",Mô tả,3.3; 7.4,"0,5; 0,25",30/11/2021,Đang thực hiện',
    ]
    path.write_bytes("\n".join(lines).encode("utf-8"))
    result = cli("import", str(path), "--kind", "tasks", db=demo_store)
    assert result.returncode == 0, result.stderr
    assert "Thêm mới" in result.stdout and "Đã nạp lô #2" in result.stdout
    con = connect(demo_store)
    try:
        row = con.execute(
            "SELECT t.title, t.office_code, t.status, t.deadline, string_agg(c.criterion_code || '=' || "
            "c.planned_gain, ' ' ORDER BY c.criterion_code) FROM tasks t JOIN task_criteria c ON "
            "c.task_id = t.id WHERE t.batch_id = 2 GROUP BY ALL"
        ).fetchone()
        exported = tasks_csv(export_frame(con, 2021, "042")).decode("utf-8-sig")
    finally:
        con.close()
    assert row[:3] == ('=HYPERLINK("x")', "VP", "doing") and str(row[3]) == "2021-11-30"
    assert row[4] == "3.3=0.5 7.4=0.25"
    assert "'=HYPERLINK" in exported  # a spreadsheet shows it as text, never runs it
    assert cli("undo", "2", db=demo_store).returncode == 0
    after = snapshot_of(demo_store)
    assert {t: after[t] for t in after if t not in ("batches", "meta")} == {
        t: before[t] for t in before if t not in ("batches", "meta")
    }


def test_a_bad_task_table_names_file_row_and_column_and_changes_nothing(tmp_path, demo_store):
    before = snapshot_of(demo_store)
    path = tmp_path / "sai.xlsx"
    path.write_bytes(
        xlsx(
            [
                ["BẢNG NHIỆM VỤ"],
                HEADER,
                ["", 2021, "042", "NV", "Đúng", "", "1.1", "", "31/12/2021", ""],
                ["", 2021, "042", "NV", "Tiêu chí lạ", "", "9.9", "", "31/12/2021", ""],
                ["", 2021, "042", "NV", "Ngày sai", "", "1.1", "", "31/13/2021", ""],
                ["", 2021, "042", "Phòng Không Có", "Cơ quan lạ", "", "1.1", "", "", ""],
                ["", 2021, "042", "NV", "Điểm lạ", "", "1.1; 1.2", "0,5", "", ""],
            ]
        )
    )
    result = cli("import", str(path), "--kind", "tasks", db=demo_store)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    err = result.stderr
    assert "tệp sai.xlsx, trang 'Sheet', dòng 4, cột 'Mã tiêu chí'" in err and "'9.9'" in err
    assert "dòng 5, cột 'Hạn hoàn thành'" in err
    assert "dòng 6, cột 'Cơ quan chủ trì'" in err
    assert "dòng 7, cột 'Điểm cần tăng'" in err and "2 mã tiêu chí nhưng 1 số" in err
    assert "Chưa nạp gì" in err
    assert snapshot_of(demo_store) == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_exported_table_reads_back_unchanged(demo_con, fmt):
    frame = export_frame(demo_con, 2021, "042")
    data = tasks_xlsx(frame) if fmt == "xlsx" else tasks_csv(frame)
    analysis = analyze_tasks(demo_con, f"nhiem-vu.{fmt}", data)
    assert analysis.ok, [p.message for p in analysis.problems]
    assert len(analysis.tasks) == len(frame) and set(analysis.preview.action) == {"Không đổi"}


def test_the_template_reads_back_as_one_new_task(demo_con):
    analysis = analyze_tasks(demo_con, "mau.xlsx", tasks_xlsx(template_frame()))
    assert analysis.ok and list(analysis.preview.action) == ["Thêm mới"]


def test_the_unit_may_be_named(demo_store):
    by_code = json.loads(cli("tasks", "--unit", "042", "--format", "json", db=demo_store).stdout)
    by_name = json.loads(cli("tasks", "--unit", "bao lam", "--format", "json", db=demo_store).stdout)
    with (ROOT / "data" / "demo" / "tasks.csv").open(encoding="utf-8", newline="") as handle:
        demo_tasks = sum(1 for row in csv.DictReader(handle) if row["unit_code"] == "042")
    assert by_code == by_name and len(by_code) == demo_tasks > 0
    unknown = cli("tasks", "--unit", "Không có", db=demo_store)
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr
