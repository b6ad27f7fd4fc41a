"""Opening, building and describing the DuckDB store."""

from __future__ import annotations

import csv
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from analytics.errors import StoreError
from analytics.schema import SCHEMA_VERSION, create_schema, current_version
from analytics.sql import scalar
from analytics.transactions import transaction

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEMO_DIR = DATA_DIR / "demo"

# table -> (csv file, columns); the order respects references between tables.
STORE_ACTOR = "init"  # who writes the store's own loads: the demo data, an empty store's unit register
STORE_ACTOR_LABELS = {"demo": "Hệ thống (dữ liệu minh họa)"}
STORE_ACTOR_LABEL = "Hệ thống (khởi tạo kho)"
DEMO_PROVINCE = "04"  # the demo's units are the official register of Cao Bằng (data/register/04/)
DEMO_TABLES = [
    ("unit_aliases", "unit_aliases.csv", ["alias", "unit_code", "note"]),
    ("offices", "offices.csv", ["code", "name", "duties"]),
    (
        "criteria_sets",
        "criteria_sets.csv",
        ["code", "level", "year_from", "year_to", "name", "legal_source", "is_demo"],
    ),
    (
        "criteria",
        "criteria.csv",
        ["set_code", "code", "parent_code", "name", "max_points", "office_code", "sort_order"],
    ),
    ("bands", "bands.csv", ["set_code", "code", "name", "min_pct", "sort_order"]),
    ("measures", "measures.csv", ["code", "name", "kind", "unit"]),
    ("scores", "scores.csv", ["year", "unit_code", "criterion_code", "points", "self_points", "is_demo", "source"]),
    ("targets", "targets.csv", ["year", "unit_code", "metric", "comparator", "value", "is_demo", "source"]),
    ("indicators", "indicators.csv", ["year", "unit_code", "indicator", "value", "is_demo", "source"]),
    (
        "tasks",
        "tasks.csv",
        [
            "id",
            "year",
            "unit_code",
            "office_code",
            "title",
            "description",
            "deadline",
            "status",
            "done_on",
            "sort_order",
            "is_demo",
        ],
    ),
    ("task_criteria", "task_criteria.csv", ["task_id", "criterion_code", "planned_gain"]),
]
BATCHED_TABLES = {table for table, _, _ in DEMO_TABLES}
INSERT_SQL = {
    table: "INSERT INTO {t} ({c}) VALUES ({p})".format(
        t=table,
        c=", ".join(cols + (["batch_id"] if table in BATCHED_TABLES else [])),
        p=", ".join("?" * (len(cols) + (table in BATCHED_TABLES))),
    )
    for table, _, cols in DEMO_TABLES
}


