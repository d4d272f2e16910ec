"""Offline angles written from the brief model: concern words, no repeats, grammar, sectors, claims.

The briefs of tests/writing_briefs.py are twenty realistic clients (fr and en,
regulated or not) with their brief model built by hand.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from bot.brief.brand import BrandContext, fold
from bot.brief.model import BriefModel, Figure, Item
from bot.ideas.answer_checks import MAX_PER_ANGLE, factor_checks
from bot.ideas.catalogue import Catalogue
from bot.ideas.diversity import THRESHOLD, mean_similarity
from bot.ideas.generators.base import AngleRequest
from bot.ideas.generators.offline import OfflineGenerator
from bot.ideas.sector_book import default_sector_book
from bot.kernel.messages import Angle
from tests.writing_briefs import BRIEFS


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load()


@pytest.fixture(scope="module")
def gen(catalogue: Catalogue) -> OfflineGenerator:
    return OfflineGenerator(catalogue)


def lang_of(model: BriefModel) -> str:
    return "fr" if model.lang == "fr" else "en"


def request(model: BriefModel, strategies: list[str], *, seed: int = 0,
            shown: tuple[tuple[str, str], ...] = ()) -> AngleRequest:
    return AngleRequest(brief=model.text, brand=BrandContext(), lang=lang_of(model),
                        strategies=strategies, seed=seed, model=model, shown=shown)


async def conversation(gen: OfflineGenerator, catalogue: Catalogue, model: BriefModel,
                       rounds: int = 10, seed: int = 0) -> list[list[Angle]]:
    """A first answer and `more` rounds, strategies rotating as the engine does."""
    ids = catalogue.ids()
    shown: list[tuple[str, str]] = []
    answers = []
    for r in range(rounds):
        start = (r * 5 + seed) % len(ids)
        strategies = [ids[(start + i) % len(ids)] for i in range(5)]
        angles = await gen.angles(request(model, strategies, seed=seed * 100 + r,
                                          shown=tuple(shown[-80:])))
        answers.append(angles)
        shown += [(a.title, a.hook) for a in angles]
    return answers


def concern_in(text: str, model: BriefModel) -> bool:
    folded = fold(text)
    for concern in model.concerns:
        bare = re.sub(r"^(?:le |la |les |l'|the |a |an )", "", fold(concern))
        if bare in folded:
            return True
    return False


async def test_every_hook_uses_one_of_the_brief_s_own_words(gen, catalogue) -> None:
    for model in BRIEFS:
        for answer in await conversation(gen, catalogue, model, rounds=3):
            for angle in answer:
                assert concern_in(angle.hook, model), (model.concerns, angle.hook)


async def test_no_hook_or_title_comes_back_in_ten_rounds_of_more(gen, catalogue) -> None:
    for seed, model in enumerate(BRIEFS):
        answers = await conversation(gen, catalogue, model, rounds=10, seed=seed)
        hooks = [a.hook for ans in answers for a in ans]
        titles = [a.title for ans in answers for a in ans]
        assert len(hooks) == 50
        assert len(set(hooks)) == 50, model.text
        assert len(set(titles)) == 50, model.text


async def test_the_same_hook_never_serves_two_clients(gen, catalogue) -> None:
    owner: dict[str, int] = {}
    for i, model in enumerate(BRIEFS):
        for answer in await conversation(gen, catalogue, model, rounds=4):
            for angle in answer:
                assert owner.setdefault(angle.hook, i) == i, angle.hook


_BROKEN = [
    re.compile(r"\{|\}|\[\[|\]\]"),  # a slot or an address marker left in
    re.compile(r"\s[,.;]|\.\.|  "),  # stray spaces and doubled stops
    re.compile(r"(?i)\b(?:de|que|le|la|ne|je) [aeiouéèêh][a-zé]"),  # missing elision
    re.compile(r"(?i)\b(?:a) [aeiou][a-z]+\b(?<!\ba one\b)"),  # English "a ordinary"
]
_FR_OK = re.compile(r"(?i)\b(?:le|la) (?:h\w+)\b")  # aspirated h ("le héros") is fine


@pytest.mark.parametrize("model", BRIEFS, ids=lambda m: m.text[:30])
async def test_lines_read_as_sentences(gen, catalogue, model: BriefModel) -> None:
    lang = lang_of(model)
    for answer in await conversation(gen, catalogue, model, rounds=10):
        for angle in answer:
            for text in (angle.title, angle.hook):
                for pattern in _BROKEN[:2] if lang == "en" else _BROKEN[:3]:
                    found = pattern.search(text.replace("\u00a0", " ").replace("\u202f", " "))
                    assert found is None or _FR_OK.match(found.group(0)), (text, found)
                if lang == "en":
                    assert not _BROKEN[3].search(text.replace("a 6 a.m", "")), text
            assert angle.hook[:1].isupper() or angle.hook[:1] in "«“0123456789£$€", angle.hook
            # Quotes are balanced: an opened « or “ is closed.
            assert angle.hook.count("«") == angle.hook.count("»"), angle.hook
            assert angle.hook.count("“") == angle.hook.count("”"), angle.hook


async def test_figures_are_quoted_exactly(gen, catalogue) -> None:
    model = BRIEFS[7]  # crédit immobilier: "3,2 %", "25 ans"
    seen = " ".join(a.hook for ans in await conversation(gen, catalogue, model) for a in ans)
    assert "3,2 %" in seen.replace("\u00a0", " ") or "3,2\u00a0%" in seen
    assert "3.2" not in seen and "3,20" not in seen


async def test_answers_stay_under_the_diversity_threshold(gen, catalogue) -> None:
    for model in BRIEFS[:8]:
        for answer in await conversation(gen, catalogue, model, rounds=10):
            assert mean_similarity([a.hook for a in answer]) <= THRESHOLD + 0.05


# ---- sectors ----

SECTOR_CASES = [  # (brief index, a word of the sector's own material that should show up)
    (0, "cybersecurity"), (1, "bakery_restaurants"), (3, "luxury_watches_jewellery"),
    (5, "otc_medicines"), (6, "charities"), (17, "gaming_gambling"),
]


@pytest.mark.parametrize(("index", "sector"), SECTOR_CASES)
async def test_each_sector_gets_its_own_checks_and_material(gen, catalogue, index: int,
                                                            sector: str) -> None:
    book = default_sector_book()
    model = BRIEFS[index]
    assert sector in model.sectors
    lang = lang_of(model)
    expected = {c.text for c in book.checks(model.sectors, model.market, lang, model.text)}
    answers = await conversation(gen, catalogue, model, rounds=3)
    checks = [c for ans in answers for a in ans for c in a.to_validate]
    assert expected & set(checks), "the sector's own checks are used"
    # The rationale speaks from the sector's material or the brief's words.
    whys = " ".join(a.rationale for ans in answers for a in ans)
    assert any(c.split(" ", 1)[-1].lstrip("l'") in whys for c in model.concerns)


async def test_no_french_rule_for_a_uk_brief(gen, catalogue) -> None:
    book = default_sector_book()
    model = BRIEFS[2]  # the Leeds bakery
    assert model.market == "uk"
    french_only = ({c.text for c in book.checks(model.sectors, "fr", "en", model.text)}
                   - {c.text for c in book.checks(model.sectors, "uk", "en", model.text)})
    assert french_only, "the sector has France-only rules to leave out"
    for answer in await conversation(gen, catalogue, model, rounds=3):
        for angle in answer:
            assert not french_only & set(angle.to_validate), angle.to_validate


async def test_a_check_shared_by_every_angle_is_said_once(gen, catalogue) -> None:
    model = BRIEFS[5]  # throat lozenges: medicine rules apply to every angle
    angles = (await conversation(gen, catalogue, model, rounds=1))[0]
    before = [list(a.to_validate) for a in angles]
    common = factor_checks(angles)
    assert common, "medicine rules are common to the whole answer"
    for angle, old in zip(angles, before, strict=True):
        assert len(angle.to_validate) <= MAX_PER_ANGLE
        assert not set(common) & set(angle.to_validate)
        assert angle.to_validate == [c for c in old if c not in common][:MAX_PER_ANGLE]


REGULATED = [  # sector, market, lang, concerns tempting a forbidden claim
    ("otc_medicines", "fr", "fr", ("le mal de gorge", "guérison rapide", "la pharmacie")),
    ("otc_medicines", "uk", "en", ("sore throats", "a cure", "the pharmacy")),
    ("food_supplements", "fr", "fr", ("l'immunité", "la fatigue", "les vitamines")),
    ("alcohol", "uk", "en", ("Islay botanicals", "the peat", "the bar trade")),
    ("gaming_gambling", "uk", "en", ("the beginners' league", "easy money", "poker")),
    ("credit_loans", "fr", "fr", ("le taux fixe", "crédit gratuit", "l'apport")),
    ("investment_crypto", "en", "en", ("bitcoin", "guaranteed returns", "the wallet")),
    ("charities", "fr", "fr", ("l'aide aux devoirs", "les bénévoles", "le décrochage")),
    ("tobacco_vaping", "fr", "fr", ("la vape", "l'arrêt du tabac", "les arômes")),
    ("beauty_cosmetics", "fr", "fr", ("les rides", "la peau sensible", "anti-âge")),
]


@pytest.mark.parametrize(("sector", "market", "lang", "concerns"), REGULATED,
                         ids=[f"{r[0]}-{r[1]}" for r in REGULATED])
async def test_no_forbidden_claim_in_any_hook_across_many_seeds(
        gen, catalogue, sector: str, market: str, lang: str, concerns: tuple[str, ...]) -> None:
    book = default_sector_book()
    model = BriefModel(text=f"{' '.join(concerns)}", lang=lang, sectors=(sector,), market=market,
                       concerns=concerns, figures=(Figure("100 %", "percent"),),
                       fields={"brand": Item("Brandon", "said")})
    for seed in range(12):
        for answer in await conversation(gen, catalogue, model, rounds=2, seed=seed):
            for angle in answer:
                text = f"{angle.title}. {angle.hook}"
                assert not book.violations(text, model.sectors, market, lang), text


async def test_a_concern_that_is_itself_a_forbidden_claim_is_left_out(gen, catalogue) -> None:
    book = default_sector_book()
    model = BriefModel(text="Pastilles", lang="fr", sectors=("otc_medicines",), market="fr",
                       concerns=("guérit en une nuit", "le miel"))
    assert book.violations("Guérit en une nuit : la preuve.", model.sectors, "fr", "fr")
    for answer in await conversation(gen, catalogue, model, rounds=4):
        for angle in answer:
            assert "guérit" not in angle.hook.lower(), angle.hook


async def test_a_brief_without_concerns_keeps_the_older_wording(gen) -> None:
    model = BriefModel(text="Des idées", lang="fr")
    req = request(model, ["storytelling"])
    plain = replace(req, model=BriefModel())
    assert [a.hook for a in await gen.angles(req)] == [a.hook for a in await gen.angles(plain)]
