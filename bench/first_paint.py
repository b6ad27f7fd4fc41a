"""First paint of the overview beside a minimal Streamlit page, in a cold browser, side by side.

    python bench/first_paint.py [--runs 7] [--with-sidebar] [--variant DIR] [--json bench/out/first_paint.json]

Each run launches a new Debian chromium (cold: no cache, no service worker) for each page in turn,
the minimal page (bench/minimal_page.py) and the overview, alternating so that load from another job
slows both alike. In the page, a MutationObserver installed before any script notes when the app
shell, the first card (the minimal page's st.metric; the dashboard's cards, ui.marks.cards, are
Markdown in keyed bordered containers) and the first drawn Plotly chart appear (performance.now(), from the
start of navigation). The websocket messages the server sends until both marks are seen are counted
and weighed. Medians and ranges over the runs are printed as a Markdown table.

A second table says where the time goes, per page: when the lazily loaded modules of st.metric
(Metric.*.js) and of Plotly (PlotlyChart.*.js, 4,7 MB) had arrived (Resource Timing), when the
browser began evaluating the Plotly module (the first long task of at least 0,5 s after it arrived:
the main thread can draw nothing else meanwhile), in how many runs the first card came before that
evaluation, and the differences to the minimal page taken run by run (both pages of a run load
alternately, so the machine's load weighs on both alike). Each run notes the 1-minute load average.

`--variant DIR` adds the overview of another checkout (a git worktree holding a candidate change) to
every run, so a change is measured against the current code in the same run, not across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from analytics.store import init_store  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, StreamlitServer, free_port  # noqa: E402

OVERVIEW_QUERY = "/?year=2020&unit=042&level=district"
WITH_SIDEBAR = "trang tối thiểu + thanh bên"
MARKS = {
    "shell": '[data-testid="stApp"]',
    "card": '[data-testid="stMetric"], [class*="st-key-card_"] [data-testid="stMarkdown"]',
    "chart": '[data-testid="stPlotlyChart"] .main-svg',
}
OBSERVER = """
window.__marks = {};
window.__longTasks = [];
new MutationObserver(() => {
  for (const [name, selector] of Object.entries(MARKS_JSON)) {
    if (!(name in window.__marks) && document.querySelector(selector)) window.__marks[name] = performance.now();
  }
}).observe(document, {childList: true, subtree: true, attributes: true});
new PerformanceObserver((list) => {
  for (const task of list.getEntries()) window.__longTasks.push([task.startTime, task.duration]);
}).observe({type: "longtask", buffered: true});
""".replace("MARKS_JSON", json.dumps(MARKS))
# Streamlit loads each element kind's code when the element first appears: these two are on both pages.
MODULES = {"metric_module": "Metric", "plotly_module": "PlotlyChart"}
MODULE_ARRIVALS = """(prefixes) => Object.fromEntries(Object.entries(prefixes).map(([name, prefix]) => {
  const entry = performance.getEntriesByType('resource').find(e => e.name.split('/').pop().startsWith(prefix + '.'));
  return [name, entry ? entry.responseEnd : null];
}))"""
EVALUATION_TASK_MS = 500  # evaluating Plotly's module takes 1–1,5 s here; drawing a page's elements less


def measure(playwright, url: str) -> dict:
    """One cold load: times of the marks (s) and the websocket traffic before the first card."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        page = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN").new_page()
        page.add_init_script(OBSERVER)
        frames: list[int] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(len(payload))))
        page.goto(url)
        page.wait_for_function("() => 'card' in window.__marks && 'chart' in window.__marks", timeout=60_000)
        marks = page.evaluate("() => window.__marks")
        modules = page.evaluate(MODULE_ARRIVALS, MODULES)
        long_tasks = page.evaluate("() => window.__longTasks")
    finally:
        browser.close()
    times = {k: v / 1000 for k, v in {**marks, **modules}.items() if v is not None}
    evaluation = plotly_evaluation(long_tasks, modules.get("plotly_module"))
    if evaluation is not None:
        times["plotly_evaluation"] = evaluation / 1000
        times["card_first"] = float(marks["card"] < evaluation)
    return {**times, "ws_messages": len(frames), "ws_kb": sum(frames) / 1024}


def plotly_evaluation(long_tasks: list[list[float]], arrived: float | None) -> float | None:
    """Start (ms) of the first long task after Plotly's module arrived: its evaluation."""
    if arrived is None:
        return None
    starts = [start for start, duration in long_tasks if start >= arrived and duration >= EVALUATION_TASK_MS]
    return min(starts, default=None)


