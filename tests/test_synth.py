"""`python -m analytics synth`: deterministic, and its store keeps the demo store's invariants."""

import csv
import hashlib
import subprocess
import sys

import pytest

from analytics.errors import CchcError
from analytics.schema import DATA_TABLES
from analytics.store import connect
from analytics.synth import SynthSpec, build_synthetic_store, level_counts
from tests.conftest import ROOT

SPEC = SynthSpec(units=200, years=3, criteria=20, seed=11)


def content_hash(path) -> str:
    """Hash of every table's rows, sorted, except the batch timestamp that records when it ran."""
    con = connect(path, read_only=True)
    try:
        digest = hashlib.sha256()
        for table in DATA_TABLES:
            columns = "* EXCLUDE (created_at)" if table == "batches" else "*"
            rows = sorted(con.execute(f"SELECT {columns} FROM {table}").fetchall(), key=repr)
            digest.update(f"{table}:{rows!r}".encode())
        return digest.hexdigest()
    finally:
        con.close()


@pytest.fixture(scope="module")
def synth_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("synth") / "synth.duckdb"
    build_synthetic_store(path, SPEC)
    return path


@pytest.fixture
def synth_con(synth_store):
    con = connect(synth_store, read_only=True)
    yield con
    con.close()


def test_same_seed_same_content_other_seed_other_content(synth_store, tmp_path):
    again = tmp_path / "again.duckdb"
    other = tmp_path / "other.duckdb"
    build_synthetic_store(again, SPEC)
    build_synthetic_store(other, SynthSpec(units=200, years=3, criteria=20, seed=12))
    assert content_hash(again) == content_hash(synth_store)
    assert content_hash(other) != content_hash(synth_store)


def test_a_score_for_every_unit_year_and_leaf_criterion(synth_con):
    units = synth_con.execute("SELECT count(*) FROM units").fetchone()[0]
    assert units == SPEC.units
    per_key = synth_con.execute(
        "SELECT count(*), count(DISTINCT (year, unit_code)), count(DISTINCT criterion_code) FROM scores"
    ).fetchone()
    assert per_key == (SPEC.units * SPEC.years * SPEC.criteria, SPEC.units * SPEC.years, SPEC.criteria)
    years = [r[0] for r in synth_con.execute("SELECT DISTINCT year FROM scores ORDER BY year").fetchall()]
    assert years == SPEC.year_list


def test_every_score_is_within_its_maximum_and_flagged(synth_con):
    out_of_range = synth_con.execute(
        """SELECT count(*) FROM scores s JOIN units u ON u.code = s.unit_code
           JOIN criteria_sets cs ON cs.level = u.level JOIN criteria c ON c.set_code = cs.code
             AND c.code = s.criterion_code
           WHERE s.points > c.max_points OR s.points < 0
              OR abs(round(s.points * 100) - s.points * 100) > 1e-6"""
    ).fetchone()[0]
    unmatched = synth_con.execute(
        """SELECT count(*) FROM scores s JOIN units u ON u.code = s.unit_code
           WHERE NOT EXISTS (SELECT 1 FROM criteria_sets cs JOIN criteria c ON c.set_code = cs.code
                             WHERE cs.level = u.level AND c.code = s.criterion_code)"""
    ).fetchone()[0]
    flags = synth_con.execute("SELECT bool_and(is_demo), count(DISTINCT batch_id) FROM scores").fetchone()
    assert (out_of_range, unmatched, flags) == (0, 0, (True, 1))
    assert synth_con.execute("SELECT bool_and(is_demo) FROM criteria_sets").fetchone()[0] is True


def test_every_unit_is_in_the_tree_and_parents_exist(synth_con):
    orphans = synth_con.execute("SELECT count(*) FROM scores s ANTI JOIN units u ON u.code = s.unit_code").fetchone()[0]
    bad_parents = synth_con.execute(
        """SELECT count(*) FROM units c LEFT JOIN units p ON p.code = c.parent_code
           WHERE (c.level = 'province' AND c.parent_code IS NOT NULL)
              OR (c.level = 'district' AND p.level IS DISTINCT FROM 'province')
              OR (c.level = 'commune' AND p.level IS DISTINCT FROM 'district')"""
    ).fetchone()[0]
    undated = synth_con.execute("SELECT count(*) FROM units WHERE valid_from IS NULL").fetchone()[0]
    assert (orphans, bad_parents, undated) == (0, 0, 0)
    counts = dict(synth_con.execute("SELECT level, count(*) FROM units GROUP BY level").fetchall())
    assert (counts["province"], counts["district"], counts["commune"]) == level_counts(SPEC.units)


def test_criteria_sets_have_eight_fields_summing_to_100_and_parents_sum_children(synth_con):
    fields = synth_con.execute(
        """SELECT set_code, list(code ORDER BY code), sum(max_points) FROM criteria
           WHERE parent_code = 'TOTAL' GROUP BY set_code ORDER BY set_code"""
    ).fetchall()
    assert [(codes, round(total, 9)) for _, codes, total in fields] == [(list("12345678"), 100.0)] * 3
    bad = synth_con.execute(
        """SELECT p.set_code, p.code FROM criteria p JOIN criteria c ON c.set_code = p.set_code
           AND c.parent_code = p.code GROUP BY p.set_code, p.code, p.max_points
           HAVING abs(sum(c.max_points) - p.max_points) > 1e-9"""
    ).fetchall()
    leaves = synth_con.execute(
        """SELECT set_code, count(*) FROM criteria c WHERE NOT EXISTS
           (SELECT 1 FROM criteria k WHERE k.set_code = c.set_code AND k.parent_code = c.code)
           GROUP BY set_code"""
    ).fetchall()
    bands = synth_con.execute("SELECT set_code, count(*) FROM bands GROUP BY set_code").fetchall()
    assert bad == []
    assert sorted(n for _, n in leaves) == [SPEC.criteria] * 3
    assert sorted(n for _, n in bands) == [5] * 3


def test_cli_writes_store_and_long_csv(tmp_path):
    db, out = tmp_path / "cli.duckdb", tmp_path / "long.csv"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "analytics",
            "synth",
            "--db",
            str(db),
            "--units",
            "40",
            "--years",
            "2",
            "--criteria",
            "8",
            "--seed",
            "3",
            "--csv",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "dòng điểm: 640" in result.stdout
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    con = connect(db, read_only=True)
    stored = con.execute("SELECT year, unit_code, criterion_code, points FROM scores ORDER BY ALL").fetchall()
    con.close()
    assert list(rows[0]) == ["year", "unit", "criterion", "points"]
    assert sorted((int(r["year"]), r["unit"], r["criterion"], float(r["points"])) for r in rows) == stored


def test_cli_rejects_too_few_criteria_in_vietnamese(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "analytics", "synth", "--db", str(tmp_path / "x.duckdb"), "--criteria", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "Lỗi: Số tiêu chí phải từ 8 trở lên (ít nhất một tiêu chí mỗi lĩnh vực)."
    assert not (tmp_path / "x.duckdb").exists()


def test_spec_checks():
    with pytest.raises(CchcError, match="Số đơn vị"):
        SynthSpec(units=2).check()
