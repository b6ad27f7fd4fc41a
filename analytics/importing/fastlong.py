"""Fast path for clean long CSV files (year, unit, criterion, points): whole columns at once.

A plain UTF-8 CSV whose first line is the header of a long table is checked column by column
with pandas: numbers parsed once, units and criteria mapped through dicts built from their
distinct texts, ranges, duplicates and maxima checked over whole columns. When every cell
passes, the result is the same Parsed (groups, scopes) and rows the cell-by-cell validator
would give. When any cell fails, or the file has anything the fast path does not handle
(titles, blank lines, field totals next to their criteria, other columns…), it returns None and
the cell-by-cell validator reads the file, so a bad file gets exactly the problems it always got.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np
import pandas as pd

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
FAST_ROLES = {"year", "criterion", "points"}
UNIT_ROLES = ("unit_code", "unit")
NUMBER = r"^-?\d+(\.\d+)?$"
YEAR = r"^\d{4}$"
BINARY_MAGIC = (XLSX_MAGIC, XLS_MAGIC, b"%PDF")


@dataclass
class FastResult:
    raw: RawFile  # its one sheet holds only the sample lines
    parsed: Parsed
    rows: list[tuple]


def analyze_fast(con, file_name: str, data: bytes, options: ImportOptions, problems) -> FastResult | None:
    """Parsed file and rows of a clean long CSV, or None to let the cell-by-cell path read it."""
    catalog = Catalog(con)
    raw, layout, text = _recognise(file_name, data, catalog.criterion_names)
    if layout is None or _name_year_problem(file_name, options):
        return None
    frame = _read_frame(text, layout)
    if frame is None:
        return None
    scope = _scope(catalog, frame["unit"], options)
    if scope is None:
        return None
    coded = _coded(catalog, scope, frame, options)
    if coded is None:
        return None
    parsed = _parsed(scope, coded, layout.sheet.name or raw.name, file_name)
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
    if encoding not in ("utf-8", "utf-8-sig") or detect_separator(text) != ",":
        return None, None, None
    sample = read_text_sheet("\n".join(text.splitlines()[:SAMPLE_LINES]), ",")
    raw = RawFile(file_name, hashlib.sha256(data).hexdigest(), len(data), "text", encoding, ",", [sample])
    layout = find_layout(sample, criterion_names)
    return (raw, layout, text) if _is_simple_long(layout) else (raw, None, None)


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
    return len(units) == 1 and set(roles) - set(units) == FAST_ROLES and len(roles) == 4 and first_data == 2


def _read_frame(text: str, layout: Layout) -> pd.DataFrame | None:
    """The four columns as text, renamed year/unit/criterion/points; None when any cell is odd."""
    names = {c.index: ("unit" if c.role in UNIT_ROLES else c.role) for c in layout.columns}
    try:
        frame = pd.read_csv(io.StringIO(text), sep=",", header=0, dtype=str, na_filter=False,
                            skip_blank_lines=False, engine="c")
    except (ValueError, pd.errors.ParserError):
        return None
    if frame.shape[1] != 4 or not _one_line_per_row(text, len(frame)):
        return None
    frame.columns = [names[i] for i in range(4)]
    if frame.isna().to_numpy().any() or (frame == "").to_numpy().any():
        return None
    return frame


def _one_line_per_row(text: str, rows: int) -> bool:
    """No quoted line breaks and no blank lines, so data row i is line i + 2 of the file."""
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    return rows > 0 and lines == rows + 1 and "\r" not in text.replace("\r\n", "")


# --- checking whole columns -----------------------------------------------------------------

def _scope(catalog: Catalog, units: pd.Series, options: ImportOptions) -> Scope | None:
    """The one scope naming the most unit cells (as resolve_scope does), or None."""
    counts = units.value_counts()
    texts = [t for t in counts.index if clean(t) == t and not is_summary_row(t)]
    if len(texts) != len(counts):
        return None
    candidates = catalog.candidate_scopes(options.level, options.parent)
    named = {s: sum(int(counts[t]) for t in texts if catalog.scope(*s).match(t)[0]) for s in candidates}
    best = max(named.values(), default=0)
    winners = [s for s, n in named.items() if n == best]
    return catalog.scope(*winners[0]) if len(winners) == 1 and best == len(units) else None


def _coded(catalog: Catalog, scope: Scope, frame: pd.DataFrame, options: ImportOptions) -> pd.DataFrame | None:
    """year, unit_code, criterion_code, points and line of every row, or None when a cell fails."""
    if not (frame["year"].str.match(YEAR).all() and frame["points"].str.match(NUMBER).all()):
        return None
    years = frame["year"].astype(int)
    sets = _criteria_sets(catalog, scope, years.unique().tolist(), options)
    if sets is None:
        return None
    units = frame["unit"].map({t: scope.match(t)[0] for t in frame["unit"].unique()})
    codes = _criterion_codes(frame["criterion"], years, sets)
    if codes is None:
        return None
    coded = pd.DataFrame({"year": years, "unit_code": units, "criterion_code": codes,
                          "points": frame["points"].astype(float), "line": np.arange(2, len(frame) + 2)})
    return coded if _values_fit(coded, years, sets) else None


def _criteria_sets(catalog: Catalog, scope: Scope, years: list[int],
                   options: ImportOptions) -> dict[int, CriteriaSet] | None:
    if any(year_problem(y) for y in years) or (options.year is not None and years != [options.year]):
        return None
    sets = {y: catalog.criteria(scope.level, y) for y in years}
    if any(cs is None for cs in sets.values()):
        return None
    return sets


def _criterion_codes(texts: pd.Series, years: pd.Series, sets: dict[int, CriteriaSet]) -> pd.Series | None:
    pairs = pd.DataFrame({"year": years, "text": texts}).drop_duplicates()
    lookup = {(y, t): sets[y].resolve(t) if clean(t) == t else None for y, t in pairs.itertuples(index=False)}
    if any(code is None for code in lookup.values()) or _nested(lookup, sets):
        return None
    by_year = {y: {t: c for (y2, t), c in lookup.items() if y2 == y} for y in sets}
    return _map_per_year(texts, years, by_year)


def _map_per_year(values: pd.Series, years: pd.Series, mappings: dict[int, dict]) -> pd.Series:
    """values mapped through the mapping of their row's year (a handful of years, whole columns each)."""
    mapped = pd.Series(None, index=values.index, dtype=object)
    for year, mapping in mappings.items():
        mask = (years == year).to_numpy()
        mapped[mask] = values[mask].map(mapping).to_numpy()
    return mapped


