"""import, history, undo and hash-password. The CLI acts as the local operator (actor "cli")."""

from __future__ import annotations

import getpass
import math
import sys
from pathlib import Path

import pandas as pd

from analytics.auth import hash_password
from analytics.commands.common import (
    add_db_option,
    add_format_option,
    emit,
    finite_positive,
    to_jsonable,
    year_value,
)
from analytics.errors import CchcError
from analytics.formatting import fmt_int, fmt_number, fmt_rank, fmt_signed
from analytics.importing import ImportOptions, analyze, analyze_and_commit, history, undo_batch
from analytics.importing.catalog import LEVEL_NAMES
from analytics.importing.history_view import history_table
from analytics.importing.problems import condensed
from analytics.importing.read import MAX_FILE_BYTES
from analytics.importing.reference import REFERENCE_KINDS
from analytics.settings import db_path
from analytics.store import connect, init_store

ACTOR = "cli"
PRINTED_ROWS = 200
JSON_PROBLEMS = 1000  # problems listed in full in --format json; problems_total and problem_counts say the rest
LEVELS = ("district", "commune")
UNIT_HEADERS = {
    "year": "Năm",
    "unit_code": "Mã",
    "unit_name": "Đơn vị",
    "status": "Tình trạng",
    "old_total": "Điểm cũ",
    "new_total": "Điểm mới",
    "delta_total": "Thay đổi",
    "old_rank": "Hạng cũ",
    "new_rank": "Hạng mới",
}


def register(subparsers) -> None:
    imp = subparsers.add_parser("import", help="nạp kết quả từ tệp CSV hoặc Excel (kiểm tra, xem trước, ghi)")
    imp.add_argument("file", help="tệp .xlsx, .csv hoặc .txt")
    imp.add_argument(
        "--kind",
        choices=("scores", "tasks", *REFERENCE_KINDS),
        default=None,
        help="loại tệp: scores (kết quả chấm điểm, mặc định; tệp có tiêu đề rõ của loại khác được tự nhận ra), "
        "tasks, criteria (phụ lục bộ tiêu chí), bands, offices, ownership, targets, indicators, aliases",
    )
    imp.add_argument("--year-from", type=year_value, help="criteria: năm bắt đầu áp dụng bộ tiêu chí")
    imp.add_argument("--year-to", type=year_value, help="criteria: năm cuối áp dụng (không bắt buộc)")
    imp.add_argument("--code", help="criteria: mã bộ tiêu chí (mặc định: HUYEN-<năm> hoặc XA-<năm>)")
    imp.add_argument("--name", help="criteria: tên bộ tiêu chí (mặc định: dòng 'BỘ TIÊU CHÍ …' của tệp)")
    imp.add_argument("--set", dest="set_code", help="bands, ownership: mã bộ tiêu chí mà tệp thuộc về")
    imp.add_argument(
        "--remove-stranded",
        action="store_true",
        help="criteria: gỡ cùng lô các dòng điểm đã lưu không khớp bộ mới (hoàn tác được)",
    )
    imp.add_argument("--year", type=year_value, help="năm của số liệu (khi tệp không ghi năm)")
    imp.add_argument("--level", choices=LEVELS, help="cấp đơn vị (mặc định: tự nhận biết)")
    imp.add_argument("--parent", help="mã đơn vị cha, ví dụ 04 (tỉnh) hoặc 042 (huyện)")
    imp.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và xem trước, không ghi gì")
    imp.add_argument("--replace", action="store_true", help="thay thế dữ liệu đã có của cùng năm và đơn vị")
    demo = imp.add_mutually_exclusive_group()
    demo.add_argument("--demo", dest="demo", action="store_const", const=True, help="đánh dấu là dữ liệu minh họa")
    demo.add_argument("--real", dest="demo", action="store_const", const=False, help="đánh dấu là dữ liệu thật")
    imp.add_argument(
        "--max-mb",
        type=finite_positive,
        default=MAX_FILE_BYTES / 1048576,
        help="dung lượng tệp tối đa, MB (mặc định: 5, như khi nạp trên trang Dữ liệu)",
    )
    add_db_option(imp)
    imp.add_argument("--format", choices=("table", "json"), default="table", help="định dạng kết quả")
    imp.set_defaults(func=run_import)

    hist = subparsers.add_parser("history", help="lịch sử các lô nạp dữ liệu")
    add_db_option(hist)
    add_format_option(hist)
    hist.set_defaults(func=run_history)

    undo = subparsers.add_parser("undo", help="hoàn tác một lô nạp, trả kho về đúng trạng thái trước lô đó")
    undo.add_argument("batch_id", type=int, help="số lô (xem bằng lệnh history)")
    add_db_option(undo)
    undo.set_defaults(func=run_undo)

    hp = subparsers.add_parser("hash-password", help="tạo mã băm mật khẩu biên tập viên cho secrets.toml")
    hp.add_argument("--stdin", action="store_true", help="đọc mật khẩu từ dòng đầu của stdin")
    hp.set_defaults(func=run_hash_password)


