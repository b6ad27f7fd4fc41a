"""The "Đánh giá chung" paragraph, generated from data in the register of the April 2021 notice.

For a year and a unit: the total and rank ("xếp thứ 9/10 huyện, thành phố"), the change in
points and places against the previous year; for a district, its communes by band ("01 xã xếp
loại tốt¹"), the change of each band's count ("tăng 05 xã so với năm 2019³") and the mean change
of commune totals; then the weak fields, with the offices that own them.

Footnotes list the communes of each band, those that moved between bands and the weak fields.
Communes are listed by their register name without the "Xã" prefix, ordered by this year's
rank; a town keeps its prefix ("Thị trấn Pác Miầu", which the notice abbreviates "TT Pác Miều").

The result is structured (text pieces and footnote numbers, plus the footnotes) so that a Word
document can make real footnotes and a page can show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from analytics import communes, gaps
from analytics.errors import NotFoundError
from analytics.formatting import fmt_number, fmt_pct
from analytics.rankings import rankings
from analytics.reports.wording import (
    change_clause,
    count_change,
    count_noun,
    count_words,
    kinds_phrase,
    list_name,
    lower_first,
    mean_change,
    running_name,
    superscript,
)
from analytics.scope import get_unit

# The version of a code in force in the year (schema v5: the 2025 reform reused codes).
UNIT_SQL = """
SELECT code, name, level, kind, parent_code FROM units WHERE code = ? AND valid_in_year(valid_from, valid_to, ?)
"""
KINDS_SQL = "SELECT code, kind FROM units WHERE valid_in_year(valid_from, valid_to, ?)"


@dataclass(frozen=True)
class UnitInfo:
    code: str
    name: str
    level: str
    kind: str | None
    parent_code: str | None


@dataclass(frozen=True)
class Summary:
    """The paragraph as pieces: text, and footnote numbers where a marker goes (1-based)."""

    year: int
    unit_code: str
    unit_name: str
    pieces: tuple[str | int, ...]
    footnotes: tuple[str, ...]
    is_demo: bool

    @property
    def text(self) -> str:
        """The paragraph with superscript markers: '… 01 xã xếp loại tốt¹; …'."""
        return "".join(p if isinstance(p, str) else superscript(p) for p in self.pieces)

    @property
    def plain_text(self) -> str:
        return "".join(p for p in self.pieces if isinstance(p, str))

    def footnote_lines(self) -> list[str]:
        return [f"{superscript(n)} {text}" for n, text in enumerate(self.footnotes, start=1)]

    def full_text(self) -> str:
        """The paragraph, a blank line, then one line per footnote, as the notice prints them."""
        return "\n".join([self.text, "", *self.footnote_lines()]) if self.footnotes else self.text


@dataclass
class _Writer:
    pieces: list[str | int] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.pieces.append(text)

    def note(self, text: str) -> None:
        self.footnotes.append(text)
        self.pieces.append(len(self.footnotes))


def unit_info(con: duckdb.DuckDBPyConnection, unit_code: str, year: int) -> UnitInfo:
    """The unit as in force in the year; NotFoundError naming its periods when it did not exist then."""
    row = con.execute(UNIT_SQL, [unit_code, year]).fetchone()
    if row is None:
        get_unit(con, unit_code, year)  # raises the message naming when the code's units existed
        raise NotFoundError(f"Không có đơn vị mã '{unit_code}' trong kho dữ liệu.")
    return UnitInfo(*row)


def summary_paragraph(con: duckdb.DuckDBPyConnection, year: int, unit_code: str) -> Summary:
    """The "Đánh giá chung" paragraph of a unit for a year, with its footnotes."""
    unit = unit_info(con, unit_code, year)
    kinds = dict(con.execute(KINDS_SQL, [year]).fetchall())
    ranking = rankings(con, year, unit.level, unit.parent_code)
    row = _unit_row(ranking, unit, year)
    writer = _Writer()
    _write_result(writer, year, unit, row, ranking, kinds)
    if unit.level == "district":
        _write_communes(writer, con, year, unit, kinds)
    writer.add(".")
    _write_weak_fields(writer, con, year, unit, _peers_phrase(con, year, ranking, unit, kinds))
    return Summary(
        year, unit.code, unit.name, tuple(writer.pieces), tuple(writer.footnotes), bool(ranking["is_demo"].any())
    )


def _unit_row(ranking: pd.DataFrame, unit: UnitInfo, year: int) -> pd.Series:
    rows = ranking[(ranking["unit_code"] == unit.code) & ranking["has_data"]]
    if rows.empty:
        raise NotFoundError(f"{unit.name} chưa có kết quả chỉ số CCHC năm {year}.")
    return rows.iloc[0]


def _ranked_kinds(ranking: pd.DataFrame, kinds: dict[str, str]) -> str:
    return kinds_phrase(kinds.get(code) for code in ranking.loc[ranking["has_data"], "unit_code"])


def _write_result(
    writer: _Writer, year: int, unit: UnitInfo, row: pd.Series, ranking: pd.DataFrame, kinds: dict[str, str]
) -> None:
    writer.add(
        f"Năm {year}, kết quả chỉ số CCHC của {running_name(unit.name, unit.kind)} "
        f"đạt {fmt_number(row['total'])} điểm (xếp thứ {int(row['rank'])}/{int(row['rank_of'])} "
        f"{_ranked_kinds(ranking, kinds)})"
    )
    if unit.level == "commune" and isinstance(row["band"], str):
        writer.add(f", xếp loại {lower_first(row['band'])}")
    writer.add(_comparison(row, ranking.attrs.get("previous_year")))


def _comparison(row: pd.Series, previous_year: int | None) -> str:
    if previous_year is None:
        return "; đây là năm đầu tiên có số liệu, chưa có kết quả năm trước để so sánh"
    if pd.isna(row["total_previous"]):
        return f"; chưa có kết quả năm {previous_year} để so sánh"
    return ", " + change_clause(float(row["delta_total"]), int(row["delta_rank"]), previous_year)


def _write_communes(writer: _Writer, con, year: int, unit: UnitInfo, kinds: dict[str, str]) -> None:
    table = communes.commune_table(con, year, unit.code)
    table = table[table["total"].notna()].sort_values(["rank", "unit_code"])
    if table.empty:
        return
    summary = communes.commune_summary(con, year, unit.code)
    scope = kinds_phrase(kinds.get(c) for c in table["unit_code"])
    writer.add(f"; kết quả chỉ số CCHC cấp xã năm {year} có ")
    if any(summary.band_counts.values()):
        _write_bands(writer, summary, table, kinds)
    else:
        _write_without_bands(writer, table, kinds, scope)
    if summary.previous_year is not None and summary.mean_change is not None:
        writer.add(
            f"; điểm chỉ số CCHC năm {year} của các {scope} {mean_change(summary.mean_change, summary.previous_year)}"
        )


def _write_bands(writer: _Writer, summary, table: pd.DataFrame, kinds: dict[str, str]) -> None:
    noun = count_noun(kinds.get(c) for c in table["unit_code"])
    changes = summary.band_count_changes or {}
    shown = [b for b, n in summary.band_counts.items() if n or changes.get(b)]
    for index, band in enumerate(shown):
        count = summary.band_counts[band]
        writer.add(
            ("; " if index else "")
            + (
                f"{count_words(count, noun)} xếp loại {lower_first(band)}"
                if count
                else f"không có {noun} xếp loại {lower_first(band)}"
            )
        )
        if count:
            writer.note(_members_note(band, table, kinds, noun))
        if summary.previous_year is not None:
            writer.add(", " + count_change(changes.get(band, 0), summary.previous_year, noun))
            movers = _movers_note(band, summary, table, kinds, noun)
            if movers:
                writer.note(movers)


def _names(codes: list[str], table: pd.DataFrame, kinds: dict[str, str]) -> list[str]:
    """Footnote names of the given communes, ordered by this year's rank."""
    ordered = table[table["unit_code"].isin(codes)]
    return [list_name(name, kinds.get(code)) for code, name in zip(ordered["unit_code"], ordered["unit_name"])]


