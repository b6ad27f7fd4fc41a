"""fold() of analytics.names, fast for the Latin letters Vietnamese is written in.

fold() decomposes every text (NFD) and drops its combining marks one character at a time, in
Python; a hostile file repeats that for 100 000 names several times. Canonical decomposition works
character by character, and the marks it yields are dropped whatever their order, so a table from
each Latin character to its folded form gives the same result with one str.translate. Texts with
any other character (Greek, whose lower case depends on context, CJK…) still go through fold().
"""

from __future__ import annotations

import re
import unicodedata
from itertools import chain

from analytics.names import fold

TABLE_RANGES = (range(0x80, 0x370), range(0x1E00, 0x1F00))
OUTSIDE_TABLE = re.compile("[^\x00-\u036f\u1e00-\u1eff]")
SPACES = re.compile(r"\s+")


def _folded_char(char: str) -> str:
    kept = "".join(c for c in unicodedata.normalize("NFD", char) if unicodedata.category(c) != "Mn")
    return kept.replace("đ", "d").replace("Đ", "D")


FOLD_TABLE = {cp: _folded_char(chr(cp)) for cp in chain(*TABLE_RANGES)}


def quick_fold(text: str) -> str:
    """Exactly fold(text)."""
    if OUTSIDE_TABLE.search(text):
        return fold(text)
    return SPACES.sub(" ", text.translate(FOLD_TABLE)).strip().lower()
