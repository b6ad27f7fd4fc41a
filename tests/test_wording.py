"""The words of the notice: counts, changes, kinds and names."""

import pytest

from analytics.reports import wording as w


@pytest.mark.parametrize(("count", "expected"), [(1, "01 xã"), (9, "09 xã"), (5, "05 xã"), (12, "12 xã")])
def test_counts_are_written_with_two_digits_as_the_notice_does(count, expected):
    assert w.count_words(count) == expected


def test_a_fall_in_points_and_places_reads_as_the_notice():
    assert w.change_clause(-7.21, -2, 2019) == "giảm 7,21 điểm và giảm 2 bậc so với năm 2019"


def test_a_rise_in_points_and_places():
    assert w.change_clause(1.5, 3, 2020) == "tăng 1,50 điểm và tăng 3 bậc so với năm 2020"


def test_points_and_places_that_part_ways_are_joined_by_nhung():
    assert w.change_clause(0.8, -1, 2019) == "tăng 0,80 điểm nhưng giảm 1 bậc so với năm 2019"
    assert w.change_clause(-0.8, 1, 2019) == "giảm 0,80 điểm nhưng tăng 1 bậc so với năm 2019"


def test_no_change_is_said_as_such():
    assert w.change_clause(0.0, 0, 2019) == "giữ nguyên số điểm và thứ hạng so với năm 2019"
    assert w.change_clause(0.004, 0, 2019) == "giữ nguyên số điểm và thứ hạng so với năm 2019"
    assert w.change_clause(-2.0, 0, 2019) == "giảm 2,00 điểm và giữ nguyên thứ hạng so với năm 2019"
    assert w.change_clause(0.0, 2, 2019) == "giữ nguyên số điểm và tăng 2 bậc so với năm 2019"


def test_band_count_changes():
    assert w.count_change(5, 2019) == "tăng 05 xã so với năm 2019"
    assert w.count_change(-5, 2019) == "giảm 05 xã so với năm 2019"
    assert w.count_change(0, 2019) == "bằng năm 2019"


def test_mean_change_has_one_decimal():
    assert w.mean_change(2.96, 2019) == "tăng bình quân 3,0 điểm so với năm 2019"
    assert w.mean_change(-1.24, 2019) == "giảm bình quân 1,2 điểm so với năm 2019"
    assert w.mean_change(0.04, 2019) == "bình quân không thay đổi so với năm 2019"


def test_kinds_are_listed_in_the_notice_order():
    assert w.kinds_phrase(["thành phố", "huyện", "huyện"]) == "huyện, thành phố"
    assert w.kinds_phrase(["thị trấn", "xã"]) == "xã, thị trấn"
    assert w.kinds_phrase(["phường", "xã"]) == "xã, phường"


def test_a_town_counts_as_xa_but_wards_make_it_don_vi():
    assert w.count_noun(["xã", "thị trấn"]) == "xã"
    assert w.count_noun(["xã", "phường"]) == "đơn vị"


def test_names_in_running_text_and_in_lists():
    assert w.running_name("Huyện Bảo Lâm", "huyện") == "huyện Bảo Lâm"
    assert w.running_name("Thành phố Cao Bằng", "thành phố") == "thành phố Cao Bằng"
    assert w.running_name("Bảo Lâm", "huyện") == "Bảo Lâm"
    assert w.list_name("Xã Lý Bôn", "xã") == "Lý Bôn"
    assert w.list_name("Thị trấn Pác Miầu", "thị trấn") == "Thị trấn Pác Miầu"


def test_superscript_markers():
    assert w.superscript(1) + w.superscript(12) == "¹¹²"
