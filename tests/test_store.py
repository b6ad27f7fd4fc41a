"""The store: schema, units, aliases, idempotent init, the demo generator."""

import subprocess
import sys
from datetime import date

import pytest

from analytics.names import fold, resolve_unit
from analytics.schema import SCHEMA_VERSION, create_schema, current_version
from analytics.store import connect, init_store, store_info
from tests.conftest import ROOT, snapshot_of

DISTRICT_CODES = ["040", "042", "043", "045", "047", "048", "049", "051", "052", "053"]
COMMUNE_CODES = [
    "01290",
    "01291",
    "01294",
    "01296",
    "01297",
    "01300",
    "01303",
    "01304",
    "01309",
    "01312",
    "01315",
    "01316",
    "01318",
]


def test_ten_districts_under_province_04(demo_con):
    rows = demo_con.execute("SELECT code FROM units WHERE level = 'district' AND parent_code = '04' ORDER BY code")
    assert [r[0] for r in rows.fetchall()] == DISTRICT_CODES


def test_thirteen_communes_under_bao_lam(demo_con):
    rows = demo_con.execute("SELECT code FROM units WHERE level = 'commune' AND parent_code = '042' ORDER BY code")
    assert [r[0] for r in rows.fetchall()] == COMMUNE_CODES
    assert demo_con.execute("SELECT name FROM units WHERE code = '01290'").fetchone()[0] == "Thị trấn Pác Miầu"


def test_every_alias_resolves_to_its_unit(demo_con):
    aliases = demo_con.execute(
        "SELECT a.alias, a.unit_code, u.level, u.parent_code FROM unit_aliases a JOIN units u ON u.id = a.unit_code"
    ).fetchall()
    assert len(aliases) >= 5
    for alias, code, level, parent in aliases:
        assert resolve_unit(demo_con, alias, level, parent) == code, alias


@pytest.mark.parametrize(
    "spelling, code",
    [
        ("Hoà An", "051"),
        ("Hòa An", "051"),
        ("Ho\u0300a An", "051"),
        ("HOA AN", "051"),
        ("Huyện Hòa An", "051"),
        ("TP Cao Bằng", "040"),
        ("Bao Lam", "042"),
        ("  huyện bảo lâm ", "042"),
        ("042", "042"),
    ],
)
def test_district_spellings(demo_con, spelling, code):
    assert resolve_unit(demo_con, spelling, "district", "04") == code


def test_commune_spellings_of_the_notice(demo_con):
    assert resolve_unit(demo_con, "TT Pác Miều", "commune", "042") == "01290"
    assert resolve_unit(demo_con, "Thái Học", "commune", "042") == "01315"
    assert resolve_unit(demo_con, "Xa Duc Hanh", "commune", "042") == "01291"


def test_a_name_is_never_matched_outside_its_scope(demo_con):
    from analytics.errors import NotFoundError

    with pytest.raises(NotFoundError, match="Bảo Lâm"):
        resolve_unit(demo_con, "Bảo Lâm", "commune", "042")
    with pytest.raises(NotFoundError, match="có phải 'Huyện Bảo Lạc'"):
        resolve_unit(demo_con, "Bao Lac h", "district", "04")


def test_fold_treats_nfc_nfd_and_old_accents_alike():
    assert fold("Hoà An") == fold("Hòa An") == fold("Ho\u0300a An") == "hoa an"
    assert fold("Đức Hạnh") == "duc hanh"


def test_init_twice_gives_the_same_store(tmp_path):
    path = tmp_path / "s.duckdb"
    assert init_store(path) is True
    first = snapshot_of(path)
    assert init_store(path) is False
    assert snapshot_of(path) == first


def test_init_force_rebuilds(tmp_path):
    path = tmp_path / "s.duckdb"
    init_store(path)
    con = connect(path)
    con.execute("DELETE FROM scores WHERE unit_code = '042'")
    con.close()
    assert init_store(path, force=True) is True
    con = connect(path, read_only=True)
    assert con.execute("SELECT count(*) FROM scores WHERE unit_code = '042'").fetchone()[0] > 0
    assert con.execute("SELECT count(*) FROM batches").fetchone()[0] == 1
    con.close()


