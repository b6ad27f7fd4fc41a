"""The rows as one Arrow table, the preview's diff in SQL, its rankings from one totals query, and
analyze_and_commit (the CLI's import: the preview inside the commit's transaction).

Real stores built by `synth`, real long-CSV bytes; a file with a trailing blank line takes the
cell-by-cell path, so each check is made on both paths.
"""

from __future__ import annotations

import shutil

import pytest

from analytics.cli import main
from analytics.importing import ImportOptions, analyze, analyze_and_commit, commit_import, undo_batch
from analytics.importing.fastlong import SEPARATOR_LINES, _head, analyze_fast
from analytics.importing.preview import STATUS_NEW_YEAR, STATUS_REPLACED, STATUS_SAME
from analytics.importing.problems import ProblemList
from analytics.importing.read import detect_separator
from analytics.importing.rows import ScoreRows
from analytics.rankings import rankings
from analytics.schema import DATA_TABLES
from analytics.store import connect
from tests.conftest import snapshot

SYNTH = ["--units", "9", "--provinces", "1", "--districts", "8", "--criteria", "8", "--seed", "5"]
OPTIONS = {"level": "district", "parent": "01"}
YEARS = 2


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """(the long CSV of 8 districts × 2 years × 8 criteria, the store holding it, a store with no scores)."""
    work = tmp_path_factory.mktemp("rows")
    csv_path, full, empty = work / "diem.csv", work / "full.duckdb", work / "empty.duckdb"
    assert (
        main(
            [
                "synth",
                "--db",
                str(full),
                "--years",
                str(YEARS),
                "--csv",
                str(csv_path),
                "--csv-level",
                "district",
                *SYNTH,
            ]
        )
        == 0
    )
    assert main(["synth", "--db", str(empty), "--years", "0", *SYNTH]) == 0
    return csv_path.read_bytes(), full, empty


@pytest.fixture
def copy_of(tmp_path):
    def copy(store):
        target = tmp_path / f"{store.stem}-{len(list(tmp_path.iterdir()))}.duckdb"
        shutil.copy(store, target)
        return target

    return copy


def lines_of(data: bytes) -> tuple[str, list[list[str]]]:
    header, *rows = data.decode().splitlines()
    return header, [row.split(",") for row in rows]


def csv_bytes(header: str, rows: list[list[str]]) -> bytes:
    return ("\n".join([header, *(",".join(r) for r in rows)]) + "\n").encode()


