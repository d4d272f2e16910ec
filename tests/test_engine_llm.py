"""The engine with an LLM (langchain's fake chat models): prompts, learning, fallback."""

from __future__ import annotations

from dataclasses import replace

from bot.app import build_engine
from bot.kernel.settings import Settings
from tests.engine_helpers import BRAND_EN, Chat
from tests.llm_fakes import EchoAnglesChatModel, ScriptedChatModel


async def test_angles_come_from_the_model_with_the_brand_in_the_prompt(settings: Settings) -> None:
    model = EchoAnglesChatModel()
    engine = build_engine(settings, chat_model=model)
    chat = Chat(engine)
    await chat.say(BRAND_EN)
    reply = await chat.say("Ideas for the September back-to-school launch")
    assert reply.kind == "angles" and not reply.notices
    assert len(reply.angles) == 5
    assert all(a.title.startswith("Angle ") for a in reply.angles)  # the fake's wording
    prompt = model.prompts[-1]
    assert "Gourdo" in prompt and "urban students" in prompt
    assert "September back-to-school" in prompt
    await engine.aclose()


async def test_liked_angles_become_examples_in_the_next_prompt(settings: Settings) -> None:
    model = EchoAnglesChatModel()
    engine = build_engine(settings, chat_model=model)
    chat = Chat(engine)
    await chat.say(BRAND_EN)
    angles = (await chat.say("Ideas for the September back-to-school launch")).angles
    await chat.say("like 2")
    await chat.say("more")
    assert angles[1].hook in model.prompts[-1]
    await engine.aclose()


async def test_a_failing_model_falls_back_to_the_offline_engine_and_says_so(
    settings: Settings,
) -> None:
    model = ScriptedChatModel([RuntimeError("provider down"), "not json at all"] * 10)
    engine = build_engine(replace(settings, llm_timeout_s=2), chat_model=model)
    chat = Chat(engine, lang="en")
    await chat.say(BRAND_EN)
    before = len(model.prompts)
    reply = await chat.say("Ideas for the September back-to-school launch")
    assert reply.kind == "angles" and len(reply.angles) == 5
    assert any("built-in engine" in n for n in reply.notices)
    assert "provider down" not in reply.text and "Traceback" not in reply.text
    angle_calls = [p for p in model.prompts[before:] if "[storytelling]" in p or "1. [" in p]
    assert len(angle_calls) == 2  # one try, one retry
    await engine.aclose()


async def test_plain_language_is_understood_with_an_llm(settings: Settings) -> None:
    model = EchoAnglesChatModel(interpretations={
        "j'adore la deuxième": {"intent": "like", "n": 2},
        "la troisième fait trop corporate": {"intent": "dislike", "n": 3, "arg": "trop corporate"},
    })
    engine = build_engine(settings, chat_model=model)
    chat = Chat(engine)
    await chat.say(BRAND_EN.replace("Brand:", "Marque :"))
    angles = (await chat.say("Des idées pour la rentrée de septembre")).angles
    liked = await chat.say("j'adore la deuxième")
    assert liked.kind == "feedback" and liked.recorded is not None
    assert liked.recorded.angle_id == angles[1].id and liked.lang == "fr"
    disliked = await chat.say("la troisième fait trop corporate")
    assert disliked.kind == "feedback" and "trop corporate" in disliked.text
    # Typed commands never reach the model's interpreter.
    before = len(model.calls)
    await chat.say("like 1")
    assert len(model.calls) == before
    await engine.aclose()


async def test_feedback_the_rules_read_costs_no_model_call(settings: Settings) -> None:
    """Only the long tail goes to the interpreter (issue 13): what the command table or
    the feedback rules read with confidence is answered without a model call."""
    model = EchoAnglesChatModel(interpretations={
        "hmm, could you push it further for TikTok?": {"intent": "more"}})
    engine = build_engine(settings, chat_model=model)
    chat = Chat(engine, lang="en")
    angles = (await chat.say(BRAND_EN + "\nIdeas for the September launch")).angles
    before = len(model.calls)
    liked = await chat.say("I love the second one")
    assert liked.recorded is not None and liked.recorded.angle_id == angles[1].id
    disliked = await chat.say("the third one is too corporate")
    assert disliked.recorded is not None and disliked.recorded.kind == "dislike"
    assert (await chat.say("👍👍")).kind == "feedback"
    assert len(model.calls) == before  # no interpret call for any of them
    reply = await chat.say("hmm, could you push it further for TikTok?")
    assert reply.kind == "angles"
    assert sum('"intent"' in p for p in model.prompts[before:]) == 1  # the long tail: asked
    await engine.aclose()
