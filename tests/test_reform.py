"""Across the 2025 reform (issue #12): a code names the unit version in force in the year, on every path.

Cao Bằng's communes are ranked by the province from 2025 (56 units); before, each district ranked its own.
`01290` is Thị trấn Pác Miầu until 30/6/2025 and Xã Bảo Lâm after; `01304` is Xã Thạch Lâm, then Xã Quảng Lâm.
"""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from analytics import scope
from analytics.communes import commune_table
from analytics.errors import NotFoundError
from analytics.gaps import gaps
from analytics.lineage import lineage
from analytics.names import resolve_unit
from analytics.rankings import rankings
from analytics.reports.paragraph import summary_paragraph
from analytics.reports.workbook import analytics_workbook
from analytics.trend import trend
from tests.cards import card_values
from tests.conftest import open_page
from tests.test_cli_analysis import cli_json, run_cli

BAO_LAM_PREDECESSORS = {"01290": "Thị trấn Pác Miầu", "01309": "Xã Vĩnh Phong", "01312": "Xã Mông Ân"}
BAO_LAM_SUCCESSORS = {"01290", "01294", "01297", "01304", "01318", "01324"}  # the six of the table


def names(frame) -> dict[str, str]:
    return dict(zip(frame.unit_code, frame.unit_name))


def test_the_province_ranks_its_56_communes_and_wards_in_2025(demo_readonly):
    frame = rankings(demo_readonly, 2025, "commune", "04")
    assert len(frame) == 56 and frame.has_data.all() and frame["rank_of"].iloc[0] == 56
    assert frame.is_demo.all()  # illustrative, flagged
    assert names(frame)["01290"] == "Xã Bảo Lâm" and names(frame)["01304"] == "Xã Quảng Lâm"
    assert frame.total_previous.isna().all()  # never compared with the old communes that had these codes
    assert frame.attrs["previous_year"] is None


def test_the_2020_ranking_of_bao_lams_communes_is_unchanged(demo_readonly):
    frame = rankings(demo_readonly, 2020, "commune", "042")
    assert len(frame) == 13 and frame["rank_of"].iloc[0] == 13
    assert names(frame)["01290"] == "Thị trấn Pác Miầu" and names(frame)["01304"] == "Xã Thạch Lâm"
    assert frame.set_index("unit_code").band["01304"] == "Tốt"


def test_no_district_is_ranked_after_the_reform_and_2019_still_ranks_ten(demo_readonly):
    assert rankings(demo_readonly, 2025, "district", "04").empty
    assert len(rankings(demo_readonly, 2019, "district", "04")) == 10
    with pytest.raises(NotFoundError, match="Huyện Bảo Lạc năm 2020"):
        scope.require_year(demo_readonly, 2020, "commune", "043")  # a district without commune results


def test_gaps_compare_a_reused_code_with_the_peers_of_its_year(demo_readonly):
    new = gaps(demo_readonly, 2025, "01290", depth=1)
    old = gaps(demo_readonly, 2020, "01290", depth=1)
    assert len(new) == len(old) == 8
    assert new.attrs.get("is_demo") and not new.points.equals(old.points)
    assert scope.get_unit(demo_readonly, "01290", 2025).parent_code == "04"
    assert scope.get_unit(demo_readonly, "01290", 2020).parent_code == "042"


def test_the_trend_never_draws_one_line_through_two_units(demo_readonly):
    history = trend(demo_readonly, "commune", None)
    lines = history[history.unit_code == "01290"].groupby("unit_id").year.apply(list).to_dict()
    assert lines == {"01290": [2019, 2020], "01290@2025-07-01": [2025]}
    named = history[history.unit_code == "01304"].set_index("year").unit_name.to_dict()
    assert named == {2019: "Xã Thạch Lâm", 2020: "Xã Thạch Lâm", 2025: "Xã Quảng Lâm"}


def test_communes_of_the_province_in_2025(demo_readonly):
    table = commune_table(demo_readonly, 2025, "04")
    assert len(table) == 56 and table.band.notna().all()


def test_report_and_export_name_the_unit_of_the_year(demo_readonly, tmp_path):
    assert "xã Bảo Lâm đạt" in "".join(map(str, summary_paragraph(demo_readonly, 2025, "01290").pieces))
    assert "thị trấn Pác Miầu đạt" in "".join(map(str, summary_paragraph(demo_readonly, 2020, "01290").pieces))
    book = openpyxl.load_workbook(io.BytesIO(analytics_workbook(demo_readonly, 2025, "01304")), read_only=True)
    cells = {str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row}
    assert "Xã Quảng Lâm" in cells and "Xã Thạch Lâm" not in cells


