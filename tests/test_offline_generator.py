"""The built-in offline angle generator: determinism, brand context, language, refine, challenge."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from bot.brief.brand import BrandContext
from bot.dialogue.refinement import parse_refinement
from bot.ideas.catalogue import Catalogue
from bot.ideas.generators.base import AngleRequest, GenerationError, angle_id
from bot.ideas.generators.offline import OfflineGenerator
from bot.ideas.generators.offline_rationale import COMPARATIVE
from bot.ideas.generators.offline_templates import OFFLINE_DIR, TemplateError
from bot.kernel.messages import Angle

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
                # "making-of" is the French word for it too (the catalogue uses it).
                assert not english.search(text.replace("making-of", "")), text
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



# ---- briefs of different kinds (table-driven, French and English) ----

@dataclass(frozen=True)
class Case:
    lang: str
    brief: str
    brand: BrandContext
    occasion: str = ""
    banned_channels: tuple[str, ...] = ()
    required_check: str = ""  # a word every angle's checks must contain (regulated topics)
    banned_lines: tuple[str, ...] = ()  # product-kind lines that would contradict the product


CASES = {
    "saas-fr": Case("fr", "On lance un logiciel SaaS de gestion de notes de frais pour les PME, "
                    "pour la rentrée",
                    BrandContext(brand="Notio", product="logiciel de notes de frais",
                                 audience="DAF de PME", objective="Générer des leads",
                                 tone="expert, clair"),
                    occasion="la rentrée", banned_channels=("TikTok", "Snapchat", "Pinterest"),
                    banned_lines=("clés", "l'atelier", "texture", "hygiène", "artisanal",
                                  "point de vente", "poids dans la main", "fabriqué")),
    "saas-en": Case("en", "We're launching an expense-management SaaS for SMB finance teams "
                    "before back to school",
                    BrandContext(brand="Notio", product="expense management software",
                                 audience="CFOs of SMBs", objective="generate leads"),
                    occasion="back to school", banned_channels=("TikTok", "Snapchat", "Pinterest"),
                    banned_lines=("keys", "workshop", "texture", "Health and safety", "handmade",
                                  "in-store", "weight in your hand", "We made very few")),
    "bakery-fr": Case("fr", "Faire connaître notre boulangerie de quartier pour la fête des pères",
                      BrandContext(brand="Chez Paul", product="pain au levain",
                                   audience="habitants du quartier", tone="chaleureux"),
                      occasion="la fête des pères",
                      banned_channels=("LinkedIn", "Discord", "Twitch"),
                      required_check="nutritionnelles",
                      banned_lines=("l'outil", "fichier Excel", "mise à jour",
                                    "cherchent encore leurs clés")),
    "bakery-en": Case("en", "Get our neighbourhood bakery known for Father's Day",
                      BrandContext(brand="Crumb & Co", product="sourdough bread",
                                   audience="local families", tone="warm"),
                      occasion="Father's Day", banned_channels=("LinkedIn", "Discord", "Twitch"),
                      required_check="nutrition",
                      banned_lines=("the tool", "spreadsheet", "update", "looking for their keys")),
    "ngo-fr": Case("fr", "Campagne d'appel aux dons de fin d'année pour notre association",
                   BrandContext(brand="Pattes Tendues", product="refuge pour animaux",
                                audience="donateurs", objective="collecter des dons"),
                   occasion="la fin d'année",
                   banned_lines=("l'outil", "fichier Excel", "fabriqué très peu")),
    "ngo-en": Case("en", "Year-end fundraising appeal for our animal charity",
                   BrandContext(brand="Pawly", product="animal shelter", audience="donors",
                                objective="donations"),
                   occasion="Year-end", banned_lines=("spreadsheet", "We made very few")),
    "luxury-fr": Case("fr", "Lancement de notre collection de haute joaillerie",
                      BrandContext(brand="Maison Aurel", product="collier de haute joaillerie",
                                   audience="collectionneurs", tone="raffiné, élégant"),
                      banned_channels=("Snapchat", "Discord", "Twitch"),
                      banned_lines=("fichier Excel", "mise à jour")),
    "luxury-en": Case("en", "Launch campaign for our new high jewellery collection",
                      BrandContext(brand="Maison Aurel", product="high jewellery necklace",
                                   audience="collectors", tone="refined, elegant"),
                      banned_channels=("Snapchat", "Discord", "Twitch"),
                      banned_lines=("spreadsheet", "update")),
    "bank-fr": Case("fr", "Promouvoir notre livret d'épargne à 3 % brut par an avant Noël",
                    BrandContext(brand="Banque Nova", product="livret d'épargne",
                                 audience="jeunes actifs"),
                    occasion="Noël", banned_channels=("Snapchat", "Discord", "Twitch"),
                    required_check="ACPR",
                    banned_lines=("texture", "poids dans la main", "l'outil", "clés",
                                  "l'atelier", "fabriqué", "numérotée")),
    "bank-en": Case("en", "Promote our savings account at 4.5% AER before Christmas",
                    BrandContext(brand="Nova Bank", product="savings account",
                                 audience="young professionals"),
                    occasion="Christmas", banned_channels=("Snapchat", "Discord", "Twitch"),
                    required_check="regulator",
                    banned_lines=("texture", "weight in your hand", "the tool", "keys",
                                  "workshop", "We made very few", "numbered")),
    "kids-fr": Case("fr", "Glace pour les enfants cet été, pas d'influenceurs",
                    BrandContext(brand="Polo", product="glace à l'eau",
                                 audience="parents d'enfants de 6 à 10 ans"),
                    occasion="l'été", banned_channels=("TikTok", "Snapchat", "LinkedIn"),
                    required_check="enfants",
                    banned_lines=("l'outil", "fichier Excel", "mise à jour")),
    "kids-en": Case("en", "Ice lollies for children this summer, no influencers",
                    BrandContext(brand="Polo", product="ice lolly",
                                 audience="parents of children aged 6 to 10"),
                    occasion="this summer", banned_channels=("TikTok", "Snapchat", "LinkedIn"),
                    required_check="children",
                    banned_lines=("the tool", "spreadsheet", "update")),
}
# Strategies with an occasion variant in titles and hooks, plus some with product-specific lines.
TIMELY = ["storytelling", "newsjacking", "humour", "customer-hero", "problem-agitate-solve",
          "data-insight"]
ALL = list(Catalogue.load().ids())


def case_request(case: Case, strategies: list[str], seed: int = 7, **more: object) -> AngleRequest:
    return AngleRequest(brief=case.brief, brand=case.brand, lang=case.lang,  # type: ignore[arg-type]
                        strategies=strategies, seed=seed, **more)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.occasion])
async def test_the_occasion_goes_into_titles_and_hooks(gen: OfflineGenerator, name: str) -> None:
    case = CASES[name]
    # Its last word: "la rentrée" may start a title as "La rentrée", "l'été" as "L'été".
    word = case.occasion.split()[-1].split("'")[-1]
    for seed in range(4):
        angles = await gen.angles(case_request(case, TIMELY, seed))
        timely = [a for a in angles if word in a.title or word in a.hook]
        assert len(timely) >= 2, (name, seed, [(a.title, a.hook) for a in angles])
    plain = replace(case, brief="Des idées" if case.lang == "fr" else "Some ideas")
    for angle in await gen.angles(case_request(plain, ALL)):
        assert "{" not in angle.hook and word not in angle.title


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.banned_channels])
async def test_channels_fit_the_sector(gen: OfflineGenerator, name: str) -> None:
    case = CASES[name]
    for seed in range(6):
        for angle in await gen.angles(case_request(case, ALL, seed)):
            assert angle.channel.split(" — ")[0] not in case.banned_channels, (name, angle.channel)


async def test_the_brands_own_channels_still_win(gen: OfflineGenerator) -> None:
    case = CASES["saas-fr"]
    brand = case.brand.updated({"channels": "TikTok"})
    for angle in await gen.angles(case_request(replace(case, brand=brand), ALL)):
        assert angle.channel.startswith("TikTok — ")


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.required_check])
async def test_regulated_topics_add_their_checks(gen: OfflineGenerator, name: str) -> None:
    case = CASES[name]
    for angle in await gen.angles(case_request(case, ALL)):
        assert any(case.required_check in c for c in angle.to_validate), (name, angle.to_validate)


@pytest.mark.parametrize(
    ("lang", "brief", "brand", "word"),
    [
        ("fr", "Lancer notre whisky tourbé", BrandContext(product="whisky"), "Évin"),
        ("en", "Launch our new gin", BrandContext(product="gin"), "Loi Evin"),
        ("fr", "Une campagne avec des influenceurs pour notre gourde", BrandContext(),
         "9 juin 2023"),
        ("en", "An influencer campaign for our bottle", BrandContext(), "9 June 2023"),
        ("fr", "Faire connaître notre plateforme crypto", BrandContext(), "MiCA"),
        ("en", "A new supplement for joint health", BrandContext(), "1924/2006"),
    ],
)
async def test_more_regulated_topics(gen: OfflineGenerator, lang: str, brief: str,
                                     brand: BrandContext, word: str) -> None:
    angles = await gen.angles(AngleRequest(brief=brief, brand=brand, lang=lang,  # type: ignore[arg-type]
                                           strategies=FIVE, seed=1))
    assert all(any(word in c for c in a.to_validate) for a in angles), word


async def test_named_competitors_bring_the_comparative_check(gen: OfflineGenerator) -> None:
    saas = CASES["saas-fr"]
    case = replace(saas, brand=saas.brand.updated({"competitors": "Spendesk"}))
    angles = await gen.angles(case_request(case, ALL))
    for angle in angles:
        has = any("Spendesk" in c and "comparative" in c for c in angle.to_validate)
        assert has == (angle.strategy in COMPARATIVE or "Spendesk" in angle.title + angle.hook)


@pytest.mark.parametrize("name", list(CASES))
async def test_no_line_contradicts_the_product(gen: OfflineGenerator, name: str) -> None:
    case = CASES[name]
    for seed in range(8):
        for angle in await gen.angles(case_request(case, ALL, seed)):
            # The channel is the catalogue's wording ("Instagram — stories de l'atelier").
            for text in [angle.title, angle.hook, angle.rationale, *angle.to_validate]:
                for banned in case.banned_lines:
                    assert banned not in text, (name, angle.strategy, text)


@pytest.mark.parametrize("name", list(CASES))
async def test_refine_shorter_is_shorter(gen: OfflineGenerator, name: str) -> None:
    case = CASES[name]
    instruction = "plus court" if case.lang == "fr" else "shorter"
    req = case_request(case, ALL[:8])
    for angle in await gen.angles(req):
        refined = await gen.refine(angle, instruction, req)
        assert len(refined.hook) < len(angle.hook), (angle.hook, refined.hook)
        assert len(refined.rationale) < len(angle.rationale), (angle.rationale, refined.rationale)


@pytest.mark.parametrize("name", list(CASES))
async def test_rejected_hooks_and_titles_are_not_repeated(gen: OfflineGenerator, name: str) -> None:
    case = CASES[name]
    rejected = await gen.angles(case_request(case, ALL, seed=1))
    for seed in range(2, 6):
        angles = await gen.angles(case_request(case, ALL, seed, avoid=rejected,
                                               avoid_ids=frozenset(a.id for a in rejected)))
        hooks = {a.hook for a in rejected}
        for angle in angles:
            assert not any(angle.hook.startswith(h) or h.startswith(angle.hook) for h in hooks)
        titles = {a.title for a in rejected}
        assert sum(a.title in titles for a in angles) <= 2  # titles are few: rarely reused


async def test_no_hook_or_stock_sentence_twice_in_one_answer(gen: OfflineGenerator) -> None:
    for case in CASES.values():
        for seed in range(3):
            angles = await gen.angles(case_request(case, ALL, seed))
            assert len({a.hook for a in angles}) == len(angles)
            seen: dict[str, str] = {}
            for angle in angles:
                for sentence in re.split(r"(?<=[.!?])\s+", angle.rationale):
                    assert seen.setdefault(sentence, angle.strategy) == angle.strategy, sentence


async def test_stock_sentences_vary_across_answers(gen: OfflineGenerator) -> None:
    case = CASES["bakery-fr"]
    rationales = {(await gen.angles(case_request(case, ["storytelling"], seed)))[0].rationale
                  for seed in range(12)}
    assert len(rationales) >= 6


# ---- wording defects ----

def test_a_long_brief_is_quoted_whole_or_not_at_all() -> None:
    from bot.ideas.generators.offline_text import key_phrase

    phrase = key_phrase("On lance un logiciel SaaS de gestion de notes de frais pour les PME et "
                        "les indépendants qui en ont assez de perdre leurs tickets de caisse")
    assert phrase == "un logiciel SaaS de gestion de notes de frais"
    assert key_phrase("Un logiciel SaaS de gestion intelligente de notes de frais multidevises "
                      "et multisociétés interconnecté aux banques européennes") == ""
    assert key_phrase("Promote our savings account at 4.5% AER") == \
        "Promote our savings account at 4.5% AER"


async def test_a_verb_phrase_product_is_not_used_as_a_noun(gen: OfflineGenerator) -> None:
    for lang, product, bad, good in (("fr", "générer des démos", "notre générer",
                                      "solution pour générer des démos"),
                                     ("en", "generate demos", "our generate",
                                      "solution to generate demos")):
        angles = await gen.angles(request(lang, BrandContext(brand="Demoly", product=product),
                                          ALL, brief=""))
        joined = " ".join(" ".join(texts(a)) for a in angles)
        assert bad not in joined and good in joined


async def test_objective_lines_fit_the_goal(gen: OfflineGenerator) -> None:
    brand = replace(FULL_FR, objective="notoriété")
    for seed in range(10):
        for angle in await gen.angles(request(brand=brand, strategies=ALL, seed=seed)):
            assert "raison concrète d'agir" not in angle.rationale


def test_checks_read_inside_a_sentence(gen: OfflineGenerator) -> None:
    for lang in ("fr", "en"):
        common = gen.wording.common[lang]
        checks = [v.text for sw in gen.wording.strategies[lang].values() for v in sw.checks]
        checks += [v.text for vs in common.regulated.values() for v in vs]
        for check in checks:
            # The engine writes "pensez à vérifier {check}.": no final stop, no question.
            assert not check.rstrip().endswith((".", "?")), check
    assert any("qui ne doit ni exclure" in v.text
               for v in gen.wording.strategies["fr"]["tribe"].checks)


def test_no_backstage_humanises(gen: OfflineGenerator) -> None:
    whys = [v.text for v in gen.wording.strategies["en"]["behind-the-scenes"].why]
    assert not any("The backstage humanises" in w for w in whys)


async def test_tone_claims_match_the_hook(gen: OfflineGenerator) -> None:
    claims = ("Le ton reste celui", "fidèle au ton voulu", "The voice stays true",
              "keep the intended tone")
    for lang, tone in (("fr", "raffiné, élégant"), ("en", "refined, elegant")):
        wording = gen.wording.strategies[lang]
        playful = [v.text.split("{")[0] for sw in wording.values() for v in sw.hooks
                   if v.tone == "playful" and len(v.text.split("{")[0]) > 12]
        kickers = gen.wording.common[lang].kickers["playful"]
        brand = BrandContext(brand="Aurel", product="collier", audience="collectionneurs",
                             tone=tone)
        for seed in range(15):
            for angle in await gen.angles(request(lang, brand, ALL, seed=seed, brief="")):
                jokey = any(angle.hook.startswith(p) for p in playful) or any(
                    k in angle.hook for k in kickers)
                if jokey:
                    assert not any(c in angle.rationale for c in claims), angle


async def test_analogy_title_and_hook_share_their_world(gen: OfflineGenerator) -> None:
    worlds = {"rugby": ("rugby",), "recette": ("chef", "cuisson"), "recipe": ("chef", "cooking"),
              "randonnée": ("randonnée",), "hiking": ("hiking",), "animal": ("animal",),
              "Formule 1": ("Formule 1",), "Formula 1": ("Formula 1",)}
    for lang, brand in (("fr", FULL_FR), ("en", FULL_EN)):
        for seed in range(40):
            (angle,) = await gen.angles(request(lang, brand, ["distant-analogy"], seed=seed))
            for word, hooks in worlds.items():
                if word in angle.title:
                    assert any(h in angle.hook for h in hooks), (angle.title, angle.hook)


async def test_a_hook_never_speaks_of_a_video_on_a_poster(gen: OfflineGenerator) -> None:
    posters = (("fr", replace(FULL_FR, channels="Affichage, newsletter"), "vidéo"),
               ("en", replace(FULL_EN, channels="billboards, newsletter"), "video"))
    for lang, brand, video in posters:
        for seed in range(20):
            for angle in await gen.angles(request(lang, brand, ALL, seed=seed)):
                assert video not in angle.hook.lower(), (angle.channel, angle.hook)


# ---- refine does what it is asked ----

async def test_refine_premium_rewrites_the_hook(gen: OfflineGenerator) -> None:
    for lang, instruction in (("fr", "plus premium"), ("en", "more premium")):
        kickers = gen.wording.common[lang].kickers["premium"]
        brand = FULL_FR if lang == "fr" else FULL_EN
        req = request(lang, brand, ALL)
        for angle in await gen.angles(req):
            refined = await gen.refine(angle, instruction, req)
            premium = [gen._fill(v, gen._context(req.brief, brand, lang, None))
                       for v in gen.wording.strategies[lang][angle.strategy].hooks
                       if v.tone == "premium"]
            assert refined.hook in premium, (angle.strategy, refined.hook)
            assert not any(refined.hook.endswith(k) for k in kickers)


async def test_refine_for_an_audience_and_on_a_channel(gen: OfflineGenerator) -> None:
    for lang, instruction, who, channel in (
            ("fr", "pour les jeunes parents", "Jeunes parents", "Newsletter"),
            ("en", "for busy parents", "Busy parents", "Newsletter")):
        brand = FULL_FR if lang == "fr" else FULL_EN
        req = request(lang, brand, ALL[:6])
        for angle in await gen.angles(req):
            refined = await gen.refine(angle, instruction, req)
            assert who.lower() in refined.hook.lower() or who in refined.hook, refined.hook
            moved = await gen.refine(angle, f"{'sur' if lang == 'fr' else 'on'} newsletter", req)
            assert moved.channel.startswith(f"{channel} — ")
            assert "vidéo" not in moved.hook and "video" not in moved.hook


async def test_refine_weaves_a_free_theme_into_the_hook(gen: OfflineGenerator) -> None:
    for lang, instruction, theme in (
            ("en", "make it about the Tokyo flagship opening in March",
             "the Tokyo flagship opening in March"),
            ("fr", "parle plutôt de l'ouverture de notre boutique de Tokyo",
             "l'ouverture de notre boutique de Tokyo"),
            ("en", "focus on sustainability", "sustainability")):
        brand = FULL_FR if lang == "fr" else FULL_EN
        req = request(lang, brand, ALL)
        for angle in await gen.angles(req):
            refined = await gen.refine(angle, instruction, req)
            assert theme.lower() in refined.hook.lower(), (angle.strategy, refined.hook)


async def test_refinements_build_on_the_previous_version(gen: OfflineGenerator) -> None:
    req = request()
    for angle in (await gen.angles(replace(req, strategies=ALL)))[:8]:
        first = await gen.refine(angle, "pour les retraités sur LinkedIn", req)
        second = await gen.refine(first, "plus premium", req)
        assert second.channel == first.channel and second.channel.startswith("LinkedIn")
        assert "retraités" in second.rationale
        assert "«\u00a0pour les retraités sur LinkedIn\u00a0»" in second.rationale
        assert "«\u00a0plus premium\u00a0»" in second.rationale
        third = await gen.refine(second, "plus court", req)
        assert len(third.hook) < len(second.hook) and "retraités" in third.rationale


# ---- QA regressions: grammar of slots, brief quoting, sector filtering ----

def test_product_with_figures_keeps_its_article() -> None:
    from bot.ideas.generators.offline_text import product_np
    assert product_np("savings account at 4.5% APY", "en", "our") == (
        "our savings account at 4.5% APY")
    assert product_np("chaussures souples 0-3 ans", "fr", "our") == "nos chaussures souples 0-3 ans"
    assert product_np("Gourdo 2", "fr", "our") == "Gourdo 2"
    assert product_np("iPhone 15", "en", "our") == "iPhone 15"


async def test_product_never_bare_after_preposition(gen: OfflineGenerator,
                                                    catalogue: Catalogue) -> None:
    brand = BrandContext(product="savings account at 4.5% APY")
    for seed in range(6):
        for a in await gen.angles(request("en", brand, catalogue.ids(), seed=seed, brief="x")):
            assert not re.search(r"(?:without|on|about|behind) savings", a.hook + a.title), a


async def test_plural_brand_is_never_a_verb_subject(gen: OfflineGenerator,
                                                    catalogue: Catalogue) -> None:
    brand = BrandContext(brand="Les Glaneurs")
    for seed in range(8):
        for a in await gen.angles(request("fr", brand, catalogue.ids(), seed=seed, brief="x")):
            assert not re.search(r"Les Glaneurs (?:prend|ne |a |publie|lance|passe|travaille|"
                                 r"démonte|réagit|se moque|l'applique)", a.title + " " + a.hook), a


async def test_brief_clause_is_not_quoted_as_a_name(gen: OfflineGenerator,
                                                    catalogue: Catalogue) -> None:
    for brief in ("Je lance Pilotis, une appli pour les artisans",
                  "Nous sommes une association qui lutte contre le gaspillage alimentaire"):
        for seed in range(4):
            for a in await gen.angles(request("fr", BrandContext(), catalogue.ids(), seed=seed,
                                              brief=brief)):
                assert "« Je lance" not in a.rationale and "« Nous sommes" not in a.rationale


async def test_ngo_against_food_waste_gets_no_food_checks(gen: OfflineGenerator,
                                                          catalogue: Catalogue) -> None:
    brief = ("Nous sommes une association qui lutte contre le gaspillage alimentaire, "
             "nous recrutons des bénévoles")
    angles = await gen.angles(request("fr", BrandContext(), catalogue.ids(), brief=brief))
    checks = " ".join(c for a in angles for c in a.to_validate)
    assert "allergènes" not in checks
    hooks = " ".join(a.hook for a in angles)
    assert "création rare" not in hooks
    assert not any("de l'atelier" in a.channel for a in angles)


async def test_price_reduction_brief_gets_reference_price_check(gen: OfflineGenerator) -> None:
    for lang, brief, word in (("fr", "Black Friday : -30 % sur toute la boutique", "Omnibus"),
                              ("en", "30% off everything this weekend", "Omnibus")):
        angles = await gen.angles(request(lang, BrandContext(), FIVE, brief=brief))
        assert all(any(word in c for c in a.to_validate) for a in angles)


async def test_kids_shoes_have_no_food_clause(gen: OfflineGenerator) -> None:
    brand = BrandContext(product="chaussures souples pour enfants")
    angles = await gen.angles(request("fr", brand, FIVE, brief="Campagne pour nos chaussures"))
    checks = " ".join(c for a in angles for c in a.to_validate)
    assert "enfants" in checks and "alimentaire" not in checks


async def test_sector_specific_hooks_stay_in_their_sector(gen: OfflineGenerator,
                                                          catalogue: Catalogue) -> None:
    shoes = BrandContext(product="chaussons pour bébé en cuir")
    saas = BrandContext(product="logiciel SaaS de facturation", tone="premium")
    for seed in range(10):
        for a in await gen.angles(request("fr", shoes, catalogue.ids(), seed=seed, brief="x")):
            assert "c'est l'outil" not in a.hook
        for a in await gen.angles(request("en", saas, catalogue.ids(), seed=seed, brief="x")):
            assert "Take the time to feel it" not in a.hook


async def test_occasion_in_at_most_two_titles(gen: OfflineGenerator) -> None:
    for seed in range(6):
        angles = await gen.angles(request("fr", FULL_FR, FIVE, seed=seed,
                                          brief="Campagne pour la rentrée"))
        assert sum("rentrée" in a.title.lower() for a in angles) <= 2


async def test_newsjacking_without_occasion_names_no_season(gen: OfflineGenerator) -> None:
    for seed in range(10):
        angles = await gen.angles(request("en", FULL_EN, ["newsjacking"], seed=seed, brief="x"))
        assert "time of year" not in angles[0].hook


# ---- refine regressions: uncommon tone words, one sentence, playful, English product ----

def _in_register(gen: OfflineGenerator, angle: Angle, lang: str, tone: str) -> bool:
    """The hook closes on the tone's kicker or opens like a hook tagged with that tone."""
    sw = gen.wording.strategies[lang][angle.strategy]
    return any(k in angle.hook for k in gen.wording.common[lang].kickers[tone]) or any(
        v.tone == tone and angle.hook.startswith(v.text.split("{")[0][:20]) for v in sw.hooks)


