"""What a person does in the browser: sign in, turn the plan into tasks, mark one done, and see the
overview's task summary change. Debian chromium, Playwright, a real `streamlit run` on its own store."""

from __future__ import annotations

import re

import pytest

from analytics.auth import hash_password
from analytics.settings import EDITOR_PASSWORD_HASH
from analytics.store import init_store
from tests.cards import page_card_values
from tests.conftest import StreamlitServer, free_port, sign_in_as_editor, wait_for_script

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-bien-tap-vien"
QUERY = "?year=2020&unit=042&level=district"


@pytest.fixture(scope="module")
def tasks_server(tmp_path_factory):
    db = tmp_path_factory.mktemp("tasks-server") / "cchc.duckdb"
    init_store(db)
    server = StreamlitServer(db, free_port(), env={EDITOR_PASSWORD_HASH.name: hash_password(PASSWORD)})
    yield server
    server.stop()


def go_to(page, title: str, heading: str) -> None:
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=title).click()
    page.locator("h1").filter(has_text=heading).wait_for(timeout=60_000)
    wait_for_script(page)


def done_metric(page) -> tuple[int, int]:
    """The overview's "Hoàn thành" card of the task summary: (done, total)."""
    page.locator('[class*="st-key-card_tasks_"] h2').first.wait_for()
    done, total = page_card_values(page)["Hoàn thành"].split("/")
    return int(done), int(total)


def choose(page, label: str, text: str) -> None:
    """Pick an option of a selectbox by typing part of it, as a person filters a long list."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(text)
    page.locator('[role="option"]').filter(has_text=text).first.click()


def test_make_tasks_from_the_plan_mark_one_done_and_see_the_overview_change(tasks_server, page):
    page.goto(tasks_server.url + "/" + QUERY)
    wait_for_script(page)
    page.get_by_role("heading", name="Nhiệm vụ năm 2021").wait_for()
    done, total = done_metric(page)

    go_to(page, "Nhiệm vụ", "Nhiệm vụ")
    sign_in_as_editor(page, PASSWORD)

    go_to(page, "Kế hoạch đạt mục tiêu", "Kế hoạch đạt mục tiêu")
    page.get_by_role("button", name="Giao nhiệm vụ").click()
    message = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Đã giao")
    message.wait_for(timeout=60_000)
    made = int(re.search(r"Đã giao (\d+) nhiệm vụ", message.inner_text()).group(1))
    wait_for_script(page)

    go_to(page, "Tổng quan", "Tổng quan chỉ số CCHC")
    assert done_metric(page) == (done, total + made)

    go_to(page, "Nhiệm vụ", "Nhiệm vụ")
    choose(page, "Nhiệm vụ cần cập nhật", "Nâng điểm tiêu chí")
    choose(page, "Trạng thái mới", "Hoàn thành")
    page.get_by_label("Ghi chú tiến độ (không bắt buộc)").fill("Đã tổ chức khảo sát sự hài lòng")
    page.get_by_role("button", name="Lưu tiến độ").click()
    page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Đã cập nhật nhiệm vụ").wait_for(
        timeout=60_000
    )
    wait_for_script(page)

    go_to(page, "Tổng quan", "Tổng quan chỉ số CCHC")
    assert done_metric(page) == (done + 1, total + made)
    assert page.locator('[data-testid="stException"]').count() == 0
