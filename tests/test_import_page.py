"""AppTest of the Dữ liệu page: sign in, upload, preview, confirm, undo; a wrong password cannot upload."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.auth import HASH_ENV, Throttle, hash_password
from tests.conftest import ROOT, snapshot_of
from ui.editor import THROTTLE_KEY

APP = str(ROOT / "app.py")
PASSWORD = "mat-khau-bien-tap-vien"
PASSWORD_HASH = hash_password(PASSWORD)
SAMPLE = ROOT / "data" / "samples" / "ket-qua-huyen-2021.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def app(demo_store, monkeypatch):
    monkeypatch.setenv("CCHC_DB", str(demo_store))
    monkeypatch.setenv(HASH_ENV, PASSWORD_HASH)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/data.py").run()
    return at


def sign_in(at: AppTest, password: str = PASSWORD) -> AppTest:
    at.text_input(key="editor_password").input(password)
    return at.button(key="editor_sign_in_button").click().run()


def upload(at: AppTest, path: Path, mime: str = XLSX) -> AppTest:
    return at.file_uploader[0].upload(path.name, path.read_bytes(), mime).run()


def table_with(at: AppTest, column: str):
    """The first st.dataframe showing `column` (tables without selection carry no key in AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def test_sign_in_upload_preview_confirm_then_the_overview_shows_2021(app):
    assert len(app.file_uploader) == 0  # viewing is open, uploading is not
    sign_in(app)
    assert "Đã đăng nhập với quyền biên tập." in texts(app.success)
    upload(app, SAMPLE)
    assert not app.exception and not app.error
    assert "Năm mới trong kho: 2021" in texts(app.info)
    units = table_with(app, "Điểm mới")
    assert units.set_index("Đơn vị").loc["Huyện Bảo Lâm", ["Điểm mới", "Hạng mới", "Tình trạng"]].tolist() == [
        "79,85", "6/10", "Năm mới"]
    ranking = table_with(app, "So với năm trước")
    assert ranking["Đơn vị"].iloc[0] == "Thành phố Cao Bằng" and ranking["Hạng"].iloc[5] == "6/10"
    assert not app.button(key="import_confirm").disabled

    app.button(key="import_confirm").click().run()
    assert any(t.startswith("Đã nạp lô #2: 80 dòng điểm năm 2021") for t in texts(app.success))
    assert app.sidebar.selectbox(key="year").value == 2021
    app.switch_page("app_pages/overview.py").run()
    metrics = {m.label: m.value for m in app.metric}
    assert (metrics["Tổng điểm"], metrics["Xếp hạng"]) == ("79,85", "6/10")
    assert app.subheader[0].value == "Huyện Bảo Lâm — năm 2021"


def test_a_wrong_password_cannot_upload_and_is_slowed_down(app, demo_store):
    before = snapshot_of(demo_store)
    sign_in(app, "khong-dung")
    assert len(app.file_uploader) == 0
    assert "Sai mật khẩu. Lần thử tiếp theo sau 1 giây." in texts(app.error)
    throttle = app.session_state[THROTTLE_KEY]
    assert throttle.failures == 1 and throttle.next_try_at > 0
    # The retry must land inside the wait however slow this machine's rerun is: pin the wait open.
    app.session_state[THROTTLE_KEY] = Throttle(throttle.failures, time.monotonic() + 60)
    sign_in(app, PASSWORD)  # during the wait: refused without being checked
    assert len(app.file_uploader) == 0
    assert any("vui lòng đợi" in t for t in texts(app.error))
    assert "undo_confirm" not in [b.key for b in app.button]
    assert snapshot_of(demo_store) == before


def test_without_a_configured_hash_nobody_can_sign_in(demo_store, monkeypatch):
    monkeypatch.setenv("CCHC_DB", str(demo_store))
    monkeypatch.delenv(HASH_ENV, raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/data.py").run()
    sign_in(at, PASSWORD)
    assert len(at.file_uploader) == 0
    assert any("Chưa cấu hình mật khẩu" in t for t in texts(at.error))


def test_the_hash_can_come_from_secrets(demo_store, monkeypatch):
    monkeypatch.setenv("CCHC_DB", str(demo_store))
    monkeypatch.delenv(HASH_ENV, raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["editor_password_hash"] = PASSWORD_HASH
    at.run()
    at.switch_page("app_pages/data.py").run()
    sign_in(at)
    assert len(at.file_uploader) == 1


def test_a_bad_file_lists_its_problems_and_cannot_be_confirmed(app, demo_store):
    before = snapshot_of(demo_store)
    sign_in(app)
    upload(app, ROOT / "tests" / "data" / "bad" / "vuot-toi-da.csv", "text/csv")
    assert any("Tệp có 1 lỗi" in t for t in texts(app.error))
    problems = table_with(app, "Vấn đề — gợi ý")
    assert problems[["Mức", "Dòng", "Cột"]].iloc[0].tolist() == ["Lỗi", "6", "Lĩnh vực 1"]
    assert ("- Lỗi, **dòng 6, cột 'Lĩnh vực 1'**: 12,50 vượt điểm tối đa 10,00 của lĩnh vực 1. — "
            "Điểm lĩnh vực 1 phải từ 0 đến 10,00.") in texts(app.markdown)
    assert problems["Vấn đề — gợi ý"].iloc[0] == ("12,50 vượt điểm tối đa 10,00 của lĩnh vực 1. — "
                                                   "Điểm lĩnh vực 1 phải từ 0 đến 10,00.")
    assert app.button(key="import_confirm").disabled
    assert snapshot_of(demo_store) == before


def test_undo_from_the_history_tab(app):
    sign_in(app)
    upload(app, SAMPLE)
    app.button(key="import_confirm").click().run()
    history = table_with(app, "Tệp / thao tác")
    assert history["Lô"].tolist()[:2] == [2, 1] and history["Tệp / thao tác"].iloc[0] == "ket-qua-huyen-2021.xlsx"
    assert app.selectbox(key="undo_batch").value == 2
    app.button(key="undo_confirm").click().run()
    assert "Đã hoàn tác lô #2 (lô hoàn tác #3)." in texts(app.success)
    assert app.sidebar.selectbox(key="year").value == 2020  # 2021 is gone: the sidebar falls back
    assert table_with(app, "Tệp / thao tác")["Tình trạng"].iloc[1] == "Đã hoàn tác (lô #3)"


def test_templates_are_offered_to_everyone(app):
    assert app.get("download_button")
    keys = [b.proto.id for b in app.get("download_button")]
    assert any("template_xlsx" in k for k in keys) and any("template_csv" in k for k in keys)
