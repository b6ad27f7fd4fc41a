"""`python -m analytics rank|gaps|plan|communes|indicators`: F1–F7 through the JSON, options and errors."""

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from analytics.cli import main
from analytics.gaps import gaps
from tests.conftest import ROOT
from tests.stores import tiny_store

KHA_2020 = {"01290", "01294", "01297", "01303", "01300", "01312", "01296", "01318", "01316"}
MOVED_UP = {"01300", "01312", "01296", "01318", "01316"}
NO_E_ONE_STOP = {"01315", "01316", "01296", "01318", "01291", "01300", "01309"}


def run_cli(db, *args, env=None):
    """Run the CLI in a real subprocess: (exit status, stdout, stderr)."""
    full_env = {k: v for k, v in os.environ.items() if k != "CCHC_HOME_UNIT"} | (env or {})
    done = subprocess.run(
        [sys.executable, "-m", "analytics", *args, "--db", str(db)],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout, done.stderr


def cli_json(db, *args, env=None):
    status, out, err = run_cli(db, *args, "--format", "json", env=env)
    assert status == 0, err
    return json.loads(out)


@pytest.fixture(scope="module")
def db(demo_store_template):
    return demo_store_template  # the CLI opens it read-only


def _row(rows, code):
    return next(r for r in rows if r["unit_code"] == code)


def test_f1_f2_rank_json(db):
    rows_2020 = cli_json(db, "rank")  # defaults: latest year, district level, 042's province
    for key in ["unit_code", "unit_name", "total", "rank", "rank_of", "delta_total", "delta_rank", "band"]:
        assert key in rows_2020[0]
    bao_lam = _row(rows_2020, "042")
    assert (bao_lam["total"], bao_lam["rank"], bao_lam["rank_of"]) == (73.79, 9, 10)
    assert (bao_lam["delta_total"], bao_lam["delta_rank"]) == (-7.21, -2)
    bao_lam_2019 = _row(cli_json(db, "rank", "--year", "2019"), "042")
    assert (bao_lam_2019["total"], bao_lam_2019["rank"], bao_lam_2019["rank_of"]) == (81.0, 7, 10)


def test_f3_f4_f5_communes_json(db):
    rows = cli_json(db, "communes", "--year", "2020")
    for key in ["unit_code", "unit_name", "total", "band", "band_previous", "delta_total"]:
        assert key in rows[0]
    bands = {band: {r["unit_code"] for r in rows if r["band"] == band} for band in {r["band"] for r in rows}}
    assert bands == {"Tốt": {"01304"}, "Khá": KHA_2020, "Trung bình": {"01315", "01291", "01309"}}
    before = {band: {r["unit_code"] for r in rows if r["band_previous"] == band} for band in ["Tốt", "Khá"]}
    assert before == {"Tốt": {"01304"}, "Khá": {"01290", "01294", "01297", "01303"}}
    assert sum(r["band_previous"] == "Trung bình" for r in rows) == 8
    assert {r["unit_code"] for r in rows if (r["band_previous"], r["band"]) == ("Trung bình", "Khá")} == MOVED_UP
    assert round(sum(r["delta_total"] for r in rows) / len(rows), 1) == 3.0


def test_f6_gaps_json(db):
    rows = cli_json(db, "gaps", "--year", "2020", "--unit", "Bảo Lâm", "--depth", "1")
    for key in [
        "criterion_code",
        "criterion_name",
        "depth",
        "max_points",
        "points",
        "reference_points",
        "gap_points",
        "owner_office",
    ]:
        assert key in rows[0]
    assert {r["criterion_code"] for r in rows[:4]} == {"7", "6", "5", "3"}
    assert all(r["gap_pct"] < 0 for r in rows[:4])


def test_f7_indicators_json(db):
    rows = cli_json(db, "indicators", "--year", "2020")
    own = {r["indicator"]: r["value"] for r in rows if r["unit_code"] == "042"}
    assert (own["on_time_pct"], own["district_units_on_igate"], own["communes_on_igate"]) == (97, 12, 5)
    on_igate = {r["unit_code"] for r in rows if r["indicator"] == "uses_vnpt_igate" and r["value"] == 1}
    assert len(on_igate) == 5
    assert {r["unit_code"] for r in rows if r["indicator"] == "has_e_one_stop" and r["value"] == 0} == NO_E_ONE_STOP


def test_plan_json_reaches_rank_5(db):
    plan = cli_json(db, "plan", "--year", "2020")
    for key in ["points_needed", "steps", "resulting_total", "resulting_rank", "reachable"]:
        assert key in plan
    for key in ["criterion_code", "owner_office", "from_points", "to_points", "gain"]:
        assert key in plan["steps"][0]
    assert (plan["points_needed"], plan["resulting_rank"], plan["reachable"], plan["target_rank"]) == (5.39, 5, True, 5)
    assert round(sum(s["gain"] for s in plan["steps"]), 2) == 5.39
    assert "giữ nguyên tổng điểm" in plan["assumption"]
    capped = cli_json(db, "plan", "--target-rank", "1", "--cap", "max")
    assert capped["cap"] == "max" and capped["resulting_rank"] == 1


def test_home_unit_from_the_environment(db):
    rows = cli_json(db, "gaps", "--depth", "1", env={"CCHC_HOME_UNIT": "043"})
    from analytics.store import connect

    con = connect(db, read_only=True)
    expected = gaps(con, 2020, "043", depth=1)
    con.close()
    assert [r["criterion_code"] for r in rows] == expected.criterion_code.tolist()


@pytest.mark.parametrize(
    "args, message",
    [
        (["rank", "--year", "2015"], "Không có dữ liệu cấp huyện năm 2015 (các năm có dữ liệu: 2019, 2020)"),
        (["gaps", "--unit", "Bảo Lạcc xyz"], "Không tìm thấy đơn vị"),
        (["plan", "--cap", "peers"], "mức trần không hợp lệ"),
    ],
)
def test_bad_input_gets_one_vietnamese_line_and_status_2(db, args, message):
    status, out, err = run_cli(db, *args)
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["gaps", "--reference", "mean"], "Mốc so sánh không hợp lệ"),
        (["rank", "--level", "tinh"], "cấp không hợp lệ"),
        (["plan", "--target-rank", "11"], "Hạng mục tiêu phải từ 1 đến 10"),
        (["plan", "--target-rank", "0"], "cần một số nguyên dương"),
        (["plan", "--year", "năm"], "năm không hợp lệ"),
        (["gaps", "--level", "commune"], "Hãy chọn đơn vị cấp xã bằng --unit"),
        (["communes", "--parent", "Bảo Lạc"], "Chưa có dữ liệu cấp xã của Huyện Bảo Lạc trong kho"),
        (["indicators", "--year", "2019"], "Không có chỉ số vận hành của Huyện Bảo Lâm năm 2019"),
    ],
)
def test_more_bad_input_in_process(db, args, message, capsys, monkeypatch):
    monkeypatch.delenv("CCHC_HOME_UNIT", raising=False)
    try:
        status = main([*args, "--db", str(db)])
    except SystemExit as exc:  # argparse rejects the option itself
        status = exc.code
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and message in captured.err


