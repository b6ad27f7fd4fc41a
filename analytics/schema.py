"""The store's schema, in one place. `create_schema` is what the app, the CLI and the tests call.

Bump SCHEMA_VERSION and add a step to MIGRATIONS when the schema changes, so an existing
store is migrated instead of wiped.
"""

from __future__ import annotations

import duckdb

from analytics.errors import StoreError
from analytics.sql import scalar
from analytics.transactions import transaction

SCHEMA_VERSION = 5

LEVELS = ("province", "district", "commune")

TABLES_V1 = [
    """CREATE TABLE IF NOT EXISTS meta (
        key VARCHAR PRIMARY KEY,
        value VARCHAR NOT NULL
    )""",
    """CREATE SEQUENCE IF NOT EXISTS batch_id_seq START 1""",
    """CREATE TABLE IF NOT EXISTS batches (
        id INTEGER PRIMARY KEY,
        created_at TIMESTAMP NOT NULL,
        source_name VARCHAR NOT NULL,
        sha256 VARCHAR,
        row_count INTEGER NOT NULL,
        actor VARCHAR NOT NULL,
        kind VARCHAR NOT NULL CHECK (kind IN ('demo', 'import', 'undo')),
        mode VARCHAR,
        undoes_batch_id INTEGER,
        undone_by_batch_id INTEGER,
        note VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS units (
        code VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        level VARCHAR NOT NULL CHECK (level IN ('province', 'district', 'commune')),
        kind VARCHAR NOT NULL,
        parent_code VARCHAR,
        valid_from DATE,
        valid_to DATE,
        successor_code VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS unit_aliases (
        alias VARCHAR NOT NULL,
        unit_code VARCHAR NOT NULL,
        note VARCHAR,
        PRIMARY KEY (alias, unit_code)
    )""",
    """CREATE TABLE IF NOT EXISTS offices (
        code VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        duties VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS criteria_sets (
        code VARCHAR PRIMARY KEY,
        level VARCHAR NOT NULL CHECK (level IN ('province', 'district', 'commune')),
        year_from INTEGER NOT NULL,
        year_to INTEGER,
        name VARCHAR NOT NULL,
        legal_source VARCHAR,
        is_demo BOOLEAN NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS criteria (
        set_code VARCHAR NOT NULL,
        code VARCHAR NOT NULL,
        parent_code VARCHAR,
        name VARCHAR NOT NULL,
        max_points DOUBLE NOT NULL CHECK (max_points >= 0),
        office_code VARCHAR,
        sort_order INTEGER NOT NULL,
        PRIMARY KEY (set_code, code)
    )""",
    """CREATE TABLE IF NOT EXISTS bands (
        set_code VARCHAR NOT NULL,
        code VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        min_pct DOUBLE NOT NULL,
        sort_order INTEGER NOT NULL,
        PRIMARY KEY (set_code, code)
    )""",
    """CREATE TABLE IF NOT EXISTS measures (
        code VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        kind VARCHAR NOT NULL CHECK (kind IN ('target', 'indicator')),
        unit VARCHAR NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS scores (
        year INTEGER NOT NULL,
        unit_code VARCHAR NOT NULL,
        criterion_code VARCHAR NOT NULL,
        points DOUBLE NOT NULL,
        self_points DOUBLE,
        is_demo BOOLEAN NOT NULL,
        source VARCHAR,
        batch_id INTEGER NOT NULL,
        PRIMARY KEY (year, unit_code, criterion_code)
    )""",
    """CREATE TABLE IF NOT EXISTS targets (
        year INTEGER NOT NULL,
        unit_code VARCHAR NOT NULL,
        metric VARCHAR NOT NULL,
        comparator VARCHAR NOT NULL CHECK (comparator IN ('<=', '>=', '<', '>', '=')),
        value DOUBLE NOT NULL,
        is_demo BOOLEAN NOT NULL,
        source VARCHAR,
        batch_id INTEGER NOT NULL,
        PRIMARY KEY (year, unit_code, metric)
    )""",
    """CREATE TABLE IF NOT EXISTS indicators (
        year INTEGER NOT NULL,
        unit_code VARCHAR NOT NULL,
        indicator VARCHAR NOT NULL,
        value DOUBLE NOT NULL,
        is_demo BOOLEAN NOT NULL,
        source VARCHAR,
        batch_id INTEGER NOT NULL,
        PRIMARY KEY (year, unit_code, indicator)
    )""",
    """CREATE INDEX IF NOT EXISTS scores_unit_idx ON scores (unit_code, year)""",
]

# v2: the score rows an import replaced, kept so that undoing that import can put them back.
TABLES_V2 = [
    """CREATE TABLE IF NOT EXISTS replaced_scores (
        replaced_by_batch_id INTEGER NOT NULL,
        year INTEGER NOT NULL,
        unit_code VARCHAR NOT NULL,
        criterion_code VARCHAR NOT NULL,
        points DOUBLE NOT NULL,
        self_points DOUBLE,
        is_demo BOOLEAN NOT NULL,
        source VARCHAR,
        batch_id INTEGER NOT NULL,
        PRIMARY KEY (replaced_by_batch_id, year, unit_code, criterion_code)
    )""",
]