def edited(data: bytes) -> tuple[bytes, tuple, tuple]:
    """The file with one score changed (to 0) and one row left out: (bytes, changed row, removed row)."""
    header, rows = lines_of(data)
    changed, removed = rows[3], rows[len(rows) // 2]
    assert changed[:2] != removed[:2] and float(changed[3]) > 0
    kept = [r for r in rows if r is not removed]
    kept[3] = [*changed[:3], "0"]
    return csv_bytes(header, kept), tuple(changed), tuple(removed)


def both_paths(store, data: bytes, **options):
    """analyze() of the file through the vectorised path, and of the same rows through the
    cell-by-cell one (two blank lines at the end send a file there)."""
    con = connect(store)
    try:
        opts = ImportOptions(**OPTIONS, **options)
        assert analyze_fast(con, "diem.csv", data, opts, ProblemList("diem.csv")) is not None
        assert analyze_fast(con, "diem.csv", data + b"\n\n", opts, ProblemList("diem.csv")) is None
        return [analyze(con, "diem.csv", d, opts) for d in (data, data + b"\n\n")]
    finally:
        con.close()


def test_score_rows_read_like_the_list_of_tuples_they_replace():
    tuples = [(2020, "042", "1.1", 3.5, None), (2020, "042", "1.2", 2.0, 1.5), (2021, "043", "1.1", 0.0, None)]
    rows = ScoreRows.from_tuples(tuples)
    assert len(rows) == 3 and bool(rows) and list(rows) == tuples
    assert rows == tuples and rows == ScoreRows.from_tuples(tuples)
    assert rows != tuples[:2] and rows != [*tuples[:2], (2021, "043", "1.1", 0.5, None)]
    assert (rows.years, rows.unit_count) == ([2020, 2021], 2)
    assert ScoreRows.empty() == [] and not ScoreRows.empty() and ScoreRows.empty().years == []


def test_a_replacing_file_previews_exactly_the_scores_it_changes(stores):
    data, full, _ = stores
    new, changed, removed = edited(data)
    fast, slow = both_paths(full, new, replace=True)
    assert fast.ok and slow.ok and fast.problems == slow.problems and fast.rows == slow.rows
    assert fast.preview.units.equals(slow.preview.units) and fast.preview.changes.equals(slow.preview.changes)
    changes = fast.preview.changes
    got = sorted(
        (int(r.year), r.unit_code, r.criterion_code, r.old_points, r.new_points)
        for r in changes.itertuples(index=False)
    )
    year, unit, code, points = changed
    r_year, r_unit, r_code, r_points = removed
    assert len(got) == 2
    assert got[0][:3] == (int(year), unit, code) and (got[0][3], got[0][4]) == (float(points), 0.0)
    assert got[1][:4] == (int(r_year), r_unit, r_code, float(r_points)) and got[1][4] != got[1][4]  # NaN
    units = fast.preview.units.set_index(["year", "unit_code"])
    assert units.loc[(int(year), unit), ["status", "rows_added", "rows_changed", "rows_removed"]].tolist() == [
        STATUS_REPLACED,
        0,
        1,
        0,
    ]
    assert units.loc[(int(r_year), r_unit), ["status", "rows_added", "rows_changed", "rows_removed"]].tolist() == [
        STATUS_REPLACED,
        0,
        0,
        1,
    ]
    others = units.drop([(int(year), unit), (int(r_year), r_unit)])
    assert set(others.status) == {STATUS_SAME} and (others.delta_total == 0).all()
    assert (others.old_rank.notna()).all() and len(units) == 8 * YEARS


def test_a_new_year_previews_every_row_as_added_with_the_unit_names(stores):
    data, _, empty = stores
    fast, slow = both_paths(empty, data)
    assert fast.preview.changes.equals(slow.preview.changes)
    changes, units = fast.preview.changes, fast.preview.units
    assert len(changes) == len(fast.rows) == 8 * YEARS * 8 and changes.old_points.isna().all()
    assert list(zip(changes.year, changes.unit_code, changes.criterion_code, changes.new_points)) == [
        r[:4] for r in fast.rows
    ]
    con = connect(empty, read_only=True)
    names = dict(con.execute("SELECT code, name FROM units").fetchall())
    con.close()
    assert all(names[c] == n for c, n in zip(changes.unit_code, changes.unit_name))
    assert set(units.status) == {STATUS_NEW_YEAR} and (units.rows_added == 8).all()
    assert units.old_rank.isna().all() and units.delta_total.isna().all()


@pytest.mark.parametrize("replacing", [False, True])
def test_the_previewed_rankings_are_the_rankings_after_the_commit(stores, copy_of, replacing):
    data, full, empty = stores
    store = copy_of(full if replacing else empty)
    new = edited(data)[0] if replacing else data
    con = connect(store)
    try:
        analysis, batch_id = analyze_and_commit(
            con, "diem.csv", new, ImportOptions(**OPTIONS, replace=replacing), "pytest"
        )
        assert batch_id is not None and len(analysis.years) == YEARS
        assert sorted(analysis.preview.rankings) == [(y, "district", "01") for y in analysis.years]
        for (year, level, parent), frame in analysis.preview.rankings.items():
            after = rankings(con, year, level, parent)
            assert frame.equals(after) and frame.attrs == after.attrs, year
    finally:
        con.close()


def without_created_at(state: dict) -> dict:
    return {**state, "batches": [row[:1] + row[2:] for row in state["batches"]]}


@pytest.mark.parametrize("replacing", [False, True])
def test_analyze_and_commit_stores_what_analyze_then_commit_import_store(stores, copy_of, replacing):
    data, full, empty = stores
    new = edited(data)[0] if replacing else data
    options = ImportOptions(**OPTIONS, replace=replacing)
    one, two = copy_of(full if replacing else empty), copy_of(full if replacing else empty)
    con = connect(one)
    try:
        before = snapshot(con)
        analysis = analyze(con, "diem.csv", new, options)
        assert snapshot(con) == before  # the preview writes nothing
        first = commit_import(con, analysis, "pytest")
        stepwise = without_created_at(snapshot(con))
    finally:
        con.close()
    con = connect(two)
    try:
        combined, second = analyze_and_commit(con, "diem.csv", new, options, "pytest")
        assert second == first and without_created_at(snapshot(con)) == stepwise
        assert combined.problems == analysis.problems and combined.rows == analysis.rows
        assert combined.preview.units.equals(analysis.preview.units)
        assert combined.preview.changes.equals(analysis.preview.changes)
        assert all(combined.preview.rankings[k].equals(f) for k, f in analysis.preview.rankings.items())
        undo_batch(con, second, "pytest")
        restored = snapshot(con)
        assert all(restored[t] == before[t] for t in DATA_TABLES if t not in ("batches", "meta"))
    finally:
        con.close()


def test_analyze_and_commit_writes_nothing_when_the_file_has_an_error(stores, copy_of):
    data, full, _ = stores
    store = copy_of(full)
    con = connect(store)
    try:
        before = snapshot(con)
        analysis, batch_id = analyze_and_commit(con, "diem.csv", data, ImportOptions(**OPTIONS), "pytest")
        assert batch_id is None and not analysis.ok and {p.kind for p in analysis.errors} == {"exists"}
        assert analysis.preview is not None and snapshot(con) == before
    finally:
        con.close()


@pytest.mark.parametrize(
    "text",
    [
        "year,unit,criterion,points\n" + "2020,042,1.1,3.5\n" * 5000,
        "a;b;c\r\n\r\n" + "x;" * 3000 + "\r\n" + "1;2;3\r\n" * 200,
        "\n\n\n" + "a,b\tc\n" * 30 + "\n" * 9000 + "d\te\tf\n" * 100,
        "h1,h2\n1,2",
    ],
)
def test_the_head_of_a_text_gives_what_the_whole_text_gives(text):
    head = _head(text, SEPARATOR_LINES)
    assert text.startswith(head) and detect_separator(head) == detect_separator(text)
    assert head.splitlines()[:3] == text.splitlines()[:3]
