"""Finding entries: normalisation, typos, suggestions, type-ahead and mentions."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest

from bot.glossary import Glossary, split_lang
from bot.glossary.normalise import fold, key


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IA symbiotique", "ia symbiotique"),
        ("Symbiotic-AI", "ai symbiotic"),
        ("symbiotic AI", "ai symbiotic"),
        ("l’IA symbiotique ?", "ia symbiotique"),
        ("c'est quoi le ROI ?", "roi"),
        ("What is an LLM?", "llm"),
        ("KPIs", "kpi"),
        ("Plateformes de marque", "marque plateforme"),
        ("Test A/B", "b test"),
        ("Œuvre", "oeuvre"),
    ],
)
def test_key_folds_case_accents_punctuation_plurals_and_order(text: str, expected: str) -> None:
    assert key(text) == expected


def test_fold_keeps_letters_and_digits_only() -> None:
    assert fold("  L’IA « générative » — 2024 ! ") == "l ia generative 2024"


@pytest.mark.parametrize(
    "query",
    ["IA symbiotique", "symbiotic ai", "ia symbiotiqe", "Symbiotic-AI", "SYMBIOTIC AI!",
     "symbiotique IA", "l'IA symbiotique", "qu'est-ce que l'IA symbiotique ?", "symbiotic-ai",
     "human-AI symbiosis", "IA symbiotic"],
)
def test_symbiotic_ai_is_found_however_it_is_typed(glossary: Glossary, query: str) -> None:
    card = glossary.card(query, "fr")
    assert card is not None and card.id == "symbiotic-ai"


@pytest.mark.parametrize(
    ("query", "entry_id"),
    [
        ("hallucinaton", "hallucination"),       # one letter missing
        ("insigth", "insight"),                  # transposition
        ("retargetting", "retargeting"),
        ("prompt enginering", "prompt-engineering"),
        ("deep leaning", "deep-learning"),
        ("brand safty", "brand-safety"),
        ("personas", "persona"),                 # plural
        ("KPIs", "kpi"),
        ("cookies", "cookie"),
        ("learning machine", "machine-learning"),  # word order
        ("opensource", "open-source"),           # glued
        ("bigdata", "big-data"),
        ("taux de clic", "click-through-rate"),
        ("tunnels de vente", "funnel"),
        ("algorythme", "algorithm"),             # listed misspelling
    ],
)
def test_typos_plurals_and_word_order(glossary: Glossary, query: str, entry_id: str) -> None:
    card = glossary.card(query, "en")
    assert card is not None and card.id == entry_id


@pytest.mark.parametrize(
    "query",
    # Short words are matched exactly only: "seo" is not "sea", "kpy" not "kpi".
    ["kpy", "seu", "uz", "crn", "lead generation software", "zzzz", "marketing digital",
     "symbiotique", "learning", "automation", "taux"],
)
def test_weak_matches_are_never_presented_as_the_entry(glossary: Glossary, query: str) -> None:
    reply = glossary.reply(query, "en")
    assert reply.glossary is None


def test_suggestions_when_nothing_matches(glossary: Glossary) -> None:
    assert glossary.reply("learning", "en").suggestions == ["Deep learning", "Machine learning"]
    assert glossary.reply("automation", "en").suggestions == ["Marketing automation"]
    assert glossary.reply("symbiotique", "fr").suggestions == ["IA symbiotique"]
    assert glossary.reply("kpy", "en").suggestions == ["KPI (key performance indicator)"]
    taux = glossary.reply("taux", "fr").suggestions
    assert 0 < len(taux) <= 5 and all(s.startswith("Taux") or s == "Churn" for s in taux), taux
    assert glossary.reply("qwxzv plorb", "en").suggestions == []


def test_a_tie_between_two_entries_is_not_a_match(tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    org.write_text("""
entries:
  - {category: marketing, term: {en: "Growth loop"}, definition: {en: "A loop."}}
  - {category: marketing, term: {en: "Growth loom"}, definition: {en: "A loom."}}
