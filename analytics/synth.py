"""Deterministic synthetic stores of any size, for benchmarks and scale tests.

`build_synthetic_store(path, SynthSpec(...))` writes a province/district/commune tree with
validity dates, one criteria set per level (C leaf criteria under fields "1".."8", field
maxima summing to 100, the demo bands) and a score for every unit × year × leaf criterion,
all flagged is_demo. Everything comes from one numpy generator seeded with `spec.seed`, so
the same spec gives the same content. Scores are bulk-loaded from an Arrow table in one
statement, sorted by (year, unit_code, criterion_code) so DuckDB's zone maps can skip
row groups when a query filters on a year or a unit.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from analytics.errors import CchcError
from analytics.schema import create_schema
from analytics.store import DEMO_DIR, built_in_place, bump_data_version, new_batch
from analytics.transactions import transaction

SOURCE = "Dữ liệu tổng hợp (analytics/synth.py)"
FIELDS = ("1", "2", "3", "4", "5", "6", "7", "8")
# Field maxima (DESIGN.md): the district split serves the province and district sets.
FIELD_MAXIMA = {
    "province": (10, 6, 14, 8, 10, 7, 15, 30),
    "district": (10, 6, 14, 8, 10, 7, 15, 30),
    "commune": (12, 8, 22, 8, 14, 10, 16, 10),
}
SET_CODES = {"province": "SYN-TINH", "district": "SYN-HUYEN", "commune": "SYN-XA"}
LEVEL_NAMES = {"province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã"}
FIELD_OFFICE = {"1": "NV", "2": "TP", "3": "VP", "4": "NV", "5": "NV", "6": "TCKH", "7": "VHTT", "8": "VP"}
COMMUNE_OFFICE = "XA"
BANDS = (("XS", "Xuất sắc", 90), ("TOT", "Tốt", 80), ("KHA", "Khá", 65), ("TB", "Trung bình", 50), ("YEU", "Yếu", 0))
UNITS_PER_PROVINCE = 160  # roughly 1 province : 10 districts : 150 communes
DISTRICTS_PER_PROVINCE = 10
TARGET_RANK = 5

INSERT_UNITS = "INSERT INTO units BY NAME SELECT code AS id, * FROM units_arrow"
INSERT_CRITERIA = "INSERT INTO criteria BY NAME SELECT * FROM criteria_arrow"
INSERT_SCORES = """
INSERT INTO scores (year, unit_code, criterion_code, points, self_points, is_demo, source, batch_id)
SELECT year, unit_code, criterion_code, points, NULL, true, $source, $batch FROM scores_arrow
ORDER BY year, unit_code, criterion_code
"""
INSERT_CRITERIA_SET = (
    "INSERT INTO criteria_sets (code, level, year_from, year_to, name, legal_source, is_demo) "
    "VALUES (?, ?, ?, NULL, ?, ?, true)"
)
INSERT_BAND = "INSERT INTO bands (set_code, code, name, min_pct, sort_order) VALUES (?, ?, ?, ?, ?)"
INSERT_OFFICE = "INSERT INTO offices (code, name, duties) VALUES (?, ?, ?)"
INSERT_MEASURE = "INSERT INTO measures (code, name, kind, unit) VALUES (?, ?, ?, ?)"
INSERT_TARGET = "INSERT INTO targets VALUES (?, ?, 'rank', '<=', ?, true, ?, ?)"
INSERT_INDICATORS = """
INSERT INTO indicators SELECT year, unit_code, indicator, value, true, $source, $batch FROM indicators_arrow
"""
SET_META = "INSERT OR REPLACE INTO meta VALUES (?, ?)"
LONG_SCORES_SQL = """
SELECT s.year, s.unit_code AS unit, s.criterion_code AS criterion, s.points
FROM scores s JOIN units u ON u.code = s.unit_code AND valid_in_year(u.valid_from, u.valid_to, s.year)
WHERE $level IS NULL OR u.level = $level
ORDER BY s.year, s.unit_code, s.criterion_code
"""


@dataclass(frozen=True)
class SynthSpec:
    units: int = 10_000
    years: int = 10
    criteria: int = 40
    seed: int = 7
    first_year: int = 2016
    provinces: int | None = None  # fixed counts per level (else derived from `units`)
    districts: int | None = None

    def check(self) -> None:
        if self.units < 3:
            raise CchcError("Số đơn vị phải từ 3 trở lên (một tỉnh, một huyện, một xã).")
        if (self.provinces or 1) + (self.districts or 1) > self.units or min(
            self.provinces or 1, self.districts or 1
        ) < 1:
            raise CchcError("Số tỉnh và số huyện phải từ 1 trở lên và không vượt tổng số đơn vị.")
        if self.criteria < len(FIELDS):
            raise CchcError(f"Số tiêu chí phải từ {len(FIELDS)} trở lên (ít nhất một tiêu chí mỗi lĩnh vực).")
        if self.years < 0:
            raise CchcError("Số năm không được âm.")

    @property
    def year_list(self) -> list[int]:
        return list(range(self.first_year, self.first_year + self.years))


@dataclass(frozen=True)
class SynthResult:
    path: Path
    units: int
    score_rows: int
    home_unit: str


# --- the unit tree -------------------------------------------------------------------------


def level_counts(units: int, provinces: int | None = None, districts: int | None = None) -> tuple[int, int, int]:
    """(provinces, districts, communes) adding up to exactly `units`."""
    provinces = provinces or max(1, units // UNITS_PER_PROVINCE)
    districts = districts or max(1, min(provinces * DISTRICTS_PER_PROVINCE, (units - provinces) // 16))
    return provinces, districts, units - provinces - districts


def _codes(count: int, width: int) -> list[str]:
    return [str(i + 1).zfill(width) for i in range(count)]


def _contiguous_parents(parents: list[str], count: int) -> list[str]:
    """Children in consecutive blocks, as GSO codes are (a district's communes follow each other)."""
    return [parents[i * len(parents) // count] for i in range(count)]


def unit_tree(spec: SynthSpec) -> dict[str, list]:
    """Columns of the units table. Code widths grow by level, so codes never collide.

    Because children are numbered in blocks and scores are stored sorted by unit code, the
    rows of one province or district sit together, as they would in a store loaded from GSO
    codes, and DuckDB's zone maps can skip the rest.
    """
    n_prov, n_dist, n_comm = level_counts(spec.units, spec.provinces, spec.districts)
    pw = max(2, len(str(n_prov)))
    dw = max(3, pw + 1, len(str(n_dist)))
    cw = max(5, dw + 1, len(str(n_comm)))
    provinces, districts, communes = _codes(n_prov, pw), _codes(n_dist, dw), _codes(n_comm, cw)
    columns: dict[str, list] = {k: [] for k in ("code", "name", "level", "kind", "parent_code")}
    for level, kind, label, codes, parents in (
        ("province", "tỉnh", "Tỉnh", provinces, [None] * n_prov),
        ("district", "huyện", "Huyện", districts, _contiguous_parents(provinces, n_dist)),
        ("commune", "xã", "Xã", communes, _contiguous_parents(districts, n_comm)),
    ):
        columns["code"] += codes
        columns["name"] += [f"{label} Tổng hợp {c}" for c in codes]
        columns["level"] += [level] * len(codes)
        columns["kind"] += [kind] * len(codes)
        columns["parent_code"] += parents
    return columns


# --- criteria sets -------------------------------------------------------------------------


def _split_hundredths(total: float, parts: int) -> list[float]:
    """`total` split into `parts` maxima in whole hundredths that add up exactly."""
    cents = round(total * 100)
    base, extra = divmod(cents, parts)
    return [(base + (1 if i < extra else 0)) / 100 for i in range(parts)]


def criteria_rows(level: str, leaves: int) -> list[tuple]:
    """(set_code, code, parent_code, name, max_points, office_code, sort_order) of one set."""
    set_code = SET_CODES[level]
    rows: list[tuple] = [(set_code, "TOTAL", None, "Tổng điểm chỉ số CCHC", 100.0, None, 1)]
    per_field = [leaves // len(FIELDS) + (1 if i < leaves % len(FIELDS) else 0) for i in range(len(FIELDS))]
    for field, maximum, count in zip(FIELDS, FIELD_MAXIMA[level], per_field):
        office = COMMUNE_OFFICE if level == "commune" else FIELD_OFFICE[field]
        rows.append((set_code, field, "TOTAL", f"Lĩnh vực {field}", float(maximum), office, len(rows) + 1))
        for i, leaf_max in enumerate(_split_hundredths(maximum, count), start=1):
            rows.append((set_code, f"{field}.{i}", field, f"Tiêu chí {field}.{i}", leaf_max, office, len(rows) + 1))
    return rows


def leaf_maxima(rows: list[tuple]) -> tuple[list[str], np.ndarray]:
    parents = {r[2] for r in rows}
    leaves = [r for r in rows if r[1] not in parents]
    return [r[1] for r in leaves], np.array([r[4] for r in leaves])


# --- scores --------------------------------------------------------------------------------


def score_table(spec: SynthSpec, tree: dict[str, list], criteria: dict[str, list[tuple]]) -> pa.Table:
    """Every unit × year × leaf criterion, in whole hundredths within [0, max].

    A unit's points are its own level (ability) plus a yearly drift plus noise per criterion,
    so rankings move from year to year but stay plausible.
    """
    rng = np.random.default_rng(spec.seed)
    codes = np.array(tree["code"], dtype=object)
    levels = np.array(tree["level"], dtype=object)
    ability = rng.beta(6, 2, size=len(codes))
    parts = []
    for level in FIELD_MAXIMA:
        leaf_codes, maxima = leaf_maxima(criteria[level])
        unit_codes = codes[levels == level]
        base = ability[levels == level]
        for year in spec.year_list:
            drift = rng.normal(0, 0.04, size=len(unit_codes))
            noise = rng.normal(0, 0.12, size=(len(unit_codes), len(leaf_codes)))
            share = np.clip(base[:, None] + drift[:, None] + noise, 0, 1)
            cents = np.floor(share * np.round(maxima * 100)[None, :])
            parts.append(
                pa.table(
                    {
                        "year": pa.array(np.full(cents.size, year, dtype=np.int32)),
                        "unit_code": pa.array(np.repeat(unit_codes, len(leaf_codes)), type=pa.string()),
                        "criterion_code": pa.array(
                            np.tile(np.array(leaf_codes, dtype=object), len(unit_codes)), type=pa.string()
                        ),
                        "points": pa.array((cents / 100).ravel()),
                    }
                )
            )
    return (
        pa.concat_tables(parts)
        if parts
        else pa.table(
            {
                "year": pa.array([], pa.int32()),
                "unit_code": pa.array([], pa.string()),
                "criterion_code": pa.array([], pa.string()),
                "points": pa.array([], pa.float64()),
            }
        )
    )


def indicator_table(spec: SynthSpec, tree: dict[str, list]) -> pa.Table:
    """has_e_one_stop for every commune and on_time_pct for every district, in the last year."""
    rng = np.random.default_rng(spec.seed + 1)
    rows: list[tuple[int, str, str, float]] = []
    if spec.years:
        year = spec.year_list[-1]
        for code, level in zip(tree["code"], tree["level"]):
            if level == "commune":
                rows.append((year, code, "has_e_one_stop", float(rng.random() < 0.7)))
            elif level == "district":
                rows.append((year, code, "on_time_pct", float(np.round(rng.uniform(80, 100), 1))))
    years, units, names, values = (list(column) for column in zip(*rows)) if rows else ([], [], [], [])
    return pa.table(
        {
            "year": pa.array(years, pa.int32()),
            "unit_code": pa.array(units, pa.string()),
            "indicator": pa.array(names, pa.string()),
            "value": pa.array(values, pa.float64()),
        }
    )


# --- writing the store ---------------------------------------------------------------------


def home_unit(tree: dict[str, list]) -> str:
    """The first district: what CCHC_HOME_UNIT should name to view a synthetic store."""
    return tree["code"][tree["level"].index("district")]


def _load_reference_tables(con: duckdb.DuckDBPyConnection, spec: SynthSpec, leaves: int) -> dict[str, list]:
    for path, sql in ((DEMO_DIR / "offices.csv", INSERT_OFFICE), (DEMO_DIR / "measures.csv", INSERT_MEASURE)):
        with path.open(encoding="utf-8", newline="") as handle:
            con.executemany(sql, [list(row.values()) for row in csv.DictReader(handle)])
    criteria = {level: criteria_rows(level, leaves) for level in FIELD_MAXIMA}
    for level, set_code in SET_CODES.items():
        con.execute(
            INSERT_CRITERIA_SET,
            [set_code, level, spec.first_year, f"Bộ tiêu chí {LEVEL_NAMES[level]} (tổng hợp)", SOURCE],
        )
        con.executemany(INSERT_BAND, [(set_code, c, n, p, i) for i, (c, n, p) in enumerate(BANDS, start=1)])
    criteria_arrow = pa.Table.from_pylist(
        [
            dict(zip(("set_code", "code", "parent_code", "name", "max_points", "office_code", "sort_order"), row))
            for rows in criteria.values()
            for row in rows
        ]
    )
    con.register("criteria_arrow", criteria_arrow)
    con.execute(INSERT_CRITERIA)
    return criteria


def _load_units(con: duckdb.DuckDBPyConnection, spec: SynthSpec, tree: dict[str, list]) -> None:
    count = len(tree["code"])
    units_arrow = pa.table(
        {
            **{k: pa.array(v, pa.string()) for k, v in tree.items()},
            "valid_from": pa.array([f"{spec.first_year}-01-01"] * count, pa.string()).cast(pa.date32()),
            "valid_to": pa.array([None] * count, pa.date32()),
        }
    )
    con.register("units_arrow", units_arrow)
    con.execute(INSERT_UNITS)


def fill_store(con: duckdb.DuckDBPyConnection, spec: SynthSpec) -> SynthResult:
    """Write the whole synthetic content into an empty store, in one transaction."""
    tree = unit_tree(spec)
    with transaction(con):
        batch = new_batch(
            con,
            source_name=f"synth seed={spec.seed}",
            sha256=None,
            row_count=0,
            actor="synth",
            kind="demo",
            mode="synth",
            note=SOURCE,
            content="demo",
        )
        _load_units(con, spec, tree)
        criteria = _load_reference_tables(con, spec, spec.criteria)
        scores = score_table(spec, tree, criteria)
        con.register("scores_arrow", scores)
        con.execute(INSERT_SCORES, {"source": SOURCE, "batch": batch})
        con.register("indicators_arrow", indicator_table(spec, tree))
        con.execute(INSERT_INDICATORS, {"source": SOURCE, "batch": batch})
        home = home_unit(tree)
        if spec.years:
            con.execute(INSERT_TARGET, [spec.year_list[-1] + 1, home, TARGET_RANK, SOURCE, batch])
        for table in ("units", "unit_aliases", "offices", "criteria_sets", "criteria", "bands", "measures"):
            con.execute(f"UPDATE {table} SET batch_id = ? WHERE batch_id IS NULL", [batch])
        con.execute("UPDATE batches SET row_count = ? WHERE id = ?", [scores.num_rows, batch])
        con.execute(SET_META, ["synth_spec", repr(spec)])
        con.execute(SET_META, ["home_unit", home])
        bump_data_version(con)
    for name in ("units_arrow", "criteria_arrow", "scores_arrow", "indicators_arrow"):
        con.unregister(name)
    return SynthResult(Path(), len(tree["code"]), scores.num_rows, home)


def build_synthetic_store(
    path: Path, spec: SynthSpec, csv_path: Path | None = None, csv_level: str | None = None
) -> SynthResult:
    """Build the store in a temporary file beside `path`, then move it into place."""
    spec.check()
    with built_in_place(path, prefix=".synth-") as con:
        create_schema(con)
        result = fill_store(con, spec)
        if csv_path is not None:
            write_long_csv(con, csv_path, csv_level)
    return SynthResult(path, result.units, result.score_rows, result.home_unit)


def write_long_csv(con: duckdb.DuckDBPyConnection, csv_path: Path, level: str | None = None) -> int:
    """The scores (of one level, or all) as a long CSV (year, unit, criterion, points), the
    import's long format, with unit codes in the unit column. Returns the number of rows."""
    Path(csv_path).parent.mkdir(parents=True, exist_ok=True)
    reader = con.sql(LONG_SCORES_SQL, params={"level": level}).to_arrow_reader(1_000_000)
    rows = 0
    options = pacsv.WriteOptions(quoting_style="none")
    with pacsv.CSVWriter(str(csv_path), reader.schema, write_options=options) as writer:
        for batch in reader:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows
