"""Where a unit loses points: each field and criterion against a chosen reference."""

from __future__ import annotations

import re
from math import isnan, nan
from statistics import fmean
from typing import NamedTuple

import duckdb
import numpy as np
import pandas as pd

from analytics.criteria import TreeNode
from analytics.errors import CchcError
from analytics.nodes import ScopeNodes, scope_nodes, unit_nodes
from analytics.rankings import holder_of_rank, unit_names
from analytics.scope import Unit, get_unit
from analytics.targets import check_rank, resolve_target_rank

REFERENCES = ("province-mean", "best", "target", "threshold:NN")

FIELD_MATRIX_COLUMNS = ["unit_code", "unit_name", "field_code", "field_name", "points", "max_points", "pct", "is_demo"]
FIELD_MATRIX_TYPES = {
    "unit_code": "str",
    "unit_name": "str",
    "field_code": "str",
    "field_name": "str",
    "points": float,
    "max_points": float,
    "pct": float,
    "is_demo": bool,
}

GAP_COLUMNS = [
    "criterion_code",
    "criterion_name",
    "depth",
    "parent_code",
    "field_code",
    "max_points",
    "points",
    "pct",
    "reference_points",
    "reference_pct",
    "gap_points",
    "gap_pct",
    "owner_office",
    "owner_office_name",
]
GAP_TYPES = {
    "criterion_code": "str",
    "criterion_name": "str",
    "depth": "int64",
    "parent_code": "str",
    "field_code": "str",
    "owner_office": "str",
    "owner_office_name": "str",
    **{column: float for column in GAP_COLUMNS[5:12]},
}


def parse_reference(reference: str) -> tuple[str, float | None]:
    """('province-mean'|'best'|'target'|'threshold', NN or None); CchcError on anything else."""
    text = str(reference).strip().lower()
    if text in ("province-mean", "best", "target"):
        return text, None
    match = re.fullmatch(r"threshold:(\d+(?:[.,]\d+)?)", text)
    if match and 0 <= float(match.group(1).replace(",", ".")) <= 100:
        return "threshold", float(match.group(1).replace(",", "."))
    raise CchcError(
        f"Mốc so sánh không hợp lệ: '{reference}'. Dùng province-mean, best, target "
        "hoặc threshold:NN (NN từ 0 đến 100)."
    )


def pct_of(points, max_points):
    """Points as % of the maximum (6 decimals, dropping binary noise); NaN where the maximum is 0."""
    return (points / pd.Series(max_points).replace(0, np.nan).to_numpy() * 100).round(6)


class NodeStats(NamedTuple):
    points: float  # the unit's
    mean_points: float  # over every unit of the scope with the node, the unit itself included
    best_points: float | None  # the best other unit's
    target_points: float | None  # the target unit's
    any_demo: bool


def node_stats(nodes: ScopeNodes, unit_code: str, target_unit: str | None = None) -> dict[str, NodeStats]:
    """NodeStats of every node the unit has points for, by criterion code."""
    by_node: dict[str, list[tuple[str, float, bool]]] = {}
    for (unit, node), (value, demo) in nodes.values.items():
        by_node.setdefault(node, []).append((unit, value, demo))
    stats = {}
    for node, entries in by_node.items():
        found = {unit: value for unit, value, _ in entries}
        if unit_code in found:
            others = [value for unit, value in found.items() if unit != unit_code]
            stats[node] = NodeStats(
                found[unit_code],
                round(fmean(found.values()), 6),
                max(others, default=None),
                found.get(target_unit) if target_unit else None,
                any(demo for _, _, demo in entries),
            )
    return stats


def gaps(
    con: duckdb.DuckDBPyConnection,
    year: int,
    unit_code: str,
    reference: str = "province-mean",
    depth: int | None = None,
    target_rank: int | None = None,
) -> pd.DataFrame:
    """Every field and criterion the unit has points for (depth >= 1, or only `depth`), weakest first.

    gap = unit − reference, so a negative gap is a shortfall. `best` is, per node, the highest
    points any other unit of the same level and parent got; `target` the unit holding the
    target rank among the others; `threshold:NN` NN % of each node's maximum.
    Worked out in Python over the scope's few hundred rows (see analytics/nodes.py).
    """
    kind, threshold = parse_reference(reference)
    unit = get_unit(con, unit_code, year)
    nodes = unit_nodes(con, year, unit)
    target = _target_unit(con, year, unit, target_rank, nodes.totals()) if kind == "target" else None
    stats = node_stats(nodes, unit.code, target)
    rows = [
        _gap_row(node, stats[node.criterion_code], kind, threshold)
        for node in nodes.criteria.nodes
        if node.criterion_code in stats and (node.depth == depth if depth is not None else node.depth >= 1)
    ]
    rows.sort(key=_weakest_first)  # stable: ties stay in the tree's order
    result = _typed(pd.DataFrame(rows, columns=GAP_COLUMNS), GAP_TYPES)
    result.attrs.update(
        is_demo=nodes.criteria.is_demo or any(s.any_demo for s in stats.values()),
        reference=kind,
        target_unit_code=target,
    )
    return result


