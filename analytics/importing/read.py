"""Bytes to rows of cells: encodings, separators, decimal commas, merged cells. Pure functions.

Accepted: XLSX workbooks; text tables (CSV/TSV) in UTF-8 with or without BOM, UTF-16 (Excel's
"Unicode text") and Windows-1258, separated by commas, semicolons or tabs. Every text cell is
NFC-normalised and stripped, so "Hoà" typed on two keyboards compares equal later on.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from analytics.formatting import fmt_number
from analytics.importing.problems import FileProblem
from analytics.importing.workbook import (
    KEEP_ONLY_THE_TABLE,
    SheetCells,
    merged_bounds,
    read_workbook,
    refuse_encrypted,
)
from analytics.names import HIDDEN_MARKS

MAX_FILE_BYTES = 5 * 1024 * 1024
LAST_RESORT_ENCODING = "cp1258"
SEPARATORS = ("\t", ";", ",")  # in order of preference when two fit equally well
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
SPACES = "\u00a0\u2007\u202f\ufeff"
# Control characters that are not white space (NUL, ESC of a terminal colour…): never part of a name.
NON_SPACE_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x9f]")
NEEDS_CLEANING = re.compile(f"[{SPACES}]|{HIDDEN_MARKS.pattern}|^\\s|\\s$|\\s\\s|[^\\S ]|{NON_SPACE_CONTROLS.pattern}")

Cell = str | float | int | None
RESAVE_AS_UTF8 = (
    "Trong Excel chọn Tệp › Lưu thành…, kiểu «CSV UTF-8 (Comma delimited) (*.csv)» hoặc «Excel Workbook "
    "(*.xlsx)», rồi nạp lại tệp mới."
)


@dataclass
class RawSheet:
    name: str | None  # None for a text file
    rows: list[list[Cell]]
    line_numbers: list[int]  # what a person sees: Excel row, or line in the text file
    decimal: str  # "," or "."
    cells: SheetCells | None = None  # a workbook sheet's hidden rows, merged ranges, formulas
    altered: list[tuple[int, int, str]] = field(default_factory=list)  # (line, column, text) cleaned of marks
    decimal_shown: bool = True  # the sheet's own numbers show its decimal mark (else `decimal` is a default)


@dataclass
class RawFile:
    name: str
    sha256: str
    size: int
    kind: str  # "xlsx" or "text"
    encoding: str | None
    separator: str | None
    sheets: list[RawSheet]


def read_file(name: str, data: bytes, max_bytes: int = MAX_FILE_BYTES) -> RawFile:
    """Read any accepted file into sheets of cells; raise FileProblem when it cannot be read at all."""
    check_size(data, max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(XLSX_MAGIC):
        return RawFile(name, digest, len(data), "xlsx", None, None, read_xlsx(data))
    refuse_binary(data)
    text, encoding = decode_text(data)
    separator = detect_separator(text)
    return RawFile(name, digest, len(data), "text", encoding, separator, [read_text_sheet(text, separator)])


def check_size(data: bytes, max_bytes: int) -> None:
    if not data.strip():
        raise FileProblem("Tệp rỗng: không có dòng nào.", "empty", "Kiểm tra lại tệp đã chọn.")
    if len(data) > max_bytes:
        raise FileProblem(
            f"Tệp dung lượng {fmt_number(len(data) / 1048576, 1)} MB, vượt giới hạn "
            f"{fmt_number(max_bytes / 1048576, 1)} MB.",
            "too_large",
            KEEP_ONLY_THE_TABLE,
        )


def refuse_binary(data: bytes) -> None:
    if data.startswith(XLS_MAGIC):
        refuse_encrypted(data)
        raise FileProblem(
            "Tệp Excel 97-2003 (.xls) chưa được hỗ trợ.",
            "unsupported",
            "Mở tệp bằng Excel, chọn Lưu thành… định dạng .xlsx rồi nạp lại.",
        )
    if data.startswith(b"%PDF"):
        raise FileProblem("Tệp PDF không đọc được thành bảng.", "unsupported", "Hãy nạp tệp Excel (.xlsx) hoặc CSV.")


# --- text files -------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding): BOMs first, then UTF-16 without BOM, UTF-8, and Windows-1258 last."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _decode(data, encoding), encoding
    sample = data[:4000]
    if sample.count(0) > len(sample) // 4:  # UTF-16 without BOM: every other byte of ASCII is NUL
        encoding = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        return _decode(data, encoding), encoding
    for encoding in ("utf-8", LAST_RESORT_ENCODING):
        try:
            return unicodedata.normalize("NFC", data.decode(encoding)), encoding
        except UnicodeDecodeError:
            continue
    raise FileProblem("Không nhận ra bảng mã của tệp văn bản.", "encoding", RESAVE_AS_UTF8)


def encoding_hint(raw: RawFile) -> str:
    """What to add when a text file's table was not found and the file is not UTF-8 / UTF-16: read as
    Windows-1258, the last resort, its headers may be garbled (a TCVN3 or VNI file decodes without error
    but into other letters)."""
    if raw.encoding != LAST_RESORT_ENCODING:
        return ""
    return f" Tệp không ở bảng mã UTF-8 (đã thử đọc theo Windows-1258, chữ có dấu có thể bị sai). {RESAVE_AS_UTF8}"


def _decode(data: bytes, encoding: str) -> str:
    try:
        return unicodedata.normalize("NFC", data.decode(encoding))
    except UnicodeDecodeError as exc:
        raise FileProblem(
            f"Tệp hỏng: không giải mã được theo {encoding}.",
            "encoding",
            RESAVE_AS_UTF8,
        ) from exc


def detect_separator(text: str) -> str:
    """The separator that splits most lines into the same number (≥ 2) of fields."""
    lines = [line for line in text.splitlines() if line.strip()][:60]
    best, best_score = ",", (0, 0)
    for separator in SEPARATORS:
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=separator) if len(row) > 1]
        except csv.Error:  # a field past the csv module's limit: this separator does not split the lines
            continue
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        if (count, width) > best_score:
            best, best_score = separator, (count, width)
    return best


def read_text_sheet(text: str, separator: str) -> RawSheet:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows: list[list[Cell]] = []
    lines: list[int] = []
    altered: list[tuple[int, int, str]] = []
    try:
        for record in reader:
            rows.append([clean_noting(cell, reader.line_num, c, altered) for c, cell in enumerate(record)])
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise FileProblem(
            f"Không đọc được dòng {reader.line_num + 1} của tệp: một ô quá dài hoặc sai dấu ngoặc kép.",
            "unreadable",
            'Kiểm tra dấu ngoặc kép (") trong tệp, hoặc lưu lại từ Excel.',
        ) from exc
    shown = shown_decimal(rows)
    default = "." if separator == "," else ","
    return RawSheet(None, rows, lines, shown or default, altered=altered, decimal_shown=shown is not None)


# --- workbooks ----------------------------------------------------------------------------------


def read_xlsx(data: bytes) -> list[RawSheet]:
    return [read_worksheet(sheet) for sheet in read_workbook(data)]


def read_worksheet(sheet: SheetCells) -> RawSheet:
    altered: list[tuple[int, int, str]] = []
    rows = [[clean_noting(v, r, c, altered) for c, v in enumerate(row)] for r, row in enumerate(sheet.rows, 1)]
    fill_merged(sheet.merged, rows)
    shown = shown_decimal(rows)
    lines = list(range(1, len(rows) + 1))
    return RawSheet(sheet.name, rows, lines, shown or ",", sheet, altered, decimal_shown=shown is not None)


def fill_merged(merged: list[str], rows: list[list[Cell]]) -> None:
    """Give every cell of a merged range the value of its top-left cell (merged header cells).
    A range over data cells is refused later, when the table's place is known (sheet_checks)."""
    for ref in merged:
        min_col, min_row, max_col, max_row = merged_bounds(ref)
        value = rows[min_row - 1][min_col - 1] if min_row <= len(rows) and min_col <= len(rows[0]) else None
        for r in range(min_row - 1, min(max_row, len(rows))):
            for c in range(min_col - 1, min(max_col, len(rows[r]))):
                rows[r][c] = value