# v3: the rule "which criteria set is in force for a level and a year", in one place for every
# query: the latest set of the level starting on or before the year (of two starting the same
# year, the higher code, so every query picks the same one). A year with no set of its own thus
# uses the latest earlier set of its level (DESIGN.md §2).
TABLES_V3 = [
    """CREATE OR REPLACE MACRO set_in_force(set_level, in_year) AS (
        SELECT arg_max(code, (year_from, code)) FROM criteria_sets
        WHERE level = set_level AND year_from <= in_year
    )""",
]

# v4: the tasks of section II of the notice (per office, per criterion), their progress notes, and
# the earlier versions of task rows a batch replaced (so undo restores them, as replaced_scores does).
# A task's criteria are part of its version: every change writes the task and its criteria anew.
# batches is rebuilt to allow kind 'edit' (a change made on the page or the CLI, not from a file).
TASK_COLUMNS = """
        id INTEGER NOT NULL,
        year INTEGER NOT NULL,
        unit_code VARCHAR NOT NULL,
        office_code VARCHAR,
        title VARCHAR NOT NULL,
        description VARCHAR,
        deadline DATE,
        status VARCHAR NOT NULL CHECK (status IN ('todo', 'doing', 'done')),
        done_on DATE,
        sort_order INTEGER NOT NULL,
        is_demo BOOLEAN NOT NULL,
        batch_id INTEGER NOT NULL"""
TASK_CRITERIA_COLUMNS = """
        task_id INTEGER NOT NULL,
        criterion_code VARCHAR NOT NULL,
        planned_gain DOUBLE,
        batch_id INTEGER NOT NULL"""
TABLES_V4 = [
    """CREATE TABLE batches_v4 (
        id INTEGER PRIMARY KEY,
        created_at TIMESTAMP NOT NULL,
        source_name VARCHAR NOT NULL,
        sha256 VARCHAR,
        row_count INTEGER NOT NULL,
        actor VARCHAR NOT NULL,
        kind VARCHAR NOT NULL CHECK (kind IN ('demo', 'import', 'undo', 'edit')),
        mode VARCHAR,
        undoes_batch_id INTEGER,
        undone_by_batch_id INTEGER,
        note VARCHAR
    )""",
    "INSERT INTO batches_v4 SELECT * FROM batches",
    "DROP TABLE batches",
    "ALTER TABLE batches_v4 RENAME TO batches",
    f"CREATE TABLE IF NOT EXISTS tasks ({TASK_COLUMNS}, PRIMARY KEY (id))",
    f"""CREATE TABLE IF NOT EXISTS replaced_tasks (replaced_by_batch_id INTEGER NOT NULL, {TASK_COLUMNS},
        PRIMARY KEY (replaced_by_batch_id, id))""",
    f"""CREATE TABLE IF NOT EXISTS task_criteria ({TASK_CRITERIA_COLUMNS},
        PRIMARY KEY (task_id, criterion_code))""",
    f"""CREATE TABLE IF NOT EXISTS replaced_task_criteria (replaced_by_batch_id INTEGER NOT NULL,
        {TASK_CRITERIA_COLUMNS}, PRIMARY KEY (replaced_by_batch_id, task_id, criterion_code))""",
    """CREATE TABLE IF NOT EXISTS task_notes (
        task_id INTEGER NOT NULL,
        noted_on DATE NOT NULL,
        note VARCHAR NOT NULL,
        batch_id INTEGER NOT NULL,
        PRIMARY KEY (task_id, batch_id)
    )""",
]

