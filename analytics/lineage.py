"""Where a unit version came from and what it became (unit_lineage, schema v5), with the results of the
units it is linked to.

A merged commune's predecessors ("đơn vị tiền thân") keep their own results, each in its own scope
and years: they are shown beside the new unit, never added into its line or its ranking. A district
has no lineage of its own (the reform dissolved it); its successors are those of its communes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics.formatting import fmt_number
from analytics.names import fold, name_key, nfc
from analytics.rankings import rankings_by_year, years_with_data
from analytics.scope import Unit, fmt_day, get_unit

LINKED_COLUMNS = "u.code, u.name, u.level, u.parent_code, u.id, u.valid_from, u.valid_to, l.kind, l.date"
PREDECESSORS_SQL = f"""
SELECT {LINKED_COLUMNS} FROM unit_lineage l JOIN units u ON u.id = l.from_unit_id
WHERE l.to_unit_id = ? ORDER BY u.code, u.valid_from NULLS FIRST
"""
SUCCESSORS_SQL = f"""
SELECT {LINKED_COLUMNS} FROM unit_lineage l JOIN units u ON u.id = l.to_unit_id
WHERE l.from_unit_id = ? ORDER BY u.code, u.valid_from NULLS FIRST
"""
# The units the communes of a dissolved district went to (each once, at its earliest change).
AREA_SUCCESSORS_SQL = f"""
SELECT DISTINCT ON (u.id) {LINKED_COLUMNS}
FROM units child
JOIN unit_lineage l ON l.from_unit_id = child.id
JOIN units u ON u.id = l.to_unit_id
WHERE child.parent_code = $code AND child.level = 'commune'
  AND (child.valid_from IS NULL OR child.valid_from <= $until) AND (child.valid_to IS NULL OR child.valid_to >= $since)
ORDER BY u.id, l.date
"""
VERSIONS_OF_LEVEL_SQL = """
SELECT u.code, u.name, u.level, u.parent_code, u.id, u.valid_from, u.valid_to,
       list(a.alias) FILTER (a.alias IS NOT NULL)
FROM units u LEFT JOIN unit_aliases a ON a.unit_code = u.id
WHERE u.level = ?
GROUP BY ALL ORDER BY u.code, u.valid_from NULLS FIRST
"""
KIND_WORDS = {
    "merged_into": "sáp nhập vào",
    "split_from": "chia tách từ",
    "renamed": "đổi tên thành",
    "moved": "chuyển về",
}


@dataclass(frozen=True)
class YearResult:
    year: int
    total: float
    rank: int
    rank_of: int
    band: str | None
    is_demo: bool


@dataclass(frozen=True)
class LinkedUnit:
    unit: Unit
    kind: str  # unit_lineage.kind, as written on the predecessor's row
    date: dt.date
    results: tuple[YearResult, ...]  # in its own scope, in the years it was in force


@dataclass(frozen=True)
class Lineage:
    unit: Unit
    predecessors: tuple[LinkedUnit, ...]
    successors: tuple[LinkedUnit, ...]

    @property
    def is_demo(self) -> bool:
        return any(r.is_demo for linked in (*self.predecessors, *self.successors) for r in linked.results)


def lineage(con: duckdb.DuckDBPyConnection, unit_code: str, year: int | None = None) -> Lineage:
    """The version of `unit_code` in force in the year (its latest without one), its predecessors and its
    successors, each with its totals and bands."""
    unit = get_unit(con, unit_code, year)
    predecessors = _linked(con, PREDECESSORS_SQL, [unit.id])
    successors = _linked(con, SUCCESSORS_SQL, [unit.id])
    if not successors and unit.level == "district" and unit.valid_to is not None:
        successors = _linked(con, AREA_SUCCESSORS_SQL, _area_params(unit))
    return Lineage(unit, tuple(_with_results(con, predecessors)), tuple(_with_results(con, successors)))


def successor_words(linked: LinkedUnit) -> str:
    """'Xã Thạch Lâm đã sáp nhập vào Xã Quảng Lâm từ 01/7/2025' is said by the caller; this gives
    'sáp nhập vào Xã Quảng Lâm từ 01/7/2025'."""
    return f"{KIND_WORDS.get(linked.kind, linked.kind)} {linked.unit.name} từ {fmt_day(linked.date)}"


def end_sentence(found: Lineage) -> str:
    """'Huyện Bảo Lâm không còn từ 01/7/2025 (giải thể khi sắp xếp đơn vị hành chính); địa bàn nay thuộc 6 xã,
    phường:' for a unit whose period ended; '' for one still in force."""
    unit = found.unit
    if unit.valid_to is None:
        return ""
    day = fmt_day(unit.valid_to + dt.timedelta(days=1))
    if unit.level == "district":
        return f"{unit.name} đã giải thể từ {day} khi sắp xếp đơn vị hành chính (bỏ cấp huyện)" + (
            f"; địa bàn nay thuộc {len(found.successors)} xã, phường:" if found.successors else "."
        )
    targets = ", ".join(linked.unit.name for linked in found.successors)
    return f"{unit.name} đã sáp nhập vào {targets} từ {day}." if targets else f"{unit.name} không còn từ {day}."