def open_for_writing(args):
    path = db_path(args.db)
    init_store(path)  # builds a missing store, migrates an old one
    return connect(path)


def read_input(name: str) -> bytes:
    path = Path(name)
    if not path.is_file():
        raise CchcError(f"Không tìm thấy tệp '{name}'.")
    return path.read_bytes()


def max_bytes(megabytes: float) -> int:
    if not math.isfinite(megabytes) or megabytes <= 0:
        raise CchcError(f"--max-mb phải lớn hơn 0 (đã ghi {fmt_number(megabytes)}).")
    return int(megabytes * 1048576)


def run_import(args) -> int:
    data = read_input(args.file)
    from analytics.commands.reference import kind_to_import, run_reference_import

    kind = kind_to_import(args, data, max_bytes(args.max_mb))
    if kind in REFERENCE_KINDS:
        return run_reference_import(args, kind, data, max_bytes(args.max_mb))
    if kind == "tasks":
        from analytics.commands.tasks import run_task_import

        return run_task_import(args, data, max_bytes(args.max_mb))
    options = ImportOptions(
        year=args.year,
        level=args.level,
        parent=args.parent,
        replace=args.replace,
        demo=args.demo,
        max_bytes=max_bytes(args.max_mb),
    )
    con = open_for_writing(args)
    try:
        if args.dry_run:
            analysis, batch_id = analyze(con, Path(args.file).name, data, options), None
        else:
            analysis, batch_id = analyze_and_commit(con, Path(args.file).name, data, options, ACTOR)
    finally:
        con.close()
    report(analysis, batch_id, args)
    return 0 if analysis.ok else 2


def report(analysis, batch_id: int | None, args) -> None:
    if args.format == "json":
        emit(analysis_json(analysis, batch_id, args.dry_run), "json")
        return
    out = sys.stdout if analysis.ok else sys.stderr
    print(summary_line(analysis), file=out)
    for title, items in (("Lỗi", analysis.errors), ("Cảnh báo", analysis.warnings)):
        if items:
            print(f"{title} ({fmt_int(len(items))}):", file=out)
            shown, rest = condensed(items)
            for line in [p.message for p in shown] + rest:
                print(f"  - {line}", file=out)
    if analysis.preview is not None:
        print_preview(analysis.preview, out)
    print(outcome_line(analysis, batch_id, args.dry_run), file=out)


def summary_line(analysis) -> str:
    years = ", ".join(map(str, analysis.years)) or "–"
    flag = "; dữ liệu minh họa" if analysis.is_demo else ""
    return (
        f"Tệp {analysis.file_name} ({fmt_number(analysis.size / 1024, 1)} KB, SHA-256 {analysis.sha256[:12]}…): "
        f"{fmt_int(len(analysis.rows))} dòng điểm, năm {years}{flag}."
    )


def outcome_line(analysis, batch_id: int | None, dry_run: bool) -> str:
    if not analysis.ok:
        return "Chưa nạp gì: hãy sửa các lỗi trên rồi nạp lại."
    if dry_run:
        return "Chạy thử (--dry-run): chưa ghi gì vào kho."
    return (
        f"Đã nạp lô #{batch_id}: {fmt_int(len(analysis.rows))} dòng điểm. "
        f"Hoàn tác bằng: python -m analytics undo {batch_id}"
    )


