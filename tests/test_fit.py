"""bot/fit.py: what a brief is about, and which strategies and channels fit it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.brief.brand import BrandContext
from bot.ideas.catalogue import Catalogue
from bot.ideas.fit import (
    FIT_PATH,
    BriefProfile,
    FitError,
    channel_fit,
    find_occasion,
    load_fit,
    profile_brief,
    strategy_fit,
)

SAAS = ("On lance un logiciel SaaS de gestion de notes de frais pour les PME, pour la rentrée",
        BrandContext(brand="Notio", audience="DAF de PME", objective="Générer des leads"))
BAKERY = ("Faire connaître notre boulangerie de quartier pour la fête des pères",
          BrandContext(brand="Chez Paul", product="pain au levain", objective="Notoriété locale"))
LUXURY = ("Launch campaign for our new high jewellery collection",
          BrandContext(brand="Maison Aurel", product="high jewellery necklace", tone="refined"))
BANK = ("Promote our savings account at 4.5% AER before Christmas",
        BrandContext(brand="Nova Bank", product="savings account"))
KIDS = ("Glace pour les enfants cet été, pas d'influenceurs",
        BrandContext(brand="Polo", product="glace à l'eau",
                     audience="parents d'enfants de 6-10 ans"))
NGO = ("Year-end fundraising appeal for our animal charity",
       BrandContext(brand="Pawly", objective="donations"))


@pytest.mark.parametrize(
    ("case", "sectors", "occasion", "regulated", "kinds", "goal"),
    [
        (SAAS, {"b2b", "software"}, "la rentrée", set(), {"software"}, "conversion"),
        (BAKERY, {"food", "local"}, "la fête des pères", {"food"}, {"food"}, "awareness"),
        (LUXURY, {"luxury"}, "", set(), {"physical"}, ""),
        (BANK, {"finance"}, "Christmas", {"finance"}, {"finance"}, ""),
        (KIDS, {"kids", "food"}, "l'été", {"kids", "food"}, {"food"}, ""),
        (NGO, {"ngo"}, "Year-end", set(), {"service"}, "conversion"),
    ],
    ids=["saas", "bakery", "luxury", "bank", "kids", "ngo"],
)
def test_profiles_of_typical_briefs(case: tuple[str, BrandContext], sectors: set[str],
                                    occasion: str, regulated: set[str], kinds: set[str],
                                    goal: str) -> None:
    profile = profile_brief(*case)
    assert sectors <= profile.sectors
    assert profile.occasion == occasion
    assert regulated <= profile.regulated
    assert kinds <= profile.kinds
    assert profile.goal == goal


def test_profile_is_cached_per_brief_and_brand() -> None:
    assert profile_brief(*SAAS) is profile_brief(*SAAS)
    assert profile_brief(SAAS[0], BrandContext()) is not profile_brief(*SAAS)


def test_keywords_ignore_case_and_accents_but_respect_word_boundaries() -> None:
    assert "food" in profile_brief("NOTRE PÂTISSERIE", BrandContext()).sectors
    assert "food" in profile_brief("la boulangerie", BrandContext()).sectors
    # "pain" is bread in French, not in "pain point"; "painting" is not "pain".
    assert "food" not in profile_brief("The pain point of painting contractors",
                                       BrandContext()).sectors
    # "taux de conversion" is no interest rate.
    assert "finance" not in profile_brief("Améliorer le taux de conversion", BrandContext()).sectors
    assert "finance" in profile_brief("Livret à 3 % brut par an", BrandContext()).sectors


@pytest.mark.parametrize(
    ("text", "occasion"),
    [
        ("Une campagne pour Noël", "Noël"),
        ("On veut quelque chose pour cet été", "l'été"),
        ("Nos idées pour le Black Friday", "le Black Friday"),
        ("Black Friday approche", "Black Friday"),
        ("Pour l'ouverture de notre boutique de Tokyo pour les touristes",
         "l'ouverture de notre boutique de Tokyo"),
        ("the Tokyo flagship opening in March", "the Tokyo flagship opening in March"),
        ("Ideas for Father's Day", "Father's Day"),
        ("Relancer les ventes à la rentrée scolaire", "la rentrée scolaire"),
        ("Il a été lancé l'an dernier", ""),  # "été" the past participle is no season
        ("Une gourde isotherme", ""),
    ],
)
def test_occasion_is_kept_as_written(text: str, occasion: str) -> None:
    assert find_occasion(text) == occasion


def test_channels_named_in_the_brand_and_strong_ones_in_the_brief() -> None:
    brand = BrandContext(channels="Instagram, newsletter")
    profile = profile_brief("Une campagne LinkedIn pour notre boutique", brand)
    assert profile.channels == ("instagram", "newsletter", "linkedin")
    # "boutique" in a brief is the shop, not the in-store channel.
    assert "retail" not in profile.channels


def test_constraints_rule_out_strategies_and_checks() -> None:
    for brief in ("Pas d'influenceurs cette fois", "No influencers this time"):
        profile = profile_brief(brief, BrandContext())
        assert "influencers" in profile.exclusions
        assert "influencers" not in profile.regulated
        assert strategy_fit(profile)["challenge-ugc"] == -1.0
    with_them = profile_brief("Une campagne avec des influenceuses mode", BrandContext())
    assert "influencers" in with_them.regulated


def test_strategy_fit_by_sector() -> None:
    luxury = strategy_fit(profile_brief(*LUXURY))
    assert luxury["challenge-ugc"] == -1.0 and luxury["humour"] == -1.0
    assert luxury["scarcity"] == 1.0 and luxury["sensory"] == 1.0
    saas = strategy_fit(profile_brief(*SAAS))
    for sid in ("data-insight", "expert-education", "customer-hero"):
        assert saas[sid] == 1.0
    assert saas["challenge-ugc"] == -1.0 and saas["sensory"] <= -0.5
    kids = strategy_fit(profile_brief(*KIDS))
    assert kids["challenge-ugc"] == -1.0 and kids["scarcity"] == -1.0
    ngo = strategy_fit(profile_brief(*NGO))
    assert ngo["storytelling"] > 0 and ngo["scarcity"] == -1.0
    # An occasion favours topical angles.
    assert strategy_fit(profile_brief(*BANK))["newsjacking"] > 0


def test_fit_scores_are_bounded_and_name_real_strategies() -> None:
    ids = set(Catalogue.load().ids())
    for case in (SAAS, BAKERY, LUXURY, BANK, KIDS, NGO):
        scores = strategy_fit(profile_brief(*case))
        assert set(scores) <= ids
        assert all(-1.0 <= v <= 1.0 for v in scores.values())


def test_a_neutral_brief_is_neutral() -> None:
    profile = profile_brief("Des idées pour notre gourde", BrandContext(product="gourde"))
    assert profile.sectors == frozenset() and profile.occasion == ""
    assert strategy_fit(profile) == {}
    assert strategy_fit(BriefProfile(frozenset(), "", (), frozenset())) == {}


def test_channel_fit_by_sector() -> None:
    b2b = channel_fit(profile_brief(*SAAS))
    assert b2b["tiktok"] == -1.0 and b2b["linkedin"] > 0
    bakery = channel_fit(profile_brief(*BAKERY))
    assert bakery["linkedin"] == -1.0 and bakery["discord"] == -1.0 and bakery["instagram"] > 0


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("  b2b: {data-insight: 1,", "  b2b: {data-insights: 1,", "unknown strategies"),
        ("  luxury: {scarcity: 1,", "  luxury: {scarcity: 2,", "within [-1, 1]"),
        ("  food: {sectors: [food]}", "  food: {sectors: [fod]}", "unknown sectors"),
        ("  b2b: {linkedin: 1,", "  b2b: {linkdin: 1,", "unknown channels"),
        ("weak_channel_aliases:", "weak_channel_alias:", "weak_channel_alias"),
    ],
)
def test_broken_fit_file_is_an_error_naming_the_entry(tmp_path: Path, old: str, new: str,
                                                      reason: str) -> None:
    text = FIT_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "fit.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(FitError) as info:
        load_fit(path)
    assert "fit.yaml" in str(info.value) and reason in str(info.value)


def test_food_topic_only_for_a_food_offer() -> None:
    from bot.brief.brand import BrandContext
    from bot.ideas.fit import profile_brief
    ngo = profile_brief("Nous sommes une association contre le gaspillage alimentaire, "
                        "nous recrutons des bénévoles", BrandContext())
    assert "food" not in ngo.regulated and "food" not in ngo.kinds
    granola = profile_brief("Lancement de notre nouveau granola", BrandContext())
    assert "food" in granola.regulated


def test_price_reductions_are_a_regulated_topic() -> None:
    from bot.brief.brand import BrandContext
    from bot.ideas.fit import profile_brief
    for brief in ("Black Friday : -30 % sur tout", "30% off all shoes", "Nos soldes d'hiver",
                  "Code promo pour la rentrée"):
        assert "price_reduction" in profile_brief(brief, BrandContext()).regulated, brief
    assert "price_reduction" not in profile_brief("Our sales team needs leads",
                                                  BrandContext()).regulated


def test_gambling_and_alcohol_never_make_a_habit() -> None:
    bingo = strategy_fit(profile_brief("Lucky Lane Bingo, a UK-licensed online bingo site: "
                                       "reactivate lapsed players.", BrandContext()))
    cider = strategy_fit(profile_brief("Maison Lecoq lance un cidre brut bio en bouteille.",
                                       BrandContext()))
    assert bingo["ritual"] == -1.0 and bingo["scarcity"] == -1.0
    assert cider["ritual"] == -1.0
