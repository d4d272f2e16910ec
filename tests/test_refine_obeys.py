"""Refine, measured on real briefs: every kind obeyed on every angle, whole sentences only.

The QA sessions saw "refine 1 shorter" cut a hook mid-sentence ("on a compté au
lieu."), "shorter" then "with a testimonial" give a cut non-testimonial, and "I
could only change the wording" instead of doing or refusing. Here each kind is
asked on each angle of several briefs read by the real reader, alone and after
a "shorter", and checked on the output by bench/refine_checks.py.
"""

from __future__ import annotations

from collections import Counter

import pytest

from bench.refine_checks import REFINES, obeyed, refused_plainly, well_formed
from bot.brief.brand import BrandContext
from bot.brief.reader import read_brief
from bot.dialogue.refine_kinds import default_table
from bot.ideas.catalogue import Catalogue
from bot.ideas.generators.base import AngleRequest
from bot.ideas.generators.brief_refine import first_sentence, shorter_text
from bot.ideas.generators.offline import OfflineGenerator
from bot.kernel.messages import Angle

BRIEFS = [
    ("fr", "Crédit immobilier Banque Lumière : taux fixe à 3,2 % sur 20 ans pour les "
           "primo-accédants à Lyon, objectif : leads, ton rassurant"),
    ("fr", "Ateliers Vauclair, manufacture horlogère du Jura, présente un tourbillon en édition "
           "limitée à 48 pièces, prix 38 000 €. Cible : collectionneurs en France. Ton feutré."),
    ("fr", "L'association Le Toit Partagé héberge des familles sans abri à Marseille. Un don de "
           "30 € finance 3 nuits au chaud. Ton digne, jamais misérabiliste."),
    ("en", "Harbour Lane is a whole-of-market mortgage broker in the UK focused on first-time "
           "buyers in the North West. Tone: calm, plain English, no pressure."),
    ("en", "Pagepals is a reading app for children aged 5-9 in the UK, £4.99 a month after a "
           "14-day free trial. We market to parents, not children. Tone: warm."),
    ("en", "Grainful is a DTC plant-based protein bar brand in the US. Target: women 25-40 who "
           "read labels. Tone: upbeat but honest, never discount."),
]
# A brief the brief writer finds too thin goes through the older templates (today).
THIN = ("en", "Sharp & Co is an independent barber shop in Headingley, Leeds. We want more "
              "walk-ins from students. Tone: cheeky, local, Yorkshire humour welcome.")


@pytest.fixture(scope="module")
def gen() -> OfflineGenerator:
    return OfflineGenerator(Catalogue.load())


async def _answer(gen: OfflineGenerator, lang: str, text: str,
                  seed: int) -> tuple[list[Angle], AngleRequest]:
    model = read_brief(text, lang)
    ids = Catalogue.load().ids()
    strategies = [ids[(seed * 7 + i * 3) % len(ids)] for i in range(5)]
    request = AngleRequest(brief=text, brand=BrandContext(), lang=lang, strategies=strategies,
                           seed=seed, model=model)
    angles = await gen.angles(request)
    shown = tuple((a.title, a.hook) for a in angles)
    return angles, AngleRequest(brief=text, brand=BrandContext(), lang=lang,
                                strategies=strategies, seed=seed, model=model, shown=shown)


async def test_every_kind_obeyed_on_every_angle_and_after_shorter(gen) -> None:
    results: Counter[tuple[str, bool]] = Counter()
    broken: list[str] = []
    for seed, (lang, text) in enumerate(BRIEFS, start=1):
        model = read_brief(text, lang)
        angles, request = await _answer(gen, lang, text, seed)
        for n, angle in enumerate(angles):
            starts = [angle]
            if n == 0:
                starts.append(await gen.refine(angle, REFINES["shorter"][lang], request))
            for start in starts:
                for kind, phrases in REFINES.items():
                    before = start
                    if kind == "vouvoiement" and lang == "fr":
                        before = await gen.refine(start, "tutoiement", request)
                    after = await gen.refine(before, phrases[lang], request)
                    if not well_formed(after.hook):
                        broken.append(after.hook)
                    results[(kind, obeyed(kind, before, after, model, lang)
                             or refused_plainly(after))] += 1
    assert not broken, broken[:5]  # never a cut sentence or an unclosed quote
    for kind in REFINES:
        done, total = results[(kind, True)], results[(kind, True)] + results[(kind, False)]
        assert done / total >= 0.9, (kind, done, total)
    assert sum(results[(k, True)] for k in REFINES) / sum(results.values()) >= 0.97


async def test_shorter_then_a_testimonial_is_a_whole_testimonial(gen) -> None:
    for seed, (lang, text) in enumerate(BRIEFS, start=1):
        angles, request = await _answer(gen, lang, text, seed)
        short = await gen.refine(angles[0], REFINES["shorter"][lang], request)
        quoted = await gen.refine(short, REFINES["testimonial"][lang], request)
        assert quoted.hook[:1] in "«“" and well_formed(quoted.hook), quoted.hook
        assert "as a testimonial" in quoted.rationale or "témoignage" in quoted.rationale
        again = await gen.refine(quoted, REFINES["shorter"][lang], request)
        assert well_formed(again.hook), again.hook
        if again.hook != quoted.hook:  # cut inside the quote, which stays whole
            assert again.hook[:1] in "«“" and len(again.hook) < len(quoted.hook), again.hook


