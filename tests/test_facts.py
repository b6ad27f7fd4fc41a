"""F1–F8 of DESIGN.md, checked by queries on a freshly built demo store."""

from analytics.nodes import node_values
from analytics.rankings import rankings

KHA_2020 = {"01290", "01294", "01297", "01303", "01300", "01312", "01296", "01318", "01316"}
TB_2020 = {"01315", "01291", "01309"}
MOVED_UP = {"01300", "01312", "01296", "01318", "01316"}


def _row(frame, code):
    return frame[frame.unit_code == code].iloc[0]


def test_f1_2020_bao_lam_73_79_rank_9_of_10(demo_con):
    row = _row(rankings(demo_con, 2020, "district", "04"), "042")
    assert (round(row.total, 2), row["rank"], row.rank_of) == (73.79, 9, 10)


def test_f2_2019_bao_lam_81_rank_7_and_the_change(demo_con):
    r2019 = _row(rankings(demo_con, 2019, "district", "04"), "042")
    assert (round(r2019.total, 2), r2019["rank"], r2019.rank_of) == (81.00, 7, 10)
    r2020 = _row(rankings(demo_con, 2020, "district", "04"), "042")
    assert (r2020.delta_total, r2020.delta_rank) == (-7.21, -2)


def _bands(con, year):
    frame = rankings(con, year, "commune", "042")
    return {band: set(frame[frame.band == band].unit_code) for band in frame.band.unique()}


def test_f3_2020_commune_bands(demo_con):
    assert _bands(demo_con, 2020) == {"Tốt": {"01304"}, "Khá": KHA_2020, "Trung bình": TB_2020}


def test_f4_2019_commune_bands_and_five_moves_up(demo_con):
    b2019 = _bands(demo_con, 2019)
    assert b2019["Tốt"] == {"01304"}
    assert b2019["Khá"] == {"01290", "01294", "01297", "01303"}
    assert len(b2019["Trung bình"]) == 8
    assert b2019["Trung bình"] & _bands(demo_con, 2020)["Khá"] == MOVED_UP


def test_f5_mean_change_of_commune_totals_is_plus_3_0(demo_con):
    frame = rankings(demo_con, 2020, "commune", "042")
    assert round(frame.delta_total.mean(), 1) == 3.0


def test_f6_exactly_fields_7_6_5_3_below_the_provincial_mean(demo_con):
    nodes = node_values(demo_con, 2020, "district", "04")
    maxima = dict(
        demo_con.execute(
            "SELECT code, max_points FROM criteria WHERE set_code = 'DEMO-HUYEN-2020' AND parent_code = 'TOTAL'"
        ).fetchall()
    )
    fields = nodes[nodes.criterion_code.isin(maxima)].copy()
    fields["pct"] = fields.value / fields.criterion_code.map(maxima) * 100
    mean = fields.groupby("criterion_code").pct.mean()
    gap = fields[fields.unit_code == "042"].set_index("criterion_code").pct - mean
    assert set(gap[gap < 0].index) == {"7", "6", "5", "3"}
    assert (gap[~gap.index.isin(["7", "6", "5", "3"])] >= 0).all() and len(gap) == 8


def test_f7_operations_2020(demo_con):
    def value(unit, indicator):
        return demo_con.execute(
            "SELECT value FROM indicators WHERE year = 2020 AND unit_code = ? AND indicator = ?", [unit, indicator]
        ).fetchone()[0]

    assert value("042", "on_time_pct") == 97
    assert value("042", "district_units_on_igate") == 12
    assert value("042", "communes_on_igate") == 5
    on_igate = demo_con.execute(
        "SELECT count(*) FROM indicators WHERE year = 2020 AND indicator = 'uses_vnpt_igate' AND value = 1"
    ).fetchone()[0]
    without = demo_con.execute(
        "SELECT unit_code FROM indicators WHERE year = 2020 AND indicator = 'has_e_one_stop' "
        "AND value = 0 ORDER BY unit_code"
    ).fetchall()
    assert on_igate == 5
    assert {r[0] for r in without} == {"01315", "01316", "01296", "01318", "01291", "01300", "01309"}


def test_f8_targets_2021(demo_con):
    rows = demo_con.execute(
        "SELECT metric, comparator, value FROM targets WHERE year = 2021 AND unit_code = '042' ORDER BY metric"
    ).fetchall()
    assert rows == [("commune_staff_trained_pct", ">", 70.0), ("rank", "<=", 5.0)]
