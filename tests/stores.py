"""Tiny hand-made stores for the analytics tests: real DuckDB files built through create_schema.

`tiny_store` holds a province P with six districts and three communes of D1:

| 2019 (set S1)          | 2020 (no set of its own: S1) | 2021 (set S2: fields A, B only) |
|------------------------|------------------------------|---------------------------------|
| D2 78 · D1 75 · D6 72  | D1 80 · D2 75 · D3 75        | D2 90 · D1 80 · D4 60           |
| D4 70 · D5 65 · D3 60  | D4 70 · D5 60 · D6 missing   | D3, D5, D6 missing              |

S1: TOTAL 100 → field 1 (40, office A: 1.1 = 20, 1.2 = 20 owned by B) and field 2 (60, office C:
2.1 = 30, 2.2 = 30 inheriting C). D5 has totals only, D6 field points only (2019), D3 in 2020
has its criteria AND its field 1 and TOTAL rows (which must not count twice).
Communes (set SX: fields 1 and 2 of 50 each): C1 55 → 82 (Trung bình → Tốt, two bands),
C2 70 → 68, C3 totals only 85 → 95.
"""

from __future__ import annotations

from pathlib import Path

from analytics.schema import create_schema
from analytics.store import connect

BANDS = [
    ("XS", "Xuất sắc", 90, 1),
    ("TOT", "Tốt", 80, 2),
    ("KHA", "Khá", 65, 3),
    ("TB", "Trung bình", 50, 4),
    ("YEU", "Yếu", 0, 5),
]

S1 = [
    ("TOTAL", None, "Tổng điểm", 100, None, 1),
    ("1", "TOTAL", "Lĩnh vực 1", 40, "A", 2),
    ("1.1", "1", "Tiêu chí 1.1", 20, None, 3),
    ("1.2", "1", "Tiêu chí 1.2", 20, "B", 4),
    ("2", "TOTAL", "Lĩnh vực 2", 60, "C", 5),
    ("2.1", "2", "Tiêu chí 2.1", 30, None, 6),
    ("2.2", "2", "Tiêu chí 2.2", 30, None, 7),
]
S2 = [
    ("TOTAL", None, "Tổng điểm", 100, None, 1),
    ("A", "TOTAL", "Lĩnh vực A", 50, "A", 2),
    ("B", "TOTAL", "Lĩnh vực B", 50, "C", 3),
]
SX = [
    ("TOTAL", None, "Tổng điểm xã", 100, None, 1),
    ("1", "TOTAL", "Lĩnh vực xã 1", 50, "X", 2),
    ("2", "TOTAL", "Lĩnh vực xã 2", 50, "X", 3),
]


def _leaves(values):
    return dict(zip(["1.1", "1.2", "2.1", "2.2"], values))


SCORES = {
    2019: {
        "D1": _leaves([17, 15, 22, 21]),
        "D2": _leaves([16, 16, 25, 21]),
        "D3": _leaves([10, 10, 20, 20]),
        "D4": _leaves([15, 15, 20, 20]),
        "D5": {"TOTAL": 65},
        "D6": {"1": 30, "2": 42},
        "C1": {"1": 28, "2": 27},
        "C2": {"1": 35, "2": 35},
        "C3": {"TOTAL": 85},
    },
    2020: {
        "D1": _leaves([18, 16, 24, 22]),
        "D2": _leaves([15, 15, 25, 20]),
        "D3": {**_leaves([20, 10, 20, 25]), "1": 30, "TOTAL": 75},
        "D4": _leaves([10, 12, 28, 20]),
        "D5": {"TOTAL": 60},
        "C1": {"1": 41, "2": 41},
        "C2": {"1": 34, "2": 34},
        "C3": {"TOTAL": 95},
    },
    2021: {"D1": {"A": 40, "B": 40}, "D2": {"A": 45, "B": 45}, "D4": {"A": 30, "B": 30}},
}


def insert_units(con, units) -> None:
    con.executemany(
        "INSERT INTO units (id, code, name, level, kind, parent_code) VALUES (?, ?, ?, ?, ?, ?)",
        [(unit[0], *unit) for unit in units],
    )


def insert_set(con, code: str, level: str, year_from: int, rows, bands=BANDS) -> None:
    con.execute(
        "INSERT INTO criteria_sets (code, level, year_from, year_to, name, legal_source, is_demo) "
        "VALUES (?, ?, ?, NULL, ?, NULL, false)",
        [code, level, year_from, code],
    )
    con.executemany(
        "INSERT INTO criteria (set_code, code, parent_code, name, max_points, office_code, sort_order) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(code, *row) for row in rows],
    )
    con.executemany(
        "INSERT INTO bands (set_code, code, name, min_pct, sort_order) VALUES (?, ?, ?, ?, ?)",
        [(code, *band) for band in bands],
    )


def insert_scores(con, year: int, by_unit: dict[str, dict[str, float]], is_demo: bool = False) -> None:
    rows = [
        (year, unit, code, points, is_demo) for unit, points_by in by_unit.items() for code, points in points_by.items()
    ]
    con.executemany(
        "INSERT INTO scores (year, unit_code, criterion_code, points, is_demo, batch_id) VALUES (?, ?, ?, ?, ?, 1)",
        rows,
    )


def empty_store(path: Path):
    """A connection to a new store with the schema, offices A, B, C, X and a province P."""
    con = connect(path)
    create_schema(con)
    con.executemany(
        "INSERT INTO offices (code, name) VALUES (?, ?)",
        [("A", "Phòng A"), ("B", "Phòng B"), ("C", "Phòng C"), ("X", "UBND xã")],
    )
    insert_units(con, [("P", "Tỉnh P", "province", "tỉnh", None)])
    return con


def tiny_store(path: Path):
    con = empty_store(path)
    insert_units(con, [(f"D{i}", f"Huyện Số {i}", "district", "huyện", "P") for i in range(1, 7)])
    insert_units(con, [(f"C{i}", f"Xã Số {i}", "commune", "xã", "D1") for i in range(1, 4)])
    con.execute("INSERT INTO unit_aliases (alias, unit_code, note) VALUES ('Huyen Bon', 'D4', NULL)")
    insert_set(con, "S1", "district", 2019, S1)
    insert_set(con, "S2", "district", 2021, S2)
    insert_set(con, "SX", "commune", 2019, SX)
    for year, by_unit in SCORES.items():
        insert_scores(con, year, by_unit)
    con.execute(
        "INSERT INTO measures (code, name, kind, unit) VALUES ('rank', 'Thứ hạng', 'target', 'rank'), "
        "('has_e_one_stop', 'Có một cửa điện tử', 'indicator', 'bool')"
    )
    con.execute("INSERT INTO targets VALUES (2021, 'D4', 'rank', '<=', 2, false, NULL, 1)")
    con.execute(
        "INSERT INTO indicators VALUES (2020, 'C1', 'has_e_one_stop', 1, false, NULL, 1), "
        "(2020, 'C2', 'has_e_one_stop', 0, false, NULL, 1)"
    )
    return con
