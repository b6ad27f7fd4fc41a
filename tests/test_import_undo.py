"""Undo restores exactly the state before the batch.

What is compared: the full content of every table in schema.DATA_TABLES (units, aliases,
offices, criteria sets, criteria, bands, measures, scores, targets, indicators and
replaced_scores) must be identical before the import and after its undo. Two tables are
allowed to differ, and only as follows: `batches` keeps every row it had, unchanged, and
gains exactly the import row (marked undone) and the undo row; `meta` keeps its
schema_version and has a higher data_version (so page caches see the change).
"""

from __future__ import annotations

import hashlib

import pytest

from analytics.errors import CchcError, NotFoundError
from analytics.importing import ImportOptions, analyze, commit_import, history, undo_batch
from analytics.rankings import rankings
from analytics.schema import DATA_TABLES
from tests.conftest import ROOT, snapshot

SAMPLE = ROOT / "data" / "samples" / "ket-qua-huyen-2021.csv"
AUDIT_TABLES = ("batches", "meta")


def load(con, data: bytes, name: str = "ket-qua.csv", **options) -> int:
    analysis = analyze(con, name, data, ImportOptions(**options))
    assert analysis.ok, [p.message for p in analysis.errors]
    return commit_import(con, analysis, "pytest")


def sample_for(year: int, change: float = 0.0) -> bytes:
    """The 2021 sample without its title line, relabelled to `year`, Bảo Lâm's field 1 and total moved."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()[1:]
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        cells[0] = str(year)
        if cells[2] == "042":
            cells[4] = f"{float(cells[4]) + change:.2f}"
            cells[12] = f"{float(cells[12]) + change:.2f}"
        out.append(",".join(cells))
    return ("\n".join(out) + "\n").encode()


def assert_restored(before: dict, after: dict, import_id: int, undo_id: int) -> None:
    for table in DATA_TABLES:
        if table not in AUDIT_TABLES:
            assert after[table] == before[table], table
    assert set(before["batches"]) <= set(after["batches"])
    added = {row.id: row for row in set(after["batches"]) - set(before["batches"])}
    assert set(added) == {import_id, undo_id}
    assert added[import_id].kind == "import" and added[import_id].undone_by_batch_id == undo_id
    assert added[undo_id].kind == "undo" and added[undo_id].undoes_batch_id == import_id
    meta_before, meta_after = dict(before["meta"]), dict(after["meta"])
    assert meta_after["schema_version"] == meta_before["schema_version"]
    assert int(meta_after["data_version"]) > int(meta_before["data_version"])


def test_import_then_undo_restores_every_table(demo_con):
    before = snapshot(demo_con)
    batch = load(demo_con, SAMPLE.read_bytes())
    assert snapshot(demo_con)["scores"] != before["scores"]
    undo_id = undo_batch(demo_con, batch, "pytest")
    assert_restored(before, snapshot(demo_con), batch, undo_id)


def test_replace_then_undo_puts_back_the_replaced_rows_exactly(demo_con):
    """Replacing 2020 (real 73,79 total and illustrative criteria of Bảo Lâm) and undoing it."""
    before = snapshot(demo_con)
    batch = load(demo_con, sample_for(2020), replace=True)
    row = rankings(demo_con, 2020, "district", "04").set_index("unit_code").loc["042"]
    assert round(row.total, 2) == 79.85
    assert (
        demo_con.execute("SELECT count(*) FROM replaced_scores WHERE replaced_by_batch_id = ?", [batch]).fetchone()[0]
        > 0
    )
    undo_id = undo_batch(demo_con, batch, "pytest")
    after = snapshot(demo_con)
    assert_restored(before, after, batch, undo_id)
    row = rankings(demo_con, 2020, "district", "04").set_index("unit_code").loc["042"]
    assert (round(row.total, 2), int(row["rank"])) == (73.79, 9)


def test_a_replaced_batch_is_undone_after_the_batch_that_replaced_it(demo_con):
    before = snapshot(demo_con)
    first = load(demo_con, sample_for(2021), "a.csv")
    after_first = snapshot(demo_con)
    second = load(demo_con, sample_for(2021, change=-0.20), "b.csv", replace=True)
    with pytest.raises(CchcError, match=f"đã bị lô #{second} thay thế"):
        undo_batch(demo_con, first, "pytest")
    undo_second = undo_batch(demo_con, second, "pytest")
    assert_restored(after_first, snapshot(demo_con), second, undo_second)
    undo_first = undo_batch(demo_con, first, "pytest")
    final = snapshot(demo_con)
    for table in set(DATA_TABLES) - set(AUDIT_TABLES):
        assert final[table] == before[table], table
    assert {r[0] for r in final["batches"]} - {r[0] for r in before["batches"]} == {
        first,
        second,
        undo_first,
        undo_second,
    }


def test_what_cannot_be_undone(demo_con):
    batch = load(demo_con, SAMPLE.read_bytes())
    undo_batch(demo_con, batch, "pytest")
    before = snapshot(demo_con)
    with pytest.raises(CchcError, match="đã được hoàn tác"):
        undo_batch(demo_con, batch, "pytest")
    with pytest.raises(CchcError, match="không phải lô nạp từ tệp"):
        undo_batch(demo_con, 1, "pytest")
    with pytest.raises(NotFoundError, match="Không có lô nhập #999"):
        undo_batch(demo_con, 999, "pytest")
    assert snapshot(demo_con) == before


def test_history_records_file_hash_rows_actor_mode_and_undo(demo_con):
    data = SAMPLE.read_bytes()
    batch = load(demo_con, data, "ket-qua-huyen-2021.csv")
    frame = history(demo_con).set_index("id")
    row = frame.loc[batch]
    assert (row.source_name, row.sha256, row.row_count, row.actor, row.kind, row["mode"]) == (
        "ket-qua-huyen-2021.csv",
        hashlib.sha256(data).hexdigest(),
        80,
        "pytest",
        "import",
        "insert",
    )
    assert row.note == "Năm 2021; 10 đơn vị" and bool(row.can_undo)
    undo_id = undo_batch(demo_con, batch, "pytest")
    frame = history(demo_con).set_index("id")
    assert frame.loc[batch].undone_by_batch_id == undo_id and not bool(frame.loc[batch].can_undo)
    assert frame.loc[undo_id].kind == "undo" and frame.loc[undo_id].row_count == 80


def test_the_cli_undo_and_history(demo_store, capsys):
    from analytics.cli import main

    db = str(demo_store)
    assert main(["import", str(SAMPLE), "--db", db]) == 0
    assert "Đã nạp lô #2" in capsys.readouterr().out
    assert main(["history", "--db", db, "--format", "json"]) == 0
    assert '"source_name": "ket-qua-huyen-2021.csv"' in capsys.readouterr().out
    assert main(["undo", "2", "--db", db]) == 0
    assert "Đã hoàn tác lô #2 (lô hoàn tác #3)." in capsys.readouterr().out
    assert main(["undo", "2", "--db", db]) == 2
    assert "Lỗi: Lô #2 đã được hoàn tác (lô #3)." in capsys.readouterr().err


def test_a_v1_store_is_migrated_to_keep_replaced_rows(tmp_path):
    from analytics.schema import MIGRATIONS, SCHEMA_VERSION, current_version
    from analytics.store import connect, init_store

    path = tmp_path / "v1.duckdb"
    con = connect(path)
    for statement in MIGRATIONS[1]:
        con.execute(statement)
    con.execute("INSERT INTO meta VALUES ('schema_version', '1'), ('data_version', '7')")
    con.close()
    assert init_store(path) is False  # already built: migrated, not rebuilt
    con = connect(path)
    assert current_version(con) == SCHEMA_VERSION
    assert con.execute("SELECT count(*) FROM replaced_scores").fetchone()[0] == 0
    assert con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0] == "7"
    con.close()
