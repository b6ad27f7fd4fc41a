"""Self-assessment against appraisal: a results file with "Điểm tự chấm" yields the cuts per criterion
and per office, and the Excel export carries them."""

from __future__ import annotations

import io

import openpyxl
import pytest

from analytics.importing import ImportOptions, analyze, commit_import
from analytics.reports.workbook import analytics_workbook
from analytics.self_assessment import criterion_cuts, largest_cuts, office_cuts

# Bảo Lâm's self-assessed points above the appraised ones (the appraisal cut these).
CUTS = {"7.1": 0.5, "3.3": 0.5, "6.2": 0.25, "7.2": 0.25}


def comma(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def results_with_self_points(con) -> bytes:
    rows = con.execute("""SELECT s.unit_code, s.criterion_code, s.points FROM scores s JOIN units u
                          ON u.code = s.unit_code WHERE s.year = 2020 AND u.level = 'district'
                          AND s.criterion_code LIKE '%.%' ORDER BY 1, 2""").fetchall()
    lines = ["Năm,Mã đơn vị,Mã tiêu chí,Điểm,Điểm tự chấm"]
    for unit, code, points in rows:
        own = points + (CUTS.get(code, 0.0) if unit == "042" else 0.0)
        lines.append(f'2021,{unit},{code},"{comma(points)}","{comma(own)}"')
    return "\n".join(lines).encode()


@pytest.fixture
def loaded(demo_con):
    analysis = analyze(demo_con, "tu-cham-2021.csv", results_with_self_points(demo_con), ImportOptions())
    assert analysis.ok, [p.message for p in analysis.errors]
    commit_import(demo_con, analysis, "pytest")
    return demo_con


def test_the_file_stores_the_self_assessed_points(loaded):
    stored = dict(
        loaded.execute(
            "SELECT criterion_code, self_points - points FROM scores WHERE year = 2021 "
            "AND unit_code = '042' AND self_points IS NOT NULL"
        ).fetchall()
    )
    assert {c: round(v, 6) for c, v in stored.items() if round(v, 6)} == CUTS


def test_cuts_per_criterion_and_per_office(loaded):
    cuts = criterion_cuts(loaded, 2021, "042")
    assert {c: v for c, v in zip(cuts.criterion_code, cuts.cut) if v} == pytest.approx(CUTS)
    assert (cuts.cut_pct[cuts.criterion_code == "7.1"] == 12.5).all()  # 0,5 of a maximum of 4
    owners = dict(
        loaded.execute("SELECT code, office_code FROM criteria WHERE set_code = 'DEMO-HUYEN-2020'").fetchall()
    )
    expected = {}
    for code, cut in CUTS.items():
        expected[owners[code]] = expected.get(owners[code], 0) + cut
    per_office = office_cuts(cuts)
    assert {o: c for o, c in zip(per_office.office_code, per_office.cut) if c} == pytest.approx(expected)
    assert per_office.cut.is_monotonic_decreasing
    assert list(largest_cuts(cuts, 2).criterion_code) == ["3.3", "7.1"]  # 0,5 each, in the set's order


def test_no_self_points_no_cuts(demo_con):
    assert criterion_cuts(demo_con, 2020, "042").empty


def test_the_excel_export_has_the_cuts(loaded):
    book = openpyxl.load_workbook(io.BytesIO(analytics_workbook(loaded, 2021, "042")))
    sheet = book["Tự chấm - thẩm định"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    found = {r["Mã tiêu chí"]: r["Điểm bị trừ khi thẩm định"] for r in rows if r["Điểm bị trừ khi thẩm định"]}
    assert found == pytest.approx(CUTS)
    assert "Bị trừ theo cơ quan" in book.sheetnames
    assert (
        "Tự chấm - thẩm định"
        not in openpyxl.load_workbook(io.BytesIO(analytics_workbook(loaded, 2020, "042"))).sheetnames
    )


def test_a_clean_file_with_self_points_takes_the_fast_path_and_gives_what_the_cell_by_cell_path_gives(demo_con):
    from analytics.importing.fastlong import analyze_fast
    from analytics.importing.problems import ProblemList

    rows = [line.split(",", 3) for line in results_with_self_points(demo_con).decode().splitlines()[1:]]
    numbers = [[c.strip('"').replace(",", ".") for c in rest.split('","')] for *_, rest in rows]
    header = "Năm,Mã đơn vị,Mã tiêu chí,Điểm,Điểm tự chấm"
    clean = "\n".join([header] + [",".join([*r[:3], *n]) for r, n in zip(rows, numbers)]) + "\n"
    fast = analyze_fast(demo_con, "a.csv", clean.encode(), ImportOptions(), ProblemList("a.csv"))
    assert fast is not None, "a clean long CSV with a self-points column stays on the fast path"
    semicolons = "\n".join(
        [header.replace(",", ";")]
        + [";".join([*r[:3], *(v.replace(".", ",") for v in n)]) for r, n in zip(rows, numbers)]
    )
    slow = analyze(demo_con, "b.csv", semicolons.encode(), ImportOptions())  # not a comma CSV: cell by cell
    assert slow.ok and fast.rows == slow.rows
    assert sum(1 for row in fast.rows if round(row[4] - row[3], 6)) == len(CUTS)


def test_self_points_above_the_maximum_are_named_by_row_and_column(demo_con):
    data = "Năm,Mã đơn vị,Mã tiêu chí,Điểm,Điểm tự chấm\n2021,042,7.1,2.00,9.00\n".encode()
    analysis = analyze(demo_con, "tu-cham.csv", data, ImportOptions())
    messages = [p.message for p in analysis.errors]
    assert any("dòng 2, cột 'Điểm tự chấm'" in m and "vượt điểm tối đa" in m for m in messages), messages
