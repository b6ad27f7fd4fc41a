"""Writes the import test corpus: tests/data/good/* and tests/data/bad/* (committed).

    python tests/data/make_corpus.py

Every good file holds the same 2021 results (the district sample of data/samples and a set of
commune results made here), written the many ways real files write them: title lines,
merged header cells, STT and column-numbering rows, notes and signatures, the notice's
spellings ("TT Pác Miều", "Hoà An"), UTF-8 ± BOM, UTF-16, Windows-1258, commas, semicolons,
tabs, decimal commas. Every bad file carries one kind of error (see BAD_FILES in
tests/test_import_corpus.py). The over-size file is made at test time by `oversize_bytes`.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GOOD, BAD = HERE / "good", HERE / "bad"
SAMPLE_CSV = ROOT / "data" / "samples" / "ket-qua-huyen-2021.csv"
CRITERIA_CSV = ROOT / "data" / "demo" / "criteria.csv"

# The notice's and people's spellings of the district names (matched by alias or accent folding).
DISTRICT_SPELLINGS = {
    "040": "TP Cao Bằng",
    "042": "Bảo Lâm",
    "043": "Huyện Bảo Lạc",
    "045": "Hà Quảng",
    "047": "Trùng Khánh",
    "048": "H. Hạ Lang",
    "049": "Quảng Hoà",
    "051": unicodedata.normalize("NFD", "Hoà An"),
    "052": "Nguyên Bình",
    "053": "THẠCH AN",
}
DISTRICT_ASCII = {
    "040": "TP Cao Bang",
    "042": "Bao Lam",
    "043": "Bao Lac",
    "045": "Ha Quang",
    "047": "Trung Khanh",
    "048": "Ha Lang",
    "049": "Quang Hoa",
    "051": "Hoa An",
    "052": "Nguyen Binh",
    "053": "Thach An",
}
# Commune names as the April 2021 notice writes them.
COMMUNES = [
    ("01290", "TT Pác Miều"),
    ("01291", "Đức Hạnh"),
    ("01294", "Lý Bôn"),
    ("01296", "Nam Cao"),
    ("01297", "Nam Quang"),
    ("01300", "Vĩnh Quang"),
    ("01303", "Quảng Lâm"),
    ("01304", "Thạch Lâm"),
    ("01309", "Vĩnh Phong"),
    ("01312", "Mông Ân"),
    ("01315", "Thái Học"),
    ("01316", "Thái Sơn"),
    ("01318", "Yên Thổ"),
]
COMMUNE_TOTALS_2021 = {
    "01290": 79.10,
    "01291": 60.25,
    "01294": 74.40,
    "01296": 67.35,
    "01297": 71.20,
    "01300": 69.05,
    "01303": 68.90,
    "01304": 85.60,
    "01309": 58.75,
    "01312": 66.80,
    "01315": 63.15,
    "01316": 66.80,
    "01318": 65.95,
}
FIELD_SHAPE = [0.05, -0.04, 0.03, -0.06, 0.02, -0.03, 0.04, -0.01]
TITLE_2021 = "KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2021"


# --- the numbers ---------------------------------------------------------------------------


def criteria(set_code: str) -> dict[str, list[tuple[str, str, int]]]:
    """field -> [(code, name, max in hundredths)], plus the fields themselves under 'TOTAL'."""
    tree: dict[str, list[tuple[str, str, int]]] = {}
    with CRITERIA_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["set_code"] == set_code and row["parent_code"]:
                tree.setdefault(row["parent_code"], []).append(
                    (row["code"], row["name"], round(float(row["max_points"]) * 100))
                )
    return tree


def split(total: int, maxima: list[int], shape: list[float] | None = None) -> list[int]:
    """Split hundredths `total` over parts bounded by `maxima`, roughly in proportion."""
    ratio = total / sum(maxima)
    shape = shape or [0.0] * len(maxima)
    parts = [min(m, int(m * min(1.0, ratio * (1 + s)))) for m, s in zip(maxima, shape)]
    rest = total - sum(parts)
    while rest:
        for i, m in enumerate(maxima):
            step = max(-parts[i], min(m - parts[i], rest))
            parts[i] += step
            rest -= step
    return parts


def district_2021() -> list[dict]:
    with SAMPLE_CSV.open(encoding="utf-8") as handle:
        handle.readline()  # the title line
        rows = list(csv.DictReader(handle))
    return [
        {
            "code": r["Mã đơn vị"],
            "name": r["Tên đơn vị"],
            "total": round(float(r["Tổng điểm"]) * 100),
            "rank": int(r["Xếp hạng"]),
            "fields": [round(float(r[f"Lĩnh vực {i}"]) * 100) for i in range(1, 9)],
        }
        for r in rows
    ]


def commune_2021() -> list[dict]:
    fields = criteria("DEMO-XA-2020")["TOTAL"]
    ordered = sorted(COMMUNE_TOTALS_2021.values(), reverse=True)
    return [
        {
            "code": code,
            "name": name,
            "total": round(COMMUNE_TOTALS_2021[code] * 100),
            "rank": 1 + ordered.index(COMMUNE_TOTALS_2021[code]),
            "fields": split(round(COMMUNE_TOTALS_2021[code] * 100), [m for _, _, m in fields], FIELD_SHAPE),
        }
        for code, name in COMMUNES
    ]


def leaves(set_code: str, unit: dict) -> list[tuple[str, int]]:
    """(criterion code, hundredths) of every criterion under the unit's fields."""
    tree = criteria(set_code)
    out = []
    for (field, _, _), value in zip(tree["TOTAL"], unit["fields"]):
        kids = tree[field]
        out += list(zip([c for c, _, _ in kids], split(value, [m for _, _, m in kids])))
    return out


