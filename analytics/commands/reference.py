"""criteria, and the import of reference files (criteria annex, bands, offices, ownership, targets,
indicators, aliases). The CLI acts as the local operator (actor "cli")."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from analytics.commands.common import add_db_option, add_format_option, emit, open_store, to_jsonable, year_value
from analytics.criteria import criteria_listing
from analytics.formatting import fmt_int, fmt_number
from analytics.importing.problems import condensed
from analytics.importing.reference import (
    KIND_LABELS,
    ReferenceAnalysis,
    ReferenceOptions,
    analyze_and_commit_reference,
    analyze_reference,
    recognised_from,
)

ACTOR = "cli"
LEVELS = ("district", "commune")


def register(subparsers) -> None:
    crit = subparsers.add_parser("criteria", help="bộ tiêu chí đang áp dụng: mỗi lĩnh vực/tiêu chí một dòng")
    crit.add_argument("--year", type=year_value, help="năm (mặc định: năm nay)")
    crit.add_argument("--level", choices=LEVELS, default="district", help="cấp (mặc định: district)")
    crit.add_argument("--set", dest="set_code", help="mã một bộ tiêu chí cụ thể (thay cho --year/--level)")
    add_db_option(crit)
    add_format_option(crit)
    crit.set_defaults(func=run_criteria)


def run_criteria(args) -> int:
    con = open_store(args)
    try:
        listing = criteria_listing(con, args.level, args.year or date.today().year, args.set_code)
    finally:
        con.close()
    if args.format == "table":
        print(f"Bộ tiêu chí {listing.attrs['set_code']}" + (" (dữ liệu minh họa)" if listing.attrs["is_demo"] else ""))
        shown = listing.assign(max_points=listing.max_points.map(fmt_number))
        emit(shown.fillna(""), "table")
    else:
        emit(listing, args.format)
    return 0


def kind_to_import(args, data: bytes, max_bytes: int) -> str:
    """--kind when given; else the kind recognised from the file's header, said on stderr; else scores."""
    if args.kind:
        return args.kind
    recognised = recognised_from(Path(args.file).name, data, max_bytes)
    if recognised is None:
        return "scores"
    print(
        f"Nhận ra tệp {Path(args.file).name} là {KIND_LABELS[recognised]} (--kind {recognised}) theo dòng tiêu đề.",
        file=sys.stderr,
    )
    return recognised


def options_of(args, max_bytes: int) -> ReferenceOptions:
    return ReferenceOptions(
        level=args.level,
        year_from=args.year_from,
        year_to=args.year_to,
        code=args.code,
        name=args.name,
        set_code=args.set_code,
        remove_stranded=args.remove_stranded,
        max_bytes=max_bytes,
    )


def run_reference_import(args, kind: str, data: bytes, max_bytes: int) -> int:
    from analytics.commands.imports import open_for_writing

    options = options_of(args, max_bytes)
    con = open_for_writing(args)
    try:
        if args.dry_run:
            analysis, batch_id = analyze_reference(con, kind, Path(args.file).name, data, options), None
        else:
            analysis, batch_id = analyze_and_commit_reference(con, kind, Path(args.file).name, data, options, ACTOR)
    finally:
        con.close()
    analysis.recognised = args.kind is None
    if args.format == "json":
        emit(analysis_json(analysis, batch_id, args.dry_run), "json")
    else:
        print_analysis(analysis, batch_id, args.dry_run)
    return 0 if analysis.ok else 2


def print_analysis(analysis: ReferenceAnalysis, batch_id: int | None, dry_run: bool) -> None:
    out = sys.stdout if analysis.ok else sys.stderr
    print(
        f"Tệp {analysis.file_name} ({KIND_LABELS[analysis.kind]}, SHA-256 {analysis.sha256[:12]}…): "
        f"{analysis.summary or 'chưa đọc được'}.",
        file=out,
    )
    for title, items in (("Lỗi", analysis.errors), ("Cảnh báo", analysis.warnings)):
        if items:
            print(f"{title} ({fmt_int(len(items))}):", file=out)
            shown, rest = condensed(items)
            for line in [p.message for p in shown] + rest:
                print(f"  - {line}", file=out)
    if analysis.affected_years:
        print(f"Các năm đã có điểm đổi sang bộ này: {', '.join(map(str, analysis.affected_years))}", file=out)
    if analysis.preview is not None and analysis.ok:
        print(analysis.preview.fillna("").to_string(index=False), file=out)
    print(outcome_line(analysis, batch_id, dry_run), file=out)


def outcome_line(analysis: ReferenceAnalysis, batch_id: int | None, dry_run: bool) -> str:
    if not analysis.ok:
        return "Chưa nạp gì: hãy sửa các lỗi trên rồi nạp lại."
    if dry_run:
        return "Chạy thử (--dry-run): chưa ghi gì vào kho."
    return (
        f"Đã nạp lô #{batch_id} ({KIND_LABELS[analysis.kind]}): {fmt_int(analysis.row_count)} dòng. "
        f"Hoàn tác bằng: python -m analytics undo {batch_id}"
    )


def analysis_json(analysis: ReferenceAnalysis, batch_id: int | None, dry_run: bool) -> dict:
    return {
        "file": analysis.file_name,
        "kind": analysis.kind,
        "recognised": analysis.recognised,
        "sha256": analysis.sha256,
        "ok": analysis.ok,
        "dry_run": dry_run,
        "batch_id": batch_id,
        "rows": analysis.row_count,
        "summary": analysis.summary,
        "affected_years": analysis.affected_years,
        "problems": [p.as_dict() for p in analysis.problems],
        "preview": None if analysis.preview is None else to_jsonable(analysis.preview),
    }
