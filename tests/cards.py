"""The dashboard's cards (ui.marks.cards) as a test reads them: from AppTest's Markdown or in the browser."""

from __future__ import annotations

import re

from ui.marks import CARD_SPECIALS

ESCAPED = re.compile(r"\\(" + CARD_SPECIALS.pattern[1:-1] + ")")
BADGE = re.compile(r":(?P<colour>\w+)-badge\[(?::material/(?P<arrow>\w+): )?(?P<text>.*)\]", re.S)
ARROWS = {"arrow_upward": "up", "arrow_downward": "down"}


def _plain(markdown: str) -> str:
    return ESCAPED.sub(r"\1", markdown)


def parsed_cards(app) -> list[dict]:
    """Every card on the page, in order: label, value, note, colour and arrow of the note."""
    found = []
    for element in app.markdown:
        parts = element.value.split("\n\n")
        if len(parts) < 2 or not parts[1].startswith("## "):
            continue
        card = {"label": _plain(parts[0]), "value": _plain(parts[1][3:]), "note": None, "colour": None, "arrow": None}
        badge = BADGE.fullmatch(parts[2]) if len(parts) > 2 else None
        if badge:
            card |= {"note": _plain(badge["text"]), "colour": badge["colour"], "arrow": ARROWS.get(badge["arrow"])}
        found.append(card)
    return found


def card_values(app) -> dict[str, str]:
    return {card["label"]: card["value"] for card in parsed_cards(app)}


def card_notes(app) -> dict[str, str | None]:
    return {card["label"]: card["note"] for card in parsed_cards(app)}


def page_card_values(page) -> dict[str, str]:
    """{label: value} of the cards a browser shows."""
    shown = {}
    for card in page.locator('[class*="st-key-card_"]').all():
        label = card.locator('[data-testid="stMarkdownContainer"] p').first.inner_text().strip()
        shown[label] = card.locator('[data-testid="stMarkdownContainer"] h2').first.inner_text().strip()
    return shown
