"""init and info."""

from __future__ import annotations

import dataclasses

from analytics import settings
from analytics.commands.common import add_db_option, add_format_option, emit
from analytics.errors import CchcError
from analytics.register import province_of
from analytics.settings import db_path
from analytics.store import connect, init_empty_store, init_store, store_info


def register(subparsers) -> None:
    init = subparsers.add_parser("init", help="dựng kho dữ liệu từ data/demo (bỏ qua nếu đã có)")
    add_db_option(init)
    init.add_argument("--force", action="store_true", help="xóa và dựng lại kho")
    init.add_argument(
        "--empty",
        action="store_true",
        help="kho trống: chỉ có danh mục đơn vị hành chính của tỉnh, chưa có bộ tiêu chí hay kết quả",
    )
    init.add_argument("--province", help="với --empty: mã tỉnh (mặc định: tỉnh của đơn vị chủ quản, 04)")
    init.set_defaults(func=run_init)

    info = subparsers.add_parser("info", help="kho dữ liệu đang chứa gì")
    add_db_option(info)
    add_format_option(info)
    info.set_defaults(func=run_info)


def run_init(args) -> int:
    path = db_path(args.db)
    if args.province and not args.empty:
        raise CchcError("--province chỉ dùng cùng --empty.")
    if args.empty:
        province = args.province or province_of(settings.home_unit_code()) or "04"
        built = init_empty_store(path, province, force=args.force)
    else:
        built = init_store(path, force=args.force)
    print(f"Đã dựng kho dữ liệu: {path}" if built else f"Kho dữ liệu đã có sẵn: {path} (dùng --force để dựng lại)")
    return 0


def run_info(args) -> int:
    path = db_path(args.db)
    init_store(path)
    con = connect(path, read_only=True)
    try:
        info = store_info(con, str(path))
    finally:
        con.close()
    if args.format == "table":
        print(f"Kho: {info.path} (lược đồ v{info.schema_version}, phiên bản dữ liệu {info.data_version})")
        print(f"Năm có dữ liệu: {', '.join(map(str, info.years))}")
        print("Đơn vị: " + ", ".join(f"{lvl} {n}" for lvl, n in info.units_per_level.items()))
        print(f"Bộ tiêu chí: {', '.join(info.criteria_sets)}")
        print(f"Dòng điểm: {info.score_rows}; lô nhập: {info.batches}")
    else:
        emit(dataclasses.asdict(info), args.format)
    return 0
