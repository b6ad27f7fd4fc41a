"""The fast path for clean long CSV files, and the CLI's --max-mb.

The fast path (analytics/importing/fastlong.py) must give exactly what the cell-by-cell path
gives; a trailing blank line sends the same table down the cell-by-cell path, so the two are
compared on real files in real stores.
"""

from __future__ import annotations

import json

import pytest

from analytics.cli import main
from analytics.importing import ImportOptions, analyze
from analytics.importing.fastlong import analyze_fast
from analytics.importing.problems import ProblemList
from analytics.importing.read import MAX_FILE_BYTES
from analytics.store import connect
from tests.conftest import snapshot

SYNTH = ["--units", "13", "--provinces", "1", "--districts", "12", "--criteria", "10", "--seed", "11"]
OPTIONS = {"level": "district", "parent": "01"}


@pytest.fixture(scope="module")
def long_csv(tmp_path_factory):
    """(a long CSV of 12 districts × 2 years × 10 criteria, a store with the same tree and no scores)."""
    work = tmp_path_factory.mktemp("speed")
    csv_path, source, target = work / "diem.csv", work / "source.duckdb", work / "target.duckdb"
    assert (
        main(["synth", "--db", str(source), "--years", "2", "--csv", str(csv_path), "--csv-level", "district", *SYNTH])
        == 0
    )
    assert main(["synth", "--db", str(target), "--years", "0", *SYNTH]) == 0
    return csv_path.read_bytes(), target


def analysis_pair(store, data: bytes, **options):
    """The analysis of `data` (fast path) and of `data` + a blank line (cell-by-cell path)."""
    con = connect(store)  # the preview writes inside a transaction it rolls back
    try:
        fast = analyze(con, "diem.csv", data, ImportOptions(**OPTIONS, **options))
        slow = analyze(con, "diem.csv", data + b"\n\n", ImportOptions(**OPTIONS, **options))
    finally:
        con.close()
    return fast, slow


def same_analysis(fast, slow) -> None:
    assert fast.rows == slow.rows and len(fast.rows) == 12 * 2 * 10
    assert fast.problems == slow.problems
    assert (fast.is_demo, fast.sheets, fast.encoding, fast.separator) == (
        slow.is_demo,
        slow.sheets,
        slow.encoding,
        slow.separator,
    )
    assert fast.preview.units.equals(slow.preview.units)
    assert fast.preview.changes.equals(slow.preview.changes)
    assert fast.preview.rankings.keys() == slow.preview.rankings.keys()
    assert all(fast.preview.rankings[k].equals(slow.preview.rankings[k]) for k in slow.preview.rankings)


def test_only_a_clean_long_csv_takes_the_fast_path(long_csv):
    data, store = long_csv
    con = connect(store, read_only=True)
    try:
        taken = [
            analyze_fast(con, "diem.csv", d, ImportOptions(**OPTIONS), ProblemList("diem.csv")) is not None
            for d in (data, data + b"\n\n", b"Bang diem\n" + data, data.replace(b",", b";"))
        ]
    finally:
        con.close()
    assert taken == [True, False, False, False]


def test_fast_path_gives_what_the_cell_by_cell_path_gives(long_csv):
    data, store = long_csv
    fast, slow = analysis_pair(store, data)
    same_analysis(fast, slow)
    assert fast.ok and not fast.errors


def test_fast_path_reports_missing_units_like_the_cell_by_cell_path(long_csv):
    data, store = long_csv
    lines = data.splitlines(keepends=True)
    fast, slow = analysis_pair(store, b"".join(lines[:1] + lines[11:]))  # the first district of year one dropped
    assert fast.rows == slow.rows and fast.problems == slow.problems
    assert [p.kind for p in fast.warnings] == ["missing_units"]


def test_a_bad_cell_in_a_long_csv_gets_the_usual_problem(long_csv):
    data, store = long_csv
    lines = data.decode().splitlines(keepends=True)
    year, unit, criterion, _ = lines[3].rstrip("\r\n").split(",")
    lines[3] = f"{year},{unit},{criterion},-1.5\n"
    fast, slow = analysis_pair(store, "".join(lines).encode())
    assert fast.problems == slow.problems
    assert [(p.kind, p.row) for p in fast.errors] == [("negative", 4)]


def oversize_long_csv(data: bytes, limit: int) -> bytes:
    """The long CSV padded past `limit` with note lines below a blank line (ignored by the import)."""
    note = ("Ghi chú: " + "x" * 200 + "\n").encode()
    return data + b"\n" + note * (limit // len(note) + 1)


def test_cli_refuses_a_file_over_5_mb_unless_max_mb_raises_the_limit(long_csv, tmp_path, capsys):
    data, store = long_csv
    path, db = tmp_path / "lon.csv", tmp_path / "target.duckdb"
    path.write_bytes(oversize_long_csv(data, MAX_FILE_BYTES))
    db.write_bytes(store.read_bytes())
    con = connect(db, read_only=True)
    before = snapshot(con)
    con.close()
    argv = ["import", str(path), "--level", "district", "--parent", "01", "--db", str(db)]
    assert main(argv) == 2
    assert "vượt giới hạn 5,0 MB" in capsys.readouterr().err
    con = connect(db, read_only=True)
    assert snapshot(con) == before
    con.close()
    assert main([*argv, "--max-mb", "6", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    con = connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM scores").fetchone()[0] == 12 * 2 * 10
    con.close()
