"""Codes made from what a reference file writes: a criterion's numbering, and a code derived from a name.

- Numbering: `１.２` (full-width, typed with a Japanese or Chinese input method), `01.02` and `1.2` are
  the same criterion; NFKC folds the full-width forms and each numeric segment loses its leading zeros.
- A code derived from a name (a new office, a band without a code) is made of A–Z, 0–9 and `_` only:
  diacritics folded (Đ → D), the name's initials; when nothing is left (a name such as `=` or `@x`
  gives no letter) a numbered code such as `CQ01`. A code never starts with a character a spreadsheet
  would run as a formula, and never carries anything from the file but letters and digits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from analytics.names import fold

SKIPPED_WORDS = {"phong", "va", "cac"}
NOT_A_CODE_CHAR = re.compile(r"[^A-Z0-9_]")
ARABIC_SEGMENTS = re.compile(r"^\d+(?:\.\d+)*$")


def numbering_text(text: str) -> str:
    """A number cell as the annex reader compares it: NFKC (full-width digits and Roman numerals to
    ASCII), accents and case folded."""
    return fold(unicodedata.normalize("NFKC", text))


def without_leading_zeros(code: str) -> str:
    """'01.02' -> '1.2'; anything not made of numeric segments is returned as it is."""
    if not ARABIC_SEGMENTS.match(code):
        return code
    return ".".join(str(int(segment)) for segment in code.split("."))


def criterion_code(text: str) -> str:
    """A criterion code as a file writes it ('０１.２.', '01.02') -> the stored code ('1.2'); a code that is
    not numbers (TOTAL) keeps its case."""
    return without_leading_zeros(unicodedata.normalize("NFKC", text).strip().rstrip("."))


def derived_code(name: str, taken: Collection[str], fallback: str = "CQ", single_word_whole: bool = False) -> str:
    """A new code for `name`, not in `taken`: its initials in A–Z/0–9 (the whole word when the name is
    one word and `single_word_whole`), else `fallback` numbered from 01."""
    words = [w for w in re.split(r"[^a-z0-9]+", fold(unicodedata.normalize("NFKC", name))) if w]
    meaningful = [w for w in words if w not in SKIPPED_WORDS]
    if single_word_whole and len(meaningful) == 1:
        base = meaningful[0].upper()
    else:
        base = "".join(w[0] for w in meaningful).upper()
    base = NOT_A_CODE_CHAR.sub("", base)
    if not base:
        return numbered(fallback, taken)
    code, n = base, 2
    while code in taken:
        code, n = f"{base}{n}", n + 1
    return code


def numbered(prefix: str, taken: Collection[str]) -> str:
    n = 1
    while f"{prefix}{n:02d}" in taken:
        n += 1
    return f"{prefix}{n:02d}"
