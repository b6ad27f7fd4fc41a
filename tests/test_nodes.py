"""The "lowest scored rows" rule is written twice: in SQL for totals at any size (rankings) and in
Python for one scope's node values (nodes). Both must agree with each other and with the plain
pandas baseline of the benchmark, on random trees where units score any mix of levels."""

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.errors import NotFoundError
from analytics.nodes import lowest_rows, node_sums, scope_nodes
from analytics.rankings import totals_by_year
from bench.baseline import PandasBaseline
from tests.stores import empty_store, insert_scores, insert_set, insert_units

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def trees(draw):
    """Criteria rows of a set: TOTAL, 1-3 fields, 0-3 criteria each, 0-2 sub-criteria each."""
    rows = [("TOTAL", None, "Tổng", 100, None, 1)]
    for f in range(1, draw(st.integers(1, 3)) + 1):
        rows.append((f"{f}", "TOTAL", f"Lĩnh vực {f}", 40, "A", len(rows) + 1))
        for c in range(1, draw(st.integers(0, 3)) + 1):
            rows.append((f"{f}.{c}", f"{f}", f"Tiêu chí {f}.{c}", 10, None, len(rows) + 1))
            for s in range(1, draw(st.integers(0, 2)) + 1):
                rows.append((f"{f}.{c}.{s}", f"{f}.{c}", f"Ý {f}.{c}.{s}", 5, "B", len(rows) + 1))
    return rows


@st.composite
def scored_stores(draw):
    """Two years, each with its own tree (set H from 2020, H2 from 2021); 1-5 districts of P and one
    of another province Q (outside the scope), each scoring any subset of the year's nodes (inner
    ones included) and maybe a code outside the set, in hundredths, each row flagged
    illustrative or not."""
    trees_by_year = {2020: draw(trees()), 2021: draw(trees())}
    units = [f"U{i}" for i in range(draw(st.integers(1, 5)))] + ["Q0"]
    scores = {}
    for year, tree in trees_by_year.items():
        codes = [row[0] for row in tree] + ["9.9"]  # 9.9 is not in the set: it never counts
        for unit in units:
            chosen = draw(st.lists(st.sampled_from(codes), max_size=len(codes), unique=True))
            scores[(year, unit)] = {code: (draw(st.integers(0, 1000)) / 100, draw(st.booleans())) for code in chosen}
    return trees_by_year, units, scores


def _store(path: Path, trees_by_year, units, scores):
    con = empty_store(path)
    insert_units(con, [("Q", "Tỉnh Q", "province", "tỉnh", None)])
    insert_units(con, [(unit, f"Huyện {unit}", "district", "huyện", "Q" if unit == "Q0" else "P") for unit in units])
    insert_set(con, "H", "district", 2020, trees_by_year[2020])
    insert_set(con, "H2", "district", 2021, trees_by_year[2021])
    rows = [
        (year, unit, code, points, demo)
        for (year, unit), by_code in scores.items()
        for code, (points, demo) in by_code.items()
    ]
    if rows:
        con.executemany(
            "INSERT INTO scores (year, unit_code, criterion_code, points, is_demo, batch_id) VALUES (?, ?, ?, ?, ?, 1)",
            rows,
        )
    return con


@SETTINGS
@given(scored_stores())
def test_python_node_values_agree_with_the_sql_totals_and_the_pandas_baseline(example):
    with tempfile.TemporaryDirectory() as tmp:
        con = _store(Path(tmp) / "s.duckdb", *example)
        nodes = {year: scope_nodes(con, year, "district", "P") for year in (2020, 2021)}
        sql_totals = totals_by_year(con, [2020, 2021], "district", "P")
        base = PandasBaseline.load(con)
        plain = {year: base.node_values(year, "district", "P") for year in (2020, 2021)}
        con.close()
    for year, found in nodes.items():
        python_totals = found.totals().set_index("unit_code")
        sql = sql_totals[sql_totals.year == year].set_index("unit_code")
        assert sorted(python_totals.index) == sorted(sql.index) and "Q0" not in sql.index
        for unit in sql.index:
            assert abs(python_totals.total[unit] - sql.total[unit]) <= 1e-9
            assert python_totals.is_demo[unit] == sql.is_demo[unit]
        values = {key: value for key, (value, _) in found.values.items()}
        expected = {(r.unit_code, r.criterion_code): r.value for r in plain[year].itertuples()}
        assert values.keys() == expected.keys()
        assert all(abs(values[key] - expected[key]) <= 1e-9 for key in expected)


def test_a_field_total_given_beside_its_criteria_is_counted_once():
    parent_of = {"TOTAL": None, "1": "TOTAL", "1.1": "1", "1.2": "1", "2": "TOTAL"}
    rows = [
        ("U", "1", 30.0, False),
        ("U", "1.1", 12.0, False),
        ("U", "1.2", 15.5, True),
        ("U", "2", 40.0, False),
        ("U", "TOTAL", 90.0, False),
        ("V", "TOTAL", 70.0, False),
        ("V", "9", 5.0, False),
    ]
    lowest = lowest_rows(rows, parent_of)
    assert sorted(lowest) == sorted(
        [("U", "1.1", 12.0, False), ("U", "1.2", 15.5, True), ("U", "2", 40.0, False), ("V", "TOTAL", 70.0, False)]
    )
    sums = node_sums(lowest, parent_of)
    assert sums[("U", "1")] == (27.5, True) and sums[("U", "TOTAL")] == (67.5, True)
    assert sums[("V", "TOTAL")] == (70.0, False) and ("V", "1") not in sums


def test_scope_nodes_inside_a_transaction_see_its_uncommitted_scores(tmp_path):
    tree = [("TOTAL", None, "Tổng", 100, None, 1), ("1", "TOTAL", "Lĩnh vực 1", 100, "A", 2)]
    con = _store(tmp_path / "s.duckdb", {2020: tree, 2021: tree}, ["U0", "U1"], {(2020, "U0"): {"1": (60.0, False)}})
    con.execute("BEGIN")
    insert_scores(con, 2020, {"U1": {"1": 75.5}})
    inside = scope_nodes(con, 2020, "district", "P").totals().set_index("unit_code").total.to_dict()
    con.execute("ROLLBACK")
    after = scope_nodes(con, 2020, "district", "P").totals().set_index("unit_code").total.to_dict()
    con.close()
    assert inside == {"U0": 60.0, "U1": 75.5} and after == {"U0": 60.0}


def test_a_year_without_a_criteria_set_is_said_from_the_tree_read_beside_the_scores(tmp_path):
    tree = [("TOTAL", None, "Tổng", 100, None, 1), ("1", "TOTAL", "Lĩnh vực 1", 100, "A", 2)]
    con = _store(tmp_path / "s.duckdb", {2020: tree, 2021: tree}, ["U0"], {(2020, "U0"): {"1": (60.0, False)}})
    with pytest.raises(NotFoundError, match="Chưa có bộ tiêu chí cấp huyện áp dụng cho năm 2019"):
        scope_nodes(con, 2019, "district", "P")
    assert scope_nodes(con, 2020, "district", "P").totals().total.tolist() == [60.0]
    con.close()
