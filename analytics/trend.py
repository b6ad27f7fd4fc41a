"""Totals and ranks across years, and a naive projection of what the target rank will need."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics.criteria import criteria_tree
from analytics.errors import NotFoundError
from analytics.formatting import fmt_number
from analytics.rankings import competition_rank, holder_of_rank, totals_by_year, unit_versions_in_years, years_with_data
from analytics.scope import get_unit
from analytics.targets import check_rank, resolve_target_rank

# unit_id is the unit version (schema v5): a line through the years follows one id, so a code the
# 2025 reform reused for a merged commune starts a new line.
TREND_COLUMNS = ["year", "unit_code", "unit_id", "unit_name", "total", "rank", "rank_of", "is_demo"]


@dataclass(frozen=True)
class Projection:
    next_year: int
    score_needed: float | None
    basis: str
    last_year: int | None = None
    last_score_needed: float | None = None
    target_rank: int | None = None
    is_projection: bool = True


def trend(con: duckdb.DuckDBPyConnection, level: str = "district", parent: str | None = None) -> pd.DataFrame:
    """year, unit_code, unit_id, unit_name, total, rank, rank_of, is_demo for every year and unit with data.

    One query for all the years (totals_by_year), ranked per year here, instead of one ranking
    per year: a national store has ten years of four million rows.
    """
    years = years_with_data(con, level, parent)
    result = totals_by_year(con, years, level, parent) if years else pd.DataFrame()
    if result.empty:
        return pd.DataFrame(columns=TREND_COLUMNS)
    result["year"] = result["year"].astype("int64")
    versions = unit_versions_in_years(con, years, result.unit_code.unique())
    result = result.merge(versions.astype({"year": "int64"}), on=["year", "unit_code"], how="left")
    result["rank"] = result.groupby("year").total.transform(competition_rank).astype("Int64")
    result["rank_of"] = result.groupby("year").unit_code.transform("size")
    result["is_demo"] = result["is_demo"].fillna(False).astype(bool)
    return result.sort_values(["year", "rank", "unit_code"])[TREND_COLUMNS].reset_index(drop=True)


def target_projection(
    con: duckdb.DuckDBPyConnection,
    unit_code: str,
    target_rank: int | None = None,
    level: str | None = None,
    parent: str | None = None,
) -> Projection:
    """The total the target rank may need next year if every other unit repeats its last change.

    A projection, not a fact: each other unit's last total plus its change since its previous
    year with data (no change when it has only one year), kept within [0, maximum].
    """
    unit = get_unit(con, unit_code)
    level, parent = level or unit.level, parent if parent is not None else unit.parent_code
    history = trend(con, level, parent)
    if history.empty:
        raise NotFoundError("Chưa có dữ liệu để dự báo.")
    last_year = int(history.year.max())
    rank = resolve_target_rank(con, last_year, unit_code, target_rank)
    projected = _projected_totals(history[history.unit_code != unit_code], last_year)
    maximum = float(criteria_tree(con, level, last_year).query("depth == 0").max_points.iloc[0])
    projected["total"] = projected.total.clip(0, maximum)
    last = history[(history.year == last_year) & (history.unit_code != unit_code)][["unit_code", "total"]]
    check_rank(rank, len(projected) + 1)
    holder, holder_now = holder_of_rank(projected, rank), holder_of_rank(last, rank)
    return Projection(
        next_year=last_year + 1,
        score_needed=None if holder is None else round(float(holder.total), 2),
        basis=projection_basis(last_year),
        last_year=last_year,
        target_rank=rank,
        last_score_needed=None if holder_now is None else round(float(holder_now.total), 2),
    )


def _projected_totals(others: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """unit_code, total: each unit's last total plus its last change (units with data in last_year); the
    change of one unit version, never across a merger that reused its code."""
    rows = []
    for _, unit_history in others.sort_values("year").groupby("unit_id"):
        code = unit_history.unit_code.iloc[-1]
        if int(unit_history.year.iloc[-1]) != last_year:
            continue
        change = unit_history.total.iloc[-1] - unit_history.total.iloc[-2] if len(unit_history) > 1 else 0.0
        rows.append((code, float(unit_history.total.iloc[-1] + change)))
    return pd.DataFrame(rows, columns=["unit_code", "total"])


def projection_basis(last_year: int) -> str:
    return (
        f"Dự báo đơn giản, không phải số liệu thực tế: giả định mỗi đơn vị khác năm {last_year + 1} "
        f"tăng (giảm) đúng bằng mức thay đổi điểm gần nhất tính đến năm {last_year}."
    )


def projection_sentence(projection: Projection) -> str:
    if projection.score_needed is None:
        return f"Năm {projection.next_year} (dự báo): mọi mức điểm đều giữ được hạng {projection.target_rank}."
    return (
        f"Năm {projection.next_year} (dự báo): để đạt hạng {projection.target_rank} có thể cần khoảng "
        f"{fmt_number(projection.score_needed)} điểm."
    )
