"""Trend across years and the naive projection, on the tiny hand-made store."""

import pytest

from analytics.errors import CchcError
from analytics.trend import projection_sentence, target_projection, trend
from tests.stores import tiny_store


@pytest.fixture
def con(tmp_path):
    con = tiny_store(tmp_path / "tiny.duckdb")
    yield con
    con.close()


def test_trend_lists_every_year_a_unit_has_data(con):
    frame = trend(con, "district", "P")
    assert frame.groupby("year").size().to_dict() == {2019: 6, 2020: 5, 2021: 3}
    d6 = frame[frame.unit_code == "D6"]
    assert d6.year.tolist() == [2019]  # missing later years, not ranked last
    d3 = frame[frame.unit_code == "D3"].set_index("year")
    assert d3[["total", "rank", "rank_of"]].values.tolist() == [[60, 6, 6], [75, 2, 5]]


def test_trend_of_a_level_without_data_is_empty(con):
    assert trend(con, "district", "D1").empty


def test_projection_continues_each_other_units_last_change(con):
    # 2021: D2 90 (+15 since 2020, projected 105, kept at the maximum 100), D1 80 (+0).
    projection = target_projection(con, "D4")
    assert (projection.next_year, projection.last_year, projection.target_rank) == (2022, 2021, 2)
    assert (projection.score_needed, projection.last_score_needed, projection.is_projection) == (80, 80, True)
    assert "không phải số liệu thực tế" in projection.basis
    assert projection_sentence(projection) == "Năm 2022 (dự báo): để đạt hạng 2 có thể cần khoảng 80,00 điểm."
    assert target_projection(con, "D4", 1).score_needed == 100


def test_projection_rank_out_of_range(con):
    with pytest.raises(CchcError, match="từ 1 đến 3"):
        target_projection(con, "D4", 4)
