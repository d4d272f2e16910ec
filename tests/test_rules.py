"""Regulated topics: real checks per market, forbidden claims caught, harmless hooks left alone."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.brief.sectors import GENERAL, MARKET_TOPIC, MARKETS, SectorBook, load_sectors

TOPICS = {
    "medicines", "medical_devices", "food_health_claims", "food_supplements", "alcohol",
    "tobacco_vaping", "gambling", "finance_credit", "investment_crypto", "insurance", "children",
    "cosmetics", "charities", "employment", "environmental_claims", "comparative_advertising",
    "price_reductions", "endorsement", "personal_data", GENERAL,
}
HOOKS = yaml.safe_load((Path(__file__).parent / "sectors_data" / "hooks.yaml").read_text("utf-8"))


@pytest.fixture(scope="module")
def book() -> SectorBook:
    return load_sectors()


def _texts(checks: list) -> set[str]:
    return {c.text for c in checks}


# ---- checks per market ----

def test_the_required_topics_exist(book: SectorBook) -> None:
    assert TOPICS <= set(book.topic_ids())


@pytest.mark.parametrize("market", [*MARKETS, "all"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_topic_has_sourced_checks_for_every_market(book: SectorBook, market: str,
                                                        lang: str) -> None:
    for topic in book.topic_ids():
        checks = book.topic_checks(topic, market, lang)
        assert checks, f"{topic}: no {market} check"
        assert all(c.text and c.source and c.priority in (1, 2, 3) for c in checks)
        assert all(c.topic == topic for c in checks)


def test_checks_read_in_both_languages_with_the_same_sources(book: SectorBook) -> None:
    for topic in book.topic_ids():
        for market in MARKETS:
            fr = book.topic_checks(topic, market, "fr")
            en = book.topic_checks(topic, market, "en")
            assert [c.source for c in fr] == [c.source for c in en]
            assert [c.text for c in fr] != [c.text for c in en]


def test_a_topic_gets_its_market_rules_in_both_languages(book: SectorBook) -> None:
    fr = book.checks(["alcohol"], "fr", "fr")
    assert any("L3323-4" in c.source for c in fr)
    assert any("L'abus d'alcool est dangereux pour la santé" in c.text for c in fr)
    en = book.checks(["alcohol"], "uk", "en")
    assert any("CAP Code, section 18" in c.source for c in en)
    assert not any("Évin" in c.source or "L3323" in c.source for c in en)
    us = book.checks(["alcohol"], "us", "en")
    assert any("27 CFR" in c.source for c in us)


# The brief each case is read with: a rule for one kind of product needs it named.
BRIEFS = {
    ("credit_loans", "fr"): "Prêt personnel à 4,9 % TAEG pour financer vos projets",
    ("credit_loans", "us"): "Personal loans from $5,000 over 36 monthly payments",
}


@pytest.mark.parametrize(("sectors", "market", "needle", "source"), [
    (["credit_loans"], "fr", "Un crédit vous engage et doit être remboursé. Vérifiez vos capacités "
     "de remboursement avant de vous engager.", "L312-5"),
    (["otc_medicines"], "fr", "ANSM", "L5122-8"),
    (["gaming_gambling"], "fr", "ANJ", "2010-476"),
    (["gaming_gambling"], "uk", "under-18s", "CAP Code, section 16"),
    (["investment_crypto"], "uk", "Don't invest unless you're prepared to lose all the money",
     "COBS 4.12A"),
    (["food_supplements"], "us", "This statement has not been evaluated by the Food and Drug "
     "Administration", "101.93"),
    (["recruitment"], "uk", "protected characteristic", "Equality Act 2010"),
    (["recruitment"], "us", "national origin", "Title VII"),
    (["beauty_cosmetics"], "eu", "", "655/2013"),
    (["toys_children"], "us", "parental consent", "COPPA"),
    (["credit_loans"], "us", "trigger term", "Regulation Z"),
])
def test_real_rules_with_their_source(book: SectorBook, sectors: list[str], market: str,
                                      needle: str, source: str) -> None:
    lang = "fr" if market == "fr" else "en"
    checks = book.checks(sectors, market, lang, BRIEFS.get((sectors[0], market), ""))
    assert any(needle in c.text and source in c.source for c in checks), checks


def test_checks_are_ordered_most_important_first_and_general_last(book: SectorBook) -> None:
    checks = book.checks(["otc_medicines"], "fr", "fr", "Black Friday -30 %")
    specific = [c for c in checks if c.topic != GENERAL]
    assert [c.priority for c in specific] == sorted(c.priority for c in specific)
    assert checks[0].topic == "medicines" and checks[0].priority == 1
    assert checks[-1].topic == GENERAL
    assert len(_texts(checks)) == len(checks)  # no check twice


def test_unknown_market_gives_common_checks_and_a_note_to_confirm_it(book: SectorBook) -> None:
    checks = book.checks(["alcohol"], "", "en")
    assert checks[0].topic == MARKET_TOPIC and "Market to name" in checks[0].text
    assert not _texts(checks) & (_texts(book.checks(["alcohol"], "fr", "en"))
                                 - _texts(book.checks(["alcohol"], "", "en")))
    assert not any("L3323" in c.source or "CAP Code" in c.source for c in checks)
    assert any(c.topic == "alcohol" for c in checks)
    fr = book.checks(["alcohol"], "", "fr")
    assert fr[0].topic == MARKET_TOPIC and "Marché à préciser" in fr[0].text
    assert "alcool" in fr[0].text  # the rule family to confirm, named


def test_a_brief_outside_every_sector_still_gets_sensible_checks(book: SectorBook) -> None:
    for market in MARKETS:
        checks = book.checks([], market, "en")
        assert checks and all(c.topic == GENERAL for c in checks)
        assert any("misleading" in c.text or "deceptive" in c.text for c in checks)
        claimed = book.checks([], market, "en", "The best bottle, free delivery")
        assert any("provable" in c.text for c in claimed)
    assert book.checks(["unheard_of"], "uk", "en") == book.checks([], "uk", "en")


# ---- the old bugs ----

LEEDS = "A Leeds bakery: sourdough and croissants, we want more Saturday footfall"


def test_a_uk_bakery_gets_no_french_rule(book: SectorBook) -> None:
    sectors = book.detect(LEEDS)
    market = book.market_of(LEEDS)
    assert (sectors, market) == (("bakery_restaurants",), "uk")
    uk = book.checks(sectors, market, "en", LEEDS)
    french_only = _texts(book.checks(sectors, "fr", "en", LEEDS)) - _texts(
        book.checks(sectors, "", "en", LEEDS))
    assert french_only and not _texts(uk) & french_only
    joined = " ".join(c.text + " " + c.source for c in uk)
    for french in ("mangerbouger", "Code de la santé publique", "Code de la consommation",
                   "Toubon", "loi n°"):
        assert french not in joined
    assert "HFSS" in joined  # croissants: a "less healthy" product
    assert "NHC register" not in joined  # no nutrition claim made
    claimed = book.checks(sectors, market, "en", LEEDS + ", high in fibre")
    assert any("Great Britain NHC register" in c.text for c in claimed)


@pytest.mark.parametrize("brief", [
    "Appel aux dons de fin d'année pour la banque alimentaire de Lille : 10 € = 20 repas",
    "Donate to our food bank this winter: £10 buys 15 meals",
    "Pastilles pour la gorge au miel, lancement en pharmacie cet hiver",
])
def test_a_charity_or_a_lozenge_gets_no_food_labelling_rule(book: SectorBook, brief: str) -> None:
    sectors = book.detect(brief)
    market = book.market_of(brief) or "fr"
    topics = book.topics(sectors, brief)
    assert "food_health_claims" not in topics
    joined = " ".join(c.text for c in book.checks(sectors, market, "en", brief)).lower()
    assert "allergen" not in joined and "nutrition" not in joined and "mangerbouger" not in joined


# ---- topics from the text ----

@pytest.mark.parametrize(("text", "topic"), [
    ("Black Friday : -30 % sur toute la collection", "price_reductions"),
    ("30% off everything this weekend", "price_reductions"),
    ("Une marque neutre en carbone", "environmental_claims"),
    ("Our carbon neutral delivery", "environmental_claims"),
    ("Campagne avec trois influenceuses lifestyle", "endorsement"),
    ("An influencer partnership on TikTok", "endorsement"),
    ("Plus rapide que la concurrence, moins cher que X", "comparative_advertising"),
    ("Jeu concours pour recruter des abonnés à la newsletter", "personal_data"),
    ("Livret à 4 % brut par an", "finance_credit"),
    ("Pour les 6-10 ans", "children"),
    ("Nous recrutons 40 caristes en CDI", "employment"),
])
def test_words_of_the_text_turn_a_topic_on(book: SectorBook, text: str, topic: str) -> None:
    assert topic in book.topics([], text)


@pytest.mark.parametrize(("text", "topic"), [
    ("Marque de mode durable, pas de Black Friday", "price_reductions"),
    ("We never run promo codes", "price_reductions"),
    ("Sans influenceurs, uniquement nos clients", "endorsement"),
    ("No influencer, just our customers", "endorsement"),
    ("Réduction d'impôt de 66 % pour chaque don", "price_reductions"),
    ("Our Leeds bakery sells sourdough", "food_supplements"),
])
def test_a_negated_or_unrelated_word_does_not(book: SectorBook, text: str, topic: str) -> None:
    assert topic not in book.topics(book.detect(text), text)


def test_sector_topics_come_first_and_general_last(book: SectorBook) -> None:
    topics = book.topics(["otc_medicines"], "-20 % en pharmacie")
    assert topics[0] == "medicines" and topics[-1] == GENERAL and "price_reductions" in topics


# ---- forbidden claims ----

FORBIDDEN = [
    # (text, sectors, market, lang, topic)
    ("Ce sirop guérit la toux en une nuit", ["otc_medicines"], "fr", "fr", "medicines"),
    ("Our lozenge cures a sore throat", ["otc_medicines"], "uk", "en", "medicines"),
    ("Un médicament sans danger pour toute la famille", ["otc_medicines"], "fr", "fr", "medicines"),
    ("100 % naturel et sans risque", ["otc_medicines"], "fr", "fr", "medicines"),
    ("Aucun effet secondaire, promis", ["otc_medicines"], "fr", "fr", "medicines"),
    ("Recommandé par les pharmaciens", ["otc_medicines"], "fr", "fr", "medicines"),
    ("Au bout d'une semaine, vous ne pourrez plus vous en passer", ["otc_medicines"], "fr", "fr",
     "medicines"),
    ("No side effects, just relief", ["otc_medicines"], "us", "en", "medicines"),
    ("Gagnez à coup sûr sur la finale", ["gaming_gambling"], "fr", "fr", "gambling"),
    ("A risk-free bet on the final", ["gaming_gambling"], "uk", "en", "gambling"),
    ("Remboursez vos dettes grâce au poker", ["gaming_gambling"], "fr", "fr", "gambling"),
    ("Nos livraisons sont neutres en carbone", ["retail_ecommerce"], "fr", "fr",
     "environmental_claims"),
    ("Une marque neutre en carbone", [], "fr", "fr", "environmental_claims"),
    ("The first carbon neutral trainer", ["fashion"], "uk", "en", "environmental_claims"),
    ("Un t-shirt 100 % écologique", ["fashion"], "fr", "fr", "environmental_claims"),
    ("Eco-friendly packaging for every order", ["food_products"], "eu", "en",
     "environmental_claims"),
    ("Meilleur taux garanti sur votre prêt immobilier", ["credit_loans"], "fr", "fr",
     "finance_credit"),
    ("Crédit sans justificatif, réponse immédiate", ["credit_loans"], "fr", "fr", "finance_credit"),
    ("Guaranteed approval, no credit check", ["credit_loans"], "uk", "en", "finance_credit"),
    ("L'alcool rend plus sexy", ["alcohol"], "fr", "fr", "alcohol"),
    ("Une bière à consommer sans modération", ["alcohol"], "fr", "fr", "alcohol"),
    ("This gin makes you irresistible", ["alcohol"], "uk", "en", "alcohol"),
    ("Rendement garanti de 12 % par an", ["investment_crypto"], "fr", "fr", "investment_crypto"),
    ("Double your money with bitcoin", ["investment_crypto"], "uk", "en", "investment_crypto"),
    ("Demande à tes parents de te l'offrir", ["toys_children"], "fr", "fr", "children"),
    ("Ask your mum for one this Christmas", ["toys_children"], "uk", "en", "children"),
    ("Guérit l'acné en 7 jours", ["beauty_cosmetics"], "fr", "fr", "cosmetics"),
    ("Une crème sans produits chimiques", ["beauty_cosmetics"], "fr", "fr", "cosmetics"),
    ("Regrows hair in 30 days", ["beauty_cosmetics"], "us", "en", "cosmetics"),
    ("Jeune et dynamique, moins de 30 ans", ["recruitment"], "fr", "fr", "employment"),
    ("Young and energetic digital natives wanted", ["recruitment"], "uk", "en", "employment"),
    ("Perfect for under 25s starting out", ["recruitment"], "uk", "en", "employment"),
    ("Un don entièrement déductible", ["charities"], "fr", "fr", "charities"),
    ("Prévient le rhume tout l'hiver", ["food_supplements"], "fr", "fr", "food_supplements"),
    ("A miracle formula for your joints", ["food_supplements"], "uk", "en", "food_supplements"),
    ("Perdez 5 kg avant l'été", ["food_products"], "fr", "fr", "food_health_claims"),
    ("Totally harmless, unlike cigarettes", ["tobacco_vaping"], "uk", "en", "tobacco_vaping"),
    ("Tout est couvert, même l'imprévu", ["insurance"], "fr", "fr", "insurance"),
    ("Protection à 100 % contre les rançongiciels", ["cybersecurity"], "fr", "fr", GENERAL),
    ("Unhackable by design", ["cybersecurity"], "uk", "en", GENERAL),
    ("Avec nous, gain de cause assuré aux prud'hommes", ["professional_services"], "fr", "fr",
     "regulated_professions"),
    ("Guaranteed outcome or your money back", ["professional_services"], "uk", "en",
     "regulated_professions"),
    ("Les autres marques vous arnaquent", ["telecom"], "fr", "fr", "comparative_advertising"),
]


@pytest.mark.parametrize(("text", "sectors", "market", "lang", "topic"), FORBIDDEN)
def test_forbidden_claims_are_caught(book: SectorBook, text: str, sectors: list[str],
                                     market: str, lang: str, topic: str) -> None:
    found = book.violations(text, sectors, market, lang)
    assert any(v.topic == topic for v in found), found
    hit = next(v for v in found if v.topic == topic)
    assert hit.reason and hit.matched and hit.matched.casefold() in text.casefold()


def test_the_matched_words_are_given_as_written(book: SectorBook) -> None:
    [hit] = [v for v in book.violations("Notre sirop GUÉRIT la toux", ["otc_medicines"], "fr", "fr")
             if v.topic == "medicines"]
    assert hit.matched == "GUÉRIT"
    assert "guérison" in hit.reason


def test_a_market_limited_rule_stays_in_its_markets(book: SectorBook) -> None:
    text = "Your gift is fully tax-deductible"
    assert book.violations(text, ["charities"], "uk", "en")
    assert not book.violations(text, ["charities"], "us", "en")


@pytest.mark.parametrize("hook", HOOKS, ids=[h["text"][:30] for h in HOOKS])
def test_no_false_positive_on_harmless_hooks(book: SectorBook, hook: dict) -> None:
    found = book.violations(hook["text"], hook["sectors"], hook["market"], hook["lang"])
    assert found == [], found


def test_there_are_at_least_thirty_harmless_hooks() -> None:
    assert len(HOOKS) >= 30