def comma(hundredths: int) -> str:
    return f"{hundredths / 100:.2f}".replace(".", ",")


def point(hundredths: int) -> str:
    return f"{hundredths / 100:.2f}"


# --- writers -------------------------------------------------------------------------------


def csv_text(rows: list[list], delimiter: str = ",", quote_all: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )
    writer.writerows(rows)
    return buffer.getvalue()


def to_cp1258(text: str) -> bytes:
    """Windows-1258 keeps â ă ê ô ơ ư đ precomposed and writes tone marks as combining characters."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        for i, mark in enumerate(marks):  # fold the circumflex, breve or horn into the letter
            head = unicodedata.normalize("NFC", base + mark)
            if len(head) == 1 and head.encode("cp1258", errors="replace") != b"?":
                base, marks = head, marks[:i] + marks[i + 1 :]
                break
        out += (base + "".join(marks)).encode("cp1258")
    return bytes(out)


def workbook():
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.creator = "make_corpus.py"
    return wb


def save(wb, path: Path) -> None:
    import datetime

    wb.properties.created = wb.properties.modified = datetime.datetime(2022, 1, 15)
    wb.save(path)


# --- good files ----------------------------------------------------------------------------


def good_district_table_xlsx(path: Path) -> None:
    """Title lines, a two-row header under merged cells, STT, notes and a signature block."""
    from openpyxl.styles import Alignment, Font

    wb = workbook()
    ws = wb.active
    ws.title = "Huyện 2021"
    ws.append(["ỦY BAN NHÂN DÂN TỈNH CAO BẰNG"])
    ws.append([TITLE_2021 + " CỦA CÁC HUYỆN, THÀNH PHỐ"])
    ws.append(["(Kèm theo Quyết định số 123/QĐ-UBND ngày 15/01/2022 của UBND tỉnh)"])
    ws.append([])
    ws.append(["STT", "Đơn vị", "Điểm các lĩnh vực"] + [None] * 7 + ["Tổng điểm", "Xếp hạng"])
    ws.append([None, None] + list(range(1, 9)) + [None, None])
    for cells in ("A5:A6", "B5:B6", "C5:J5", "K5:K6", "L5:L6", "A2:L2"):
        ws.merge_cells(cells)
    ws["A2"].font = Font(bold=True)
    ws["C5"].alignment = Alignment(horizontal="center")
    for i, unit in enumerate(district_2021(), 1):
        ws.append(
            [i, DISTRICT_SPELLINGS[unit["code"]]]
            + [f / 100 for f in unit["fields"]]
            + [unit["total"] / 100, unit["rank"]]
        )
    ws.append([])
    ws.append(["Ghi chú: điểm lĩnh vực 8 là điểm điều tra xã hội học đã quy đổi."])
    ws.append([None] * 8 + ["KT. CHỦ TỊCH"])
    ws.append([None] * 8 + ["PHÓ CHỦ TỊCH"])
    ws.append([None, "Người lập biểu"] + [None] * 6 + ["Nguyễn Văn A"])
    save(wb, path)


def good_commune_table_csv(path: Path) -> None:
    """UTF-8 with BOM, semicolons, decimal commas, a column-numbering row, spaces, notes."""
    rows = [
        [f"{TITLE_2021} CÁC XÃ, THỊ TRẤN HUYỆN BẢO LÂM"],
        [],
        ["STT", "Tên đơn vị"] + [f"Lĩnh vực {i}" for i in range(1, 9)] + ["Tổng điểm", "Xếp hạng"],
        [f"({i})" for i in range(1, 13)],
    ]
    for i, unit in enumerate(commune_2021(), 1):
        name = f"  {unit['name']} " if i % 4 == 0 else unit["name"]
        rows.append([i, name] + [comma(f) for f in unit["fields"]] + [comma(unit["total"]), unit["rank"]])
    rows += [[], ["", "Người lập biểu", "", "", "", "", "", "", "Thủ trưởng đơn vị"]]
    path.write_bytes(codecs.BOM_UTF8 + csv_text(rows, ";").encode("utf-8"))


def good_district_totals_utf16(path: Path) -> None:
    """Excel's "Unicode text": UTF-16 with BOM, tab-separated; totals and ranks only; no year."""
    rows = [["Mã đơn vị", "Tên đơn vị", "Chỉ số", "Hạng"]]
    rows += [[u["code"], u["name"], comma(u["total"]), u["rank"]] for u in district_2021()]
    path.write_bytes(csv_text(rows, "\t").encode("utf-16"))