def test_cuts_keep_quotes_and_never_end_on_a_function_word() -> None:
    quote = ("« Je ne pensais pas que ça pouvait devenir si simple, côté collecte. » — "
             "[client réel, nom et métier à confirmer]")
    assert shorter_text(quote) == ("« Je ne pensais pas que ça pouvait devenir si simple. » — "
                                   "[client réel, nom et métier à confirmer]")
    two = "“On DTC, we feared the worst. Now we don't think about it.” They said it, not us."
    assert first_sentence(two) == "“On DTC, we feared the worst.” They said it, not us."
    assert shorter_text("« Ligne » : un geste par jour, pendant sept jours. On vous "
                        "accompagne.") == "« Ligne » : un geste par jour, pendant sept jours."
    assert shorter_text("Côté TAEG, on a compté au lieu de supposer.") is None
    assert shorter_text("Sobre ? Trois questions à se poser avant de décider. La troisième "
                        "est souvent oubliée.") == ("Sobre ? Trois questions à se poser avant "
                                                    "de décider.")  # never just "Sobre ?"
    for bad in ("Côté TAEG, on a compté au lieu.", "The figure: 2.1% to.", "« Côté ligne, on a"):
        assert not well_formed(bad)
    for good in ("Rencontrez-les.", "Come in.", "Voici le chapitre un."):
        assert well_formed(good)


@pytest.mark.parametrize(("lang", "ask", "who"), [
    ("fr", "avec un témoignage de bénévole", "bénévole"),
    ("fr", "avec un témoignage d'habitant", "habitant"),
    ("en", "with a testimonial from a parent", "parent"),
])
async def test_the_voice_asked_for_a_testimonial_is_credited(gen, lang, ask, who) -> None:
    text = BRIEFS[2][1] if lang == "fr" else BRIEFS[4][1]
    angles, request = await _answer(gen, lang, text, 3)
    for angle in angles:
        after = await gen.refine(angle, ask, request)
        assert after.hook[:1] in "«“", after.hook
        assert f"[{who} — " in after.hook and "client" not in after.hook.split("—")[-1]


async def test_goals_are_never_put_forward_as_results(gen) -> None:
    text = ("Transports Berthier, transporteur à Montauban, doit recruter 120 conducteurs poids "
            "lourds d'ici septembre. Atouts : retour à la maison tous les soirs. Ton direct.")
    angles, request = await _answer(gen, "fr", text, 2)
    for ask in ("avec le chiffre en avant", "avec un chiffre"):
        after = await gen.refine(angles[0], ask, request)
        assert "120 conducteurs" not in after.hook
        assert "objectifs internes" in after.rationale


async def test_what_is_said_as_changed_shows_and_the_unknown_is_said(gen) -> None:
    for seed, (lang, text) in enumerate(BRIEFS, start=1):
        angles, request = await _answer(gen, lang, text, seed)
        for angle in angles:
            asked = await gen.refine(angle, REFINES["question"][lang], request)
            changed = asked.rationale.partition("changé" if lang == "fr" else "changed")[2]
            said_done = ("en question" if lang == "fr" else "as a question") in changed
            assert not said_done or asked.hook.rstrip().endswith("?"), asked
            assert asked.hook.rstrip().endswith("?") or refused_plainly(asked), asked
        odd = await gen.refine(angles[0], "plus schtroumpf" if lang == "fr" else "more smurfy",
                               request)
        assert ("Je n'ai pas reconnu" in odd.rationale if lang == "fr"
                else "I didn't recognise" in odd.rationale), odd.rationale
        assert "rien pu changer" not in odd.rationale and "only change the wording" not in \
            odd.rationale


@pytest.mark.parametrize(("phrase", "kind"), [
    ("plus gouailleur", "playful"), ("more cheeky", "playful"), ("plainer English", "plain"),
    ("tutoie-les", "tutoiement"), ("make it pop", "wilder"), ("avec un verbatim", "testimonial"),
    ("phrase it as a question", "question"), ("plus feutré", "premium"),
])
def test_more_ways_of_asking_are_understood(phrase: str, kind: str) -> None:
    assert kind in default_table().read([phrase]).kinds


def test_only_how_it_addresses_people_carries_over_to_the_next_refine() -> None:
    table = default_table()
    assert table.read_now(["plus court"], "avec un témoignage").kinds == ("testimonial",)
    assert table.read_now(["tutoiement"], "plus drôle").kinds == ("tutoiement", "playful")
    switched = table.read_now(["tutoiement"], "vouvoiement")
    assert switched.kinds == ("vouvoiement",) and switched.conflicts == (
        ("tutoiement", "vouvoiement"),)


async def test_a_thin_brief_says_what_its_templates_cannot_do(gen) -> None:
    lang, text = THIN
    angles, request = await _answer(gen, lang, text, 4)
    for ask in ("with a testimonial", "as a question"):
        after = await gen.refine(angles[0], ask, request)
        done = after.hook[:1] in "«“" if "testimonial" in ask else after.hook.endswith("?")
        assert done or refused_plainly(after), after
    odd = await gen.refine(angles[0], "more smurfy", request)
    assert "I didn't recognise" in odd.rationale
