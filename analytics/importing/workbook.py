"""Reading an XLSX workbook that may be hostile: bounded memory and time, one clear message.

Which library: openpyxl (already a dependency, MIT, kept up) opened read-only, with its own
streaming sheet parser driven here so that one pass gives each cell's saved value, whether it
is a formula, the hidden rows and columns and the merged ranges. With `defusedxml` installed
openpyxl parses sheets with a parser that refuses DTDs and entities; before any parsing the zip
directory is checked here (every part's size, compression ratio and method, encryption) and every
XML part is scanned for a DOCTYPE, so a bomb is refused from its directory, never expanded.
Only cells actually present are read: a stray cell at XFD1048576 costs one cell, and is then
refused as lying outside the limits, by its address.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.worksheet._reader import COL_TAG, FORMULA_TAG, MERGE_TAG, ROW_TAG, WorkSheetParser
from openpyxl.worksheet.merge import MergeCells
from openpyxl.xml.functions import iterparse

from analytics.formatting import fmt_int
from analytics.importing.problems import FileProblem

MB = 1024 * 1024
# The page the file is loaded on is unknown here (results, tasks, criteria, bands…): neutral wording.
KEEP_ONLY_THE_TABLE = "Chỉ giữ lại bảng cần nạp (xóa các trang tính, ô và dòng thừa), lưu lại rồi nạp tệp mới."
MAX_PART_BYTES = 48 * MB  # uncompressed, any one part of the workbook
MAX_TOTAL_BYTES = 128 * MB  # uncompressed, all parts together
MAX_STYLES_BYTES = 4 * MB  # styles.xml: cell formats are all parsed into objects
MAX_RATIO = 100  # uncompressed ÷ compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 1 * MB
MAX_ROWS = 100_000  # rows holding a value
MAX_COLUMNS = 1_000  # columns holding a value
MAX_AREA = 2_000_000  # rows × columns of the table read into memory
MAX_XML_ELEMENTS = 2_500_000  # XML elements of one sheet (cells with a value or not, rows…)
SUPPORTED_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")
DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"), "<!ENTITY".encode("utf-16-le"))
SCAN_CHUNK = 1 * MB
DAMAGED = "Tệp Excel bị hỏng hoặc được bảo vệ"
RESAVE = "Mở tệp bằng Excel (bỏ mật khẩu nếu có), lưu lại dưới dạng .xlsx rồi nạp lại."


@dataclass
class SheetCells:
    """One worksheet as read: the rectangle of cells up to the last value, and what hides in it."""

    name: str
    rows: list[list]
    state: str = "visible"  # "visible", "hidden" or "veryHidden"
    hidden_rows: list[int] = field(default_factory=list)  # row numbers holding a value
    hidden_columns: list[str] = field(default_factory=list)  # column letters holding a value
    merged: list[str] = field(default_factory=list)  # "A5:A6"
    unsaved_formulas: list[str] = field(default_factory=list)  # "C4": a formula without a saved value


def refuse_encrypted(data: bytes) -> None:
    """An encrypted workbook is an OLE file holding an 'EncryptedPackage' stream, not an .xls."""
    if ENCRYPTED_OOXML in data[: 2 * MB] or ENCRYPTED_OOXML in data[-2 * MB :]:
        raise FileProblem(
            "Tệp Excel được đặt mật khẩu (mã hóa) nên không đọc được.",
            "encrypted",
            "Mở tệp bằng Excel, bỏ mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc), lưu lại rồi nạp.",
        )


def read_workbook(data: bytes) -> list[SheetCells]:
    """Every worksheet of an XLSX file within the limits; FileProblem for anything else."""
    archive = open_archive(data)
    check_parts(archive)
    try:
        reader = workbook_reader(data)
        sheets = [
            (sheet.name, rel.target, sheet.state)
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]
    except FileProblem:
        raise
    except Exception as exc:  # openpyxl raises a dozen types on damaged input; all mean the same here
        raise damaged(exc) from exc
    try:
        return [read_sheet(reader, *sheet) for sheet in sheets]
    finally:
        reader.archive.close()


def workbook_reader(data: bytes):
    """openpyxl's reader run up to the sheets: names, shared strings, dates' styles. Its read-only
    worksheets are not built, as each would parse its whole sheet once to find its size."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    return reader


