"""The "lowest scored rows" rule is written twice: in SQL for totals at any size (rankings) and in
Python for one scope's node values (nodes). Both must agree with each other and with the plain
pandas baseline of the benchmark, on random trees where units score any mix of levels."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.nodes import lowest_rows, node_sums, scope_nodes
from analytics.rankings import unit_totals
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
    """A tree and 1-5 units, each scoring any subset of its nodes (inner ones included) and maybe
    a code outside the set, in hundredths, some rows flagged illustrative."""
    tree = draw(trees())
    codes = [row[0] for row in tree] + ["9.9"]  # 9.9 is not in the set: it never counts
    scores, demo = {}, {}
    for unit in range(draw(st.integers(1, 5))):
        chosen = draw(st.lists(st.sampled_from(codes), min_size=1, max_size=len(codes), unique=True))
        scores[f"U{unit}"] = {code: draw(st.integers(0, 1000)) / 100 for code in chosen}
        demo[f"U{unit}"] = draw(st.booleans())
    return tree, scores, demo


def _store(path: Path, tree, scores, demo):
    con = empty_store(path)
    insert_units(con, [(unit, f"Huyện {unit}", "district", "huyện", "P") for unit in scores])
    insert_set(con, "H", "district", 2020, tree)
    for unit, points in scores.items():
        if points:
            insert_scores(con, 2020, {unit: points}, is_demo=demo[unit])
    return con


@SETTINGS
@given(scored_stores())
def test_python_node_values_agree_with_the_sql_totals_and_the_pandas_baseline(example):
    tree, scores, demo = example
    with tempfile.TemporaryDirectory() as tmp:
        con = _store(Path(tmp) / "s.duckdb", tree, scores, demo)
        nodes = scope_nodes(con, 2020, "district", "P")
        sql_totals = unit_totals(con, 2020, "district", "P")
        plain = PandasBaseline.load(con).node_values(2020, "district", "P")
        con.close()
    python_totals = nodes.totals().set_index("unit_code")
    assert sorted(python_totals.index) == sorted(sql_totals.unit_code)
    for row in sql_totals.itertuples():
        assert abs(python_totals.total[row.unit_code] - row.total) <= 1e-9
        assert python_totals.is_demo[row.unit_code] == row.is_demo == demo[row.unit_code]
    values = {key: value for key, (value, _) in nodes.values.items()}
    expected = {(r.unit_code, r.criterion_code): r.value for r in plain.itertuples()}
    assert values.keys() == expected.keys()
    assert all(abs(values[key] - expected[key]) <= 1e-9 for key in expected)


def test_a_field_total_given_beside_its_criteria_is_counted_once():
    parent_of = {"TOTAL": None, "1": "TOTAL", "1.1": "1", "1.2": "1", "2": "TOTAL"}
    rows = [("U", "1", 30.0, False), ("U", "1.1", 12.0, False), ("U", "1.2", 15.5, True), ("U", "2", 40.0, False),
            ("U", "TOTAL", 90.0, False), ("V", "TOTAL", 70.0, False), ("V", "9", 5.0, False)]
    lowest = lowest_rows(rows, parent_of)
    assert sorted(lowest) == sorted([("U", "1.1", 12.0, False), ("U", "1.2", 15.5, True), ("U", "2", 40.0, False),
                                     ("V", "TOTAL", 70.0, False)])
    sums = node_sums(lowest, parent_of)
    assert sums[("U", "1")] == (27.5, True) and sums[("U", "TOTAL")] == (67.5, True)
    assert sums[("V", "TOTAL")] == (70.0, False) and ("V", "1") not in sums


def test_scope_nodes_inside_a_transaction_see_its_uncommitted_scores(tmp_path):
    tree = [("TOTAL", None, "Tổng", 100, None, 1), ("1", "TOTAL", "Lĩnh vực 1", 100, "A", 2)]
    con = _store(tmp_path / "s.duckdb", tree, {"U0": {"1": 60.0}, "U1": {}}, {"U0": False, "U1": False})
    con.execute("BEGIN")
    insert_scores(con, 2020, {"U1": {"1": 75.5}})
    inside = scope_nodes(con, 2020, "district", "P").totals().set_index("unit_code").total.to_dict()
    con.execute("ROLLBACK")
    after = scope_nodes(con, 2020, "district", "P").totals().set_index("unit_code").total.to_dict()
    con.close()
    assert inside == {"U0": 60.0, "U1": 75.5} and after == {"U0": 60.0}
