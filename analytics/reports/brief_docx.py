"""The Word brief (.docx): the paragraph with real footnotes, cards, tables, the plan and the charts.

Plain administrative style an office can edit: A4, margins 2 cm top and bottom, 3 cm left, 2 cm
right; Times New Roman 13 for the text (14 for the title, 12 inside tables, 10 for footnotes).
Chart images are drawn through kaleido and Chromium; without a browser the brief is written
without them and says so where they would be.
"""

from __future__ import annotations

import io
from datetime import date

import docx
import pandas as pd
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from analytics.formatting import fmt_int, fmt_number, fmt_pct, fmt_rank, fmt_signed, rank_change_words
from analytics.reports.chart_images import ChartImageError, figures_to_png
from analytics.reports.contents import ReportData, why_empty, why_no_plan
from analytics.reports.docx_footnotes import add_footnote
from analytics.reports.figures import brief_figures
from analytics.reports.wording import kinds_phrase, places_change, points_change

FONT = "Times New Roman"
BODY_PT, TITLE_PT, TABLE_PT = 13, 14, 12
MARGINS_CM = {"top": 2.0, "bottom": 2.0, "left": 3.0, "right": 2.0}
IMAGE_WIDTH_CM = 16
DEMO_NOTE = (
    "Dữ liệu minh họa: báo cáo có dùng số liệu minh họa, chưa phải kết quả chính thức. Chỉ các số liệu "
    "nêu trong Thông báo kết luận tháng 4/2021 của UBND huyện Bảo Lâm (tổng điểm, thứ hạng năm 2019, "
    "2020, xếp loại các xã) là số liệu thật."
)
NO_IMAGES_NOTE = "Báo cáo không kèm biểu đồ: {reason} Các bảng số liệu bên dưới vẫn đầy đủ."


def build_brief(con, year: int, unit_code: str, browser: str | None = None, charts: bool = True) -> bytes:
    """Gather the analytics, draw the charts (if a browser is available) and write the brief."""
    from analytics.reports.contents import collect

    data = collect(con, year, unit_code)
    figures = brief_figures(data) if charts else []
    images, reason = {}, None
    if figures:
        try:
            pngs = figures_to_png([figure for _, _, figure in figures], browser)
            images = {key: (caption, png) for (key, caption, _), png in zip(figures, pngs)}
        except ChartImageError as exc:
            reason = exc.message
    return brief_docx(data, images, reason if charts else "không yêu cầu vẽ biểu đồ.")


def brief_docx(data: ReportData, images: dict[str, tuple[str, bytes]], no_images_reason: str | None = None) -> bytes:
    """The .docx bytes; `images` maps a chart key to (caption, PNG), empty when none could be drawn."""
    document = docx.Document()
    _page_setup(document)
    _styles(document)
    _title(document, data)
    _heading(document, "I. ĐÁNH GIÁ CHUNG")
    _summary(document, data)
    _heading(document, "II. CÁC CHỈ SỐ CHÍNH")
    _cards(document, data)
    if not images and no_images_reason:
        _note(document, NO_IMAGES_NOTE.format(reason=no_images_reason))
    figures = _Figures(images)
    _ranking_section(document, data, figures)
    _fields_section(document, data, figures)
    _communes_section(document, data)
    _plan_section(document, data)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ----- page and styles ---------------------------------------------------------------------------


def _page_setup(document) -> None:
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(MARGINS_CM["top"]), Cm(MARGINS_CM["bottom"])
        section.left_margin, section.right_margin = Cm(MARGINS_CM["left"]), Cm(MARGINS_CM["right"])


def _style_font(style, size: int) -> None:
    """Times New Roman for every script (Vietnamese uses hAnsi), overriding the template's theme fonts."""
    style.font.name = FONT
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme") or attribute.endswith("theme"):
            del fonts.attrib[attribute]
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _styles(document) -> None:
    normal = document.styles["Normal"]
    _style_font(normal, BODY_PT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    normal.element.get_or_add_rPr().append(lang)
    for name in ("Heading 1", "Heading 2", "Caption"):
        style = document.styles[name]
        _style_font(style, BODY_PT)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.bold = name != "Caption"
        style.font.italic = name == "Caption"
        style.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 6)
        style.paragraph_format.space_after = Pt(6)


