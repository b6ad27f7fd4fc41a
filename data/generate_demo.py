"""Deterministic generator of the shipped demo data (data/demo/*.csv, data/samples/*).

Run:  python data/generate_demo.py            (rewrites the files in place)
      python data/generate_demo.py --check    (exit 1 if the committed files differ)

What is real and what is illustrative
-------------------------------------
Real (from the April 2021 notice of UBND huyện Bảo Lâm, see shared/seed/), stored with
is_demo = false:
  F1 2020 Bảo Lâm total 73,79, rank 9/10;  F2 2019 total 81,00, rank 7/10;
  F7 on-time rate 97 %, 12 district offices and 5 communes on VNPT-iGATE, the 7 communes
     without an e-one-stop system;  F8 targets for 2021 (rank 5/10, > 70 % trained).
The commune bands (F3, F4), the +3,0 mean change (F5) and Bảo Lâm's weak fields (F6: exactly
fields 7, 6, 5 and 3 below the provincial mean) are real facts, but the numbers behind them are not
published: every commune point, every other district's point and every criterion-level point is
illustrative, invented here to fit those facts, and stored with is_demo = true.

After the 2025 reform (issue #12): the criteria set DEMO-XA-2025 and the 2025 results of the 56 communes
and wards of Cao Bằng are illustrative too (is_demo = true), drawn from a seeded generator; no district or
Bảo Lâm commune results are written for 2021-2024. The units themselves are not written here: the store
loads the official register data/register/04/ (analytics/register.py).

Method: each unit-year gets a total (hand-picked below), which is split into fields and
then into criteria in whole hundredths of a point, using a seeded random profile per unit
and a final exact correction so that the parts always add up to the total.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO_DIR = HERE / "demo"
SAMPLES_DIR = HERE / "samples"
SEED = 20210423  # the day of the conference in the notice
NOTICE = "Thông báo kết luận của Chủ tịch UBND huyện Bảo Lâm, tháng 4/2021"
ILLUSTRATIVE = "Minh họa (data/generate_demo.py)"

PROVINCE_CODE = "04"  # Cao Bằng: its units are the official register in data/register/04/, not written here
REGISTER_VERSIONS = HERE / "register" / PROVINCE_CODE / "unit_versions.csv"
DISTRICTS = [
    ("040", "Thành phố Cao Bằng", "thành phố"),
    ("042", "Huyện Bảo Lâm", "huyện"),
    ("043", "Huyện Bảo Lạc", "huyện"),
    ("045", "Huyện Hà Quảng", "huyện"),
    ("047", "Huyện Trùng Khánh", "huyện"),
    ("048", "Huyện Hạ Lang", "huyện"),
    ("049", "Huyện Quảng Hòa", "huyện"),
    ("051", "Huyện Hòa An", "huyện"),
    ("052", "Huyện Nguyên Bình", "huyện"),
    ("053", "Huyện Thạch An", "huyện"),
]
REFORM_DAY = "2025-07-01"  # communes merged, districts dissolved; from 2025 the province ranks its communes

COMMUNES = [
    ("01290", "Thị trấn Pác Miầu", "thị trấn"),
    ("01291", "Xã Đức Hạnh", "xã"),
    ("01294", "Xã Lý Bôn", "xã"),
    ("01296", "Xã Nam Cao", "xã"),
    ("01297", "Xã Nam Quang", "xã"),
    ("01300", "Xã Vĩnh Quang", "xã"),
    ("01303", "Xã Quảng Lâm", "xã"),
    ("01304", "Xã Thạch Lâm", "xã"),
    ("01309", "Xã Vĩnh Phong", "xã"),
    ("01312", "Xã Mông Ân", "xã"),
    ("01315", "Xã Thái Học", "xã"),
    ("01316", "Xã Thái Sơn", "xã"),
    ("01318", "Xã Yên Thổ", "xã"),
]

ALIASES = [
    ("TT Pác Miều", "01290", "Cách viết trong Thông báo 4/2021"),
    ("Pác Miều", "01290", "Cách viết trong Thông báo 4/2021"),
    ("Thị trấn Pác Miều", "01290", "Cách viết trong Thông báo 4/2021"),
    ("Hoà An", "051", "Cách bỏ dấu cũ"),
    ("Quảng Hoà", "049", "Cách bỏ dấu cũ"),
    ("TP Cao Bằng", "040", "Viết tắt"),
    ("TP. Cao Bằng", "040", "Viết tắt"),
    ("Thành phố CB", "040", "Viết tắt"),
]

OFFICES = [
    ("NV", "Phòng Nội vụ", "Chỉ đạo, điều hành CCHC; tổ chức bộ máy; đội ngũ CBCCVC; đào tạo; kỷ luật"),
    ("VP", "Văn phòng HĐND và UBND", "TTHC; một cửa; dịch vụ công trực tuyến; văn bản điện tử, chữ ký số"),
    ("TP", "Phòng Tư pháp", "Văn bản quy phạm pháp luật"),
    ("TCKH", "Phòng Tài chính - Kế hoạch", "Cải cách tài chính công; quy chế chi tiêu nội bộ"),
    ("KTHT", "Phòng Kinh tế và Hạ tầng", "ISO 9001:2015"),
    ("VHTT", "Phòng Văn hóa và Thông tin", "Ứng dụng CNTT; hòm thư công vụ"),
    ("TTVHTT", "Trung tâm Văn hóa và Truyền thông", "Tuyên truyền CCHC"),
    ("XA", "UBND các xã, thị trấn", "Các tiêu chí cấp xã"),
    # The offices of a commune after the 2025 reform (two-tier local government), owners of DEMO-XA-2025.
    ("XA_VP", "Văn phòng HĐND và UBND xã", "Chỉ đạo, điều hành CCHC; văn bản; bộ máy, công chức; chuyển đổi số"),
    ("XA_KT", "Phòng Kinh tế xã", "Tài chính, ngân sách xã"),
    ("XA_VHXH", "Phòng Văn hóa - Xã hội xã", "Tuyên truyền CCHC"),
    ("XA_HCC", "Trung tâm Phục vụ hành chính công xã", "TTHC; một cửa; dịch vụ công trực tuyến; sự hài lòng"),
]

FIELD_NAMES = {
    "1": "Công tác chỉ đạo, điều hành CCHC",
    "2": "Xây dựng và tổ chức thực hiện văn bản QPPL",
    "3": "Cải cách thủ tục hành chính, một cửa, một cửa liên thông",
    "4": "Cải cách tổ chức bộ máy hành chính nhà nước",
    "5": "Xây dựng và nâng cao chất lượng đội ngũ CBCCVC",
    "6": "Cải cách tài chính công",
    "7": "Hiện đại hóa hành chính",
    "8": "Tác động của CCHC, khảo sát sự hài lòng",
}
FIELD_OFFICE = {"1": "NV", "2": "TP", "3": "VP", "4": "NV", "5": "NV", "6": "TCKH", "7": "VHTT", "8": "NV"}

# (code, name, max points, owning office); field maxima are fixed by DESIGN.md.
DISTRICT_CRITERIA = {
    "1": [
        ("1.1", "Kế hoạch CCHC năm", 3, "NV"),
        ("1.2", "Báo cáo CCHC định kỳ", 2, "NV"),
        ("1.3", "Kiểm tra công tác CCHC", 2, "NV"),
        ("1.4", "Tuyên truyền CCHC", 2, "TTVHTT"),
        ("1.5", "Sáng kiến, giải pháp mới trong CCHC", 1, "NV"),
    ],
    "2": [
        ("2.1", "Ban hành VBQPPL đúng trình tự, thủ tục", 2, "TP"),
        ("2.2", "Kiểm tra, rà soát, hệ thống hóa VBQPPL", 2, "TP"),
        ("2.3", "Theo dõi thi hành pháp luật", 2, "TP"),
    ],
    "3": [
        ("3.1", "Công bố, công khai TTHC", 3, "VP"),
        ("3.2", "Thực hiện cơ chế một cửa, một cửa liên thông", 4, "VP"),
        ("3.3", "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn", 4, "VP"),
        ("3.4", "Tiếp nhận, xử lý phản ánh, kiến nghị", 3, "VP"),
    ],
    "4": [
        ("4.1", "Sắp xếp tổ chức bộ máy", 3, "NV"),
        ("4.2", "Thực hiện quy định về biên chế", 3, "NV"),
        ("4.3", "Thực hiện phân cấp quản lý", 2, "NV"),
    ],
    "5": [
        ("5.1", "Vị trí việc làm, cơ cấu ngạch công chức", 2, "NV"),
        ("5.2", "Tuyển dụng, sử dụng CBCCVC", 2, "NV"),
        ("5.3", "Đào tạo, bồi dưỡng CBCCVC", 3, "NV"),
        ("5.4", "Kỷ luật, kỷ cương hành chính", 3, "NV"),
    ],
    "6": [
        ("6.1", "Khoán kinh phí, tự chủ tài chính", 3, "TCKH"),
        ("6.2", "Quy chế chi tiêu nội bộ, quản lý tài sản công", 2, "TCKH"),
        ("6.3", "Tự chủ tại đơn vị sự nghiệp công lập", 2, "TCKH"),
    ],
    "7": [
        ("7.1", "Ứng dụng công nghệ thông tin", 4, "VHTT"),
        ("7.2", "Văn bản điện tử, chữ ký số", 3, "VP"),
        ("7.3", "Sử dụng hòm thư công vụ", 2, "VHTT"),
        ("7.4", "Dịch vụ công trực tuyến", 3, "VP"),
        ("7.5", "Áp dụng ISO 9001:2015", 3, "KTHT"),
    ],
    "8": [
        ("8.1", "Sự hài lòng của người dân, tổ chức", 20, "VP"),
        ("8.2", "Đánh giá của đại biểu, lãnh đạo về CCHC", 10, "NV"),
    ],
}
COMMUNE_CRITERIA = {
    "1": [("1.1", "Kế hoạch, báo cáo CCHC", 6, "XA"), ("1.2", "Kiểm tra, tuyên truyền CCHC", 6, "XA")],
    "2": [("2.1", "Ban hành văn bản QPPL", 4, "XA"), ("2.2", "Rà soát, theo dõi thi hành pháp luật", 4, "XA")],
    "3": [
        ("3.1", "Công khai TTHC", 6, "XA"),
        ("3.2", "Một cửa, một cửa liên thông", 8, "XA"),
        ("3.3", "Giải quyết hồ sơ đúng hạn", 8, "XA"),
    ],
    "4": [("4.1", "Tổ chức bộ máy, biên chế", 8, "XA")],
    "5": [
        ("5.1", "Chuẩn hóa công chức cấp xã", 6, "XA"),
        ("5.2", "Đào tạo, bồi dưỡng", 4, "XA"),
        ("5.3", "Kỷ luật, kỷ cương", 4, "XA"),
    ],
    "6": [("6.1", "Quản lý, sử dụng ngân sách", 6, "XA"), ("6.2", "Quy chế chi tiêu nội bộ", 4, "XA")],
    "7": [("7.1", "Ứng dụng CNTT, văn bản điện tử", 8, "XA"), ("7.2", "Một cửa điện tử", 8, "XA")],
    "8": [("8.1", "Sự hài lòng của người dân", 10, "XA")],
}
# The communes of a province after the 2025 reform (illustrative too): the same fields and maxima, with
# the digital-government criteria of the new two-tier administration.
COMMUNE_OFFICES_2025 = {
    "1.1": "XA_VP",
    "1.2": "XA_VHXH",
    "2.1": "XA_VP",
    "2.2": "XA_VP",
    "3.1": "XA_HCC",
    "3.2": "XA_HCC",
    "3.3": "XA_HCC",
    "4.1": "XA_VP",
    "5.1": "XA_VP",
    "5.2": "XA_VP",
    "5.3": "XA_VP",
    "6.1": "XA_KT",
    "6.2": "XA_KT",
    "7.1": "XA_VP",
    "7.2": "XA_HCC",
    "8.1": "XA_HCC",
}
COMMUNE_CRITERIA_2025 = {
    field: [(code, name, points, COMMUNE_OFFICES_2025[code]) for code, name, points, _ in items]
    for field, items in {
        **COMMUNE_CRITERIA,
        "7": [("7.1", "Chuyển đổi số, văn bản điện tử", 8, ""), ("7.2", "Dịch vụ công trực tuyến toàn trình", 8, "")],
    }.items()
}
BANDS = [("XS", "Xuất sắc", 90), ("TOT", "Tốt", 80), ("KHA", "Khá", 65), ("TB", "Trung bình", 50), ("YEU", "Yếu", 0)]
CRITERIA_SETS = [
    ("DEMO-HUYEN-2020", "district", 2019, "", "Bộ tiêu chí cấp huyện (minh họa)", DISTRICT_CRITERIA),
    ("DEMO-XA-2020", "commune", 2019, "", "Bộ tiêu chí cấp xã (minh họa)", COMMUNE_CRITERIA),
    (
        "DEMO-XA-2025",
        "commune",
        2025,
        "",
        "Bộ tiêu chí cấp xã sau sắp xếp đơn vị hành chính (minh họa)",
        COMMUNE_CRITERIA_2025,
    ),
]
LEGAL_SOURCE = "Không có nguồn công khai về thang điểm của tỉnh Cao Bằng: số liệu minh họa"

# District totals; Bảo Lâm's two are F1/F2, the rest are illustrative.
DISTRICT_TOTALS = {
    2019: {
        "040": 86.45,
        "042": 81.00,
        "043": 76.40,
        "045": 81.20,
        "047": 82.05,
        "048": 77.25,
        "049": 81.85,
        "051": 83.10,
        "052": 81.40,
        "053": 78.10,
    },
    2020: {
        "040": 87.62,
        "042": 73.79,
        "043": 72.15,
        "045": 79.18,
        "047": 82.90,
        "048": 75.02,
        "049": 81.40,
        "051": 84.25,
        "052": 78.56,
        "053": 77.35,
    },
}
SAMPLE_2021_TOTALS = {
    "040": 88.10,
    "042": 79.85,
    "043": 74.85,
    "045": 80.05,
    "047": 83.40,
    "048": 76.20,
    "049": 82.15,
    "051": 85.02,
    "052": 79.60,
    "053": 77.90,
}
# Bảo Lâm 2020 by field: below the mean of the ten districts on exactly 7, 6, 5 and 3, as footnote 5 of the
# notice says (F6), and at or above it on every other field (fields_below_mean checks it on every run).
BAO_LAM_2020_FIELDS = {"1": 8.60, "2": 5.04, "3": 9.40, "4": 6.90, "5": 6.60, "6": 4.20, "7": 8.45, "8": 24.60}
# Commune totals chosen so the bands are F3/F4 and the mean change is exactly +3,00 (F5).
COMMUNE_TOTALS = {
    "01304": (82.50, 84.10),
    "01290": (76.20, 78.40),
    "01294": (71.80, 73.05),
    "01297": (68.40, 70.15),
    "01303": (66.90, 67.30),
    "01300": (62.30, 67.85),
    "01312": (61.75, 66.20),
    "01296": (60.40, 65.90),
    "01318": (59.85, 65.40),
    "01316": (58.90, 65.10),
    "01315": (57.20, 59.45),
    "01291": (55.60, 57.10),
    "01309": (54.30, 55.10),
}
NO_E_ONE_STOP_2020 = {"01315", "01316", "01296", "01318", "01291", "01300", "01309"}  # footnote 6
ON_IGATE_2020 = {"01304", "01290", "01294", "01297", "01303"}  # five, per the notice; which five is illustrative

MEASURES = [
    ("rank", "Thứ hạng chỉ số CCHC", "target", "rank"),
    ("commune_staff_trained_pct", "Tỷ lệ CBCC cấp xã được bồi dưỡng chuyên môn, nghiệp vụ", "target", "pct"),
    ("on_time_pct", "Tỷ lệ hồ sơ TTHC giải quyết trước hạn, đúng hạn", "indicator", "pct"),
    ("district_units_on_igate", "Số đơn vị cấp huyện giải quyết TTHC trên VNPT-iGATE", "indicator", "count"),
    ("communes_on_igate", "Số xã, thị trấn giải quyết TTHC trên VNPT-iGATE", "indicator", "count"),
    ("uses_vnpt_igate", "Giải quyết TTHC trên VNPT-iGATE", "indicator", "bool"),
    ("has_e_one_stop", "Có hệ thống một cửa điện tử", "indicator", "bool"),
    ("has_dossiers", "Có hồ sơ TTHC phát sinh trên hệ thống", "indicator", "bool"),
]


def cents(x: float) -> int:
    return int(round(x * 100))


def split_total(total_c: int, maxima_c: list[int], profile: list[float], rng: random.Random) -> list[int]:
    """Split total_c (hundredths) into parts bounded by maxima_c, shaped by profile offsets."""
    base = total_c / sum(maxima_c)
    ratios = [min(1.0, max(0.2, base + off + rng.uniform(-0.03, 0.03))) for off in profile]
    parts = [int(m * r) for m, r in zip(maxima_c, ratios)]
    return _correct_to_total(parts, maxima_c, total_c)


def _correct_to_total(parts: list[int], maxima_c: list[int], total_c: int) -> list[int]:
    if not 0 <= total_c <= sum(maxima_c):
        raise ValueError(f"total {total_c} outside 0..{sum(maxima_c)}")
    diff = total_c - sum(parts)
    while diff:
        room = [(m - p) if diff > 0 else p for p, m in zip(parts, maxima_c)]
        total_room = sum(room)
        step = [int(diff * r / total_room) if total_room else 0 for r in room]
        if not any(step):  # hand out the last few hundredths one by one, largest room first
            order = sorted(range(len(parts)), key=lambda i: (-room[i], i))
            step = [0] * len(parts)
            step[order[0]] = 1 if diff > 0 else -1
        parts = [p + s for p, s in zip(parts, step)]
        diff = total_c - sum(parts)
    return parts


def unit_profile(rng: random.Random, n: int, spread: float = 0.05) -> list[float]:
    return [rng.uniform(-spread, spread) for _ in range(n)]


def criteria_points(criteria: dict, field_points_c: dict[str, int], rng: random.Random) -> dict[str, int]:
    out: dict[str, int] = {}
    for field, items in criteria.items():
        maxima = [cents(m) for _, _, m, _ in items]
        parts = split_total(field_points_c[field], maxima, unit_profile(rng, len(items), 0.04), rng)
        out.update({code: p for (code, _, _, _), p in zip(items, parts)})
    return out


def field_maxima_c(criteria: dict) -> dict[str, int]:
    return {f: sum(cents(m) for _, _, m, _ in items) for f, items in criteria.items()}


def unit_year_scores(code, total, criteria, profiles, rng, fixed_fields=None) -> dict[str, int]:
    fmax = field_maxima_c(criteria)
    fields = list(fmax)
    if fixed_fields:
        fields_c = {f: cents(fixed_fields[f]) for f in fields}
        assert sum(fields_c.values()) == cents(total), code
    else:
        parts = split_total(cents(total), [fmax[f] for f in fields], profiles[code], rng)
        fields_c = dict(zip(fields, parts))
    return criteria_points(criteria, fields_c, rng)


def build_scores(rng: random.Random) -> list[dict]:
    rows = []
    d_profiles = {c: unit_profile(rng, 8) for c, _, _ in DISTRICTS}
    c_profiles = {c: unit_profile(rng, 8) for c, _, _ in COMMUNES}
    for year, totals in DISTRICT_TOTALS.items():
        for code, _, _ in DISTRICTS:
            fixed = BAO_LAM_2020_FIELDS if (code, year) == ("042", 2020) else None
            pts = unit_year_scores(code, totals[code], DISTRICT_CRITERIA, d_profiles, rng, fixed)
            rows += [_score(year, code, crit, p, True) for crit, p in pts.items()]
    for code, _, _ in COMMUNES:
        for year, total in zip((2019, 2020), COMMUNE_TOTALS[code]):
            pts = unit_year_scores(code, total, COMMUNE_CRITERIA, c_profiles, rng)
            rows += [_score(year, code, crit, p, True) for crit, p in pts.items()]
    # The two totals the notice publishes, kept as their own real rows.
    rows += [_score(2019, "042", "TOTAL", cents(81.00), False), _score(2020, "042", "TOTAL", cents(73.79), False)]
    return rows


def new_communes() -> list[str]:
    """The codes of the communes and wards of the province from the 2025 reform on, from the register."""
    with REGISTER_VERSIONS.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        return [r["code"] for r in rows if r["level"] == "commune" and r["valid_from"] == REFORM_DAY]


def build_scores_2025(rng: random.Random) -> list[dict]:
    """Illustrative 2025 results of every commune and ward of the province (no real one is published)."""
    rows = []
    for code in new_communes():
        total = rng.randint(5500, 9200) / 100
        pts = unit_year_scores(code, total, COMMUNE_CRITERIA_2025, {code: unit_profile(rng, 8)}, rng)
        rows += [_score(2025, code, crit, p, True) for crit, p in pts.items()]
    return rows


F6_WEAK_FIELDS = {"3", "5", "6", "7"}


def fields_below_mean(rows: list[dict], year: int = 2020, unit: str = "042") -> set[str]:
    """The fields where `unit` is below the mean of the districts, in % of maximum (F6 of DESIGN.md)."""
    criteria_field = {c: f for f, items in DISTRICT_CRITERIA.items() for c, _, _, _ in items}
    fmax = field_maxima_c(DISTRICT_CRITERIA)
    district_codes = {c for c, _, _ in DISTRICTS}
    cents_by = {}
    for r in rows:
        if r["year"] == year and r["unit_code"] in district_codes and r["criterion_code"] in criteria_field:
            key = (r["unit_code"], criteria_field[r["criterion_code"]])
            cents_by[key] = cents_by.get(key, 0) + cents(float(r["points"]))
    pct = {key: value / fmax[key[1]] for key, value in cents_by.items()}
    mean = {f: sum(pct[(d, f)] for d in district_codes) / len(district_codes) for f in fmax}
    return {f for f in fmax if pct[(unit, f)] < mean[f]}


def _score(year, unit, criterion, points_c, is_demo) -> dict:
    return {
        "year": year,
        "unit_code": unit,
        "criterion_code": criterion,
        "points": f"{points_c / 100:.2f}",
        "self_points": "",
        "is_demo": str(is_demo).lower(),
        "source": ILLUSTRATIVE if is_demo else NOTICE,
    }


def build_criteria() -> tuple[list[dict], list[dict], list[dict]]:
    sets, criteria, bands = [], [], []
    for set_code, level, year_from, year_to, name, tree in CRITERIA_SETS:
        sets.append(
            {
                "code": set_code,
                "level": level,
                "year_from": year_from,
                "year_to": year_to,
                "name": name,
                "legal_source": LEGAL_SOURCE,
                "is_demo": "true",
            }
        )
        order = iter(range(1, 1000))
        criteria.append(_criterion(set_code, "TOTAL", "", "Tổng điểm chỉ số CCHC", 100, "", next(order)))
        for field, items in tree.items():
            fmax = sum(m for _, _, m, _ in items)
            criteria.append(
                _criterion(
                    set_code,
                    field,
                    "TOTAL",
                    FIELD_NAMES[field],
                    fmax,
                    FIELD_OFFICE[field] if level == "district" else _main_office(items),
                    next(order),
                )
            )
            criteria += [_criterion(set_code, c, field, n, m, o, next(order)) for c, n, m, o in items]
        bands += [
            {"set_code": set_code, "code": c, "name": n, "min_pct": p, "sort_order": i}
            for i, (c, n, p) in enumerate(BANDS, 1)
        ]
    return sets, criteria, bands


def _main_office(items) -> str:
    """The office that owns most of a field's points (the first of equals)."""
    points: dict[str, float] = {}
    for _, _, max_points, office in items:
        points[office] = points.get(office, 0) + max_points
    return max(points, key=points.get)


