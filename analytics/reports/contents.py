"""Everything a brief or a workbook says about a unit and a year, gathered once from the analytics."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics import communes, gaps, plan, recoverable, targets
from analytics.errors import CchcError
from analytics.plan import plan_summary
from analytics.rankings import rankings
from analytics.reports.paragraph import KINDS_SQL, Summary, UnitInfo, summary_paragraph, unit_info

NO_TARGET_PLAN = "Chưa có chỉ tiêu xếp hạng cho đơn vị nên chưa lập kế hoạch."
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


def why_no_plan(data: ReportData) -> str | None:
    """Why the plan has no steps (None when it has some), in the words the brief and the workbook share."""
    if data.plan is None or data.target is None:
        return NO_TARGET_PLAN
    return None if data.plan.steps else plan_summary(data.plan)


def why_empty(data: ReportData) -> dict[str, str]:
    """For each table of the reports, what to say in its place when it has no rows."""
    results = f"Kết quả năm {data.year} của {data.unit.name}"
    by_office = f"{results} không có điểm theo tiêu chí hay lĩnh vực để tính theo cơ quan chủ trì."
    return {
        "ranking": f"Chưa có kết quả năm {data.year} của các đơn vị cùng cấp.",
        "fields": f"{results} chỉ có tổng điểm, không có điểm theo lĩnh vực.",
        "criteria": f"{results} không có điểm theo tiêu chí (chỉ có điểm theo lĩnh vực hoặc tổng điểm).",
        "offices": by_office,
        "office_criteria": by_office,
        "plan": why_no_plan(data) or "",
    }
