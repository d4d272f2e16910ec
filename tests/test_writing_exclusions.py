"""Every exclusion of the brief has an effect on offline angles; the guard reads them right.

For each key of EXCLUSION_KEYS, a brief that rules it out gets ten rounds of
angles with no title, hook or channel breaking it (checked by the guard and,
for the main ones, by word lists written here independently of the data).
"""

from __future__ import annotations

import re

import pytest

from bot.brief.brand import BrandContext
from bot.brief.model import EXCLUSION_KEYS, BriefModel, Exclusion, Figure, Item
from bot.ideas.catalogue import Catalogue
from bot.ideas.exclusions import ExclusionDataError, ExclusionGuard, default_guard
from bot.ideas.generators.base import AngleRequest
from bot.ideas.generators.offline import OfflineGenerator
from bot.kernel.messages import Angle

# What each key looks like when broken, in words of our own (not the data's).
BROKEN_BY = {
    "discount": r"(?i)promo|r[ée]duction|remise|soldes|\d+ ?% de r|% off|discount|coupon|\bsale\b",
    "urgency": r"(?i)derni[èe]re chance|last chance|hurry|d[ée]p[êe]chez|countdown"
    r"|compte [àa] rebours|jusqu'[àa] vendredi|close on friday",
    "puns": r"(?i)jeux? de mots|\bpuns?\b",
    "humour": r"(?i)sketch|stagiaire|intern\b|croissants|biscuits|machine [àa] caf|coffee machine",
    "emoji": "[\U0001f300-\U0001faff\u2600-\u27bf]",
    "influencers": r"(?i)influenc",
    "tutoiement": r"(?i)(?<![\w'])(?:tu|te|toi|ton|ta|tes)(?![\w])|(?<![\w'])t'",
    "season_only": r"(?i)\b(?:[ée]t[ée]|summer|plage|beach)\b",
    "occasion": r"(?i)black friday",
}
MODEL_TEXT = {
    "fr": "Torréfacteur à Lyon : café de spécialité, abonnement mensuel, 12 origines. "
    "Pas seulement l'été. Nous fermons le Black Friday.",
    "en": "Speciality coffee roaster in Bristol: monthly subscription, 12 origins. "
    "Not just summer. We close on Black Friday.",
}
CONCERNS = {
    "fr": ("la torréfaction", "les origines", "l'abonnement"),
    "en": ("roasting", "the origins", "the subscription"),
}


@pytest.fixture(scope="module")
def gen() -> OfflineGenerator:
    return OfflineGenerator(Catalogue.load())


def model_with(key: str, lang: str) -> BriefModel:
    text = {
        "season_only": "pas seulement l'été" if lang == "fr" else "not just summer",
        "occasion": "Black Friday",
    }.get(key, f"no {key}")
    return BriefModel(
        text=MODEL_TEXT[lang],
        lang=lang,
        sectors=("food_products",),
        market="fr" if lang == "fr" else "uk",
        concerns=CONCERNS[lang],
        figures=(Figure("12 origines" if lang == "fr" else "12 origins", "count"),),
        fields={
            "brand": Item("Grain d'Or", "said"),
            "audience": Item("les amateurs de café" if lang == "fr" else "coffee lovers", "said"),
        },
        occasion="" if key == "occasion" else ("l'été" if lang == "fr" else "summer"),
        exclusions=(Exclusion(key, text),),
    )


async def ten_rounds(gen: OfflineGenerator, model: BriefModel, lang: str) -> list[Angle]:
    ids = Catalogue.load().ids()
    ruled_out = default_guard().strategies_ruled_out(model)
    usable = [s for s in ids if s not in ruled_out]
    shown: list[tuple[str, str]] = []
    out: list[Angle] = []
    for r in range(10):
        strategies = [usable[(r * 5 + i) % len(usable)] for i in range(5)]
        angles = await gen.angles(
            AngleRequest(
                brief=model.text,
                brand=BrandContext(),
                lang=lang,
                strategies=strategies,
                seed=r,
                model=model,
                shown=tuple(shown),
            )
        )
        shown += [(a.title, a.hook) for a in angles]
        out += angles
    return out


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("key", [k for k in EXCLUSION_KEYS if k != "other"])
async def test_no_angle_breaks_an_exclusion(gen, key: str, lang: str) -> None:
    model = model_with(key, lang)
    guard = default_guard()
    for angle in await ten_rounds(gen, model, lang):
        text = f"{angle.title} {angle.hook} {angle.channel}"
        assert not guard.breaks(text, model, lang), (key, text)
        if key in BROKEN_BY and not (key == "tutoiement" and lang == "en"):
            assert not re.search(BROKEN_BY[key], f"{angle.title} {angle.hook}"), (key, text)


