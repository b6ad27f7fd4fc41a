"""Words of an administrative notice: counts, changes and names, as a district notice writes them.

Pure functions; the summary paragraph (report.py) is assembled from these. The register is the
one of the Bảo Lâm notice of April 2021: "01 xã", "giảm 7,21 điểm và giảm 2 bậc so với năm 2019",
"tăng 05 xã so với năm 2019", "tăng bình quân 3,0 điểm".
"""

from __future__ import annotations

from analytics.formatting import fmt_number

# Kinds of units in the order a notice lists them ("xếp thứ 9/10 huyện, thành phố").
KIND_ORDER = ("huyện", "quận", "thị xã", "thành phố", "xã", "phường", "thị trấn")
# A commune-level count is written "09 xã" even when a town is among them, as the notice does.
RURAL_KINDS = {"xã", "thị trấn"}
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(number: int) -> str:
    """5 -> '⁵' (footnote markers in plain text)."""
    return str(number).translate(SUPERSCRIPTS)


def count_words(count: int, noun: str = "xã") -> str:
    """1 -> '01 xã', 9 -> '09 xã', 12 -> '12 xã': two digits, as notices write counts."""
    return f"{count:02d} {noun}"


def signed_words(delta: float, unit: str, decimals: int = 2) -> str | None:
    """'tăng 7,21 điểm' / 'giảm 7,21 điểm'; None when the rounded change is zero."""
    rounded = round(float(delta), decimals)
    if rounded == 0:
        return None
    return f"{'tăng' if rounded > 0 else 'giảm'} {fmt_number(abs(rounded), decimals)} {unit}"


def points_change(delta_points: float) -> str:
    return signed_words(delta_points, "điểm") or "giữ nguyên số điểm"


def places_change(delta_places: int) -> str:
    """Places gained (positive is better): 'tăng 2 bậc', 'giảm 2 bậc', 'giữ nguyên thứ hạng'."""
    delta = int(delta_places)
    if delta == 0:
        return "giữ nguyên thứ hạng"
    return f"{'tăng' if delta > 0 else 'giảm'} {abs(delta)} bậc"


def _direction(value: float) -> int:
    return (value > 0) - (value < 0)


def change_clause(delta_points: float, delta_places: int, previous_year: int) -> str:
    """'giảm 7,21 điểm và giảm 2 bậc so với năm 2019'; 'nhưng' when points and places part ways."""
    points_dir, places_dir = _direction(round(delta_points, 2)), _direction(int(delta_places))
    if points_dir == 0 and places_dir == 0:
        return f"giữ nguyên số điểm và thứ hạng so với năm {previous_year}"
    joiner = " nhưng " if points_dir * places_dir < 0 else " và "
    return f"{points_change(delta_points)}{joiner}{places_change(delta_places)} so với năm {previous_year}"


def count_change(delta_count: int, previous_year: int, noun: str = "xã") -> str:
    """'tăng 05 xã so với năm 2019' / 'giảm 05 xã …' / 'bằng năm 2019'."""
    if delta_count == 0:
        return f"bằng năm {previous_year}"
    return f"{'tăng' if delta_count > 0 else 'giảm'} {count_words(abs(delta_count), noun)} so với năm {previous_year}"


def mean_change(delta: float, previous_year: int) -> str:
    """'tăng bình quân 3,0 điểm so với năm 2019' (one decimal, as the notice writes it)."""
    words = signed_words(delta, "điểm", decimals=1)
    if words is None:
        return f"bình quân không thay đổi so với năm {previous_year}"
    verb, rest = words.split(" ", 1)
    return f"{verb} bình quân {rest} so với năm {previous_year}"


def kinds_phrase(kinds) -> str:
    """{'thành phố', 'huyện'} -> 'huyện, thành phố'; {'xã', 'thị trấn'} -> 'xã, thị trấn'."""
    present = {k.strip().lower() for k in kinds if k}
    ordered = [k for k in KIND_ORDER if k in present] + sorted(present - set(KIND_ORDER))
    return ", ".join(ordered) or "đơn vị"


def count_noun(kinds) -> str:
    """The noun of a commune count: 'xã' for communes and towns (as the notice counts), else 'đơn vị'."""
    present = {k.strip().lower() for k in kinds if k}
    return "xã" if present and present <= RURAL_KINDS else "đơn vị"


def running_name(name: str, kind: str | None) -> str:
    """'Huyện Bảo Lâm' -> 'huyện Bảo Lâm' in running text; a name not led by its kind stays as is."""
    if kind and name.lower().startswith(kind.lower() + " "):
        return kind.lower() + name[len(kind) :]
    return name


def list_name(name: str, kind: str | None) -> str:
    """A commune in a footnote list: 'Xã Lý Bôn' -> 'Lý Bôn'; a town keeps 'Thị trấn' to stand out."""
    if kind and kind.lower() == "xã" and name.lower().startswith("xã "):
        return name[3:]
    return name


def lower_first(text: str) -> str:
    """'Trung bình' -> 'trung bình' (band names inside a sentence)."""
    return text[:1].lower() + text[1:]
