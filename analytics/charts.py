"""Plotly figures, built by small functions; shared by the pages and the reports."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.formatting import fmt_number

# Okabe-Ito: safe for the common forms of colour blindness. The home unit is always HOME.
HOME = "#D55E00"
OTHERS = "#A0AAB4"
TARGET = "#0072B2"
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#D55E00"]
FONT = dict(family="Inter, 'Noto Sans', 'DejaVu Sans', sans-serif", size=13)


def base_layout(fig: go.Figure, title: str | None = None, height: int = 420) -> go.Figure:
    fig.update_layout(title=title, height=height, font=FONT, margin=dict(l=10, r=10, t=50 if title else 20, b=10),
                      plot_bgcolor="white", separators=",.", legend=dict(orientation="h", y=-0.15))
    fig.update_xaxes(gridcolor="#E5E8EB")
    fig.update_yaxes(gridcolor="#E5E8EB")
    return fig


def ranking_bar(frame: pd.DataFrame, home_code: str, target_rank: int | None = None,
                title: str | None = None) -> go.Figure:
    """Horizontal bars of totals, best on top, the home unit in HOME, a line at the target rank's score."""
    ranked = frame[frame["has_data"]].sort_values(["rank", "unit_code"])
    colours = [HOME if code == home_code else OTHERS for code in ranked["unit_code"]]
    labels = [f"{int(r)}. {n}" for r, n in zip(ranked["rank"], ranked["unit_name"])]
    fig = go.Figure(go.Bar(
        x=ranked["total"], y=labels, orientation="h", marker_color=colours,
        text=[fmt_number(v) for v in ranked["total"]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:.2f} điểm<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    low = max(0.0, float(ranked["total"].min()) - 10) if len(ranked) else 0.0
    fig.update_xaxes(range=[low, 100], title="Điểm")
    target = ranked[ranked["rank"] == target_rank] if target_rank else ranked.iloc[0:0]
    if len(target):
        score = float(target["total"].iloc[0])
        fig.add_vline(x=score, line_dash="dash", line_color=TARGET,
                      annotation_text=f"Hạng {target_rank}: {fmt_number(score)}", annotation_position="top")
    return base_layout(fig, title, height=max(320, 38 * len(ranked) + 80))
