"""Plain language -> the engine's intents, through the LLM generator and fake chat models."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence

import pytest
from langchain_core.language_models import BaseChatModel

from bot.ideas.catalogue import Catalogue
from bot.ideas.generators.llm import LLMGenerator
from bot.kernel.intent import Intent
from bot.kernel.messages import Angle, Lang
from tests.llm_fakes import EchoAnglesChatModel, ScriptedChatModel

ANGLES = [
    Angle(1, "a1", "storytelling", "Le premier jour de Léa", "Une rentrée racontée par sa gourde",
          "r", "Instagram", strategy_name="Récit"),
    Angle(2, "a2", "humour", "La gourde qui parle au chat", "Miaou, bois de l'eau",
          "r", "TikTok", strategy_name="Humour"),
    Angle(3, "a3", "social-proof", "10 000 étudiants déjà hydratés", "Ils l'ont adoptée",
          "r", "LinkedIn", strategy_name="Preuve sociale"),
]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load()


def generator(model: BaseChatModel, catalogue: Catalogue, timeout_s: float = 5.0) -> LLMGenerator:
    return LLMGenerator(model, catalogue=catalogue, timeout_s=timeout_s)


def answer(intent: str, n: int | str | None = None, arg: str = "") -> str:
    return json.dumps({"intent": intent, "n": n, "arg": arg})


async def interpret(
    gen: LLMGenerator,
    text: str,
    lang: Lang = "fr",
    angles: Sequence[Angle] = ANGLES,
    pending: Sequence[str] = (),
) -> Intent | None:
    return await gen.interpret(text, lang, angles=angles, pending_fields=pending)


async def test_prompt_lists_the_angles_pending_questions_and_intents_in_french(
    catalogue: Catalogue,
) -> None:
    model = ScriptedChatModel([answer("like", 2)])
    intent = await interpret(generator(model, catalogue), "j'adore celle avec le chat",
                             pending=["audience", "tone"])
    assert intent == Intent("like", n=2)
    prompt = model.prompts[0]
    assert "1. (Récit) Le premier jour de Léa" in prompt
    assert "2. (Humour) La gourde qui parle au chat — Miaou, bois de l'eau" in prompt
    assert "3. (Preuve sociale) 10 000 étudiants déjà hydratés" in prompt
    assert "audience (Cible), tone (Ton)" in prompt
    assert "The user writes in French" in prompt
    assert "refine (wants angle n reworked; arg: how)" in prompt
    assert "<message>\nj'adore celle avec le chat\n</message>" in prompt
    assert len(model.calls) == 1 and len(model.calls[0]) == 2  # system + user, one call


async def test_prompt_in_english_without_angles_or_questions(catalogue: Catalogue) -> None:
    model = ScriptedChatModel([answer("help")])
    intent = await interpret(generator(model, catalogue), "how does this work?", "en",
                             angles=[], pending=[])
    assert intent == Intent("help")
    prompt = model.prompts[0]
    assert "The user writes in English" in prompt
    assert "(no angles shown yet)" in prompt and "Questions waiting" not in prompt


async def test_the_system_message_is_the_same_whatever_the_language_and_message(
    catalogue: Catalogue,
) -> None:
    """Only what changes comes after it, so a provider's prompt cache serves it (issue 13)."""
    model = ScriptedChatModel([answer("help"), answer("like", 2)])
    gen = generator(model, catalogue)
    await interpret(gen, "how does this work?", "en", angles=[], pending=[])
    await interpret(gen, "j'adore celle avec le chat", pending=["tone"])
    first, second = (call[0].text for call in model.calls)
    assert first == second and "French" not in first and "English" not in first


@pytest.mark.parametrize(
    ("text", "reply", "expected"),
    [
        ("j'adore la deuxième", answer("like", 2), Intent("like", n=2)),
        ("the third one is too corporate", answer("dislike", 3, "too corporate"),
         Intent("dislike", n=3, arg="too corporate")),
        ("make #2 funnier", answer("refine", "#2", "funnier"),
         Intent("refine", n=2, arg="funnier")),
        ("let's keep the first", answer("validate", 1, "ignored"), Intent("validate", n=1)),
        ("what do you think could go wrong with idea 3?", answer("challenge", 3),
         Intent("challenge", n=3)),
        ("and what about a podcast with students?",
         answer("challenge", None, "a podcast with students"),
         Intent("challenge", arg="a podcast with students")),
        ("give me other ideas", answer("more", 2), Intent("more")),
        ("what does CTR mean?", answer("glossary", None, "CTR"), Intent("glossary", arg="CTR")),
        ("I don't like these", answer("dislike", None, "boring"),
         Intent("dislike", arg="boring")),  # no number: the engine asks which one
        ("students, a playful tone", answer("answer"),
         Intent("text", arg="students, a playful tone")),
    ],
)
async def test_plain_language_becomes_the_engine_intent(
    catalogue: Catalogue, text: str, reply: str, expected: Intent
) -> None:
    model = ScriptedChatModel([reply])
    assert await interpret(generator(model, catalogue), text, "en") == expected


