"""Committing an import through the Dữ liệu page, as an editor would (used by bench/load.py)."""

from __future__ import annotations

from pathlib import Path

SUCCESS = '[data-testid="stAlertContentSuccess"]'


async def wait_idle(page, timeout: float) -> None:
    await page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    await page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=timeout)


async def import_through_page(page, base_url: str, file: Path, password: str, timeout: float) -> str:
    """Sign in, upload `file`, confirm; returns the success message the page shows."""
    page.set_default_timeout(timeout)
    await page.goto(f"{base_url}/du-lieu", timeout=timeout)
    await wait_idle(page, timeout)
    if await page.locator('[role="dialog"]').count():  # a stray dialog would take the clicks
        await page.keyboard.press("Escape")
    await page.get_by_label("Mật khẩu biên tập viên").fill(password)
    await page.get_by_role("button", name="Đăng nhập").click()
    await page.wait_for_selector('[data-testid="stFileUploaderDropzoneInput"]', state="attached", timeout=timeout)
    await page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(file))
    confirm = page.get_by_role("button", name="Xác nhận nạp")
    await confirm.wait_for(timeout=timeout)
    await wait_idle(page, timeout)
    await confirm.click()
    await page.wait_for_selector(SUCCESS, timeout=timeout)
    return await page.locator(SUCCESS).first.inner_text()
