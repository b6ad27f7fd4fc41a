"""rank, gaps, plan and communes: the analyses of issue #3 from the command line."""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass

import pandas as pd

from analytics.commands.common import add_db_option, add_format_option, emit, open_store
from analytics.communes import commune_summary, commune_table, district_indicators, indicator_years
from analytics.errors import CchcError, NotFoundError
from analytics.formatting import fmt_number, fmt_pct, fmt_rank, fmt_signed
from analytics.gaps import gaps, parse_reference
from analytics.lineage import lineage, lineage_payload
from analytics.names import resolve_unit
from analytics.plan import CAPS, PlanStep, plan_summary, plan_to_target
from analytics.rankings import rankings
from analytics.scope import (
    LEVEL_WORDS,
    PARENT_LEVELS,
    RANKED_LEVELS,
    default_parent,
    default_parent_in,
    default_year,
    get_unit,
    home_unit,
    latest_year,
    period_words,
    require_year,
)

DEMO_NOTE = "(Dữ liệu minh họa)"


@dataclass(frozen=True)
class Scope:
    level: str
    parent: str | None
    unit: str | None
    year: int

    @property
    def chosen_unit(self) -> str:
        if self.unit is None:
            raise CchcError(f"Hãy chọn đơn vị {LEVEL_WORDS[self.level]} bằng --unit.")
        return self.unit


def register(subparsers) -> None:
    rank = _command(subparsers, "rank", "xếp hạng các đơn vị trong một năm", run_rank)
    rank.add_argument("--target-rank", type=_positive_int, help="đánh dấu hạng mục tiêu (chỉ để hiển thị)")
    gap = _command(subparsers, "gaps", "điểm từng lĩnh vực, tiêu chí so với mốc so sánh", run_gaps)
    gap.add_argument(
        "--reference",
        type=_reference,
        default="province-mean",
        help="province-mean (mặc định) | best | target | threshold:NN",
    )
    gap.add_argument("--target-rank", type=_positive_int, help="hạng mục tiêu (mặc định: theo chỉ tiêu)")
    gap.add_argument("--depth", type=_positive_int, help="chỉ một cấp: 1 lĩnh vực, 2 tiêu chí, 3 tiêu chí thành phần")
    plan = _command(subparsers, "plan", "kế hoạch đạt hạng mục tiêu", run_plan)
    plan.add_argument("--target-rank", type=_positive_int, help="hạng mục tiêu (mặc định: theo chỉ tiêu)")
    plan.add_argument("--cap", type=_cap, default="best", help="best (mặc định: mức tốt nhất của đơn vị khác) | max")
    _command(subparsers, "communes", "xếp loại các xã của một huyện", run_communes)
    _command(
        subparsers,
        "indicators",
        "chỉ số vận hành (một cửa điện tử, VNPT-iGATE…) của một huyện và các xã",
        run_indicators,
    )
    _lineage_command(subparsers)


def _lineage_command(subparsers) -> None:
    parser = subparsers.add_parser("lineage", help="đơn vị tiền thân và đơn vị kế thừa của một đơn vị (sắp xếp 2025)")
    add_db_option(parser)
    parser.add_argument("--unit", required=True, help="mã đơn vị")
    parser.add_argument("--year", type=_year, help="năm chọn phiên bản của mã (mặc định: phiên bản mới nhất)")
    add_format_option(parser)
    parser.set_defaults(func=run_lineage)


def _command(subparsers, name: str, help_text: str, func) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(name, help=help_text)
    add_db_option(parser)
    parser.add_argument("--year", type=_year, help="năm (mặc định: năm mới nhất có dữ liệu)")
    parser.add_argument("--unit", help="mã, tên hoặc tên khác của đơn vị (mặc định: $CCHC_HOME_UNIT hoặc 042)")
    if name not in ("communes", "indicators"):
        parser.add_argument("--level", type=_level, default="district", help="district (mặc định) | commune")
    parser.add_argument("--parent", help="đơn vị cấp trên (mặc định: cấp trên của đơn vị)")
    add_format_option(parser)
    parser.set_defaults(func=func)
    return parser


