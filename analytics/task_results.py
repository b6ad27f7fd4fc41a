"""Did the tasks move the score? Follow-through per task and criterion, a scorecard per office,
and the progress of the current plan for the overview.

A task serving year Y is judged by Y's results against the latest earlier year with results
(the year its plan was made from). Criteria are compared in % of their maximum, since the
criteria set (and a maximum) may change between the two years. When one of the two years has
no points at the criterion's depth (a results file with field totals only, as the 2021 sample),
the criterion is measured at its nearest ancestor both years have, and the row says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics.errors import CchcError, NotFoundError
from analytics.nodes import unit_nodes
from analytics.rankings import previous_year
from analytics.scope import get_unit
from analytics.targets import target_gap
from analytics.tasks import list_tasks, task_criteria

VERDICTS = {"improved": "Cải thiện", "unchanged": "Không đổi", "worse": "Giảm", "pending": "Chưa có kết quả"}
PCT_TOLERANCE = 0.005  # percentage points: below half a hundredth, a change is rounding noise
FOLLOW_COLUMNS = [
    "task_id",
    "title",
    "office_code",
    "office_name",
    "state",
    "criterion_code",
    "measured_code",
    "planned_gain",
    "before_year",
    "before_points",
    "before_max",
    "before_pct",
    "after_year",
    "after_points",
    "after_max",
    "after_pct",
    "change_points",
    "change_pct",
    "verdict",
    "verdict_label",
]
SCORECARD_COLUMNS = [
    "office_code",
    "office_name",
    "tasks",
    "done",
    "done_on_time",
    "overdue",
    "criteria_targeted",
    "criteria_improved",
    "criteria_worse",
    "points_planned",
    "points_gained",
]


@dataclass(frozen=True)
class Measure:
    """The points and maximum of every node a unit has data for in one year."""

    year: int
    values: dict[str, tuple[float, float]]  # node -> (points, max_points)
    parent_of: dict[str, str | None]


@dataclass(frozen=True)
class PlanProgress:
    """The tasks serving `year_served` for a unit: how many are done, late or on track, and the points
    they plan to add against the points the unit still needs for its target rank."""

    unit_code: str
    year_served: int
    total: int
    done: int
    late: int
    on_track: int
    points_planned: float
    points_planned_done: float
    points_needed: float | None
    target_rank: int | None
    rank_of: int | None
    is_demo: bool


def verdict(before_pct: float | None, after_pct: float | None) -> str:
    if before_pct is None or after_pct is None or pd.isna(before_pct) or pd.isna(after_pct):
        return "pending"
    change = after_pct - before_pct
    return "improved" if change > PCT_TOLERANCE else "worse" if change < -PCT_TOLERANCE else "unchanged"


def measure(con, unit_code: str, year: int | None) -> Measure | None:
    """The unit's node values that year; None when it has none (or no year is given)."""
    if year is None:
        return None
    unit = get_unit(con, unit_code, year)
    try:
        nodes = unit_nodes(con, year, unit)
    except NotFoundError:
        return None
    maxima = {n.criterion_code: n.max_points for n in nodes.criteria.nodes}
    values = {node: (value, maxima[node]) for (owner, node), (value, _) in nodes.values.items() if owner == unit.code}
    return Measure(year, values, nodes.criteria.parent_of)


def measured_node(code: str, before: Measure | None, after: Measure | None) -> str | None:
    """The criterion itself, or its nearest ancestor, that both years have points for."""
    if before is None or after is None:
        return None
    node: str | None = code
    while node is not None:
        if node in before.values and node in after.values:
            return node
        node = after.parent_of.get(node, before.parent_of.get(node))
    return None


class _Years:
    """The before and after measures of each (unit, year served), read once."""

    def __init__(self, con):
        self.con, self.cache = con, {}

    def pair(self, unit_code: str, year: int) -> tuple[Measure | None, Measure | None]:
        if (unit_code, year) not in self.cache:
            unit = get_unit(self.con, unit_code, year)
            before_year = previous_year(self.con, year, unit.level, unit.parent_code)
            self.cache[(unit_code, year)] = (
                measure(self.con, unit_code, before_year),
                measure(self.con, unit_code, year),
            )
        return self.cache[(unit_code, year)]


def follow_through(
    con,
    year: int | None = None,
    unit_code: str | None = None,
    office_code: str | None = None,
    today: date | None = None,
) -> pd.DataFrame:
    """FOLLOW_COLUMNS: one row per task and criterion, before and after, with a verdict."""
    tasks = list_tasks(con, year, unit_code, office_code, today=today)
    criteria = task_criteria(con, tasks["id"].tolist())
    years, rows = _Years(con), []
    for task in tasks.itertuples():
        before, after = years.pair(task.unit_code, int(task.year))
        for item in criteria[criteria.task_id == task.id].sort_values("criterion_code").itertuples():
            rows.append(_row(task, item, before, after))
    return pd.DataFrame(rows, columns=FOLLOW_COLUMNS)


def _row(task, item, before: Measure | None, after: Measure | None) -> list:
    node = measured_node(item.criterion_code, before, after)
    b, a = _points_and_max(before, node), _points_and_max(after, node)
    b_pct, a_pct = _pct(*b), _pct(*a)
    change = None if a[0] is None or b[0] is None else round(a[0] - b[0], 6)
    found = verdict(b_pct, a_pct)
    return [
        task.id,
        task.title,
        task.office_code,
        task.office_name,
        task.state,
        item.criterion_code,
        node,
        item.planned_gain,
        before.year if before else None,
        b[0],
        b[1],
        b_pct,
        after.year if after else None,
        a[0],
        a[1],
        a_pct,
        change,
        _pct_change(found, b_pct, a_pct),
        found,
        VERDICTS[found],
    ]


