"""The checks of an answer fit the brief: its sector's rules for its market, its figures, claims.

Per sector and market the wrong rules never appear (a mortgage gets no consumer-credit
warning, an e-bike no car rule, a dentist no solicitor rule, a UK bakery no French rule),
across many seeds of the real offline generator; what applies to every angle is said
once and each angle keeps at most three of its own.
"""

from __future__ import annotations

import pytest

from bot.brief.brand import BrandContext
from bot.brief.reader import read_brief
from bot.brief.sectors import MARKET_TOPIC, SectorBook, load_sectors
from bot.ideas.answer_checks import MAX_PER_ANGLE, factor_checks
from bot.ideas.brief_checks import BriefCheckBook, default_brief_checks
from bot.ideas.catalogue import Catalogue
from bot.ideas.generators.base import AngleRequest
from bot.ideas.generators.offline import OfflineGenerator


@pytest.fixture(scope="module")
def book() -> SectorBook:
    return load_sectors()


@pytest.fixture(scope="module")
def gen() -> OfflineGenerator:
    return OfflineGenerator(Catalogue.load())


def _all(checks: list) -> str:
    return " | ".join(f"{c.text} [{c.source}]" for c in checks)


# (brief, lang, must appear, must never appear): text or source fragments.
CASES = [
    pytest.param(
        "Crédit immobilier Banque Lumière : taux fixe à 3,2 % sur 20 ans pour les primo-accédants "
        "à Lyon", "fr", ["L313-3", "délai de réflexion de dix jours"],
        ["Un crédit vous engage", "L312-5", "L312-6", "Épargne", "unités de compte", "IPID"],
        id="fr-mortgage"),
    pytest.param(
        "Prêt personnel Banque Lumière à 4,9 % TAEG pour financer vos travaux, en France", "fr",
        ["Un crédit vous engage", "L312-5"], ["L313-3", "Épargne"], id="fr-consumer-credit"),
    pytest.param(
        "Livret Banque Lumière à 4 % brut pendant 3 mois pour les nouveaux clients, en France",
        "fr", ["Épargne", "4 % brut pendant 3 mois"], ["Un crédit vous engage", "L313"],
        id="fr-savings"),
    pytest.param(
        "Harbour Lane, a whole-of-market mortgage broker in Manchester for first-time buyers", "en",
        ["Your home may be repossessed", "whole-of-market"], ["CONC 3.5", "BCOBS", "AER"],
        id="uk-mortgage"),
    pytest.param(
        "Home loans for first-time buyers in Texas, 6.1% APR fixed for 30 years", "en",
        ["Equal Housing Lender", "Regulation Z"], ["APY", "Member FDIC"], id="us-mortgage"),
    pytest.param(
        "Voltra e-bike: launch our new electric bike for commuters in Manchester, 80 km range",
        "en", ["EAPC", "15.5 mph"],
        ["WLTP", "CO2", "fuel", "Passenger Car", "BCAP Code, section 21"],
        id="uk-ebike"),
    pytest.param(
        "Lancement de notre vélo électrique Voltra pour les trajets domicile-travail à Lyon", "fr",
        ["25 km/h", "168/2013"], ["covoiturer", "WLTP", "CO2", "décret n° 2021-1841"],
        id="fr-ebike"),
    pytest.param(
        "New electric e-bike for commuters in Chicago, class 1 pedal assist", "en",
        ["15 U.S.C. 2085"], ["EPA", "16 CFR Part 259", "Regulation M"], id="us-ebike"),
    pytest.param(
        "Nouvelle citadine électrique : essai routier en concession à Lyon", "fr",
        ["covoiturer", "CO2"], ["25 km/h"], id="fr-car"),
    pytest.param(
        "Smile Studio, a dental practice in Bristol: teeth whitening and check-ups for parents",
        "en", ["GDC"], ["Solicitors:", "SRA", "law firm"], id="uk-dentist"),
    pytest.param(
        "Cabinet dentaire à Nantes : implants et blanchiment, prise de rendez-vous en ligne", "fr",
        ["R4127-201"], ["Avocats", "Décret n° 2005-790"], id="fr-dentist"),
    pytest.param(
        "Family law solicitors in Leeds: fixed-fee divorce advice", "en",
        ["SRA"], ["GDC", "GMC", "Health professions"], id="uk-solicitor"),
    pytest.param(
        "Insurance for US freelancers: health and liability cover from $29/month, for designers",
        "en", ["state"], ["Medicare", "Defaqto", "FCA"], id="us-freelancer-insurance"),
    pytest.param(
        "Crumb & Co, a sourdough bakery in Leeds: our new seeded loaf, for local families", "en",
        [], ["mangerbouger", "Code de la santé publique", "Toubon", "NHC register"],
        id="uk-bakery"),
    pytest.param(
        "Food bank appeal for Christmas in Bristol: £10 feeds a family for a week", "en",
        ["Gift Aid", "£10"], ["Allergens", "nutrition", "HFSS", "children", "child"],
        id="uk-food-bank"),
    pytest.param(
        "Pastilles pour la gorge au miel et à l'eucalyptus, vendues en pharmacie en France", "fr",
        ["ANSM"], ["Allergènes", "allégations nutritionnelles", "mangerbouger"],
        id="fr-lozenges"),
    pytest.param(
        "Notre boutique de vêtements à Paris ferme le Black Friday : on ne fait pas de promo", "fr",
        [], ["réduction", "Prix de référence", "soldes"], id="fr-closed-black-friday"),
    pytest.param(
        "Novacoat, SaaS de maintenance prédictive pour les PME industrielles françaises", "fr",
        [], ["Photographie retouchée", "mannequin"], id="fr-b2b-saas"),
    pytest.param(
        "Maison Lecoq, cidrerie du Pays d'Auge : un cidre brut bio pour les cavistes en France",
        "fr", ["L3323-4", "« bio »"], ["mangerbouger", "perte de poids"], id="fr-cider"),
    pytest.param(
        "A board game for kids aged 6 to 10, launching for Christmas in the UK", "en",
        ["CAP Code, section 5"], ["Gift Aid", "HFSS"], id="uk-toy-children"),
]


