"""The official unit register of a province (data/register/<code>/, written by build_register.py) into a store.

Unit versions go to `units` (the id rule is store.unit_version_id) and the lineage between them to
`unit_lineage`, as one batch of content 'units'.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from analytics.errors import CchcError
from analytics.store import DATA_DIR, new_batch, unit_version_id, with_version_ids

REGISTER_DIR = DATA_DIR / "register"
UNIT_COLUMNS = ["code", "name", "level", "kind", "parent_code", "valid_from", "valid_to"]
INSERT_UNIT_SQL = """
    INSERT INTO units (id, code, name, level, kind, parent_code, valid_from, valid_to, batch_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
INSERT_LINEAGE_SQL = "INSERT INTO unit_lineage (from_unit_id, to_unit_id, date, kind, batch_id) VALUES (?, ?, ?, ?, ?)"


def register_files(province_code: str, register_dir: Path = REGISTER_DIR) -> tuple[Path, Path]:
    folder = register_dir / province_code
    versions, lineage = folder / "unit_versions.csv", folder / "unit_lineage.csv"
    if not versions.is_file() or not lineage.is_file():
        raise CchcError(
            f"Chưa có danh mục đơn vị hành chính của tỉnh mã '{province_code}' trong {folder}; "
            f"hãy chạy: python data/register/build_register.py --province {province_code}"
        )
    return versions, lineage


def read_register(province_code: str, register_dir: Path = REGISTER_DIR) -> tuple[list[list], list[list]]:
    """(unit rows with their ids, lineage rows [from_id, to_id, date, kind]) of a province's register."""
    versions_path, lineage_path = register_files(province_code, register_dir)
    with versions_path.open(encoding="utf-8", newline="") as handle:
        units = with_version_ids([[None, *(row[c] or None for c in UNIT_COLUMNS)] for row in csv.DictReader(handle)])
    first_start: dict[str, str] = {}
    for unit in units:
        first_start[unit[1]] = min(first_start.get(unit[1], unit[6] or ""), unit[6] or "")
    with lineage_path.open(encoding="utf-8", newline="") as handle:
        lineage = [
            [
                unit_version_id(
                    row["from_code"], row["from_valid_from"], row["from_valid_from"] == first_start[row["from_code"]]
                ),
                unit_version_id(
                    row["to_code"], row["to_valid_from"], row["to_valid_from"] == first_start[row["to_code"]]
                ),
                row["date"],
                row["kind"],
            ]
            for row in csv.DictReader(handle)
        ]
    return units, lineage


def load_register(
    con: duckdb.DuckDBPyConnection,
    province_code: str,
    actor: str,
    register_dir: Path = REGISTER_DIR,
    batch_id: int | None = None,
) -> int:
    """Inside the caller's transaction: the province's units and lineage as one batch (or as part of the
    caller's batch `batch_id`, as the demo store does); returns the batch id."""
    units, lineage = read_register(province_code, register_dir)
    batch_id = batch_id or new_batch(
        con,
        source_name=f"data/register/{province_code}",
        sha256=None,
        row_count=len(units) + len(lineage),
        actor=actor,
        kind="demo",
        mode="register",
        content="units",
        note=f"Danh mục đơn vị hành chính chính thức của tỉnh mã {province_code} (trước và sau 01/7/2025)",
    )
    con.executemany(INSERT_UNIT_SQL, [[*unit, batch_id] for unit in units])
    con.executemany(INSERT_LINEAGE_SQL, [[*row, batch_id] for row in lineage])
    return batch_id


def province_of(unit_code: str, register_dir: Path = REGISTER_DIR) -> str | None:
    """The province whose register lists `unit_code` (the home unit's province for `init --empty`)."""
    for folder in sorted(p for p in register_dir.iterdir() if (p / "unit_versions.csv").is_file()):
        with (folder / "unit_versions.csv").open(encoding="utf-8", newline="") as handle:
            if any(row["code"] == unit_code for row in csv.DictReader(handle)):
                return folder.name
    return None