# In-process runs of the same entry point (faster) for the options and formats.


def _main_json(capsys, *args):
    assert main([*args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def tiny_db(tmp_path, monkeypatch):
    path = tmp_path / "tiny.duckdb"
    tiny_store(path).close()
    monkeypatch.setenv("CCHC_DB", str(path))
    monkeypatch.setenv("CCHC_HOME_UNIT", "D4")
    return path


def test_unit_by_name_alias_or_code_within_the_scope(tiny_db, capsys):
    assert _main_json(capsys, "plan", "--unit", "Huyen Bon", "--year", "2020")["unit_code"] == "D4"
    assert _main_json(capsys, "plan", "--unit", "Số 3", "--year", "2020", "--target-rank", "1")["unit_code"] == "D3"
    rows = _main_json(capsys, "gaps", "--unit", "C2", "--level", "commune", "--year", "2020", "--depth", "1")
    assert {r["criterion_code"] for r in rows} == {"1", "2"}


def test_commune_level_defaults_to_the_home_districts_communes(tiny_db, capsys, monkeypatch):
    monkeypatch.setenv("CCHC_HOME_UNIT", "D1")
    rows = _main_json(capsys, "rank", "--level", "commune")
    assert [(r["unit_code"], r["rank"]) for r in rows] == [("C3", 1), ("C1", 2), ("C2", 3)]
    assert {r["unit_code"] for r in _main_json(capsys, "communes", "--year", "2019")} == {"C1", "C2", "C3"}


def test_plan_reports_an_unreachable_target(tiny_db, capsys):
    plan = _main_json(
        capsys, "plan", "--unit", "C2", "--level", "commune", "--parent", "D1", "--target-rank", "1", "--year", "2020"
    )
    assert (plan["reachable"], plan["shortfall"], plan["resulting_rank"]) == (False, 13, 2)
    assert main(["plan", "--unit", "C2", "--level", "commune", "--target-rank", "1", "--year", "2020"]) == 0
    assert "còn thiếu 13,00 điểm" in capsys.readouterr().out


def test_gaps_reference_options(tiny_db, capsys):
    target = _main_json(capsys, "gaps", "--year", "2020", "--reference", "target", "--depth", "2")
    assert next(r for r in target if r["criterion_code"] == "1.1")["reference_points"] == 15
    threshold = _main_json(capsys, "gaps", "--year", "2020", "--reference", "threshold:80", "--depth", "1")
    assert next(r for r in threshold if r["criterion_code"] == "1")["reference_points"] == 32


def test_table_and_csv_formats(tiny_db, capsys):
    assert main(["rank", "--year", "2020"]) == 0
    table = capsys.readouterr().out
    assert "Xếp hạng cấp huyện năm 2020 (so với 2019)" in table and "4/5" in table and "D4 *" in table
    assert main(["gaps", "--year", "2020", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["criterion_code"] == "1.1" and float(rows[0]["gap_points"]) == -5.75
    assert main(["plan", "--year", "2020", "--format", "csv"]) == 0
    steps = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(s["criterion_code"], float(s["gain"])) for s in steps] == [("1.1", 5.0)]
    assert main(["plan", "--year", "2020"]) == 0
    text = capsys.readouterr().out
    assert "Cần thêm 5,00 điểm ở 1 tiêu chí để đạt hạng 2/5" in text and "Tổng dự kiến: 75,00 điểm, hạng 2/5" in text
    assert main(["communes", "--parent", "D1", "--year", "2020"]) == 0
    assert "Số xã theo xếp loại: Xuất sắc 1; Tốt 1; Khá 1; Trung bình 0; Yếu 0" in capsys.readouterr().out


def test_a_store_without_the_home_unit_needs_explicit_units(tiny_db, capsys, monkeypatch):
    monkeypatch.setenv("CCHC_HOME_UNIT", "042")  # not in the tiny store
    assert _main_json(capsys, "gaps", "--unit", "D4", "--year", "2020", "--depth", "1")[0]["criterion_code"] == "1"
    assert len(_main_json(capsys, "rank", "--year", "2020")) == 6
    assert main(["communes"]) == 2
    assert capsys.readouterr().err.strip() == "Lỗi: Hãy chọn huyện bằng --parent."
    assert main(["plan", "--year", "2020"]) == 2
    assert "Hãy chọn đơn vị cấp huyện bằng --unit" in capsys.readouterr().err


def test_output_piped_into_a_reader_that_stops_early_ends_quietly(db):
    """`python -m analytics plan | head -1`: the reader goes away; no BrokenPipeError traceback."""
    process = subprocess.Popen(
        [sys.executable, "-m", "analytics", "plan", "--year", "2020", "--db", str(db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()  # before the command prints anything: its first write meets a closed pipe
    _, err = process.communicate(timeout=120)
    assert process.returncode == 1
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err.decode(errors="replace")


def test_a_unit_name_with_hidden_marks_matches_as_in_an_import(db):
    """Zero-width and joiner characters are removed before matching, on the CLI as in the importer."""
    clean = cli_json(db, "plan", "--year", "2020", "--unit", "Bảo Lâm")
    marked = cli_json(db, "plan", "--year", "2020", "--unit", "Bảo\u200b Lâm\u034f")
    assert marked["unit_code"] == clean["unit_code"] == "042"
