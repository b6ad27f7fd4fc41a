"""Shared fixtures: real DuckDB stores in temp folders, a real Streamlit server, a real browser."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections import namedtuple
from pathlib import Path

import pytest

from analytics.schema import DATA_TABLES
from analytics.store import connect, init_store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def demo_store_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "cchc.duckdb"
    init_store(path)
    return path


@pytest.fixture
def demo_store(demo_store_template, tmp_path) -> Path:
    """A private copy of the demo store that a test may change."""
    path = tmp_path / "cchc.duckdb"
    shutil.copy(demo_store_template, path)
    return path


@pytest.fixture
def demo_con(demo_store):
    con = connect(demo_store)
    yield con
    con.close()


@pytest.fixture(scope="module")
def demo_readonly(demo_store_template):
    """The demo store opened read-only, for expected values (tests that change data use demo_con)."""
    con = connect(demo_store_template, read_only=True)
    yield con
    con.close()


@pytest.fixture
def app(demo_store, monkeypatch):
    """The whole app (AppTest) on a private copy of the demo store."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CCHC_DB", str(demo_store))
    return AppTest.from_file(APP, default_timeout=90)


def open_page(app, page: str, **params):
    """Run the app with these query parameters, switch to `page`, and check it raised nothing."""
    for key, value in params.items():
        app.query_params[key] = str(value)
    app.run()
    app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def snapshot(con) -> dict[str, list[tuple]]:
    """Every table's full content, sorted: two snapshots are equal iff the states are. Rows are named
    tuples, so a test reads `row.kind`, not a position that moves when the schema changes."""
    return {table: sorted(_named_rows(con, table), key=repr) for table in DATA_TABLES}


def _named_rows(con, table: str) -> list[tuple]:
    cursor = con.execute(f"SELECT * FROM {table}")  # table names come from DATA_TABLES, never from input
    row_type = namedtuple(table, [column[0] for column in cursor.description])
    return [row_type(*row) for row in cursor.fetchall()]


def snapshot_of(path) -> dict[str, list[tuple]]:
    """snapshot() of a store file, through a connection of its own, closed after. Read-write, as the
    app opens it: DuckDB refuses a second connection to a file with another configuration."""
    con = connect(path)
    try:
        return snapshot(con)
    finally:
        con.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    def __init__(
        self, db_path: Path, port: int, env: dict[str, str] | None = None, root: Path = ROOT, script: str = "app.py"
    ):
        """`streamlit run` of `script` in the checkout at `root` (bench/first_paint.py runs another
        checkout's app and its yardstick pages this way)."""
        self.url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "CCHC_DB": str(db_path), **(env or {})}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(root / script),
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
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("streamlit exited: " + self.process.stdout.read().decode(errors="replace"))
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("streamlit did not become healthy")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    db = tmp_path_factory.mktemp("server") / "cchc.duckdb"
    init_store(db)
    server = StreamlitServer(db, free_port())
    server.db_path = db
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian chromium not found at {CHROMIUM}: apt-get install -y chromium")
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def sign_in_as_editor(page, password: str) -> None:
    """Sign in on the page's editor box and wait until the page says who is signed in."""
    page.get_by_label("Mật khẩu biên tập viên").fill(password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.get_by_text("Đang đăng nhập: biên tập viên (mật khẩu)").wait_for()
    wait_for_script(page)


def wait_for_script(page, timeout: float = 30_000) -> None:
    """Wait until the app is connected and the script run has finished (as Streamlit's e2e suite does).

    A click's rerun reaches the page's state a moment after the click returns; the short pause first
    keeps this from seeing the previous run as finished (a busy CI machine showed that race)."""
    page.wait_for_timeout(100)
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=timeout)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stSkeleton"]')
                 && !document.querySelector('[data-stale="true"]')""",
        timeout=timeout,
    )
