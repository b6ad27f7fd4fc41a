"""A killed import leaves the store as it was; two imports at once end with both or one applied
cleanly, never a mix. Real processes, real DuckDB files, SIGKILL inside the transaction."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

from analytics.errors import CchcError
from analytics.importing import ImportOptions, analyze, analyze_and_commit, commit_import
from analytics.importing.commit import PAUSE_ENV, PAUSED_MARK
from tests.conftest import ROOT, snapshot_of

SAMPLE = ROOT / "data" / "samples" / "ket-qua-huyen-2021.csv"


def start_import(db, path, pause: float, extra_env: dict | None = None) -> subprocess.Popen:
    env = {**os.environ, PAUSE_ENV: str(pause), **(extra_env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "analytics", "import", str(path), "--db", str(db)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_paused(process: subprocess.Popen) -> None:
    """Read stderr until the import says it is inside its transaction, just before COMMIT."""
    for line in process.stderr:
        if PAUSED_MARK in line:
            return
    raise AssertionError("the import never reached its transaction: " + process.stdout.read())


def year_file(tmp_path, year: int):
    path = tmp_path / f"ket-qua-{year}.csv"
    path.write_text(SAMPLE.read_text(encoding="utf-8").replace("\n2021,", f"\n{year},"), encoding="utf-8")
    return path


def test_a_process_killed_inside_the_transaction_changes_nothing(demo_store):
    before = snapshot_of(demo_store)
    process = start_import(demo_store, SAMPLE, pause=120)
    try:
        wait_until_paused(process)  # every row is written, the batch and data version too; no COMMIT yet
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert snapshot_of(demo_store) == before


def test_two_processes_at_once_apply_both_or_one_never_a_mix(demo_store, tmp_path):
    before = snapshot_of(demo_store)
    first = start_import(demo_store, year_file(tmp_path, 2021), pause=3)
    wait_until_paused(first)
    second = subprocess.run(
        [sys.executable, "-m", "analytics", "import", str(year_file(tmp_path, 2022)), "--db", str(demo_store)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    first.wait(timeout=60)
    assert first.returncode == 0
    after = snapshot_of(demo_store)
    years = {row.year for row in after["scores"]} - {row.year for row in before["scores"]}
    batches = [row for row in after["batches"] if row.kind == "import"]
    if second.returncode == 0:  # it opened the store after the first had finished
        assert years == {2021, 2022} and len(batches) == 2
    else:  # DuckDB's file lock kept it out while the first was writing
        assert "Không mở được kho dữ liệu" in second.stderr
        assert years == {2021} and len(batches) == 1
    for batch in batches:
        assert sum(1 for row in after["scores"] if row.batch_id == batch.id) == 80 == batch.row_count


def _commit_in_thread(con, analysis, results: dict) -> None:
    cursor = con.cursor()  # one cursor per thread, as the app does per script run
    try:
        results[analysis.file_name] = commit_import(cursor, analysis, "thread")
    except CchcError as exc:
        results[analysis.file_name] = exc
    finally:
        cursor.close()


def _commit_at_once(con, files: dict[str, bytes]) -> dict:
    """Analyse every file first (each sees the store without the others), then commit them together."""
    analyses = [analyze(con, name, data, ImportOptions()) for name, data in files.items()]
    assert all(a.ok for a in analyses)
    results: dict = {}
    threads = [threading.Thread(target=_commit_in_thread, args=(con, a, results)) for a in analyses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_two_threads_with_different_years_both_apply(demo_con, tmp_path, monkeypatch):
    monkeypatch.setenv(PAUSE_ENV, "0.5")  # each holds its transaction open a while, so they overlap
    files = {p.name: p.read_bytes() for p in (year_file(tmp_path, 2021), year_file(tmp_path, 2022))}
    version = demo_con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0]
    results = _commit_at_once(demo_con, files)
    assert all(isinstance(r, int) for r in results.values()), results
    for year in (2021, 2022):
        assert demo_con.execute("SELECT count(*) FROM scores WHERE year = ?", [year]).fetchone()[0] == 80
    assert demo_con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0] == str(int(version) + 2)


def test_two_threads_with_the_same_year_apply_exactly_one(demo_con, monkeypatch):
    monkeypatch.setenv(PAUSE_ENV, "0.5")
    data = SAMPLE.read_bytes()
    before_batches = demo_con.execute("SELECT count(*) FROM batches").fetchone()[0]
    results = _commit_at_once(demo_con, {"a.csv": data, "b.csv": data})
    applied = [r for r in results.values() if isinstance(r, int)]
    refused = [r for r in results.values() if isinstance(r, CchcError)]
    assert len(applied) == 1 and len(refused) == 1, results
    assert "đã có dữ liệu năm 2021" in refused[0].message and "Chưa có gì thay đổi" in refused[0].message
    rows = demo_con.execute("SELECT batch_id, count(*) FROM scores WHERE year = 2021 GROUP BY batch_id").fetchall()
    assert rows == [(applied[0], 80)]
    assert demo_con.execute("SELECT count(*) FROM batches").fetchone()[0] == before_batches + 1


LONG_FILE = ROOT / "tests" / "data" / "good" / "huyen-2021-long-english.csv"  # no rank column


def test_a_long_file_killed_inside_its_single_transaction_changes_nothing(demo_store):
    """A file without a rank column takes the CLI's one-transaction path (preview computed inside
    the commit's transaction): killed there, it leaves the store as it was too."""
    assert "rank" not in LONG_FILE.read_text(encoding="utf-8").splitlines()[0].lower()
    before = snapshot_of(demo_store)
    process = start_import(demo_store, LONG_FILE, pause=120)
    try:
        wait_until_paused(process)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert snapshot_of(demo_store) == before


def _analyze_and_commit_in_thread(con, name: str, data: bytes, results: dict) -> None:
    cursor = con.cursor()
    try:
        results[name] = analyze_and_commit(cursor, name, data, ImportOptions(), "thread")
    except CchcError as exc:
        results[name] = exc
    finally:
        cursor.close()


def test_two_threads_importing_a_long_file_of_the_same_year_apply_it_once(demo_con, monkeypatch):
    """The CLI's one-transaction path (no rank column), twice at once: one applies, the other is
    refused or finds the year taken, and the store holds the file's rows once."""
    monkeypatch.setenv(PAUSE_ENV, "0.5")
    data, results = LONG_FILE.read_bytes(), {}
    threads = [
        threading.Thread(target=_analyze_and_commit_in_thread, args=(demo_con, name, data, results))
        for name in ("a.csv", "b.csv")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    applied = [r[1] for r in results.values() if isinstance(r, tuple) and r[1] is not None]
    assert len(applied) == 1, results
    rows = demo_con.execute("SELECT batch_id, count(*) FROM scores WHERE year = 2021 GROUP BY batch_id").fetchall()
    assert rows == [(applied[0], 90)]
    assert demo_con.execute("SELECT count(*) FROM batches WHERE kind = 'import'").fetchone()[0] == 1
