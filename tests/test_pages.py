"""AppTest: every page runs without exception and shows the right numbers."""

import pytest

from tests.cards import card_notes, card_values, parsed_cards
from ui.navigation import PAGE_SPECS

PAGES = [spec.script for spec in PAGE_SPECS]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(app, page):
    app.run()
    app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title, "page drew no title"


def test_overview_shows_2020_total_and_rank(app):
    app.run()
    metrics = card_values(app)
    deltas = card_notes(app)
    assert metrics["Tổng điểm"] == "73,79"
    assert metrics["Xếp hạng"] == "9/10"
    assert deltas["Tổng điểm"] == "−7,21 điểm so với 2019"
    assert deltas["Xếp hạng"] == "giảm 2 bậc so với 2019 (7/10)"
    # a fall reads as one: red, arrow down; the holder of the target rank is a plain grey note
    colours = {card["label"]: (card["colour"], card["arrow"]) for card in parsed_cards(app)}
    assert colours["Tổng điểm"] == colours["Xếp hạng"] == ("red", "down")
    assert colours["Điểm cần thêm để đạt hạng 5/10"] == ("gray", None)


def test_overview_follows_the_year(app):
    app.run()
    app.sidebar.selectbox(key="year").select(2019).run()
    metrics = card_values(app)
    assert (metrics["Tổng điểm"], metrics["Xếp hạng"]) == ("81,00", "7/10")
