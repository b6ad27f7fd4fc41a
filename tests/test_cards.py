"""ui.marks.cards: plain Markdown cards, text from the store shown as itself."""

from types import SimpleNamespace

from tests.cards import parsed_cards
from ui.marks import Card, card_markdown, change_card


def read(card: Card) -> dict:
    (found,) = parsed_cards(SimpleNamespace(markdown=[SimpleNamespace(value=card_markdown(card))]))
    return found


def test_a_card_is_label_value_and_note_in_that_order():
    markdown = card_markdown(Card("Tổng điểm", "73,79", "−7,21 điểm so với 2019", "red", "down"))
    assert markdown.split("\n\n") == [
        "Tổng điểm",
        "## 73,79",
        ":red-badge[:material/arrow_downward: −7,21 điểm so với 2019]",
    ]


def test_names_from_the_store_are_never_read_as_markdown():
    hostile = "- Xã **A** [b](http://x) <i>c</i> # $d$ `e` | ~f~ :x: :material/home: :red[g] 1. h +"
    markdown = card_markdown(Card(hostile, hostile, hostile))
    for special in "*[]<>#$`|~:/.-+":
        assert f"\\{special}" in markdown
    assert read(Card(hostile, hostile, hostile)) == {
        "label": hostile,
        "value": hostile,
        "note": hostile,
        "colour": "gray",
        "arrow": None,
    }


def test_the_change_sets_arrow_and_colour():
    assert read(change_card("Xếp hạng", "7/10", 2, "tăng 2 bậc"))["colour"] == "green"
    assert read(change_card("Xếp hạng", "7/10", 2, "tăng 2 bậc"))["arrow"] == "up"
    fell = read(change_card("Tổng điểm", "73,79", -7.21, "−7,21 điểm"))
    assert (fell["colour"], fell["arrow"]) == ("red", "down")
    same = read(change_card("Tổng điểm", "73,79", 0, "không đổi"))
    assert (same["colour"], same["arrow"]) == ("gray", None)
    banded = read(change_card("Tốt", "05 xã", 2, "+2 xã", neutral=True))
    assert (banded["colour"], banded["arrow"]) == ("gray", "up")
    assert read(change_card("Tổng điểm", "73,79", None, None))["note"] is None
