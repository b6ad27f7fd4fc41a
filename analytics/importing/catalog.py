"""What a file is matched against: the units of one level and parent, and one criteria set."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import duckdb

from analytics.errors import NotFoundError
from analytics.formatting import fmt_number
from analytics.importing.folding import quick_fold
from analytics.importing.formats import classify, header_key
from analytics.names import UNIT_PREFIXES, nfc, suggest_unit, unit_lookup
from analytics.rankings import criteria_set_for
from analytics.scope import Unit

LEVEL_NAMES = {"district": "cấp huyện", "commune": "cấp xã"}
CRITERIA_SQL = """
    SELECT code, parent_code, name, max_points FROM criteria WHERE set_code = ? ORDER BY sort_order
"""
SET_SQL = "SELECT level, is_demo FROM criteria_sets WHERE code = ?"
ALL_CRITERION_NAMES_SQL = "SELECT DISTINCT name FROM criteria"
# A file's year, when known before its rows are read (the form, --year, the title or the file name), limits
# the scopes and spellings to the unit versions in force that year: in a 2025 file 01304 is Xã Quảng Lâm of
# the province, in a 2020 file Xã Thạch Lâm of Huyện Bảo Lâm (schema v5, valid_in_year).
SCOPES_SQL = """
    SELECT level, parent_code, count(*) AS units FROM units
    WHERE level IN ('district', 'commune') AND ($level IS NULL OR level = $level)
      AND ($parent IS NULL OR parent_code = $parent)
      AND ($year IS NULL OR valid_in_year(valid_from, valid_to, $year))
    GROUP BY level, parent_code ORDER BY level DESC, parent_code
"""
# Every version under the parent, the latest last (so it names the code in the dict built from it).
UNITS_SQL = """
    SELECT code, name, valid_from, valid_to, id FROM units WHERE level = ? AND parent_code = ?
    ORDER BY code, valid_from NULLS FIRST
"""
UNIT_NAME_SQL = "SELECT name FROM units WHERE code = ? ORDER BY valid_from DESC NULLS LAST LIMIT 1"
UNIT_PARENTS_SQL = """
    SELECT DISTINCT code, parent_code FROM units
    WHERE level = $level AND ($year IS NULL OR valid_in_year(valid_from, valid_to, $year))