def _title(document, data: ReportData) -> None:
    lines = [
        ("BÁO CÁO TÓM TẮT", True, TITLE_PT),
        (f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {data.year}", True, TITLE_PT),
        (f"{data.unit.name}", False, BODY_PT),
        (f"(Lập từ bảng điều khiển chỉ số CCHC ngày {date.today():%d/%m/%Y})", False, BODY_PT),
    ]
    for text, bold, size in lines:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold, run.font.size, run.italic = bold, Pt(size), text.startswith("(")
    if data.is_demo:
        _note(document, DEMO_NOTE)


def _heading(document, text: str, level: int = 1) -> None:
    document.add_heading(text, level=level)


def _note(document, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.italic = True


def _body(document, text: str = ""):
    paragraph = document.add_paragraph(text)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1)
    return paragraph


# ----- sections ----------------------------------------------------------------------------------


def _summary(document, data: ReportData) -> None:
    paragraph = _body(document)
    notes = data.summary.footnotes
    for piece in data.summary.pieces:
        if isinstance(piece, str):
            paragraph.add_run(piece)
        else:
            add_footnote(document, paragraph, notes[piece - 1])


def _cards(document, data: ReportData) -> None:
    row, previous = data.row, data.previous_year
    since = f"so với năm {previous}" if previous else "(chưa có năm trước)"
    has_previous = previous is not None and not pd.isna(row["total_previous"])
    cards = [
        ("Tổng điểm", fmt_number(row["total"])),
        ("Xếp hạng", fmt_rank(row["rank"], row["rank_of"])),
        (f"Thay đổi điểm {since}", points_change(row["delta_total"]) if has_previous else "–"),
        (f"Thay đổi thứ hạng {since}", places_change(row["delta_rank"]) if has_previous else "–"),
        ("Điểm cần thêm để đạt mục tiêu", _target_card(data)),
    ]
    _table(document, [c for c, _ in cards], [[v for _, v in cards]])


def _target_card(data: ReportData) -> str:
    if data.target is None:
        return "Chưa có chỉ tiêu xếp hạng"
    if data.target.reached:
        return f"Đã đạt hạng {data.target.target_rank}/{data.target.rank_of}"
    return f"{fmt_number(data.target.points_needed)} điểm (hạng {data.target.target_rank}/{data.target.rank_of})"


def _ranking_section(document, data: ReportData, figures: _Figures) -> None:
    kinds = kinds_phrase(data.kinds.get(code) for code in data.ranking.loc[data.ranking["has_data"], "unit_code"])
    _heading(document, f"III. XẾP HẠNG CÁC {kinds.upper()} NĂM {data.year}")
    ranked = data.ranking[data.ranking["has_data"]]
    rows = [
        [
            fmt_int(r["rank"]),
            r["unit_name"],
            fmt_number(r["total"]),
            _signed_or_dash(r["delta_total"]),
            _places_or_dash(r["delta_rank"]),
            r["band"] if isinstance(r["band"], str) else "–",
        ]
        for _, r in ranked.iterrows()
    ]
    table = _table(document, ["Hạng", "Đơn vị", "Tổng điểm", "Thay đổi điểm", "Thay đổi thứ hạng", "Xếp loại"], rows)
    home = [i for i, code in enumerate(ranked["unit_code"], start=1) if code == data.unit.code]
    for cell in table.rows[home[0]].cells if home else []:
        for run in (r for p in cell.paragraphs for r in p.runs):
            run.bold = True
    figures.place(document, "ranking")


def _fields_section(document, data: ReportData, figures: _Figures) -> None:
    _heading(document, "IV. LĨNH VỰC, TIÊU CHÍ CÒN YẾU VÀ CƠ QUAN CHỦ TRÌ")
    _heading(document, "1. Các lĩnh vực so với bình quân các đơn vị cùng cấp", level=2)
    rows = [
        [
            r.criterion_code,
            r.criterion_name,
            fmt_number(r.points),
            fmt_number(r.max_points),
            fmt_pct(r.pct),
            fmt_pct(r.reference_pct),
            fmt_signed(r.gap_pct, 1),
            _text(r.owner_office_name),
        ]
        for r in data.fields.itertuples(index=False)
    ]
    headers = ["Mã", "Lĩnh vực", "Điểm", "Tối đa", "Tỷ lệ", "Bình quân", "Chênh lệch (%)", "Cơ quan chủ trì"]
    _table_or_note(document, headers, rows, why_empty(data)["fields"])
    figures.place(document, "fields")
    _heading(document, "2. Điểm có thể lấy lại theo cơ quan chủ trì", level=2)
    rows = [
        [r.office_name, fmt_number(r.lost_points), fmt_number(r.reachable_points), fmt_int(r.criteria_count)]
        for r in data.offices.itertuples(index=False)
    ]
    headers = ["Cơ quan", "Điểm bị mất", "Có thể lấy lại", "Số tiêu chí"]
    _table_or_note(document, headers, rows, why_empty(data)["offices"])
    figures.place(document, "offices")
    _heading(document, "3. Các tiêu chí theo cơ quan chủ trì", level=2)
    detail = data.office_criteria[data.office_criteria["lost_points"] > 0]
    rows = [
        [
            r.office_name,
            f"{r.criterion_code} {r.criterion_name}",
            fmt_number(r.points),
            fmt_number(r.max_points),
            fmt_number(r.reachable_points),
        ]
        for r in detail.itertuples(index=False)
    ]
    _table(document, ["Cơ quan", "Tiêu chí", "Điểm", "Tối đa", "Có thể lấy lại"], rows)


def _communes_section(document, data: ReportData) -> None:
    if data.communes is None:
        return
    _heading(document, f"V. KẾT QUẢ CẤP XÃ NĂM {data.year}")
    table = data.communes[data.communes["total"].notna()].sort_values(["rank", "unit_code"])
    rows = [
        [
            fmt_int(r.rank),
            r.unit_name,
            fmt_number(r.total),
            _text(r.band),
            _text(r.band_previous),
            _signed_or_dash(r.delta_total),
        ]
        for r in table.itertuples(index=False)
    ]
    _table(document, ["Hạng", "Xã, thị trấn", "Tổng điểm", "Xếp loại", "Năm trước", "Thay đổi điểm"], rows)


def _plan_section(document, data: ReportData) -> None:
    _heading(document, "VI. KẾ HOẠCH ĐẠT MỤC TIÊU" if data.communes is not None else "V. KẾ HOẠCH ĐẠT MỤC TIÊU")
    if data.plan is None or data.target is None:
        _body(document, why_no_plan(data) or "")
        return
    plan = data.plan
    _body(document, f"Mục tiêu: đạt hạng {plan.target_rank}/{plan.rank_of}; {data.target.sentence}.")
    if not plan.steps:
        _body(document, why_no_plan(data) or "")
        return
    if plan.steps:
        rows = [
            [
                f"{s.criterion_code} {s.criterion_name}",
                _text(s.owner_office_name),
                fmt_number(s.from_points),
                fmt_number(s.to_points),
                fmt_signed(s.gain),
            ]
            for s in plan.steps
        ]
        _table(document, ["Tiêu chí", "Cơ quan chủ trì", "Điểm hiện tại", "Điểm cần đạt", "Tăng thêm"], rows)
    outcome = (
        f"Nếu thực hiện đủ các bước trên, tổng điểm đạt {fmt_number(plan.resulting_total)} điểm, "
        f"xếp hạng {fmt_rank(plan.resulting_rank, plan.rank_of)}."
    )
    if not plan.reachable:
        outcome += f" Vẫn còn thiếu {fmt_number(plan.shortfall)} điểm so với mục tiêu."
    _body(document, outcome)
    if plan.assumption:
        _note(document, plan.assumption)


# ----- small writers -----------------------------------------------------------------------------


def _table(document, headers: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers):
        _cell_text(cell, text, bold=True)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values):
            _cell_text(cell, str(text))
    document.add_paragraph()
    return table


def _table_or_note(document, headers: list[str], rows: list[list[str]], why_empty: str) -> None:
    """The table, or in its place the sentence the workbook writes under that sheet's header."""
    if rows:
        _table(document, headers, rows)
    else:
        _body(document, why_empty)


def _cell_text(cell, text: str, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.first_line_indent = Cm(0)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(TABLE_PT)


class _Figures:
    """Chart images placed where they belong, numbered in the order they appear."""

    def __init__(self, images: dict[str, tuple[str, bytes]]):
        self.images, self.placed = images, 0

    def place(self, document, key: str) -> None:
        if key not in self.images:
            return
        caption, png = self.images[key]
        self.placed += 1
        document.add_picture(io.BytesIO(png), width=Cm(IMAGE_WIDTH_CM))
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        document.add_paragraph(f"Hình {self.placed}. {caption}", style="Caption").alignment = WD_ALIGN_PARAGRAPH.CENTER


def _text(value) -> str:
    return value if isinstance(value, str) and value else "–"


def _signed_or_dash(value) -> str:
    return "–" if pd.isna(value) else fmt_signed(value)


def _places_or_dash(value) -> str:
    return "–" if pd.isna(value) else rank_change_words(int(value))
