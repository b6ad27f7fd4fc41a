"""Writes the reference-data corpus: tests/data/reference/good/* and tests/data/reference/bad/* (committed).

    python tests/data/make_reference_corpus.py

Good files are written as provinces publish them: criteria annexes with title lines ("PHỤ LỤC",
"BỘ TIÊU CHÍ …", "(Kèm theo Quyết định số …)"), a "(1) (2) (3)" numbering row, merged title,
header and office cells, a TỔNG ĐIỂM / Tổng cộng row and signatures, in the three numbering styles;
bands in % and in points; offices, ownership, targets, indicators and aliases. Every set, maximum and
band here is illustrative (no public source gives Cao Bằng's own), and the files say so in their titles.
Every bad file carries one problem (tests/test_reference_corpus.py names the row and column).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent / "reference"
GOOD, BAD = HERE / "good", HERE / "bad"

# The illustrative district set used by the good annexes: (field name, office, [(criterion, max, office)]).
DISTRICT_FIELDS = [
    (
        "Công tác chỉ đạo, điều hành cải cách hành chính",
        "Phòng Nội vụ",
        [
            ("Kế hoạch cải cách hành chính năm", 2, None),
            ("Báo cáo cải cách hành chính định kỳ", 2, None),
            ("Kiểm tra công tác cải cách hành chính", 2, None),
            ("Tuyên truyền cải cách hành chính", 1.5, "Trung tâm Văn hóa và Truyền thông"),
            ("Sáng kiến, giải pháp mới trong cải cách hành chính", 1.5, None),
        ],
    ),
    (
        "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật",
        "Phòng Tư pháp",
        [("Ban hành văn bản quy phạm pháp luật", 3, None), ("Rà soát, kiểm tra văn bản", 3, None)],
    ),
    (
        "Cải cách thủ tục hành chính",
        "Văn phòng HĐND và UBND",
        [
            ("Công khai thủ tục hành chính", 4, None),
            ("Thực hiện cơ chế một cửa, một cửa liên thông", 5, None),
            ("Tỷ lệ hồ sơ giải quyết đúng hạn", 5, None),
        ],
    ),
    (
        "Cải cách tổ chức bộ máy hành chính nhà nước",
        "Phòng Nội vụ",
        [("Sắp xếp tổ chức bộ máy", 4, None), ("Quản lý biên chế", 4, None)],
    ),
    (
        "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức",
        "Phòng Nội vụ",
        [("Vị trí việc làm", 5, None), ("Đào tạo, bồi dưỡng", 5, None)],
    ),
    (
        "Cải cách tài chính công",
        "Phòng Tài chính - Kế hoạch",
        [("Quy chế chi tiêu nội bộ", 4, None), ("Quản lý, sử dụng tài sản công", 3, None)],
    ),
    (
        "Hiện đại hóa hành chính",
        "Phòng Văn hóa và Thông tin",
        [
            ("Ứng dụng công nghệ thông tin", 6, None),
            ("Dịch vụ công trực tuyến", 5, "Văn phòng HĐND và UBND"),
            ("Áp dụng ISO 9001:2015", 5, "Phòng Kinh tế và Hạ tầng"),
        ],
    ),
    (
        "Tác động của cải cách hành chính",
        "Phòng Nội vụ",
        [
            ("Khảo sát sự hài lòng của người dân, tổ chức", 20, None),
            ("Tác động đến phát triển kinh tế - xã hội", 10, None),
        ],
    ),
]
TITLE_LINES = [
    "PHỤ LỤC",
    "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP HUYỆN (MINH HỌA) ÁP DỤNG TỪ NĂM 2022",
    "(Kèm theo Quyết định số 123/QĐ-UBND ngày 15/02/2022 của UBND tỉnh Cao Bằng)",
]
HEADER = ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Cơ quan chủ trì", "Ghi chú"]
NUMBERING = ["(1)", "(2)", "(3)", "(4)", "(5)"]
SIGNATURES = [[], ["", "", "", "TM. ỦY BAN NHÂN DÂN"], ["", "", "", "CHỦ TỊCH"], ["", "", "", "(đã ký)"]]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


def fmt(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def annex_rows(style: str, fields=DISTRICT_FIELDS) -> list[list]:
    """The annex's rows under the header; style 'arabic', 'roman' or 'letters'."""
    rows: list[list] = []
    for f, (name, office, criteria) in enumerate(fields, start=1):
        total = sum(c[1] for c in criteria)
        rows.append([ROMAN[f - 1] if style == "roman" else str(f), name, fmt(total), office, ""])
        for c, (crit, points, own) in enumerate(criteria, start=1):
            number = str(c) if style == "roman" else f"{f}.{c}"
            if style == "letters" and points >= 4:
                rows.append([number, crit, fmt(points), own or "", ""])
                half = points / 2
                rows.append(["a)", f"{crit}: đúng thời hạn", fmt(half), "", ""])
                rows.append(["b)", f"{crit}: đủ nội dung", fmt(points - half), "", ""])
                continue
            rows.append([number, crit, fmt(points), own or "", ""])
    return rows