def good_commune_long_cp1258(path: Path) -> None:
    """Windows-1258, commas with quoted decimal commas, one row per criterion, the unit and year
    written once per unit (the rows below carry them down)."""
    rows = [["Năm", "Mã đơn vị", "Tên đơn vị", "Mã tiêu chí", "Điểm", "Điểm tự chấm"]]
    for unit in commune_2021():
        for i, (code, value) in enumerate(leaves("DEMO-XA-2020", unit)):
            head = [2021, unit["code"], unit["name"]] if i == 0 else ["", "", ""]
            rows.append(head + [code, comma(value), comma(value)])
    path.write_bytes(to_cp1258(csv_text(rows, ",")))


def good_district_long_english(path: Path) -> None:
    """UTF-8 without BOM, English headers, names without diacritics, fields by code or by name,
    and a total row per unit checked against its fields."""
    field_names = {c: n for c, n, _ in criteria("DEMO-HUYEN-2020")["TOTAL"]}
    rows = [["year", "unit", "criterion", "points"]]
    for unit in district_2021():
        for i, value in enumerate(unit["fields"], 1):
            criterion = field_names[str(i)] if i in (3, 7) else str(i)
            rows.append([2021, DISTRICT_ASCII[unit["code"]], criterion, point(value)])
        rows.append([2021, DISTRICT_ASCII[unit["code"]], "Tổng điểm", point(unit["total"])])
    path.write_bytes(csv_text(rows).encode("utf-8"))


def good_commune_totals_xlsx(path: Path) -> None:
    """Two sheets: a prose sheet (ignored) and totals with the notice's names, one of them in NFD."""
    wb = workbook()
    notes = wb.active
    notes.title = "Hướng dẫn"
    notes.append(["Bảng này tổng hợp kết quả chấm điểm các xã, thị trấn năm 2021."])
    ws = wb.create_sheet("Xã 2021")
    ws.append(["Năm 2021 — tổng điểm chỉ số CCHC các xã, thị trấn"])
    ws.append(["Xã, thị trấn", "Tổng điểm", "Xếp loại"])
    for unit in commune_2021():
        name = unicodedata.normalize("NFD", unit["name"]) if unit["code"] == "01315" else unit["name"]
        ws.append([name, unit["total"] / 100, "Khá"])
    save(wb, path)


def good_district_criteria_xlsx(path: Path) -> None:
    """A wide table at criterion level, with the field columns and the total beside them."""
    tree = criteria("DEMO-HUYEN-2020")
    wb = workbook()
    ws = wb.active
    ws.title = "Chi tiết"
    header = ["Mã đơn vị", "Tên đơn vị"]
    for field, name, _ in tree["TOTAL"]:
        header += [f"{field}. {name}"] + [f"{c} (tối đa {m / 100:g})" for c, _, m in tree[field]]
    ws.append(["Năm", 2021])
    ws.append(header + ["Tổng điểm"])
    for unit in district_2021():
        values = dict(leaves("DEMO-HUYEN-2020", unit))
        row = [unit["code"], unit["name"]]
        for (field, _, _), field_value in zip(tree["TOTAL"], unit["fields"]):
            row += [field_value / 100] + [values[c] / 100 for c, _, _ in tree[field]]
        ws.append(row + [unit["total"] / 100])
    save(wb, path)