def damaged(exc: Exception) -> FileProblem:
    """The one message for a workbook the parser gives up on (which exception is no help to a person)."""
    detail = "nội dung XML không hợp lệ hoặc bị cắt cụt" if "ParseError" in type(exc).__name__ else "cấu trúc sai"
    return FileProblem(f"{DAMAGED} ({detail}).", "unreadable", RESAVE)


# --- the zip directory, before anything is expanded -------------------------------------------


def open_archive(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise FileProblem(
            "Không đọc được tệp Excel: tệp bị hỏng hoặc được bảo vệ (không phải tệp .xlsx hợp lệ).",
            "unreadable",
            RESAVE,
        ) from exc


def check_parts(archive: zipfile.ZipFile) -> None:
    total = 0
    for info in archive.infolist():
        check_part(info)
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise too_big(f"Các phần của tệp Excel giải nén ra {mb(total)} MB, vượt giới hạn {mb(MAX_TOTAL_BYTES)} MB.")
    for info in archive.infolist():
        if info.filename.endswith((".xml", ".rels")):
            scan_for_dtd(archive, info)


def check_part(info: zipfile.ZipInfo) -> None:
    name = info.filename
    if info.flag_bits & 0x1:
        raise FileProblem(f"{DAMAGED}: phần '{name}' được đặt mật khẩu.", "encrypted", RESAVE)
    if info.compress_type not in SUPPORTED_METHODS:
        raise FileProblem(
            f"{DAMAGED}: phần '{name}' nén theo kiểu không hỗ trợ (mã {info.compress_type}).", "unreadable", RESAVE
        )
    limit = MAX_STYLES_BYTES if name.endswith("styles.xml") else MAX_PART_BYTES
    if info.file_size > limit:
        what = "định dạng ô" if limit == MAX_STYLES_BYTES else "dữ liệu"
        raise too_big(f"Phần '{name}' ({what}) giải nén ra {mb(info.file_size)} MB, vượt giới hạn {mb(limit)} MB.")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
        raise too_big(
            f"Phần '{name}' nén {fmt_int(ratio)} lần (giải nén ra {mb(info.file_size)} MB), "
            f"vượt giới hạn {MAX_RATIO} lần: tệp có dấu hiệu 'bom nén'."
        )


def scan_for_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a DOCTYPE or ENTITY declaration anywhere in an XML part (read in chunks)."""
    tail = b""
    try:
        with archive.open(info) as part:
            while chunk := part.read(SCAN_CHUNK):
                window = tail + chunk
                if any(mark in window for mark in DTD_MARKS):
                    raise FileProblem(
                        f"{DAMAGED}: phần '{info.filename}' chứa khai báo DOCTYPE/ENTITY, "
                        "không được phép trong tệp Excel.",
                        "unreadable",
                        RESAVE,
                    )
                tail = window[-32:]
    except FileProblem:
        raise
    except Exception as exc:  # zlib.error, BadZipFile (CRC), EOFError, RuntimeError...
        raise damaged(exc) from exc


def too_big(reason: str) -> FileProblem:
    return FileProblem(reason, "too_large", KEEP_ONLY_THE_TABLE)


def mb(size: float) -> str:
    from analytics.formatting import fmt_number

    return fmt_number(size / MB, 1)


# --- one sheet, streamed ------------------------------------------------------------------------


class _CellParser(WorkSheetParser):
    """openpyxl's sheet parser keeping saved values (data_only) and noting formula cells, driven by
    `rows()`, which counts every element as it starts so that one enormous row cannot fill memory."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.formulas: list[tuple[int, int]] = []

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        if element.find(FORMULA_TAG) is not None:
            self.formulas.append((cell["row"], cell["column"]))
        return cell

    def rows(self, title: str):
        started = depth = 0
        for event, element in iterparse(self.source, events=("start", "end")):
            if event == "start":
                started, depth = started + 1, depth + 1
                if started > MAX_XML_ELEMENTS:
                    raise too_big(
                        f"Trang '{title}' có hơn {fmt_int(MAX_XML_ELEMENTS)} phần tử (ô, dòng, kể cả "
                        "ô trống có định dạng), vượt giới hạn."
                    )
                continue
            depth -= 1
            if element.tag == ROW_TAG:
                yield self.parse_row(element)
            elif element.tag == COL_TAG:
                self.parse_column_dimensions(element)
            elif element.tag == MERGE_TAG:
                self.merged_cells = MergeCells.from_tree(element)
            if element.tag == ROW_TAG or depth == 1:  # a row, or a child of the root: done with it
                element.clear()


def read_sheet(reader, title: str, path: str, state: str) -> SheetCells:
    workbook = reader.wb
    with reader.archive.open(path) as source:
        parser = _CellParser(
            source,
            reader.shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        try:
            values = collect_values(title, parser)
        except FileProblem:
            raise
        except Exception as exc:
            raise damaged(exc) from exc
    return sheet_cells(title, state, parser, values)


def collect_values(title: str, parser: _CellParser) -> dict[tuple[int, int], object]:
    """{(row, column): value} of the cells holding a value, stopping at the first limit passed."""
    values: dict[tuple[int, int], object] = {}
    for _, cells in parser.rows(title):
        for cell in cells:
            if cell["value"] is not None:
                check_place(title, cell["row"], cell["column"])
                values[(cell["row"], cell["column"])] = cell["value"]
    return values


def check_place(title: str, row: int, column: int) -> None:
    if row > MAX_ROWS or column > MAX_COLUMNS:
        where = f"{get_column_letter(column)}{row}"
        raise too_big(
            f"Trang '{title}' có giá trị ở ô {where} (dòng {fmt_int(row)}, cột {fmt_int(column)}), "
            f"ngoài giới hạn {fmt_int(MAX_ROWS)} dòng × {fmt_int(MAX_COLUMNS)} cột."
        )


def sheet_cells(title: str, state: str, parser: _CellParser, values: dict) -> SheetCells:
    height = max((r for r, _ in values), default=0)
    width = max((c for _, c in values), default=0)
    if height * width > MAX_AREA:
        raise too_big(
            f"Trang '{title}' trải trên {fmt_int(height)} dòng × {fmt_int(width)} cột "
            f"= {fmt_int(height * width)} ô, vượt giới hạn {fmt_int(MAX_AREA)} ô."
        )
    rows = [[None] * width for _ in range(height)]
    for (r, c), value in values.items():
        rows[r - 1][c - 1] = value
    merged = [str(m) for m in parser.merged_cells.mergeCell] if parser.merged_cells else []
    return SheetCells(
        title,
        rows,
        state or "visible",
        hidden_rows(parser, values),
        hidden_columns(parser, values),
        merged,
        [f"{get_column_letter(c)}{r}" for r, c in parser.formulas if (r, c) not in values],
    )


def hidden_rows(parser: _CellParser, values: dict) -> list[int]:
    hidden = {int(r) for r, attrs in parser.row_dimensions.items() if attrs.get("hidden") in ("1", "true")}
    return sorted({r for r, _ in values if r in hidden})


def hidden_columns(parser: _CellParser, values: dict) -> list[str]:
    hidden: set[int] = set()
    for attrs in parser.column_dimensions.values():
        if attrs.get("hidden") in ("1", "true"):
            low, high = int(attrs["min"]), min(int(attrs.get("max", attrs["min"])), MAX_COLUMNS)
            hidden.update(range(low, high + 1))
    return [get_column_letter(c) for c in sorted({c for _, c in values if c in hidden})]


def merged_bounds(ref: str) -> tuple[int, int, int, int]:
    """(min_col, min_row, max_col, max_row) of 'A5:C6'."""
    return range_boundaries(ref)
