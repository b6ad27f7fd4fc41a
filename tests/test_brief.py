"""The Word brief: opens with python-docx, real footnotes in the package, tables, charts, page setup."""

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Pt

from analytics.formatting import fmt_number
from analytics.rankings import rankings
from analytics.reports.brief_docx import build_brief
from analytics.reports.paragraph import summary_paragraph
from tests.conftest import CHROMIUM

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def brief(demo_readonly) -> bytes:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    return build_brief(demo_readonly, 2020, "042", browser=CHROMIUM)


def footnote_texts(package: zipfile.ZipFile) -> dict[int, str]:
    root = docx.oxml.parse_xml(package.read("word/footnotes.xml"))
    notes = {}
    for note in root.iter(W + "footnote"):
        note_id = int(note.get(W + "id"))
        if note_id > 0:
            notes[note_id] = "".join(t.text or "" for t in note.iter(W + "t")).strip()
    return notes


def test_the_brief_opens_and_holds_the_paragraph(brief, demo_readonly):
    document = docx.Document(io.BytesIO(brief))
    summary = summary_paragraph(demo_readonly, 2020, "042")
    texts = [p.text for p in document.paragraphs]
    assert summary.plain_text in texts  # the footnote markers are real references, not text
    assert "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2020" in texts
    assert any(t.startswith("Dữ liệu minh họa") for t in texts)


def test_footnotes_are_real_and_in_the_package(brief, demo_readonly):
    package = zipfile.ZipFile(io.BytesIO(brief))
    summary = summary_paragraph(demo_readonly, 2020, "042")
    assert footnote_texts(package) == dict(enumerate(summary.footnotes, start=1))
    body = package.read("word/document.xml").decode()
    assert re.findall(r'<w:footnoteReference w:id="(\d+)"/>', body) == [str(n) for n in range(1, 6)]
    assert (
        'PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.footnotes+xml"'
    ) in package.read("[Content_Types].xml").decode()
    rels = package.read("word/_rels/document.xml.rels").decode()
    assert 'relationships/footnotes" Target="footnotes.xml"' in rels
    assert "<w:footnotePr>" in package.read("word/settings.xml").decode()
    assert "Thị trấn Pác Miầu" in footnote_texts(package)[2]


def test_the_cards_and_the_ranking_table(brief, demo_readonly):
    tables = docx.Document(io.BytesIO(brief)).tables
    cards = [[c.text for c in row.cells] for row in tables[0].rows]
    assert cards[1] == ["73,79", "9/10", "giảm 7,21 điểm", "giảm 2 bậc", "5,39 điểm (hạng 5/10)"]
    ranking = rankings(demo_readonly, 2020)
    rows = [[c.text for c in row.cells][:3] for row in tables[1].rows[1:]]
    assert rows == [[str(int(r.rank)), r.unit_name, fmt_number(r.total)] for r in ranking.itertuples()]


def test_weak_fields_offices_communes_and_plan_tables(brief):
    tables = docx.Document(io.BytesIO(brief)).tables
    headers = [[c.text for c in t.rows[0].cells] for t in tables]
    assert ["Mã", "Lĩnh vực", "Điểm", "Tối đa", "Tỷ lệ", "Bình quân", "Chênh lệch (%)", "Cơ quan chủ trì"] in headers
    assert ["Cơ quan", "Điểm bị mất", "Có thể lấy lại", "Số tiêu chí"] in headers
    assert ["Hạng", "Xã, thị trấn", "Tổng điểm", "Xếp loại", "Năm trước", "Thay đổi điểm"] in headers
    plan = tables[[h[0] for h in headers].index("Tiêu chí")]
    assert len(plan.rows) > 1
    fields = tables[
        headers.index(["Mã", "Lĩnh vực", "Điểm", "Tối đa", "Tỷ lệ", "Bình quân", "Chênh lệch (%)", "Cơ quan chủ trì"])
    ]
    assert sorted(row.cells[0].text for row in fields.rows[1:5]) == ["3", "5", "6", "7"]  # weakest first (F6)


def test_the_charts_are_images_in_the_brief(brief):
    package = zipfile.ZipFile(io.BytesIO(brief))
    media = [n for n in package.namelist() if n.startswith("word/media/")]
    assert len(media) == 3
    assert all(package.read(n)[:8] == b"\x89PNG\r\n\x1a\n" for n in media)
    captions = [p.text for p in docx.Document(io.BytesIO(brief)).paragraphs if p.style.name == "Caption"]
    assert captions[0] == "Hình 1. Xếp hạng chỉ số CCHC cấp huyện năm 2020" and len(captions) == 3


def test_administrative_page_and_font(brief):
    document = docx.Document(io.BytesIO(brief))
    section = document.sections[0]
    sizes = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    assert [round(length.cm, 2) for length in sizes] == [21, 29.7, 2, 2, 3, 2]  # A4; stored in twips
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(13)
    fonts = normal.element.rPr.find(W + "rFonts")
    assert fonts.get(W + "hAnsi") == "Times New Roman"  # the slot Vietnamese letters are drawn with


def test_without_a_browser_the_brief_is_written_and_says_so(demo_readonly, tmp_path):
    data = build_brief(demo_readonly, 2020, "042", browser=tmp_path / "no-chromium")
    package = zipfile.ZipFile(io.BytesIO(data))
    assert not [n for n in package.namelist() if n.startswith("word/media/")]
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    note = next(t for t in texts if t.startswith("Báo cáo không kèm biểu đồ"))
    assert "Không tìm thấy trình duyệt Chromium" in note
    assert len(footnote_texts(package)) == 5


def test_a_commune_brief_has_no_commune_section(demo_readonly, tmp_path):
    document = docx.Document(io.BytesIO(build_brief(demo_readonly, 2020, "01304", charts=False)))
    texts = [p.text for p in document.paragraphs]
    assert "III. XẾP HẠNG CÁC XÃ, THỊ TRẤN NĂM 2020" in texts
    assert not any(t.startswith("V. KẾT QUẢ CẤP XÃ") for t in texts)