GOOD_FILES = {
    "huyen-2021-bang-tinh-tieu-de.xlsx": good_district_table_xlsx,
    "xa-2021-utf8-bom-cham-phay.csv": good_commune_table_csv,
    "huyen-tong-diem-utf16.txt": good_district_totals_utf16,
    "xa-2021-cp1258-dai.csv": good_commune_long_cp1258,
    "huyen-2021-long-english.csv": good_district_long_english,
    "xa-2021-tong-diem.xlsx": good_commune_totals_xlsx,
    "huyen-2021-tieu-chi.xlsx": good_district_criteria_xlsx,
}


# --- bad files: each a small change to a clean district table ------------------------------


def district_rows(year=2021, with_code: bool = False) -> list[list]:
    header = (
        ["Năm", "STT"]
        + (["Mã đơn vị"] if with_code else [])
        + ["Tên đơn vị"]
        + [f"Lĩnh vực {i}" for i in range(1, 9)]
        + ["Tổng điểm", "Xếp hạng"]
    )
    rows = [header]
    for i, u in enumerate(district_2021(), 1):
        rows.append(
            [year, i]
            + ([u["code"]] if with_code else [])
            + [u["name"]]
            + [comma(f) for f in u["fields"]]
            + [comma(u["total"]), u["rank"]]
        )
    return rows


def semicolon_csv(rows: list[list]) -> bytes:
    return csv_text(rows, ";").encode("utf-8")


def bad_table(change) -> bytes:
    rows = district_rows()
    change(rows)
    return semicolon_csv(rows)


def _set(row: int, column: int, value):
    def change(rows):
        rows[row][column] = value

    return change


def bad_field_total_long() -> bytes:
    """Field 3 of Bảo Lâm says 11,70 but its criteria add up to 11,50."""
    unit = district_2021()[1]
    rows = [["Năm", "Mã đơn vị", "Mã tiêu chí", "Điểm"]]
    values = leaves("DEMO-HUYEN-2020", unit)
    values = [(c, v - 20 if c == "3.1" else v) for c, v in values]
    for code, value in values:
        rows.append([2021, unit["code"], code, comma(value)])
        if code == "3.4":
            rows.append([2021, unit["code"], "3", comma(unit["fields"][2])])
    return semicolon_csv(rows)


def bad_unknown_criterion_long() -> bytes:
    unit = district_2021()[1]
    rows = [["Năm", "Mã đơn vị", "Mã tiêu chí", "Điểm"]]
    rows += [[2021, unit["code"], str(i), comma(v)] for i, v in enumerate(unit["fields"], 1)]
    rows[4][2] = "3.9"
    return semicolon_csv(rows)


def bad_no_usable_sheet_xlsx() -> bytes:
    wb = workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    ws.append(["BÁO CÁO KẾT QUẢ CẢI CÁCH HÀNH CHÍNH NĂM 2021"])
    ws.append(["Năm 2021, huyện đã triển khai đầy đủ các nhiệm vụ cải cách hành chính."])
    ws2 = wb.create_sheet("Biểu đồ")
    ws2.append(["Xem biểu đồ đính kèm"])
    buffer = io.BytesIO()
    save(wb, buffer)
    return buffer.getvalue()


def without_year() -> bytes:
    rows = [r[1:] for r in district_rows()]
    return semicolon_csv(rows)