def _criterion(set_code, code, parent, name, max_points, office, order) -> dict:
    return {
        "set_code": set_code,
        "code": code,
        "parent_code": parent,
        "name": name,
        "max_points": f"{max_points:.2f}",
        "office_code": office,
        "sort_order": order,
    }


def build_targets() -> list[dict]:
    return [
        {
            "year": 2021,
            "unit_code": "042",
            "metric": "rank",
            "comparator": "<=",
            "value": "5",
            "is_demo": "false",
            "source": NOTICE,
        },
        {
            "year": 2021,
            "unit_code": "042",
            "metric": "commune_staff_trained_pct",
            "comparator": ">",
            "value": "70",
            "is_demo": "false",
            "source": NOTICE,
        },
    ]


def build_indicators() -> list[dict]:
    real = lambda unit, ind, val: _indicator(unit, ind, val, False)  # noqa: E731
    rows = [
        real("042", "on_time_pct", 97),
        real("042", "district_units_on_igate", 12),
        real("042", "communes_on_igate", 5),
    ]
    for code, _, _ in COMMUNES:
        no_system = code in NO_E_ONE_STOP_2020
        rows.append(_indicator(code, "has_e_one_stop", 0 if no_system else 1, not no_system))
        rows.append(_indicator(code, "has_dossiers", 0 if no_system else 1, not no_system))
        rows.append(_indicator(code, "uses_vnpt_igate", 1 if code in ON_IGATE_2020 else 0, not no_system))
    return rows