def _year(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"năm không hợp lệ: '{text}'")
    return int(text)


def _positive_int(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"cần một số nguyên dương, không phải '{text}'")
    return int(text)


def _level(text: str) -> str:
    if text not in RANKED_LEVELS:
        raise argparse.ArgumentTypeError(f"cấp không hợp lệ: '{text}' (dùng district hoặc commune)")
    return text


def _cap(text: str) -> str:
    if text not in CAPS:
        raise argparse.ArgumentTypeError(f"mức trần không hợp lệ: '{text}' (dùng best hoặc max)")
    return text


def _reference(text: str) -> str:
    try:
        parse_reference(text)
    except CchcError as exc:
        raise argparse.ArgumentTypeError(exc.message) from exc
    return text


# --- scope: level, parent, unit and year from the options and their defaults ---

UNIT_OF_LEVEL_SQL = """
SELECT count(*) FROM units WHERE code = ? AND level = ? AND (? IS NULL OR valid_in_year(valid_from, valid_to, ?))
"""


def resolve_scope(con, args, level: str, need_unit: bool) -> Scope:
    """The year first (a year decides which unit a code names and which scopes exist), then the parent
    (--parent, else the home unit's default scope that year), the unit, and a check that there is data."""
    parent = _resolve_parent(con, args.parent, level, args.year) if args.parent else None
    year = args.year
    if year is None:
        year = latest_year(con, level, parent) if args.parent else _default_year(con, level)
    if not args.parent:
        parent = default_parent_in(con, level, year)
    unit: str | None
    if args.unit:
        unit = _resolve_in_scope(con, args.unit, level, parent, year, any_parent_code=not args.parent)
    else:
        home = home_unit(con, year)
        unit = home.code if home and home.level == level and home.parent_code == parent else None
    if unit is not None and not args.parent:
        parent = get_unit(con, unit, year).parent_code
    if need_unit and unit is None:
        raise CchcError(f"Hãy chọn đơn vị {LEVEL_WORDS[level]} bằng --unit.")
    require_year(con, year, level, parent)
    return Scope(level, parent, unit, year)


def _default_year(con, level: str) -> int:
    year = default_year(con, level)
    if year is None:
        raise NotFoundError(f"Chưa có dữ liệu {LEVEL_WORDS[level]} trong kho.")
    return year


def _resolve_parent(con, text: str, level: str, year: int | None) -> str:
    """--parent: a unit of a level above `level` (a district, or from 2025 the province for communes)."""
    error: NotFoundError | None = None
    for parent_level in PARENT_LEVELS[level]:
        try:
            return resolve_unit(con, text, parent_level, None, year)
        except NotFoundError as exc:
            error = error or exc
    assert error is not None
    raise error


def _resolve_in_scope(con, text: str, level: str, parent: str | None, year: int, any_parent_code: bool) -> str:
    """A code, name or alias within the level and parent that year; without --parent, an exact code of the level."""
    try:
        return resolve_unit(con, text, level, parent, year)
    except NotFoundError:
        if any_parent_code and con.execute(UNIT_OF_LEVEL_SQL, [text.strip(), level, year, year]).fetchone()[0]:
            return text.strip()
        raise


# --- the commands ---


def run_rank(args) -> int:
    with open_store(args) as con:
        scope = resolve_scope(con, args, args.level, need_unit=False)
        frame = rankings(con, scope.year, scope.level, scope.parent)
    if args.format != "table":
        emit(frame, args.format)
        return 0
    prev = frame.attrs.get("previous_year")
    print(
        f"Xếp hạng {LEVEL_WORDS[scope.level]} năm {scope.year}"
        + (f" (so với {prev})" if prev else "")
        + (f" {DEMO_NOTE}" if frame.is_demo.any() else "")
    )
    rows = [
        [
            r.unit_code + (" *" if r.unit_code == scope.unit else ""),
            r.unit_name,
            fmt_number(r.total),
            fmt_rank(r["rank"], r.rank_of),
            fmt_signed(r.delta_total),
            fmt_signed(r.delta_rank, 0),
            r.band or "–",
        ]
        for _, r in frame.iterrows()
    ]
    _print_table(rows, ["Mã", "Đơn vị", "Tổng điểm", "Hạng", "Thay đổi điểm", "Thay đổi hạng", "Xếp loại"])
    if args.target_rank:
        print(f"Hạng mục tiêu: {args.target_rank}")
    return 0


