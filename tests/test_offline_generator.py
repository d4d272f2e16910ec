"""The built-in offline angle generator: determinism, brand context, language, refine, challenge."""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bot.brand import BrandContext
from bot.catalogue import Catalogue
from bot.generators.base import AngleRequest, GenerationError, angle_id
from bot.generators.offline import OfflineGenerator, parse_refinement
from bot.generators.offline_templates import OFFLINE_DIR, TemplateError
from bot.messages import Angle

FULL_FR = BrandContext(
    brand="Gourdo", product="gourde isotherme en inox", audience="étudiants urbains",
    objective="Faire connaître la marque à la rentrée", tone="décalé, complice",
    values="durabilité, simplicité", channels="Instagram, TikTok et newsletter",
    constraints="budget de 5 000 €", competitors="Qwetch, Gobi",
)
FULL_EN = BrandContext(
    brand="Gourdo", product="insulated steel bottle", audience="urban students",
    objective="Build awareness for back to school", tone="witty, warm",
    values="durability, simplicity", channels="Instagram, TikTok and newsletter",
    constraints="a 5,000 euro budget", competitors="Qwetch, Gobi",
)
PARTIAL_FR = BrandContext(brand="Evian", audience="Les parents pressés")
PARTIAL_EN = BrandContext(product="Sunday brunch box", tone="premium")
BRIEFS = {
    "fr": [
        "Je veux des idées pour lancer notre nouvelle gourde auprès des étudiants, "
        "avant la rentrée",
        "Campagne de Noël",
        "",
        "angles",
    ],
    "en": [
        "We need ideas to launch our new bottle with students before back to school",
        "Christmas campaign",
        "",
        "more",
    ],
}
BRANDS = {"fr": [FULL_FR, PARTIAL_FR, BrandContext()], "en": [FULL_EN, PARTIAL_EN, BrandContext()]}
FIVE = ["storytelling", "contrarian", "distant-analogy", "social-proof", "humour"]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load()


@pytest.fixture(scope="module")
def gen(catalogue: Catalogue) -> OfflineGenerator:
    return OfflineGenerator(catalogue)


def request(lang: str = "fr", brand: BrandContext = FULL_FR, strategies: list[str] = FIVE,
            seed: int = 7, brief: str | None = None, **more: object) -> AngleRequest:
    return AngleRequest(
        brief=BRIEFS[lang][0] if brief is None else brief, brand=brand,
        lang=lang, strategies=strategies, seed=seed, **more,  # type: ignore[arg-type]
    )


def texts(angle: Angle) -> list[str]:
    return [angle.title, angle.hook, angle.rationale, angle.channel, *angle.to_validate]


# ---- shape and determinism ----

async def test_one_angle_per_strategy_in_order(gen: OfflineGenerator, catalogue: Catalogue) -> None:
    angles = await gen.angles(request())
    assert [a.n for a in angles] == [1, 2, 3, 4, 5]
    assert [a.strategy for a in angles] == FIVE
    assert len({a.id for a in angles}) == 5
    for angle in angles:
        assert angle.id == angle_id(angle.strategy, angle.title, angle.hook)
        assert angle.strategy_name == catalogue.get(angle.strategy).name_in("fr")
        assert 2 <= len(angle.to_validate) <= 6


async def test_same_request_same_angles_even_in_a_new_generator(catalogue: Catalogue,
                                                                gen: OfflineGenerator) -> None:
    first = await gen.angles(request(seed=42))
    again = await gen.angles(request(seed=42))
    fresh = await OfflineGenerator(catalogue).angles(request(seed=42))
    assert first == again == fresh


async def test_different_seeds_give_different_angles(gen: OfflineGenerator) -> None:
    results = {tuple(a.id for a in await gen.angles(request(seed=s))) for s in range(8)}
    assert len(results) >= 6


async def test_no_global_random_state_is_used(gen: OfflineGenerator) -> None:
    import random

    random.seed(1)
    first = await gen.angles(request(seed=3))
    random.seed(999)
    assert await gen.angles(request(seed=3)) == first


# ---- brand context and wording ----