def _indicator(unit, indicator, value, is_demo) -> dict:
    return {
        "year": 2020,
        "unit_code": unit,
        "indicator": indicator,
        "value": str(value),
        "is_demo": str(is_demo).lower(),
        "source": ILLUSTRATIVE if is_demo else NOTICE,
    }


def sample_2021_rows(rng: random.Random) -> list[dict]:
    fmax = field_maxima_c(DISTRICT_CRITERIA)
    profiles = {c: unit_profile(rng, 8) for c, _, _ in DISTRICTS}
    rows = []
    for code, name, _ in DISTRICTS:
        parts = split_total(cents(SAMPLE_2021_TOTALS[code]), list(fmax.values()), profiles[code], rng)
        rows.append({"code": code, "name": name, "fields": [p / 100 for p in parts], "total": SAMPLE_2021_TOTALS[code]})
    ordered = sorted(rows, key=lambda r: -r["total"])
    for r in rows:
        r["rank"] = 1 + sum(1 for o in ordered if o["total"] > r["total"])
    return rows


def to_csv(rows: list[dict], columns: list[str] | None = None) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns or list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


SAMPLE_HEADER = ["STT", "Mã đơn vị", "Tên đơn vị"] + [f"Lĩnh vực {i}" for i in range(1, 9)] + ["Tổng điểm", "Xếp hạng"]
SAMPLE_TITLE = "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2021 CÁC HUYỆN, THÀNH PHỐ (DỮ LIỆU MINH HỌA)"


