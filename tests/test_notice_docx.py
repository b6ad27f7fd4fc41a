"""The Word "Thông báo kết luận": opens with python-docx, Nghị định 30/2020 blocks, sections I and II
in the notice's order, the footnotes of section I, "Nơi nhận" and the signature block."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile

import docx
import pytest

from analytics.reports.notice_docx import DISTRICT_ADDRESSEES, MOTTO, SECTION_I, SIGNATURE, build_notice
from analytics.reports.paragraph import summary_paragraph
from analytics.tasks import list_tasks
from tests.conftest import ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def notice(demo_readonly):
    return build_notice(demo_readonly, 2020, "042")


@pytest.fixture(scope="module")
def document(notice):
    return docx.Document(io.BytesIO(notice))


def cell_lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def body_texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_header_block_has_the_issuing_body_the_motto_the_number_and_the_date_line(document):
    left, right = document.tables[0].rows[0].cells
    assert cell_lines(left)[:2] == ["ỦY BAN NHÂN DÂN", "HUYỆN BẢO LÂM"]
    assert any(line.startswith("Số:") and line.endswith("/TB-UBND") for line in cell_lines(left))
    assert cell_lines(right)[:2] == list(MOTTO)
    assert cell_lines(right)[-1].startswith("Bảo Lâm, ngày") and cell_lines(right)[-1].endswith("năm 2021")
    texts = body_texts(document)
    assert texts[0] == "THÔNG BÁO" and "chỉ số cải cách hành chính năm 2021" in texts[1]


def test_sections_in_order_and_section_one_is_the_report_paragraph(document, demo_readonly):
    texts = body_texts(document)
    one, two = texts.index(SECTION_I), texts.index(DISTRICT_ADDRESSEES.section_ii)
    assert one < two
    assert texts[one + 1] == summary_paragraph(demo_readonly, 2020, "042").plain_text


def test_section_two_lists_each_office_in_the_notice_order_with_its_tasks(document, demo_readonly):
    texts = body_texts(document)
    start = texts.index(DISTRICT_ADDRESSEES.section_ii)
    tasks = list_tasks(demo_readonly, 2021, "042")
    order = [r[0] for r in demo_readonly.execute("SELECT code FROM offices ORDER BY rowid").fetchall()]
    offices = [c for c in order if c in set(tasks.office_code)]
    headings = [i for i, t in enumerate(texts) if i > start and re.match(r"^\d+\. ", t)]
    names = dict(demo_readonly.execute("SELECT code, name FROM offices").fetchall())
    assert [texts[i] for i in headings] == [f"{n}. {names[c]}" for n, c in enumerate(offices, start=1)]
    bounds = [*headings, texts.index(next(t for t in texts if t.startswith("Thừa lệnh")))]
    for (begin, end), code in zip(zip(bounds, bounds[1:]), offices):
        paragraphs = texts[begin + 1 : end]
        mine = tasks[tasks.office_code == code].sort_values(["sort_order", "id"])
        assert len(paragraphs) == len(mine) and document.paragraphs[begin].runs[0].bold
        for paragraph, title in zip(paragraphs, mine.title):
            assert paragraph.startswith(title)


def test_footnotes_of_section_one_are_real_word_footnotes(notice, demo_readonly):
    with zipfile.ZipFile(io.BytesIO(notice)) as package:
        xml = package.read("word/footnotes.xml").decode("utf-8")
        body = package.read("word/document.xml").decode("utf-8")
    for text in summary_paragraph(demo_readonly, 2020, "042").footnotes:
        assert text in xml
    assert body.count("footnoteReference") == len(summary_paragraph(demo_readonly, 2020, "042").footnotes)


def test_recipients_and_signature_block(document):
    left, right = document.tables[-1].rows[0].cells
    recipients = cell_lines(left)
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu: VT."
    assert cell_lines(right)[:3] == list(SIGNATURE)
    assert len(document.tables) == 2


def test_the_illustrative_data_is_said(document):
    assert any("Dữ liệu minh họa" in t for t in body_texts(document))


def test_command_line_writes_the_same_notice(tmp_path, demo_store):
    out = tmp_path / "thong-bao.docx"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "analytics",
            "report",
            "--db",
            str(demo_store),
            "--year",
            "2020",
            "--unit",
            "042",
            "--notice-docx",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    texts = body_texts(docx.Document(str(out)))
    assert SECTION_I in texts and DISTRICT_ADDRESSEES.section_ii in texts and "Đã ghi dự thảo" in result.stdout


def test_a_commune_after_the_reform_assigns_its_own_offices_not_the_communes_and_townships(demo_readonly):
    """Xã Bảo Lâm in 2025 is the last tier: its notice goes to its own offices and has no "thị trấn"."""
    document = docx.Document(io.BytesIO(build_notice(demo_readonly, 2025, "01290")))
    texts = body_texts(document)
    footer = [line for table in document.tables for cell in table._cells for line in cell_lines(cell)]
    everything = " ".join(texts + footer)
    assert "II. MỘT SỐ NHIỆM VỤ TRỌNG TÂM GIAO CÁC PHÒNG, ĐƠN VỊ THUỘC UBND XÃ TRONG THỜI GIAN TỚI" in texts
    assert "- Thường trực Đảng ủy xã;" in footer and "- Các phòng, đơn vị thuộc UBND xã;" in footer
    assert "thị trấn" not in everything and "Huyện ủy" not in everything
    assert "giao các phòng, đơn vị thuộc Ủy ban nhân dân xã nghiêm túc" in everything