def summarise(runs: list[dict]) -> dict:
    keys = [k for k in runs[0] if k != "card_first" and all(k in r for r in runs)]
    stats = {k: _stats([r[k] for r in runs]) for k in keys}
    shares = [r["card_first"] for r in runs if "card_first" in r]
    if shares:
        stats["card_first"] = {"mean": statistics.mean(shares), "runs": len(shares)}
    return stats


def paired_differences(runs: dict[str, list[dict]], yardstick: str) -> dict[str, dict]:
    """Each page's card and chart minus the yardstick's in the same run: median and range."""
    out = {}
    for name, page_runs in runs.items():
        if name == yardstick:
            continue
        pairs = list(zip(page_runs, runs[yardstick]))
        out[name] = {mark: _stats([page[mark] - base[mark] for page, base in pairs]) for mark in ("card", "chart")}
    return out


def _stats(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def table(results: dict[str, dict]) -> str:
    lines = [
        "| trang | khung app (s) | thẻ đầu tiên (s) | biểu đồ đầu tiên (s) | tin websocket | KB websocket |",
        "|---|---|---|---|---|---|",
    ]
    for name, stats in results.items():
        cells = [_cell(stats[k], 2 if k in MARKS else 0) for k in ("shell", "card", "chart", "ws_messages", "ws_kb")]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def breakdown(results: dict[str, dict], differences: dict[str, dict], loads: list[float]) -> str:
    """Where the time goes, per page; then the differences to the yardstick and the load of the machine."""
    lines = [
        "| trang | mô-đun Metric đến (s) | mô-đun Plotly đến (s) | bắt đầu chạy mô-đun Plotly (s) | thẻ trước lúc đó |",
        "|---|---|---|---|---|",
    ]
    for name, stats in results.items():
        cells = [
            _cell(stats[k], 2) if k in stats else "–" for k in ("metric_module", "plotly_module", "plotly_evaluation")
        ]
        share = stats.get("card_first")
        cells.append("–" if share is None else f"{share['mean'] * 100:.0f} %")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    for name, diff in differences.items():
        lines.append(
            f"Chênh lệch từng lượt so với trang tối thiểu ({name}): thẻ {_cell(diff['card'], 2, signed=True)} s, "
            f"biểu đồ {_cell(diff['chart'], 2, signed=True)} s."
        )
    load = _stats(loads)
    lines.append(f"Tải trung bình 1 phút của máy trước mỗi lượt: {_cell(load, 1)}.")
    return "\n".join(lines)


def _cell(stat: dict, decimals: int, signed: bool = False) -> str:
    fmt = f"{{:{'+' if signed else ''}.{decimals}f}}"
    separator = " … " if signed else "–"  # a range of signed numbers: "−0,20 … +0,45"
    text = f"{fmt.format(stat['median'])} ({fmt.format(stat['min'])}{separator}{fmt.format(stat['max'])})"
    return text.replace(".", ",").replace("-", "−")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--with-sidebar",
        action="store_true",
        help="also measure the minimal page under the dashboard's sidebar (bench/minimal_sidebar_page.py)",
    )
    parser.add_argument(
        "--variant",
        type=Path,
        action="append",
        default=[],
        help="also measure the overview of the checkout in DIR (repeatable)",
    )
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "cchc.duckdb"
        init_store(db)
        servers = {"trang tối thiểu": StreamlitServer(db, free_port(), script="bench/minimal_page.py")}
        if args.with_sidebar:
            servers[WITH_SIDEBAR] = StreamlitServer(db, free_port(), script="bench/minimal_sidebar_page.py")
        servers["Tổng quan"] = StreamlitServer(db, free_port())
        for number, variant in enumerate(args.variant):
            variant_db = Path(tmp) / f"variant-{number}.duckdb"  # a DuckDB file is opened by one process
            shutil.copyfile(db, variant_db)
            servers[f"Tổng quan ({variant.name})"] = StreamlitServer(variant_db, free_port(), root=variant.resolve())
        urls = {name: server.url + "/" for name, server in servers.items()}
        for name, server in servers.items():
            if name.startswith("Tổng quan"):
                urls[name] = server.url + OVERVIEW_QUERY
        try:
            with sync_playwright() as pw:
                for url in urls.values():  # warm the servers (imports, caches) before measuring
                    measure(pw, url)
                runs: dict[str, list[dict]] = {name: [] for name in urls}
                loads = []
                for _ in range(args.runs):
                    loads.append(os.getloadavg()[0])
                    for name, url in urls.items():
                        runs[name].append(measure(pw, url))
        finally:
            for server in servers.values():
                server.stop()
    results = {name: summarise(r) for name, r in runs.items()}
    differences = paired_differences(runs, "trang tối thiểu")
    print(table(results))
    print()
    print(breakdown(results, differences, loads))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        summary = {"summary": results, "differences": differences, "load_average": loads}
        args.json.write_text(json.dumps({"runs": runs, **summary}, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