def test_schema_version_recorded_and_create_is_idempotent(demo_con):
    assert current_version(demo_con) == SCHEMA_VERSION
    assert create_schema(demo_con) == SCHEMA_VERSION
    info = store_info(demo_con)
    assert info.years == [2019, 2020, 2025]
    # the register of Cao Bằng: 161 communes until 30/6/2025 and 56 from 01/7/2025
    assert info.units_per_level == {"commune": 161 + 56, "district": 10, "province": 1}
    assert info.criteria_sets == ["DEMO-HUYEN-2020", "DEMO-XA-2020", "DEMO-XA-2025"]


def test_every_score_row_belongs_to_a_batch_and_stays_within_its_maximum(demo_con):
    orphans = demo_con.execute(
        "SELECT count(*) FROM scores s LEFT JOIN batches b ON b.id = s.batch_id WHERE b.id IS NULL"
    ).fetchone()[0]
    over = demo_con.execute(
        """SELECT count(*) FROM scores s JOIN units u ON u.code = s.unit_code
           JOIN criteria_sets cs ON cs.level = u.level JOIN criteria c ON c.set_code = cs.code
             AND c.code = s.criterion_code WHERE s.points > c.max_points OR s.points < 0"""
    ).fetchone()[0]
    assert (orphans, over) == (0, 0)


def test_criteria_set_field_maxima_match_design(demo_con):
    rows = demo_con.execute(
        "SELECT set_code, code, max_points FROM criteria WHERE parent_code = 'TOTAL' ORDER BY set_code, code"
    ).fetchall()
    maxima = {}
    for set_code, _code, m in rows:
        maxima.setdefault(set_code, []).append(m)
    assert maxima["DEMO-HUYEN-2020"] == [10, 6, 14, 8, 10, 7, 15, 30]
    assert maxima["DEMO-XA-2020"] == [12, 8, 22, 8, 14, 10, 16, 10]
    # every parent's maximum is the sum of its children's
    bad = demo_con.execute(
        """SELECT p.set_code, p.code FROM criteria p JOIN criteria c ON c.set_code = p.set_code
           AND c.parent_code = p.code GROUP BY p.set_code, p.code, p.max_points
           HAVING abs(sum(c.max_points) - p.max_points) > 1e-9"""
    ).fetchall()
    assert bad == []