def _points_and_max(found: Measure | None, node: str | None) -> tuple[float | None, float | None]:
    return found.values[node] if found is not None and node is not None else (None, None)


def _pct(points: float | None, maximum: float | None) -> float | None:
    if points is None or not maximum:
        return None
    return round(points / maximum * 100, 6)


def task_verdicts(rows: pd.DataFrame) -> pd.DataFrame:
    """task_id, before_pct, after_pct, points_gained, verdict: each task judged on its measured nodes
    together (a node counted once even when two of its criteria were measured at it)."""
    measured = rows.dropna(subset=["measured_code"]).drop_duplicates(["task_id", "measured_code"])
    sums = measured.groupby("task_id")[["before_points", "before_max", "after_points", "after_max"]].sum()
    frame = pd.DataFrame({"task_id": rows["task_id"].unique()}).merge(sums, on="task_id", how="left")
    frame["before_pct"] = frame.before_points / frame.before_max * 100
    frame["after_pct"] = frame.after_points / frame.after_max * 100
    frame["points_gained"] = (frame.after_points - frame.before_points).round(6)
    frame["verdict"] = [verdict(b, a) for b, a in zip(frame.before_pct, frame.after_pct)]
    frame["verdict_label"] = frame["verdict"].map(VERDICTS)
    return frame[["task_id", "before_pct", "after_pct", "points_gained", "verdict", "verdict_label"]]


def scorecard(con, year: int | None = None, unit_code: str | None = None, today: date | None = None) -> pd.DataFrame:
    """SCORECARD_COLUMNS per office, in the offices' order; each count is the sum over its tasks."""
    tasks = list_tasks(con, year, unit_code, today=today)
    rows = follow_through(con, year, unit_code, today=today)
    gained = task_verdicts(rows).set_index("task_id")["points_gained"] if len(rows) else pd.Series(dtype=float)
    per_task = tasks.assign(
        done=tasks.status == "done",
        overdue=tasks.state == "overdue",
        done_on_time=[
            s == "done" and (d is None or (o is not None and o <= d))
            for s, d, o in zip(tasks.status, tasks.deadline, tasks.done_on)
        ],
        criteria_targeted=tasks.id.map(rows.groupby("task_id").size()).fillna(0),
        criteria_improved=tasks.id.map(rows[rows.verdict == "improved"].groupby("task_id").size()).fillna(0),
        criteria_worse=tasks.id.map(rows[rows.verdict == "worse"].groupby("task_id").size()).fillna(0),
        points_gained=tasks.id.map(gained),
    )
    return _per_office(con, per_task)


def _per_office(con, per_task: pd.DataFrame) -> pd.DataFrame:
    per_task = per_task.assign(office_key=per_task.office_code.fillna(""), points_planned=per_task.planned_gain)
    card = per_task.groupby(["office_key", "office_name"], as_index=False).agg(
        office_code=("office_code", "first"),
        tasks=("id", "count"),
        done=("done", "sum"),
        done_on_time=("done_on_time", "sum"),
        overdue=("overdue", "sum"),
        criteria_targeted=("criteria_targeted", "sum"),
        criteria_improved=("criteria_improved", "sum"),
        criteria_worse=("criteria_worse", "sum"),
        points_planned=("points_planned", "sum"),
        points_gained=("points_gained", lambda s: s.sum(min_count=1)),
    )
    order = office_order(con)
    card = card.assign(_order=card.office_key.map(lambda c: order.get(c, len(order)))).sort_values(
        ["_order", "office_name"]
    )
    for column in (
        "tasks",
        "done",
        "done_on_time",
        "overdue",
        "criteria_targeted",
        "criteria_improved",
        "criteria_worse",
    ):
        card[column] = card[column].astype("int64")
    return card[SCORECARD_COLUMNS].reset_index(drop=True)


def office_order(con) -> dict[str, int]:
    """Office code -> its place in the offices table, which follows section II of the notice."""
    return {code: i for i, (code,) in enumerate(con.execute("SELECT code FROM offices ORDER BY rowid").fetchall())}


def plan_progress(con, results_year: int, unit_code: str, today: date | None = None) -> PlanProgress:
    """The tasks serving results_year + 1 (the plan made from results_year's results)."""
    tasks = list_tasks(con, results_year + 1, unit_code, today=today)
    done = tasks[tasks.status == "done"]
    try:
        gap = target_gap(con, results_year, unit_code)
    except CchcError:
        gap = None
    return PlanProgress(
        unit_code=unit_code,
        year_served=results_year + 1,
        total=len(tasks),
        done=len(done),
        late=int((tasks.state == "overdue").sum()),
        on_track=int(tasks.state.isin(["todo", "doing"]).sum()),
        points_planned=round(float(tasks.planned_gain.fillna(0).sum()), 6),
        points_planned_done=round(float(done.planned_gain.fillna(0).sum()), 6),
        points_needed=None if gap is None else gap.points_needed,
        target_rank=None if gap is None else gap.target_rank,
        rank_of=None if gap is None else gap.rank_of,
        is_demo=bool(tasks.is_demo.any()),
    )


def _pct_change(found: str, before_pct: float | None, after_pct: float | None) -> float | None:
    if found == "pending" or before_pct is None or after_pct is None:
        return None
    return round(after_pct - before_pct, 6)
