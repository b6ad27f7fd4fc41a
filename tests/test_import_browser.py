"""What a person sees: sign in on Dữ liệu, upload the 2021 sample, confirm, and the overview shows 2021."""

from __future__ import annotations

import pytest

from analytics.auth import hash_password
from analytics.settings import EDITOR_PASSWORD_HASH
from analytics.store import init_store
from tests.cards import page_card_values
from tests.conftest import ROOT, StreamlitServer, free_port, sign_in_as_editor, wait_for_script

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-bien-tap-vien"
SAMPLE = ROOT / "data" / "samples" / "ket-qua-huyen-2021.xlsx"


@pytest.fixture(scope="module")
def editor_server(tmp_path_factory):
    """A server of its own (the upload changes its store) whose editor password hash is set by env."""
    db = tmp_path_factory.mktemp("import-server") / "cchc.duckdb"
    init_store(db)
    server = StreamlitServer(db, free_port(), env={EDITOR_PASSWORD_HASH.name: hash_password(PASSWORD)})
    yield server
    server.stop()


def test_upload_the_2021_sample_and_see_it_on_the_overview(editor_server, page):
    # From the home page through the sidebar, as a person does.
    page.goto(editor_server.url)
    wait_for_script(page)
    page.locator('[data-testid="stSidebarNav"] a', has_text="Dữ liệu").click()
    page.get_by_role("heading", name="Dữ liệu").wait_for()
    wait_for_script(page)
    assert page.locator('[data-testid="stFileUploaderDropzoneInput"]').count() == 0
    sign_in_as_editor(page, PASSWORD)

    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(SAMPLE))
    page.get_by_text("Năm mới trong kho: 2021").wait_for(timeout=60_000)
    wait_for_script(page)
    confirm = page.get_by_role("button", name="Xác nhận nạp")
    assert confirm.is_enabled()
    confirm.click()
    page.get_by_text("Đã nạp lô #2: 80 dòng điểm năm 2021").wait_for(timeout=60_000)
    wait_for_script(page)

    page.locator('[data-testid="stSidebarNav"] a', has_text="Tổng quan").click()
    page.get_by_role("heading", name="Huyện Bảo Lâm — năm 2021").wait_for(timeout=60_000)
    wait_for_script(page)
    page.locator('[class*="st-key-card_overview_"] h2').first.wait_for()
    shown = page_card_values(page)
    assert (shown["Tổng điểm"], shown["Xếp hạng"]) == ("79,85", "6/10")
    assert page.locator('[data-testid="stSidebar"] input[aria-label="Năm"]').input_value() == "2021"
    assert page.locator('[data-testid="stException"]').count() == 0