def total_row(label: str = "TỔNG ĐIỂM", total: float = 100) -> list:
    return ["", label, fmt(total), "", ""]


def csv_bytes(rows: list[list], separator: str = ",", bom: bool = True) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def annex_csv(rows: list[list], title=TITLE_LINES, total=None) -> bytes:
    lines = [[t] for t in title] + [[], HEADER, NUMBERING] + rows + [total or total_row()] + SIGNATURES
    return csv_bytes(lines)


def annex_xlsx(
    rows: list[list], title=TITLE_LINES, total_label: str = "TỔNG ĐIỂM", merge_offices: bool = True
) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    for line in title:
        ws.append([line])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=5)
    ws.append([])
    ws.append(HEADER)
    ws.append(NUMBERING)
    first = ws.max_row + 1
    for row in rows:
        ws.append([float(row[2].replace(",", ".")) if i == 2 else (row[i] or None) for i in range(5)])
    if merge_offices:  # the field's office written once, merged down its criteria without their own office
        merge_office_cells(ws, first, ws.max_row)
    ws.append([total_label, None, 100.0])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=2)
    for row in SIGNATURES:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def merge_office_cells(ws, first: int, last: int) -> None:
    """Merge the office cell of each field over the criteria just below it that have none of their own."""
    row = first
    while row <= last:
        end = row
        while end + 1 <= last and ws.cell(end + 1, 4).value is None and "." in str(ws.cell(end + 1, 1).value or ""):
            end += 1
        if end > row and ws.cell(row, 4).value and "." not in str(ws.cell(row, 1).value):
            ws.merge_cells(start_row=row, start_column=4, end_row=end, end_column=4)
        row = end + 1


COMMUNE_FIELDS = [
    ("Công tác chỉ đạo, điều hành CCHC", "UBND các xã, thị trấn", [("Kế hoạch CCHC", 6, None), ("Báo cáo", 6, None)]),
    ("Văn bản quy phạm pháp luật", None, [("Ban hành văn bản", 4, None), ("Kiểm tra văn bản", 4, None)]),
    ("Thủ tục hành chính, một cửa", None, [("Công khai TTHC", 10, None), ("Một cửa", 12, None)]),
    ("Tổ chức bộ máy", None, [("Thực hiện quy định về tổ chức", 8, None)]),
    ("Đội ngũ cán bộ, công chức", None, [("Chuẩn hóa cán bộ", 7, None), ("Bồi dưỡng", 7, None)]),
    ("Tài chính công", None, [("Thu chi ngân sách", 10, None)]),
    ("Hiện đại hóa hành chính", None, [("Một cửa điện tử", 8, None), ("Thư điện tử công vụ", 8, None)]),
    ("Sự hài lòng", None, [("Khảo sát sự hài lòng", 10, None)]),
]
COMMUNE_TITLE = [
    "PHỤ LỤC II",
    "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC CẤP XÃ (MINH HỌA)",
    "(Kèm theo Quyết định số 124/QĐ-UBND ngày 15/02/2022 của UBND tỉnh Cao Bằng)",
]


