"""Vietnamese number formatting: 73,79 and 1.234. Pure functions, shared by pages and reports."""

from __future__ import annotations

import math

MISSING = "–"  # what an empty value shows, in text and in every table cell

MINUS = "−"  # U+2212, reads better than a hyphen in cards


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) == "<NA>"


def fmt_number(value, decimals: int = 2) -> str:
    """73.79 -> '73,79'; 1234.5 -> '1.234,50'; missing -> '–'."""
    if _is_missing(value):
        return "–"
    text = f"{abs(float(value)):,.{decimals}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return (MINUS if float(value) < 0 and text.strip("0,.") else "") + text


def fmt_int(value) -> str:
    """1234 -> '1.234'."""
    return fmt_number(value, 0)


def fmt_signed(value, decimals: int = 2) -> str:
    """+1,17 / −7,21 / 0,00."""
    if _is_missing(value):
        return "–"
    body = fmt_number(value, decimals)
    return "+" + body if float(value) > 0 and body.strip("0,.") else body


def fmt_pct(value, decimals: int = 1) -> str:
    """97 -> '97,0%'."""
    return "–" if _is_missing(value) else fmt_number(value, decimals) + "%"


def fmt_rank(rank, rank_of) -> str:
    """9, 10 -> '9/10'."""
    return "–" if _is_missing(rank) else f"{int(rank)}/{int(rank_of)}"


def rank_change_words(delta_rank) -> str:
    """Places gained as words: 'tăng 2 bậc', 'giảm 2 bậc', 'giữ nguyên'."""
    if _is_missing(delta_rank):
        return "–"
    delta = int(delta_rank)
    if delta == 0:
        return "giữ nguyên"
    return f"{'tăng' if delta > 0 else 'giảm'} {abs(delta)} bậc"
