"""One home per rule: the pages and the CLI give the same answer for the target, the scope and settings.

The app holds its store open read-write, so the CLI reads the same demo content from the template store.
"""

import json

import pytest

from analytics import scope, settings
from analytics.formatting import fmt_number
from tests.conftest import open_page
from tests.test_cli_analysis import run_cli
from tests.test_dashboard_pages import metrics


def _cli_points_needed(db, year: int) -> tuple[int, float | None, str]:
    status, out, err = run_cli(db, "plan", "--year", str(year), "--format", "json")
    return status, (json.loads(out)["points_needed"] if status == 0 else None), err


@pytest.mark.parametrize("year", [2019, 2020])
def test_the_overview_and_the_cli_plan_agree_on_the_target_gap(app, demo_store_template, year):
    open_page(app, "app_pages/overview.py", year=year)
    shown = metrics(app)
    status, points_needed, err = _cli_points_needed(demo_store_template, year)
    rank = [label for label in shown if label.startswith("Điểm cần thêm để đạt hạng")]
    if status == 0:
        assert rank and shown[rank[0]] == fmt_number(points_needed)
    else:
        assert status == 2 and "Chưa có chỉ tiêu xếp hạng" in err
        assert not rank and shown["Điểm cần thêm"] == "–"
    assert (status == 0) == (year == 2020)  # the 2021 target applies to the 2020 results only


@pytest.mark.parametrize("year", [2019, 2020])
def test_the_criteria_page_and_the_cli_gaps_agree_on_the_target_reference(app, demo_store_template, year):
    open_page(app, "app_pages/criteria.py", year=year, ref="target")
    page_text = " ".join(str(element.value) for element in [*app.info, *app.markdown, *app.caption])
    status, _, err = run_cli(demo_store_template, "gaps", "--year", str(year), "--reference", "target")
    if year == 2019:
        assert status == 2
        message = err.strip().removeprefix("Lỗi: ")
        assert "Chưa có chỉ tiêu xếp hạng" in message and message in page_text
    else:
        assert status == 0, err
        assert "Chưa có chỉ tiêu xếp hạng" not in page_text


def test_the_default_scope_is_the_home_units_peers_and_its_communes(demo_readonly):
    home = scope.get_unit(demo_readonly, "042")
    assert scope.default_parent("district", home) == home.parent_code == "04"
    assert scope.default_parent("commune", home) == "042"
    assert scope.default_parent("district", None) is None
    commune = scope.get_unit(demo_readonly, "01290", 2020)  # Thị trấn Pác Miầu
    assert scope.default_parent("commune", commune) == "042"
    merged = scope.get_unit(demo_readonly, "01290", 2025)  # Xã Bảo Lâm, ranked by the province
    assert merged.name == "Xã Bảo Lâm" and scope.default_parent("commune", merged) == "04"


def test_an_empty_home_unit_means_the_default_in_the_app_and_the_cli(monkeypatch, demo_store):
    monkeypatch.setenv("CCHC_HOME_UNIT", "")
    assert settings.home_unit_code() == "042"
    status, out, err = run_cli(demo_store, "report", "--year", "2020", env={"CCHC_HOME_UNIT": ""})
    assert status == 0, err
    assert "huyện Bảo Lâm đạt 73,79 điểm" in out


def test_the_history_reads_the_same_on_the_data_page_and_in_the_cli(app, demo_store_template):
    from tests.test_reference_page import table_with

    open_page(app, "app_pages/data.py")
    app.session_state["data_tab"] = "Lịch sử nạp"
    app.run()
    page = table_with(app, "Tệp / thao tác")
    status, out, _ = run_cli(demo_store_template, "history")
    assert status == 0
    header, *rows = out.splitlines()
    assert header.split()[:3] == ["Lô", "Thời", "điểm"] and "Tệp / thao tác" in header
    assert len(rows) == len(page)
    first = page.iloc[-1]  # the demo batch, oldest
    assert first["Thời điểm"] in rows[-1] and first["Loại"] in rows[-1] and first["Dữ liệu"] in rows[-1]
