"""Matching unit names as real files write them: accents, case, prefixes and aliases.

Units are keyed by code. A name is only ever matched within a given level and parent, so
"Huyện Bảo Lâm" of Cao Bằng never matches the one in Lâm Đồng.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

import duckdb

from analytics.errors import NotFoundError
from analytics.scope import unit_name

# Characters that change how a name looks but not what it says: zero-width and joiner characters,
# direction marks, variation selectors, the combining grapheme joiner, and the combining marks that
# strike a letter through. Removed from every cell on every path, and each removal is reported.
HIDDEN_MARKS = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\uffa0\u0332-\u0338\u20d2-\u20d3"
    "\u20e5\u20ea\U000e0000-\U000e0fff]"
)

# Longest first, so "thi tran" wins over "thi".
UNIT_PREFIXES = (
    "thanh pho",
    "thi tran",
    "thi xa",
    "huyen",
    "phuong",
    "tinh",
    "xa",
    "tp.",
    "tp",
    "tt.",
    "tt",
    "tx.",
    "tx",
    "h.",
    "x.",
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def without_accents(text: str) -> str:
    """'Xếp hạng Đức Hạnh' -> 'Xep hang Duc Hanh': Vietnamese letters as plain ASCII ones."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.replace("đ", "d").replace("Đ", "D")


def fold(text: str) -> str:
    """Accent- and case-insensitive key: 'Hoà An', 'Hòa An', 'HOA AN' and 'hoa an' fold alike."""
    return re.sub(r"\s+", " ", without_accents(text)).strip().lower()


def name_key(text: str) -> str:
    """fold() without the administrative prefix: 'Huyện Bảo Lâm' and 'Bảo Lâm' share a key."""
    key = fold(text)
    for prefix in UNIT_PREFIXES:
        if key.startswith(prefix + " ") or (prefix.endswith(".") and key.startswith(prefix)):
            return key[len(prefix) :].strip()
    return key


# An alias names one unit version: unit_aliases.unit_code holds the version's id, which is the code
# itself for a code's first version (so "TT Pác Miều" -> 01290 is Thị trấn Pác Miầu, never the Xã Bảo
# Lâm that reused the code in 2025) and code@valid_from for a later one.
UNITS_IN_SCOPE_SQL = """
    SELECT u.code, u.name, a.alias
    FROM units u LEFT JOIN unit_aliases a ON a.unit_code = u.id
    WHERE ($level IS NULL OR u.level = $level) AND ($parent IS NULL OR u.parent_code = $parent)
      AND ($year IS NULL OR valid_in_year(u.valid_from, u.valid_to, $year))
"""


def unit_lookup(
    con: duckdb.DuckDBPyConnection, level: str | None = None, parent: str | None = None, year: int | None = None
) -> dict[str, set[str]]:
    """Map every accepted spelling key (code, full name, name without prefix, alias) to codes, among the
    units in force in the year (every version without one)."""
    lookup: dict[str, set[str]] = {}
    params = {"level": level, "parent": parent, "year": year}
    for code, name, alias in con.execute(UNITS_IN_SCOPE_SQL, params).fetchall():
        for spelling in {code, name, alias} - {None}:
            for key in {fold(spelling), name_key(spelling)}:
                lookup.setdefault(key, set()).add(code)
    return lookup


def lookup_codes(lookup: dict[str, set[str]], text: str) -> set[str]:
    """Codes a spelling names in a unit_lookup: the exact folded text first, then without its prefix."""
    return lookup.get(fold(nfc(text))) or lookup.get(name_key(nfc(text))) or set()


def resolve_unit(
    con: duckdb.DuckDBPyConnection,
    text: str,
    level: str | None = None,
    parent: str | None = None,
    year: int | None = None,
) -> str:
    """Return the unit code that `text` names within the scope (in force in the year, when given), or
    raise NotFoundError. Hidden marks are removed first, as the importer removes them from every cell."""
    text = HIDDEN_MARKS.sub("", text)
    lookup = unit_lookup(con, level, parent, year)
    codes = lookup_codes(lookup, text)
    if len(codes) == 1:
        return next(iter(codes))
    if len(codes) > 1:
        raise NotFoundError(
            f"Tên đơn vị '{text}' khớp với nhiều đơn vị ({', '.join(sorted(codes))}); hãy dùng mã đơn vị."
        )
    raise NotFoundError(f"Không tìm thấy đơn vị '{text}'" + suggest_unit(con, text, lookup))


def suggest_unit(con: duckdb.DuckDBPyConnection, text: str, lookup: dict[str, set[str]]) -> str:
    """' — có phải 'Huyện Bảo Lạc'?' for the closest spelling in scope, or '.'."""
    close = difflib.get_close_matches(name_key(text), list(lookup), n=1, cutoff=0.6)
    if not close:
        return "."
    code = sorted(lookup[close[0]])[0]
    return f" — có phải '{unit_name(con, code)}' (mã {code})?"