def _gap_row(node: TreeNode, stat: NodeStats, kind: str, threshold: float | None) -> tuple:
    """One GAP_COLUMNS row; numbers rounded to 6 decimals to drop binary noise, NaN where missing."""
    reference = _reference_points(node, stat, kind, threshold)
    pct, reference_pct = _pct(stat.points, node.max_points), _pct(reference, node.max_points)
    return (
        node.criterion_code,
        node.criterion_name,
        node.depth,
        node.parent_code,
        node.field_code,
        node.max_points,
        stat.points,
        pct,
        reference,
        reference_pct,
        _difference(stat.points, reference),
        _difference(pct, reference_pct),
        node.office_code,
        node.office_name,
    )


def _reference_points(node: TreeNode, stat: NodeStats, kind: str, threshold: float | None) -> float:
    if kind == "threshold" and threshold is not None:
        return node.max_points * threshold / 100
    found = {"province-mean": stat.mean_points, "best": stat.best_points, "target": stat.target_points}[kind]
    return nan if found is None else found


def _pct(points: float, max_points: float) -> float:
    return round(points / max_points * 100, 6) if max_points else nan


def _difference(value: float, reference: float) -> float:
    return round(value - reference, 6)  # NaN stays NaN


def _weakest_first(row: tuple) -> tuple:
    """Sort key: gap_pct, then gap_points, lowest first, missing ones last."""
    return (*_missing_last(row[11]), *_missing_last(row[10]))


def _missing_last(value: float) -> tuple[bool, float]:
    return (True, 0.0) if isnan(value) else (False, value)


def _target_unit(con, year: int, unit: Unit, target_rank: int | None, totals: pd.DataFrame) -> str | None:
    """The other unit holding the target rank (as targets.target_gap finds it), from the totals."""
    rank = resolve_target_rank(con, year, unit.code, target_rank)
    others = totals[totals.unit_code != unit.code]
    check_rank(rank, len(others) + 1)
    holder = holder_of_rank(others, rank)
    return None if holder is None else holder.unit_code


def weak_fields(
    con: duckdb.DuckDBPyConnection, year: int, unit_code: str, reference: str = "province-mean"
) -> pd.DataFrame:
    """Every field below the reference (in % of maximum), weakest first: never a fixed number of them."""
    fields = gaps(con, year, unit_code, reference, depth=1)
    return fields[fields.gap_pct < 0].reset_index(drop=True)


def field_matrix(con: duckdb.DuckDBPyConnection, year: int, level: str, parent: str | None) -> pd.DataFrame:
    """FIELD_MATRIX_COLUMNS: units × fields (the children of the root), by unit code then field order."""
    nodes = scope_nodes(con, year, level, parent)
    fields = {node.criterion_code: node for node in nodes.criteria.nodes if node.depth == 1}
    cells = sorted(
        ((unit, fields[code], value, demo) for (unit, code), (value, demo) in nodes.values.items() if code in fields),
        key=lambda cell: (cell[0], cell[1].sort_order),
    )
    names = unit_names(con, sorted({cell[0] for cell in cells}), year)
    name_of = dict(zip(names.unit_code, names.unit_name))
    frame = pd.DataFrame(
        [
            (unit, name_of.get(unit), field.criterion_code, field.criterion_name, value, field.max_points, demo)
            for unit, field, value, demo in cells
        ],
        columns=[c for c in FIELD_MATRIX_COLUMNS if c != "pct"],
    )
    frame.insert(6, "pct", pct_of(frame.points.astype(float), frame.max_points.astype(float)))
    return _typed(frame, FIELD_MATRIX_TYPES)


def _typed(frame: pd.DataFrame, types: dict) -> pd.DataFrame:
    """An empty frame with the column types a filled one gets (pandas infers object from no rows)."""
    return frame.astype(types) if frame.empty else frame
