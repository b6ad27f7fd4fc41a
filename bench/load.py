"""Load: concurrent browser sessions on the overview and criteria pages while an import commits.

    python bench/load.py                       # demo store, 10 sessions, 3 rounds each
    python bench/load.py --db national.duckdb --home 001 --import-file long.csv

One `streamlit run` on a free loopback port, one Debian chromium (Playwright, headless,
executable_path=/usr/bin/chromium), N browser contexts driven concurrently (asyncio). Each
session loads the overview then the criteria page, `--rounds` times, and records the time from
navigation to the first painted Plotly chart, and the year and "Tổng điểm" the overview shows.

How the import runs concurrently: DuckDB lets one process hold a database file read-write,
and the app's process holds it, so a CLI import in another process could not open it. The
import therefore goes through the app itself, as a person would do it: an extra browser
context opens the "Dữ liệu" page, uploads the file and commits, while the sessions run.

Checks: no session may show an exception, an error box or a failed page load, and every total
a session saw must be the store's total before the import or after it (never a mix). A
dialog (Streamlit's "Page not found" notice on a deep link) is counted and reported apart.
Bounded: sessions × rounds page loads, each with a timeout; loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.formatting import fmt_number  # noqa: E402
from analytics.rankings import rankings, years_with_data  # noqa: E402
from analytics.store import connect, init_store  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, StreamlitServer, free_port  # noqa: E402

PAGES = {"overview": "", "criteria": "tieu-chi"}  # the default page lives at "/"
CHART = '[data-testid="stPlotlyChart"] .main-svg'
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
DIALOG = '[role="dialog"]'
TOTAL_LABEL = "Tổng điểm"
EDITOR_PASSWORD = "load-test-editor"
SCREENSHOT = ROOT / "bench" / "out" / "load-import-failure.png"


@dataclass
class Session:
    index: int
    chart_seconds: dict[str, list[float]] = field(default_factory=lambda: {p: [] for p in PAGES})
    seen: list[tuple[str, str]] = field(default_factory=list)  # (year, total) on the overview
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def home_total(db: Path, home: str) -> tuple[str, str]:
    """(latest year, total) of the home unit as the overview shows them by default."""
    con = connect(db, read_only=True)
    try:
        level, parent = con.execute("SELECT level, parent_code FROM units WHERE code = ?", [home]).fetchone()
        year = years_with_data(con, level, parent)[-1]
        ranking = rankings(con, year, level, parent)
        return str(year), fmt_number(ranking[ranking.unit_code == home].total.iloc[0])
    finally:
        con.close()


async def wait_for_script(page, timeout: float) -> None:
    await page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    await page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stSkeleton\"]') "
        "&& !document.querySelector('[data-stale=\"true\"]')",
        timeout=timeout,
    )


async def overview_reading(page) -> tuple[str, str]:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=TOTAL_LABEL).first
    total = (await metric.locator('[data-testid="stMetricValue"]').inner_text()).strip()
    heading = (await page.locator("h3").filter(has_text=" — năm ").first.inner_text()).strip()
    return heading.rsplit(" ", 1)[-1], total


async def run_session(browser, base_url: str, session: Session, rounds: int, timeout: float) -> None:
    context = await browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = await context.new_page()
    page.set_default_timeout(timeout)
    page.on("pageerror", lambda exc: session.errors.append(f"pageerror: {exc}"))
    try:
        for _ in range(rounds):
            for name, path in PAGES.items():
                started = time.perf_counter()
                await page.goto(f"{base_url}/{path}", timeout=timeout)
                await page.wait_for_selector(CHART, state="visible", timeout=timeout)
                session.chart_seconds[name].append(time.perf_counter() - started)
                await wait_for_script(page, timeout)
                if await page.locator(ERRORS).count():
                    session.errors.append(f"{name}: " + (await page.locator(ERRORS).first.inner_text())[:200])
                if await page.locator(DIALOG).count():
                    session.dialogs.append(f"{name}: {(await page.locator(DIALOG).first.inner_text()).splitlines()[0]}")
                    await page.keyboard.press("Escape")
                if name == "overview":
                    session.seen.append(await overview_reading(page))
    except Exception as exc:  # a timeout or a crash is a result to report, not a reason to stop the others
        session.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    finally:
        await context.close()


async def run_import(browser, base_url: str, import_file: Path, delay: float, timeout: float) -> dict:
    """Upload and commit `import_file` through the Dữ liệu page, after `delay` seconds."""
    from bench.load_import import import_through_page

    await asyncio.sleep(delay)
    context = await browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = await context.new_page()
    started = time.perf_counter()
    try:
        await import_through_page(page, base_url, import_file, EDITOR_PASSWORD, timeout)
        return {"seconds": time.perf_counter() - started, "error": None}
    except Exception as exc:
        await page.screenshot(path=str(SCREENSHOT))
        return {
            "seconds": time.perf_counter() - started,
            "error": f"{type(exc).__name__}: {exc}"[:300] + f" (screenshot: {SCREENSHOT})",
        }
    finally:
        await context.close()


async def drive(
    base_url: str, sessions: list[Session], rounds: int, import_file: Path | None, delay: float, timeout: float
) -> dict | None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        jobs = [run_session(browser, base_url, s, rounds, timeout) for s in sessions]
        if import_file is not None:
            jobs.append(run_import(browser, base_url, import_file, delay, timeout))
        results = await asyncio.gather(*jobs)
        await browser.close()
    return results[-1] if import_file is not None else None


def summarize(sessions: list[Session], before, after, imported: dict | None) -> list[str]:
    """The report lines and, last, the verdict; problems are listed before it."""
    lines, problems = [], []
    for name in PAGES:
        times = sorted(t for s in sessions for t in s.chart_seconds[name])
        if times:
            lines.append(
                f"{name}: first painted chart median {statistics.median(times):.2f} s, "
                f"worst {times[-1]:.2f} s over {len(times)} loads"
            )
    dialogs = sorted({d for s in sessions for d in s.dialogs})
    if dialogs:  # Streamlit's routing notice on a deep link, not a failure of the page or the load
        lines.append(f"NOTE {sum(len(s.dialogs) for s in sessions)} loads showed a dialog: {'; '.join(dialogs)}")
    allowed = {before, after}
    for s in sessions:
        problems += [f"session {s.index}: {e}" for e in s.errors]
        problems += [
            f"session {s.index} saw {seen}, neither {before} nor {after}" for seen in s.seen if seen not in allowed
        ]
    if imported is not None:
        lines.append(
            f"import through the Dữ liệu page: {imported['seconds']:.1f} s; totals before {before}, after "
            f"{after}; sessions saw {sorted({x for s in sessions for x in s.seen})}"
        )
        if imported["error"]:
            problems.append(f"import: {imported['error']}")
        elif before == after:
            problems.append("import: the store's total did not change")
    return lines + [f"PROBLEM {p}" for p in problems] + ["LOAD OK" if not problems else "LOAD FAILED"]


def server_env(args) -> dict[str, str]:
    env = {"CCHC_HOME_UNIT": args.home}
    if not args.no_import:
        from analytics.auth import hash_password

        env["CCHC_EDITOR_PASSWORD_HASH"] = hash_password(EDITOR_PASSWORD)
    return env


def prepare_store(args, work: Path) -> Path:
    db = work / "load.duckdb"
    if args.db:
        shutil.copy(args.db, db)
    else:
        init_store(db)
    return db


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="store to copy and serve (default: a fresh demo store)")
    parser.add_argument("--home", default=os.environ.get("CCHC_HOME_UNIT", "042"), help="home unit code")
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="overview + criteria loads per session")
    parser.add_argument("--import-file", type=Path, default=ROOT / "data" / "samples" / "ket-qua-huyen-2021.csv")
    parser.add_argument("--no-import", action="store_true")
    parser.add_argument("--import-delay", type=float, default=2.0, help="seconds before the import starts")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per page load")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cchc-load-") as tmp:
        db = prepare_store(args, Path(tmp))
        before = home_total(db, args.home)
        os.environ.update(server_env(args))  # StreamlitServer passes our environment on to the app
        server = StreamlitServer(db, free_port())
        threading.Thread(target=server.process.stdout.read, daemon=True).start()  # never let the pipe fill
        sessions = [Session(i) for i in range(args.sessions)]
        try:
            imported = asyncio.run(
                drive(
                    server.url,
                    sessions,
                    args.rounds,
                    None if args.no_import else args.import_file,
                    args.import_delay,
                    args.timeout * 1000,
                )
            )
        finally:
            server.stop()
        after = home_total(db, args.home)
    lines = summarize(sessions, before, after, imported)
    print("\n".join(lines))
    return 0 if lines[-1] == "LOAD OK" else 1


if __name__ == "__main__":
    raise SystemExit(main())
