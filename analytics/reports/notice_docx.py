"""The draft "Thông báo kết luận" as a Word document, laid out as Nghị định 30/2020/NĐ-CP asks.

Header (issuing body left, national motto right; number and place-date line below them), title
and summary line, body, then "Nơi nhận" left and the signature block right. The body is section
I (the "Đánh giá chung" paragraph of analytics/reports/paragraph.py, with its footnotes as real Word
footnotes) and section II: the offices in the notice's order, numbered, each with its tasks as
paragraphs. Blanks the office fills in (number, day, month, signer) are left as in the notice.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from analytics.errors import CchcError
from analytics.reports.docx_footnotes import add_footnote
from analytics.reports.paragraph import Summary, summary_paragraph, unit_info
from analytics.targets import target_gap
from analytics.task_results import office_order
from analytics.tasks import list_tasks

FONT = "Times New Roman"
BODY_PT, HEADER_PT, RECIPIENTS_PT = 14, 13, 11
MARGINS_CM = {"top": 2.0, "bottom": 2.0, "left": 3.0, "right": 1.5}
SECTION_I = "I. ĐÁNH GIÁ CHUNG"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
SIGNATURE = ("TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG")


@dataclass(frozen=True)
class Addressees:
    """Whom the notice assigns and is sent to: a district's offices and communes, or (after the 2025
    reform, when the commune is the last tier) the commune's own offices."""

    section_ii: str
    assigned: str  # "... Ủy ban nhân dân giao {assigned} nghiêm túc thực hiện ..."
    informed: str  # "... để {informed} biết, triển khai thực hiện"
    recipients: tuple[str, ...]


DISTRICT_ADDRESSEES = Addressees(
    section_ii="II. MỘT SỐ NHIỆM VỤ TRỌNG TÂM GIAO CÁC PHÒNG, BAN, NGÀNH VÀ UBND CÁC XÃ, THỊ TRẤN TRONG THỜI GIAN TỚI",
    assigned="các cơ quan chuyên môn, đơn vị và UBND các xã, thị trấn",
    informed="các cơ quan chuyên môn, UBND các xã, thị trấn và các đơn vị liên quan",
    recipients=(
        "Thường trực Huyện ủy;",
        "Thường trực HĐND huyện;",
        "Chủ tịch, các PCT UBND huyện;",
        "UBMTTQ huyện;",
        "Các phòng, ban, đơn vị thuộc UBND huyện;",
        "UBND các xã, thị trấn;",
        "Lưu: VT.",
    ),
)


def commune_addressees(kind: str) -> Addressees:
    """A commune or ward ("xã", "phường", "đặc khu") issuing to its own offices."""
    return Addressees(
        section_ii=f"II. MỘT SỐ NHIỆM VỤ TRỌNG TÂM GIAO CÁC PHÒNG, ĐƠN VỊ THUỘC UBND {kind.upper()} "
        "TRONG THỜI GIAN TỚI",
        assigned=f"các phòng, đơn vị thuộc Ủy ban nhân dân {kind}",
        informed=f"các phòng, đơn vị thuộc UBND {kind} và các đơn vị liên quan",
        recipients=(
            f"Thường trực Đảng ủy {kind};",
            f"Thường trực HĐND {kind};",
            f"Chủ tịch, các PCT UBND {kind};",
            f"UBMTTQ {kind};",
            f"Các phòng, đơn vị thuộc UBND {kind};",
            "Lưu: VT.",
        ),
    )


def addressees_of(unit) -> Addressees:
    if unit.level == "commune":
        return commune_addressees((unit.kind or "xã").lower())
    return DISTRICT_ADDRESSEES


DEMO_NOTE = (
    "Dự thảo lập từ bảng điều khiển chỉ số CCHC ngày {today}. Dữ liệu minh họa: có số liệu và nhiệm vụ "
    "minh họa, chưa phải kết quả hay nội dung chính thức."
)
DRAFT_NOTE = "Dự thảo lập từ bảng điều khiển chỉ số CCHC ngày {today}; văn phòng hoàn thiện, trình ký."
NO_TASKS = "(Chưa có nhiệm vụ nào được giao cho năm {year}.)"