def run_gaps(args) -> int:
    with open_store(args) as con:
        scope = resolve_scope(con, args, args.level, need_unit=True)
        frame = gaps(con, scope.year, scope.chosen_unit, args.reference, args.depth, args.target_rank)
        name = get_unit(con, scope.chosen_unit, scope.year).name
    if args.format != "table":
        emit(frame, args.format)
        return 0
    print(
        f"{name} năm {scope.year}: điểm so với mốc '{args.reference}' (chênh lệch âm là thiếu hụt)"
        + (f" {DEMO_NOTE}" if frame.attrs.get("is_demo") else "")
    )
    rows = [
        [
            r.criterion_code,
            _short(r.criterion_name),
            fmt_number(r.points),
            fmt_pct(r.pct),
            fmt_number(r.reference_points),
            fmt_signed(r.gap_points),
            fmt_signed(r.gap_pct, 1),
            r.owner_office_name if isinstance(r.owner_office_name, str) else "–",
        ]
        for r in frame.itertuples()
    ]
    _print_table(rows, ["Mã", "Lĩnh vực/tiêu chí", "Điểm", "% tối đa", "Mốc", "Chênh (điểm)", "Chênh (%)", "Phụ trách"])
    return 0


def run_plan(args) -> int:
    with open_store(args) as con:
        scope = resolve_scope(con, args, args.level, need_unit=True)
        plan = plan_to_target(con, scope.year, scope.chosen_unit, args.target_rank, args.cap)
    payload = dataclasses.asdict(plan) | {"summary": plan_summary(plan)}
    if args.format == "json":
        emit(payload, "json")
    elif args.format == "csv":
        emit(pd.DataFrame(payload["steps"], columns=[f.name for f in dataclasses.fields(PlanStep)]), "csv")
    else:
        _print_plan(plan)
    return 0


def _print_plan(plan) -> None:
    print(
        f"{plan.unit_name} năm {plan.year}: {fmt_number(plan.current_total)} điểm, hạng "
        f"{fmt_rank(plan.current_rank, plan.rank_of)}; mục tiêu hạng {plan.target_rank}/{plan.rank_of}"
        + (f" ({plan.target_unit_name}: {fmt_number(plan.target_total)} điểm)" if plan.target_unit_name else "")
    )
    print(plan_summary(plan))
    rows = [
        [
            s.criterion_code,
            _short(s.criterion_name),
            s.owner_office_name or "–",
            fmt_number(s.from_points),
            fmt_number(s.to_points),
            fmt_signed(s.gain),
        ]
        for s in plan.steps
    ]
    if rows:
        _print_table(rows, ["Mã", "Tiêu chí", "Phụ trách", "Từ", "Đến", "Tăng"])
    print(f"Tổng dự kiến: {fmt_number(plan.resulting_total)} điểm, hạng {fmt_rank(plan.resulting_rank, plan.rank_of)}")
    print(plan.assumption)


def run_communes(args) -> int:
    with open_store(args) as con:
        parent = _commune_parent(con, args)
        year = args.year if args.year is not None else latest_year(con, "commune", parent)
        require_year(con, year, "commune", parent)
        table = commune_table(con, year, parent)
        summary = commune_summary(con, year, parent)
        name = get_unit(con, parent, year).name
    if args.format != "table":
        emit(table, args.format)
        return 0
    print(f"Xếp loại các xã, phường, thị trấn của {name} năm {year}" + (f" {DEMO_NOTE}" if table.is_demo.any() else ""))
    rows = [
        [
            r.unit_code,
            r.unit_name,
            fmt_number(r.total),
            fmt_rank(r["rank"], r.rank_of),
            r.band or "–",
            r.band_previous if isinstance(r.band_previous, str) else "–",
            fmt_signed(r.delta_total),
        ]
        for _, r in table.iterrows()
    ]
    _print_table(rows, ["Mã", "Xã, thị trấn", "Tổng điểm", "Hạng", "Xếp loại", "Năm trước", "Thay đổi điểm"])
    print("Số xã theo xếp loại: " + "; ".join(f"{band} {count}" for band, count in summary.band_counts.items()))
    if summary.mean_change is not None:
        print(f"Thay đổi điểm bình quân so với {summary.previous_year}: {fmt_signed(summary.mean_change, 1)}")
    return 0