def print_preview(preview, out) -> None:
    if preview.new_years:
        print(f"Năm mới trong kho: {', '.join(map(str, preview.new_years))}", file=out)
    print("Thay đổi theo đơn vị:", file=out)
    print_table(preview.units, unit_table, out)
    for (year, level, parent), frame in preview.rankings.items():
        print(f"Xếp hạng năm {year} sau khi nạp ({LEVEL_NAMES.get(level, level)}, đơn vị cha {parent}):", file=out)
        print_table(frame, ranking_table, out)


def print_table(frame: pd.DataFrame, shown, out) -> None:
    """shown(frame) on the terminal; past PRINTED_ROWS rows only its head (the JSON output has it all).
    Only the rows printed are formatted: a national file has tens of thousands."""
    print(shown(frame.head(PRINTED_ROWS)).to_string(index=False), file=out)
    if len(frame) > PRINTED_ROWS:
        print(f"… và {fmt_int(len(frame) - PRINTED_ROWS)} dòng nữa (xem đủ bằng --format json).", file=out)


def ranking_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Hạng": [fmt_rank(r, n) for r, n in zip(frame["rank"], frame.rank_of)],
            "Đơn vị": frame.unit_name,
            "Tổng điểm": frame.total.map(fmt_number),
        }
    )


def unit_table(units: pd.DataFrame) -> pd.DataFrame:
    frame = units[list(UNIT_HEADERS)].copy()
    for column in ("old_total", "new_total"):
        frame[column] = frame[column].map(fmt_number)
    frame["delta_total"] = frame["delta_total"].map(fmt_signed)
    for column in ("old_rank", "new_rank"):
        frame[column] = [fmt_rank(r, n) for r, n in zip(frame[column], units.rank_of)]
    return frame.rename(columns=UNIT_HEADERS)


def analysis_json(analysis, batch_id: int | None, dry_run: bool) -> dict:
    preview = analysis.preview
    return {
        "file": analysis.file_name,
        "sha256": analysis.sha256,
        "size": analysis.size,
        "ok": analysis.ok,
        "dry_run": dry_run,
        "batch_id": batch_id,
        "rows": len(analysis.rows),
        "years": analysis.years,
        "is_demo": analysis.is_demo,
        "problems": [p.as_dict() for p in analysis.problems[:JSON_PROBLEMS]],
        "problems_total": len(analysis.problems),
        "problem_counts": problem_counts(analysis.problems),
        "preview": None
        if preview is None
        else {
            "new_years": preview.new_years,
            "units": to_jsonable(preview.units),
            "rankings": [
                {
                    "year": y,
                    "level": lv,
                    "parent": p,
                    "rows": to_jsonable(f[["unit_code", "unit_name", "total", "rank", "rank_of"]]),
                }
                for (y, lv, p), f in preview.rankings.items()
            ],
        },
    }


def problem_counts(problems) -> dict[str, int]:
    counts: dict[str, int] = {}
    for problem in problems:
        counts[problem.kind] = counts.get(problem.kind, 0) + 1
    return counts


def run_history(args) -> int:
    path = db_path(args.db)
    init_store(path)
    con = connect(path, read_only=True)
    try:
        frame = history(con) if args.format == "json" else history_table(con)
    finally:
        con.close()
    if args.format == "json":
        frame["created_at"] = frame["created_at"].dt.strftime("%Y-%m-%d %H:%M:%S")
    emit(frame, args.format)
    return 0


def run_undo(args) -> int:
    con = open_for_writing(args)
    try:
        undo_id = undo_batch(con, args.batch_id, ACTOR)
    finally:
        con.close()
    print(f"Đã hoàn tác lô #{args.batch_id} (lô hoàn tác #{undo_id}).")
    return 0


def run_hash_password(args) -> int:
    if args.stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Mật khẩu biên tập viên: ")
        if getpass.getpass("Nhập lại: ") != password:
            raise CchcError("Hai lần nhập không khớp.")
    if len(password) < 8:
        raise CchcError("Mật khẩu cần ít nhất 8 ký tự.")
    hashed = hash_password(password)
    print(hashed)
    print(f'# .streamlit/secrets.toml:  editor_password_hash = "{hashed}"', file=sys.stderr)
    print(f"# hoặc biến môi trường:    CCHC_EDITOR_PASSWORD_HASH='{hashed}'", file=sys.stderr)
    return 0