"""
SUGGESTED = 100  # unknown unit names given a close spelling, per scope and file
TOTAL_WORDS = {"total", "tong", "tong diem", "tong diem chi so", "chi so", "chi so cchc"}


@dataclass
class Node:
    code: str
    parent: str | None
    name: str
    max_points: float


@dataclass
class CriteriaSet:
    code: str
    level: str
    is_demo: bool
    nodes: dict[str, Node]
    children: dict[str, list[str]] = field(default_factory=dict)

    @property
    def root(self) -> str:
        return next(c for c, n in self.nodes.items() if n.parent is None)

    def label(self, code: str) -> str:
        if code == self.root:
            return "tổng điểm"
        return ("lĩnh vực " if self.nodes[code].parent == self.root else "tiêu chí ") + code

    def resolve(self, text: str) -> str | None:
        """Code of a criterion written as its code, 'Lĩnh vực 3', '3. Cải cách…' or its name."""
        text = text.strip()
        if text in self.nodes:
            return text
        key = header_key(text)
        if key in TOTAL_WORDS:
            return self.root
        role, code = classify(text, set())
        if role == "node" and code in self.nodes:
            return code
        return next((c for c, n in self.nodes.items() if header_key(n.name) == key), None)

    def suggest(self, text: str) -> str | None:
        spellings = {header_key(n.name): c for c, n in self.nodes.items()} | {c: c for c in self.nodes}
        close = difflib.get_close_matches(header_key(text), list(spellings), n=1, cutoff=0.6)
        if close:
            code = spellings[close[0]]
            return f"Có phải {self.label(code)} '{self.nodes[code].name}'?"
        fields = [c for c, n in self.nodes.items() if n.parent == self.root]
        return f"Bộ tiêu chí {self.code} có các lĩnh vực {', '.join(fields)} và các tiêu chí như 3.1, 3.2."

    def max_text(self, code: str) -> str:
        return fmt_number(self.nodes[code].max_points)


def load_criteria_set(con: duckdb.DuckDBPyConnection, set_code: str) -> CriteriaSet:
    row = con.execute(SET_SQL, [set_code]).fetchone()
    if row is None:
        raise NotFoundError(f"Không có bộ tiêu chí {set_code} trong kho.")
    level, is_demo = row
    nodes = {c: Node(c, p, n, float(m)) for c, p, n, m in con.execute(CRITERIA_SQL, [set_code]).fetchall()}
    children: dict[str, list[str]] = {}
    for node in nodes.values():
        if node.parent is not None:
            children.setdefault(node.parent, []).append(node.code)
    return CriteriaSet(set_code, level, bool(is_demo), nodes, children)


class Catalog:
    """Cached look-ups for one analysis: criteria sets per (level, year), units per scope."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self._sets: dict[tuple[str, int], CriteriaSet | None] = {}
        self._scopes: dict[tuple[str, str], Scope] = {}
        self._levels: dict[tuple[str, int | None], LevelIndex] = {}
        self.criterion_names = {header_key(r[0]) for r in con.execute(ALL_CRITERION_NAMES_SQL).fetchall()}

    def criteria(self, level: str, year: int) -> CriteriaSet | None:
        if (level, year) not in self._sets:
            code = criteria_set_for(self.con, level, year)
            self._sets[(level, year)] = load_criteria_set(self.con, code) if code else None
        return self._sets[(level, year)]

    def required_criteria(self, level: str, year: int) -> CriteriaSet:
        """The criteria set in force, for callers that cannot go on without one."""
        cs = self.criteria(level, year)
        if cs is None:
            raise NotFoundError(f"Chưa có bộ tiêu chí {LEVEL_NAMES.get(level, level)} cho năm {year}.")
        return cs

    def scope(self, level: str, parent: str) -> Scope:
        if (level, parent) not in self._scopes:
            self._scopes[(level, parent)] = Scope.load(self.con, level, parent)
        return self._scopes[(level, parent)]

    def candidate_scopes(self, level: str | None, parent: str | None, year: int | None = None) -> list[tuple[str, str]]:
        params = {"level": level, "parent": parent, "year": year}
        return [(lv, p) for lv, p, _ in self.con.execute(SCOPES_SQL, params).fetchall()]

    def infer_scope(
        self, texts: list[str], level: str | None, parent: str | None, year: int | None = None
    ) -> tuple[list[tuple[str, str]], int]:
        """The scopes (level, parent) naming the most of `texts` (among the units in force in the year, when
        known), and how many they name."""
        counts = self.scope_counts(Counter(texts), level, parent, year)
        best = max(counts.values(), default=0)
        return [s for s, n in counts.items() if n == best], best

    def scope_counts(
        self, texts: Counter, level: str | None, parent: str | None, year: int | None = None
    ) -> dict[tuple[str, str], int]:
        """How many of `texts` (text -> occurrences) each candidate scope names, as Scope.match decides.

        Each distinct text is looked up once in an index of its whole level, so the time grows with
        the texts, not with texts × scopes (a national file has hundreds of candidate districts)."""
        counts = dict.fromkeys(self.candidate_scopes(level, parent, year), 0)
        indexes = [(lv, self.level_index(lv, year)) for lv in sorted({lv for lv, _ in counts})]
        for text, occurrences in texts.items():
            for lv, index in indexes:
                for found in index.parents_naming(text):
                    if (lv, found) in counts:
                        counts[(lv, found)] += occurrences
        return counts

    def level_index(self, level: str, year: int | None = None) -> LevelIndex:
        if (level, year) not in self._levels:
            self._levels[(level, year)] = LevelIndex.load(self.con, level, year)
        return self._levels[(level, year)]


@lru_cache(maxsize=1 << 18)
def spelling_keys(text: str) -> tuple[str, str]:
    """(fold(nfc(text)), name_key(nfc(text))): the two keys lookup_codes tries, the text folded once."""
    folded = quick_fold(nfc(text))
    for prefix in UNIT_PREFIXES:  # as name_key does, on the folded text
        if folded.startswith(prefix + " ") or (prefix.endswith(".") and folded.startswith(prefix)):
            return folded, folded[len(prefix) :].strip()
    return folded, folded