def sample_table(rows: list[dict]) -> list[list]:
    return [[i, r["code"], r["name"], *r["fields"], r["total"], r["rank"]] for i, r in enumerate(rows, 1)]


def sample_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([SAMPLE_TITLE])
    writer.writerow(["Năm"] + SAMPLE_HEADER)
    for line in sample_table(rows):
        writer.writerow([2021] + [f"{v:.2f}" if isinstance(v, float) else v for v in line])
    return buf.getvalue()


def sample_xlsx(rows: list[dict], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Huyen 2021"
    ws.append([SAMPLE_TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(SAMPLE_HEADER))
    ws["A1"].font = Font(bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["(Kèm theo Quyết định của UBND tỉnh; số liệu minh họa, không phải kết quả thật)"])
    ws.append([])
    ws.append(SAMPLE_HEADER)
    for line in sample_table(rows):
        ws.append(line)
    ws.append([])
    ws.append(["Ghi chú: điểm lĩnh vực gồm điểm thẩm định và điểm điều tra xã hội học."])
    ws.append(["", "", "Người lập biểu"])
    wb.properties.creator = "generate_demo.py"
    wb.properties.created = wb.properties.modified = __import__("datetime").datetime(2021, 12, 31)
    wb.save(path)


def build_all() -> dict[str, str]:
    rng = random.Random(SEED)
    sets, criteria, bands = build_criteria()
    scores = build_scores(rng) + build_scores_2025(random.Random(SEED + 2025))
    if fields_below_mean(scores) != F6_WEAK_FIELDS:
        raise AssertionError(f"F6: Bảo Lâm 2020 is below the mean on {sorted(fields_below_mean(scores))}")
    files = {
        "unit_aliases.csv": to_csv([{"alias": a, "unit_code": c, "note": n} for a, c, n in ALIASES]),
        "offices.csv": to_csv([{"code": c, "name": n, "duties": d} for c, n, d in OFFICES]),
        "criteria_sets.csv": to_csv(sets),
        "criteria.csv": to_csv(criteria),
        "bands.csv": to_csv(bands),
        "measures.csv": to_csv([{"code": c, "name": n, "kind": k, "unit": u} for c, n, k, u in MEASURES]),
        "scores.csv": to_csv(scores),
        "targets.csv": to_csv(build_targets()),
        "indicators.csv": to_csv(build_indicators()),
    }
    return files


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if data/demo differs from a fresh run")
    args = parser.parse_args(argv)
    files = build_all()
    if args.check:
        stale = [n for n, text in files.items() if (DEMO_DIR / n).read_text(encoding="utf-8") != text]
        print("stale: " + ", ".join(stale) if stale else "data/demo is up to date")
        return 1 if stale else 0
    DEMO_DIR.mkdir(exist_ok=True)
    SAMPLES_DIR.mkdir(exist_ok=True)
    for name, text in files.items():
        (DEMO_DIR / name).write_text(text, encoding="utf-8")
    rows = sample_2021_rows(random.Random(SEED + 2021))
    (SAMPLES_DIR / "ket-qua-huyen-2021.csv").write_text(sample_csv(rows), encoding="utf-8")
    sample_xlsx(rows, SAMPLES_DIR / "ket-qua-huyen-2021.xlsx")
    print(f"wrote {len(files)} files to {DEMO_DIR} and 2 samples to {SAMPLES_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