async def test_brand_product_audience_and_channels_are_woven_in(gen: OfflineGenerator) -> None:
    for lang, brand, words in (
        ("fr", FULL_FR, ("Gourdo", "gourde isotherme", "étudiants urbains")),
        ("en", FULL_EN, ("Gourdo", "insulated steel bottle", "urban students")),
    ):
        angles = await gen.angles(request(lang, brand, strategies=list(gen.catalogue.ids())))
        joined = " ".join(" ".join(texts(a)) for a in angles)
        for word in words:
            assert joined.count(word) >= 3, (lang, word)
        for angle in angles:
            assert angle.channel.split(" — ")[0] in {"Instagram", "TikTok", "Newsletter"}
        assert any("Qwetch" in check for a in angles for check in a.to_validate)
        assert any("5" in check for a in angles for check in a.to_validate)


async def test_rationale_ties_to_the_brand_context(gen: OfflineGenerator) -> None:
    angles = await gen.angles(request(strategies=list(gen.catalogue.ids())))
    context_words = (
        "faire connaître",
        "décalé",
        "durabilité",
        "étudiants",
        "Qwetch",
        "lancer notre",
    )
    for angle in angles:
        assert any(w in angle.rationale for w in context_words), angle.rationale


async def test_brief_key_phrase_is_quoted_not_pasted(gen: OfflineGenerator) -> None:
    brief = (
        "Je veux des idées pour lancer notre nouvelle gourde auprès des étudiants, avant la "
        "rentrée, avec un budget serré et beaucoup d'autres détails qui n'ont rien à faire ici"
    )
    angles = await gen.angles(request(brief=brief, strategies=list(gen.catalogue.ids())))
    joined = " ".join(a.rationale for a in angles)
    assert "lancer notre nouvelle gourde auprès des étudiants" in joined
    assert "budget serré" not in joined and "Je veux" not in joined


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_no_empty_slot_leaks_anywhere(gen: OfflineGenerator, lang: str) -> None:
    ids = list(gen.catalogue.ids())
    for brand in BRANDS[lang]:
        for brief in BRIEFS[lang]:
            for style in ({}, {"tone": "playful", "length": "short"}, {"length": "long"}):
                for angle in await gen.angles(request(lang, brand, ids, brief=brief, style=style)):
                    assert len(angle.to_validate) >= 2
                    for text in texts(angle):
                        assert text.strip() == text and text
                        assert "None" not in text and "{" not in text and "}" not in text
                        assert "  " not in text and " ." not in text and "()" not in text
                        assert "« »" not in text and "“”" not in text


async def test_french_output_is_french(gen: OfflineGenerator) -> None:
    english = re.compile(r"\b(the|your|our|with|and|of|for|you|is|it)\b", re.IGNORECASE)
    for brand in BRANDS["fr"]:
        for angle in await gen.angles(request("fr", brand, list(gen.catalogue.ids()))):
            for text in texts(angle):
                assert not english.search(text), text
                # French contractions: never "de les", "à le", "de Evian".
                uncontracted = r"\b(de|à) (les|le) (parents|étudiants|randonneurs)"
                assert not re.search(uncontracted, text), text
                assert not re.search(r"\bde [AEIOUÉaeioué]", text), text
                assert not re.search(r" [:;?!]", text), "typography: non-breaking space expected"


async def test_english_output_is_english(gen: OfflineGenerator) -> None:
    french = re.compile(r"\b(votre|notre|avec|les|des|pour|une|est)\b", re.IGNORECASE)
    for brand in BRANDS["en"]:
        for angle in await gen.angles(request("en", brand, list(gen.catalogue.ids()))):
            for text in texts(angle):
                assert not french.search(text), text


async def test_french_noun_phrases_agree(gen: OfflineGenerator) -> None:
    brand = BrandContext(brand="Evian", product="Chaussettes en laine", audience="Les randonneurs")
    angles = await gen.angles(request("fr", brand, list(gen.catalogue.ids()), seed=5))
    joined = " ".join(" ".join(texts(a)) for a in angles)
    assert "nos chaussettes en laine" in joined or "vos chaussettes en laine" in joined
    assert "notre chaussettes" not in joined and "Chaussettes en laine" not in joined
    assert "des randonneurs" in joined or "aux randonneurs" in joined or "les randonneurs" in joined
    assert "d'Evian" in joined or "Evian" in joined
    assert "de Evian" not in joined


