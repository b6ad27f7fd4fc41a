"""The tables the pages show: numbers kept numeric (so sorting and copying work on numbers), written the
Vietnamese way (73,79; −7,21; 9/10) only for display, through a pandas Styler that st.dataframe honours.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from analytics.formatting import MISSING, fmt_number, fmt_pct, fmt_rank, fmt_signed, rank_change_words

HOME_ROW = "background-color: #FBE3D6; font-weight: 600"


def show(
    table: pd.DataFrame,
    key: str,
    formats: dict[str, Callable],
    highlight: tuple[str, object] | None = None,
    widths: dict[str, str] | None = None,
) -> None:
    """A table with Vietnamese display formats; `highlight` = (column, value) tints the unit in focus."""
    style = table.style.format(formats, na_rep=MISSING)
    if highlight:
        column, value = highlight
        style = style.apply(lambda r: [HOME_ROW if r[column] == value else ""] * len(r), axis=1)
    config = {name: st.column_config.Column(width=width) for name, width in (widths or {}).items()}
    st.dataframe(style, hide_index=True, key=key, column_config=config, placeholder=MISSING)


def _rank_of(rank_of: int) -> Callable:
    return lambda rank: fmt_rank(rank, rank_of)


def _yes_no(value) -> str:
    return "–" if pd.isna(value) else ("Có" if value > 0 else "Không")


# --- Xếp hạng ----------------------------------------------------------------------------------


def ranking_changes(ranking: pd.DataFrame) -> pd.DataFrame:
    """The ranking of the year with last year's rank and the changes; only units with data."""
    shown = ranking[ranking.has_data]
    return pd.DataFrame(
        {
            "Hạng": shown["rank"].astype("Int64"),
            "Đơn vị": shown.unit_name,
            "Tổng điểm": shown.total,
            "Thay đổi điểm": shown.delta_total,
            "Hạng năm trước": shown.rank_previous.astype("Int64"),
            "Thay đổi thứ hạng": shown.delta_rank.astype("Int64"),
            "Xếp loại": shown.band,
        }
    ).reset_index(drop=True)


def ranking_formats(rank_of: int) -> dict[str, Callable]:
    return {
        "Hạng": _rank_of(rank_of),
        "Tổng điểm": fmt_number,
        "Thay đổi điểm": fmt_signed,
        "Hạng năm trước": _rank_of(rank_of),
        "Thay đổi thứ hạng": rank_change_words,
    }


# --- Cấp xã ------------------------------------------------------------------------------------


def commune_rows(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Hạng": table["rank"].astype("Int64"),
            "Xã, thị trấn": table.unit_name,
            "Tổng điểm": table.total,
            "Thay đổi điểm": table.delta_total,
            "Xếp loại": table.band,
            "Năm trước": table.band_previous,
        }
    ).reset_index(drop=True)


def commune_formats(rank_of: int) -> dict[str, Callable]:
    return {"Hạng": _rank_of(rank_of), "Tổng điểm": fmt_number, "Thay đổi điểm": fmt_signed}


def indicator_flags(indicators: pd.DataFrame) -> pd.DataFrame:
    """Communes × yes/no indicators, as 1/0 (shown Có/Không)."""
    flags = indicators.pivot_table(index="unit_name", columns="indicator_name", values="value", aggfunc="first")
    return flags.rename_axis(index="Xã, thị trấn", columns=None).reset_index()


def indicator_formats(flags: pd.DataFrame) -> dict[str, Callable]:
    return {column: _yes_no for column in flags.columns[1:]}


# --- Tiêu chí ----------------------------------------------------------------------------------


def office_detail(detail: pd.DataFrame) -> pd.DataFrame:
    """The criteria behind each office's lost and recoverable points."""
    return pd.DataFrame(
        {
            "Cơ quan": detail.office_name,
            "Tiêu chí": detail.criterion_code + ". " + detail.criterion_name,
            "Điểm đạt": detail.points,
            "Điểm tối đa": detail.max_points,
            "Đơn vị tốt nhất (%)": detail.best_peer_pct,
            "Bị mất": detail.lost_points,
            "Có thể lấy lại": detail.reachable_points,
        }
    ).reset_index(drop=True)


OFFICE_DETAIL_FORMATS = {
    "Điểm đạt": fmt_number,
    "Điểm tối đa": fmt_number,
    "Đơn vị tốt nhất (%)": fmt_pct,
    "Bị mất": fmt_number,
    "Có thể lấy lại": fmt_number,
}


# --- Kế hoạch ----------------------------------------------------------------------------------


def plan_steps(steps) -> pd.DataFrame:
    """The plan's steps (dataclasses) as a frame, in priority order."""
    return pd.DataFrame(
        [vars(s) for s in steps],
        columns=[
            "criterion_code",
            "criterion_name",
            "owner_office",
            "owner_office_name",
            "from_points",
            "to_points",
            "gain",
        ],
    )


def plan_table(steps: pd.DataFrame, start: float) -> pd.DataFrame:
    """What a person reads of the plan; the numbers first so that a phone shows them beside the criterion."""
    return pd.DataFrame(
        {
            "Tiêu chí": steps.criterion_code + ". " + steps.criterion_name,
            "Tăng thêm": steps.gain,
            "Tổng điểm lũy kế": start + steps.gain.cumsum(),
            "Điểm hiện tại": steps.from_points,
            "Điểm cần đạt": steps.to_points,
            "Cơ quan phụ trách": steps.owner_office_name,
        }
    )


PLAN_FORMATS = {
    "Tăng thêm": fmt_signed,
    "Tổng điểm lũy kế": fmt_number,
    "Điểm hiện tại": fmt_number,
    "Điểm cần đạt": fmt_number,
}


def indicator_text(value: float, unit: str) -> str:
    """An operational figure as the notice writes it: 97%, 12, Có/Không."""
    if unit == "pct":
        return fmt_pct(value, 0)
    if unit == "bool":
        return _yes_no(value)
    return fmt_number(value, 0)