BAD_FILES = {
    "don-vi-khong-co.csv": lambda: bad_table(_set(3, 2, "Huyện Bảo Lacc")),
    "tieu-chi-khong-co.csv": bad_unknown_criterion_long,
    "khong-phai-so.csv": lambda: bad_table(_set(2, 5, "8,O9")),
    "diem-am.csv": lambda: bad_table(_set(4, 6, "-1,50")),
    "vuot-toi-da.csv": lambda: bad_table(_set(5, 3, "12,50")),
    "trung-dong.csv": lambda: bad_table(lambda rows: rows.append(list(rows[2]))),
    "linh-vuc-lech-tieu-chi.csv": bad_field_total_long,
    "tong-lech-linh-vuc.csv": lambda: bad_table(_set(2, 11, "79,95")),
    "xep-hang-sai.csv": lambda: bad_table(_set(2, 12, 5)),
    "nam-ngoai-khoang.csv": lambda: semicolon_csv(district_rows(year=1921)),
    "rong.csv": lambda: b"",
    "khong-co-trang-dung-duoc.xlsx": bad_no_usable_sheet_xlsx,
    "thieu-nam.csv": without_year,
    "o-trong.csv": lambda: bad_table(_set(7, 9, "")),
    "ma-ten-khong-khop.csv": lambda: _with_code(3, "042"),
    "xa-trong-bang-huyen.csv": lambda: bad_table(_set(9, 2, "Xã Lý Bôn")),
    "excel-cu.xls": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
    "excel-hong.xlsx": lambda: b"PK\x03\x04" + b"day khong phai la tep excel" * 20,
    "chi-co-tieu-de.csv": lambda: semicolon_csv(district_rows()[:1]),
    "khong-co-bang.csv": lambda: "Kính gửi: Phòng Nội vụ\r\nĐề nghị tổng hợp kết quả.\r\n".encode(),
}


def _with_code(row: int, code: str) -> bytes:
    rows = district_rows(with_code=True)
    rows[row][2] = code
    return semicolon_csv(rows)