@pytest.mark.parametrize(("brief", "lang", "present", "absent"), CASES)
def test_the_rules_of_the_brief_and_never_another_sectors(
        book: SectorBook, brief: str, lang: str, present: list[str], absent: list[str]) -> None:
    model = read_brief(brief, lang)
    checks = book.checks(model.sectors, model.market, lang, model.text)
    topics = book.topics(model.sectors, model.text)
    said = _all(checks) + " | " + " | ".join(default_brief_checks().checks(model, lang, topics))
    for needle in present:
        assert needle in said, (needle, said)
    for needle in absent:
        assert needle.casefold() not in said.casefold(), (needle, said)


@pytest.mark.parametrize(("brief", "lang", "present", "absent"), CASES)
async def test_no_wrong_rule_in_any_answer_across_seeds(
        gen: OfflineGenerator, brief: str, lang: str, present: list[str],
        absent: list[str]) -> None:
    model = read_brief(brief, lang)
    ids = Catalogue.load().ids()
    for seed in range(8):
        strategies = [ids[(seed * 5 + i) % len(ids)] for i in range(5)]
        angles = await gen.angles(AngleRequest(
            brief=brief, brand=BrandContext(), lang=lang, strategies=strategies, seed=seed,
            model=model))
        common = factor_checks(angles)
        everything = " | ".join([*common, *(c for a in angles for c in a.to_validate)])
        for needle in absent:
            assert needle.casefold() not in everything.casefold(), (seed, needle, everything)
        for a in angles:
            assert len(a.to_validate) <= MAX_PER_ANGLE
            assert not set(a.to_validate) & set(common)  # said once, not again per angle
        assert len(common) <= 6  # what the answer shows (ideation.MAX_COMMON)


def test_the_brief_figures_are_quoted_with_what_to_check() -> None:
    model = read_brief("Crédit immobilier : taux fixe à 3,2 % sur 20 ans pour les primo-accédants "
                       "à Lyon, objectif : 300 dossiers d'ici juin", "fr")
    checks = default_brief_checks().checks(model, "fr", ["finance_credit"])
    assert checks[0].startswith("« 3,2 % sur 20 ans » : dire quel taux")
    assert any("Chiffres internes du brief (300 dossiers)" in c for c in checks)


