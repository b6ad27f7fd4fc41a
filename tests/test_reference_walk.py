"""The walk a new province takes, end to end through the command line: an empty store with its unit
register, its own criteria annex, the bands, two years of results built on that set and a target; then
rank, gaps, plan and the report paragraph answer from those files only (every expected number is
computed here from the files' own cells)."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict

import pytest

from analytics.cli import main
from analytics.formatting import fmt_number
from tests.conftest import snapshot_of
from tests.data.make_reference_corpus import GOOD, HERE

WALK = HERE / "walk"


def cli(capsys, *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def file_points(year: int) -> dict[str, dict[str, float]]:
    """unit -> criterion -> points, read from the results file as a person reads it."""
    text = (WALK / f"ket-qua-huyen-{year}.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[2:]
    points: dict[str, dict[str, float]] = defaultdict(dict)
    for _, unit, _, criterion, value in rows:
        points[unit][criterion] = float(value.replace(",", "."))
    return points


def competition_ranks(totals: dict[str, float]) -> dict[str, int]:
    return {unit: 1 + sum(other > total for other in totals.values()) for unit, total in totals.items()}


def test_a_new_province_walks_from_an_empty_store_to_its_plan(tmp_path, capsys):
    db = ["--db", str(tmp_path / "tinh.duckdb")]
    cli(capsys, "init", "--empty", *db)
    empty = snapshot_of(tmp_path / "tinh.duckdb")
    assert len(empty["units"]) == 228 and not empty["criteria_sets"] and not empty["scores"] and not empty["offices"]

    cli(capsys, "import", str(GOOD / "phu-luc-huyen-so-a-rap.xlsx"), *db)  # recognised, level and year from the title
    cli(capsys, "import", str(GOOD / "xep-loai-phan-tram.csv"), "--set", "HUYEN-2022", *db)
    for year in (2022, 2023):
        cli(capsys, "import", str(WALK / f"ket-qua-huyen-{year}.csv"), *db)
    cli(capsys, "import", str(GOOD / "chi-tieu-2023.csv"), *db)

    points = file_points(2023)
    totals = {unit: round(sum(by.values()), 2) for unit, by in points.items()}
    ranks = competition_ranks(totals)
    ranking = json.loads(cli(capsys, "rank", "--year", "2023", "--format", "json", *db))
    assert {r["unit_code"]: (r["total"], r["rank"]) for r in ranking} == {u: (totals[u], ranks[u]) for u in totals}
    bands = {r["unit_code"]: r["band"] for r in ranking}
    assert all(
        bands[u] == ("Khá" if 70 <= t < 80 else "Trung bình" if 50 <= t < 70 else "Tốt") for u, t in totals.items()
    )

    plan = json.loads(cli(capsys, "plan", "--unit", "042", "--year", "2023", "--format", "json", *db))
    fifth = sorted(totals.values(), reverse=True)[4]
    assert (plan["target_rank"], plan["current_total"], plan["target_total"]) == (5, totals["042"], fifth)
    assert plan["points_needed"] == round(fifth - totals["042"], 2) > 0
    assert {s["criterion_code"] for s in plan["steps"]} <= set(points["042"])

    gaps = json.loads(cli(capsys, "gaps", "--unit", "042", "--year", "2023", "--depth", "2", "--format", "json", *db))
    means = {c: sum(points[u][c] for u in points) / len(points) for c in points["042"]}
    assert {g["criterion_code"]: g["points"] for g in gaps} == points["042"]
    reference = {g["criterion_code"]: g["reference_points"] for g in gaps}
    assert reference == pytest.approx(means, abs=0.0051)  # the mean of the ten units, shown to two decimals

    report = json.loads(cli(capsys, "report", "--year", "2023", "--unit", "042", "--format", "json", *db))
    assert f"đạt {fmt_number(totals['042'])} điểm (xếp thứ {ranks['042']}/10" in report["text"]
    totals_2022 = {unit: round(sum(by.values()), 2) for unit, by in file_points(2022).items()}
    change = totals["042"] - totals_2022["042"]
    assert f"{'giảm' if change < 0 else 'tăng'} {fmt_number(abs(change))} điểm" in report["text"]


def test_init_empty_refuses_what_it_cannot_do_and_leaves_init_as_it_was(tmp_path, capsys):
    db = ["--db", str(tmp_path / "s.duckdb")]
    assert main(["init", "--province", "04", *db]) == 2  # --province only with --empty
    assert main(["init", "--empty", "--province", "99", *db]) == 2
    assert "Chưa có danh mục đơn vị hành chính của tỉnh mã '99'" in capsys.readouterr().err
    assert not (tmp_path / "s.duckdb").exists()
    assert main(["init", *db]) == 0  # without --empty: the demo store, F1–F8 included
    store = snapshot_of(tmp_path / "s.duckdb")
    assert {row.code for row in store["criteria_sets"]} == {"DEMO-HUYEN-2020", "DEMO-XA-2020", "DEMO-XA-2025"}
    assert main(["init", "--empty", *db]) == 0 and "đã có sẵn" in capsys.readouterr().out  # never overwritten
    assert snapshot_of(tmp_path / "s.duckdb") == store
