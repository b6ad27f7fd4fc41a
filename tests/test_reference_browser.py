"""What a person sees: a province starting from an empty store is told on the overview to load its
criteria set first; on Dữ liệu › Danh mục it loads its annex and sees the tree, at 1366 and 390 px."""

from __future__ import annotations

import re

import pytest

from analytics.auth import hash_password
from analytics.settings import EDITOR_PASSWORD_HASH
from analytics.store import init_empty_store
from tests.conftest import StreamlitServer, free_port, sign_in_as_editor, wait_for_script
from tests.data.make_reference_corpus import GOOD

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-bien-tap-vien"
ANNEX = GOOD / "phu-luc-huyen-so-a-rap.xlsx"


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory):
    db = tmp_path_factory.mktemp("empty-server") / "tinh.duckdb"
    init_empty_store(db, "04")
    server = StreamlitServer(db, free_port(), env={EDITOR_PASSWORD_HASH.name: hash_password(PASSWORD)})
    yield server
    server.stop()


def tree_column(page, column: int) -> list[str]:
    """One column of the tree, from the grid's accessible table (filled once the canvas has drawn)."""
    grid = page.locator(".st-key-criteria_tree_box [data-testid='stDataFrame']")
    grid.locator("table tbody td").first.wait_for(state="attached", timeout=30_000)
    return grid.locator(f'table tbody td[aria-colindex="{column}"]').all_text_contents()


def test_load_an_annex_through_the_page_and_see_its_tree(empty_server, page, tmp_path):
    page.goto(empty_server.url)
    wait_for_script(page)
    page.get_by_text("Chưa có bộ tiêu chí nào trong kho dữ liệu").wait_for()
    page.get_by_role("link", name="Mở trang Dữ liệu để nạp").click()
    page.get_by_role("heading", name="Dữ liệu").wait_for()
    wait_for_script(page)
    sign_in_as_editor(page, PASSWORD)

    page.get_by_role("tab", name="Danh mục").click()
    wait_for_script(page)
    page.get_by_text("Chưa có bộ tiêu chí cấp huyện áp dụng cho năm").wait_for()
    page.locator(".st-key-ref_kind").click()
    page.get_by_role("option", name="Bộ tiêu chí").click()
    wait_for_script(page)
    page.locator(".st-key-ref_upload_0 input[type='file']").set_input_files(str(ANNEX))
    page.get_by_text("Xem trước: cây bộ tiêu chí").wait_for(timeout=60_000)
    wait_for_script(page)
    page.get_by_role("button", name="Xác nhận nạp").click()
    page.get_by_text("Đã nạp lô #2 (bộ tiêu chí)").wait_for(timeout=60_000)
    wait_for_script(page)

    page.get_by_text(re.compile(r"Bộ tiêu chí đang áp dụng: .+ \(mã HUYEN-2022, áp dụng từ năm 2022\)")).wait_for()
    page.locator(".st-key-criteria_tree_box").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    codes, maxima, names = tree_column(page, 1), tree_column(page, 2), tree_column(page, 3)
    assert codes[:3] == ["", "1", "1.1"] and maxima[:2] == ["100,00", "9,00"]
    assert "\u2003Công tác chỉ đạo, điều hành cải cách hành chính" in names
    page.screenshot(path=str(tmp_path / "du-lieu-danh-muc.png"))
    assert page.locator('[data-testid="stException"]').count() == 0


HOSTILE_ANNEX = (
    "PHỤ LỤC\nBỘ TIÊU CHÍ CẤP HUYỆN ÁP DỤNG TỪ NĂM 2027 (MINH HỌA)\n\n"
    "STT,Lĩnh vực/Tiêu chí/Tiêu chí thành phần,Điểm tối đa,Cơ quan chủ trì\n"
    '1,Lĩnh vực <b>đậm</b>,50,=\n2,"Lĩnh vực **B**",50,<B\n'
)

AMBIGUOUS_ANNEX = (
    "PHỤ LỤC\nBỘ TIÊU CHÍ CẤP HUYỆN ÁP DỤNG TỪ NĂM 2027 (MINH HỌA)\n\n"
    "STT,Lĩnh vực/Tiêu chí/Tiêu chí thành phần,Điểm tối đa\n1,Lĩnh vực A,50\n2,Lĩnh vực B,50.000\n"
)


def test_hostile_reference_files_are_shown_as_text_and_refused_with_their_place(empty_server, page, tmp_path):
    """An annex whose names carry HTML/Markdown and whose offices would make formula codes: shown as
    written, the new codes safe; a maximum written 6.000 in a file showing no decimal mark: an error at
    its row and column, nothing to confirm. Looked at on a computer and on a phone."""
    page.goto(empty_server.url + "/du-lieu")
    wait_for_script(page)
    sign_in_as_editor(page, PASSWORD)
    page.get_by_role("tab", name="Danh mục").click()
    wait_for_script(page)
    page.locator(".st-key-ref_upload_0").wait_for()  # the kind defaults to Bộ tiêu chí

    annex = tmp_path / "phu-luc-doc-hai.csv"
    annex.write_bytes(HOSTILE_ANNEX.encode("utf-8-sig"))
    page.locator(".st-key-ref_upload_0 input[type='file']").set_input_files(str(annex))
    page.get_by_text("Xem trước: cây bộ tiêu chí").wait_for(timeout=60_000)
    wait_for_script(page)
    problems = page.locator("ul.import-problems").inner_text()
    assert "Cơ quan '=' chưa có trong danh mục: sẽ được thêm với mã CQ01" in problems
    assert "Cơ quan '<B' chưa có trong danh mục: sẽ được thêm với mã B" in problems
    assert page.locator("ul.import-problems b", has_text="đậm").count() == 0
    page.locator("ul.import-problems").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "danh-muc-doc-hai-1366.png"))

    ambiguous = tmp_path / "phu-luc-so-mo-ho.csv"
    ambiguous.write_bytes(AMBIGUOUS_ANNEX.encode("utf-8-sig"))
    page.locator(".st-key-ref_upload_0 input[type='file']").set_input_files(str(ambiguous))
    page.get_by_text("'50.000' là 50000 nếu dấu '.' phân cách hàng nghìn").wait_for(timeout=60_000)
    wait_for_script(page)
    assert "dòng 6, cột 'Điểm tối đa'" in page.locator("ul.import-problems").inner_text()
    assert page.get_by_role("button", name="Xác nhận nạp").is_disabled()
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    page.locator("ul.import-problems").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "danh-muc-so-mo-ho-390.png"))
    assert page.locator('[data-testid="stException"]').count() == 0