# --- cells and numbers --------------------------------------------------------------------------


def clean(value) -> Cell:
    """NFC text without surrounding spaces; numbers as numbers; blanks as None."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value)
    if unicodedata.is_normalized("NFC", text) and not NEEDS_CLEANING.search(text):
        return text or None  # most cells: already clean, one scan instead of six
    text = HIDDEN_MARKS.sub("", unicodedata.normalize("NFC", text))
    for space in SPACES:
        text = text.replace(space, " ")
    text = NON_SPACE_CONTROLS.sub("", re.sub(r"\s+", " ", text)).strip()
    return text or None


def clean_noting(value, line: int, column: int, altered: list[tuple[int, int, str]]) -> Cell:
    """clean(value), noting (line, column, original text) when hidden marks were removed from it."""
    if isinstance(value, str) and HIDDEN_MARKS.search(value):
        altered.append((line, column, value))
    return clean(value)


def cell_text(value: Cell) -> str:
    """Text of a cell as a person reads it: 40.0 -> '40', 3.1 -> '3.1'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


COMMA_DECIMAL = re.compile(r"^[-−]?\d+,\d+$")
POINT_DECIMAL = re.compile(r"^[-−]?\d+\.\d+$")
GROUPED = re.compile(r"^[-−]?\d{1,3}([.,])\d{3}$")


