"""Refine obeys: one test per instruction kind, in French and English, checked on the output.

Also: what cannot be done offline is said, what the brief rules out is refused
plainly, contradictions keep the last wish and say so, and nothing of a
refinement leaks into the next fresh angles.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot.brief.brand import BrandContext
from bot.brief.model import BriefModel, Exclusion, Figure, Item
from bot.dialogue.refine_kinds import default_table
from bot.ideas.catalogue import Catalogue
from bot.ideas.exclusions import default_guard
from bot.ideas.generators.base import AngleRequest
from bot.ideas.generators.brief_wording import load_brief_wording
from bot.ideas.generators.offline import OfflineGenerator
from bot.ideas.generators.offline_text import sentences
from bot.kernel.messages import Angle

MODELS = {
    "fr": BriefModel(
        text="Banque Orée : crédit immobilier à taux fixe de 3,2 % pour les primo-accédants, "
        "sur 25 ans.",
        lang="fr",
        sectors=("credit_loans",),
        market="fr",
        concerns=("le taux fixe", "le premier achat", "l'apport"),
        figures=(Figure("3,2 %", "percent"), Figure("25 ans", "duration")),
        fields={
            "brand": Item("Banque Orée", "said"),
            "product": Item("un crédit immobilier", "said"),
            "audience": Item("les primo-accédants", "said"),
        },
    ),
    "en": BriefModel(
        text="Keystone Cover: renters insurance in London, claims paid in 48 hours.",
        lang="en",
        sectors=("insurance",),
        market="uk",
        concerns=("burst pipes", "the deposit", "claims"),
        figures=(Figure("48 hours", "duration"),),
        fields={
            "brand": Item("Keystone Cover", "said"),
            "product": Item("renters insurance", "said"),
            "audience": Item("London renters", "said"),
        },
    ),
}
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
TU = re.compile(r"(?i)(?<![\w'])(?:tu|te|toi|ton|ta|tes)(?![\w])|(?<![\w'])t'")
JARGON = BriefModel(exclusions=(Exclusion("jargon", "jargon"),))


@pytest.fixture(scope="module")
def gen() -> OfflineGenerator:
    return OfflineGenerator(Catalogue.load())


def req(lang: str, model: BriefModel | None = None, strategy: str = "storytelling") -> AngleRequest:
    model = model or MODELS[lang]
    return AngleRequest(
        brief=model.text,
        brand=BrandContext(),
        lang=lang,
        strategies=[strategy],
        seed=3,
        model=model,
    )


async def first_angle(
    gen: OfflineGenerator,
    lang: str,
    strategy: str = "storytelling",
    model: BriefModel | None = None,
) -> Angle:
    (angle,) = await gen.angles(req(lang, model, strategy))
    return angle


def in_pool(hook: str, pool: str, lang: str) -> bool:
    """The hook was written from a line of that register or form (prompts/writing/)."""
    wording = load_brief_wording(Catalogue.load().ids())
    lines = [
        *wording.moves[lang].hooks.get(pool, ()),
        *(
            v
            for s in wording.strategies[lang].values()
            for v in s.hooks
            if v.tone == pool or pool in v.tags
        ),
    ]
    plain = hook.replace("\u00a0", " ")
    for line in lines:
        pattern = re.escape(line.text)
        pattern = re.sub(r"\\\[\\\[(.*?)\\\|(.*?)\\\]\\\]", r"(?:\1|\2)", pattern)
        pattern = re.sub(r"\\\{\w+\\\}", ".+?", pattern)
        if re.match(pattern, plain, re.IGNORECASE):
            return True
    return False


Check = Callable[[Angle, Angle, str], bool]


def pool(name: str) -> Check:
    return lambda before, after, lang: after.hook != before.hook and in_pool(after.hook, name, lang)


CASES: dict[str, tuple[str, str, Check]] = {
    "shorter": ("plus court", "shorter", lambda b, a, _: len(a.hook) < len(b.hook)),
    "longer": ("plus long", "longer", lambda b, a, _: len(a.hook) > len(b.hook)),
    "one_sentence": (
        "en une phrase",
        "in one sentence",
        lambda b, a, _: len(sentences(a.hook)) == 1 and a.hook != b.hook,
    ),
    "funnier": ("plus drôle", "funnier", pool("playful")),
    "humour_no_pun": (
        "de l'humour mais pas de jeu de mots",
        "humour but no pun",
        lambda b, a, lang: pool("playful")(b, a, lang) and "pun" not in a.hook,
    ),
    "premium": ("plus premium", "more premium", pool("premium")),
    "emotional": ("plus émouvant", "more emotional", pool("emotional")),
    "wilder": ("plus fou", "wilder", pool("bold")),
    "softer": ("plus doux", "softer", pool("soft")),
    "serious": ("plus sérieux", "more serious", pool("serious")),
    "factual": ("plus factuel", "more factual", pool("rational")),
    "concrete": ("plus concret", "more concrete", pool("concrete")),
    "testimonial": (
        "avec un témoignage",
        "with a testimonial",
        lambda b, a, _: a.hook[:1] in "«“" and "—" in a.hook,
    ),
    "figure": (
        "avec un chiffre",
        "with a figure",
        lambda b, a, lang: any(
            f.text in a.hook.replace("\u00a0", " ") for f in MODELS[lang].figures
        ),
    ),
    "forward": (
        "avec le taux en avant",
        "lead with the number",
        lambda b, a, lang: a.hook.replace("\u00a0", " ").startswith(
            "3,2 %" if lang == "fr" else "48 hours"
        ),
    ),
    "channel": ("pour LinkedIn", "for LinkedIn", lambda b, a, _: a.channel.startswith("LinkedIn")),
    "question": ("en question", "as a question", lambda b, a, _: a.hook.rstrip().endswith("?")),
    "no_jargon": (
        "sans jargon",
        "without jargon",
        lambda b, a, lang: (
            pool("plain")(b, a, lang) and not default_guard().breaks(a.hook, JARGON, lang)
        ),
    ),
    "simpler": ("avec des mots plus simples", "simpler words", pool("plain")),
    "younger": ("pour un public plus jeune", "for a younger audience", pool("young")),
    "urgent": ("plus urgent", "more urgent", pool("urgency")),
    "local": ("plus local", "more local", pool("local")),
    "b2b": ("version B2B", "B2B", pool("b2b")),
    "cta": (
        "avec un appel à l'action",
        "with a call to action",
        lambda b, a, _: a.hook.startswith(b.hook[:15]) and len(a.hook) > len(b.hook),
    ),
    "no_brand": (
        "sans le nom de la marque",
        "without the brand name",
        lambda b, a, lang: MODELS[lang].get("brand") not in f"{a.title} {a.hook}",
    ),
    "emoji": ("avec un emoji", "with an emoji", lambda b, a, _: bool(EMOJI.search(a.hook))),
    "positive": ("plus positif", "more positive", pool("soft")),
    "audience": (
        "pour les retraités",
        "for retirees",
        lambda b, a, lang: ("Retraités" if lang == "fr" else "Retirees") in a.hook,
    ),
}


def test_the_table_has_at_least_25_kinds_in_both_languages() -> None:
    table = default_table()
    assert len(table.kinds()) >= 25
    for kind in table.kinds():
        assert table.label(kind, "fr") and table.label(kind, "en")


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("kind", list(CASES))
async def test_each_instruction_changes_what_it_asks(gen, kind: str, lang: str) -> None:
    fr, en, check = CASES[kind]
    before = await first_angle(gen, lang)
    after = await gen.refine(before, fr if lang == "fr" else en, req(lang))
    assert check(before, after, lang), (kind, before.hook, after.hook, after.rationale)
    assert after.strategy == before.strategy
    # What changed is said, in the user's language.
    assert ("Ce que j'ai changé" if lang == "fr" else "What I changed") in after.rationale


async def test_tutoiement_then_vouvoiement(gen) -> None:
    before = await first_angle(gen, "fr")
    tu = await gen.refine(before, "tutoiement", req("fr"))
    assert TU.search(tu.hook), tu.hook
    vous = await gen.refine(tu, "vouvoiement", req("fr"))
    assert not TU.search(vous.hook), vous.hook
    assert "se contredisent" in vous.rationale  # the earlier "tutoiement" gave way, and it says so


async def test_tu_and_vous_do_not_apply_in_english(gen) -> None:
    before = await first_angle(gen, "en")
    after = await gen.refine(before, "use tu", req("en"))
    assert "don't apply in English" in after.rationale


async def test_what_cannot_be_done_offline_is_said_plainly(gen) -> None:
    for lang, ask, said in (("fr", "en vers", "hors ligne"), ("en", "as a song", "offline")):
        before = await first_angle(gen, lang)
        after = await gen.refine(before, ask, req(lang))
        assert said in after.rationale and ask in after.rationale
        assert after.hook != before.hook  # still a new version, not the same text back


@pytest.mark.parametrize(
    ("ask", "key"),
    [
        ("plus urgent", "urgency"),
        ("plus drôle", "humour"),
        ("tutoiement", "tutoiement"),
        ("avec un emoji", "emoji"),
    ],
)
async def test_what_the_brief_rules_out_is_refused_plainly(gen, ask: str, key: str) -> None:
    model = BriefModel(
        text=MODELS["fr"].text,
        lang="fr",
        concerns=MODELS["fr"].concerns,
        figures=MODELS["fr"].figures,
        fields=MODELS["fr"].fields,
        exclusions=(Exclusion(key, f"jamais de {key}"),),
    )
    before = await first_angle(gen, "fr", model=model)
    after = await gen.refine(before, ask, req("fr", model))
    assert "votre brief l'exclut" in after.rationale
    assert not default_guard().breaks(after.hook, model, "fr"), after.hook


async def test_with_a_figure_when_the_brief_has_none(gen) -> None:
    model = BriefModel(text="Boulangerie", lang="fr", concerns=("le levain", "le seigle"))
    before = await first_angle(gen, "fr", model=model)
    after = await gen.refine(before, "avec un chiffre", req("fr", model))
    assert "je n'en invente pas" in after.rationale
    assert not re.search(r"\d", after.hook)


async def test_a_contradiction_keeps_the_last_wish_and_says_so(gen) -> None:
    before = await first_angle(gen, "fr")
    after = await gen.refine(before, "plus court, puis finalement plus long", req("fr"))
    assert len(after.hook) > len(before.hook)
    assert "se contredisent" in after.rationale


async def test_a_second_refine_keeps_the_first_one(gen) -> None:
    before = await first_angle(gen, "en")
    cta = await gen.refine(before, "with a call to action", req("en"))
    both = await gen.refine(cta, "with an emoji", req("en"))
    assert EMOJI.search(both.hook)
    assert any(line in both.hook for line in ("Find out how", "Book", "Sign up", "Download"))


async def test_refine_wording_never_leaks_into_later_angles(gen) -> None:
    lang = "fr"
    before = await first_angle(gen, lang)
    refined = await gen.refine(before, "plus drôle avec un appel à l'action", req(lang))
    later = await gen.angles(
        AngleRequest(
            brief=MODELS[lang].text,
            brand=BrandContext(),
            lang=lang,
            strategies=["storytelling", "contrarian", "humour", "tribe", "ritual"],
            seed=9,
            model=MODELS[lang],
            shown=((before.title, before.hook), (refined.title, refined.hook)),
        )
    )
    for angle in later:
        assert "retravaillée" not in angle.rationale and "consigne" not in angle.rationale
        assert "Découvrez comment" not in angle.hook and "Inscrivez-vous" not in angle.hook
        assert angle.hook != refined.hook
