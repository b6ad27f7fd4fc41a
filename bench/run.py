"""Benchmark: build, import, every analytics call the pages make (beside plain pandas), pages, memory.

    python bench/run.py --quick                 # small sizes, < 1 min; last line BENCH OK
    python bench/run.py --size demo             # the shipped demo store
    python bench/run.py --size national         # 10 000 units x 10 years x 40 criteria (~4 M rows)

Timings are wall-clock (time.perf_counter) over several runs after one warm-up run: median
and spread (min-max); a DuckDB call and its pandas twin alternate run by run, so load from
another job slows both alike. Builds and imports run as child processes, so their peak memory is
their own (os.wait4). Results go to <out>/<size>.json (default bench/out) and a Markdown table on stdout.
The exit status is non-zero when any DuckDB result differs from the pandas answer.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.store import connect  # noqa: E402
from bench import cases as bench_cases  # noqa: E402
from bench.baseline import PandasBaseline  # noqa: E402

OUT_DIR = ROOT / "bench" / "out"
SIZES = {  # name -> (units, years, criteria); None = the shipped demo store
    "demo": None,
    "small": (300, 3, 16),
    "mid": (2_500, 10, 40),  # a quarter of national: 1 M score rows
    "national": (10_000, 10, 40),
}
IMPORT_ROWS = {"small": 2_000, "demo": 2_000, "mid": 200_000, "national": 1_000_000}
IMPORT_TIMEOUT = {"small": 120, "demo": 120, "mid": 900, "national": 1200}
TARGETS = {
    "call_ms": 150,
    "page_s": 1.5,
    "import_rows_s": 150_000,
    "peak_mb": 2048,
    "rank_speedup": 3,
    "unit_speedup": 10,
}


@dataclass
class Timing:
    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, seconds: list[float]) -> Timing:
        return cls(statistics.median(seconds), min(seconds), max(seconds), len(seconds))

    def ms(self) -> str:
        return f"{self.median * 1000:.1f} ({self.low * 1000:.1f}–{self.high * 1000:.1f})"


@dataclass
class Report:
    size: str
    machine: dict
    build: dict = field(default_factory=dict)
    imports: dict = field(default_factory=dict)
    calls: list[dict] = field(default_factory=list)
    pages: list[dict] = field(default_factory=list)
    memory: dict = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)


def timed_pair(first, second, runs: int):
    """((Timing, last result) of `first`, the same of `second`) over `runs` runs after one warm-up.

    The runs alternate (first, second, first, ...), so that a burst of load from another job on
    this shared machine slows both sides of a ratio alike."""
    results = first(), second()
    seconds = ([], [])
    for _ in range(runs):
        for fn, times in zip((first, second), seconds):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
    return (Timing.of(seconds[0]), results[0]), (Timing.of(seconds[1]), results[1])


def machine() -> dict:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return {
        "cpu": model,
        "nproc": os.cpu_count(),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
    }


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(argv: list[str], timeout: float = 1800) -> dict:
    """Run a child process to the end: wall seconds, its own peak RSS (os.wait4), status and output.

    Output goes to a file, not a pipe, so a chatty child never blocks; past `timeout` it is killed.
    """
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        child = subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        timer = threading.Timer(timeout, child.kill)
        timer.start()
        _, status, usage = os.wait4(child.pid, 0)
        timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode(errors="replace")
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": usage.ru_maxrss / 1024,
        "status": child.returncode,
        "output": output.strip()[-2000:],
    }


# --- build and import ----------------------------------------------------------------------


def build_store(size: str, work: Path) -> tuple[Path, dict]:
    db = work / f"{size}.duckdb"
    db.unlink(missing_ok=True)
    if SIZES[size] is None:
        argv = [sys.executable, "-m", "analytics", "init", "--db", str(db), "--force"]
    else:
        units, years, criteria = SIZES[size]
        argv = [
            sys.executable,
            "-m",
            "analytics",
            "synth",
            "--db",
            str(db),
            "--units",
            str(units),
            "--years",
            str(years),
            "--criteria",
            str(criteria),
            "--seed",
            "7",
        ]
    result = run_child(argv)
    if result["status"] != 0:
        raise SystemExit(f"build failed: {result['output']}")
    return db, result


# --- analytics calls beside pandas ---------------------------------------------------------


def measure_calls(con, base: PandasBaseline, context: dict, runs: int, report: Report) -> None:
    for case in bench_cases.all_cases(context):
        (duck_time, duck_result), (pandas_time, pandas_result) = timed_pair(
            lambda c=case: c.duckdb(con), lambda c=case: c.pandas(base), runs
        )
        problem = case.compare(duck_result, pandas_result)
        if problem:
            report.mismatches.append(f"{case.name}: {problem}")
        report.calls.append(
            {
                "call": case.name,
                "kind": case.kind,
                "duckdb": asdict(duck_time),
                "pandas": asdict(pandas_time),
                "ratio": pandas_time.median / duck_time.median,
                "match": not problem,
            }
        )


# --- pages through AppTest -----------------------------------------------------------------


def page_files() -> list[str]:
    return sorted(f"app_pages/{p.name}" for p in (ROOT / "app_pages").glob("*.py") if not p.name.startswith("_"))


def measure_pages(db: Path, home: str, runs: int, report: Report) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ.update({"CCHC_DB": str(db), "CCHC_HOME_UNIT": home})
    for page in page_files():
        cold, warm, errors = [], [], []
        for _ in range(runs):
            app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
            app.run()  # the default page first: switch_page needs a running navigation
            st.cache_data.clear()
            app.switch_page(page)
            cold.append(_run_seconds(app))
            warm.append(_run_seconds(app))
            errors += [str(e.value)[:200] for e in app.exception]
        report.pages.append(
            {
                "page": page,
                "cold": asdict(Timing.of(cold)),
                "warm": asdict(Timing.of(warm)),
                "errors": sorted(set(errors)),
            }
        )
        if errors:
            report.mismatches.append(f"{page}: {errors[0]}")


def _run_seconds(app) -> float:
    started = time.perf_counter()
    app.run()
    return time.perf_counter() - started


# --- one size ------------------------------------------------------------------------------


def bench_size(size: str, runs: int, work: Path, with_pages: bool, import_rows: int | None) -> Report:
    report = Report(size=size, machine=machine())
    db, report.build = build_store(size, work)
    rows = IMPORT_ROWS[size] if import_rows is None else import_rows
    report.imports = bench_cases.measure_import(work, rows, run_child, IMPORT_TIMEOUT[size]) if rows else {}
    if rows and report.imports.get("stored") != report.imports["rows"]:
        report.mismatches.append(f"import stored {report.imports.get('stored')} of {report.imports['rows']} rows")
    con = connect(db, read_only=True)
    context = bench_cases.context_for(con)
    con.close()  # the app checks the store read-only before opening it read-write
    report.memory["rss_before_mb"] = max_rss_mb()
    if with_pages:
        measure_pages(db, context["home"], max(1, runs // 2), report)
        report.memory["rss_after_pages_mb"] = max_rss_mb()
    con = connect(db)  # read-write like the app's, so both share one DuckDB instance in this process
    started = time.perf_counter()
    base = PandasBaseline.load(con)
    report.memory["pandas_load_s"] = time.perf_counter() - started
    measure_calls(con, base, context, runs, report)
    report.memory["rss_after_calls_mb"] = max_rss_mb()
    con.close()
    del base
    gc.collect()
    return report


def print_report(report: Report) -> None:
    print(f"\n## {report.size}: build {report.build['seconds']:.1f} s (peak {report.build['peak_mb']:.0f} MB)")
    imp = report.imports
    if not imp:
        print("import: not measured")
    elif imp.get("rows_per_s"):
        print(
            f"import {imp['rows']} rows ({imp['file_mb']:.1f} MB) in {imp['seconds']:.1f} s = "
            f"{imp['rows_per_s']:.0f} rows/s (peak {imp['peak_mb']:.0f} MB)"
        )
    else:
        print(f"import of {imp.get('rows')} rows failed: {imp.get('error')}")
    print("\n| call | DuckDB ms median (min–max) | pandas ms median (min–max) | pandas ÷ DuckDB | same answer |")
    print("|---|---|---|---|---|")
    for c in report.calls:
        print(
            f"| {c['call']} | {Timing(**c['duckdb']).ms()} | {Timing(**c['pandas']).ms()} | "
            f"{c['ratio']:.1f}× | {'yes' if c['match'] else 'NO'} |"
        )
    if report.pages:
        print("\n| page (AppTest) | cold s median (min–max) | warm s median | errors |")
        print("|---|---|---|---|")
        for p in report.pages:
            cold, warm = Timing(**p["cold"]), Timing(**p["warm"])
            print(
                f"| {p['page']} | {cold.median:.2f} ({cold.low:.2f}–{cold.high:.2f}) | {warm.median:.2f} | "
                f"{len(p['errors'])} |"
            )
    print(f"\npeak RSS of this process: {json.dumps({k: round(v, 1) for k, v in report.memory.items()})}")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--quick", action="store_true", help="small sizes (demo + small), 2 runs, pages on the first size only: < 1 min"
    )
    parser.add_argument("--size", choices=list(SIZES), action="append", help="size(s) to run")
    parser.add_argument("--runs", type=int, default=None, help="timed runs per call (default 11, quick 2)")
    parser.add_argument("--no-pages", action="store_true", help="skip the AppTest page runs")
    parser.add_argument("--import-rows", type=int, help="rows of the import benchmark file (0: skip the import)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="folder for results, stores and CSVs")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    sizes = args.size or (["demo", "small"] if args.quick else ["demo", "national"])
    runs = args.runs or (2 if args.quick else 11)
    work = args.out / "work"
    work.mkdir(parents=True, exist_ok=True)
    mismatches = []
    for size in sizes:
        with_pages = not args.no_pages and not (args.quick and size != sizes[0])  # quick: pages once
        report = bench_size(size, runs, work, with_pages=with_pages, import_rows=args.import_rows)
        print_report(report)
        (args.out / f"{size}.json").write_text(json.dumps(asdict(report), ensure_ascii=False, indent=1))
        mismatches += [f"{size}: {m}" for m in report.mismatches]
    for problem in mismatches:
        print(f"MISMATCH {problem}")
    print("BENCH OK" if not mismatches else f"BENCH FAILED ({len(mismatches)} mismatches)")
    return 0 if not mismatches else 1


if __name__ == "__main__":
    raise SystemExit(main())