@pytest.mark.parametrize(
    ("reply", "angles"),
    [
        (answer("challenge", 4), ANGLES),  # "what could go wrong with idea 4?" with 3 angles
        (answer("like", 0), ANGLES),
        (answer("like", None), []),  # nothing on screen to like: it was a brief
        (answer("sing", 1), ANGLES),  # unknown intent
        (answer("text"), ANGLES),
        ('```json\n{"intent": "Brief"}\n```', ANGLES),
    ],
)
async def test_out_of_range_or_unknown_answers_mean_a_brief(
    catalogue: Catalogue, reply: str, angles: list[Angle]
) -> None:
    model = ScriptedChatModel([reply])
    text = "  what could go wrong with idea 4?  "
    intent = await interpret(generator(model, catalogue), text, "en", angles=angles)
    assert intent == Intent("text", arg="what could go wrong with idea 4?")
    assert len(model.calls) == 1  # a valid answer we disagree with is not retried


async def test_malformed_answer_is_retried_with_the_problem_explained(catalogue: Catalogue) -> None:
    model = ScriptedChatModel(["sure! like number two", answer("like", 2)])
    assert await interpret(generator(model, catalogue), "j'adore la 2e") == Intent("like", n=2)
    assert len(model.calls) == 2
    assert "could not be used: no JSON object" in model.calls[1][-1].text


async def test_malformed_twice_returns_none_and_logs_once(
    catalogue: Catalogue, caplog: pytest.LogCaptureFixture
) -> None:
    model = ScriptedChatModel(['{"n": 2}', '{"intent": "like", "n": "two"}'])
    with caplog.at_level(logging.WARNING):
        assert await interpret(generator(model, catalogue), "j'adore la 2e") is None
    assert len(model.calls) == 2
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "interpret" in warnings[0].getMessage()


async def test_a_provider_error_returns_none_at_once_without_secrets(
    catalogue: Catalogue, caplog: pytest.LogCaptureFixture
) -> None:
    key = "sk-proj-" + "A1b2C3d4" * 5
    model = ScriptedChatModel([RuntimeError(f"401 bad key {key}"), answer("like", 2)])
    with caplog.at_level(logging.DEBUG):
        assert await interpret(generator(model, catalogue), "j'adore la 2e") is None
    assert len(model.calls) == 1  # not retried: the engine falls back to its rules
    assert key not in caplog.text
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1


async def test_a_slow_model_returns_none_within_the_timeout(catalogue: Catalogue) -> None:
    model = EchoAnglesChatModel(delay_s=5.0)
    gen = generator(model, catalogue, timeout_s=0.1)
    assert await asyncio.wait_for(interpret(gen, "j'adore la 2e"), 1.0) is None
    assert len(model.calls) == 1


async def test_blank_text_is_not_sent(catalogue: Catalogue) -> None:
    model = ScriptedChatModel([])
    assert await interpret(generator(model, catalogue), "  \n ") is None
    assert model.calls == []


async def test_the_echo_fake_reads_everything_as_a_brief_unless_told(catalogue: Catalogue) -> None:
    model = EchoAnglesChatModel(interpretations={
        "j'adore la deuxième": {"intent": "like", "n": 2},
        "la troisième fait trop corporate": {"intent": "dislike", "n": 3, "arg": "trop corporate"},
    })
    gen = generator(model, catalogue)
    brief = "On lance une gourde pour la rentrée"
    assert await interpret(gen, brief) == Intent("text", arg=brief)
    assert await interpret(gen, "j'adore la deuxième") == Intent("like", n=2)
    assert await interpret(gen, "la troisième fait trop corporate") == Intent(
        "dislike", n=3, arg="trop corporate"
    )
    assert await interpret(gen, "j'adore la deuxième", angles=ANGLES[:1]) == Intent(
        "text", arg="j'adore la deuxième"
    )
    assert len(model.calls) == 4 and all(len(call) == 2 for call in model.calls)