@dataclass(frozen=True)
class OfficeTasks:
    heading: str  # "1. Phòng Nội vụ"
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class NoticeContent:
    year: int  # the results year section I assesses; the tasks serve year + 1
    authority: tuple[str, str]  # ("ỦY BAN NHÂN DÂN", "HUYỆN BẢO LÂM")
    place: str
    summary: Summary
    lead: str
    offices: tuple[OfficeTasks, ...]
    closing: str
    is_demo: bool
    addressees: Addressees = DISTRICT_ADDRESSEES


def notice_content(con, year: int, unit_code: str) -> NoticeContent:
    """Everything the notice says, for a unit's results of `year` and its tasks serving year + 1."""
    unit = unit_info(con, unit_code, year)
    summary = summary_paragraph(con, year, unit.code)
    tasks = list_tasks(con, year + 1, unit.code)
    place = (
        unit.name[len(unit.kind) :].strip()
        if unit.kind and unit.name.lower().startswith(unit.kind.lower())
        else unit.name
    )
    return NoticeContent(
        year=year,
        authority=("ỦY BAN NHÂN DÂN", unit.name.upper()),
        place=place,
        summary=summary,
        lead=_lead(con, year, unit),
        offices=_offices(con, tasks, unit.name),
        closing=_closing(unit, year),
        is_demo=summary.is_demo or bool(tasks.is_demo.any()),
        addressees=addressees_of(unit),
    )


def _lead(con, year: int, unit) -> str:
    """The sentence opening section II, with the rank to reach when a target is set."""
    try:
        gap = target_gap(con, year, unit.code)
        ranks = (
            f" (từ bậc {gap.current_rank}/{gap.rank_of} lên bậc {gap.target_rank}/{gap.rank_of})"
            if not gap.reached
            else ""
        )
    except CchcError:
        ranks = ""
    return (
        f"Trong thời gian tới, để tạo chuyển biến tích cực, đồng bộ, phấn đấu cải thiện thứ bậc điểm chỉ số CCHC "
        f"năm {year + 1} của {unit.name[:1].lower()}{unit.name[1:]}{ranks}, Ủy ban nhân dân giao "
        f"{addressees_of(unit).assigned} nghiêm túc thực hiện một số nhiệm vụ trọng tâm sau đây:"
    )


def _offices(con, tasks, unit_name: str) -> tuple[OfficeTasks, ...]:
    order = office_order(con)
    keyed = tasks.assign(
        _key=tasks.office_code.fillna(""),
        _order=tasks.office_code.map(lambda c: order.get(c, len(order))).fillna(len(order)),
    )
    keyed = keyed.sort_values(["_order", "sort_order", "id"], kind="stable")
    groups = []
    for number, (_, group) in enumerate(keyed.groupby("_key", sort=False), start=1):
        name = group.office_name.iloc[0] or unit_name
        groups.append(OfficeTasks(f"{number}. {name}", tuple(task_paragraph(t) for t in group.itertuples())))
    return tuple(groups)


def task_paragraph(task) -> str:
    """'Title: description (tiêu chí 3.2; 3.3; hoàn thành trước ngày 31/10/2021).'"""
    text = task.title.rstrip(".")
    if isinstance(task.description, str) and task.description:
        text += ": " + task.description[:1].lower() + task.description[1:].rstrip(".")
    details = [f"tiêu chí {task.criteria}"] if isinstance(task.criteria, str) else []
    if task.deadline is not None:
        details.append(f"hoàn thành trước ngày {task.deadline:%d/%m/%Y}")
    return text + (f" ({'; '.join(details)})" if details else "") + "."


def _closing(unit, year: int) -> str:
    return (
        f"Thừa lệnh Chủ tịch Ủy ban nhân dân, Văn phòng HĐND và UBND thông báo kết luận của đồng chí Chủ tịch "
        f"UBND {unit.name[:1].lower()}{unit.name[1:]} về nâng cao chỉ số cải cách hành chính năm {year + 1} để "
        f"{addressees_of(unit).informed} biết, triển khai thực hiện./."
    )


# ----- the document ------------------------------------------------------------------------------


def build_notice(con, year: int, unit_code: str) -> bytes:
    return notice_docx(notice_content(con, year, unit_code))


