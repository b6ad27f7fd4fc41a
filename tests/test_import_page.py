"""AppTest of the Dữ liệu page: sign in, upload, preview, confirm, undo; a wrong password cannot upload."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.auth import FAILURES, SESSIONS, Throttle, hash_password
from analytics.settings import EDITOR_PASSWORD_HASH
from tests.cards import card_values
from tests.conftest import ROOT, snapshot_of
from tests.data.make_corpus import table_workbook, xlsx_bytes

APP = str(ROOT / "app.py")
PASSWORD = "mat-khau-bien-tap-vien"
PASSWORD_HASH = hash_password(PASSWORD)
SAMPLE = ROOT / "data" / "samples" / "ket-qua-huyen-2021.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def fresh_books():
    """Wrong passwords and kept sign-ins are process-wide (every session sees them): start each test clean."""
    FAILURES.clear()
    SESSIONS.tokens.clear()
    yield
    FAILURES.clear()
    SESSIONS.tokens.clear()


@pytest.fixture
def app(demo_store, monkeypatch):
    monkeypatch.setenv("CCHC_DB", str(demo_store))
    monkeypatch.setenv(EDITOR_PASSWORD_HASH.name, PASSWORD_HASH)
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
    # one line says who is signed in; no second "Đã đăng nhập…" box under it
    assert texts(app.success) == ["Đang đăng nhập: biên tập viên (mật khẩu)"]
    upload(app, SAMPLE)
    assert not app.exception and not app.error
    assert "Năm mới trong kho: 2021" in texts(app.info)
    units = table_with(app, "Điểm mới")
    assert units.set_index("Đơn vị").loc["Huyện Bảo Lâm", ["Điểm mới", "Hạng mới", "Tình trạng"]].tolist() == [
        "79,85",
        "6/10",
        "Năm mới",
    ]
    ranking = table_with(app, "So với năm trước")
    assert ranking["Đơn vị"].iloc[0] == "Thành phố Cao Bằng" and ranking["Hạng"].iloc[5] == "6/10"
    assert not app.button(key="import_confirm").disabled

    app.button(key="import_confirm").click().run()
    assert any(t.startswith("Đã nạp lô #2: 80 dòng điểm năm 2021") for t in texts(app.success))
    assert app.sidebar.selectbox(key="year").value == 2021
    app.switch_page("app_pages/overview.py").run()
    metrics = card_values(app)
    assert (metrics["Tổng điểm"], metrics["Xếp hạng"]) == ("79,85", "6/10")
    assert app.subheader[0].value == "Huyện Bảo Lâm — năm 2021"


def test_a_wrong_password_cannot_upload_and_is_slowed_down(app, demo_store):
    before = snapshot_of(demo_store)
    sign_in(app, "khong-dung")
    assert len(app.file_uploader) == 0
    assert "Sai mật khẩu. Lần thử tiếp theo sau 1 giây." in texts(app.error)
    throttle = FAILURES.by_address["localhost"]  # AppTest, like a browser on loopback, has no address
    assert throttle.failures == 1 and throttle.next_try_at > 0 and FAILURES.overall == 1
    # The retry must land inside the wait however slow this machine's rerun is: pin the wait open.
    FAILURES.by_address["localhost"] = Throttle(throttle.failures, time.monotonic() + 60)
    sign_in(app, PASSWORD)  # during the wait: refused without being checked
    assert len(app.file_uploader) == 0
    assert any("vui lòng đợi" in t for t in texts(app.error))
    assert "undo_confirm" not in [b.key for b in app.button]
    assert snapshot_of(demo_store) == before


def test_without_a_configured_hash_nobody_can_sign_in(demo_store, monkeypatch):
    monkeypatch.setenv("CCHC_DB", str(demo_store))
    monkeypatch.delenv(EDITOR_PASSWORD_HASH.name, raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/data.py").run()
    sign_in(at, PASSWORD)
    assert len(at.file_uploader) == 0
    assert any("Chưa cấu hình mật khẩu" in t for t in texts(at.error))


def test_the_hash_can_come_from_secrets(demo_store, monkeypatch):
    monkeypatch.setenv("CCHC_DB", str(demo_store))
    monkeypatch.delenv(EDITOR_PASSWORD_HASH.name, raising=False)
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
    assert (
        "<li>Lỗi, <b>dòng 6, cột &#x27;Lĩnh vực 1&#x27;</b>: 12,50 vượt điểm tối đa 10,00 của lĩnh vực 1. — "
        "Điểm lĩnh vực 1 phải từ 0 đến 10,00.</li>"
    ) in "".join(texts(app.html))
    assert problems["Vấn đề — gợi ý"].iloc[0] == (
        "12,50 vượt điểm tối đa 10,00 của lĩnh vực 1. — Điểm lĩnh vực 1 phải từ 0 đến 10,00."
    )
    assert app.button(key="import_confirm").disabled
    assert snapshot_of(demo_store) == before


def test_undo_from_the_history_tab(app):
    sign_in(app)
    upload(app, SAMPLE)
    app.button(key="import_confirm").click().run()
    history = table_with(app, "Tệp / thao tác")
    assert history["Lô"].tolist()[:2] == [2, 1] and history["Tệp / thao tác"].iloc[0] == "ket-qua-huyen-2021.xlsx"
    assert app.selectbox(key="undo_batch").value == 2
    app.button(key="undo_ask").click().run()  # the first click only asks, saying what undo removes
    assert history["Tình trạng"].iloc[0] == "" and "undo_confirm" in [b.key for b in app.button]
    assert (
        "Lô #2 sẽ bị hoàn tác: xóa 80 dòng điểm năm 2021 của 10 đơn vị; không có dòng nào được trả lại "
        "(lô này không thay thế dữ liệu nào)."
    ) in " ".join(texts(app.warning))
    app.button(key="undo_cancel").click().run()
    assert "undo_confirm" not in [b.key for b in app.button]
    assert table_with(app, "Tệp / thao tác")["Tình trạng"].iloc[0] == ""
    app.button(key="undo_ask").click().run()
    app.button(key="undo_confirm").click().run()
    assert "Đã hoàn tác lô #2 (lô hoàn tác #3)." in texts(app.success)
    assert app.sidebar.selectbox(key="year").value == 2020  # 2021 is gone: the sidebar falls back
    assert table_with(app, "Tệp / thao tác")["Tình trạng"].iloc[1] == "Đã hoàn tác (lô #3)"


def test_templates_are_offered_to_everyone(app):
    assert app.get("download_button")
    keys = [b.proto.id for b in app.get("download_button")]
    assert any("template_xlsx" in k for k in keys) and any("template_csv" in k for k in keys)


def test_a_clean_file_says_there_is_no_error(app):
    sign_in(app)
    upload(app, SAMPLE)
    assert "Không có lỗi, không có cảnh báo: tệp sẵn sàng để nạp." in texts(app.success)


def test_a_file_name_is_shown_as_text_never_as_markdown(app):
    sign_in(app)
    name = "**ĐÃ KIỂM TRA** [Tải bản sửa](www.evil.example) <img src=x onerror=alert(1)>.csv"
    app.file_uploader[0].upload(
        name, (ROOT / "tests" / "data" / "bad" / "vuot-toi-da.csv").read_bytes(), "text/csv"
    ).run()
    shown = "".join(texts(app.html))
    assert "<b>**ĐÃ KIỂM TRA** [Tải bản sửa](www.evil.example) &lt;img src=x onerror=alert(1)&gt;.csv</b>" in shown
    assert "<a" not in shown and "<img" not in shown and not any("ĐÃ KIỂM TRA" in t for t in texts(app.markdown))


def test_numbers_in_the_problems_table_and_the_history_are_written_the_vietnamese_way(app):
    wb = table_workbook()
    wb.active["D3"] = -2.5
    sign_in(app)
    app.file_uploader[0].upload("am.xlsx", xlsx_bytes(wb), XLSX).run()
    problems = table_with(app, "Vấn đề — gợi ý")
    assert problems["Giá trị"].iloc[0] == "−2,50" and problems["Vấn đề — gợi ý"].iloc[0].startswith("Điểm âm (−2,50).")
    history = table_with(app, "Tệp / thao tác")
    demo = history.iloc[-1]
    assert demo["Số dòng"] == f"{int(demo['Số dòng'].replace('.', '')):,}".replace(",", ".") and "." in demo["Số dòng"]
    assert all(re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", t) for t in history["Thời điểm"])


def test_many_problems_are_grouped_on_the_page(app):
    rows = ["Năm;Tên đơn vị;Mã tiêu chí;Điểm"] + [f"2021;Huyện Không Có {i:04d};1;5,00" for i in range(1500)]
    sign_in(app)
    app.file_uploader[0].upload("nhieu-loi.csv", "\r\n".join(rows).encode(), "text/csv").run()
    shown = "".join(texts(app.html))
    assert shown.count("<li>Lỗi,") == 10
    assert "… và 1.490 lỗi cùng loại như &#x27;Không tìm thấy đơn vị" in shown and "ở các dòng 12–1.501." in shown
    assert len(table_with(app, "Vấn đề — gợi ý")) == 1000