def test_goals_and_audience_figures_are_no_claims_to_prove() -> None:
    model = read_brief("Grainful, DTC protein bars in the US. Target: women 25-40 who work out "
                       "3 times a week. Goal: lift site conversion from 2.1% to 4% this quarter.",
                       "en")
    checks = default_brief_checks().checks(model, "en", [])
    assert checks == ["Internal figures of the brief (2.1%, 4%): goals or measures for internal "
                      "use, never shown as results in the copy"]


def test_a_claim_the_brief_rules_out_is_not_checked_as_made() -> None:
    book = default_brief_checks()
    made = read_brief("Our organic granola, free delivery in London", "en")
    ruled_out = read_brief("Granola in London: no 'free' claims, never say organic", "en")
    assert any("“organic”" in c for c in book.checks(made, "en", []))
    assert any("“free delivery”" in c for c in book.checks(made, "en", []))
    assert not book.checks(ruled_out, "en", [])


def test_an_unknown_market_names_the_rule_families_once(book: SectorBook) -> None:
    model = read_brief("Pastilles pour la gorge au miel, vendues en pharmacie", "fr")
    assert model.market == ""
    checks = book.checks(model.sectors, "", "fr", model.text)
    notes = [c for c in checks if c.topic == MARKET_TOPIC]
    assert len(notes) == 1 and checks[0] is notes[0]
    assert "médicaments" in notes[0].text
    bottle = book.checks((), "", "en", "We launch an insulated steel bottle for weekend hikers")
    assert [c.topic for c in bottle] == [MARKET_TOPIC]  # no boilerplate list
    assert "Market to name" in bottle[0].text


def test_scoped_checks_are_validated_at_load(tmp_path) -> None:
    from bot.brief.sectors import RULES_DIR, SECTORS_DIR, SectorError  # noqa: PLC0415
    rules = tmp_path / "rules"
    rules.mkdir()
    for path in RULES_DIR.glob("*.yaml"):
        (rules / path.name).write_text(path.read_text("utf-8"), "utf-8")
    broken = (rules / "finance_credit.yaml").read_text("utf-8").replace(
        "[credit immobilier, pret immobilier,", "[Crédit Immobilier, pret immobilier,", 1)
    (rules / "finance_credit.yaml").write_text(broken, "utf-8")
    with pytest.raises(SectorError, match="must be written folded"):
        SectorBook.load(SECTORS_DIR, rules)
    (rules / "finance_credit.yaml").write_text(
        (RULES_DIR / "finance_credit.yaml").read_text("utf-8"), "utf-8")
    food = (rules / "food_health_claims.yaml").read_text("utf-8").replace(
        "not_for: [charities,", "not_for: [chariddies,", 1)
    (rules / "food_health_claims.yaml").write_text(food, "utf-8")
    with pytest.raises(SectorError, match="not_for: unknown sectors"):
        SectorBook.load(SECTORS_DIR, rules)


def test_the_brief_checks_file_is_validated(tmp_path) -> None:
    from bot.ideas.brief_checks import BRIEF_CHECKS_FILE, BriefChecksError  # noqa: PLC0415
    text = BRIEF_CHECKS_FILE.read_text("utf-8").replace("“{figure}”: say which rate",
                                                        "“the rate”: say which rate", 1)
    path = tmp_path / "_brief_checks.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(BriefChecksError, match="needs {figure}"):
        BriefCheckBook.load(path)


async def test_a_newsletter_angle_gets_its_markets_consent_rule(gen: OfflineGenerator) -> None:
    brief = ("Lucky Lane Bingo, UK-licensed online bingo: reactivate lapsed players by email. "
             "Tone: friendly, always include safer gambling messaging.")
    model = read_brief(brief, "en")
    ids = Catalogue.load().ids()
    seen = 0
    for seed in range(6):
        strategies = [ids[(seed * 5 + i) % len(ids)] for i in range(5)]
        angles = await gen.angles(AngleRequest(
            brief=brief, brand=BrandContext(), lang="en", strategies=strategies, seed=seed,
            model=model))
        common = factor_checks(angles)
        for a in angles:
            if a.channel.startswith("Newsletter"):
                seen += 1
                assert any("soft opt-in" in c for c in [*common, *a.to_validate]), a
    assert seen  # the brief's channel is used
