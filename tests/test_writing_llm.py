"""The LLM path writes from the brief model and is held to its exclusions and the sector's rules.

With langchain's fake chat models (tests/llm_fakes.py): the prompt carries the
brief model, the exclusions in the user's words and the sector's checks for
the brief's market; an angle that breaks an exclusion or makes a forbidden
claim is asked again once, then dropped with a notice.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from langchain_core.messages import AIMessage

from bot.app import build_engine
from bot.brief.brand import BrandContext
from bot.brief.model import BriefModel, Exclusion, Figure, Item
from bot.ideas.catalogue import Catalogue
from bot.ideas.generators.base import AngleRequest, GenerationError
from bot.ideas.generators.llm import LLMGenerator
from bot.ideas.sector_book import default_sector_book
from tests.engine_helpers import Chat
from tests.llm_fakes import EchoAnglesChatModel, ScriptedChatModel, angle_dict

STRATEGIES = ["storytelling", "social-proof", "humour"]
MODEL = BriefModel(
    text="Mielgorge : pastilles pour la gorge au miel, en pharmacie. Jamais de promo.",
    lang="fr",
    sectors=("otc_medicines",),
    market="fr",
    concerns=("le mal de gorge", "le miel"),
    figures=(Figure("24 pastilles", "count"),),
    exclusions=(Exclusion("discount", "jamais de promo"),),
    fields={
        "brand": Item("Mielgorge", "said"),
        "audience": Item("les adultes enrhumés", "extracted"),
    },
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load()


def request(strategies: list[str] = STRATEGIES, model: BriefModel = MODEL) -> AngleRequest:
    return AngleRequest(
        brief=model.text,
        brand=BrandContext(),
        lang="fr",
        strategies=strategies,
        seed=1,
        model=model,
    )


def answer(hooks: dict[str, str], strategies: list[str] = STRATEGIES) -> str:
    items = []
    for n, sid in enumerate(strategies, 1):
        item = angle_dict(sid, "fr", n)
        if sid in hooks:
            item["hook"] = hooks[sid]
        items.append(item)
    return json.dumps({"angles": items}, ensure_ascii=False)


def prompt_of(model: ScriptedChatModel, call: int = 0) -> str:
    return "\n".join(str(m.content) for m in model.calls[call])


async def test_the_prompt_carries_the_brief_model_exclusions_and_sector_checks(catalogue) -> None:
    model = ScriptedChatModel([answer({})])
    gen = LLMGenerator(model, catalogue=catalogue)  # type: ignore[arg-type]
    await gen.angles(request())
    sent = prompt_of(model)
    assert "le mal de gorge, le miel" in sent  # the concerns
    assert "24 pastilles" in sent and "quote exactly" in sent  # the figures, to keep exact
    assert "market: fr" in sent and "otc_medicines" in sent
    assert "jamais de promo" in sent and "aucune promotion" in sent  # the exclusion, both ways
    book = default_sector_book()
    top = sorted(book.checks(MODEL.sectors, "fr", "fr", MODEL.text), key=lambda c: c.priority)[0]
    assert top.text[:60] in sent  # the sector's most important rule for France


async def test_a_uk_brief_gets_uk_rules_not_french_ones(catalogue) -> None:
    uk = BriefModel(
        text="Honey throat lozenges, sold in UK pharmacies.",
        lang="en",
        sectors=("otc_medicines",),
        market="uk",
        concerns=("sore throats",),
    )
    model = ScriptedChatModel([answer({}, STRATEGIES)])
    gen = LLMGenerator(model, catalogue=catalogue)  # type: ignore[arg-type]
    await gen.angles(
        AngleRequest(
            brief=uk.text, brand=BrandContext(), lang="en", strategies=STRATEGIES, seed=1, model=uk
        )
    )
    sent = prompt_of(model)
    book = default_sector_book()
    uk_rules = {c.text for c in book.checks(uk.sectors, "uk", "en", uk.text)}
    fr_only = {c.text for c in book.checks(uk.sectors, "fr", "en", uk.text)} - uk_rules
    assert any(rule[:50] in sent for rule in uk_rules)
    assert not any(rule[:50] in sent for rule in fr_only)


async def test_a_breaking_angle_is_retried_once_and_replaced(catalogue) -> None:
    model = ScriptedChatModel(
        [
            answer({"social-proof": "-20 % sur Mielgorge ce mois-ci, profitez de la promo !"}),
            answer(
                {"social-proof": "Le miel, la gorge apaisée : ils en parlent mieux que nous."},
                ["social-proof"],
            ),
        ]
    )
    gen = LLMGenerator(model, catalogue=catalogue)  # type: ignore[arg-type]
    req = request()
    angles = await gen.angles(req)
    assert [a.strategy for a in angles] == STRATEGIES
    assert "promo" not in " ".join(a.hook for a in angles)
    assert len(model.calls) == 2
    retry = prompt_of(model, 1)
    assert "-20 %" in retry  # the broken angle is shown as one not to repeat
    assert "[social-proof]" in retry and "[humour]" not in retry  # only that strategy again
    assert req.notices == []


async def test_a_forbidden_claim_twice_is_dropped_with_a_notice(catalogue) -> None:
    cure = "Mielgorge guérit votre mal de gorge en une nuit."
    model = ScriptedChatModel([answer({"humour": cure}), answer({"humour": cure}, ["humour"])])
    gen = LLMGenerator(model, catalogue=catalogue)  # type: ignore[arg-type]
    req = request()
    angles = await gen.angles(req)
    assert [a.strategy for a in angles] == ["storytelling", "social-proof"]
    assert [a.n for a in angles] == [1, 2]
    assert len(req.notices) == 1 and "écarté 1 piste" in req.notices[0]
    assert "medicines" in req.notices[0]


async def test_a_refine_that_breaks_the_brief_is_retried_then_falls_back(catalogue) -> None:
    good = answer({})
    bad = json.dumps(
        {
            "angle": {
                **angle_dict("storytelling", "fr"),
                "hook": "Dernière chance : -30 % sur nos pastilles !",
            }
        }
    )
    model = ScriptedChatModel([good, bad, bad])
    gen = LLMGenerator(model, catalogue=catalogue)  # type: ignore[arg-type]
    (first, *_) = await gen.angles(request())
    with pytest.raises(GenerationError):
        await gen.refine(first, "plus percutant", request())
    assert "promotion" in prompt_of(model, 1)  # the refine prompt carries the exclusions too
    assert "breaks what the brief rules out" in prompt_of(model, 2)  # the repair says why


async def test_liked_angles_stay_as_examples(catalogue) -> None:
    model = ScriptedChatModel([answer({}), answer({})])
    gen = LLMGenerator(model, catalogue=catalogue)  # type: ignore[arg-type]
    (liked, *_) = await gen.angles(request())
    from dataclasses import replace  # noqa: PLC0415

    await gen.angles(replace(request(), liked=[liked]))
    assert liked.hook[:40] in prompt_of(model, 1)


class _PromoPushingModel(EchoAnglesChatModel):
    """Answers like EchoAnglesChatModel, but its first angle always pushes a discount."""

    def _answer(self, messages):  # type: ignore[no-untyped-def]
        reply = super()._answer(messages)
        text = str(reply.content)
        if text.startswith('{"angles"'):
            data = json.loads(text)
            data["angles"][0]["hook"] = "-20 % on everything this week: grab the promo!"
            text = json.dumps(data)
        return AIMessage(content=text)


async def test_the_user_is_told_when_an_angle_was_dropped(settings) -> None:
    brief = "Rise & Crumb, a Leeds sourdough bakery. We never discount."
    model = _PromoPushingModel(readings={brief: {
        "product": "sourdough bread", "audience": "Leeds families", "objective": "awareness",
        "tone": "warm", "exclusions": [{"key": "discount", "text": "We never discount"}],
        "concerns": ["sourdough"]}})
    engine = build_engine(replace(settings, angles_per_answer=3), chat_model=model)
    try:
        chat = Chat(engine, user_id="test:llm-drop", conversation_id="test:llm-drop", lang="en")
        reply = await chat.say(brief)
        if reply.kind == "questions":
            reply = await chat.say("go")
        assert reply.kind == "angles"
        assert len(reply.angles) == 2  # the discount angle, asked again, broke it again
        assert not any("promo" in a.hook for a in reply.angles)
        assert any("dropped 1 angle" in n for n in reply.notices)
        assert "dropped 1 angle" in reply.text
    finally:
        await engine.aclose()


def test_the_prompt_says_which_figures_are_goals_and_how_to_address_the_reader() -> None:
    from bot.brief.reader import read_brief
    from bot.ideas.generators.llm_prompts import model_block
    model = read_brief("Chez Mado lance un brunch le dimanche à 24 €. Objectif : vendre 200 "
                       "brunchs par mois. Budget 600 €. Ton chaleureux, tutoiement ok.")
    block = model_block(model)
    assert "figures (quote exactly, invent no other): 24 €" in block
    assert "goals and budget (never in copy as facts):" in block and "600 €" in block
    assert "French address: tutoiement (tu)" in block