async def test_assumed_fields_are_checks_not_rationale(gen: OfflineGenerator) -> None:
    brand = BrandContext(product="gourde").updated({"audience": "étudiants"}, assumed=True)
    angles = await gen.angles(request(brand=brand))
    for angle in angles:
        # The engine states assumptions once above the answer; each angle lists the check.
        assert "Hypothèse" not in angle.rationale
        assert any("hypothèses" in c and "étudiants" in c for c in angle.to_validate)


async def test_style_length_changes_the_amount_of_text(gen: OfflineGenerator) -> None:
    ids = list(gen.catalogue.ids())
    short = await gen.angles(request(strategies=ids, style={"length": "short"}))
    long = await gen.angles(request(strategies=ids, style={"length": "long"}))
    assert sum(len(a.rationale) for a in short) * 1.5 < sum(len(a.rationale) for a in long)
    assert sum(len(a.to_validate) for a in short) < sum(len(a.to_validate) for a in long)


async def test_playful_style_leans_playful(gen: OfflineGenerator) -> None:
    kickers = gen.wording.common["fr"].kickers["playful"]
    tagged = {v.text for sw in gen.wording.strategies["fr"].values() for v in sw.hooks
              if v.tone == "playful"}
    angles = await gen.angles(request(brand=BrandContext(), strategies=list(gen.catalogue.ids()),
                                      style={"tone": "playful"}))
    for angle in angles:
        assert any(k in angle.hook for k in kickers) or any(
            angle.hook.startswith(t.split("{")[0]) for t in tagged), angle.hook


async def test_avoid_ids_are_never_returned(gen: OfflineGenerator) -> None:
    req = request()
    first = await gen.angles(req)
    second = await gen.angles(replace(req, avoid_ids=frozenset(a.id for a in first)))
    assert [a.strategy for a in second] == FIVE
    assert not {a.id for a in first} & {a.id for a in second}


async def test_avoiding_every_combination_still_yields_new_angles(gen: OfflineGenerator) -> None:
    seen: set[str] = set()
    req = request(strategies=["humour"])
    for _ in range(40):  # more rounds than title x hook combinations
        (angle,) = await gen.angles(replace(req, avoid_ids=frozenset(seen)))
        assert angle.id not in seen
        seen.add(angle.id)


async def test_angles_are_fast(gen: OfflineGenerator) -> None:
    await gen.angles(request())
    runs = 300
    start = time.perf_counter()
    for seed in range(runs):
        await gen.angles(request(seed=seed))
    average_ms = (time.perf_counter() - start) / runs * 1000
    assert average_ms < 2.0, f"{average_ms:.3f} ms per call"


# ---- refine ----

@pytest.mark.parametrize(
    ("instruction", "expected"),
    [
        ("plus drôle", {"tone": "playful"}),
        ("more playful", {"tone": "playful"}),
        ("funnier", {"tone": "playful"}),
        ("moins sérieux", {"tone": "playful"}),
        ("less playful", {"tone": "serious"}),
        ("plus sérieux", {"tone": "serious"}),
        ("plus court", {"length": "short"}),
        ("shorter", {"length": "short"}),
        ("plus long", {"length": "long"}),
        ("longer", {"length": "long"}),
        ("plus audacieux", {"tone": "bold"}),
        ("bolder", {"tone": "bold"}),
        ("plus émotionnel", {"tone": "emotional"}),
        ("more emotional", {"tone": "emotional"}),
        ("plus premium", {"tone": "premium"}),
        ("pour les jeunes parents", {"audience": "les jeunes parents"}),
        ("for busy parents", {"audience": "busy parents"}),
        ("sur LinkedIn", {"channel": "linkedin"}),
        ("on TikTok", {"channel": "tiktok"}),
        ("plus court pour LinkedIn", {"length": "short", "channel": "linkedin"}),
        ("plus drôle pour les étudiants sur Insta",
         {"tone": "playful", "audience": "les étudiants", "channel": "instagram"}),
        ("plus direct", {"free": "plus direct"}),
        ("make it about summer", {"free": "make it about summer"}),
        ("", {}),
    ],
)
def test_parse_refinement(instruction: str, expected: dict[str, str]) -> None:
    assert parse_refinement(instruction) == expected