def shown_decimal(rows: list[list[Cell]]) -> str | None:
    """',' when the sheet's text numbers are written "73,79", '.' when "73.79"; None when they do not
    tell (no decimals, or as many of each)."""
    commas = points = 0
    for row in rows:
        for cell in row:
            if isinstance(cell, str) and not GROUPED.match(cell):
                commas += bool(COMMA_DECIMAL.match(cell))
                points += bool(POINT_DECIMAL.match(cell))
    if commas == points:
        return None
    return "," if commas > points else "."


PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def parse_number(value: Cell, decimal: str = ",") -> float | None:
    """73,79 / 73.79 / 1.234,5 / 1,234.5 / 73 -> float; blank -> None; anything else -> ValueError."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = value.replace(" ", "").replace("−", "-").replace("–", "-")
    text = _normalise_separators(text, decimal)
    if not PLAIN_NUMBER.match(text):
        raise ValueError(value)
    return float(text)


class AmbiguousNumber(ValueError):
    """A text number whose value depends on a decimal mark the sheet does not show."""


def read_number(value: Cell, decimal: str, decimal_shown: bool) -> float | None:
    """A number cell, the one rule of the results and reference importers: parse_number with the decimal
    mark of the cells around it. "1.000" or "2,500" (one mark, three digits after it) is one thousand in
    Vietnamese and one in English: read by the decimal mark the other numbers show (`decimal_shown`:
    "73,79" elsewhere makes 1.000 one thousand), else AmbiguousNumber rather than a guess."""
    if isinstance(value, str) and not decimal_shown and GROUPED.match(value.replace(" ", "")):
        raise AmbiguousNumber(value)
    return parse_number(value, decimal)


def ambiguous_reason(value: Cell) -> tuple[str, str]:
    """(reason, suggestion) for an AmbiguousNumber, the same words on every importer."""
    text = cell_text(value).replace(" ", "").replace("−", "-")
    mark = "." if "." in text else ","
    thousands = text.replace(mark, "")
    decimal = f"{float(text.replace(mark, '.')):g}".replace(".", ",")
    return (
        f"'{text}' là {thousands} nếu dấu '{mark}' phân cách hàng nghìn (cách viết Việt Nam), là {decimal} nếu "
        "đó là dấu thập phân; các số khác của bảng không cho biết bảng dùng cách nào.",
        f"Ghi {thousands} (không dấu phân cách) hoặc {decimal} (dấu phẩy thập phân).",
    )


def _normalise_separators(text: str, decimal: str) -> str:
    if "," in text and "." in text:  # the rightmost one is the decimal mark
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        return text.replace(thousands, "").replace(",", ".")
    grouped = re.match(r"^-?\d{1,3}([.,]\d{3})+$", text)
    if grouped and (("," in text and decimal == ".") or ("." in text and decimal == ",")):
        return text.replace(",", "").replace(".", "")
    return text.replace(",", ".")


CONTROL_CHARS = re.compile("[\x00-\x1f\x7f-\x9f]")
MAX_NAME_CHARS = 200


def safe_file_name(name: str) -> str:
    """The base name of an uploaded or given path, without control characters or hidden marks: the name
    stored in the history and shown in every message, on the web as on the CLI."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = re.sub(r"\s+", " ", HIDDEN_MARKS.sub("", CONTROL_CHARS.sub("", base))).strip()
    return base[:MAX_NAME_CHARS] or "(tệp không tên)"