async def test_an_other_exclusion_keeps_its_own_words_out(gen) -> None:
    model = BriefModel(
        text="Café",
        lang="fr",
        concerns=("le prix", "la torréfaction"),
        exclusions=(Exclusion("other", "ne jamais parler du prix"),),
    )
    for angle in await ten_rounds(gen, model, "fr"):
        assert "prix" not in angle.hook.lower(), angle.hook


async def test_a_refused_occasion_is_never_pushed_but_said_once(gen) -> None:
    model = model_with("occasion", "en")
    angles = await ten_rounds(gen, model, "en")
    assert not any("Black Friday" in a.hook for a in angles)
    first = angles[:5]
    assert sum("Black Friday" in a.rationale for a in first) == 1  # said once per answer


async def test_humour_ruled_out_means_no_humour_strategy_nor_playful_line() -> None:
    guard = default_guard()
    model = model_with("humour", "fr")
    assert "humour" in guard.strategies_ruled_out(model)
    assert "scarcity" in guard.strategies_ruled_out(model_with("urgency", "en"))


async def test_a_stated_channel_is_used(gen) -> None:
    model = BriefModel(
        text="Campagne LinkedIn pour notre logiciel de paie",
        lang="fr",
        concerns=("la DSN", "la fin de mois"),
        sectors=("b2b_software",),
        market="fr",
        fields={"channels": Item("LinkedIn", "said")},
    )
    for angle in await ten_rounds(gen, model, "fr"):
        assert angle.channel.startswith("LinkedIn"), angle.channel


# ---- the guard itself ----


def test_the_guard_reads_seasons_occasions_and_own_words() -> None:
    guard = default_guard()
    summer = BriefModel(
        text="Pas seulement l'été : le vélo toute l'année",
        exclusions=(Exclusion("season_only", "any"),),
    )
    assert guard.breaks("Cet été, on roule", summer, "fr") == ["season_only"]
    assert guard.breaks("Toute l'année, on roule", summer, "fr") == []
    closed = BriefModel(text="We close our shops on Black Friday", occasion="Black Friday")
    assert guard.refused_occasion(closed) == "Black Friday"
    assert (
        guard.refused_occasion(BriefModel(text="Black Friday deals", occasion="Black Friday")) == ""
    )
    tu = BriefModel(exclusions=(Exclusion("tutoiement", "jamais de tu"),))
    assert guard.breaks("On t'explique tout", tu, "fr") == ["tutoiement"]
    assert guard.breaks("On vous explique tout", tu, "fr") == []
    assert guard.breaks("We'll tell you", tu, "en") == []  # a French rule only


def test_prompt_lines_quote_the_user_s_words() -> None:
    model = BriefModel(exclusions=(Exclusion("discount", "on ne brade jamais"),))
    (line,) = default_guard().prompt_lines(model, "fr")
    assert "on ne brade jamais" in line and "promotion" in line


def test_every_exclusion_key_has_data(tmp_path) -> None:
    good = default_guard().keys.keys()
    assert set(good) == set(EXCLUSION_KEYS)
    broken = tmp_path / "exclusions.yaml"
    broken.write_text(
        "keys: {discount: {patterns: [], prompt: {fr: a, en: b}}}\n"
        "seasons: {}\nother_stop: []\nrefuse_occasion: []\n",
        encoding="utf-8",
    )
    with pytest.raises(ExclusionDataError, match="missing"):
        ExclusionGuard.load(broken)


async def test_no_puns_still_leaves_room_for_humour(gen) -> None:
    model = model_with("puns", "en")
    (angle,) = await gen.angles(AngleRequest(
        brief=model.text, brand=BrandContext(), lang="en", strategies=["humour"], seed=1,
        model=model))
    wording = Catalogue.load()  # the Humour strategy keeps its own playful lines
    assert wording.get("humour")
    playful = ("meeting", "intern", "suspense", "we'll see", "complicated", "manual", "coffee")
    assert any(word in angle.hook for word in playful), angle.hook
