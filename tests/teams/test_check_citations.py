"""Over real HTTP (real botbuilder stack, mock Bot Connector, real Redis): the
checks of an answer cite the rule entry they come from the Teams way, and the
answer's closing line reaches Teams. Every citation is also checked against
Teams' rules by the mock connector (conftest)."""

from __future__ import annotations

from typing import Any

from adapters.teams.safe_text import message_markdown
from bot.kernel.i18n import t
from tests.teams import activities as A
from tests.teams.helpers import angle_calls, cards_of, is_ai_labelled
from tests.teams.mock_connector import citation_errors

BEER = ("Marque : Brasserie du Rhône\nOffre : bière blonde artisanale\nCible : adultes lyonnais\n"
        "Objectif : ventes\nTon : chaleureux\n"
        "Lancement de notre bière pour la fête des pères à Lyon")


def _claims(activity: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for e in activity.get("entities") or [] for c in e.get("citation") or []]


async def _say(bot, connector, conversation, text: str, before: int) -> list[Any]:
    await bot.post(A.personal_message(connector.url, text, conversation=conversation,
                                      locale="fr-FR"))
    await bot.idle()
    return connector.posted(conversation["id"])[before:]


async def test_checks_said_once_cite_their_rule_in_the_header(bot, connector):
    conversation = A.personal_conversation()
    posted = await _say(bot, connector, conversation, BEER, 0)
    header = posted[0].body
    claims = _claims(header)
    assert claims, header
    names = [c["appearance"]["name"] for c in claims]
    # "<rule entry> — <the law or code it cites>": a beer brief in France.
    assert any(n.startswith("Alcool — ") and "L3323" in n for n in names), names
    assert all(" — " in n and len(n) <= 80 for n in names), names
    for claim in claims:  # the check itself is what the pop-up says, and the intro shows it
        assert claim["appearance"]["abstract"][:40] in header["text"]
    assert header["text"].rstrip().endswith(" ".join(f"[{i}]" for i in range(1, len(claims) + 1)))
    assert t("teams.checks_sources", "fr") in header["text"]
    assert is_ai_labelled(header) and citation_errors(header) == []
    # The caution that closes the answer is there too.
    assert message_markdown(t("angles_outro", "fr")) in header["text"]


async def test_a_refined_angles_own_checks_cite_their_rule_on_its_card(bot, connector):
    conversation = A.personal_conversation()
    first = await _say(bot, connector, conversation, BEER, 0)
    header_claims = {c["appearance"]["abstract"] for c in _claims(first[0].body)}
    refined = await _say(bot, connector, conversation, "affiner 2 plus court", len(first))
    [call] = [c for c in refined if c in angle_calls(connector, conversation["id"])]
    claims = _claims(call.body)
    # The answer's shared rules were cited once in its header; the refined card cites only
    # its own sourced checks (for this brief, every legal rule is shared: none is repeated).
    assert all(" — " in c["appearance"]["name"] for c in claims)
    assert not {c["appearance"]["abstract"] for c in claims} & header_claims
    assert is_ai_labelled(call.body) and citation_errors(call.body) == []
    # Each cited check on the card bears its number.
    checks = "\n".join(b.get("text", "") for b in cards_of(call.body)[0]["body"])
    for claim in claims:
        assert f"[{claim['position']}]" in checks


async def test_an_english_header_has_one_message_entity_and_its_outro(bot, connector):
    conversation = A.personal_conversation()
    brief = ("Brand: Gourdo\nProduct: insulated bottle\nAudience: students\n"
             "Objective: awareness\nTone: playful\nBack-to-school ideas")
    await bot.post(A.personal_message(connector.url, brief, conversation=conversation))
    await bot.idle()
    header = connector.posted(conversation["id"])[0].body
    assert message_markdown(t("angles_outro", "en")) in header["text"]
    # Citations and the AI label share the one schema.org Message entity.
    messages = [e for e in header["entities"] if e.get("type") == "https://schema.org/Message"]
    assert len(messages) == 1 and is_ai_labelled(header)
