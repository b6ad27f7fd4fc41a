"""The main charts of a brief: ranking, fields against the reference, recoverable points by office."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.charts import HOME, OTHERS, TARGET, base_layout, ranking_bar
from analytics.formatting import fmt_number


def field_gap_chart(fields: pd.DataFrame, unit_label: str, reference_label: str, title: str | None = None) -> go.Figure:
    """Each field's % of maximum for the unit beside the reference, fields in tree order."""
    ordered = fields.sort_values("criterion_code", key=lambda s: s.map(_code_key))
    labels = [f"{c}. {n}" for c, n in zip(ordered["criterion_code"], ordered["criterion_name"])]
    fig = go.Figure(
        [
            go.Bar(
                name=unit_label,
                y=labels,
                x=ordered["pct"],
                orientation="h",
                marker_color=HOME,
                text=[fmt_number(v, 1) for v in ordered["pct"]],
                textposition="outside",
                cliponaxis=False,
            ),
            go.Bar(
                name=reference_label,
                y=labels,
                x=ordered["reference_pct"],
                orientation="h",
                marker_color=OTHERS,
                text=[fmt_number(v, 1) for v in ordered["reference_pct"]],
                textposition="outside",
                cliponaxis=False,
            ),
        ]
    )
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(range=[0, 110], title="% điểm tối đa")
    return base_layout(fig, title, height=max(360, 56 * len(ordered) + 120))


def office_chart(offices: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Points each office could win back (reachable, up to the best peer) beside all it lost."""
    ordered = offices.sort_values("reachable_points", ascending=False)
    fig = go.Figure(
        [
            go.Bar(
                name="Có thể lấy lại (theo đơn vị tốt nhất)",
                y=ordered["office_name"],
                x=ordered["reachable_points"],
                orientation="h",
                marker_color=TARGET,
                text=[fmt_number(v) for v in ordered["reachable_points"]],
                textposition="outside",
                cliponaxis=False,
            ),
            go.Bar(
                name="Điểm bị mất so với tối đa",
                y=ordered["office_name"],
                x=ordered["lost_points"],
                orientation="h",
                marker_color=OTHERS,
                text=[fmt_number(v) for v in ordered["lost_points"]],
                textposition="outside",
                cliponaxis=False,
            ),
        ]
    )
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed", automargin=True)
    widest = float(max(ordered["lost_points"].max(), ordered["reachable_points"].max(), 1.0)) if len(ordered) else 1.0
    fig.update_xaxes(title="Điểm", range=[0, widest * 1.15])  # room for the labels outside the bars
    return base_layout(fig, title, height=max(340, 60 * len(ordered) + 120))


def _code_key(code: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in str(code).split("."))


def brief_figures(data) -> list[tuple[str, str, go.Figure]]:
    """(key, caption, figure) of the main charts of a ReportData, in the order the brief shows them."""
    level_words = "cấp huyện" if data.unit.level == "district" else "cấp xã"
    target_rank = data.target.target_rank if data.target else None
    charts = [
        (
            "ranking",
            f"Xếp hạng chỉ số CCHC {level_words} năm {data.year}",
            ranking_bar(data.ranking, data.unit.code, target_rank=target_rank),
        )
    ]
    if len(data.fields):
        charts.append(
            (
                "fields",
                f"Tỷ lệ điểm đạt theo lĩnh vực năm {data.year} so với bình quân",
                field_gap_chart(data.fields, data.unit.name, "Bình quân các đơn vị cùng cấp"),
            )
        )
    if len(data.offices):
        charts.append(
            ("offices", f"Điểm có thể lấy lại theo cơ quan chủ trì năm {data.year}", office_chart(data.offices))
        )
    return charts
