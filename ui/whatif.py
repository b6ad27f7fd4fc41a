"""The what-if sliders of the plan page: one per field, in field order, each kept in the URL."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.formatting import fmt_number
from ui.url import bound

SLIDER_STEP = 0.25


def slider_options(points: float, maximum: float) -> list[float]:
    """A grid of SLIDER_STEP points from 0 to the maximum, plus the current points."""
    grid = {round(i * SLIDER_STEP, 2) for i in range(int(maximum / SLIDER_STEP) + 1)}
    return sorted(grid | {round(points, 2), round(maximum, 2)})


def field_sliders(fields: pd.DataFrame) -> dict[str, float]:
    """A slider per field, two to a row (so a phone stacks them 1, 2, 3 … in order); the changes chosen."""
    ordered = list(fields.sort_values("criterion_code").itertuples())
    changes = {}
    for start in range(0, len(ordered), 2):
        for column, field in zip(st.columns(2, gap="large"), ordered[start : start + 2]):
            with column:
                delta = _field_slider(field)
            if delta:
                changes[field.criterion_code] = delta
    return changes


def _field_slider(field) -> float:
    current = round(float(field.points), 2)
    options = slider_options(current, float(field.max_points))
    chosen = bound(
        st.select_slider,
        f"whatif_{field.criterion_code}",
        options,
        current,
        f"{field.criterion_code}. {field.criterion_name} (tối đa {fmt_number(field.max_points)})",
        options,
        parse=float,
        omit_default=True,
        format_func=fmt_number,
    )
    return round(chosen - current, 2)
