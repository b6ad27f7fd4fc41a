"""What a sheet hides from the eye, said before anything is stored.

Once the table of a sheet is found: formula cells without a saved value and merged ranges over
data cells are errors (the values read would not be the ones the person sees); hidden sheets,
rows and columns holding data are warnings (they are read like the rest); characters removed
from a cell because they change how it looks but not what it says are warnings showing them.
"""

from __future__ import annotations

import unicodedata

from analytics.formatting import fmt_int
from analytics.importing.formats import KEY_ROLES, Layout
from analytics.importing.problems import WARNING, ProblemList, row_ranges
from analytics.importing.read import RawSheet
from analytics.importing.workbook import SheetCells, merged_bounds
from analytics.names import HIDDEN_MARKS

LISTED = 10  # cells, rows or ranges named in one message
SHEET_STATES = {"hidden": "bị ẩn", "veryHidden": "bị ẩn sâu (very hidden, không bỏ ẩn được từ Excel)"}


def check_sheet(layout: Layout, problems: ProblemList) -> None:
    sheet = layout.sheet
    report_altered(sheet, problems)
    if sheet.cells is None:  # a text file: nothing hidden, merged or computed
        return
    report_formulas(sheet.name, sheet.cells, problems)
    report_merged(layout, sheet.cells, problems)
    report_hidden(sheet.name, sheet.cells, problems)


def listed(items: list) -> str:
    shown = ", ".join(map(str, items[:LISTED]))
    return shown + (f" và {fmt_int(len(items) - LISTED)} ô khác" if len(items) > LISTED else "")


def report_formulas(sheet_name: str | None, sheet_cells: SheetCells, problems: ProblemList) -> None:
    cells = sheet_cells.unsaved_formulas
    if cells:
        problems.add(
            sheet=sheet_name,
            value=cells[0],
            kind="formula_without_value",
            reason=f"{fmt_int(len(cells))} ô công thức chưa có giá trị đã tính: {listed(cells)}. Tệp được "
            "lưu bởi một chương trình không tính công thức, nên các ô này đọc ra trống.",
            suggestion="Mở tệp bằng Excel hoặc LibreOffice Calc cho công thức được tính, lưu lại rồi nạp.",
        )


def report_merged(layout: Layout, cells: SheetCells, problems: ProblemList) -> None:
    data_lines = {row.line for row in layout.rows if not row.after_gap}
    roles = {c.index + 1: c.role for c in layout.columns}
    for ref in cells.merged:
        min_col, min_row, max_col, max_row = merged_bounds(ref)
        if not data_lines & set(range(min_row, max_row + 1)):
            continue
        key_down = layout.kind == "long" and min_col == max_col and roles.get(min_col) in KEY_ROLES
        if not key_down:  # a unit or year written once down a long table is carried down on purpose
            problems.add(
                sheet=layout.sheet.name,
                row=min_row,
                value=ref,
                kind="merged_data",
                reason=f"Ô gộp {ref} trải trên ô dữ liệu: giá trị của ô đầu sẽ bị chép sang các ô còn "
                "lại của vùng gộp.",
                suggestion="Bỏ gộp ô (Merge & Center › Unmerge Cells) và ghi giá trị riêng cho từng ô.",
            )


def report_hidden(sheet_name: str | None, cells: SheetCells, problems: ProblemList) -> None:
    if cells.state in SHEET_STATES:
        problems.add(
            sheet=sheet_name,
            kind="hidden_sheet",
            severity=WARNING,
            reason=f"Trang '{sheet_name}' {SHEET_STATES[cells.state]} nhưng có dữ liệu; dữ liệu của nó "
            "vẫn được đọc như các trang khác.",
            suggestion="Kiểm tra trang này có đúng là kết quả cần nạp không.",
        )
    if cells.hidden_rows:
        problems.add(
            sheet=sheet_name,
            row=cells.hidden_rows[0],
            kind="hidden_rows",
            severity=WARNING,
            value=", ".join(map(str, cells.hidden_rows[:LISTED])),
            reason=f"{fmt_int(len(cells.hidden_rows))} dòng bị ẩn có dữ liệu: dòng "
            f"{listed(cells.hidden_rows)}; các dòng này vẫn được đọc.",
            suggestion="Bỏ ẩn để xem, hoặc xóa các dòng không thuộc kết quả.",
        )
    if cells.hidden_columns:
        problems.add(
            sheet=sheet_name,
            kind="hidden_columns",
            severity=WARNING,
            value=", ".join(cells.hidden_columns[:LISTED]),
            reason=f"{fmt_int(len(cells.hidden_columns))} cột bị ẩn có dữ liệu: cột "
            f"{listed(cells.hidden_columns)}; các cột này vẫn được đọc.",
            suggestion="Bỏ ẩn để xem, hoặc xóa các cột không thuộc kết quả.",
        )


def report_altered(sheet: RawSheet, problems: ProblemList) -> None:
    """One warning per distinct text cleaned of hidden marks, naming the rows it was found on."""
    lines: dict[tuple[int, str], list[int]] = {}
    for line, column, text in sheet.altered:
        lines.setdefault((column, text), []).append(line)
    for (column, text), rows in lines.items():
        marks = sorted({f"U+{ord(m):04X} {unicodedata.name(m, '')}".strip() for m in HIDDEN_MARKS.findall(text)})
        where = f"dòng {row_ranges(rows)}" if len(rows) > 1 else f"dòng {rows[0]}"
        problems.add(
            sheet=sheet.name,
            row=rows[0],
            value=shown_marks(text),
            kind="hidden_marks",
            severity=WARNING,
            reason=f"Đã bỏ ký tự làm đổi cách hiển thị nhưng không đổi nội dung ({'; '.join(marks)}) "
            f"khỏi ô cột {column + 1}, {where}: '{shown_marks(text)}'.",
            suggestion="Gõ lại ô này nếu tên hiển thị khác với tên thật.",
        )


def shown_marks(text: str) -> str:
    """The text with each removed mark written out: 'Bảo⟨U+200B⟩ Lâm'."""
    return HIDDEN_MARKS.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)