""", encoding="utf-8")
    g = Glossary.load([org])
    assert g.card("growth lopp", "en").id == "growth-loop"  # type: ignore[union-attr]
    reply = g.reply("growth loon", "en")  # one edit from both
    assert reply.glossary is None
    assert set(reply.suggestions[:2]) == {"Growth loop", "Growth loom"}


def test_categories_by_id_or_label_in_either_language(glossary: Glossary) -> None:
    for query in (
        "marketing",
        "ai-data",
        "IA & données",
        "ia et donnees",
        "AI & data",
        "comunication",
    ):
        reply = glossary.reply(query, "fr")
        assert reply.glossary is None and reply.suggestions == [], query
        assert reply.text.startswith("**"), query


def test_search_ranks_exact_then_prefix_then_fuzzy(glossary: Glossary) -> None:
    assert [c.id for c in glossary.search("sym", "en", 3)] == ["symbiotic-ai"]
    results = [c.id for c in glossary.search("customer j", "en", 5)]
    assert results[0] == "customer-journey"
    assert glossary.search("seo", "fr", 5)[0].term == "SEO (référencement naturel)"
    learning = {c.id for c in glossary.search("learning", "en", 5)}
    assert {"machine-learning", "deep-learning"} <= learning
    assert len(glossary.search("", "en", 7)) == 7
    assert glossary.search("qwxzv", "en") == []
    # Canonical terms rank before aliases that share the prefix.
    # ("customer churn", an alias of churn, is shorter than two of them).
    assert [c.id for c in glossary.search("cust", "en", 3)] == [
        "customer-journey", "customer-lifetime-value", "customer-acquisition-cost"]


def test_search_returns_cards_in_the_requested_language(glossary: Glossary) -> None:
    fr = glossary.search("feedback loop", "fr", 1)[0]
    en = glossary.search("boucle de retroaction", "en", 1)[0]
    assert fr.id == en.id == "feedback-loop"
    assert fr.term == "Boucle de rétroaction" and en.term == "Feedback loop"


def test_mentions_find_terms_in_a_text(glossary: Glossary) -> None:
    text = ("Angle 2 : misez sur le storytelling et sur l’UGC de vos clients, puis "
            "mesurez le taux de conversion de la landing page. Gardez un œil sur les KPIs.")
    ids = [c.id for c in glossary.mentions(text, "fr", limit=10)]
    assert ids == ["storytelling", "ugc", "conversion-rate", "landing-page", "kpi"]
    assert [c.id for c in glossary.mentions(text, "fr")] == ["storytelling"]


def test_mentions_skip_short_lowercase_and_everyday_words(glossary: Glossary) -> None:
    text = "Lead with the brief, test the prompt on your target, its audience, ia, ux, seo."
    assert glossary.mentions(text, "en", limit=5) == []
    # Acronyms count when written as acronyms.
    assert [c.id for c in glossary.mentions("Boost SEO and CRM data.", "en", limit=5)] == [
        "seo",
        "crm",
    ]
    # Word boundaries: "seos" inside another word does not count.
    assert glossary.mentions("The Seoul office.", "en", limit=5) == []


def test_mentions_are_accent_insensitive_and_prefer_the_longest_name(glossary: Glossary) -> None:
    ids = [
        c.id
        for c in glossary.mentions(
            "Notre plateforme de marque et notre marketing automation.", "fr", limit=5
        )
    ]
    assert ids == ["brand-platform", "marketing-automation"]
    assert [c.id for c in glossary.mentions("boucle de retroaction", "fr")] == ["feedback-loop"]


def test_mentions_take_well_under_a_millisecond_on_1000_chars(glossary: Glossary) -> None:
    text = (
        "Une proposition sans jargon particulier, pour mesurer le cas où rien ne correspond. " * 13
    )[:1000]
    timings = []
    for _ in range(300):
        start = time.perf_counter()
        glossary.mentions(text, "fr")
        timings.append(time.perf_counter() - start)
    assert statistics.median(timings) < 0.001


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("symbiotic ai en", ("symbiotic ai", "en")),
        ("IA symbiotique --en", ("IA symbiotique", "en")),
        ("persona -fr", ("persona", "fr")),
        ("churn en anglais", ("churn", "en")),
        ("churn in French", ("churn", "fr")),
        ("funnel in english", ("funnel", "en")),
        ("--en", ("", "en")),
        ("marketing automation", ("marketing automation", None)),
        ("transformation digitale", ("transformation digitale", None)),
    ],
)
def test_split_lang(query: str, expected: tuple[str, str | None]) -> None:
    assert split_lang(query) == expected
