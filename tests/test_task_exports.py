"""The task list and template as the office opens them: office names (codes beside them), a readable
actor, real Excel dates shown dd/mm/yyyy, a Vietnamese sheet name; and they still read back."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl

from analytics.importing.history_view import history_table
from analytics.importing.task_file import analyze_tasks, export_frame, template_frame
from analytics.reports.task_files import TEMPLATE_SHEET, tasks_csv, tasks_xlsx
from analytics.store import actor_label, connect, init_empty_store
from analytics.tasks import office_names, task_history


def rows_of(data: bytes) -> tuple[openpyxl.worksheet.worksheet.Worksheet, list[dict]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    return sheet, [dict(zip(header, row)) for row in sheet.iter_rows(min_row=2)]


def test_the_excel_list_names_offices_and_actors_and_holds_real_dates(demo_con):
    sheet, rows = rows_of(tasks_xlsx(export_frame(demo_con, 2021, "042")))
    names = office_names(demo_con)
    assert sheet.title == "Nhiệm vụ" and len(rows) == 13
    for row in rows:
        code, office = row["Mã cơ quan"].value, row["Cơ quan chủ trì"].value
        assert office == names[code] and office != code, (code, office)
        assert row["Người sửa"].value == "Hệ thống (dữ liệu minh họa)"
        deadline, changed = row["Hạn hoàn thành"], row["Sửa lần cuối"]
        assert isinstance(deadline.value, datetime) and deadline.number_format == "dd/mm/yyyy"
        assert deadline.value.time() == datetime.min.time()
        assert isinstance(changed.value, datetime) and changed.number_format == "dd/mm/yyyy hh:mm"
    done = [r["Ngày hoàn thành"] for r in rows if r["Trạng thái"].value == "Hoàn thành" and r["Ngày hoàn thành"].value]
    assert done and all(c.number_format == "dd/mm/yyyy" for c in done)
    first = next(r for r in rows if r["Mã nhiệm vụ"].value == 6)
    assert first["Hạn hoàn thành"].value.date() == date(2021, 10, 31)
    assert first["Cơ quan chủ trì"].value == "Văn phòng HĐND và UBND"


def test_the_csv_list_writes_dates_and_names_as_people_read_them(demo_con):
    rows = list(csv.DictReader(io.StringIO(tasks_csv(export_frame(demo_con, 2021, "042")).decode("utf-8-sig"))))
    first = next(r for r in rows if r["Mã nhiệm vụ"] == "6")
    assert (first["Cơ quan chủ trì"], first["Mã cơ quan"]) == ("Văn phòng HĐND và UBND", "VP")
    assert first["Hạn hoàn thành"] == "31/10/2021"
    assert datetime.strptime(first["Sửa lần cuối"], "%d/%m/%Y %H:%M")
    assert {r["Người sửa"] for r in rows} == {"Hệ thống (dữ liệu minh họa)"}


def test_the_template_sheet_is_named_in_vietnamese_with_a_real_date(demo_con):
    sheet, rows = rows_of(tasks_xlsx(template_frame(), TEMPLATE_SHEET))
    assert sheet.title == "Mẫu nhiệm vụ"
    (row,) = rows
    assert row["Cơ quan chủ trì"].value == "Văn phòng HĐND và UBND"
    assert row["Hạn hoàn thành"].value == datetime(2021, 11, 30) and row["Hạn hoàn thành"].number_format == "dd/mm/yyyy"
    analysis = analyze_tasks(demo_con, "mau-nhiem-vu.xlsx", tasks_xlsx(template_frame(), TEMPLATE_SHEET))
    assert analysis.ok and analysis.tasks[0].office_code == "VP"
    assert analysis.tasks[0].deadline == date(2021, 11, 30)


def test_an_old_template_sheet_with_office_codes_still_reads(demo_con):
    old = template_frame().assign(**{"Cơ quan chủ trì": "VP", "Hạn hoàn thành": "30/11/2021"})
    analysis = analyze_tasks(demo_con, "mau-nhiem-vu.xlsx", tasks_xlsx(old, "Mau nhiem vu"))
    assert analysis.ok and (analysis.tasks[0].office_code, analysis.tasks[0].deadline) == ("VP", date(2021, 11, 30))


def moved(frame, office: str, code: str | None):
    """The export with task 6 handed to another office, as a person edits the file."""
    edited = frame.copy()
    at = edited.index[edited["Mã nhiệm vụ"] == 6][0]
    edited.loc[at, "Cơ quan chủ trì"], edited.loc[at, "Mã cơ quan"] = office, code
    return edited


def test_an_edited_office_name_reads_back_as_that_office(demo_con):
    frame = moved(export_frame(demo_con, 2021, "042"), "Phòng Nội vụ", None)
    for data, name in ((tasks_xlsx(frame), "nhiem-vu.xlsx"), (tasks_csv(frame), "nhiem-vu.csv")):
        analysis = analyze_tasks(demo_con, name, data)
        assert analysis.ok, [p.message for p in analysis.problems]
        assert next(t for t in analysis.tasks if t.id == 6).office_code == "NV"
        assert analysis.preview.set_index("id").loc[6, ["action", "office_code"]].tolist() == ["Sửa", "Phòng Nội vụ"]


def test_a_name_and_a_code_that_disagree_are_refused_at_their_row_and_column(demo_con):
    frame = moved(export_frame(demo_con, 2021, "042"), "Phòng Nội vụ", "VP")
    analysis = analyze_tasks(demo_con, "nhiem-vu.xlsx", tasks_xlsx(frame))
    assert not analysis.ok and not analysis.tasks
    (problem,) = analysis.errors
    line = 2 + list(frame["Mã nhiệm vụ"]).index(6)
    assert (problem.sheet, problem.row, problem.column) == ("Nhiệm vụ", line, "Cơ quan chủ trì")
    assert "không khớp với mã cơ quan 'VP'" in problem.message


def test_the_store_s_own_loads_read_as_the_system_everywhere(demo_con, tmp_path):
    assert history_table(demo_con).set_index("Lô").loc[1, "Người thực hiện"] == "Hệ thống (dữ liệu minh họa)"
    first_task = int(export_frame(demo_con, 2021, "042")["Mã nhiệm vụ"].iloc[0])
    assert set(task_history(demo_con, first_task).actor) == {"init"}  # stored as written; shown through one rule
    init_empty_store(tmp_path / "trong.duckdb", "04")
    con = connect(tmp_path / "trong.duckdb")
    try:
        assert set(history_table(con)["Người thực hiện"]) == {"Hệ thống (khởi tạo kho)"}
    finally:
        con.close()
    assert actor_label("bien tap vien", "tasks") == "bien tap vien"