def good_files() -> dict[str, bytes]:
    bands_pct = [
        ["Mã", "Xếp loại", "Từ (%)", "Đến dưới (%)"],
        ["XS", "Xuất sắc", "90", ""],
        ["TOT", "Tốt", "80", "90"],
        ["KHA", "Khá", "70", "80"],
        ["TB", "Trung bình", "50", "70"],
        ["YEU", "Yếu", "0", "50"],
    ]
    bands_points = [
        ["THANG XẾP LOẠI CHỈ SỐ CCHC (MINH HỌA)"],
        [],
        ["Xếp loại", "Từ (điểm)", "Đến dưới (điểm)"],
        ["Tốt", "85", ""],
        ["Khá", "70", "85"],
        ["Trung bình", "50", "70"],
        ["Yếu", "0", "50"],
    ]
    return {
        "phu-luc-huyen-so-a-rap.xlsx": annex_xlsx(annex_rows("arabic")),
        "phu-luc-huyen-so-a-rap.csv": annex_csv(annex_rows("arabic")),
        "phu-luc-xa-la-ma.csv": annex_csv(annex_rows("roman", COMMUNE_FIELDS), COMMUNE_TITLE, total_row("Tổng cộng")),
        "phu-luc-huyen-chu-cai.xlsx": annex_xlsx(annex_rows("letters"), total_label="Tổng cộng"),
        "xep-loai-phan-tram.csv": csv_bytes(bands_pct),
        "xep-loai-diem.xlsx": xlsx_of(bands_points),
        "co-quan.csv": csv_bytes(
            [
                ["Mã cơ quan", "Tên cơ quan", "Nhiệm vụ"],
                ["NV", "Phòng Nội vụ", "Chỉ đạo, điều hành CCHC; tổ chức bộ máy; CBCCVC"],
                ["TNMT", "Phòng Tài nguyên và Môi trường", "Đất đai, môi trường"],
            ]
        ),
        "co-quan-chu-tri.csv": csv_bytes(
            [["Mã tiêu chí", "Cơ quan chủ trì"], ["1.4", "Trung tâm Văn hóa và Truyền thông"], ["6.2", "TCKH"]]
        ),
        "chi-tieu-2023.csv": csv_bytes(
            [
                ["Năm", "Mã đơn vị", "Chỉ tiêu", "So sánh", "Giá trị", "Nguồn"],
                ["2024", "042", "Xếp hạng", "<=", "5", "Thông báo kết luận (minh họa)"],
                [
                    "2024",
                    "Huyện Bảo Lâm",
                    "Tỷ lệ CBCC cấp xã được bồi dưỡng (%)",
                    ">",
                    "75",
                    "Thông báo kết luận (minh họa)",
                ],
            ]
        ),
        "chi-so-hoat-dong-2022.xlsx": xlsx_of(
            [
                ["Năm", "Đơn vị", "Chỉ số hoạt động", "Giá trị"],
                [2022, "042", "on_time_pct", 98.5],
                [2022, "Huyện Bảo Lâm", "Số xã, thị trấn giải quyết TTHC trên VNPT-iGATE", 9],
            ]
        ),
        "ten-goi-khac.csv": csv_bytes(
            [["Tên gọi khác", "Mã đơn vị", "Ghi chú"], ["H. Bảo Lâm", "042", "Cách viết tắt trong báo cáo"]]
        ),
    }


DISTRICTS = [
    ("040", "Thành phố Cao Bằng"),
    ("042", "Huyện Bảo Lâm"),
    ("043", "Huyện Bảo Lạc"),
    ("045", "Huyện Hà Quảng"),
    ("047", "Huyện Trùng Khánh"),
    ("048", "Huyện Hạ Lang"),
    ("049", "Huyện Quảng Hòa"),
    ("051", "Huyện Hòa An"),
    ("052", "Huyện Nguyên Bình"),
    ("053", "Huyện Thạch An"),
]


def leaves() -> list[tuple[str, float]]:
    """(code, maximum) of every criterion of the illustrative district set."""
    return [
        (f"{f}.{c}", points)
        for f, (_, _, cs) in enumerate(DISTRICT_FIELDS, 1)
        for c, (_, points, _) in enumerate(cs, 1)
    ]


def results_csv(year: int) -> bytes:
    """Illustrative results of the ten districts on that set, one row per unit × criterion, as the
    province's long table writes them (decimal commas, a title line)."""
    rows = [
        [f"KẾT QUẢ CHỈ SỐ CCHC CẤP HUYỆN NĂM {year} (DỮ LIỆU MINH HỌA)"],
        ["Năm", "Mã đơn vị", "Tên đơn vị", "Mã tiêu chí", "Điểm"],
    ]
    for i, (code, name) in enumerate(DISTRICTS):
        for j, (criterion, top) in enumerate(leaves()):
            share = 0.55 + 0.04 * ((i * 7 + j * 3 + year) % 11) - (0.06 if code == "042" else 0)
            rows.append([str(year), code, name, criterion, fmt(round(top * min(share, 1.0), 2))])
    return csv_bytes(rows)


def walk_files() -> dict[str, bytes]:
    """The results a new province loads after its annex (tests/test_reference_walk.py)."""
    return {"ket-qua-huyen-2022.csv": results_csv(2022), "ket-qua-huyen-2023.csv": results_csv(2023)}


