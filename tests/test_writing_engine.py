"""The writing rules through the whole engine (real Redis, offline engine, the brief reader).

A brief with exclusions and a sector: over several rounds of `more`, no hook
breaks what the brief rules out, no hook or title repeats, a check shared by
every angle is said once in the answer's text and each angle keeps at most 3.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.app import build_engine
from bot.brief.brand import fold
from bot.brief.reader import read_brief
from bot.engine import Engine
from bot.kernel.settings import Settings
from tests.engine_helpers import Chat

BRIEF_FR = ("Cyberpilot, cyber-assurance pour les PME en France : ransomware, NIS2, sauvegardes. "
            "4 % des PME attaquées ferment dans l'année. Jamais de promo, pas d'urgence. "
            "Cible : dirigeants de PME. Objectif : notoriété. Ton : expert")
BRIEF_EN = ("Leeds sourdough bakery opening a second shop in Headingley. We never discount and we "
            "close on Black Friday. Audience: Leeds families. Objective: awareness. Tone: warm")
PROMO = re.compile(r"(?i)promo|r[ée]duction|remise|soldes|discount|% off|\bsale\b|black friday")


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[Engine]:
    engine = build_engine(replace(settings, angles_per_answer=5))
    yield engine
    await engine.aclose()


@pytest.mark.parametrize(("lang", "brief", "said_once", "words"), [
    ("fr", BRIEF_FR, "À vérifier pour toutes les pistes", ("ransomware", "nis2", "sauvegarde")),
    ("en", BRIEF_EN, "To verify for every angle", ("sourdough", "headingley", "shop", "bakery")),
])
async def test_rounds_of_more_keep_the_brief_s_rules(engine: Engine, lang: str, brief: str,
                                                     said_once: str,
                                                     words: tuple[str, ...]) -> None:
    chat = Chat(engine, user_id=f"test:writer-{lang}", conversation_id=f"test:w-{lang}",
                lang=lang)  # type: ignore[arg-type]
    reply = await chat.say(brief)
    if reply.kind == "questions":
        reply = await chat.say("vas-y" if lang == "fr" else "go")
    assert reply.kind == "angles"
    hooks: list[str] = []
    titles: list[str] = []
    for round_ in range(4):
        if round_:
            reply = await chat.say("encore" if lang == "fr" else "more")
            assert reply.kind == "angles"
        assert reply.text.count(said_once) <= 1
        for angle in reply.angles:
            assert not PROMO.search(f"{angle.title} {angle.hook}"), angle.hook
            assert len(angle.to_validate) <= 3
            hooks.append(angle.hook)
            titles.append(angle.title)
    assert len(set(hooks)) == len(hooks) == 20
    # Written from the brief: every hook carries one of the words the reader kept from it,
    # and most carry one a marketer would name.
    concerns = [fold(c).removeprefix("le ").removeprefix("la ").removeprefix("les ")
                .removeprefix("l'").removeprefix("the ") for c in read_brief(brief, lang).concerns]
    assert concerns
    assert all(any(c in fold(h) for c in concerns) for h in hooks), (concerns, hooks)
    assert sum(any(w in h.lower() for w in words) for h in hooks) >= 10, hooks
    assert len(set(titles)) == len(titles)
    assert said_once in chat.replies[-1].text or said_once in reply.text


async def test_a_validated_angle_keeps_every_check_for_the_export(engine: Engine) -> None:
    chat = Chat(engine, user_id="test:writer-export", conversation_id="test:w-export", lang="fr")
    reply = await chat.say(BRIEF_FR)
    if reply.kind == "questions":
        reply = await chat.say("vas-y")
    shown = reply.angles[0]
    assert len(shown.to_validate) <= 3
    await chat.say("valider 1")
    export = await chat.say("exporter")
    common = reply.text.split("À vérifier pour toutes les pistes", 1)[1].split("\n\n", 1)[0]
    first_common = next(line[2:] for line in common.splitlines() if line.startswith("- "))
    assert first_common[:40] not in "\n".join(shown.to_validate)  # said once, not per angle
    document = export.document.markdown if export.document else export.text
    assert first_common[:40] in document  # the shared rule goes with the validated angle