def connect(path: str | os.PathLike, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise StoreError(f"Không mở được kho dữ liệu '{path}': {exc}") from exc


def is_built(path: Path) -> bool:
    if not path.exists():
        return False
    con = connect(path, read_only=True)
    try:
        return scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'scores'") == 1
    finally:
        con.close()


def migrate_store(path: Path) -> int:
    """Bring an existing store to SCHEMA_VERSION (a no-op, read-only check when it is current)."""
    con = connect(path, read_only=True)
    try:
        found = current_version(con)
    finally:
        con.close()
    if found < SCHEMA_VERSION:
        con = connect(path)
        try:
            create_schema(con)
        finally:
            con.close()
    return found


@contextmanager
def built_in_place(path: Path, prefix: str = ".building-"):
    """A connection to a new store in a temporary file beside `path`, moved into place on success.

    A crash or an exception never leaves a half-built store at `path`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".duckdb", dir=path.parent)
    os.close(fd)
    os.unlink(tmp_name)
    try:
        con = connect(tmp_name)
        try:
            yield con
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp_name, path)
        Path(str(path) + ".wal").unlink(missing_ok=True)
    finally:
        Path(tmp_name).unlink(missing_ok=True)
        Path(tmp_name + ".wal").unlink(missing_ok=True)


def init_store(path: Path, demo_dir: Path = DEMO_DIR, force: bool = False) -> bool:
    """Build the store from the demo CSVs. Returns False when it already existed (and force is off);
    an existing store of an older schema is migrated.

    The store is built beside the target and moved into place (built_in_place).
    """
    if is_built(path) and not force:
        migrate_store(path)
        return False
    with built_in_place(path) as con:
        create_schema(con)
        load_demo(con, demo_dir)
    return True


def init_empty_store(path: Path, province_code: str, force: bool = False) -> bool:
    """A store holding the province's official unit register and nothing else (no criteria set, no
    results): what a province starts from before loading its own files. False when it already existed."""
    from analytics.register import load_register

    if is_built(path) and not force:
        migrate_store(path)
        return False
    with built_in_place(path) as con:
        create_schema(con)
        with transaction(con):
            load_register(con, province_code, actor=STORE_ACTOR)
            bump_data_version(con)
    return True


def load_demo(con: duckdb.DuckDBPyConnection, demo_dir: Path) -> None:
    """The register of the demo province and the demo CSVs, as one batch."""
    from analytics.register import load_register  # register.py builds on this module

    with transaction(con):
        batch_id = new_batch(
            con,
            source_name=str(demo_dir.name),
            sha256=None,
            row_count=0,
            actor=STORE_ACTOR,
            kind="demo",
            mode="demo",
            note="Dữ liệu minh họa dựng từ data/demo",
            content="demo",
        )
        load_register(con, DEMO_PROVINCE, actor=STORE_ACTOR, batch_id=batch_id)
        total = scalar(con, "SELECT count(*) FROM units") + scalar(con, "SELECT count(*) FROM unit_lineage")
        for table, file_name, columns in DEMO_TABLES:
            rows = _read_csv_rows(demo_dir / file_name, columns)
            if table in BATCHED_TABLES:
                rows = [row + [batch_id] for row in rows]
            if rows:
                con.executemany(INSERT_SQL[table], rows)
            total += len(rows)
        con.execute("UPDATE batches SET row_count = ? WHERE id = ?", [total, batch_id])
        bump_data_version(con)


def _read_csv_rows(path: Path, columns: list[str]) -> list[list]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [[row.get(c) or None for c in columns] for row in csv.DictReader(handle)]


def unit_version_id(code: str, valid_from: str | None, first_version: bool) -> str:
    """A unit version's key: its code for the code's first version, code@valid_from for a later one."""
    return code if first_version or not valid_from else f"{code}@{valid_from}"


def with_version_ids(rows: list[list]) -> list[list]:
    """Unit rows [id, code, name, level, kind, parent, valid_from, valid_to] with their ids filled in."""
    first_start: dict[str, str] = {}
    for row in rows:
        start = row[6] or ""
        first_start[row[1]] = min(first_start.get(row[1], start), start)
    return [[unit_version_id(row[1], row[6], (row[6] or "") == first_start[row[1]]), *row[1:]] for row in rows]


def actor_label(actor: str | None, batch_content: str | None = None) -> str:
    """Who wrote a batch, as people read it: a person's name as given, the store's own loads in words
    (the demo batch, content 'demo'; an empty store's register, content 'units')."""
    if actor == STORE_ACTOR:
        return STORE_ACTOR_LABELS.get(batch_content or "", STORE_ACTOR_LABEL)
    return actor or "–"


def new_batch(
    con,
    *,
    source_name: str,
    sha256: str | None,
    row_count: int,
    actor: str,
    kind: str,
    mode: str | None = None,
    note: str | None = None,
    undoes_batch_id: int | None = None,
    content: str = "scores",
) -> int:
    """Insert an audit row and return its id (inside the caller's transaction).

    kind is the action (demo, import, undo, edit); content what the batch holds (schema.BATCH_CONTENTS).
    """
    return con.execute(
        """INSERT INTO batches (id, created_at, source_name, sha256, row_count, actor, kind, mode,
                                undoes_batch_id, note, content)
           VALUES (nextval('batch_id_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
        [
            datetime.now().replace(microsecond=0),
            source_name,
            sha256,
            row_count,
            actor,
            kind,
            mode,
            undoes_batch_id,
            note,
            content,
        ],
    ).fetchone()[0]


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
    return int(row[0]) if row else 0


def bump_data_version(con: duckdb.DuckDBPyConnection) -> int:
    """Called inside every transaction that changes data, so page caches are invalidated."""
    return scalar(
        con,
        "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) "
        "WHERE key = 'data_version' RETURNING CAST(value AS INTEGER)",
    )


@dataclass(frozen=True)
class StoreInfo:
    path: str
    schema_version: int
    data_version: int
    years: list[int]
    units_per_level: dict[str, int]
    criteria_sets: list[str]
    batches: int
    score_rows: int


def store_info(con: duckdb.DuckDBPyConnection, path: str = "") -> StoreInfo:
    return StoreInfo(
        path=path,
        schema_version=int(scalar(con, "SELECT value FROM meta WHERE key = 'schema_version'")),
        data_version=data_version(con),
        years=[r[0] for r in con.execute("SELECT DISTINCT year FROM scores ORDER BY year").fetchall()],
        units_per_level=dict(con.execute("SELECT level, count(*) FROM units GROUP BY level ORDER BY level").fetchall()),
        criteria_sets=[r[0] for r in con.execute("SELECT code FROM criteria_sets ORDER BY code").fetchall()],
        batches=scalar(con, "SELECT count(*) FROM batches"),
        score_rows=scalar(con, "SELECT count(*) FROM scores"),
    )


FIRST_MISSING_SQL = """
    SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM criteria_sets) THEN 'criteria'
                WHEN NOT EXISTS (SELECT 1 FROM scores) THEN 'scores' END
"""


def first_missing(con: duckdb.DuckDBPyConnection) -> str | None:
    """What a store must be given before the analyses can answer: 'criteria' (no criteria set yet),
    'scores' (a set but no results), or None."""
    return scalar(con, FIRST_MISSING_SQL)
