"""What a file is matched against: the units of one level and parent, and one criteria set."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import duckdb

from analytics.formatting import fmt_number
from analytics.importing.formats import classify, header_key
from analytics.names import lookup_codes, suggest_unit, unit_lookup
from analytics.rankings import criteria_set_for

LEVEL_NAMES = {"district": "cấp huyện", "commune": "cấp xã"}
CRITERIA_SQL = """
    SELECT code, parent_code, name, max_points FROM criteria WHERE set_code = ? ORDER BY sort_order
"""
SET_SQL = "SELECT level, is_demo FROM criteria_sets WHERE code = ?"
ALL_CRITERION_NAMES_SQL = "SELECT DISTINCT name FROM criteria"
SCOPES_SQL = """
    SELECT level, parent_code, count(*) AS units FROM units
    WHERE level IN ('district', 'commune') AND (? IS NULL OR level = ?) AND (? IS NULL OR parent_code = ?)
    GROUP BY level, parent_code ORDER BY level DESC, parent_code
"""
UNITS_SQL = """
    SELECT code, name, valid_from, valid_to FROM units WHERE level = ? AND parent_code = ? ORDER BY code
"""
UNIT_NAME_SQL = "SELECT name FROM units WHERE code = ?"
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
    level, is_demo = con.execute(SET_SQL, [set_code]).fetchone()
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
        self.criterion_names = {header_key(r[0]) for r in con.execute(ALL_CRITERION_NAMES_SQL).fetchall()}

    def criteria(self, level: str, year: int) -> CriteriaSet | None:
        if (level, year) not in self._sets:
            code = criteria_set_for(self.con, level, year)
            self._sets[(level, year)] = load_criteria_set(self.con, code) if code else None
        return self._sets[(level, year)]

    def scope(self, level: str, parent: str) -> Scope:
        if (level, parent) not in self._scopes:
            self._scopes[(level, parent)] = Scope.load(self.con, level, parent)
        return self._scopes[(level, parent)]

    def candidate_scopes(self, level: str | None, parent: str | None) -> list[tuple[str, str]]:
        return [(lv, p) for lv, p, _ in self.con.execute(SCOPES_SQL, [level, level, parent, parent]).fetchall()]

    def infer_scope(self, texts: list[str], level: str | None, parent: str | None) -> tuple[list[tuple[str, str]], int]:
        """The scopes (level, parent) naming the most of `texts`, and how many they name."""
        counts = {s: sum(1 for t in texts if self.scope(*s).match(t)[0]) for s in self.candidate_scopes(level, parent)}
        best = max(counts.values(), default=0)
        return [s for s, n in counts.items() if n == best], best


@dataclass
class Scope:
    level: str
    parent: str
    units: dict[str, tuple[str, object, object]]  # code -> (name, valid_from, valid_to)
    parent_name: str
    con: object = field(default=None, repr=False, compare=False)
    _lookup: dict[str, set[str]] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, con, level: str, parent: str) -> Scope:
        units = {c: (n, f, t) for c, n, f, t in con.execute(UNITS_SQL, [level, parent]).fetchall()}
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
        codes = lookup_codes(self.lookup, text)
        return (next(iter(codes)) if len(codes) == 1 else None), codes

    def suggestion(self, con, text: str) -> str | None:
        hint = suggest_unit(con, text, self.lookup).strip(" .—")
        return hint[0].upper() + hint[1:] if hint else None

    def valid_in(self, year: int) -> list[str]:
        return [c for c, (_, start, end) in self.units.items()
                if (start is None or start.year <= year) and (end is None or end.year >= year)]
