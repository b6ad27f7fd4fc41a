"""The "Đánh giá chung" paragraph: section I of the notice on the demo data, and its wording elsewhere."""

import re

import pytest

from analytics.errors import NotFoundError
from analytics.names import resolve_unit
from analytics.reports.paragraph import summary_paragraph
from analytics.reports.wording import superscript
from tests.stores import empty_store, insert_scores, insert_set, insert_units

NO_BANDS_SET_SQL = (
    "INSERT INTO criteria_sets (code, level, year_from, year_to, name, legal_source, is_demo) "
    "VALUES (?, ?, ?, NULL, ?, NULL, false)"
)
CRITERION_SQL = (
    "INSERT INTO criteria (set_code, code, parent_code, name, max_points, office_code, sort_order) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)

# Footnotes 1–4 of the notice, spelled as the notice spells them.
NOTICE_FOOTNOTES = {
    1: ["Xã Thạch Lâm"],
    2: ["TT Pác Miều", "Lý Bôn", "Nam Quang", "Quảng Lâm", "Vĩnh Quang", "Mông Ân", "Nam Cao", "Yên Thổ", "Thái Sơn"],
    3: ["Vĩnh Quang", "Mông Ân", "Nam Cao", "Yên Thổ", "Thái Sơn"],
    4: ["Thái Học", "Đức Hạnh", "Vĩnh Phong"],
}
NOTICE_FIGURES = ["73,79", "9/10", "7,21", "2 bậc", "01 xã", "09 xã", "03 xã", "tăng 05 xã", "3,0 điểm"]


def listed_names(footnote: str) -> list[str]:
    """'Các xã xếp loại Khá: A, B, C.' -> ['A', 'B', 'C']."""
    return footnote.split(": ", 1)[1].rstrip(".").split(", ")


def codes(con, names: list[str]) -> list[str]:
    return sorted(resolve_unit(con, name, level="commune", parent="042") for name in names)


@pytest.fixture(scope="module")
def paragraph_2020(demo_store_template):
    from analytics.store import connect

    con = connect(demo_store_template, read_only=True)
    yield summary_paragraph(con, 2020, "042"), {n: codes(con, names) for n, names in NOTICE_FOOTNOTES.items()}, con
    con.close()


@pytest.mark.parametrize("figure", NOTICE_FIGURES)
def test_2020_paragraph_states_every_figure_of_section_one(paragraph_2020, figure):
    summary, _, _ = paragraph_2020
    assert figure in summary.text


def test_2020_paragraph_reads_as_the_notice(paragraph_2020):
    text = paragraph_2020[0].text
    assert "đạt 73,79 điểm (xếp thứ 9/10 huyện, thành phố), giảm 7,21 điểm và giảm 2 bậc so với năm 2019" in text
    assert "01 xã xếp loại tốt¹" in text
    assert "09 xã xếp loại khá², tăng 05 xã so với năm 2019³" in text
    assert "03 xã xếp loại trung bình⁴" in text
    assert "của các xã, thị trấn tăng bình quân 3,0 điểm" in text


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_footnotes_list_the_same_communes_as_the_notice(paragraph_2020, number):
    summary, expected, con = paragraph_2020
    names = listed_names(summary.footnotes[number - 1])
    assert len(names) == len(set(names)) == len(NOTICE_FOOTNOTES[number])
    assert codes(con, names) == expected[number]


def test_footnote_markers_follow_each_other_in_the_text(paragraph_2020):
    summary = paragraph_2020[0]
    markers = [p for p in summary.pieces if isinstance(p, int)]
    assert markers == list(range(1, len(summary.footnotes) + 1))
    assert summary.full_text().splitlines()[2].startswith(superscript(1) + " Xã xếp loại Tốt: Thạch Lâm")
    assert "Thị trấn Pác Miầu" in summary.footnotes[1]  # the register's name, prefix kept for the town


def test_weak_fields_footnote_names_fields_7_6_5_3_and_their_offices(paragraph_2020):
    summary, _, con = paragraph_2020
    weak_note = summary.footnotes[4]
    names = dict(
        con.execute(
            "SELECT code, lower(name) FROM criteria WHERE set_code = 'DEMO-HUYEN-2020' AND code IN ('3', '5', '6', '7')"
        ).fetchall()
    )
    assert all(name in weak_note.lower() for name in names.values())
    assert (
        "điểm chỉ số của 04 lĩnh vực còn thấp so với bình quân chung của các huyện, thành phố trong tỉnh"
        " Cao Bằng⁵" in summary.text
    )
    for office in (
        "Phòng Văn hóa và Thông tin",
        "Phòng Tài chính - Kế hoạch",
        "Phòng Nội vụ",
        "Văn phòng HĐND và UBND",
    ):
        assert office in weak_note and office in summary.text.split("⁵", 1)[1]


def test_2020_paragraph_is_flagged_illustrative(paragraph_2020):
    assert paragraph_2020[0].is_demo


# ----- wording on hand-made stores ----------------------------------------------------------------

TOTAL_AND_FIELDS = [
    ("TOTAL", None, "Tổng điểm", 100, None, 1),
    ("1", "TOTAL", "Lĩnh vực một", 50, "A", 2),
    ("2", "TOTAL", "Lĩnh vực hai", 50, "C", 3),
]


def fields(one: float, two: float) -> dict[str, float]:
    return {"1": one, "2": two}


@pytest.fixture
def small(tmp_path):
    """Three districts (one a thị xã) and three communes of H1 (one a town) over three years.

    2019: H2 80 · H3 75 · H1 70 (first year). 2020: H1 80 · H2 78 · H3 75 (H1 rises 10 points, 2 places).
    2021: same totals as 2020 (no change). Communes: no bands in their set.
    """
    con = empty_store(tmp_path / "small.duckdb")
    insert_units(
        con,
        [
            ("H1", "Huyện Một", "district", "huyện", "P"),
            ("H2", "Huyện Hai", "district", "huyện", "P"),
            ("H3", "Thị xã Ba", "district", "thị xã", "P"),
            ("X1", "Xã Một", "commune", "xã", "H1"),
            ("X2", "Thị trấn Hai", "commune", "thị trấn", "H1"),
            ("X3", "Xã Ba", "commune", "xã", "H1"),
        ],
    )
    insert_set(con, "TH", "district", 2019, TOTAL_AND_FIELDS)
    con.execute(NO_BANDS_SET_SQL, ["TX", "commune", 2019, "TX"])  # a commune set without bands
    con.executemany(CRITERION_SQL, [("TX", *row) for row in TOTAL_AND_FIELDS])
    insert_scores(
        con,
        2019,
        {
            "H1": fields(30, 40),
            "H2": fields(40, 40),
            "H3": fields(40, 35),
            "X1": fields(30, 30),
            "X2": fields(35, 35),
            "X3": fields(20, 25),
        },
    )
    insert_scores(
        con,
        2020,
        {
            "H1": fields(40, 40),
            "H2": fields(38, 40),
            "H3": fields(40, 35),
            "X1": fields(32, 30),
            "X2": fields(36, 35),
            "X3": fields(21, 25),
        },
    )
    insert_scores(con, 2021, {"H1": fields(40, 40), "H2": fields(38, 40), "H3": fields(40, 35)})
    yield con
    con.close()


def test_a_rise_in_points_and_places(small):
    text = summary_paragraph(small, 2020, "H1").text
    assert text.startswith(
        "Năm 2020, kết quả chỉ số CCHC của huyện Một đạt 80,00 điểm "
        "(xếp thứ 1/3 huyện, thị xã), tăng 10,00 điểm và tăng 2 bậc so với năm 2019"
    )


def test_no_change(small):
    text = summary_paragraph(small, 2021, "H1").text
    assert "(xếp thứ 1/3 huyện, thị xã), giữ nguyên số điểm và thứ hạng so với năm 2020" in text
    assert "tăng" not in text and "giảm" not in text


def test_a_first_year_has_nothing_to_compare_with(small):
    text = summary_paragraph(small, 2019, "H1").text
    assert "(xếp thứ 3/3 huyện, thị xã); đây là năm đầu tiên có số liệu, chưa có kết quả năm trước để so sánh" in text
    assert "so với năm" not in text
    assert "tăng bình quân" not in text and "giảm bình quân" not in text  # no mean change without a previous year


def test_a_commune_level_without_bands_gives_mean_best_and_worst(small):
    summary = summary_paragraph(small, 2020, "H1")
    assert (
        "kết quả chỉ số CCHC cấp xã năm 2020 có 03 xã, thị trấn được đánh giá, điểm bình quân đạt 59,67 điểm, "
        "cao nhất là thị trấn Hai (71,00 điểm), thấp nhất là xã Ba (46,00 điểm)"
    ) in summary.text
    assert "xếp loại" not in summary.text
    assert "của các xã, thị trấn tăng bình quân 1,3 điểm so với năm 2019" in summary.text


def test_a_commune_is_ranked_among_communes_and_towns(small):
    text = summary_paragraph(small, 2020, "X2").text
    assert text.startswith(
        "Năm 2020, kết quả chỉ số CCHC của thị trấn Hai đạt 71,00 điểm "
        "(xếp thứ 1/3 xã, thị trấn), tăng 1,00 điểm và giữ nguyên thứ hạng so với năm 2019"
    )


def test_weak_fields_against_the_peers_with_their_office(small):
    summary = summary_paragraph(small, 2020, "H2")
    assert (
        "điểm chỉ số của 01 lĩnh vực còn thấp so với bình quân chung của các huyện, thị xã trong tỉnh P" in summary.text
    )
    assert "thuộc trách nhiệm chủ trì, tham mưu của Phòng A." in summary.text
    assert summary.footnotes[-1].startswith("Các lĩnh vực đạt điểm chỉ số thấp so với bình quân chung")
    assert "Lĩnh vực một (đạt 76,0%" in summary.footnotes[-1]


def test_no_field_below_the_peers_is_said_so(small):
    text = summary_paragraph(small, 2020, "H1").text
    assert text.endswith(
        "Các lĩnh vực đều đạt tỷ lệ điểm bằng hoặc cao hơn bình quân chung của các huyện, thị xã trong tỉnh P."
    )


def test_a_unit_without_data_that_year_is_a_clear_error(small):
    with pytest.raises(NotFoundError, match="Huyện Một chưa có kết quả chỉ số CCHC năm 2018"):
        summary_paragraph(small, 2018, "H1")


@pytest.fixture
def banded(demo_store):
    """The demo store with Lý Bôn dropped to Trung bình in 2020 and Thạch Lâm raised to Xuất sắc."""
    from analytics.store import connect

    con = connect(demo_store)
    for unit, factor in (("01294", 0.75), ("01304", 1.08)):  # 79 -> 59 points; 84,10 -> 90,83 points
        con.execute("UPDATE scores SET points = points * ? WHERE year = 2020 AND unit_code = ?", [factor, unit])
    yield con
    con.close()


def test_moves_down_and_new_bands_get_their_own_footnotes(banded):
    summary = summary_paragraph(banded, 2020, "042")
    assert re.search(r"01 xã xếp loại xuất sắc\d?, tăng 01 xã so với năm 2019", summary.plain_text)
    assert "không có xã xếp loại tốt, giảm 01 xã so với năm 2019" in summary.plain_text
    notes = "\n".join(summary.footnotes)
    assert "Xã cải thiện thứ bậc (từ Tốt lên Xuất sắc): Thạch Lâm." in notes
    assert "Xã giảm thứ bậc (từ Khá xuống Trung bình): Lý Bôn." in notes
    assert "08 xã xếp loại khá" in summary.text and "04 xã xếp loại trung bình" in summary.text