@pytest.mark.parametrize(("instruction", "tone"), [
    ("plus militant", "bold"), ("plus engagée", "bold"), ("more activist", "bold"),
    ("more committed", "bold"), ("militant", "bold"), ("plus élégant", "premium"),
    ("plus raffiné", "premium"), ("plus chic", "premium"), ("plus sobre", "premium"),
    ("plus décalé", "playful"), ("more quirky", "playful"), ("plus rassurant", "emotional"),
    ("plus bienveillant", "emotional"), ("more warm", "emotional"), ("plus expert", "serious"),
])
async def test_uncommon_tone_word_maps_to_nearest_register(
        gen: OfflineGenerator, instruction: str, tone: str) -> None:
    assert parse_refinement(instruction).get("tone") == tone
    lang, brand = ("en", FULL_EN) if instruction.startswith("more") else ("fr", FULL_FR)
    req = request(lang, brand, strategies=["storytelling", "newsjacking", "tribe", "manifesto"])
    for angle in await gen.angles(req):
        refined = await gen.refine(angle, instruction, req)
        assert _in_register(gen, refined, lang, tone), (instruction, refined.hook)


@pytest.mark.parametrize(("lang", "instruction"), [
    ("fr", "en une phrase"), ("fr", "en une ligne"), ("en", "in one sentence"), ("en", "one-liner"),
])
async def test_refine_in_one_sentence(gen: OfflineGenerator, lang: str, instruction: str) -> None:
    assert parse_refinement(instruction) == {"length": "short", "sentences": "one"}
    brand = FULL_FR if lang == "fr" else FULL_EN
    req = request(lang, brand, strategies=["humour", "before-after", "ritual", "distant-analogy"])
    for angle in await gen.angles(req):
        refined = await gen.refine(angle, instruction, req)
        # One sentence: no full stop, "?" or "!" followed by another sentence.
        assert not re.search(r"[.!?…][\s\u00a0]+[«“\"(]?[A-ZÀ-Ö]", refined.hook), refined.hook
        assert len(refined.hook) < len(angle.hook), (angle.hook, refined.hook)


async def test_more_playful_uses_the_playful_register(gen: OfflineGenerator) -> None:
    cases = (("en", FULL_EN, "more playful"), ("fr", FULL_FR, "plus drôle"))
    for lang, brand, instruction in cases:
        for seed in range(4):
            req = request(lang, brand, strategies=["newsjacking", "challenge-ugc", "data-insight"],
                          seed=seed)
            for angle in await gen.angles(req):
                refined = await gen.refine(angle, instruction, req)
                assert _in_register(gen, refined, lang, "playful"), refined.hook
                assert "slightly different" not in refined.hook
                assert "un peu différente" not in refined.hook


async def test_english_product_in_french_is_quoted_not_pluralised(gen: OfflineGenerator) -> None:
    brand = BrandContext(brand="Banco", product="savings account", audience="jeunes actifs")
    req = request("fr", brand, strategies=ALL, brief="Faire connaître notre livret d'épargne")
    for angle in await gen.angles(req):
        for text in texts(angle):
            assert "nos savings" not in text and "vos savings" not in text, text
    slots = gen._build_context("", brand, "fr", None).slots
    assert slots["our_product"] == "notre offre «\u00a0savings account\u00a0»"
    assert slots["de_our_product"].startswith("de notre offre")
