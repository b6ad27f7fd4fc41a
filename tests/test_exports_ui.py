"""ui/exports.py in a small app (AppTest): the paragraph block, its copy box and the download buttons."""

import pytest
from streamlit.testing.v1 import AppTest


def exports_app():
    import pandas as pd
    import streamlit as st

    from ui import data, exports

    con = data.connection()
    exports.summary_block(con, st.session_state.get("year", 2020), "042")
    exports.csv_button(
        pd.DataFrame({"unit_name": ["=1+1", "Bảo Lâm"], "total": [1.5, 2.0]}), "Bảng xếp hạng 2020", key="csv"
    )
    exports.xlsx_button(con, 2020, "042")
    exports.docx_button(con, 2020, "042")


@pytest.fixture
def app(demo_store, monkeypatch):
    monkeypatch.setenv("CCHC_DB", str(demo_store))
    return AppTest.from_function(exports_app, default_timeout=60)


def test_the_paragraph_block_shows_text_footnotes_and_a_copy_box(app):
    app.run()
    assert not app.exception
    assert any("giảm 7,21 điểm và giảm 2 bậc so với năm 2019" in m.value for m in app.markdown)
    footnotes = app.caption[0].value
    assert footnotes.startswith("¹ Xã xếp loại Tốt: Thạch Lâm.") and "⁴ Các xã xếp loại Trung bình" in footnotes
    assert not app.code  # drawn when the box is opened
    app.session_state["summary_copy"] = True
    app.run()
    copied = app.code[0].value
    assert "09 xã xếp loại khá², tăng 05 xã so với năm 2019³" in copied
    assert "\n³ Các xã cải thiện thứ bậc (từ Trung bình lên Khá): Vĩnh Quang" in copied


def test_download_buttons_name_their_files(app):
    app.run()
    buttons = {b.proto.label: b.proto.url for b in app.get("download_button")}
    assert set(buttons) == {"Tải CSV", "Tải Excel", "Tải báo cáo Word"}
    assert buttons["Tải CSV"].endswith(".csv")


def test_a_year_without_data_says_so_instead_of_failing(app):
    app.session_state["year"] = 2016
    app.run()
    assert not app.exception
    assert "Huyện Bảo Lâm chưa có kết quả chỉ số CCHC năm 2016." in [i.value for i in app.info]


def test_csv_numbers_are_rounded_as_the_page_shows_them():
    import pandas as pd

    from analytics.reports.table_files import csv_bytes
    from ui.exports import as_shown

    frame = pd.DataFrame(
        {
            "unit_name": ["A"],
            "total": [73.78999999999999],
            "gap_points": [-1.6774],
            "pct": [56.33333],
            "reference_pct": [75.94999],
            "rank": [9],
        }
    )
    shown = as_shown(frame)
    assert shown.iloc[0].to_dict() == {
        "unit_name": "A",
        "total": 73.79,
        "gap_points": -1.68,
        "pct": 56.3,
        "reference_pct": 75.9,
        "rank": 9,
    }
    text = csv_bytes(shown).decode("utf-8-sig")
    assert text.splitlines()[1] == "A,73.79,-1.68,56.3,75.9,9"


def test_png_file_names_say_the_chart_and_the_view_in_ascii():
    from ui.exports import png_file_name

    assert png_file_name("Xếp hạng", 2020, "042") == "bieu-do-xep-hang-2020-042.png"
    assert png_file_name("Xếp hạng", 2019, "042") != png_file_name("Xếp hạng", 2020, "042")
    assert png_file_name("Thứ hạng", "2019–2020", "Cấp huyện", "04") == "bieu-do-thu-hang-2019-2020-cap-huyen-04.png"
    assert png_file_name("Cơ quan", 2020, "042", None) == "bieu-do-co-quan-2020-042.png"  # an absent part leaves no gap
    assert png_file_name("Đức Hạnh/../x") == "bieu-do-duc-hanh-..-x.png"  # never a path