def _members_note(band: str, table: pd.DataFrame, kinds: dict[str, str], noun: str) -> str:
    names = _names(table.loc[table["band"] == band, "unit_code"].tolist(), table, kinds)
    lead = f"Các {noun}" if len(names) > 1 else noun.capitalize()
    return f"{lead} xếp loại {band}: {', '.join(names)}."


def _movers_note(band: str, summary, table: pd.DataFrame, kinds: dict[str, str], noun: str) -> str | None:
    sentences = []
    for movers, verb, direction in ((summary.moved_up, "cải thiện", "lên"), (summary.moved_down, "giảm", "xuống")):
        groups: dict[str, list[str]] = {}
        for code, _name, band_from, band_to in movers:
            if band_to == band:
                groups.setdefault(band_from, []).append(code)
        if groups:
            sentences.append(_movers_sentence(groups, band, table, kinds, noun, verb, direction))
    return " ".join(sentences) or None


def _movers_sentence(
    groups: dict[str, list[str]],
    band: str,
    table: pd.DataFrame,
    kinds: dict[str, str],
    noun: str,
    verb: str,
    direction: str,
) -> str:
    count = sum(len(codes) for codes in groups.values())
    lead = f"Các {noun}" if count > 1 else noun.capitalize()
    if len(groups) == 1:
        band_from, codes = next(iter(groups.items()))
        return f"{lead} {verb} thứ bậc (từ {band_from} {direction} {band}): {', '.join(_names(codes, table, kinds))}."
    parts = [
        f"từ {band_from} {direction} {band}: {', '.join(_names(codes, table, kinds))}"
        for band_from, codes in groups.items()
    ]
    return f"{lead} {verb} thứ bậc: {'; '.join(parts)}."