def out_of_year_sentence(con: duckdb.DuckDBPyConnection, unit: Unit, year: int) -> str:
    """Why a unit version cannot hold results of `year`, naming what it became or came from:
    'Xã Thạch Lâm đã sáp nhập vào Xã Quảng Lâm từ 01/7/2025.' or
    'Xã Bảo Lâm chỉ có từ 01/7/2025 (hình thành từ Thị trấn Pác Miầu, Xã Vĩnh Phong, Xã Mông Ân).'"""
    if unit.valid_from is not None and unit.valid_from > dt.date(year, 12, 31):
        sources = ", ".join(u.name for u, _, _ in _linked(con, PREDECESSORS_SQL, [unit.id]))
        return f"{unit.name} chỉ có từ {fmt_day(unit.valid_from)}" + (
            f" (hình thành từ {sources})." if sources else "."
        )
    successors = [LinkedUnit(u, kind, day, ()) for u, kind, day in _linked(con, SUCCESSORS_SQL, [unit.id])]
    if unit.level == "district" or not successors:
        return end_sentence(Lineage(unit, (), ())).removesuffix(":").rstrip(";") or f"{unit.name} không có năm {year}."
    by_kind: dict[tuple[str, dt.date], list[str]] = {}
    for linked in successors:
        by_kind.setdefault((linked.kind, linked.date), []).append(linked.unit.name)
    return (
        "; ".join(
            f"{unit.name} đã {KIND_WORDS.get(kind, kind)} {', '.join(names)} từ {fmt_day(day)}"
            for (kind, day), names in by_kind.items()
        )
        + "."
    )


def versions_named(con: duckdb.DuckDBPyConnection, text: str, level: str) -> list[Unit]:
    """Every version of the level, in any year and under any parent, that `text` names (code, name or alias)."""
    return named_in(level_versions(con, level), text)


def level_versions(con: duckdb.DuckDBPyConnection, level: str) -> list[tuple[Unit, set[str]]]:
    """Every version of the level with the keys of its spellings (name and aliases), for named_in."""
    versions = []
    for row in con.execute(VERSIONS_OF_LEVEL_SQL, [level]).fetchall():
        spellings = [row[1], *(row[7] or [])]
        versions.append((Unit(*row[:7]), {key for s in spellings for key in (fold(s), name_key(s))}))
    return versions


def named_in(versions: list[tuple[Unit, set[str]]], text: str) -> list[Unit]:
    """The versions (of level_versions) that `text` names by code, name or alias."""
    code, keys = text.strip(), {fold(nfc(text)), name_key(nfc(text))}
    return [
        unit
        for unit, spellings in versions
        if code == unit.code or (code.isdecimal() and code.zfill(len(unit.code)) == unit.code) or keys & spellings
    ]


def predecessors_frame(found: Lineage) -> pd.DataFrame:
    """One row per predecessor: code, name, then per year its 'total (rank/of, band)' (None without data),
    side by side; never summed or ranked with the new unit. Kept narrow enough for a phone."""
    years = sorted({r.year for linked in found.predecessors for r in linked.results})
    rows = []
    for linked in found.predecessors:
        by_year = {r.year: f"{fmt_number(r.total)} ({r.rank}/{r.rank_of}, {r.band or '–'})" for r in linked.results}
        rows.append([linked.unit.code, linked.unit.name, *(by_year.get(y) for y in years)])
    return pd.DataFrame(rows, columns=["Mã", "Đơn vị tiền thân", *map(str, years)])


def merger_words(found: Lineage) -> str:
    """'Hình thành từ 01/7/2025 do sáp nhập 3 đơn vị' for a unit with predecessors."""
    days = sorted({linked.date for linked in found.predecessors})
    since = f" từ {fmt_day(days[0])}" if days else ""
    return f"Hình thành{since} từ {len(found.predecessors)} đơn vị tiền thân."


def _area_params(unit: Unit) -> dict:
    return {
        "code": unit.code,
        "since": unit.valid_from or dt.date(1, 1, 1),
        "until": unit.valid_to or dt.date(9999, 12, 31),
    }


def _linked(con, sql: str, params) -> list[tuple[Unit, str, dt.date]]:
    return [(Unit(*row[:7]), row[7], row[8]) for row in con.execute(sql, params).fetchall()]


def _with_results(con, linked: list[tuple[Unit, str, dt.date]]) -> list[LinkedUnit]:
    """Each unit's results in its own scope (one ranking query per scope, shared by units of the same scope)."""
    by_scope: dict[tuple[str, str | None], dict[int, pd.DataFrame]] = {}
    out = []
    for unit, kind, day in linked:
        scope = (unit.level, unit.parent_code)
        if scope not in by_scope:
            by_scope[scope] = rankings_by_year(con, years_with_data(con, *scope), *scope)
        out.append(LinkedUnit(unit, kind, day, _results(unit, by_scope[scope])))
    return out


def _results(unit: Unit, ranked: dict[int, pd.DataFrame]) -> tuple[YearResult, ...]:
    results = []
    for year, frame in sorted(ranked.items()):
        row = frame[(frame.unit_code == unit.code) & frame.has_data]
        if unit.valid_in(year) and not row.empty:
            r = row.iloc[0]
            band = r.band if isinstance(r.band, str) else None
            results.append(YearResult(year, float(r.total), int(r["rank"]), int(r.rank_of), band, bool(r.is_demo)))
    return tuple(results)


def lineage_payload(found: Lineage) -> dict:
    """The lineage as plain values (dates as ISO text), for JSON."""
    return {
        "unit": _unit_payload(found.unit),
        "predecessors": [_linked_payload(linked) for linked in found.predecessors],
        "successors": [_linked_payload(linked) for linked in found.successors],
        "is_demo": found.is_demo,
    }


def _unit_payload(unit: Unit) -> dict:
    return {
        "id": unit.id,
        "code": unit.code,
        "name": unit.name,
        "level": unit.level,
        "parent_code": unit.parent_code,
        "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
    }


def _linked_payload(linked: LinkedUnit) -> dict:
    results = [vars(r) | {"total": round(r.total, 2)} for r in linked.results]
    return _unit_payload(linked.unit) | {"kind": linked.kind, "date": linked.date.isoformat(), "results": results}