@dataclass
class LevelIndex:
    """Every unit of one level: spellings to codes, and each code's parents (a code can be reused)."""

    lookup: dict[str, set[str]]
    parents: dict[str, set[str]]

    @classmethod
    def load(cls, con, level: str, year: int | None = None) -> LevelIndex:
        parents: dict[str, set[str]] = {}
        for code, parent in con.execute(UNIT_PARENTS_SQL, {"level": level, "year": year}).fetchall():
            parents.setdefault(code, set()).add(parent)
        return cls(unit_lookup(con, level, None, year), parents)

    def parents_naming(self, text: str) -> set[str]:
        """The parents under which `text` names exactly one unit (Scope.match, for every scope at once)."""
        if text.isdecimal() and len(text) <= 5:  # what r"\d{1,5}" matches in Scope.match
            codes = {text.zfill(w) for w in (len(text), 2, 3, 5)} & self.parents.keys()
            if codes:
                return {p for c in codes for p in self.parents[c]}
        folded, named = spelling_keys(text)
        by_fold, by_name = self.lookup.get(folded, set()), self.lookup.get(named, set())
        if not by_fold and not by_name:
            return set()
        found = set()
        for parent in {p for c in by_fold | by_name for p in self.parents.get(c, ())}:
            codes = {c for c in by_fold if parent in self.parents[c]} or {
                c for c in by_name if parent in self.parents[c]
            }
            if len(codes) == 1:
                found.add(parent)
        return found


@dataclass
class Scope:
    level: str
    parent: str
    units: dict[str, tuple[str, date | None, date | None, str]]  # code -> (name, valid_from, valid_to, id)
    parent_name: str
    con: duckdb.DuckDBPyConnection = field(repr=False, compare=False)
    _lookup: dict[str, set[str]] | None = field(default=None, repr=False, compare=False)
    _suggestions: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, con, level: str, parent: str) -> Scope:
        units = {c: (n, f, t, i) for c, n, f, t, i in con.execute(UNITS_SQL, [level, parent]).fetchall()}
        row = con.execute(UNIT_NAME_SQL, [parent]).fetchone()
        return cls(level, parent, units, row[0] if row else parent, con)

    @property
    def lookup(self) -> dict[str, set[str]]:
        """Spellings of the units' names and aliases, built on first use: a file of codes never needs it."""
        if self._lookup is None:
            self._lookup = unit_lookup(self.con, self.level, self.parent)
        return self._lookup

    @property
    def label(self) -> str:
        return f"{LEVEL_NAMES.get(self.level, self.level)} thuộc {self.parent_name}"

    def name(self, code: str) -> str:
        return self.units[code][0]

    def match(self, text: str) -> tuple[str | None, set[str]]:
        """(code, candidates): a code when `text` names exactly one unit in scope."""
        if re.fullmatch(r"\d{1,5}", text):
            for width in (len(text), 2, 3, 5):
                if text.zfill(width) in self.units:
                    return text.zfill(width), {text.zfill(width)}
        folded, named = spelling_keys(text)  # lookup_codes, with the keys computed once per text
        codes = self.lookup.get(folded) or self.lookup.get(named) or set()
        return (next(iter(codes)) if len(codes) == 1 else None), codes

    def suggestion(self, con, text: str) -> str | None:
        """A close spelling; computed once per text (a file may repeat one unknown name 100 000 times),
        and for the first SUGGESTED texts only: past them only a few are shown, at a second each."""
        if text not in self._suggestions and len(self._suggestions) >= SUGGESTED:
            return None
        if text not in self._suggestions:
            hint = suggest_unit(con, text, self.lookup).strip(" .—")
            self._suggestions[text] = hint[0].upper() + hint[1:] if hint else None
        return self._suggestions[text]

    def valid_in(self, year: int) -> list[str]:
        return [c for c in self.units if self.in_force(c, year)]

    def in_force(self, code: str, year: int) -> bool:
        """The unit is in force on 31 December of the year (Unit.valid_in, the store's macro valid_in_year)."""
        return self.version(code).valid_in(year)

    def version(self, code: str) -> Unit:
        name, start, end, unit_id = self.units[code]
        return Unit(code, name, self.level, self.parent, unit_id, start, end)
