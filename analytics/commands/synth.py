"""synth: a deterministic synthetic store of any size (benchmarks, scale tests)."""

from __future__ import annotations

import time
from pathlib import Path

from analytics.formatting import fmt_int, fmt_number
from analytics.settings import db_path
from analytics.synth import SynthSpec, build_synthetic_store


def register(subparsers) -> None:
    synth = subparsers.add_parser("synth", help="dựng kho dữ liệu tổng hợp (minh họa) cỡ lớn, tất định theo seed")
    synth.add_argument("--db", help="đường dẫn kho DuckDB sẽ ghi (mặc định: $CCHC_DB hoặc data/cchc.duckdb)")
    synth.add_argument("--units", type=int, default=SynthSpec.units, help="số đơn vị (tỉnh + huyện + xã)")
    synth.add_argument("--years", type=int, default=SynthSpec.years, help="số năm có điểm")
    synth.add_argument("--criteria", type=int, default=SynthSpec.criteria, help="số tiêu chí lá mỗi bộ")
    synth.add_argument("--seed", type=int, default=SynthSpec.seed, help="hạt giống ngẫu nhiên")
    synth.add_argument("--first-year", type=int, default=SynthSpec.first_year, help="năm đầu tiên")
    synth.add_argument("--provinces", type=int, help="số tỉnh (mặc định: tính từ --units)")
    synth.add_argument("--districts", type=int, help="số huyện (mặc định: tính từ --units)")
    synth.add_argument(
        "--csv-level",
        choices=("province", "district", "commune"),
        help="chỉ ghi ra CSV điểm của một cấp (tệp nạp chỉ nhận một cấp)",
    )
    synth.add_argument("--csv", type=Path, help="ghi thêm điểm dạng dài (year, unit, criterion, points) ra tệp này")
    synth.set_defaults(func=run_synth)


def run_synth(args) -> int:
    spec = SynthSpec(
        units=args.units,
        years=args.years,
        criteria=args.criteria,
        seed=args.seed,
        first_year=args.first_year,
        provinces=args.provinces,
        districts=args.districts,
    )
    started = time.perf_counter()
    result = build_synthetic_store(db_path(args.db), spec, csv_path=args.csv, csv_level=args.csv_level)
    seconds = time.perf_counter() - started
    print(f"Đã dựng kho tổng hợp (minh họa): {result.path}")
    print(
        f"Đơn vị: {fmt_int(result.units)}; dòng điểm: {fmt_int(result.score_rows)}; "
        f"đơn vị chủ quản gợi ý: CCHC_HOME_UNIT={result.home_unit}; {fmt_number(seconds, 1)} giây"
    )
    if args.csv:
        print(f"Tệp CSV dạng dài: {args.csv}")
    return 0