async def _refined(gen: OfflineGenerator, instruction: str, lang: str = "fr",
                   brand: BrandContext = FULL_FR, seed: int = 7) -> tuple[Angle, Angle]:
    req = request(lang, brand, seed=seed)
    original = (await gen.angles(req))[0]
    return original, await gen.refine(original, instruction, req)


@pytest.mark.parametrize("instruction", ["plus drôle", "plus sérieux", "plus audacieux",
                                         "plus émotionnel", "plus premium", "plus court",
                                         "plus long", "pour les retraités", "sur LinkedIn",
                                         "parle plutôt de l'été", ""])
async def test_refine_keeps_strategy_and_number_but_reads_differently(
        gen: OfflineGenerator, instruction: str) -> None:
    original, refined = await _refined(gen, instruction)
    assert refined.strategy == original.strategy and refined.n == original.n
    assert refined.id != original.id and refined.hook != original.hook
    assert refined.id == angle_id(refined.strategy, refined.title, refined.hook)
    if instruction:
        assert (
            f"« {instruction} »".replace("« ", "«\u00a0").replace(" »", "\u00a0»")
            in refined.rationale
        )


async def test_refine_is_deterministic(gen: OfflineGenerator) -> None:
    assert await _refined(gen, "plus drôle") == await _refined(gen, "plus drôle")


async def test_refine_audience_and_channel(gen: OfflineGenerator) -> None:
    _, refined = await _refined(gen, "pour les retraités sur LinkedIn")
    assert "retraités" in refined.rationale
    assert refined.channel.startswith("LinkedIn — ")
    _, refined = await _refined(gen, "for retirees on YouTube", lang="en", brand=FULL_EN)
    assert "retirees" in refined.rationale and refined.channel.startswith("YouTube — ")


async def test_refine_tone_shows_in_the_hook(gen: OfflineGenerator) -> None:
    for tone, instruction in (("playful", "plus drôle"), ("premium", "plus premium"),
                              ("bold", "plus audacieux"), ("emotional", "plus émotionnel")):
        kickers = gen.wording.common["fr"].kickers[tone]
        tagged = [v.text.split("{")[0] for sw in gen.wording.strategies["fr"].values()
                  for v in sw.hooks if v.tone == tone]
        _, refined = await _refined(gen, instruction, brand=BrandContext())
        assert any(k in refined.hook for k in kickers) or any(
            refined.hook.startswith(t) for t in tagged), (tone, refined.hook)


async def test_refine_shorter_shortens_over_several_seeds(gen: OfflineGenerator) -> None:
    shorter = 0
    for seed in range(10):
        original, refined = await _refined(gen, "plus court", seed=seed)
        shorter += (
            len(refined.hook) + len(refined.rationale)
            < len(original.hook) + len(original.rationale) + 40
        )
    assert shorter >= 8


async def test_refine_avoids_rejected_ids(gen: OfflineGenerator) -> None:
    req = request()
    original = (await gen.angles(req))[0]
    banned: set[str] = set()
    for _ in range(5):
        refined = await gen.refine(
            original, "plus drôle", replace(req, avoid_ids=frozenset(banned))
        )
        assert refined.id not in banned
        banned.add(refined.id)


async def test_refine_unknown_strategy_is_a_generation_error(gen: OfflineGenerator) -> None:
    alien = Angle(
        n=1, id="x", strategy="telepathy", title="t", hook="h", rationale="r", channel="c"
    )
    with pytest.raises(GenerationError):
        await gen.refine(alien, "plus drôle", request())


# ---- challenge ----

