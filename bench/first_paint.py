"""First paint of the overview beside a minimal Streamlit page, in a cold browser, side by side.

    python bench/first_paint.py [--runs 7] [--json bench/out/first_paint.json]

Each run launches a new Debian chromium (cold: no cache, no service worker) for each page in turn,
the minimal page (bench/minimal_page.py) and the overview, alternating so that load from another job
slows both alike. In the page, a MutationObserver installed before any script notes when the app
shell, the first st.metric card and the first drawn Plotly chart appear (performance.now(), from the
start of navigation). The websocket messages the server sends until both marks are seen are counted
and weighed. Medians and ranges over the runs are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from analytics.store import init_store  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, StreamlitServer, free_port  # noqa: E402

OVERVIEW_QUERY = "/?year=2020&unit=042&level=district"
MARKS = {
    "shell": '[data-testid="stApp"]',
    "card": '[data-testid="stMetric"]',
    "chart": '[data-testid="stPlotlyChart"] .main-svg',
}
OBSERVER = """
window.__marks = {};
new MutationObserver(() => {
  for (const [name, selector] of Object.entries(MARKS_JSON)) {
    if (!(name in window.__marks) && document.querySelector(selector)) window.__marks[name] = performance.now();
  }
}).observe(document, {childList: true, subtree: true, attributes: true});
""".replace("MARKS_JSON", json.dumps(MARKS))


class MinimalServer(StreamlitServer):
    """The yardstick page under `streamlit run`, started as the app is (same flags)."""

    def __init__(self, port: int):
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "bench" / "minimal_page.py"),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self._wait_healthy()


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
        return {**{k: v / 1000 for k, v in marks.items()}, "ws_messages": len(frames), "ws_kb": sum(frames) / 1024}
    finally:
        browser.close()


def summarise(runs: list[dict]) -> dict:
    keys = [k for k in runs[0] if all(k in r for r in runs)]
    return {
        k: {
            "median": statistics.median(r[k] for r in runs),
            "min": min(r[k] for r in runs),
            "max": max(r[k] for r in runs),
        }
        for k in keys
    }


def table(results: dict[str, dict]) -> str:
    lines = [
        "| trang | khung app (s) | thẻ đầu tiên (s) | biểu đồ đầu tiên (s) | tin websocket | KB websocket |",
        "|---|---|---|---|---|---|",
    ]
    for name, stats in results.items():
        cells = [_cell(stats[k], 2 if k in MARKS else 0) for k in ("shell", "card", "chart", "ws_messages", "ws_kb")]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(stat: dict, decimals: int) -> str:
    fmt = f"{{:.{decimals}f}}"
    text = f"{fmt.format(stat['median'])} ({fmt.format(stat['min'])}–{fmt.format(stat['max'])})"
    return text.replace(".", ",")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "cchc.duckdb"
        init_store(db)
        servers = {"trang tối thiểu": MinimalServer(free_port()), "Tổng quan": StreamlitServer(db, free_port())}
        urls = {
            "trang tối thiểu": servers["trang tối thiểu"].url + "/",
            "Tổng quan": servers["Tổng quan"].url + OVERVIEW_QUERY,
        }
        try:
            with sync_playwright() as pw:
                for url in urls.values():  # warm the servers (imports, caches) before measuring
                    measure(pw, url)
                runs = {name: [] for name in urls}
                for _ in range(args.runs):
                    for name, url in urls.items():
                        runs[name].append(measure(pw, url))
        finally:
            for server in servers.values():
                server.stop()
    results = {name: summarise(r) for name, r in runs.items()}
    print(table(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"runs": runs, "summary": results}, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
