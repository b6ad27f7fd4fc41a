"""Downloads as a person gets them: Debian chromium clicks the buttons on `streamlit run` and we open the files."""

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from analytics.rankings import rankings
from analytics.store import connect
from tests.conftest import wait_for_script
from tests.pictures import has_label_bands

pytestmark = pytest.mark.browser


def download(page, key: str, timeout: float = 90_000):
    """Click the download button with this key and return (suggested file name, bytes)."""
    button = page.locator(f".st-key-{key} button").first
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=timeout) as info:
        button.click()
    got = info.value
    return got.suggested_filename, Path(got.path()).read_bytes()


@pytest.fixture(scope="module")
def expected_ranking(demo_store_template):
    """From the template (the same demo data): the server holds its own store open for writing."""
    con = connect(demo_store_template, read_only=True)
    frame = rankings(con, 2020)
    con.close()
    return frame


def test_the_workbook_downloads_from_the_overview_and_opens(app_server, page, expected_ranking):
    page.goto(app_server.url + "/?year=2020&unit=042&level=district")
    wait_for_script(page)
    name, data = download(page, "download_xlsx")
    assert name == "chi-so-cchc-2020-042.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert "Xếp hạng" in book.sheetnames and "Kế hoạch" in book.sheetnames
    rows = [[c.value for c in row][:4] for row in book["Xếp hạng"].iter_rows(min_row=2)]
    assert rows == [
        [int(r.rank), r.unit_code, r.unit_name, pytest.approx(r.total, rel=1e-14)]
        for r in expected_ranking.itertuples()
    ]
    summary = dict(row[:2] for row in book["Tóm tắt"].iter_rows(min_row=2, values_only=True))
    assert "xếp thứ 9/10 huyện, thành phố" in summary["Đánh giá chung"]


def test_the_ranking_table_downloads_as_csv_with_a_bom(app_server, page):
    page.goto(app_server.url + "/xep-hang?year=2020&unit=042&level=district")
    wait_for_script(page)
    name, data = download(page, "ranking_csv")
    assert name == "xep-hang-district-2020.csv"
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Xếp hạng", "Mã đơn vị", "Đơn vị"]
    assert ["9", "042", "Huyện Bảo Lâm", "73.79"] == rows[9][:4]


def test_a_chart_downloads_as_png_with_its_labels(app_server, page):
    page.goto(app_server.url + "/?year=2020&unit=042&level=district")
    wait_for_script(page)
    name, data = download(page, "overview_ranking_png")
    assert name == "bieu-do-xep-hang-2020-042.png"  # Vietnamese words for the chart, then the view
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    assert has_label_bands(data)  # the district names at the left, the axis labels at the bottom
    page.goto(app_server.url + "/?year=2019&unit=042&level=district")
    wait_for_script(page)
    assert download(page, "overview_ranking_png")[0] == "bieu-do-xep-hang-2019-042.png"  # never 2020's name


def test_the_word_brief_s_ranking_chart_keeps_its_labels(app_server, page):
    """After the page has drawn its charts (Streamlit's plotly template is then the default)."""
    page.goto(app_server.url + "/?year=2020&unit=042&level=district")
    wait_for_script(page)
    name, data = download(page, "download_docx")
    assert name.endswith(".docx")
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        media = sorted(n for n in docx.namelist() if n.startswith("word/media/") and n.endswith(".png"))
        figure_1 = docx.read(media[0])
    assert has_label_bands(figure_1)


def test_the_copy_box_holds_the_paragraph_and_footnotes(app_server, page):
    page.goto(app_server.url + "/?year=2020&unit=042&level=district")
    wait_for_script(page)
    page.get_by_text("Sao chép đoạn văn (kèm chú thích)").click()
    code = page.locator('[data-testid="stCode"]').first
    code.wait_for()
    text = code.inner_text()
    assert "giảm 7,21 điểm và giảm 2 bậc so với năm 2019" in text
    assert "¹ Xã xếp loại Tốt: Thạch Lâm." in text