# v5, one migration for the 2025 reform (#12) and reference data from files (#11):
# - a unit is a version: a GSO code valid over a period. `id` is the code itself for the first
#   known version, code@valid_from for a later one (01290 is Thị trấn Pác Miầu, 01290@2025-07-01
#   Xã Bảo Lâm). Rows that name a unit (scores, targets, indicators, tasks) keep the GSO code and
#   their year; `valid_in_year` says which version a code means in a year: the one in force on
#   31 December, the day a year's results are assessed for.
# - unit_lineage links versions many-to-many (merged_into, split_from, renamed, moved) and
#   replaces units.successor_code.
# - every reference table carries the batch that wrote it, with a replaced_ twin so that undoing a
#   batch restores the rows it replaced; batches.content says what a batch holds (scores, tasks,
#   criteria, bands, offices, ownership, targets, indicators, aliases, units, demo).
REFERENCE_TABLES = (
    "unit_aliases",
    "offices",
    "criteria_sets",
    "criteria",
    "bands",
    "measures",
    "targets",
    "indicators",
)
BATCH_CONTENTS = (
    "demo",
    "units",
    "scores",
    "tasks",
    "criteria",
    "bands",
    "offices",
    "ownership",
    "targets",
    "indicators",
    "aliases",
)
TABLES_V5 = [
    """CREATE TABLE units_v5 (
        id VARCHAR PRIMARY KEY,
        code VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        level VARCHAR NOT NULL CHECK (level IN ('province', 'district', 'commune')),
        kind VARCHAR NOT NULL,
        parent_code VARCHAR,
        valid_from DATE,
        valid_to DATE,
        batch_id INTEGER,
        UNIQUE (code, valid_from)
    )""",
    """INSERT INTO units_v5
        SELECT code, code, name, level, kind, parent_code, valid_from, valid_to,
               (SELECT min(id) FROM batches)
        FROM units""",
    """CREATE TABLE unit_lineage (
        from_unit_id VARCHAR NOT NULL,
        to_unit_id VARCHAR NOT NULL,
        date DATE NOT NULL,
        kind VARCHAR NOT NULL CHECK (kind IN ('merged_into', 'split_from', 'renamed', 'moved')),
        batch_id INTEGER,
        PRIMARY KEY (from_unit_id, to_unit_id)
    )""",
    """INSERT INTO unit_lineage
        SELECT code, successor_code, coalesce(valid_to + INTERVAL 1 DAY, DATE '2025-07-01'), 'merged_into',
               (SELECT min(id) FROM batches)
        FROM units WHERE successor_code IS NOT NULL""",
    "DROP TABLE units",
    "ALTER TABLE units_v5 RENAME TO units",
    """CREATE OR REPLACE MACRO valid_in_year(from_day, to_day, in_year) AS (
        (from_day IS NULL OR from_day <= make_date(in_year, 12, 31))
        AND (to_day IS NULL OR to_day >= make_date(in_year, 12, 31))
    )""",
    # A set with a year_to is no longer in force after it (a newer set of the level still takes over from
    # its own year_from).
    """CREATE OR REPLACE MACRO set_in_force(set_level, in_year) AS (
        SELECT arg_max(code, (year_from, code)) FROM criteria_sets
        WHERE level = set_level AND year_from <= in_year AND (year_to IS NULL OR year_to >= in_year)
    )""",
    "ALTER TABLE batches ADD COLUMN content VARCHAR",
    """UPDATE batches SET content = CASE
        WHEN kind = 'demo' THEN 'demo'
        WHEN EXISTS (SELECT 1 FROM tasks t WHERE t.batch_id = batches.id)
          OR EXISTS (SELECT 1 FROM task_notes n WHERE n.batch_id = batches.id)
          OR EXISTS (SELECT 1 FROM replaced_tasks r WHERE r.replaced_by_batch_id = batches.id) THEN 'tasks'
        ELSE 'scores' END""",
    *[
        f"ALTER TABLE {table} ADD COLUMN batch_id INTEGER"
        for table in ("unit_aliases", "offices", "criteria_sets", "criteria", "bands", "measures")
    ],
    *[
        f"UPDATE {table} SET batch_id = (SELECT min(id) FROM batches)"
        for table in ("unit_aliases", "offices", "criteria_sets", "criteria", "bands", "measures")
    ],
    *[
        f"""CREATE TABLE replaced_{table} AS
            SELECT CAST(NULL AS INTEGER) AS replaced_by_batch_id, * FROM {table} LIMIT 0"""
        for table in REFERENCE_TABLES
    ],
]

# Tables whose full content defines "the state" (used by undo checks and tests).
DATA_TABLES = (
    "units",
    "unit_aliases",
    "offices",
    "criteria_sets",
    "criteria",
    "bands",
    "measures",
    "scores",
    "targets",
    "indicators",
    "replaced_scores",
    "batches",
    "meta",
    "tasks",
    "replaced_tasks",
    "task_criteria",
    "replaced_task_criteria",
    "task_notes",
    "unit_lineage",
    *(f"replaced_{table}" for table in REFERENCE_TABLES),
)

# version -> statements that bring a store at version-1 to this version.
MIGRATIONS: dict[int, list[str]] = {1: TABLES_V1, 2: TABLES_V2, 3: TABLES_V3, 4: TABLES_V4, 5: TABLES_V5}


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'")
    if not exists:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def create_schema(con: duckdb.DuckDBPyConnection) -> int:
    """Create or migrate the schema to SCHEMA_VERSION; returns the version found before."""
    found = current_version(con)
    if found > SCHEMA_VERSION:
        raise StoreError(
            f"Kho dữ liệu có lược đồ v{found}, mới hơn phiên bản này của chương trình "
            f"(v{SCHEMA_VERSION}); hãy cập nhật chương trình."
        )
    for version in range(found + 1, SCHEMA_VERSION + 1):
        with transaction(con):
            for statement in MIGRATIONS[version]:
                con.execute(statement)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(version)])
            con.execute("INSERT OR IGNORE INTO meta VALUES ('data_version', '0')")
    return found
