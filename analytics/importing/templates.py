"""Templates to fill in: one row per unit × lowest criterion of the set in force, maxima shown.

The XLSX template carries cell validation (a decimal between 0 and the row's maximum) and
reads back through the importer as it is; the CSV template has the same columns.
"""

from __future__ import annotations

import csv
import io

import duckdb

from analytics.errors import NotFoundError
from analytics.importing.catalog import LEVEL_NAMES, Catalog, CriteriaSet, Scope

HEADER = ["Năm", "Mã đơn vị", "Tên đơn vị", "Mã tiêu chí", "Tên tiêu chí", "Điểm tối đa", "Điểm"]
POINTS_COLUMN = "G"
MAX_COLUMN = "F"
FIRST_DATA_ROW = 4  # title, note, header, then data
DEFAULT_PARENT_SQL = """
    SELECT parent_code FROM units WHERE level = ? AND valid_in_year(valid_from, valid_to, ?)
    GROUP BY parent_code ORDER BY count(*) DESC, parent_code LIMIT 1
"""


def _default_parent(con, level: str, year: int) -> str:
    """The parent with the most units of the level in force in the year (none after a level was abolished)."""
    row = con.execute(DEFAULT_PARENT_SQL, [level, year]).fetchone()
    if row is None:
        raise NotFoundError(f"Năm {year} không có đơn vị {LEVEL_NAMES.get(level, level)} nào.")
    return row[0]


def template_rows(
    con: duckdb.DuckDBPyConnection, year: int, level: str, parent: str | None = None
) -> tuple[CriteriaSet, Scope, list[list]]:
    """(criteria set, scope, rows): every unit valid that year × every lowest criterion."""
    catalog = Catalog(con)
    cs = catalog.required_criteria(level, year)
    parent = parent or _default_parent(con, level, year)
    scope = catalog.scope(level, parent)
    leaves = [c for c in cs.nodes if not cs.children.get(c)]
    rows = [
        [year, unit, scope.name(unit), code, cs.nodes[code].name, cs.nodes[code].max_points, None]
        for unit in scope.valid_in(year)
        for code in leaves
    ]
    return cs, scope, rows


def title_of(cs: CriteriaSet, scope: Scope, year: int) -> str:
    return f"MẪU NHẬP ĐIỂM CHỈ SỐ CCHC NĂM {year} — {scope.label.upper()} (bộ tiêu chí {cs.code})"


def template_csv(con, year: int, level: str, parent: str | None = None) -> bytes:
    """UTF-8 with BOM, so that Excel on Windows shows the diacritics."""
    _, _, rows = template_rows(con, year, level, parent)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([*row[:5], str(row[5]).replace(".", ","), ""])
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(con, year: int, level: str, parent: str | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    cs, scope, rows = template_rows(con, year, level, parent)
    wb = Workbook()
    ws = wb.active
    ws.title = f"Mau {year}"
    ws.append([title_of(cs, scope, year)])
    ws["A1"].font = Font(bold=True)
    ws.append(["Điền cột Điểm (dấu phẩy thập phân hoặc số của Excel), từ 0 đến Điểm tối đa; không sửa các cột khác."])
    ws.append(HEADER)
    for cell in ws[FIRST_DATA_ROW - 1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    last = FIRST_DATA_ROW + len(rows) - 1
    rule = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2=f"{MAX_COLUMN}{FIRST_DATA_ROW}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Điểm không hợp lệ",
        error="Điểm phải là số từ 0 đến Điểm tối đa của dòng.",
    )
    rule.add(f"{POINTS_COLUMN}{FIRST_DATA_ROW}:{POINTS_COLUMN}{last}")
    ws.add_data_validation(rule)
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    for column, width in zip("ABCDEFG", (7, 11, 26, 12, 48, 12, 10)):
        ws.column_dimensions[column].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- reference data: one small table per kind, with an example row or two to overwrite ----------

REFERENCE_TEMPLATES: dict[str, list[list]] = {
    "criteria": [
        ["PHỤ LỤC"],
        ["BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP HUYỆN (VÍ DỤ)"],
        ["(Kèm theo Quyết định số …/QĐ-UBND ngày … của UBND tỉnh …)"],
        ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Cơ quan chủ trì", "Ghi chú"],
        ["1", "Công tác chỉ đạo, điều hành cải cách hành chính", 40, "Phòng Nội vụ", ""],
        ["1.1", "Kế hoạch cải cách hành chính năm", 20, "", ""],
        ["1.2", "Báo cáo cải cách hành chính", 20, "", ""],
        ["2", "Cải cách thủ tục hành chính", 60, "Văn phòng HĐND và UBND", ""],
        ["2.1", "Công khai thủ tục hành chính", 30, "", ""],
        ["2.2", "Tỷ lệ hồ sơ giải quyết đúng hạn", 30, "", ""],
        ["", "TỔNG ĐIỂM", 100, "", ""],
    ],
    "bands": [
        ["Mã", "Xếp loại", "Từ (%)", "Đến dưới (%)"],
        ["XS", "Xuất sắc", 90, ""],
        ["TOT", "Tốt", 80, 90],
        ["KHA", "Khá", 65, 80],
        ["TB", "Trung bình", 50, 65],
        ["YEU", "Yếu", 0, 50],
    ],
    "offices": [["Mã cơ quan", "Tên cơ quan", "Nhiệm vụ"], ["NV", "Phòng Nội vụ", "Chỉ đạo, điều hành CCHC"]],
    "ownership": [["Mã tiêu chí", "Cơ quan chủ trì"], ["1.1", "NV"], ["2.1", "Văn phòng HĐND và UBND"]],
    "targets": [
        ["Năm", "Mã đơn vị", "Chỉ tiêu", "So sánh", "Giá trị", "Nguồn"],
        [2026, "01290", "Xếp hạng", "<=", 20, "Thông báo kết luận số …"],
    ],
    "indicators": [
        ["Năm", "Mã đơn vị", "Chỉ số hoạt động", "Giá trị", "Nguồn"],
        [2025, "01290", "on_time_pct", 97, "Báo cáo CCHC năm"],
    ],
    # A year says which unit a reused code means (01290: Thị trấn Pác Miầu in 2020, Xã Bảo Lâm in 2025).
    "aliases": [
        ["Tên gọi khác", "Mã đơn vị", "Năm", "Ghi chú"],
        ["H. Bảo Lâm", "042", 2020, "Cách viết tắt"],
        ["TT Pác Miều", "01290", 2020, "Cách viết trong Thông báo 4/2021"],
    ],
}
REFERENCE_FILE_STEMS = {
    "criteria": "mau-bo-tieu-chi",
    "bands": "mau-xep-loai",
    "offices": "mau-co-quan",
    "ownership": "mau-co-quan-chu-tri",
    "targets": "mau-chi-tieu",
    "indicators": "mau-chi-so-hoat-dong",
    "aliases": "mau-ten-goi-khac",
}


def reference_template_csv(kind: str) -> bytes:
    """UTF-8 with BOM; decimals written with a comma, as the importer reads them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in REFERENCE_TEMPLATES[kind]:
        writer.writerow([str(c).replace(".", ",") if isinstance(c, float) else c for c in row])
    return buffer.getvalue().encode("utf-8-sig")


def reference_template_xlsx(kind: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = REFERENCE_FILE_STEMS[kind].removeprefix("mau-")[:31]
    for row in REFERENCE_TEMPLATES[kind]:
        ws.append([None if c == "" else c for c in row])
    header = 4 if kind == "criteria" else 1
    for cell in ws[header]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEF", (10, 48, 14, 28, 16, 28)):
        ws.column_dimensions[column].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
