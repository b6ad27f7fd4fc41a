"""What a person sees on Nhiệm vụ and Dữ liệu: every uploader in Vietnamese with the import's own limit,
one line after signing in, and the task list readable on a phone (the task first, its full text on
selecting its row). Debian chromium, Playwright, a real `streamlit run` on its own demo store."""

from __future__ import annotations

import pytest

from analytics.auth import hash_password
from analytics.settings import EDITOR_PASSWORD_HASH
from analytics.store import connect, init_store
from analytics.tasks import list_tasks
from tests.conftest import StreamlitServer, free_port, sign_in_as_editor, wait_for_script

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-bien-tap-vien"
TASKS = "/nhiem-vu?year=2020&unit=042&level=district"
ENGLISH = ("Upload", "MB per file", "Drag and drop", "Browse files")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("tasks-views") / "cchc.duckdb"
    init_store(db)
    con = connect(db, read_only=True)  # before the server holds the store's lock
    try:
        first_task = list_tasks(con, 2021, "042").iloc[0]
    finally:
        con.close()
    server = StreamlitServer(db, free_port(), env={EDITOR_PASSWORD_HASH.name: hash_password(PASSWORD)})
    server.first_task = first_task  # the list's first row: overdue first, then by deadline
    yield server
    server.stop()


def visible_words(uploader) -> str:
    """The text a person can see in an uploader (hidden elements and zero-size text left out)."""
    return uploader.evaluate(
        """(el) => [...el.querySelectorAll('*')]
        .filter((e) => e.offsetParent !== null && getComputedStyle(e).fontSize !== '0px')
        .map((e) => [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(''))
        .join(' ')"""
    )


def check_uploaders(page, where: str) -> int:
    uploaders = page.locator('[data-testid="stFileUploader"]:visible')  # the open tab's
    uploaders.first.wait_for()
    for uploader in uploaders.all():
        words = visible_words(uploader)
        assert not any(english in words for english in ENGLISH), (where, words)
        button = uploader.locator('[data-testid="stBaseButton-secondary"] p')
        assert button.evaluate("(el) => getComputedStyle(el, '::after').content") == '"Chọn tệp"', where
        assert "tối đa 5 MB" in uploader.inner_text(), where
    return uploaders.count()


def go_to(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=title).click()
    page.locator("h1").filter(has_text=title).wait_for(timeout=60_000)
    wait_for_script(page)


def test_every_uploader_speaks_vietnamese_and_signing_in_says_it_once(server, page):
    page.goto(server.url + "/du-lieu?year=2020&unit=042&level=district")
    wait_for_script(page)
    sign_in_as_editor(page, PASSWORD)
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_text("Đã đăng nhập").count() == 0
    assert main.get_by_text("Đang đăng nhập").count() == 1
    seen = check_uploaders(page, "Dữ liệu › Nạp kết quả")
    page.get_by_role("tab", name="Danh mục").click()
    wait_for_script(page)
    page.locator(".st-key-ref_upload_0").wait_for()
    seen += check_uploaders(page, "Dữ liệu › Danh mục")
    go_to(page, "Nhiệm vụ")
    page.get_by_role("tab", name="Tệp và Word").click()
    wait_for_script(page)
    page.get_by_text("Nạp bảng nhiệm vụ (.xlsx, .csv; tối đa 5 MB)").wait_for()
    seen += check_uploaders(page, "Nhiệm vụ › Tệp và Word")
    assert seen >= 3
    assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 768)])
def test_the_task_list_shows_the_task_first_and_its_full_text_on_selection(server, browser, width, height):
    first = server.first_task
    phone = width < 500
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="vi-VN", is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    try:
        page.goto(server.url + TASKS)
        wait_for_script(page)
        grid = page.locator(".st-key-tasks_table")
        grid.locator("table thead th").first.wait_for(state="attached")
        drawn = grid.locator("table thead th").all_text_contents()  # the grid draws only the columns in view
        assert drawn[:3] == ["Số", "Nhiệm vụ", "Hạn"][: len(drawn[:3])] and "Nhiệm vụ" in drawn, drawn
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        box = grid.locator('[data-testid="stDataFrameResizable"]').bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        page.get_by_text("Chọn một dòng (ô vuông đầu dòng) để đọc đầy đủ nhiệm vụ.").wait_for()
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 18)  # the first row's selection box
        detail = page.locator(".task-detail")
        detail.wait_for()
        text = detail.inner_text()
        assert f"#{first.id} — {first.title}" in text and first.description in text
        assert f"Hạn {first.deadline:%d/%m/%Y}" in text
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
