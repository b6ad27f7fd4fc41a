"""Commune bands, transitions, summary and indicators on the tiny hand-made store."""

import pytest

from analytics.communes import (
    band_transitions,
    commune_profile,
    commune_summary,
    commune_table,
    communes_lacking,
    indicator_table,
)
from tests.stores import tiny_store


@pytest.fixture
def con(tmp_path):
    con = tiny_store(tmp_path / "tiny.duckdb")
    yield con
    con.close()


def test_commune_table_has_this_and_last_years_band(con):
    table = commune_table(con, 2020, "D1").set_index("unit_code")
    assert table.loc["C1"][["total", "band", "band_previous", "delta_total"]].tolist() == [82, "Tốt", "Trung bình", 27]
    assert table.loc["C3"][["rank", "band", "band_previous"]].tolist() == [1, "Xuất sắc", "Tốt"]
    assert table.attrs["previous_year"] == 2019


def test_a_commune_moving_two_bands(con):
    moves = band_transitions(con, 2019, 2020, "D1")
    two_bands = moves[(moves.band_from == "Trung bình") & (moves.band_to == "Tốt")].iloc[0]
    assert (two_bands["count"], two_bands.unit_codes, two_bands.unit_names) == (1, ["C1"], ["Xã Số 1"])
    assert moves["count"].sum() == 3
    assert list(zip(moves.band_from, moves.band_to)) == [("Tốt", "Xuất sắc"), ("Khá", "Khá"), ("Trung bình", "Tốt")]


def test_commune_summary(con):
    summary = commune_summary(con, 2020, "D1")
    assert list(summary.band_counts) == ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]
    assert summary.band_counts == {"Xuất sắc": 1, "Tốt": 1, "Khá": 1, "Trung bình": 0, "Yếu": 0}
    assert summary.band_count_changes == {"Xuất sắc": 1, "Tốt": 0, "Khá": 0, "Trung bình": -1, "Yếu": 0}
    assert summary.mean_change == pytest.approx((27 - 2 + 10) / 3)
    assert summary.members["Tốt"] == ["Xã Số 1"]
    assert summary.moved_up == [("C3", "Xã Số 3", "Tốt", "Xuất sắc"), ("C1", "Xã Số 1", "Trung bình", "Tốt")]
    assert summary.moved_down == []


def test_first_year_has_no_previous(con):
    summary = commune_summary(con, 2019, "D1")
    assert (summary.previous_year, summary.mean_change, summary.band_count_changes) == (None, None, {})
    assert summary.band_counts["Trung bình"] == 1


def test_indicators_and_communes_lacking_one(con):
    table = indicator_table(con, 2020, "D1")
    assert table[["unit_code", "indicator_name", "value"]].values.tolist() == [
        ["C1", "Có một cửa điện tử", 1],
        ["C2", "Có một cửa điện tử", 0],
    ]
    # C3 has no record: unknown is not reported as lacking.
    assert communes_lacking(con, 2020, "D1", "has_e_one_stop").unit_code.tolist() == ["C2"]


def test_commune_profile_against_the_district_mean(con):
    profile = commune_profile(con, 2020, "C2").set_index("field_code")
    # Field 1 (max 50): C2 34 = 68 %; mean of C1 41 and C2 34 = 75 %; C3 has totals only.
    assert profile.loc["1"][["points", "pct", "mean_pct"]].tolist() == [34, 68, 75]