def run_indicators(args) -> int:
    with open_store(args) as con:
        district = _commune_parent(con, args)
        year = _indicator_year(con, district, args.year)
        frame = district_indicators(con, year, district)
    if args.format != "table":
        emit(frame, args.format)
        return 0
    print(f"Chỉ số vận hành năm {year}" + (f" {DEMO_NOTE}" if frame.is_demo.any() else ""))
    rows = [
        [r.unit_code, r.unit_name, r.indicator_name, fmt_number(r.value, 0 if float(r.value).is_integer() else 2)]
        for r in frame.itertuples()
    ]
    _print_table(rows, ["Mã", "Đơn vị", "Chỉ số", "Giá trị"])
    return 0


def run_lineage(args) -> int:
    with open_store(args) as con:
        found = lineage(con, args.unit.strip(), args.year)
    if args.format == "json":
        emit(lineage_payload(found), "json")
        return 0
    rows = _lineage_rows(found)
    if args.format == "csv":
        emit(pd.DataFrame(rows, columns=LINEAGE_HEADERS), "csv")
        return 0
    unit = found.unit
    print(
        f"{unit.name} (mã {unit.code}, {LEVEL_WORDS[unit.level]}, {period_words(unit)})"
        + (f" {DEMO_NOTE}" if found.is_demo else "")
    )
    if not rows:
        print("Không có đơn vị tiền thân hay đơn vị kế thừa.")
        return 0
    _print_table(rows, LINEAGE_HEADERS)
    return 0


LINEAGE_HEADERS = ["Quan hệ", "Mã", "Đơn vị", "Hiệu lực", "Năm", "Tổng điểm", "Hạng", "Xếp loại"]


def _lineage_rows(found) -> list[list[str]]:
    """One row per linked unit and year with results (one row with dashes when it has none)."""
    rows = []
    for relation, linked_units in (("Tiền thân", found.predecessors), ("Kế thừa", found.successors)):
        for linked in linked_units:
            head = [relation, linked.unit.code, linked.unit.name, period_words(linked.unit)]
            results = [
                [str(r.year), fmt_number(r.total), fmt_rank(r.rank, r.rank_of), r.band or "–"] for r in linked.results
            ]
            rows += [head + result for result in results or [["–", "–", "–", "–"]]]
    return rows


def _indicator_year(con, district: str, year: int | None) -> int:
    """The asked year if it has indicators, else the latest one that has."""
    years = indicator_years(con, district)
    name = get_unit(con, district).name
    if not years:
        raise NotFoundError(f"Chưa có chỉ số vận hành nào của {name}.")
    if year is not None and year not in years:
        raise NotFoundError(
            f"Không có chỉ số vận hành của {name} năm {year} (các năm có: {', '.join(map(str, years))})."
        )
    return years[-1] if year is None else year


def _commune_parent(con, args) -> str:
    """The unit whose communes are listed (a district; from 2025 the province): --parent, else --unit, else
    the home unit."""
    text = args.parent or args.unit
    if text:
        return _resolve_parent(con, text, "commune", args.year)
    parent = default_parent("commune", home_unit(con))
    if parent is None:
        raise CchcError("Hãy chọn huyện bằng --parent.")
    return parent


def _short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _print_table(rows: list[list[str]], headers: list[str]) -> None:
    print(pd.DataFrame(rows, columns=headers).to_string(index=False))