def _write_without_bands(writer: _Writer, table: pd.DataFrame, kinds: dict[str, str], scope: str) -> None:
    best, worst = table.iloc[0], table.iloc[-1]
    writer.add(
        f"{count_words(len(table), scope)} được đánh giá, điểm bình quân đạt "
        f"{fmt_number(table['total'].mean())} điểm, cao nhất là "
        f"{running_name(best['unit_name'], kinds.get(best['unit_code']))} ({fmt_number(best['total'])} điểm), "
        f"thấp nhất là {running_name(worst['unit_name'], kinds.get(worst['unit_code']))} "
        f"({fmt_number(worst['total'])} điểm)"
    )


def _peers_phrase(con, year: int, ranking: pd.DataFrame, unit: UnitInfo, kinds: dict[str, str]) -> str:
    """'bình quân chung của các huyện, thành phố trong tỉnh Cao Bằng'."""
    phrase = f"bình quân chung của các {_ranked_kinds(ranking, kinds)}"
    if unit.parent_code is None:
        return phrase
    parent = unit_info(con, unit.parent_code, year)
    return f"{phrase} trong {running_name(parent.name, parent.kind)}"


def _write_weak_fields(writer: _Writer, con, year: int, unit: UnitInfo, peers: str) -> None:
    if gaps.gaps(con, year, unit.code, depth=1).empty:
        return  # only totals were given: nothing can be said about fields
    weak = gaps.weak_fields(con, year, unit.code)
    if weak.empty:
        writer.add(f" Các lĩnh vực đều đạt tỷ lệ điểm bằng hoặc cao hơn {peers}.")
        return
    writer.add(f" Tuy nhiên, điểm chỉ số của {count_words(len(weak), 'lĩnh vực')} còn thấp so với {peers}")
    writer.note(_weak_note(weak, peers))
    offices = list(dict.fromkeys(n for n in weak["owner_office_name"] if isinstance(n, str) and n))
    if offices:
        writer.add(f"; các lĩnh vực này thuộc trách nhiệm chủ trì, tham mưu của {', '.join(offices)}")
    writer.add(".")


def _weak_note(weak: pd.DataFrame, peers: str) -> str:
    items = []
    for index, row in enumerate(weak.itertuples(index=False)):
        name = row.criterion_name if index == 0 else lower_first(row.criterion_name)
        office = f"; {row.owner_office_name}" if isinstance(row.owner_office_name, str) else ""
        items.append(f"{name} (đạt {fmt_pct(row.pct)}, bình quân {fmt_pct(row.reference_pct)}{office})")
    return f"Các lĩnh vực đạt điểm chỉ số thấp so với {peers}: {'; '.join(items)}."