def test_a_dissolved_district_is_an_error_naming_when_it_existed(demo_store):
    status, _, err = run_cli(demo_store, "report", "--year", "2025", "--unit", "042")
    assert status == 2 and "Huyện Bảo Lâm đến 30/6/2025" in err and "Traceback" not in err


def test_names_and_aliases_resolve_by_year(demo_readonly):
    assert resolve_unit(demo_readonly, "Quảng Lâm", "commune", "042", 2020) == "01303"
    assert resolve_unit(demo_readonly, "Quảng Lâm", "commune", "04", 2025) == "01304"
    assert resolve_unit(demo_readonly, "TT Pác Miều", "commune", None, 2020) == "01290"
    with pytest.raises(NotFoundError):  # the notice's spelling of the old town never means Xã Bảo Lâm
        resolve_unit(demo_readonly, "TT Pác Miều", "commune", None, 2025)


def test_lineage_of_xa_bao_lam_shows_its_three_predecessors_results(demo_readonly):
    found = lineage(demo_readonly, "01290", 2025)
    assert found.unit.name == "Xã Bảo Lâm" and found.successors == ()
    predecessors = {p.unit.code: p for p in found.predecessors}
    assert {code: p.unit.name for code, p in predecessors.items()} == BAO_LAM_PREDECESSORS
    assert all(p.kind == "merged_into" and str(p.date) == "2025-07-01" for p in found.predecessors)
    assert [(r.year, r.total, r.rank, r.band) for r in predecessors["01290"].results] == [
        (2019, 76.2, 2, "Khá"),
        (2020, 78.4, 2, "Khá"),
    ]  # F3/F4: Pác Miầu is Khá both years
    assert [r.band for r in predecessors["01309"].results] == ["Trung bình", "Trung bình"]


def test_lineage_of_an_old_commune_and_of_the_dissolved_district(demo_readonly):
    thach_lam = lineage(demo_readonly, "01304", 2020)
    assert [(s.unit.id, s.unit.name) for s in thach_lam.successors] == [("01304@2025-07-01", "Xã Quảng Lâm")]
    assert [r.year for r in thach_lam.successors[0].results] == [2025]
    district = lineage(demo_readonly, "042", 2020)
    assert {s.unit.code for s in district.successors} == BAO_LAM_SUCCESSORS


def test_the_lineage_command_lists_predecessors_and_successors(demo_store):
    payload = cli_json(demo_store, "lineage", "--unit", "01290", "--year", "2025")
    assert payload["unit"]["name"] == "Xã Bảo Lâm" and payload["unit"]["id"] == "01290@2025-07-01"
    assert payload["unit"]["valid_from"] == "2025-07-01" and payload["unit"]["valid_to"] is None
    assert {p["code"]: p["name"] for p in payload["predecessors"]} == BAO_LAM_PREDECESSORS
    assert {p["valid_to"] for p in payload["predecessors"]} == {"2025-06-30"}
    assert payload["successors"] == [] and payload["is_demo"] is True
    status, out, err = run_cli(demo_store, "lineage", "--unit", "01304", "--year", "2020")
    assert status == 0, err
    assert "Xã Thạch Lâm (mã 01304" in out and "Kế thừa" in out and "Xã Quảng Lâm" in out
    status, _, err = run_cli(demo_store, "lineage", "--unit", "99999")
    assert status == 2 and "99999" in err


def test_rank_cli_across_the_reform(demo_store):
    assert len(cli_json(demo_store, "rank", "--year", "2025", "--level", "commune", "--parent", "04")) == 56
    assert len(cli_json(demo_store, "rank", "--year", "2020", "--level", "commune", "--parent", "042")) == 13
    status, out, _ = run_cli(demo_store, "rank", "--level", "commune")
    assert status == 0 and "năm 2020" in out  # the home unit's latest year, not the illustrative 2025


def test_the_default_year_is_the_home_units_latest_and_2025_is_offered(demo_readonly, monkeypatch):
    monkeypatch.setenv("CCHC_HOME_UNIT", "042")
    assert scope.default_year(demo_readonly, "district") == scope.default_year(demo_readonly, "commune") == 2020
    assert scope.offered_years(demo_readonly, "commune") == [2019, 2020, 2025]
    assert scope.default_parent_in(demo_readonly, "commune", 2025) == "04"  # where Bảo Lâm's communes went
    monkeypatch.setenv("CCHC_HOME_UNIT", "01290")
    assert scope.home_unit(demo_readonly, 2025).name == "Xã Bảo Lâm"
    assert scope.default_year(demo_readonly, "commune") == 2025
    assert scope.default_parent_in(demo_readonly, "commune", 2020) == "042"


