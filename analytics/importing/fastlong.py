"""Fast path for clean long CSV files (year, unit, criterion, points): whole columns at once.

A plain UTF-8 CSV whose first line is the header of a long table is checked column by column
with Arrow and numpy: numbers parsed once, units and criteria mapped through dicts built from
their distinct texts, ranges, duplicates and maxima checked over whole columns, and the rows
kept as one Arrow table (ScoreRows) all the way to the commit. When every cell
passes, the result is the same Parsed (groups, scopes) and rows the cell-by-cell validator
would give. When any cell fails, or the file has anything the fast path does not handle
(titles, blank lines, field totals next to their criteria, other columns…), it returns None and
the cell-by-cell validator reads the file, so a bad file gets exactly the problems it always got.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePath

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from analytics.importing.catalog import Catalog, CriteriaSet, Scope
from analytics.importing.formats import Layout, find_layout, is_summary_row
from analytics.importing.problems import FileProblem
from analytics.importing.read import (
    XLS_MAGIC,
    XLSX_MAGIC,
    RawFile,
    clean,
    decode_text,
    detect_separator,
    read_text_sheet,
)
from analytics.importing.rows import ScoreRows
from analytics.importing.validate import (
    Group,
    ImportOptions,
    Parsed,
    Place,
    check_existing,
    check_missing_units,
    year_in_text,
    year_problem,
)

SAMPLE_LINES = 3  # header and two data rows: enough to recognise the layout with the usual code
SEPARATOR_LINES = 60  # detect_separator looks at the first 60 non-blank lines
HEAD_CHARS = 8192
FAST_ROLES = {"year", "criterion", "points"}
OPTIONAL_ROLES = {"self_points"}  # "Điểm tự chấm": checked like the points, carried beside them
UNIT_ROLES = ("unit_code", "unit")
NUMBER = r"^-?\d+(\.\d+)?$"
YEAR = r"^\d{4}$"
BINARY_MAGIC = (XLSX_MAGIC, XLS_MAGIC, b"%PDF")


@dataclass
class FastResult:
    raw: RawFile  # its one sheet holds only the sample lines
    parsed: Parsed
    rows: ScoreRows


def analyze_fast(con, file_name: str, data: bytes, options: ImportOptions, problems) -> FastResult | None:
    """Parsed file and rows of a clean long CSV, or None to let the cell-by-cell path read it."""
    catalog = Catalog(con)
    raw, layout, text = _recognise(file_name, data, catalog.criterion_names)
    if layout is None or _name_year_problem(file_name, options):
        return None
    table = _read_frame(text, layout)
    if table is None:
        return None
    units = Texts.of(table["unit"])
    found = _scope(catalog, units, options)
    if found is None:
        return None
    scope, unit_codes = found
    coded = _coded(catalog, scope, table, units, unit_codes, options)
    if coded is None:
        return None
    parsed = _parsed(scope, coded, layout.sheet.name or raw.name, file_name)
    if not all(scope.in_force(unit, year) for year, unit in parsed.groups):
        return None  # a unit outside its period (the 2025 reform): the row-by-row path says which row
    check_missing_units(catalog, parsed, problems)
    check_existing(con, catalog, parsed, options, problems)
    return FastResult(raw, parsed, _rows(coded))


# --- recognising ----------------------------------------------------------------------------


def _recognise(file_name: str, data: bytes, criterion_names: set[str]):
    """(raw sample, layout, text) when the file is a plain comma CSV with a long header on line 1."""
    if not data.strip() or data.startswith(BINARY_MAGIC):
        return None, None, None  # the usual path reports these
    try:
        text, encoding = decode_text(data)
    except FileProblem:
        return None, None, None
    head = _head(text, SEPARATOR_LINES)
    if encoding not in ("utf-8", "utf-8-sig") or detect_separator(head) != ",":
        return None, None, None
    sample = read_text_sheet("\n".join(head.splitlines()[:SAMPLE_LINES]), ",")
    raw = RawFile(file_name, hashlib.sha256(data).hexdigest(), len(data), "text", encoding, ",", [sample])
    layout = find_layout(sample, criterion_names)
    return (raw, layout, text) if _is_simple_long(layout) else (raw, None, None)


def _head(text: str, lines: int) -> str:
    """The start of `text` up to a line end, holding its first `lines` non-blank lines (or all of it):
    what detect_separator and the sample look at, without splitting a million lines."""
    size = HEAD_CHARS
    while size < len(text):
        cut = text.rfind("\n", 0, size) + 1
        if sum(1 for line in text[:cut].splitlines() if line.strip()) >= lines:
            return text[:cut]
        size *= 4
    return text


def _name_year_problem(file_name: str, options: ImportOptions) -> bool:
    """The usual path warns when a year in the file name is out of range: leave such files to it."""
    year = year_in_text(PurePath(file_name).stem) if options.year is None else None
    return year is not None and bool(year_problem(year))


def _is_simple_long(layout: Layout | None) -> bool:
    if layout is None or layout.kind != "long" or layout.header_line != 1 or layout.title:
        return False
    roles = [c.role for c in layout.columns]
    units = [r for r in roles if r in UNIT_ROLES]
    first_data = layout.rows[0].line if layout.rows else None
    others = set(roles) - set(units)
    return (
        len(units) == 1
        and FAST_ROLES <= others <= FAST_ROLES | OPTIONAL_ROLES
        and len(roles) == len(others) + 1
        and first_data == 2
    )


def _read_frame(text: str, layout: Layout) -> pa.Table | None:
    """The columns as text, named year/unit/criterion/points (and self_points); None when any cell is odd."""
    names = [("unit" if c.role in UNIT_ROLES else c.role) for c in sorted(layout.columns, key=lambda c: c.index)]
    if len(names) not in (4, 5):
        return None
    read = pacsv.ReadOptions(column_names=names, skip_rows=1)
    parse = pacsv.ParseOptions(delimiter=",", newlines_in_values=False, ignore_empty_lines=False)
    convert = pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=False)
    try:
        table = pacsv.read_csv(
            pa.BufferReader(text.encode("utf-8")), read_options=read, parse_options=parse, convert_options=convert
        )
    except pa.ArrowInvalid:
        return None
    if not _one_line_per_row(text, table.num_rows) or any(pc.any(pc.equal(c, "")).as_py() for c in table.columns):
        return None
    return table


def _one_line_per_row(text: str, rows: int) -> bool:
    """No quoted line breaks and no blank lines, so data row i is line i + 2 of the file."""
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    return rows > 0 and lines == rows + 1 and "\r" not in text.replace("\r\n", "")


# --- checking whole columns -----------------------------------------------------------------


@dataclass
class Texts:
    """A text column as its distinct values and, per row, the index of its value."""

    values: list[str]
    index: np.ndarray

    @classmethod
    def of(cls, column: pa.ChunkedArray) -> Texts:
        encoded = pc.dictionary_encode(column).combine_chunks()
        return cls(encoded.dictionary.to_pylist(), encoded.indices.to_numpy(zero_copy_only=False))

    def counts(self) -> np.ndarray:
        return np.bincount(self.index, minlength=len(self.values))


@dataclass
class Coded:
    """Every row as integers: year, rank of its unit code, rank of its criterion code; and its points."""

    years: np.ndarray
    year_index: np.ndarray  # rank of the year among the file's years
    units: np.ndarray
    criteria: np.ndarray
    points: np.ndarray
    unit_codes: list[str]  # sorted: units[i] indexes this list
    criterion_codes: list[str]  # sorted: criteria[i] indexes this list
    self_points: np.ndarray | None = None  # beside the points, when the file has the column

    @property
    def pair_keys(self) -> np.ndarray:
        """One integer per (year, unit), in the order of year then unit code."""
        return self.year_index.astype(np.int64) * len(self.unit_codes) + self.units

    @cached_property
    def keys(self) -> np.ndarray:
        """One integer per (year, unit, criterion), in the order of year, unit code, criterion code."""
        return self.pair_keys * len(self.criterion_codes) + self.criteria

    @cached_property
    def order(self) -> np.ndarray:
        """The rows sorted by year, unit code and criterion code."""
        return np.argsort(self.keys, kind="stable")


def _scope(catalog: Catalog, units: Texts, options: ImportOptions) -> tuple[Scope, list[str]] | None:
    """The one scope naming the most unit cells (as resolve_scope does) and the code each text names there."""
    counts = units.counts().tolist()
    if any(clean(t) != t or is_summary_row(t) for t in units.values):
        return None
    texts = Counter(dict(zip(units.values, counts)))
    named = catalog.scope_counts(texts, options.level, options.parent, options.year)
    best = max(named.values(), default=0)
    winners = [s for s, n in named.items() if n == best]
    if len(winners) != 1 or best != len(units.index):
        return None
    scope = catalog.scope(*winners[0])
    codes = [code for t in units.values if (code := scope.match(t)[0]) is not None]
    return (scope, codes) if len(codes) == len(units.values) else None


def _coded(
    catalog: Catalog, scope: Scope, table: pa.Table, units: Texts, unit_codes: list[str], options: ImportOptions
) -> Coded | None:
    """Every row coded and checked, or None when a cell fails."""
    numbers = [n for n in ("points", "self_points") if n in table.column_names]
    if not (
        pc.all(pc.match_substring_regex(table["year"], YEAR)).as_py()
        and all(pc.all(pc.match_substring_regex(table[n], NUMBER)).as_py() for n in numbers)
    ):
        return None
    years = pc.cast(table["year"], pa.int32()).to_numpy()
    year_list = sorted(np.unique(years).tolist())
    sets = _criteria_sets(catalog, scope, year_list, options)
    if sets is None:
        return None
    year_index = np.searchsorted(np.array(year_list), years)
    criteria = _criterion_ranks(Texts.of(table["criterion"]), year_index, year_list, sets)
    if criteria is None:
        return None
    criterion_codes, ranks, maxima = criteria
    sorted_units, unit_ranks = _ranked(unit_codes)
    coded = Coded(
        years,
        year_index,
        unit_ranks[units.index],
        ranks,
        pc.cast(table["points"], pa.float64()).to_numpy(),
        sorted_units,
        criterion_codes,
        self_points=pc.cast(table["self_points"], pa.float64()).to_numpy()
        if "self_points" in table.column_names
        else None,
    )
    return coded if _values_fit(coded, maxima) else None


def _ranked(codes: list[str]) -> tuple[list[str], np.ndarray]:
    """(the distinct codes sorted, the position of each given code in that list)."""
    ordered = sorted(set(codes))
    position = {c: i for i, c in enumerate(ordered)}
    return ordered, np.array([position[c] for c in codes], dtype=np.int64)


def _criteria_sets(
    catalog: Catalog, scope: Scope, years: list[int], options: ImportOptions
) -> dict[int, CriteriaSet] | None:
    if any(year_problem(y) for y in years) or (options.year is not None and years != [options.year]):
        return None
    sets: dict[int, CriteriaSet] = {}
    for year in years:
        cs = catalog.criteria(scope.level, year)
        if cs is None:
            return None
        sets[year] = cs
    return sets


def _criterion_ranks(
    texts: Texts, year_index: np.ndarray, year_list: list[int], sets: dict[int, CriteriaSet]
) -> tuple[list[str], np.ndarray, np.ndarray] | None:
    """(criterion codes sorted, each row's position in them, each row's maximum), or None.

    Each (year, text) that occurs is resolved once with its year's criteria set.
    """
    width = len(texts.values)
    pair = year_index.astype(np.int64) * width + texts.index
    present = np.flatnonzero(np.bincount(pair, minlength=len(year_list) * width)).tolist()
    pairs = [(year_list[k // width], texts.values[k % width]) for k in present]
    lookup = {
        (year, text): code
        for year, text in pairs
        if clean(text) == text and (code := sets[year].resolve(text)) is not None
    }
    if len(lookup) != len(pairs) or _nested(lookup, sets):
        return None
    codes, ranks = _ranked(list(lookup.values()))
    rank_of_pair, max_of_pair = np.zeros(len(year_list) * width, np.int64), np.zeros(len(year_list) * width)
    rank_of_pair[present] = ranks
    max_of_pair[present] = [sets[y].nodes[c].max_points for (y, _), c in lookup.items()]
    return codes, rank_of_pair[pair], max_of_pair[pair]


def _nested(lookup: dict[tuple[int, str], str], sets: dict[int, CriteriaSet]) -> bool:
    """True when a file gives a criterion and one of its ancestors: sums must then be checked."""
    for year, cs in sets.items():
        used = {code for (y, _), code in lookup.items() if y == year}
        if any(_ancestor_used(cs, code, used) for code in used):
            return True
    return False


def _ancestor_used(cs: CriteriaSet, code: str, used: set[str]) -> bool:
    parent = cs.nodes[code].parent
    while parent is not None:
        if parent in used:
            return True
        parent = cs.nodes[parent].parent
    return False


def _values_fit(coded: Coded, maxima: np.ndarray) -> bool:
    """No negative points (or self points), none above its maximum, no (year, unit, criterion) twice."""
    for values in (coded.points, coded.self_points):
        if values is not None and ((values < 0).any() or (values > maxima + 1e-9).any()):
            return False
    return not (np.diff(coded.keys[coded.order]) == 0).any()


# --- results --------------------------------------------------------------------------------


def _parsed(scope: Scope, coded: Coded, sheet: str | None, file_name: str) -> Parsed:
    """Groups (first line of each year and unit) and scopes, as the cell-by-cell path records them."""
    parsed = Parsed(texts=["", ""], sheets=[sheet or file_name])
    pairs = coded.pair_keys[coded.order]
    starts = np.flatnonzero(np.r_[True, pairs[1:] != pairs[:-1]])
    firsts = np.sort(np.minimum.reduceat(coded.order, starts))  # in the order the file first gives them
    for i in firsts.tolist():
        year, unit = int(coded.years[i]), coded.unit_codes[coded.units[i]]
        parsed.groups[(year, unit)] = Group(scope.level, scope.parent, Place(None, i + 2, None))
        parsed.scopes.add((year, scope.level, scope.parent))
    return parsed


def _rows(coded: Coded) -> ScoreRows:
    """The rows sorted by year, unit code and criterion code (unique), as the cell-by-cell path sorts them."""
    order = coded.order
    unit_codes, criterion_codes = pa.array(coded.unit_codes, pa.string()), pa.array(coded.criterion_codes, pa.string())
    return ScoreRows(
        pa.table(
            {
                "year": pa.array(coded.years[order], pa.int32()),
                "unit_code": unit_codes.take(pa.array(coded.units[order])),
                "criterion_code": criterion_codes.take(pa.array(coded.criteria[order])),
                "points": pa.array(coded.points[order], pa.float64()),
                "self_points": pa.nulls(len(order), pa.float64())
                if coded.self_points is None
                else pa.array(coded.self_points[order], pa.float64()),
            }
        )
    )