def xlsx_of(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def with_row(rows: list[list], index: int, **changes) -> list[list]:
    """rows with the row at `index` changed: number, name, max, office."""
    changed = [list(r) for r in rows]
    positions = {"number": 0, "name": 1, "max": 2, "office": 3}
    for key, value in changes.items():
        changed[index][positions[key]] = value
    return changed


def bad_files() -> dict[str, bytes]:
    rows = annex_rows("arabic")  # line of rows[i] in the CSV: i + 7 (3 title lines, blank, header, numbering)
    return {
        "phu-luc-con-lech-cha.csv": annex_csv(with_row(rows, 1, max="2,5")),  # 1.1 = 2,5: field 1 sums to 9,5
        "phu-luc-trung-so.csv": annex_csv(with_row(rows, 2, number="1.1")),
        "phu-luc-nhay-so.csv": annex_csv(rows[:3] + [[f"1.{i + 1}", *rows[i][1:]] for i in (3, 4, 5)] + rows[6:]),
        "phu-luc-thieu-cha.csv": annex_csv(rows[:7] + [["2.3.1", "Tiêu chí con không có cha", "1", "", ""]] + rows[7:]),
        "phu-luc-diem-chu.csv": annex_csv(with_row(rows, 8, max="hai")),
        "phu-luc-diem-am.csv": annex_csv(with_row(rows, 9, max="-3")),
        "phu-luc-tong-lech.csv": annex_csv(rows, total=total_row(total=95)),
        "phu-luc-trung-nam.csv": annex_csv(rows),  # loaded with --year-from 2019: DEMO-HUYEN-2020's year
        "phu-luc-bo-roi-diem.csv": annex_csv(rows),  # from 2020: the demo's 2020 criteria are not in it
        "xep-loai-chong-nhau.csv": csv_bytes(
            [["Xếp loại", "Từ (%)", "Đến dưới (%)"], ["Tốt", "80", ""], ["Khá", "65", "85"], ["Yếu", "0", "65"]]
        ),
        "xep-loai-lon-xon.csv": csv_bytes([["Xếp loại", "Từ (%)"], ["Tốt", "80"], ["Yếu", "0"], ["Khá", "65"]]),
        "chi-tieu-don-vi-khong-co.csv": csv_bytes(
            [
                ["Năm", "Đơn vị", "Chỉ tiêu", "So sánh", "Giá trị"],
                ["2024", "Huyện Bảo Lâm", "Xếp hạng", "<=", "5"],
                ["2024", "Huyện Bảo Lâmm Lâm", "Xếp hạng", "<=", "4"],
            ]
        ),
        "chi-tieu-so-sanh-sai.csv": csv_bytes(
            [["Năm", "Đơn vị", "Chỉ tiêu", "So sánh", "Giá trị"], ["2024", "042", "Xếp hạng", "khoảng", "5"]]
        ),
        "chi-so-khong-phai-so.csv": csv_bytes(
            [["Năm", "Mã đơn vị", "Chỉ số hoạt động", "Giá trị"], ["2022", "042", "on_time_pct", "97 %x"]]
        ),
        **hostile_bad_files(rows),
    }


def hostile_bad_files(rows: list[list]) -> dict[str, bytes]:
    """What a hostile-input probe tried (issue #11): absurd maxima, a number whose decimal mark the file
    does not show, a name of a whole page, a file not in UTF-8, a year that is not one."""
    integers = annex_rows("arabic", COMMUNE_FIELDS)  # whole maxima only: the file shows no decimal mark
    return {
        "phu-luc-diem-qua-lon.csv": annex_csv(with_row(rows, 1, max="1000000")),
        "phu-luc-diem-le.csv": annex_csv(with_row(rows, 2, max="2,0001")),
        "phu-luc-so-mo-ho.csv": annex_csv(with_row(integers, 1, max="6.000"), COMMUNE_TITLE),
        "phu-luc-ten-qua-dai.csv": annex_csv(with_row(rows, 3, name="Kiểm tra công tác cải cách hành chính " * 9)),
        "phu-luc-windows-1258.csv": annex_csv(rows).decode("utf-8-sig").encode("cp1258", errors="replace"),
        "chi-tieu-nam-sai.csv": csv_bytes(
            [["Năm", "Đơn vị", "Chỉ tiêu", "So sánh", "Giá trị"], ["2O24", "042", "Xếp hạng", "<=", "5"]]
        ),
    }


def main() -> None:
    for folder, files in ((GOOD, good_files()), (BAD, bad_files()), (HERE / "walk", walk_files())):
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)


if __name__ == "__main__":
    main()
