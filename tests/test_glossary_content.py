"""The built-in glossary content: size, required terms, completeness, links."""

from __future__ import annotations

import pytest

from bot.glossary import Glossary
from bot.glossary.loader import BUILTIN_DIR, load

# Every term the glossary issue lists, as a user might type it -> the entry id.
REQUIRED = {
    "IA symbiotique": "symbiotic-ai",
    "marketing automation": "marketing-automation",
    "machine learning": "machine-learning",
    "deep learning": "deep-learning",
    "IA générative": "generative-ai",
    "prompt": "prompt",
    "prompt engineering": "prompt-engineering",
    "hallucination": "hallucination",
    "big data": "big-data",
    "insight": "insight",
    "expérience utilisateur": "ux",
    "UX": "ux",
    "personnalisation dynamique": "dynamic-personalisation",
    "plateforme de marque": "brand-platform",
    "agent conversationnel": "conversational-agent",
    "système prédictif": "predictive-system",
    "human-in-the-loop": "human-in-the-loop",
    "LLM": "llm",
    "open source": "open-source",
    "biais algorithmique": "algorithmic-bias",
    "espace latent": "latent-space",
    "boucle de rétroaction": "feedback-loop",
    "feedback loop": "feedback-loop",
    "sparring partner": "sparring-partner",
    "intelligence hybride": "hybrid-intelligence",
    "règles métier": "business-rules",
    "transformation digitale": "digital-transformation",
    "boîte noire": "black-box",
    "persona": "persona",
    "parcours client": "customer-journey",
    "funnel": "funnel",
    "SEO": "seo",
    "SEA": "sea",
    "inbound": "inbound-marketing",
    "brand content": "brand-content",
    "storytelling": "storytelling",
    "tone of voice": "tone-of-voice",
    "positionnement": "positioning",
    "KPI": "kpi",
    "ROI": "roi",
    "A/B test": "ab-test",
    "CRM": "crm",
    "lead nurturing": "lead-nurturing",
    "taux de conversion": "conversion-rate",
    "UGC": "ugc",
    "marketing d'influence": "influencer-marketing",
    "social listening": "social-listening",
    "RGPD": "gdpr",
    "GDPR": "gdpr",
    "first-party data": "first-party-data",
    "retargeting": "retargeting",
    "omnicanal": "omnichannel",
    "call to action": "call-to-action",
    "landing page": "landing-page",
    "newsjacking": "newsjacking",
    "copywriting": "copywriting",
    "AIDA": "aida",
    "brief créatif": "creative-brief",
    "NPS": "nps",
    "churn": "churn",
    "customer lifetime value": "customer-lifetime-value",
    "segmentation": "segmentation",
    "programmatique": "programmatic",
    "brand safety": "brand-safety",
}


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load()


def test_has_at_least_80_entries_and_loads_cleanly(glossary: Glossary) -> None:
    assert len(glossary) >= 80
    assert glossary.errors == []


@pytest.mark.parametrize(("query", "entry_id"), sorted(REQUIRED.items()))
def test_every_required_term_is_found(glossary: Glossary, query: str, entry_id: str) -> None:
    card = glossary.card(query, "fr")
    assert card is not None, query
    assert card.id == entry_id


def test_every_entry_is_complete_in_both_languages() -> None:
    entries = load().entries
    for entry in entries.values():
        for lang in ("fr", "en"):
            where = f"{entry.id} ({lang})"
            assert entry.term[lang] and entry.definition[lang], where
            assert len(entry.in_practice[lang]) > 80, where
            assert entry.faq and all(q[lang].endswith("?") and a[lang] for q, a in entry.faq), where
        assert entry.related, entry.id
        # Built-in texts differ per language: a missing translation would be a copy.
        assert entry.definition["fr"] != entry.definition["en"], entry.id


def test_every_related_term_resolves_to_another_entry() -> None:
    entries = load().entries
    for entry in entries.values():
        for target in entry.related:
            assert target in entries and target != entry.id, (entry.id, target)


def test_raw_related_names_all_resolve() -> None:
    # The loader drops unresolved links with an error; built-in errors raise,
    # so loading from the built-in folder alone proves every link resolved.
    assert load(builtin_dir=BUILTIN_DIR).errors == []


def test_symbiotic_ai_has_the_full_faq(glossary: Glossary) -> None:
    card = glossary.card("symbiotic-ai", "en")
    assert card is not None
    questions = " ".join(pair["q"].lower() for pair in card.faq)
    for topic in ("automation", "replace", "start", "risk", "large companies"):
        assert topic in questions, topic
    assert len(card.faq) >= 5
    fr = glossary.card("symbiotic-ai", "fr")
    assert fr is not None and "automatisation" in fr.faq[0]["q"]


def test_french_texts_use_accents(glossary: Glossary) -> None:
    card = glossary.card("feedback-loop", "fr")
    assert card is not None
    assert card.term == "Boucle de rétroaction"
    assert "é" in card.definition or "è" in card.definition or "à" in card.definition


def test_categories_have_labels_in_both_languages(glossary: Glossary) -> None:
    fr = {c.id: c for c in glossary.categories("fr")}
    en = {c.id: c for c in glossary.categories("en")}
    assert set(fr) == set(en) >= {"ai-data", "marketing", "communication", "digital"}
    assert fr["ai-data"].label == "IA & données" and en["ai-data"].label == "AI & data"
    assert sum(c.count for c in fr.values()) == len(glossary)
