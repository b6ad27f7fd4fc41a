"""Everything a brief or a workbook says about a unit and a year, gathered once from the analytics."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics import communes, gaps, plan, recoverable, targets
from analytics.errors import CchcError
from analytics.rankings import rankings
from analytics.reports.paragraph import KINDS_SQL, Summary, UnitInfo, summary_paragraph, unit_info

PLAN_STEP_COLUMNS = [
    "criterion_code",
    "criterion_name",
    "owner_office",
    "owner_office_name",
    "from_points",
    "to_points",
    "gain",
]


@dataclass(frozen=True)
class ReportData:
    year: int
    unit: UnitInfo
    summary: Summary
    ranking: pd.DataFrame  # the unit's level and parent, that year
    fields: pd.DataFrame  # gaps at depth 1 against the provincial mean, weakest first
    criteria: pd.DataFrame  # gaps at depth 2
    offices: pd.DataFrame  # recoverable points by office (summary)
    office_criteria: pd.DataFrame  # … and the criteria behind them
    communes: pd.DataFrame | None  # the district's communes, or None for a commune
    target: targets.TargetGap | None
    plan: plan.Plan | None
    plan_steps: pd.DataFrame
    kinds: dict[str, str]  # unit code -> kind ("huyện", "thành phố", "xã", …)

    @property
    def row(self) -> pd.Series:
        return self.ranking[self.ranking["unit_code"] == self.unit.code].iloc[0]

    @property
    def previous_year(self) -> int | None:
        return self.ranking.attrs.get("previous_year")

    @property
    def is_demo(self) -> bool:
        return self.summary.is_demo


def collect(con: duckdb.DuckDBPyConnection, year: int, unit_code: str) -> ReportData:
    """Run every analysis the reports need (the paragraph first: it checks the unit has data)."""
    summary = summary_paragraph(con, year, unit_code)
    unit = unit_info(con, unit_code, year)
    office_summary, office_detail = recoverable.recoverable_by_office(con, year, unit_code)
    the_plan = _optional(lambda: plan.plan_to_target(con, year, unit_code))
    return ReportData(
        year=year,
        unit=unit,
        summary=summary,
        ranking=rankings(con, year, unit.level, unit.parent_code),
        fields=gaps.gaps(con, year, unit_code, depth=1),
        criteria=gaps.gaps(con, year, unit_code, depth=2),
        offices=office_summary,
        office_criteria=office_detail,
        communes=_district_communes(con, year, unit),
        target=_optional(lambda: targets.target_gap(con, year, unit_code)),
        plan=the_plan,
        plan_steps=plan_steps_frame(the_plan),
        kinds=dict(con.execute(KINDS_SQL, [year]).fetchall()),
    )


def _optional(compute):
    """A result that may not exist (no target set for the unit): None instead of the error."""
    try:
        return compute()
    except CchcError:
        return None


def _district_communes(con, year: int, unit: UnitInfo) -> pd.DataFrame | None:
    if unit.level != "district":
        return None
    table = communes.commune_table(con, year, unit.code)
    return table if len(table) else None


def plan_steps_frame(the_plan) -> pd.DataFrame:
    if the_plan is None or not the_plan.steps:
        return pd.DataFrame(columns=PLAN_STEP_COLUMNS)
    return pd.DataFrame([dataclasses.asdict(step) for step in the_plan.steps])[PLAN_STEP_COLUMNS]