@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_challenge_an_angle(gen: OfflineGenerator, lang: str) -> None:
    brand = FULL_FR if lang == "fr" else FULL_EN
    for angle in await gen.angles(request(lang, brand, list(gen.catalogue.ids()))):
        critique = await gen.challenge(angle, request(lang, brand))
        assert critique.angle is angle and critique.target == angle.title
        assert len(critique.questions) == 5
        assert all(q.endswith("?") for q in critique.questions)
        assert len(set(critique.questions)) == 5
        wording = gen.wording.strategies[lang][angle.strategy]
        joined = " ".join(critique.questions)
        assert wording.proof in joined and wording.risk in joined and wording.kpi in joined
        assert angle.title.split(" ")[0] in critique.summary
        for text in [*critique.questions, critique.summary]:
            assert "{" not in text and "None" not in text


async def test_challenge_covers_the_five_axes_in_french(gen: OfflineGenerator) -> None:
    angle = (await gen.angles(request()))[1]
    questions = (await gen.challenge(angle, request())).questions
    assert re.search(r"étudiants|cible", questions[0])  # audience fit
    assert re.search(r"concurrent|Qwetch|propre", questions[1])  # differentiation
    assert re.search(r"preuve|crédibilité", questions[2])  # proof
    assert re.search(r"risque|juridique", questions[3])  # risks
    assert re.search(r"indicateur|mesurer", questions[4])  # measurability
    assert all("\u00a0?" in q for q in questions)


async def test_challenge_an_idea_uses_its_strategy(gen: OfflineGenerator) -> None:
    critique = await gen.challenge("Un concours sur TikTok avec un hashtag", request())
    assert critique.angle is None
    assert "concours sur TikTok" in critique.target
    assert gen.wording.strategies["fr"]["challenge-ugc"].risk in " ".join(critique.questions)
    generic = await gen.challenge("Repeindre la façade en bleu", request("fr", BrandContext()))
    assert gen.wording.common["fr"].generic["risk"] in " ".join(generic.questions)
    english = await gen.challenge("A hashtag challenge on TikTok", request("en", FULL_EN))
    assert gen.wording.strategies["en"]["challenge-ugc"].risk in " ".join(english.questions)


# ---- wording files are validated at start-up ----

def _broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "offline"
    shutil.copytree(OFFLINE_DIR, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("file", "old", "new", "reason"),
    [
        (
            "angles.yaml",
            '"L\'histoire derrière {our_product}"',
            '"L\'histoire de {produit}"',
            "produit",
        ),
        ("angles.yaml", 'auprès {de_audience}."', 'auprès de {audience}."', "de_/a_"),
        ("angles.yaml", '    format: "récit en épisodes"', '    formatt: "x"', "formatt"),
        ("angles.yaml", "storytelling:\n", "storytelling-old:\n", "no wording"),
        (
            "common.yaml",
            '    kpi:\n      - "Quel indicateur',
            '    kpis:\n      - "Quel indicateur',
            "kpis",
        ),
        ("angles.yaml", "tone: emotional}", "tone: grumpy}", "tone"),
    ],
)
def test_broken_wording_is_a_start_up_error(catalogue: Catalogue, tmp_path: Path, file: str,
                                            old: str, new: str, reason: str) -> None:
    folder = _broken_copy(tmp_path, file, old, new)
    with pytest.raises(TemplateError) as info:
        OfflineGenerator(catalogue, templates_dir=folder)
    assert file in str(info.value) and reason in str(info.value)


def test_a_list_without_a_context_free_variant_is_rejected(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    folder = _broken_copy(
        tmp_path, "angles.yaml",
        '      - "Le sketch qui dit tout"\n      - "{brand} se moque (gentiment) de nous tous"\n'
        '      - "Le petit drame du quotidien"\n      - "Rire d\'abord, convaincre ensuite"\n',
        '      - "{brand} se moque (gentiment) de nous tous"\n',
    )
    with pytest.raises(TemplateError, match=r"humour\.fr\.titles.*without brand context"):
        OfflineGenerator(catalogue, templates_dir=folder)
