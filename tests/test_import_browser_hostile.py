"""The Dữ liệu page in a real browser against hostile files and names, and the editor's safety:
a message, never a traceback, with the server's memory bounded; a file name shown as text; the
wrong-password wait held across browser contexts; a sign-in kept across a reload; undo that asks."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from analytics.auth import hash_password
from analytics.settings import EDITOR_PASSWORD_HASH
from analytics.store import init_store
from tests.conftest import ROOT, StreamlitServer, free_port, wait_for_script
from tests.data.make_corpus import HOSTILE

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-bien-tap-vien"
SAMPLE = ROOT / "data" / "samples" / "ket-qua-huyen-2021.xlsx"
MAX_SERVER_PEAK_KB = 1024 * 1024


def start_server(folder: Path) -> StreamlitServer:
    db = folder / "cchc.duckdb"
    init_store(db)
    previous = os.environ.get(EDITOR_PASSWORD_HASH.name)
    os.environ[EDITOR_PASSWORD_HASH.name] = hash_password(PASSWORD)
    try:
        return StreamlitServer(db, free_port())
    finally:
        if previous is None:
            os.environ.pop(EDITOR_PASSWORD_HASH.name)
        else:
            os.environ[EDITOR_PASSWORD_HASH.name] = previous


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("hostile-server"))
    yield server
    server.stop()


def open_data_page(page, server) -> None:
    page.goto(server.url + "/du-lieu")
    page.get_by_role("heading", name="Dữ liệu").wait_for()
    wait_for_script(page)


def sign_in(page, password: str = PASSWORD) -> None:
    page.get_by_label("Mật khẩu biên tập viên").fill(password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    wait_for_script(page)


def upload(page, name: str, data: bytes) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}]
    )
    page.wait_for_timeout(500)
    wait_for_script(page, 120_000)


def peak_kb(pid: int) -> int:
    """The server process's peak resident memory so far (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_hostile_workbooks_show_a_message_not_a_traceback_and_memory_stays_bounded(server, page):
    open_data_page(page, server)
    sign_in(page)
    cases = {
        "o-thua-XFD1048576.xlsx": "có giá trị ở ô XFD1048576",
        "xml-sai.xlsx": "Tệp Excel bị hỏng hoặc được bảo vệ",
        "bom-nen.xlsx": "vượt giới hạn 48,0 MB",
        "ma-hoa-mat-khau.xlsx": "Tệp Excel được đặt mật khẩu",
    }
    for name, message in cases.items():
        started = time.monotonic()
        upload(page, name, (HOSTILE / name).read_bytes())
        page.get_by_text(message).first.wait_for(timeout=60_000)
        text = main_text(page)
        assert "Traceback" not in text and page.locator('[data-testid="stException"]').count() == 0, name
        assert page.get_by_role("button", name="Xác nhận nạp").is_disabled()
        assert time.monotonic() - started < 30, name
    assert peak_kb(server.process.pid) < MAX_SERVER_PEAK_KB


def test_a_markdown_file_name_is_shown_as_plain_text(server, page):
    open_data_page(page, server)
    sign_in(page)
    name = "**ĐÃ KIỂM TRA** [Tải bản sửa](www.evil.example).csv"
    upload(page, name, (ROOT / "tests" / "data" / "bad" / "vuot-toi-da.csv").read_bytes())
    page.get_by_text("12,50 vượt điểm tối đa 10,00").first.wait_for()
    assert name in main_text(page)
    assert page.locator('[data-testid="stMain"] a[href*="evil"]').count() == 0


def test_the_uploader_shows_no_english(server, page):
    open_data_page(page, server)
    sign_in(page)
    uploader = page.locator('[data-testid="stFileUploader"]')
    uploader.wait_for()
    assert page.locator('[data-testid="stFileUploaderDropzoneInstructions"]').is_hidden()
    visible = uploader.evaluate("""(el) => [...el.querySelectorAll('*')]
        .filter((e) => e.offsetParent !== null && getComputedStyle(e).fontSize !== '0px')
        .map((e) => [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(''))
        .join(' ')""")
    assert "Upload" not in visible and "per file" not in visible and "Drag" not in visible, visible
    label = uploader.locator('[data-testid="stBaseButton-secondary"] p')
    assert label.evaluate("(el) => getComputedStyle(el, '::after').content") == '"Chọn tệp"'
    assert "tối đa 5 MB" in uploader.inner_text()


