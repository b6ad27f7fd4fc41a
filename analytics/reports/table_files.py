"""Writing tables for people: CSV (UTF-8 with BOM) and Excel workbooks with Vietnamese headers.

Any text that a spreadsheet could run as a formula (starting with = + - @, a tab or a carriage
return) is neutralised by a leading apostrophe kept as text, so "=HYPERLINK(...)" shows as
"'=HYPERLINK(...)" and never runs.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMAT = "0.00"
INTEGER_FORMAT = "0"
DATE_FORMAT, DATETIME_FORMAT = "dd/mm/yyyy", "dd/mm/yyyy hh:mm"  # real Excel dates, shown the Vietnamese way
CSV_FLOAT_FORMAT = "%.12g"
MIN_WIDTH, MAX_WIDTH = 6, 60
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
YES, NO = "Có", "Không"

# English column names of the analytics frames -> the headers people read.
COLUMN_LABELS = {
    "year": "Năm",
    "unit_code": "Mã đơn vị",
    "unit_name": "Đơn vị",
    "total": "Tổng điểm",
    "rank": "Xếp hạng",
    "rank_of": "Số đơn vị xếp hạng",
    "delta_total": "Thay đổi điểm",
    "delta_rank": "Thay đổi thứ hạng (bậc)",
    "band": "Xếp loại",
    "band_code": "Mã xếp loại",
    "band_previous": "Xếp loại năm trước",
    "band_from": "Từ xếp loại",
    "band_to": "Sang xếp loại",
    "pct": "Tỷ lệ đạt (%)",
    "has_data": "Có dữ liệu",
    "is_demo": "Dữ liệu minh họa",
    "total_previous": "Tổng điểm năm trước",
    "rank_previous": "Xếp hạng năm trước",
    "criterion_code": "Mã tiêu chí",
    "criterion_name": "Tiêu chí",
    "depth": "Cấp tiêu chí",
    "parent_code": "Mã tiêu chí cha",
    "field_code": "Mã lĩnh vực",
    "field_name": "Lĩnh vực",
    "max_points": "Điểm tối đa",
    "points": "Điểm đạt",
    "reference_points": "Điểm tham chiếu",
    "reference_pct": "Tỷ lệ tham chiếu (%)",
    "gap_points": "Chênh lệch điểm",
    "gap_pct": "Chênh lệch tỷ lệ (%)",
    "owner_office": "Mã cơ quan chủ trì",
    "owner_office_name": "Cơ quan chủ trì",
    "office_code": "Mã cơ quan",
    "office_name": "Cơ quan",
    "lost_points": "Điểm bị mất",
    "reachable_points": "Điểm có thể lấy lại",
    "criteria_count": "Số tiêu chí",
    "best_peer_pct": "Tỷ lệ cao nhất của đơn vị cùng cấp (%)",
    "best_peer_points": "Điểm theo tỷ lệ cao nhất",
    "count": "Số đơn vị",
    "unit_codes": "Mã các đơn vị",
    "unit_names": "Các đơn vị",
    "indicator": "Mã chỉ tiêu",
    "indicator_name": "Chỉ tiêu",
    "value": "Giá trị",
    "mean_pct": "Bình quân đơn vị cùng cấp (%)",
    "from_points": "Điểm hiện tại",
    "to_points": "Điểm cần đạt",
    "gain": "Điểm tăng thêm",
    "step": "Bước",
}


@dataclass
class Sheet:
    """One table of a workbook: a title (≤ 31 characters) and a frame with English column names."""

    title: str
    frame: pd.DataFrame
    columns: list[str] | None = None  # which columns, in order; None = all
    labels: dict[str, str] = field(default_factory=dict)  # overrides of COLUMN_LABELS
    empty_note: str = ""  # why the table has no rows, written under the header when it has none


def neutralise(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe, kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def cell_value(value):
    """A frame value as a plain Python value a sheet or CSV can hold."""
    if isinstance(value, (list, tuple)):
        return neutralise(", ".join(str(v) for v in value))
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, bool):
        return YES if value else NO
    return neutralise(value)


def people_frame(
    frame: pd.DataFrame, columns: list[str] | None = None, labels: dict[str, str] | None = None
) -> pd.DataFrame:
    """The frame as people read it: chosen columns, Vietnamese headers, neutralised text, Có/Không."""
    chosen = frame[columns] if columns else frame
    names = {**COLUMN_LABELS, **(labels or {})}
    out = pd.DataFrame({names.get(c, c): [cell_value(v) for v in chosen[c]] for c in chosen.columns})
    for column, source in zip(out.columns, chosen.columns):
        if pd.api.types.is_integer_dtype(chosen[source]) and not pd.api.types.is_bool_dtype(chosen[source]):
            out[column] = out[column].astype("Int64")
    return out


def csv_bytes(frame: pd.DataFrame, columns: list[str] | None = None, labels: dict[str, str] | None = None) -> bytes:
    """CSV in UTF-8 with a BOM, so that Excel opens Vietnamese text correctly.

    Floats are written with 12 significant digits: 73.78999999999999 (a sum of points) reads 73.79.
    """
    return people_frame(frame, columns, labels).to_csv(index=False, float_format=CSV_FLOAT_FORMAT).encode("utf-8-sig")


def _number_format(series: pd.Series) -> str | None:
    if pd.api.types.is_bool_dtype(series):
        return None
    if pd.api.types.is_integer_dtype(series):
        return INTEGER_FORMAT
    if pd.api.types.is_float_dtype(series):
        return NUMBER_FORMAT
    return None


def _display_width(value, number_format: str | None) -> int:
    if value is None:
        return 0
    if number_format == NUMBER_FORMAT and isinstance(value, (int, float)):
        return len(f"{value:.2f}")
    if isinstance(value, date):
        return len(DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT)
    return max(len(line) for line in str(value).split("\n"))


def write_sheet(workbook: Workbook, sheet: Sheet) -> None:
    chosen = sheet.frame[sheet.columns] if sheet.columns else sheet.frame
    worksheet = workbook.create_sheet(sheet.title[:31])
    names = {**COLUMN_LABELS, **sheet.labels}
    formats = [_number_format(chosen[c]) for c in chosen.columns]
    worksheet.append([neutralise(str(names.get(c, c))) for c in chosen.columns])
    for row in chosen.itertuples(index=False):
        worksheet.append([cell_value(v) for v in row])
    _format_sheet(worksheet, formats, len(chosen))
    if chosen.empty and sheet.empty_note:  # after the widths: the note spills over the empty cells
        worksheet.append([sheet.empty_note])
        worksheet["A2"].font = Font(italic=True)


def _format_sheet(worksheet, formats: list[str | None], row_count: int) -> None:
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    for index, number_format in enumerate(formats, start=1):
        column = [c[0] for c in worksheet.iter_rows(min_col=index, max_col=index)]
        for cell in column[1:]:
            if isinstance(cell.value, date):
                cell.number_format = DATETIME_FORMAT if isinstance(cell.value, datetime) else DATE_FORMAT
            elif number_format and isinstance(cell.value, (int, float)):
                cell.number_format = number_format
        widest = max(_display_width(c.value, number_format) for c in column)
        worksheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(MIN_WIDTH, widest + 2))
    worksheet.freeze_panes = "A2"
    if formats:
        worksheet.auto_filter.ref = f"A1:{get_column_letter(len(formats))}{row_count + 1}"


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    """An .xlsx with one formatted sheet per table (header frozen, filters on, widths fitted)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        write_sheet(workbook, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
