"""Plotly figures, built by small functions; shared by the pages and the reports.

Every builder takes DataFrames with the columns of docs/analytics-api.md and returns a
go.Figure. Text is Vietnamese, numbers use "," for decimals ("73,79"), the unit in focus is
always HOME and the other units are muted.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from analytics.formatting import fmt_number, fmt_rank, fmt_signed

# Okabe-Ito: safe for the common forms of colour blindness. The home unit is always HOME.
HOME = "#D55E00"
OTHERS = "#A0AAB4"
TARGET = "#0072B2"
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#D55E00"]
# Units compared beside the home unit: Okabe-Ito without HOME and without the yellow, too pale on white.
COMPARE = ["#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000"]
# Bands, best first: green and blues for the good ones, orange and purple for the weak ones.
BAND_COLOURS = ["#009E73", "#56B4E9", "#0072B2", "#E69F00", "#CC79A7", "#000000"]
POSITIVE = "#009E73"
NEGATIVE = "#E69F00"
LOST = "#D9DEE3"
HEAT_SCALE = [[0.0, "#F7FBFF"], [0.5, "#6BAED6"], [1.0, "#08306B"]]
FONT = dict(family="Inter, 'Noto Sans', 'DejaVu Sans', sans-serif", size=14, color="#31333F")
NO_BAND = "Chưa xếp loại"
SHORTEST_BAR_SHARE = 0.3
LABEL_ROOM_SHARE = 0.25
LINE_LABEL_PX = 26


# Titles and axis titles wrap at these widths (characters): at 390 px a chart is about 360 px wide.
TITLE_WIDTH = 36
AXIS_TITLE_WIDTH = 30
TITLE_LINE_PX = 26


def base_layout(fig: go.Figure, title: str | None = None, height: int = 420) -> go.Figure:
    """Fonts, margins and grid shared by every chart; a long title wraps onto more lines and the top margin grows."""
    text = wrap(title, TITLE_WIDTH) if title else None
    height = height + title_px(text) - title_px(title)  # callers size for a one-line title
    # Centred in its band: plotly misplaces a multi-line title anchored at its top.
    band = dict(y=1 - title_px(text) / 2 / height, yref="container", yanchor="middle")
    fig.update_layout(
        title=dict(text=text, **band) if text else None,
        height=height,
        font=FONT,
        margin=dict(l=10, r=10, t=title_px(text) or 20, b=10),
        plot_bgcolor="white",
        separators=",.",
        legend=dict(orientation="h", y=-0.15),
    )
    # Explicit: Streamlit's plotly template, the default once the app has drawn a chart, has no automargin.
    fig.update_xaxes(gridcolor="#E5E8EB", automargin=True)
    fig.update_yaxes(gridcolor="#E5E8EB", automargin=True)
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        if axis.title.text:
            axis.title.text = wrap(axis.title.text, AXIS_TITLE_WIDTH)
    return fig


def title_px(text: str | None) -> int:
    """Height of the band a (wrapped) title needs above the plot; 0 without a title."""
    return 28 + TITLE_LINE_PX * (str(text).count("<br>") + 1) if text else 0


def _title_band(fig: go.Figure) -> int:
    return title_px(fig.layout.title.text)


def legend_on_top(fig: go.Figure) -> go.Figure:
    """Legend in its own band between the title and the plot, so neither covers the other."""
    fig.update_layout(legend=dict(orientation="h", x=0, y=1.0, yanchor="bottom"), margin=dict(t=_title_band(fig) + 45))
    return fig


def wrap(text: str, width: int = 28) -> str:
    """Break a long Vietnamese label into lines plotly understands (<br>); breaks already there are kept."""
    lines = [part for line in str(text).split("<br>") for part in (textwrap.wrap(line, width) or [line])]
    return "<br>".join(lines)


def emphasise(label: str) -> str:
    """A tick label in the home colour, bold: marks the home unit on category axes."""
    return f"<b><span style='color:{HOME}'>{label}</span></b>"


def ranking_bar(
    frame: pd.DataFrame, home_code: str, target_rank: int | None = None, title: str | None = None
) -> go.Figure:
    """Horizontal bars of totals, best on top, the home unit in HOME, a line at the target rank's score."""
    ranked = frame[frame["has_data"]].sort_values(["rank", "unit_code"])
    colours = [HOME if code == home_code else OTHERS for code in ranked["unit_code"]]
    labels = [f"{int(r)}. {n}" for r, n in zip(ranked["rank"], ranked["unit_name"])]
    fig = go.Figure(
        go.Bar(
            x=ranked["total"],
            y=labels,
            orientation="h",
            marker_color=colours,
            text=[fmt_number(v) for v in ranked["total"]],
            # Inside the bar's end: the target line runs below the bars, so it never crosses a label.
            textposition="inside",
            insidetextanchor="end",
            textangle=0,
            textfont=dict(color=[_label_colour(c) for c in colours]),
            hovertemplate="%{y}: %{x:.2f} điểm<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    # The axis starts where the shortest bar still spans SHORTEST_BAR_SHARE of it and so holds its label.
    lowest = float(ranked["total"].min()) if len(ranked) else 0.0
    low = max(0.0, (lowest - SHORTEST_BAR_SHARE * 100) / (1 - SHORTEST_BAR_SHARE))
    fig.update_xaxes(range=[low, 100], title="Điểm")
    target = ranked[ranked["rank"] == target_rank] if target_rank else ranked.iloc[0:0]
    if len(target):
        score = float(target["total"].iloc[0])
        fig.add_vline(
            x=score,
            line_dash="dash",
            line_color=TARGET,
            layer="below",
            annotation_text=f"Hạng {target_rank}: {fmt_number(score)}",
            annotation_position="top",
        )
    fig = base_layout(fig, title, height=max(300, 32 * len(ranked) + 90))
    return _room_for_line_label(fig) if len(target) else fig


def _label_colour(bar_colour: str) -> str:
    """A value label inside a bar: white on the dark home colour, dark on the pale ones."""
    return "white" if bar_colour == HOME else "#1F2933"


# --- over the years -------------------------------------------------------------------------


def _lines_home_last(trend: pd.DataFrame, home_code: str) -> list[tuple[str, pd.DataFrame]]:
    """(unit code, its rows by year) per line, the home unit last so its line is drawn on top. A line is
    one unit version (trend's unit_id): a code the 2025 reform reused for a merged unit starts a new line."""
    key = "unit_id" if "unit_id" in trend.columns else "unit_code"
    lines = [(str(rows["unit_code"].iloc[0]), rows.sort_values("year")) for _, rows in trend.groupby(key, sort=True)]
    return [line for line in lines if line[0] != home_code] + [line for line in lines if line[0] == home_code]


def _year_axis(fig: go.Figure, years: list[int]) -> None:
    pad = 0.3 if len(years) > 1 else 0.6
    fig.update_xaxes(
        tickvals=years,
        ticktext=[str(y) for y in years],
        title="Năm",
        range=[min(years) - pad, max(years) + pad] if years else None,
    )


def _line_style(code: str, home_code: str) -> dict:
    home = code == home_code
    return dict(
        line=dict(color=HOME if home else OTHERS, width=4 if home else 2),
        marker=dict(size=11 if home else 7, color=HOME if home else OTHERS),
        textfont=dict(color=HOME if home else "#5F6B76"),
    )


def _end_labels(rows: pd.DataFrame) -> list[str]:
    """The unit's name beside its last point only."""
    last = len(rows) - 1
    return [name if i == last else "" for i, name in enumerate(rows["unit_name"])]


def bump_chart(trend: pd.DataFrame, home_code: str, title: str | None = None) -> go.Figure:
    """Rank of every unit over the years (1 on top); the home unit thick, in HOME."""
    fig = go.Figure()
    for code, rows in _lines_home_last(trend, home_code):
        custom = [
            [n, fmt_rank(r, o), fmt_number(t)]
            for n, r, o, t in zip(rows["unit_name"], rows["rank"], rows["rank_of"], rows["total"])
        ]
        fig.add_trace(
            go.Scatter(
                x=rows["year"],
                y=rows["rank"],
                mode="lines+markers+text",
                name=rows["unit_name"].iloc[0],
                text=_end_labels(rows),
                textposition="middle right",
                customdata=custom,
                cliponaxis=False,
                hovertemplate="%{customdata[0]}<br>Năm %{x}: hạng %{customdata[1]}, %{customdata[2]} điểm"
                "<extra></extra>",
                **_line_style(code, home_code),
            )
        )
    worst = int(trend["rank_of"].max()) if len(trend) else 1
    fig.update_yaxes(autorange=False, range=[worst + 0.5, 0.5], dtick=1, title="Hạng")
    _year_axis(fig, sorted(int(y) for y in trend["year"].unique()))
    fig = base_layout(fig, title, height=max(360, 34 * worst + 120))
    fig.update_layout(showlegend=False, margin=dict(r=190))
    return fig


def spread(values: list[float], min_gap: float) -> list[float]:
    """Label positions near `values` (same order) at least `min_gap` apart, so labels do not overlap."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    placed = [0.0] * len(values)
    for rank, i in enumerate(order):
        below = placed[order[rank - 1]] + min_gap if rank else float("-inf")
        placed[i] = max(values[i], below)
    shift = (max(placed[i] - values[i] for i in order) / 2) if values else 0.0
    return [p - shift for p in placed]


def totals_chart(trend: pd.DataFrame, home_code: str, title: str | None = None) -> go.Figure:
    """Total points of every unit over the years; the home unit thick, in HOME; names beside the last year."""
    fig = go.Figure()
    last_points = []
    for code, rows in _lines_home_last(trend, home_code):
        custom = [
            [n, fmt_number(t), fmt_rank(r, o)]
            for n, t, r, o in zip(rows["unit_name"], rows["total"], rows["rank"], rows["rank_of"])
        ]
        fig.add_trace(
            go.Scatter(
                x=rows["year"],
                y=rows["total"],
                mode="lines+markers",
                name=rows["unit_name"].iloc[0],
                customdata=custom,
                hovertemplate="%{customdata[0]}<br>Năm %{x}: %{customdata[1]} điểm, hạng "
                "%{customdata[2]}<extra></extra>",
                **_line_style(code, home_code),
            )
        )
        last_points.append(
            (int(rows["year"].iloc[-1]), float(rows["total"].iloc[-1]), rows["unit_name"].iloc[0], code == home_code)
        )
    height = max(440, NAME_LABEL_PX * len(last_points) + 200)
    fig.update_yaxes(title="Tổng điểm", range=_name_labels(fig, last_points, trend["total"].tolist(), height))
    _year_axis(fig, sorted(int(y) for y in trend["year"].unique()))
    fig = base_layout(fig, title, height=height)
    fig.update_layout(showlegend=False, margin=dict(r=190))
    return fig


# A name label's line height; the plot area is taken as the figure less PLOT_FRAME_PX (title, ticks, axis title).
NAME_LABEL_PX = 18
PLOT_FRAME_PX = 140


def _name_labels(fig: go.Figure, points: list[tuple[int, float, str, bool]], totals: list[float], height: int):
    """Unit names right of their last point, at least NAME_LABEL_PX apart; returns the y range that holds them.

    The range is fixed here so that points per pixel are known: the gap in points follows from it."""
    if not points:
        return None
    low, high = min(totals), max(totals)
    span = (high - low) or 1.0
    for _ in range(12):  # the labels may widen the range, which shrinks the pixels per point: settle it
        per_px = span / (height - PLOT_FRAME_PX)
        label_y = spread([p[1] for p in points], NAME_LABEL_PX * per_px)
        bottom = min(low, *label_y) - NAME_LABEL_PX * per_px
        top = max(high, *label_y) + NAME_LABEL_PX * per_px
        span = top - bottom
    for (year, _total, name, home), y in zip(points, label_y):
        fig.add_annotation(
            x=year,
            y=y,
            text=name,
            showarrow=False,
            xanchor="left",
            xshift=10,
            font=dict(color=HOME if home else "#5F6B76", size=13),
        )
    return [bottom, top]


def unit_history(trend: pd.DataFrame, unit_code: str, title: str | None = None) -> go.Figure:
    """One unit's total per year as bars, each labelled with its points and rank; only the years of the
    unit's latest version in the trend (never the unit that had its code before a merger)."""
    rows = trend[trend["unit_code"] == unit_code].sort_values("year")
    if "unit_id" in rows.columns and len(rows):
        rows = rows[rows["unit_id"] == rows["unit_id"].iloc[-1]]
    text = [
        f"{fmt_number(t)} điểm<br>hạng {fmt_rank(r, o)}"
        for t, r, o in zip(rows["total"], rows["rank"], rows["rank_of"])
    ]
    fig = go.Figure(
        go.Bar(
            x=rows["year"],
            y=rows["total"],
            marker_color=HOME,
            text=text,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="Năm %{x}: %{y:.2f} điểm<extra></extra>",
        )
    )
    fig.update_yaxes(range=[0, 110], title="Tổng điểm")
    _year_axis(fig, [int(y) for y in rows["year"]])
    return base_layout(fig, title, height=360)


# --- gaps and fields --------------------------------------------------------------------------


def gap_bars(gaps: pd.DataFrame, value: str = "gap_points", title: str | None = None) -> go.Figure:
    """Diverging bars: below the reference (NEGATIVE, left) or above it (POSITIVE, right), weakest on top.

    Each value is written at the zero line on the side the bar does not take: never over the names at the
    left, never past the axis's end on a narrow screen."""
    rows = gaps.sort_values(value)
    unit = "điểm" if value == "gap_points" else "điểm %"
    labels = [wrap(f"{c}. {n}", 28) for c, n in zip(rows["criterion_code"], rows["criterion_name"])]
    custom = [
        [fmt_number(p), fmt_number(m), fmt_number(r), fmt_number(pc, 1), fmt_number(rp, 1)]
        for p, m, r, pc, rp in zip(
            rows["points"], rows["max_points"], rows["reference_points"], rows["pct"], rows["reference_pct"]
        )
    ]
    fig = go.Figure(
        go.Bar(
            x=rows[value],
            y=labels,
            orientation="h",
            customdata=custom,
            marker_color=[NEGATIVE if v < 0 else POSITIVE for v in rows[value]],
            hovertemplate="%{y}<br>Đạt %{customdata[0]}/%{customdata[1]} điểm (%{customdata[3]}%)"
            "<br>Mốc so sánh: %{customdata[2]} điểm (%{customdata[4]}%)"
            f"<br>Chênh lệch: %{{x:+.2f}} {unit}<extra></extra>",
        )
    )
    _zero_side_labels(fig, rows[value].tolist(), labels)
    fig.add_vline(x=0, line_color="#5F6B76", line_width=1)
    fig.update_yaxes(autorange="reversed")
    span = float(rows[value].abs().max()) if len(rows) else 1.0
    fig.update_xaxes(
        range=[-span * 1.15, span * 1.15], title=f"Chênh lệch<br>({unit})"
    )  # two short lines: centred under a narrow plot
    lines = sum(label.count("<br>") + 1 for label in labels)
    fig = base_layout(fig, title, height=max(300, 20 * lines + 24 * len(labels) + 100))
    fig.update_layout(showlegend=False)
    return fig


VALUE_LABEL_SHIFT_PX = 6


def _zero_side_labels(fig: go.Figure, values: list[float], labels: list[str]) -> None:
    """Signed values beside the zero line, on the side opposite their bar, a few pixels clear of the line."""
    for value, label in zip(values, labels):
        below = value < 0
        fig.add_annotation(
            x=0,
            y=label,
            text=fmt_signed(value),
            showarrow=False,
            xanchor="left" if below else "right",
            xshift=VALUE_LABEL_SHIFT_PX if below else -VALUE_LABEL_SHIFT_PX,
            font=dict(color="#31333F"),
        )


SHORT_PREFIXES = (("Thành phố ", "TP "), ("Thị xã ", "TX "), ("Thị trấn ", "TT "), ("Huyện ", ""), ("Xã ", ""))


def short_name(name: str) -> str:
    """'Huyện Bảo Lâm' -> 'Bảo Lâm', 'Thành phố Cao Bằng' -> 'TP Cao Bằng': for narrow column labels."""
    for prefix, short in SHORT_PREFIXES:
        if name.startswith(prefix):
            return short + name[len(prefix) :]
    return name


def _heat_labels(matrix: pd.DataFrame, home_code: str) -> tuple[list[str], dict[str, str]]:
    """Unit codes best first and their short one-line labels, the home unit emphasised."""
    order = matrix.groupby("unit_code")["points"].sum().sort_values(ascending=False).index.tolist()
    names = dict(zip(matrix["unit_code"], matrix["unit_name"]))
    labels = {c: short_name(names[c]) for c in order}
    return order, {c: emphasise(labels[c]) if c == home_code else labels[c] for c in order}


HEAT_ROW_PX = 34
# The key under the heat map starts at the plot's left edge, after the unit names: the longer the names, the
# narrower the key, so that at 390 px (about 52 characters of 12 px text in all) it still ends inside the chart.
FIELD_KEY_CHARS = 52
FIELD_KEY_LINE_PX = 17


def field_heatmap(matrix: pd.DataFrame, home_code: str, title: str | None = None) -> go.Figure:
    """Units (rows, best on top) × fields (columns, by number), each cell the % of the field's maximum.

    A row per unit and a narrow column per field keep the cells wide enough for their values at 390 px;
    the fields' names are in the hover and in a key under the plot (so the PNG reads on its own)."""
    order, labels = _heat_labels(matrix, home_code)
    fields = matrix.drop_duplicates("field_code").sort_values("field_code", key=_code_key)
    grid = matrix.pivot(index="unit_code", columns="field_code", values="pct").loc[order, fields["field_code"]]
    names = dict(zip(matrix["unit_code"], matrix["unit_name"]))
    field_names = [f"{c}. {n}" for c, n in zip(fields["field_code"], fields["field_name"])]
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[str(c) for c in fields["field_code"]],
            y=[labels[c] for c in order],
            colorscale=HEAT_SCALE,
            zmin=float(matrix["pct"].min()),
            zmax=100,
            texttemplate="%{z:.0f}",
            textfont=dict(size=12),
            xgap=2,
            ygap=2,
            showscale=False,
            customdata=[[[names[c], f] for f in field_names] for c in order],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}<br>%{z:.1f}% điểm tối đa<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(showgrid=False, side="top", type="category", title="Lĩnh vực (% điểm tối đa)")
    longest = max((len(short_name(names[c])) for c in order), default=0)
    key_width = max(16, FIELD_KEY_CHARS - round(1.5 * longest))
    key = "<br>".join(wrap(name, key_width) for name in field_names)
    fig.add_annotation(
        text=key,
        x=0,
        y=0,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="top",
        yshift=-8,
        showarrow=False,
        align="left",
        font=dict(size=12, color="#5F6B76"),
    )
    key_px = FIELD_KEY_LINE_PX * (key.count("<br>") + 1) + 20
    fig = base_layout(fig, title, height=HEAT_ROW_PX * len(order) + key_px + 120)
    fig.update_layout(margin=dict(t=_title_band(fig) + 70 if title else 80, b=key_px))
    return fig


def _code_key(codes: pd.Series) -> pd.Series:
    """Sort criterion codes naturally: 2 < 10, 3.2 < 3.10."""
    return codes.map(lambda c: tuple(int(p) if p.isdigit() else 0 for p in str(c).split(".")))


def field_comparison(
    matrix: pd.DataFrame, unit_codes: list[str], home_code: str, title: str | None = None
) -> go.Figure:
    """Bars side by side, field by field, in % of the field's maximum; one colour per unit, home in HOME.

    Horizontal, so the fields' names stay readable on a phone (upright labels under eight fields overlap)."""
    fig = go.Figure()
    others = iter(COMPARE * 3)
    fields = 0
    for code in unit_codes:
        rows = matrix[matrix["unit_code"] == code].sort_values("field_code", key=_code_key)
        if rows.empty:
            continue
        fields = max(fields, len(rows))
        custom = [[fmt_number(p), fmt_number(m)] for p, m in zip(rows["points"], rows["max_points"])]
        fig.add_trace(
            go.Bar(
                y=[wrap(f"{c}. {n}", 22) for c, n in zip(rows["field_code"], rows["field_name"])],
                x=rows["pct"],
                orientation="h",
                name=rows["unit_name"].iloc[0],
                marker_color=HOME if code == home_code else next(others),
                customdata=custom,
                hovertemplate="%{fullData.name}<br>%{y}<br>%{customdata[0]}/%{customdata[1]} "
                "điểm (%{x:.1f}%)<extra></extra>",
            )
        )
    fig.update_xaxes(range=[0, 105], title="% điểm tối đa")
    fig.update_yaxes(autorange="reversed", ticklabelstandoff=8)
    fig = base_layout(fig, title, height=max(360, fields * (18 * len(fig.data) + 22) + 170))
    legend_on_top(fig)
    fig.update_layout(barmode="group")
    return fig


def office_bars(summary: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Per office: points lost (pale) and the part reachable at the best peer's level (green)."""
    rows = summary.sort_values("reachable_points", ascending=False)
    labels = [wrap(n, 30) for n in rows["office_name"]]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=rows["lost_points"],
            y=labels,
            orientation="h",
            name="Điểm bị mất",
            marker_color=LOST,
            hovertemplate="%{y}<br>Bị mất %{x:.2f} điểm<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            x=rows["reachable_points"],
            y=labels,
            orientation="h",
            name="Có thể lấy lại",
            marker_color=POSITIVE,
            text=[fmt_number(v) for v in rows["reachable_points"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}<br>Có thể lấy lại %{x:.2f} điểm<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    # Room right of the longest green bar for its label: it is written outside the bar.
    longest = max([*rows["lost_points"], *(v / (1 - LABEL_ROOM_SHARE) for v in rows["reachable_points"]), 1.0])
    fig.update_xaxes(title="Điểm", range=[0, longest])
    fig = base_layout(fig, title, height=max(220, 56 * len(rows) + 110))
    legend_on_top(fig)
    fig.update_layout(barmode="overlay")
    return fig


# --- communes ---------------------------------------------------------------------------------


def band_colour_map(band_names: list[str]) -> dict[str, str]:
    """Band name -> colour, best band first; 'no band' is muted."""
    colours = {name: BAND_COLOURS[i % len(BAND_COLOURS)] for i, name in enumerate(band_names)}
    return {**colours, NO_BAND: OTHERS}


def commune_bars(
    table: pd.DataFrame, band_names: list[str], selected_code: str | None = None, title: str | None = None
) -> go.Figure:
    """Commune totals, best on top, coloured by band; the selected commune outlined in HOME."""
    rows = table[table["total"].notna()].sort_values(["rank", "unit_code"])
    colours = band_colour_map(band_names)
    bands = rows["band"].fillna(NO_BAND)
    labels = [emphasise(n) if c == selected_code else n for c, n in zip(rows["unit_code"], rows["unit_name"])]
    fig = go.Figure()
    for band in [b for b in [*band_names, NO_BAND] if (bands == b).any()]:
        part = rows[bands == band]
        fig.add_trace(
            go.Bar(
                x=part["total"],
                y=[labels[i] for i, keep in enumerate(bands == band) if keep],
                orientation="h",
                name=band,
                marker=dict(color=colours[band], line=_outline(part["unit_code"], selected_code)),
                text=[fmt_number(v) for v in part["total"]],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y}: %{x:.2f} điểm<br>" + band + "<extra></extra>",
            )
        )
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed")
    fig.update_xaxes(range=[0, 100], title="Tổng điểm")
    fig = base_layout(fig, title, height=max(320, 30 * len(rows) + 110))
    legend_on_top(fig)
    fig.update_layout(barmode="overlay")
    return fig


def _outline(codes: pd.Series, selected_code: str | None) -> dict:
    return dict(
        color=[HOME if c == selected_code else "rgba(0,0,0,0)" for c in codes],
        width=[3 if c == selected_code else 0 for c in codes],
    )


def _sankey_nodes(transitions: pd.DataFrame, band_names: list[str], year_from: int, year_to: int):
    """Left nodes (bands of year_from) then right nodes (year_to), best band on top on both sides."""
    order = [*band_names, NO_BAND]
    sides = []
    for column, year, x in (("band_from", year_from, 0.01), ("band_to", year_to, 0.99)):
        counts = transitions.groupby(transitions[column].fillna(NO_BAND))["count"].sum()
        present = [b for b in order if b in counts.index]
        sides.append(
            [
                (column, b, f"{b} ({year}): {int(counts[b])}", x, y)
                for b, y in zip(present, _stacked_centres([int(counts[b]) for b in present]))
            ]
        )
    return sides


def _stacked_centres(counts: list[int], gap: float = 0.06) -> list[float]:
    """Vertical centres (0 = top) of nodes stacked in order, each as tall as its count."""
    usable = 1 - gap * (len(counts) - 1)
    total = sum(counts) or 1
    centres, top = [], 0.0
    for count in counts:
        height = usable * count / total
        centres.append(min(max(top + height / 2, 0.001), 0.999))
        top += height + gap
    return centres


def band_sankey(
    transitions: pd.DataFrame, band_names: list[str], year_from: int, year_to: int, title: str | None = None
) -> go.Figure:
    """Flows of communes between bands from year_from to year_to; a link's hover lists the communes."""
    left, right = _sankey_nodes(transitions, band_names, year_from, year_to)
    nodes = left + right
    index = {(col, band): i for i, (col, band, *_) in enumerate(nodes)}
    colours = band_colour_map(band_names)
    src = [index[("band_from", b if isinstance(b, str) else NO_BAND)] for b in transitions["band_from"]]
    dst = [index[("band_to", b if isinstance(b, str) else NO_BAND)] for b in transitions["band_to"]]
    names = ["<br>".join(n) for n in transitions["unit_names"]]
    fig = go.Figure(
        go.Sankey(
            arrangement="fixed",
            textfont=dict(color="#1F2933", size=14),
            node=dict(
                label=[n[2] for n in nodes],
                color=[colours[n[1]] for n in nodes],
                pad=18,
                thickness=18,
                x=[n[3] for n in nodes],
                y=[n[4] for n in nodes],
                hovertemplate="%{label}<extra></extra>",
            ),
            link=dict(
                source=src,
                target=dst,
                value=transitions["count"].tolist(),
                customdata=names,
                color=[_translucent(colours[n[1]]) for n in (nodes[s] for s in src)],
                hovertemplate="%{source.label} → %{target.label}<br>%{value:d} xã:<br>%{customdata}<extra></extra>",
            ),
        )
    )
    return base_layout(fig, title, height=420)


def _translucent(hex_colour: str, alpha: float = 0.45) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def commune_profile_chart(profile: pd.DataFrame, unit_name: str, title: str | None = None) -> go.Figure:
    """A commune's fields in % of maximum (HOME bars) against the mean of its sibling communes (markers).

    Horizontal, as field_comparison: the fields' full names stay readable on a phone."""
    rows = profile.sort_values("field_code", key=_code_key)
    labels = [wrap(f"{c}. {n}", 22) for c, n in zip(rows["field_code"], rows["field_name"])]
    custom = [[fmt_number(p), fmt_number(m)] for p, m in zip(rows["points"], rows["max_points"])]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=labels,
            x=rows["pct"],
            orientation="h",
            name=unit_name,
            marker_color=HOME,
            customdata=custom,
            hovertemplate="%{y}<br>%{customdata[0]}/%{customdata[1]} điểm (%{x:.1f}%)<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            y=labels,
            x=rows["mean_pct"],
            name="Trung bình các xã",
            mode="markers",
            marker=dict(symbol="line-ns", size=26, line=dict(width=4, color="#1F2933")),
            hovertemplate="%{y}<br>Trung bình các xã: %{x:.1f}%<extra></extra>",
        )
    )
    fig.update_xaxes(range=[0, 105], title="% điểm tối đa")
    fig.update_yaxes(autorange="reversed", ticklabelstandoff=8)
    lines = sum(label.count("<br>") + 1 for label in labels)
    fig = base_layout(fig, title, height=max(360, 18 * lines + 22 * len(labels) + 170))
    legend_on_top(fig)
    return fig