def test_reloading_keeps_the_editor_signed_in_until_sign_out(server, page):
    open_data_page(page, server)
    sign_in(page)
    page.get_by_text("Đang đăng nhập: biên tập viên (mật khẩu)").wait_for()
    page.reload()
    wait_for_script(page)
    page.get_by_text("Đang đăng nhập: biên tập viên (mật khẩu)").wait_for()
    assert page.locator('[data-testid="stFileUploaderDropzoneInput"]').count() == 1
    page.get_by_role("button", name="Đăng xuất").click()
    wait_for_script(page)
    page.get_by_text("Đã đăng xuất.").wait_for()
    page.reload()
    wait_for_script(page)
    page.get_by_label("Mật khẩu biên tập viên").wait_for()
    assert page.locator('[data-testid="stFileUploaderDropzoneInput"]').count() == 0


def test_undo_asks_for_confirmation_saying_what_it_removes(server, page):
    open_data_page(page, server)
    sign_in(page)
    upload(page, SAMPLE.name, SAMPLE.read_bytes())
    page.get_by_text("Không có lỗi").first.wait_for()
    page.get_by_role("button", name="Xác nhận nạp").click()
    page.get_by_text("80 dòng điểm năm 2021").first.wait_for(timeout=60_000)
    wait_for_script(page)
    page.get_by_role("tab", name="Lịch sử nạp").click()
    page.get_by_role("button", name="Hoàn tác lô đã chọn…").click()
    wait_for_script(page)
    question = page.get_by_text("sẽ bị hoàn tác: xóa 80 dòng điểm năm 2021 của 10 đơn vị")
    question.wait_for()
    page.get_by_role("button", name="Hủy").click()
    # The click's rerun may not have started when wait_for_script first looks, so wait for its effect.
    page.get_by_role("button", name="Xác nhận hoàn tác").wait_for(state="detached")
    wait_for_script(page)
    page.get_by_role("button", name="Hoàn tác lô đã chọn…").wait_for()
    assert not question.is_visible() and page.get_by_role("button", name="Xác nhận hoàn tác").count() == 0
    assert "Đã hoàn tác" not in main_text(page)
    page.get_by_role("button", name="Hoàn tác lô đã chọn…").click()
    wait_for_script(page)
    page.get_by_role("button", name="Xác nhận hoàn tác").click()
    page.get_by_text("Đã hoàn tác lô #").wait_for(timeout=60_000)


def test_the_password_wait_holds_across_two_browser_contexts(browser, tmp_path):
    """Five wrong passwords in one context (waiting out each delay) leave a 16 s wait that another
    context, with no cookie and no session of its own, meets too, even with the right password, and
    again after a reload. The second page is opened first, so that a loaded machine's slow page
    loads do not eat the wait."""
    server = start_server(tmp_path)
    first = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN").new_page()
    second = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN").new_page()
    try:
        open_data_page(first, server)
        open_data_page(second, server)
        for delay in (1, 2, 4, 8, 16):
            sign_in(first, "khong-dung")
            first.get_by_text(f"Sai mật khẩu. Lần thử tiếp theo sau {delay} giây.").wait_for()
            if delay < 16:
                time.sleep(delay + 0.2)
        sign_in(second, PASSWORD)
        second.get_by_text("Sai mật khẩu nhiều lần: vui lòng đợi").wait_for()
        assert second.locator('[data-testid="stFileUploaderDropzoneInput"]').count() == 0
        second.reload()
        wait_for_script(second)
        sign_in(second, PASSWORD)
        second.get_by_text("Sai mật khẩu nhiều lần: vui lòng đợi").wait_for()
        assert second.locator('[data-testid="stFileUploaderDropzoneInput"]').count() == 0
    finally:
        first.context.close()
        second.context.close()
        server.stop()
