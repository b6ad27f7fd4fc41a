"""AppTest of reference data on the pages: tab Danh mục of Dữ liệu (the tree, loading behind the sign-in,
undo from the history), and an empty store saying on every page what to load first."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics.settings import EDITOR_PASSWORD_HASH
from analytics.store import init_empty_store
from tests.conftest import ROOT
from tests.data.make_reference_corpus import BAD, GOOD
from tests.test_import_page import PASSWORD_HASH, XLSX, fresh_books, sign_in, table_with, texts  # noqa: F401
from ui.navigation import PAGE_SPECS

APP = str(ROOT / "app.py")


def data_page(store, monkeypatch) -> AppTest:
    monkeypatch.setenv("CCHC_DB", str(store))
    monkeypatch.setenv(EDITOR_PASSWORD_HASH.name, PASSWORD_HASH)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/data.py").run()
    return open_tab(at, "Danh mục")


def open_tab(at: AppTest, label: str) -> AppTest:
    """The Danh mục tab is drawn only when open: open it as a click does (its keyed state, then a rerun)."""
    at.session_state["data_tab"] = label
    return at.run()


def upload_reference(at: AppTest, path, mime: str = "text/csv") -> AppTest:
    (uploader,) = [u for u in at.get("file_uploader") if u.proto.id.endswith("ref_upload_0")]
    return uploader.upload(path.name, path.read_bytes(), mime).run()


def test_the_set_in_force_is_shown_as_a_tree_to_everyone(demo_store, monkeypatch):
    at = data_page(demo_store, monkeypatch)
    tree = table_with(at, "Lĩnh vực / tiêu chí")
    assert tree["Mã"].iloc[0] == "" and tree["Điểm tối đa"].iloc[0] == "100,00"  # the root: no store code
    shown = " ".join(str(h.proto.body) for h in at.get("html"))
    set_line = "đang áp dụng:</b> Bộ tiêu chí cấp huyện (minh họa) (mã DEMO-HUYEN-2020, áp dụng từ năm 2019)"
    assert set_line in shown
    fields = tree[tree["Mã"].isin([str(f) for f in range(1, 9)])]
    assert fields["Điểm tối đa"].tolist() == ["10,00", "6,00", "14,00", "8,00", "10,00", "7,00", "15,00", "30,00"]
    assert tree.set_index("Mã").loc["3.1", "Cơ quan chủ trì"] == "Văn phòng HĐND và UBND"
    assert "ref_kind" not in [s.key for s in at.selectbox]  # loading needs the sign-in


def test_load_an_annex_see_its_tree_and_undo_it_from_the_history(tmp_path, monkeypatch):
    store = tmp_path / "tinh.duckdb"
    init_empty_store(store, "04")
    at = data_page(store, monkeypatch)
    assert any("Chưa có bộ tiêu chí cấp huyện" in t for t in texts(at.info))
    sign_in(at)
    at.selectbox(key="ref_kind").set_value("criteria").run()
    upload_reference(at, GOOD / "phu-luc-huyen-so-a-rap.xlsx", XLSX)
    preview = table_with(at, "Lĩnh vực / tiêu chí")
    assert preview.set_index("Mã").loc["8", "Điểm tối đa"] == "30,00"
    assert any("sẽ được thêm với mã NV" in h.proto.body for h in at.get("html"))
    at.button(key="ref_confirm").click().run()
    assert any("Đã nạp lô #2 (bộ tiêu chí)" in t for t in texts(at.success))
    at.number_input(key="tree_year").set_value(2022).run()
    tree = table_with(at, "Lĩnh vực / tiêu chí")
    assert tree.set_index("Mã").loc["7.3", "Cơ quan chủ trì"] == "Phòng Kinh tế và Hạ tầng"
    history = table_with(at, "Tệp / thao tác")
    assert history["Dữ liệu"].tolist() == ["Bộ tiêu chí", "Danh mục đơn vị hành chính"]
    at.button(key="undo_ask").click().run()
    # 1 set, its 30 nodes and the 7 offices the annex named for the first time
    assert any("(bộ tiêu chí) sẽ bị hoàn tác: xóa 38 dòng" in t for t in texts(at.warning))
    at.button(key="undo_confirm").click().run()
    assert "Đã hoàn tác lô #2 (lô hoàn tác #3)." in texts(at.success)


def test_a_bad_annex_lists_its_problems_and_cannot_be_confirmed(demo_store, monkeypatch):
    at = data_page(demo_store, monkeypatch)
    sign_in(at)
    at.selectbox(key="ref_kind").set_value("criteria").run()
    upload_reference(at, BAD / "phu-luc-con-lech-cha.csv")
    assert at.button(key="ref_confirm").disabled
    problems = " ".join(h.proto.body for h in at.get("html"))
    assert "dòng 7" in problems and "cột &#x27;Điểm tối đa&#x27;" in problems


@pytest.mark.parametrize("spec", [s for s in PAGE_SPECS if s.file != "data.py"], ids=lambda s: s.file)
def test_an_empty_store_says_on_each_page_what_to_load_first(tmp_path, monkeypatch, spec):
    store = tmp_path / "tinh.duckdb"
    init_empty_store(store, "04")
    monkeypatch.setenv("CCHC_DB", str(store))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(spec.script).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Chưa có bộ tiêu chí nào trong kho" in t for t in texts(at.info)), texts(at.info)
    assert [link.proto.page for link in at.get("page_link")] == ["du-lieu"]
    assert not at.get("plotly_chart") and not at.dataframe


def test_the_templates_tab_offers_every_reference_kind(demo_store, monkeypatch):
    at = open_tab(data_page(demo_store, monkeypatch), "Tệp mẫu")
    assert at.selectbox(key="template_kind").options == [
        "Bộ tiêu chí",
        "Thang xếp loại",
        "Danh mục cơ quan",
        "Cơ quan chủ trì tiêu chí",
        "Chỉ tiêu",
        "Chỉ số hoạt động",
        "Tên gọi khác của đơn vị",
    ]
    keys = [b.proto.id for b in at.get("download_button")]
    assert any("template_reference_xlsx" in k for k in keys) and any("template_reference_csv" in k for k in keys)


def test_the_page_names_a_new_set_as_the_command_line_does(tmp_path, monkeypatch):
    from analytics.store import connect

    store = tmp_path / "tinh.duckdb"
    init_empty_store(store, "04")
    at = data_page(store, monkeypatch)
    sign_in(at)
    at.selectbox(key="ref_kind").set_value("criteria").run()
    at.text_input(key="ref_code").input("HUYEN-2022").run()
    at.text_input(key="ref_name").input("  Bộ tiêu chí cấp huyện theo Quyết định 1234  ").run()
    upload_reference(at, GOOD / "phu-luc-huyen-so-a-rap.xlsx", XLSX)
    at.button(key="ref_confirm").click().run()
    assert any("Đã nạp lô #2 (bộ tiêu chí)" in t for t in texts(at.success))
    con = connect(store)  # the app holds the file in this process: a second handle of the same kind
    try:
        assert con.execute("SELECT code, name FROM criteria_sets").fetchall() == [
            ("HUYEN-2022", "Bộ tiêu chí cấp huyện theo Quyết định 1234")
        ]
    finally:
        con.close()