def notice_docx(content: NoticeContent, today: date | None = None) -> bytes:
    document = docx.Document()
    _page(document)
    _header(document, content)
    _title(document, content)
    _paragraph(
        document,
        (DEMO_NOTE if content.is_demo else DRAFT_NOTE).format(today=f"{today or date.today():%d/%m/%Y}"),
        italic=True,
        indent=False,
        size=12,
    )
    _section_one(document, content.summary)
    _section_two(document, content)
    _paragraph(document, content.closing)
    _footer(document, content.addressees.recipients)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side, cm in MARGINS_CM.items():
        setattr(section, f"{side}_margin", Cm(cm))
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(6)


def _grid(document, widths_cm: tuple[float, float]):
    """A borderless two-column table: how the header and the signature area sit side by side."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths_cm):
        column.width = cell.width = Cm(width)  # the grid (LibreOffice) and the cell (Word)
    return table.rows[0].cells


def _line(cell, text: str, *, bold=False, italic=False, size=HEADER_PT, underline=False, align="center"):
    paragraph = cell.add_paragraph() if cell.paragraphs[-1].text or cell.paragraphs[-1].runs else cell.paragraphs[-1]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline, run.font.size = bold, italic, underline, Pt(size)
    return paragraph


def _header(document, content: NoticeContent) -> None:
    left, right = _grid(document, (6.5, 10.0))
    _line(left, content.authority[0], size=HEADER_PT)
    _line(left, content.authority[1], bold=True, underline=True)
    _line(left, "")
    _line(left, "Số:       /TB-UBND")
    _line(right, MOTTO[0], bold=True, size=HEADER_PT - 1)
    _line(right, MOTTO[1], bold=True, underline=True, size=BODY_PT)
    _line(right, "")
    _line(right, f"{content.place}, ngày      tháng      năm {content.year + 1}", italic=True, size=BODY_PT)


def _title(document, content: NoticeContent) -> None:
    for text, size in (
        ("THÔNG BÁO", BODY_PT),
        (
            f"Kết luận của Chủ tịch Ủy ban nhân dân tại Hội nghị nâng cao chỉ số cải cách hành chính năm "
            f"{content.year + 1}",
            BODY_PT,
        ),
    ):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(12 if text == "THÔNG BÁO" else 0)
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold, run.font.size = True, Pt(size)
    rule = document.add_paragraph()
    rule.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rule.add_run("―" * 8)


def _paragraph(document, text: str = "", *, bold=False, italic=False, indent=True, size=BODY_PT):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _section_one(document, summary: Summary) -> None:
    _paragraph(document, SECTION_I, bold=True).paragraph_format.keep_with_next = True
    paragraph = _paragraph(document)
    for piece in summary.pieces:
        if isinstance(piece, str):
            paragraph.add_run(piece)
        else:
            add_footnote(document, paragraph, summary.footnotes[piece - 1])


def _section_two(document, content: NoticeContent) -> None:
    _paragraph(document, content.addressees.section_ii, bold=True)
    _paragraph(document, content.lead)
    if not content.offices:
        _paragraph(document, NO_TASKS.format(year=content.year + 1), italic=True)
    for office in content.offices:
        _paragraph(document, office.heading, bold=True).paragraph_format.keep_with_next = True
        for text in office.paragraphs:
            _paragraph(document, text)


def _footer(document, recipients: tuple[str, ...]) -> None:
    left, right = _grid(document, (8.0, 8.5))
    _line(left, "Nơi nhận:", bold=True, italic=True, size=12, align="left")
    for recipient in recipients:
        _line(left, f"- {recipient}", size=RECIPIENTS_PT, align="left")
    for text in SIGNATURE:
        _line(right, text, bold=True, size=BODY_PT)
    for _ in range(4):
        _line(right, "")
    _line(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, size=12)
    _keep_borderless(document)


def _keep_borderless(document) -> None:
    """python-docx's default table style draws no borders; say so explicitly for other editors."""
    for table in document.tables:
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            element = OxmlElement(f"w:{edge}")
            element.set(qn("w:val"), "nil")
            borders.append(element)
        table._tbl.tblPr.append(borders)