def _nested(lookup: dict, sets: dict[int, CriteriaSet]) -> bool:
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


def _values_fit(coded: pd.DataFrame, years: pd.Series, sets: dict[int, CriteriaSet]) -> bool:
    """No negative points, none above its maximum, no (year, unit, criterion) twice."""
    maxima = {y: {c: n.max_points for c, n in cs.nodes.items()} for y, cs in sets.items()}
    limit = _map_per_year(coded["criterion_code"], years, maxima).to_numpy(dtype=float)
    points = coded["points"].to_numpy()
    if (points < 0).any() or (points > limit + 1e-9).any():
        return False
    return not coded.duplicated(["year", "unit_code", "criterion_code"]).any()


# --- results --------------------------------------------------------------------------------

def _parsed(scope: Scope, coded: pd.DataFrame, sheet: str | None, file_name: str) -> Parsed:
    """Groups (first line of each year and unit) and scopes, as the cell-by-cell path records them."""
    parsed = Parsed(texts=["", ""], sheets=[sheet or file_name])
    firsts = coded.drop_duplicates(["year", "unit_code"])
    for year, unit, line in zip(firsts["year"].tolist(), firsts["unit_code"].tolist(), firsts["line"].tolist()):
        parsed.groups[(year, unit)] = Group(scope.level, scope.parent, Place(None, line, None))
        parsed.scopes.add((year, scope.level, scope.parent))
    return parsed


def _rows(coded: pd.DataFrame) -> list[tuple]:
    ordered = coded.sort_values(["year", "unit_code", "criterion_code", "points"], kind="stable")
    return list(zip(ordered["year"].tolist(), ordered["unit_code"].tolist(), ordered["criterion_code"].tolist(),
                    ordered["points"].tolist(), [None] * len(ordered)))

