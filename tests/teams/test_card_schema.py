"""The Adaptive Card check every test relies on (conftest) does catch bad cards."""

from __future__ import annotations

import copy

import pytest

from adapters.teams.cards import angle_card, glossary_card, quick_replies_card
from bot.kernel.messages import Angle, GlossaryCard, QuickReply
from tests.teams.mock_connector import card_errors

ANGLE = Angle(n=1, id="a-1", strategy="humour", title="T", hook="H", rationale="R",
              channel="C", to_validate=["claim"], strategy_name="Humour")


def cards() -> list[dict]:
    glossary = GlossaryCard(term="Persona", definition="A typical customer.", category="Marketing",
                            related=["Segment"], in_practice="Name them.",
                            faq=[{"q": "How many?", "a": "Three or four."}])
    buttons = quick_replies_card([QuickReply(label="Go", value="go")], fallback="Go?")
    assert buttons is not None
    return [angle_card(ANGLE, "en"), angle_card(ANGLE, "fr", status="**Liked**"),
            glossary_card(glossary, "fr"), buttons]


@pytest.mark.parametrize("index", range(4))
def test_our_cards_are_valid_adaptive_cards_1_5(index: int) -> None:
    assert card_errors(cards()[index]) == []


@pytest.mark.parametrize(
    "breakage",
    [
        lambda c: c.update(version="1.6"),
        lambda c: c["body"][0].update(size="Huge"),
        lambda c: c["body"].append({"type": "TextBlock"}),  # no text
        lambda c: c["actions"][0].update(type="Action.Teleport"),
        lambda c: c.pop("type"),
    ],
)
def test_the_check_rejects_a_broken_card(breakage) -> None:
    card = copy.deepcopy(angle_card(ANGLE, "en"))
    breakage(card)
    assert card_errors(card) != []
