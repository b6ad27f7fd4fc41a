"""The benchmark: its pandas baseline agrees with the DuckDB analytics, and --quick ends with BENCH OK."""

import subprocess
import sys

import pytest

from analytics.store import connect
from analytics.synth import SynthSpec, build_synthetic_store
from bench import cases as bench_cases
from bench.baseline import PandasBaseline
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def synth_con(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "synth.duckdb"
    build_synthetic_store(path, SynthSpec(units=250, years=3, criteria=24, seed=5))
    con = connect(path)
    yield con
    con.close()


@pytest.fixture(scope="module")
def baseline(synth_con):
    return PandasBaseline.load(synth_con)


def _cases(con):
    return bench_cases.all_cases(bench_cases.context_for(con))


def test_every_case_agrees_with_pandas_on_a_synthetic_store(synth_con, baseline):
    cases = _cases(synth_con)
    assert {c.kind for c in cases} >= {"ranking"}
    for case in cases:
        duck, plain = case.duckdb(synth_con), case.pandas(baseline)
        assert case.compare(duck, plain) is None, case.name


def test_ranks_equal_and_totals_within_1e_9(synth_con, baseline):
    from analytics.rankings import rankings

    ctx = bench_cases.context_for(synth_con)
    duck = rankings(synth_con, ctx["year"], "commune", None).set_index("unit_code")
    plain = baseline.rankings(ctx["year"], "commune", None).set_index("unit_code")
    assert len(plain) > 200
    assert duck["rank"].astype(int).to_dict() == plain["rank"].astype(int).to_dict()
    assert (duck.total - plain.total.reindex(duck.index)).abs().max() <= 1e-9


def test_the_comparison_catches_a_different_answer(synth_con, baseline):
    case = _cases(synth_con)[0]
    duck, plain = case.duckdb(synth_con), case.pandas(baseline)
    plain.loc[0, "total"] += 0.01
    assert case.compare(duck, plain) == "different totals"


def test_quick_benchmark_ends_with_bench_ok(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert lines[-1] == "BENCH OK"
    assert any(line.startswith("| rank ") and line.endswith("| yes |") for line in lines)
    assert (tmp_path / "small.json").exists() and (tmp_path / "demo.json").exists()
