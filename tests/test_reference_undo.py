"""Undo of every reference kind restores every table exactly; what may not be undone is refused with
its reason; the history names the kind of every batch."""

from __future__ import annotations

import pytest

from analytics.errors import CchcError
from analytics.importing import analyze, commit_import, history, undo_batch
from analytics.importing.reference import ReferenceOptions, analyze_and_commit_reference
from analytics.schema import DATA_TABLES
from tests.conftest import snapshot
from tests.data.make_reference_corpus import GOOD, HERE

AUDIT_TABLES = ("batches", "meta")
# file -> (kind, options): one file of every reference kind, on the demo store
ONE_OF_EACH = {
    "phu-luc-huyen-so-a-rap.xlsx": ("criteria", ReferenceOptions()),
    "xep-loai-phan-tram.csv": ("bands", ReferenceOptions(set_code="DEMO-HUYEN-2020")),
    "co-quan.csv": ("offices", ReferenceOptions()),
    "co-quan-chu-tri.csv": ("ownership", ReferenceOptions(set_code="DEMO-HUYEN-2020")),
    "chi-tieu-2023.csv": ("targets", ReferenceOptions()),
    "chi-so-hoat-dong-2022.xlsx": ("indicators", ReferenceOptions()),
    "ten-goi-khac.csv": ("aliases", ReferenceOptions()),
}


def load(con, name: str, kind: str, options: ReferenceOptions, folder=GOOD) -> int:
    analysis, batch_id = analyze_and_commit_reference(con, kind, name, (folder / name).read_bytes(), options, "pytest")
    assert batch_id is not None, [p.message for p in analysis.errors]
    return batch_id


def assert_same_data(before: dict, after: dict) -> None:
    for table in DATA_TABLES:
        if table not in AUDIT_TABLES:
            assert after[table] == before[table], table


@pytest.mark.parametrize("name", sorted(ONE_OF_EACH))
def test_undo_of_each_kind_restores_every_table(demo_con, name):
    kind, options = ONE_OF_EACH[name]
    before = snapshot(demo_con)
    batch = load(demo_con, name, kind, options)
    changed = snapshot(demo_con)
    assert any(changed[t] != before[t] for t in DATA_TABLES if t not in AUDIT_TABLES)
    assert history(demo_con).set_index("id").loc[batch, "content"] == kind
    undo_id = undo_batch(demo_con, batch, "pytest")
    after = snapshot(demo_con)
    assert_same_data(before, after)
    batches = {row.id: row for row in after["batches"]}
    assert batches[batch].undone_by_batch_id == undo_id and batches[undo_id].content == kind


def test_replacing_bands_twice_then_undoing_both_restores_the_demo_bands(demo_con):
    before = snapshot(demo_con)
    first = load(demo_con, "xep-loai-phan-tram.csv", "bands", ONE_OF_EACH["xep-loai-phan-tram.csv"][1])
    second = load(demo_con, "xep-loai-diem.xlsx", "bands", ReferenceOptions(set_code="DEMO-HUYEN-2020"))
    with pytest.raises(CchcError, match=f"đã bị lô #{second} thay thế"):
        undo_batch(demo_con, first, "pytest")
    undo_batch(demo_con, second, "pytest")
    undo_batch(demo_con, first, "pytest")
    assert_same_data(before, snapshot(demo_con))


def test_a_set_that_stored_scores_use_cannot_be_undone_until_they_go(demo_con):
    before = snapshot(demo_con)
    annex = load(demo_con, "phu-luc-huyen-so-a-rap.xlsx", "criteria", ReferenceOptions())
    results = analyze(demo_con, "kq.csv", (HERE / "walk" / "ket-qua-huyen-2022.csv").read_bytes())
    scores = commit_import(demo_con, results, "pytest")
    used = snapshot(demo_con)
    with pytest.raises(CchcError, match="bộ tiêu chí HUYEN-2022 đang được dùng bởi điểm đã lưu: năm 2022"):
        undo_batch(demo_con, annex, "pytest")
    assert snapshot(demo_con) == used
    undo_batch(demo_con, scores, "pytest")
    undo_batch(demo_con, annex, "pytest")
    assert_same_data(before, snapshot(demo_con))


def test_scores_removed_with_a_new_set_come_back_with_its_undo(demo_con):
    before = snapshot(demo_con)
    options = ReferenceOptions(year_from=2020, code="HUYEN-2020B", remove_stranded=True)
    batch = load(demo_con, "phu-luc-huyen-so-a-rap.xlsx", "criteria", options)
    removed = demo_con.execute(
        "SELECT count(*) FROM replaced_scores WHERE replaced_by_batch_id = ?", [batch]
    ).fetchone()
    assert removed == (98,)
    stranded = demo_con.execute(
        "SELECT count(*) FROM scores WHERE year = 2020 AND unit_code = '042' AND criterion_code = '2.3'"
    ).fetchone()
    assert stranded == (0,)
    # The 2020 results were there before the set: its undo puts them back on the demo set, with those it removed.
    undo_batch(demo_con, batch, "pytest")
    assert_same_data(before, snapshot(demo_con))
