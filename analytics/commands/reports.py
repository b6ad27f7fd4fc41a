"""report (the "Đánh giá chung" paragraph, or the Word brief) and export (the Excel workbook)."""

from __future__ import annotations

import json
from pathlib import Path

from analytics import settings
from analytics.commands.common import add_db_option, open_store
from analytics.errors import CchcError
from analytics.names import resolve_unit
from analytics.scope import default_year, find_unit, get_unit, home_unit

DEMO_LINE = "(Dữ liệu minh họa: các số điểm chưa phải kết quả chính thức.)"


def register(subparsers) -> None:
    report = subparsers.add_parser("report", help='đoạn "Đánh giá chung" (kèm chú thích) hoặc báo cáo Word')
    _common(report)
    report.add_argument("--docx", metavar="OUT", help="ghi báo cáo Word (.docx) ra tệp này thay vì in đoạn văn")
    report.add_argument(
        "--notice-docx", metavar="OUT", help='ghi dự thảo "Thông báo kết luận" (Word, mục I và II) ra tệp này'
    )
    report.add_argument("--no-charts", action="store_true", help="không vẽ biểu đồ trong báo cáo Word")
    report.add_argument("--browser", help="đường dẫn Chromium để vẽ biểu đồ (mặc định /usr/bin/chromium)")
    report.add_argument("--format", choices=("text", "json"), default="text", help="định dạng khi in đoạn văn")
    report.set_defaults(func=run_report)

    export = subparsers.add_parser("export", help="xuất sổ Excel (.xlsx) các bảng phân tích")
    _common(export)
    export.add_argument("--out", required=True, metavar="FILE.xlsx", help="tệp Excel cần ghi")
    export.set_defaults(func=run_export)


def _common(parser) -> None:
    add_db_option(parser)
    parser.add_argument("--year", type=int, required=True, help="năm đánh giá")
    home = settings.HOME_UNIT
    parser.add_argument("--unit", default=None, help=f"mã hoặc tên đơn vị (mặc định ${home.name} hoặc {home.default})")


def unit_code(con, text: str | None, year: int | None = None) -> str:
    """A code as given, else the unit a name designates in the year; the home unit when nothing is given.
    A code whose units did not exist that year is an error naming when they did. Without a year, a name
    means a unit of the year the dashboard opens on (scope.default_year), as "Bảo Lâm" means the district
    there and Xã Bảo Lâm only from 2025."""
    text = text or settings.home_unit_code()
    if find_unit(con, text) is not None:
        return text if year is None else get_unit(con, text, year).code
    home = home_unit(con)
    in_year = year if year is not None or home is None else default_year(con, home.level)
    return resolve_unit(con, text, year=in_year)


def run_report(args) -> int:
    con = open_store(args)
    try:
        code = unit_code(con, args.unit, args.year)
        if args.notice_docx:
            from analytics.reports.notice_docx import build_notice

            _write(args.notice_docx, build_notice(con, args.year, code))
            print(f"Đã ghi dự thảo Thông báo kết luận: {args.notice_docx}")
            return 0
        if args.docx:
            from analytics.reports.brief_docx import build_brief

            _write(args.docx, build_brief(con, args.year, code, browser=args.browser, charts=not args.no_charts))
            print(f"Đã ghi báo cáo Word: {args.docx}")
            return 0
        from analytics.reports.paragraph import summary_paragraph

        _print_summary(summary_paragraph(con, args.year, code), args.format)
    finally:
        con.close()
    return 0


def _print_summary(summary, fmt: str) -> None:
    if fmt == "json":
        print(
            json.dumps(
                {
                    "year": summary.year,
                    "unit_code": summary.unit_code,
                    "unit_name": summary.unit_name,
                    "text": summary.text,
                    "footnotes": list(summary.footnotes),
                    "is_demo": summary.is_demo,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    print(summary.full_text())
    if summary.is_demo:
        print("\n" + DEMO_LINE)


def run_export(args) -> int:
    from analytics.reports.workbook import analytics_workbook

    con = open_store(args)
    try:
        _write(args.out, analytics_workbook(con, args.year, unit_code(con, args.unit, args.year)))
    finally:
        con.close()
    print(f"Đã ghi sổ Excel: {args.out}")
    return 0


def _write(path: str, data: bytes) -> None:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as exc:
        raise CchcError(f"Không ghi được tệp '{path}': {exc.strerror or exc}") from exc
