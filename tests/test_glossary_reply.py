"""The neutral replies: usage, category list, entry card, not found; FR and EN."""

from __future__ import annotations

import json

import pytest

from bot.glossary import Glossary
from bot.glossary.reply import typeset

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load()


def test_empty_query_explains_usage_with_categories_and_terms(glossary: Glossary) -> None:
    fr = glossary.reply("", "fr")
    assert fr.kind == "glossary" and fr.lang == "fr" and fr.glossary is None
    assert f"{len(glossary)} termes" in fr.text
    assert "`glossaire TERME`" in fr.text
    for cat in glossary.categories("fr"):
        assert f"{cat.label} ({cat.count})" in fr.text
    assert "IA symbiotique" in fr.text
    assert fr.quick_replies[0].value == "glossaire IA symbiotique"

    en = glossary.reply("  ", "en")
    assert en.lang == "en" and "`glossary TERM`" in en.text and "AI & data" in en.text


def test_category_query_lists_that_category(glossary: Glossary) -> None:
    reply = glossary.reply("performance", "en")
    assert reply.kind == "glossary" and reply.glossary is None
    lines = reply.text.splitlines()
    # The count follows the content (13 terms today), checked against the category index.
    count = next(c.count for c in glossary.categories("en") if c.id == "performance")
    assert count >= 11
    assert lines[0] == f"**Measurement & performance** ({count} terms)"
    assert "- **Churn**" not in reply.text  # churn is in marketing
    assert any(line.startswith("- **Bounce rate** — ") for line in lines)
    assert sum(line.startswith("- **") for line in lines) == count

    fr = glossary.reply("Mesure et performance", "fr")
    assert fr.text.startswith(f"**Mesure & performance** ({count} termes)")


def test_term_query_gives_a_card_and_readable_text_in_french(glossary: Glossary) -> None:
    reply = glossary.reply("ia symbiotiqe", "fr")
    card = reply.glossary
    assert reply.kind == "glossary" and reply.lang == "fr" and card is not None
    assert card.id == "symbiotic-ai" and card.term == "IA symbiotique"
    assert card.category == "IA & données"
    assert card.related[:2] == ["Human-in-the-loop", "Intelligence hybride"]
    assert reply.text.startswith("**IA symbiotique** · _IA & données_")
    for part in ("**Décryptage**", "**Questions fréquentes**", "**Pour aller plus loin**",
                 card.definition, card.in_practice, card.faq[0]["q"]):
        assert part in reply.text
    # The other language is offered, as text and as a button.
    assert "Symbiotic AI" in reply.text and "`glossaire IA symbiotique en`" in reply.text
    assert reply.quick_replies[0].value == "glossaire IA symbiotique en"
    assert reply.quick_replies[1].value == "glossaire Human-in-the-loop"


def test_term_query_in_english_and_other_language_switch(glossary: Glossary) -> None:
    en = glossary.reply("symbiotic ai", "en")
    assert en.lang == "en" and en.glossary is not None
    assert en.glossary.term == "Symbiotic AI"
    assert "**In practice**" in en.text and "**FAQ**" in en.text
    assert "In French: IA symbiotique" in en.text

    switched = glossary.reply("IA symbiotique en", "fr")  # a French user asks for English
    assert switched.lang == "en" and switched.glossary is not None
    assert switched.glossary.definition == en.glossary.definition

    back = glossary.reply("Symbiotic AI fr", "en")
    assert (
        back.lang == "fr" and back.glossary is not None and back.glossary.term == "IA symbiotique"
    )


def test_not_found_says_so_with_suggestions(glossary: Glossary) -> None:
    reply = glossary.reply("learning", "fr")
    assert reply.glossary is None
    assert reply.suggestions == ["Deep learning", "Machine learning"]
    assert reply.text.startswith(f"Je n’ai pas trouvé «{NBSP}learning{NBSP}» dans le glossaire.")
    assert "Deep learning, Machine learning" in reply.text
    assert [q.value for q in reply.quick_replies] == [
        "glossaire Deep learning",
        "glossaire Machine learning",
    ]

    none = glossary.reply("qwxzv", "en")
    assert none.suggestions == [] and none.glossary is None
    assert "couldn't find “qwxzv”" in none.text and "`glossary`" in none.text


def test_json_contract_of_design_md(glossary: Glossary) -> None:
    data = glossary.reply("A/B test", "en").to_json_dict()
    line = json.dumps(data, ensure_ascii=False)
    assert "\n" not in line
    assert data["kind"] == "glossary" and data["lang"] == "en"
    assert data["glossary"]["term"] == "A/B test"
    assert data["glossary"]["definition"].startswith("An experiment")
    assert "Conversion rate" in data["glossary"]["related"]

    missing = glossary.reply("learning", "en").to_json_dict()
    assert "glossary" not in missing and missing["suggestions"] == [
        "Deep learning",
        "Machine learning",
    ]


def test_french_typography_is_applied_outside_code(glossary: Glossary) -> None:
    assert typeset("Vraiment ? Oui : « ça » ; non !", "fr") == (
        f"Vraiment{NNBSP}? Oui{NBSP}: «{NBSP}ça{NBSP}»{NNBSP}; non{NNBSP}!"
    )
    assert typeset("tapez `a : b ?` ou [lien](https://x.fr/?q=1)", "fr") == (
        "tapez `a : b ?` ou [lien](https://x.fr/?q=1)"
    )
    assert typeset("Really? Yes: no!", "en") == "Really? Yes: no!"
    card = glossary.reply("RGPD", "fr").glossary
    assert card is not None and f"{NNBSP}?" in card.faq[0]["q"]


def test_card_lookup_by_id_or_term(glossary: Glossary) -> None:
    by_id = glossary.card("ab-test", "fr")
    assert by_id is not None and by_id.term == "Test A/B"
    assert glossary.card("Test A/B", "en").id == "ab-test"  # type: ignore[union-attr]
    assert glossary.card("nothing like it", "en") is None
    assert glossary.card("learning", "en") is None  # ambiguous: no card


def test_knows_tells_found_from_not_found(glossary: Glossary) -> None:
    assert glossary.knows("") and glossary.knows("en")
    assert glossary.knows("marketing") and glossary.knows("ia symbiotiqe fr")
    assert not glossary.knows("learning") and not glossary.knows("qwxzv")