def oversize_bytes(limit: int) -> bytes:
    """A well-formed table padded past `limit` bytes with note lines (made at test time)."""
    table = semicolon_csv(district_rows())
    note = ("Ghi chú: " + "x" * 200 + "\r\n").encode()
    return table + note * (limit // len(note) + 1)


def main() -> int:
    GOOD.mkdir(exist_ok=True)
    BAD.mkdir(exist_ok=True)
    for name, write in GOOD_FILES.items():
        write(GOOD / name)
    for name, make in BAD_FILES.items():
        (BAD / name).write_bytes(make())
    write_hostile()
    print(f"wrote {len(GOOD_FILES)} good files to {GOOD} and {len(BAD_FILES)} bad files to {BAD}")
    return 0


# --- hostile files (issue #16): each small on disk; the bombs expand only when opened ------------

HOSTILE = HERE / "hostile"
XLSX_SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def table_workbook(title: str = "Huyện 2021"):
    """A clean 2021 district table (the one bad_table starts from) as a workbook, numbers as numbers."""
    wb = workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(district_rows()):
        ws.append(row if r == 0 else [_number(v) for v in row])
    return wb


def _number(value):
    return float(value.replace(",", ".")) if isinstance(value, str) and value.replace(",", "").isdigit() else value


def xlsx_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    save(wb, buffer)
    return buffer.getvalue()


def replace_parts(data: bytes, parts: dict) -> bytes:
    """The workbook with some parts replaced: bytes, or an iterable of byte chunks streamed into the zip
    (so a part of hundreds of MB is never held in memory)."""
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            new = parts.get(info.filename, source.read(info.filename))
            fixed = zipfile.ZipInfo(info.filename, date_time=(2022, 1, 15, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            with target.open(fixed, "w", force_zip64=True) as part:
                for chunk in [new] if isinstance(new, bytes) else new:
                    part.write(chunk)
    return out.getvalue()


def repeated(head: str, unit: str, count: int, tail: str):
    yield head.encode()
    block = (unit * 10_000).encode()
    for _ in range(count // 10_000):
        yield block
    yield tail.encode()


def stray_cell_xlsx() -> bytes:
    """A clean table and one stray value at XFD1048576, the last cell of a sheet."""
    wb = table_workbook()
    wb.active["XFD1048576"] = "x"
    return xlsx_bytes(wb)


def zip_bomb_xlsx() -> bytes:
    """A sheet that expands to 256 MB of identical rows (about 250 KB on disk)."""
    rows = repeated(SHEET_HEAD, "<row><c><v>1</v></c></row>" * 1, 256 * 1024 * 1024 // 26, SHEET_TAIL)
    return replace_parts(xlsx_bytes(table_workbook()), {XLSX_SHEET: rows})


def million_rows_xlsx() -> bytes:
    """1 048 576 rows, each with a value: what Excel allows at most, far past the importer's limit."""
    rows = repeated(SHEET_HEAD, "<row><c><v>1</v></c></row>", 1_048_576, SHEET_TAIL)
    return replace_parts(xlsx_bytes(table_workbook()), {XLSX_SHEET: rows})


def styles_bomb_xlsx() -> bytes:
    """styles.xml with two million cell formats."""
    head = (
        '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
        '<borders count="1"><border/></borders><cellXfs count="2000000">'
    )
    xfs = repeated(head, '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>', 2_000_000, "</cellXfs></styleSheet>")
    return replace_parts(xlsx_bytes(table_workbook()), {"xl/styles.xml": xfs})


def sheet_xml_replaced(xml: bytes) -> bytes:
    return replace_parts(xlsx_bytes(table_workbook()), {XLSX_SHEET: xml})


def truncated_sheet_xlsx() -> bytes:
    """The sheet's XML cut off in the middle of a row."""
    import zipfile

    data = xlsx_bytes(table_workbook())
    xml = zipfile.ZipFile(io.BytesIO(data)).read(XLSX_SHEET)
    return replace_parts(data, {XLSX_SHEET: xml[: len(xml) // 2]})


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;'
    b'&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'
    b'&lol2;&lol2;">]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData>'
    b"</worksheet>"
)


def patched_zip_flags(data: bytes, member: str, flag: int = 0, method: int | None = None) -> bytes:
    """Set a general-purpose flag bit (1: encrypted) or the compression method of one member, in its
    local header and in the central directory, as a program writing such a zip would have."""
    import struct

    out = bytearray(data)
    name = member.encode()
    for signature, flag_at, method_at, name_len_at, name_at in (
        (b"PK\x03\x04", 6, 8, 26, 30),
        (b"PK\x01\x02", 8, 10, 28, 46),
    ):
        start = 0
        while (start := out.find(signature, start)) >= 0:
            length = struct.unpack_from("<H", out, start + name_len_at)[0]
            if bytes(out[start + name_at : start + name_at + length]) == name:
                struct.pack_into("<H", out, start + flag_at, struct.unpack_from("<H", out, start + flag_at)[0] | flag)
                if method is not None:
                    struct.pack_into("<H", out, start + method_at, method)
            start += 4
    return bytes(out)


def encrypted_ooxml() -> bytes:
    """What Excel writes for a workbook with an opening password: an OLE file, not a zip."""
    stream_names = "".join(f"{n}\0" for n in ("EncryptionInfo", "EncryptedPackage")).encode("utf-16-le")
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + stream_names + bytes(1024)


def formulas_without_values_xlsx() -> bytes:
    """Field cells as formulas with no saved value (openpyxl, like many programs, does not compute them)."""
    wb = table_workbook()
    ws = wb.active
    for row in range(2, 12):
        for column in "DEFGHIJK":
            ws[f"{column}{row}"] = f"=ROUND({ws[f'{column}{row}'].value}*1,2)"
    return xlsx_bytes(wb)


def merged_data_xlsx() -> bytes:
    """Field 1 of Bảo Lâm and Bảo Lạc merged: Bảo Lạc would get Bảo Lâm's value."""
    wb = table_workbook()
    wb.active.merge_cells("D3:D4")
    return xlsx_bytes(wb)


def hidden_row_and_column_xlsx() -> bytes:
    """A clean table with one unit's row hidden and a hidden note column holding text."""
    wb = table_workbook()
    ws = wb.active
    ws.row_dimensions[5].hidden = True
    ws["O1"] = "Ghi chú"
    ws["O5"] = "đã sửa theo công văn"
    ws.column_dimensions["O"].hidden = True
    return xlsx_bytes(wb)


def very_hidden_sheet_xlsx() -> bytes:
    """The table on a 'very hidden' sheet (only a macro can show it), a prose sheet visible."""
    wb = table_workbook()
    wb.active.sheet_state = "veryHidden"
    notes = wb.create_sheet("Ghi chú", 0)
    notes.append(["Số liệu kèm theo."])
    wb.active = 0
    return xlsx_bytes(wb)


TERMINAL_ATTACK = "\x1b]0;pwned\x07\x1b[2J\x1b[32mĐã nạp lô #7\x1b[0m\x1b[8m"


def escapes_in_cells_csv() -> bytes:
    """A unit name carrying terminal escape sequences (title, clear screen, a fake green line, hidden text)."""
    return bad_table(_set(3, 2, "Huyện Bảo Lạc" + TERMINAL_ATTACK))


def just_above_maximum_csv() -> bytes:
    """Field 1 of one unit at its maximum plus 0,004 (10,004 of 10)."""
    return bad_table(_set(5, 3, "10,004"))


def hidden_marks_csv() -> bytes:
    """The long English file (the fast path's kind) with names carrying a zero-width space, a combining
    grapheme joiner and a strike-through mark: the names are the same once those are removed."""
    text = (
        (GOOD / "huyen-2021-long-english.csv").read_text(encoding="utf-8")
        if (GOOD / "huyen-2021-long-english.csv").exists()
        else ""
    )
    return (
        text.replace("Bao Lam", "Bao\u200b Lam")
        .replace("Bao Lac", "Ba\u034fo Lac")
        .replace("Ha Lang", "H\u0336a Lang")
        .encode("utf-8")
    )


HOSTILE_FILES = {
    "o-thua-XFD1048576.xlsx": stray_cell_xlsx,
    "bom-nen.xlsx": zip_bomb_xlsx,
    "trieu-dong.xlsx": million_rows_xlsx,
    "hai-trieu-dinh-dang.xlsx": styles_bomb_xlsx,
    "xml-sai.xlsx": lambda: sheet_xml_replaced(SHEET_HEAD.encode() + b"<row><c><v>1</v></row>" + SHEET_TAIL.encode()),
    "xml-cut.xlsx": truncated_sheet_xlsx,
    "doctype-entity.xlsx": lambda: sheet_xml_replaced(BILLION_LAUGHS),
    "ky-tu-esc-trong-xml.xlsx": lambda: sheet_xml_replaced(
        (SHEET_HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>a\x1bb</t></is></c></row>' + SHEET_TAIL).encode()
    ),
    "zip-mat-khau.xlsx": lambda: patched_zip_flags(xlsx_bytes(table_workbook()), XLSX_SHEET, flag=0x1),
    "deflate64.xlsx": lambda: patched_zip_flags(xlsx_bytes(table_workbook()), XLSX_SHEET, method=9),
    "ma-hoa-mat-khau.xlsx": encrypted_ooxml,
    "cong-thuc-chua-tinh.xlsx": formulas_without_values_xlsx,
    "o-gop-du-lieu.xlsx": merged_data_xlsx,
    "dong-cot-an.xlsx": hidden_row_and_column_xlsx,
    "trang-an-sau.xlsx": very_hidden_sheet_xlsx,
    "esc-trong-o.csv": escapes_in_cells_csv,
    "vuot-toi-da-0004.csv": just_above_maximum_csv,
    "ky-tu-an-trong-ten.csv": hidden_marks_csv,
}


def numbered_rows_xlsx(rows: int = 1_048_576) -> bytes:
    """A sheet of `rows` numbered rows, each holding a value: compresses only about fifteen times,
    so it passes the ratio check and meets the row limit while streaming (made at test time, ~2 MB)."""

    def chunks():
        yield SHEET_HEAD.encode()
        for start in range(1, rows + 1, 10_000):
            yield "".join(
                f'<row r="{r}"><c><v>1</v></c></row>' for r in range(start, min(start + 10_000, rows + 1))
            ).encode()
        yield SHEET_TAIL.encode()

    return replace_parts(xlsx_bytes(table_workbook()), {XLSX_SHEET: chunks()})


def unknown_units_bytes(size: int = 4_900_000) -> bytes:
    """A long file of about `size` bytes whose every unit is unknown (made at test time: 4,9 MB)."""
    head = "Năm;Tên đơn vị;Mã tiêu chí;Điểm\r\n"
    line = "2021;Huyện Không Có {:06d};1;5,00\r\n"
    count = (size - len(head)) // len(line.format(0).encode())
    return (head + "".join(line.format(i) for i in range(count))).encode()


def note_columns_bytes(columns: int = 16_000) -> bytes:
    """The clean table with `columns` unrecognised note columns (made at test time)."""
    rows = district_rows()
    rows[0] += [f"Ghi chú {i}" for i in range(columns)]
    for row in rows[1:]:
        row += [""] * columns
    return semicolon_csv(rows)


def write_hostile() -> None:
    HOSTILE.mkdir(exist_ok=True)
    for name, make in HOSTILE_FILES.items():
        (HOSTILE / name).write_bytes(make())


if __name__ == "__main__":
    raise SystemExit(main())