def test_demo_generator_is_deterministic_and_committed_files_are_current():
    result = subprocess.run(
        [sys.executable, str(ROOT / "data" / "generate_demo.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_illustrative_rows_are_flagged(demo_con):
    real = demo_con.execute(
        "SELECT year, unit_code, criterion_code, points FROM scores WHERE NOT is_demo ORDER BY year"
    ).fetchall()
    assert real == [(2019, "042", "TOTAL", 81.0), (2020, "042", "TOTAL", 73.79)]
    assert demo_con.execute("SELECT bool_and(is_demo) FROM criteria_sets").fetchone()[0] is True


def test_a_v2_store_is_migrated_to_the_set_in_force_rule(tmp_path):
    from analytics.schema import MIGRATIONS, SCHEMA_VERSION, current_version

    path = tmp_path / "v2.duckdb"
    con = connect(path)
    for version in (1, 2):
        for statement in MIGRATIONS[version]:
            con.execute(statement)
    con.execute("INSERT INTO meta VALUES ('schema_version', '2'), ('data_version', '4')")
    con.execute(
        "INSERT INTO criteria_sets (code, level, year_from, name, is_demo) VALUES "
        "('OLD', 'district', 2017, 'cũ', true), ('NEW', 'district', 2022, 'mới', true), "
        "('ALSO-2022', 'district', 2022, 'cùng năm', true)"
    )
    con.close()
    assert init_store(path) is False  # already built: migrated, not rebuilt
    con = connect(path)
    assert current_version(con) == SCHEMA_VERSION
    in_force = "SELECT set_in_force('district', ?)"
    assert [con.execute(in_force, [year]).fetchone()[0] for year in (2016, 2021, 2023)] == [None, "OLD", "NEW"]
    con.close()


def test_a_v4_store_is_migrated_to_unit_versions_lineage_and_batched_reference_rows(tmp_path):
    from analytics.schema import MIGRATIONS, REFERENCE_TABLES, current_version

    path = tmp_path / "v4.duckdb"
    con = connect(path)
    for version in (1, 2, 3, 4):
        for statement in MIGRATIONS[version]:
            con.execute(statement)
    con.execute("INSERT INTO meta VALUES ('schema_version', '4'), ('data_version', '1')")
    con.execute(
        "INSERT INTO batches (id, created_at, source_name, row_count, actor, kind) VALUES "
        "(1, TIMESTAMP '2026-01-02 03:04:05', 'demo', 0, 'init', 'demo'), "
        "(2, TIMESTAMP '2026-01-03 03:04:05', 'a.csv', 1, 'x', 'import')"
    )
    con.execute(
        "INSERT INTO units VALUES ('04', 'Tỉnh Cao Bằng', 'province', 'tỉnh', NULL, NULL, NULL, NULL), "
        "('01304', 'Xã Thạch Lâm', 'commune', 'xã', '042', NULL, DATE '2025-06-30', '01303')"
    )
    con.execute("INSERT INTO offices VALUES ('NV', 'Phòng Nội vụ', NULL)")
    con.execute("INSERT INTO scores VALUES (2020, '01304', 'TOTAL', 70, NULL, false, NULL, 2)")
    con.close()
    init_store(path)
    con = connect(path)
    assert current_version(con) == 5
    assert con.execute("SELECT id, code, name, valid_to FROM units ORDER BY id").fetchall() == [
        ("01304", "01304", "Xã Thạch Lâm", date(2025, 6, 30)),
        ("04", "04", "Tỉnh Cao Bằng", None),
    ]
    assert con.execute("SELECT * EXCLUDE (batch_id) FROM unit_lineage").fetchall() == [
        ("01304", "01303", date(2025, 7, 1), "merged_into")
    ]
    assert con.execute("SELECT id, content FROM batches ORDER BY id").fetchall() == [(1, "demo"), (2, "scores")]
    assert con.execute("SELECT code, batch_id FROM offices").fetchall() == [("NV", 1)]
    for table in REFERENCE_TABLES:
        assert con.execute(f"SELECT count(*) FROM replaced_{table}").fetchone()[0] == 0
        twin = [c[0] for c in con.execute(f"DESCRIBE replaced_{table}").fetchall()]
        assert twin == ["replaced_by_batch_id", *(c[0] for c in con.execute(f"DESCRIBE {table}").fetchall())]
    assert con.execute("SELECT valid_in_year(NULL, DATE '2025-06-30', 2024)").fetchone()[0] is True
    assert con.execute("SELECT valid_in_year(NULL, DATE '2025-06-30', 2025)").fetchone()[0] is False
    assert con.execute("SELECT valid_in_year(DATE '2025-07-01', NULL, 2025)").fetchone()[0] is True
    con.close()


def test_a_set_with_an_end_year_is_not_in_force_after_it_unless_a_newer_set_takes_over(tmp_path):
    con = connect(tmp_path / "sets.duckdb")
    create_schema(con)
    con.execute(
        "INSERT INTO criteria_sets (code, level, year_from, year_to, name, is_demo) VALUES "
        "('OLD', 'district', 2017, 2020, 'cũ', false), ('NEW', 'district', 2023, NULL, 'mới', false)"
    )
    in_force = "SELECT set_in_force('district', ?)"
    years = (2016, 2017, 2020, 2021, 2023, 2030)
    assert [con.execute(in_force, [y]).fetchone()[0] for y in years] == [None, "OLD", "OLD", None, "NEW", "NEW"]
    con.close()