# --- the plan -------------------------------------------------------------------------------


def _plan_rows(steps: pd.DataFrame, max_steps: int) -> pd.DataFrame:
    """The largest gains first; the rest folded into one 'other criteria' step."""
    rows = steps.sort_values("gain", ascending=False)
    if len(rows) <= max_steps:
        return rows
    rest = rows.iloc[max_steps - 1 :]
    other = pd.DataFrame(
        {"criterion_code": [""], "criterion_name": [f"{len(rest)} tiêu chí khác"], "gain": [float(rest["gain"].sum())]}
    )
    return pd.concat([rows.iloc[: max_steps - 1], other], ignore_index=True)


def plan_waterfall(
    steps: pd.DataFrame,
    current_total: float,
    target_total: float | None,
    target_rank: int | None = None,
    max_steps: int = 8,
    title: str | None = None,
) -> go.Figure:
    """From today's total, step by step (criteria of the plan), to the total after the plan;
    a dashed line at the score of the unit holding the target rank."""
    rows = _plan_rows(steps, max_steps)
    steps_text = [f"{c}. {n}" if c else n for c, n in zip(rows["criterion_code"], rows["criterion_name"])]
    labels = ["Hiện tại", *[wrap(t, 24) for t in steps_text], "Sau kế hoạch"]
    gains = rows["gain"].astype(float).tolist()
    final = current_total + sum(gains)
    text = [fmt_number(current_total), *[fmt_signed(g) for g in gains], fmt_number(final)]
    fig = go.Figure(
        go.Waterfall(
            orientation="h",
            y=labels,
            x=[current_total, *gains, 0.0],
            measure=["absolute", *["relative"] * len(gains), "total"],
            text=text,
            # The totals' labels inside their long bars; a step's label by _step_labels, clear of the line.
            textposition=["inside", *["none"] * len(gains), "inside"],
            insidetextanchor="end",
            textangle=0,
            insidetextfont=dict(color="white"),
            connector=dict(line=dict(color="#9AA5B1", width=1)),
            increasing=dict(marker=dict(color=POSITIVE)),
            totals=dict(marker=dict(color=HOME)),
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    _waterfall_axis(fig, current_total, final, target_total, target_rank)
    _step_labels(fig, gains, labels[1:-1], current_total, target_total)
    fig.update_yaxes(autorange="reversed")
    fig = base_layout(fig, title, height=max(320, 46 * len(labels) + 110))
    fig.update_layout(showlegend=False)
    return _room_for_line_label(fig) if target_total is not None else fig


def _room_for_line_label(fig: go.Figure) -> go.Figure:
    """A band under the title for the label at the top of a vertical line, so the two never overlap."""
    fig.update_layout(margin=dict(t=(_title_band(fig) or 10) + LINE_LABEL_PX))
    return fig


def _step_labels(fig: go.Figure, gains: list[float], labels: list[str], start: float, target: float | None) -> None:
    """Each step's gain right of its bar's end, or right of the target line when the bar ends before it:
    a label never straddles the line."""
    end = start
    for gain, label in zip(gains, labels):
        end += gain
        fig.add_annotation(
            x=max(end, target) if target is not None else end,
            y=label,
            text=fmt_signed(gain),
            showarrow=False,
            xanchor="left",
            xshift=VALUE_LABEL_SHIFT_PX,
            font=dict(color="#31333F"),
        )


def _waterfall_axis(fig: go.Figure, start: float, final: float, target: float | None, rank: int | None) -> None:
    top = max(final, target or final)
    low = max(0.0, float(int(start - 8)))
    fig.update_xaxes(range=[low, max(min(100.0, top + 6), top + 1)], title=f"Điểm (trục từ {fmt_number(low, 0)})")
    if target is not None:
        label = f"Điểm hạng {rank}: {fmt_number(target)}" if rank else f"Mục tiêu: {fmt_number(target)}"
        fig.add_vline(
            x=target,
            line_dash="dash",
            line_color=TARGET,
            annotation_text=label,
            layer="below",
            annotation_position="top",
            annotation_xanchor="right",
            annotation_font_color=TARGET,
        )