def test_json_of_the_lineage_is_plain_text_and_numbers(demo_store):
    status, out, err = run_cli(demo_store, "lineage", "--unit", "042", "--format", "json")
    assert status == 0, err
    payload = json.loads(out)
    assert {s["code"] for s in payload["successors"]} == BAO_LAM_SUCCESSORS
    assert all(r["year"] == 2025 for s in payload["successors"] for r in s["results"])


# --- the pages (AppTest) --------------------------------------------------------------------------------


def page_text(app) -> str:
    return " ".join(str(e.value) for e in [*app.markdown, *app.caption, *app.info, *app.subheader])


def test_the_first_screen_stays_2020_for_huyen_bao_lam(app):
    open_page(app, "app_pages/overview.py")
    assert app.sidebar.selectbox[1].value == 2020 and app.sidebar.selectbox[2].value == "042"
    assert 2025 not in app.sidebar.selectbox[1].options  # no district results after the reform


def test_the_dissolved_district_links_to_its_successor_communes(app):
    open_page(app, "app_pages/overview.py", level="commune", year=2025)
    text = page_text(app)
    assert "Huyện Bảo Lâm đã giải thể từ 01/7/2025" in text and "6 xã, phường" in text
    assert len(app.sidebar.selectbox[2].options) == 56  # the communes of the province that year
    assert app.sidebar.selectbox[2].value == "01290"  # the first of its successors, Xã Bảo Lâm


def test_a_link_to_the_district_in_2025_opens_that_year_and_says_the_district_is_gone(app):
    """?level=district&year=2025&unit=042 (a link kept from before the reform): 2025 has no district
    level, so the link opens the level that has 2025, says why, and the dissolution with its successors."""
    for key, value in {"level": "district", "year": "2025", "unit": "042"}.items():
        app.query_params[key] = value
    app.run()  # the link's one run: its notices are said once
    assert not app.exception
    assert app.sidebar.selectbox[0].value == "commune" and app.sidebar.selectbox[1].value == 2025
    text = page_text(app)
    assert "Liên kết có cấp “cấp huyện năm 2025” nay không còn" in text
    assert "Huyện Bảo Lâm đã giải thể từ 01/7/2025" in text
    assert app.query_params["level"] == "commune" and app.query_params["year"] == "2025"


def test_a_merged_communes_page_shows_its_predecessors_apart(app, monkeypatch):
    monkeypatch.setenv("CCHC_HOME_UNIT", "01290")
    open_page(app, "app_pages/overview.py", level="commune", year=2025, unit="01290")
    assert "Xã Bảo Lâm — năm 2025" in page_text(app) and "đã giải thể" not in page_text(app)
    table = next(df.value for df in app.dataframe if "Đơn vị tiền thân" in df.value.columns)
    assert list(table["Đơn vị tiền thân"]) == list(BAO_LAM_PREDECESSORS.values())
    assert list(table.columns[-2:]) == ["2019", "2020"]
    assert table.set_index("Mã").loc["01290", "2020"] == "78,40 (2/13, Khá)"
    metrics = card_values(app)
    assert metrics["Xếp hạng"].endswith("/56")  # ranked among the province's communes, predecessors not counted


def test_the_home_unit_can_be_a_commune_after_the_reform(app, monkeypatch):
    monkeypatch.setenv("CCHC_HOME_UNIT", "01290")
    open_page(app, "app_pages/overview.py", level="commune")
    assert app.sidebar.selectbox[1].value == 2025 and app.sidebar.selectbox[2].value == "01290"
    assert "Xã Bảo Lâm" in page_text(app)


def test_the_ranking_page_of_2025_draws_new_communes_apart_from_old(app):
    open_page(app, "app_pages/ranking.py", level="commune", year=2025, unit="01304")
    assert "Xã Quảng Lâm" in page_text(app) or any("Xã Quảng Lâm" in str(df.value) for df in app.dataframe)


def test_unit_valid_in_is_the_stores_macro_valid_in_year(demo_readonly):
    units = [scope.Unit(*row) for row in demo_readonly.execute(f"SELECT {scope.UNIT_COLUMNS} FROM units").fetchall()]
    for year in range(2018, 2028):
        sql = "SELECT id FROM units WHERE valid_in_year(valid_from, valid_to, ?)"
        in_sql = {row[0] for row in demo_readonly.execute(sql, [year]).fetchall()}
        assert {unit.id for unit in units if unit.valid_in(year)} == in_sql, year
    assert len(in_sql) == 1 + 56  # 2027: the province and its communes and wards
