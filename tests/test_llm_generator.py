"""The LLM generator against langchain_core fake chat models."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from bot.brief.brand import BrandContext
from bot.ideas.catalogue import Catalogue
from bot.ideas.generators.base import AngleRequest, GenerationError, angle_id
from bot.ideas.generators.llm import LLMGenerator, ModelConfigError, make_chat_model, redact
from bot.ideas.generators.llm_output import BadOutput, find_json
from bot.kernel.messages import Angle
from bot.kernel.templates import TemplateError, load_templates
from tests.llm_fakes import (
    EchoAnglesChatModel,
    ScriptedChatModel,
    angle_dict,
    angles_json,
    requested_strategies,
)

CATALOGUE_YAML = """\
strategies:
"""
STRATEGIES = {
    "storytelling": ("Récit", "Storytelling", "Raconter une histoire.", "Tell a story."),
    "contrarian": ("À contre-courant", "Contrarian", "Prendre le contre-pied.", "Go against it."),
    "social-proof": ("Preuve sociale", "Social proof", "Montrer les autres.", "Show others."),
    "humour": ("Humour", "Humour", "Faire sourire.", "Make them smile."),
}
WANTED = ["contrarian", "storytelling", "social-proof"]
BRAND = BrandContext(
    brand="Gourdo", product="gourde en inox", audience="étudiants", tone="complice"
).updated({"objective": "notoriété"}, assumed=True)


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    lines = [CATALOGUE_YAML]
    for sid, (fr, en, dfr, den) in STRATEGIES.items():
        lines.append(
            f"  - id: {sid}\n    name: {{fr: \"{fr}\", en: \"{en}\"}}\n"
            f"    description: {{fr: \"{dfr}\", en: \"{den}\"}}\n    tags: [playful]\n"
            f"    channels: {{fr: [Instagram], en: [Instagram]}}\n"
        )
    path = tmp_path_factory.mktemp("cat") / "strategies.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    return Catalogue.load(path)


def make_request(**changes: object) -> AngleRequest:
    base = AngleRequest(
        brief="Lancer notre gourde pour la rentrée",
        brand=BRAND,
        lang="fr",
        strategies=WANTED,
        liked=[Angle(1, "a1", "humour", "La gourde qui rit", "Hydratez-vous en souriant", "r", "")],
        style={"tone": "playful"},
        history=["user: on lance une gourde", "bot: des questions"],
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def generator(model: object, catalogue: Catalogue, timeout_s: float = 5.0) -> LLMGenerator:
    return LLMGenerator(model, catalogue=catalogue, timeout_s=timeout_s)  # type: ignore[arg-type]


async def test_prompt_carries_brand_brief_strategies_examples_and_language(
    catalogue: Catalogue,
) -> None:
    model = ScriptedChatModel([angles_json(WANTED, "fr")])
    await generator(model, catalogue).angles(make_request())
    [sent] = model.calls
    assert isinstance(sent[0], SystemMessage) and isinstance(sent[1], HumanMessage)
    system, user = sent[0].text, sent[1].text
    assert "sparring partner" in system and "French" not in system  # the language is last
    assert "brand: Gourdo" in user and "product: gourde en inox" in user
    assert "objective: notoriété (assumed)" in user
    assert "Lancer notre gourde pour la rentrée" in user
    # Strategies in the requested order, named and described in the answer language.
    assert requested_strategies(user) == WANTED
    assert "1. [contrarian] À contre-courant: Prendre le contre-pied." in user
    assert "[humour] La gourde qui rit: Hydratez-vous en souriant" in user
    assert "tone: playful" in user and "user: on lance une gourde" in user
    assert "Answer in French" in user and "Exactly 3 items" in user


async def test_the_system_message_is_the_same_whatever_the_request(
    catalogue: Catalogue,
) -> None:
    """What changes from call to call comes after the system message, so a provider's
    prompt cache can serve it to every user (issue 13)."""
    model = ScriptedChatModel([angles_json(WANTED, "fr"), angles_json(WANTED[:2], "en")])
    gen = generator(model, catalogue)
    await gen.angles(make_request())
    await gen.angles(make_request(lang="en", strategies=WANTED[:2], brief="Another brief",
                                  liked=[], history=[], style={}))
    first, second = (call[0].text for call in model.calls)
    assert first == second
    assert model.calls[1][1].text.endswith("Exactly 2 items. Answer in English.")


async def test_empty_blocks_leave_no_trace_in_the_prompt(catalogue: Catalogue) -> None:
    model = ScriptedChatModel([angles_json(WANTED, "en")])
    await generator(model, catalogue).angles(make_request(lang="en", liked=[], history=[],
                                                          style={}))
    user = model.calls[0][1].text
    for tag in ("<liked>", "<avoid>", "<history>", "<style>", "(none)", "\n\n"):
        assert tag not in user, tag
    assert "<brand>" in user and "<brief>" in user


async def test_english_request_asks_for_english(catalogue: Catalogue) -> None:
    model = ScriptedChatModel([angles_json(WANTED, "en")])
    angles = await generator(model, catalogue).angles(make_request(lang="en"))
    assert "Answer in English" in model.prompts[0]
    assert "1. [contrarian] Contrarian: Go against it." in model.prompts[0]
    assert angles[0].strategy_name == "Contrarian"


async def test_valid_json_becomes_numbered_angles(catalogue: Catalogue) -> None:
    model = ScriptedChatModel([angles_json(WANTED, "fr")])
    angles = await generator(model, catalogue).angles(make_request())
    assert [a.n for a in angles] == [1, 2, 3]
    assert [a.strategy for a in angles] == WANTED
    first = angles[0]
    assert first.id == angle_id("contrarian", first.title, first.hook)
    assert first.strategy_name == "À contre-courant"
    assert first.title == "Angle 1: contrarian"
    assert first.to_validate == ["Vérifier les chiffres cités"]
    assert len({a.id for a in angles}) == 3


async def test_fenced_json_with_text_around_is_read(catalogue: Catalogue) -> None:
    reply = f"Voici mes idées :\n```json\n{angles_json(WANTED, 'fr')}\n```\nBonne chance !"
    model = ScriptedChatModel([reply])
    angles = await generator(model, catalogue).angles(make_request())
    assert [a.strategy for a in angles] == WANTED and len(model.calls) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Sure {here} it is: {"a": "x}y"} done', {"a": "x}y"}),
        ('```\n[{"a": 1}]\n```', [{"a": 1}]),
        ('```JSON\n{"a": {"b": [1, 2]}}```', {"a": {"b": [1, 2]}}),
        ('noise ```json\n{"a": 1}\n``` then {"b": 2}', {"a": 1}),
    ],
)
def test_find_json_in_free_text(text: str, expected: object) -> None:
    assert find_json(text) == expected


def test_find_json_without_json_says_so() -> None:
    with pytest.raises(BadOutput, match="no JSON object"):
        find_json("I cannot help with that {sorry")


async def test_other_order_is_put_back_in_requested_order(catalogue: Catalogue) -> None:
    model = ScriptedChatModel([angles_json(list(reversed(WANTED)), "fr")])
    angles = await generator(model, catalogue).angles(make_request())
    assert [a.strategy for a in angles] == WANTED and [a.n for a in angles] == [1, 2, 3]


async def test_malformed_then_valid_succeeds_on_retry_with_the_problem_explained(
    catalogue: Catalogue,
) -> None:
    model = ScriptedChatModel(["Sorry, here you go: {angles: oops", angles_json(WANTED, "fr")])
    angles = await generator(model, catalogue).angles(make_request())
    assert len(angles) == 3 and len(model.calls) == 2
    retry = model.calls[1]
    assert isinstance(retry[-2], AIMessage) and "oops" in retry[-2].text
    assert "could not be used: no JSON object" in retry[-1].text


async def test_malformed_twice_raises_generation_error(
    catalogue: Catalogue, caplog: pytest.LogCaptureFixture
) -> None:
    model = ScriptedChatModel(["not json", '{"angles": "nope"}'])
    with caplog.at_level(logging.WARNING), pytest.raises(GenerationError) as info:
        await generator(model, catalogue).angles(make_request())
    assert len(model.calls) == 2
    assert "unusable answer" in str(info.value) and "angles" in str(info.value)
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        (lambda: angles_json(WANTED[:2], "fr"), "expected 3 angles, got 2"),
        (lambda: angles_json(["contrarian", "storytelling", "humour"], "fr"), "strategies must be"),
        (
            lambda: json.dumps({"angles": [{**angle_dict(s), "hook": " "} for s in WANTED]}),
            "angles.0.hook",
        ),
        (
            lambda: json.dumps({"angles": [{**angle_dict(s), "to_validate": "x"} for s in WANTED]}),
            "to_validate",
        ),
    ],
)
async def test_invalid_answers_are_retried(catalogue: Catalogue, bad: object, problem: str) -> None:
    model = ScriptedChatModel([bad(), angles_json(WANTED, "fr")])  # type: ignore[operator]
    angles = await generator(model, catalogue).angles(make_request())
    assert [a.strategy for a in angles] == WANTED
    assert len(model.calls) == 2 and problem in model.calls[1][-1].text


async def test_a_rejected_angle_is_not_returned(catalogue: Catalogue) -> None:
    rejected = angle_dict("storytelling", "fr", 2)
    avoid = frozenset({angle_id("storytelling", rejected["title"], rejected["hook"])})
    model = ScriptedChatModel([angles_json(WANTED, "fr"), angles_json(WANTED, "fr", tag="new")])
    angles = await generator(model, catalogue).angles(make_request(avoid_ids=avoid))
    assert not {a.id for a in angles} & avoid
    assert "repeat one the user rejected" in model.calls[1][-1].text


async def test_exception_is_retried_then_generation_error_without_secrets(
    catalogue: Catalogue, caplog: pytest.LogCaptureFixture
) -> None:
    key = "sk-proj-" + "A1b2C3d4" * 5
    boom = RuntimeError(f"401 Incorrect API key provided: {key}")
    model = ScriptedChatModel([boom, RuntimeError(f"again {key}")])
    with caplog.at_level(logging.DEBUG), pytest.raises(GenerationError) as info:
        await generator(model, catalogue).angles(make_request())
    assert len(model.calls) == 2
    assert str(info.value) == "angles: model error RuntimeError"
    assert info.value.__traceback__ is not None and info.value.__cause__ is None
    assert key not in caplog.text and "[redacted]" in caplog.text


async def test_exception_then_success(catalogue: Catalogue) -> None:
    model = ScriptedChatModel([ConnectionError("reset"), angles_json(WANTED, "fr")])
    angles = await generator(model, catalogue).angles(make_request())
    assert len(angles) == 3 and len(model.calls) == 2
    assert len(model.calls[1]) == 2  # a plain resend: no repair message after an error


async def test_timeout_gives_generation_error_fast(catalogue: Catalogue) -> None:
    model = ScriptedChatModel([angles_json(WANTED, "fr")] * 2, delay_s=10.0)
    started = time.perf_counter()
    with pytest.raises(GenerationError, match=r"no answer within 0.1 s"):
        await generator(model, catalogue, timeout_s=0.1).angles(make_request())
    assert time.perf_counter() - started < 1.0
    assert len(model.calls) == 2


async def test_streaming_reports_progress_per_angle(catalogue: Catalogue) -> None:
    seen: list[str] = []

    async def progress(text: str) -> None:
        seen.append(text)

    model = ScriptedChatModel([angles_json(WANTED, "fr")])
    angles = await generator(model, catalogue).angles(make_request(progress=progress))
    assert len(angles) == 3
    assert seen == ["Angle 1/3…", "Angle 2/3…", "Angle 3/3…"]


async def test_progress_starts_over_after_a_failed_attempt(catalogue: Catalogue) -> None:
    seen: list[str] = []

    async def progress(text: str) -> None:
        seen.append(text)

    model = ScriptedChatModel([angles_json(WANTED[:1], "en"), angles_json(WANTED[:2] * 2, "en"),
                               angles_json(WANTED, "en")])
    request = make_request(progress=progress, lang="en")
    with pytest.raises(GenerationError):
        await generator(model, catalogue).angles(request)
    assert seen == ["Angle 1/3…", "The model stumbled, trying again…",
                    "Angle 1/3…", "Angle 2/3…", "Angle 3/3…"]  # never "4/3"


async def test_a_failing_progress_callback_does_not_break_the_answer(
    catalogue: Catalogue,
) -> None:
    calls = 0

    async def progress(text: str) -> None:
        nonlocal calls
        calls += 1
        raise RuntimeError("slack update failed")

    model = ScriptedChatModel(["garbage", angles_json(WANTED, "en")])
    request = make_request(progress=progress, lang="en")
    angles = await generator(model, catalogue).angles(request)
    assert len(angles) == 3 and calls == 1


async def test_refine_keeps_strategy_and_number(catalogue: Catalogue) -> None:
    first = generator(ScriptedChatModel([angles_json(WANTED)]), catalogue)
    original = (await first.angles(make_request(lang="en")))[1]
    reply = json.dumps({"angle": angle_dict("humour", "en", tag="funnier")})
    model = ScriptedChatModel([reply])
    said: list[str] = []

    async def progress(text: str) -> None:
        said.append(text)

    request = make_request(lang="en", progress=progress)
    new = await generator(model, catalogue).refine(original, "more playful", request)
    assert said == ["Reworking angle 2…"]
    assert new.strategy == "storytelling" and new.n == 2 and new.id != original.id
    assert new.strategy_name == "Storytelling"
    prompt = model.prompts[0]
    assert "more playful" in prompt and original.title in prompt and "[storytelling]" in prompt


async def test_refine_that_changes_nothing_is_retried(catalogue: Catalogue) -> None:
    same = angle_dict("storytelling", "en")
    original = Angle(1, angle_id("storytelling", same["title"], same["hook"]), "storytelling",
                     same["title"], same["hook"], "r", "c")
    again = json.dumps(angle_dict("storytelling", tag="b"))  # without its wrapper: accepted
    model = ScriptedChatModel([json.dumps({"angle": same}), again])
    new = await generator(model, catalogue).refine(original, "", make_request(lang="en"))
    assert new.title.endswith(" b") and "unchanged" in model.calls[1][-1].text
    assert "no instruction" in model.prompts[0]


async def test_challenge_of_an_angle_and_of_an_idea(catalogue: Catalogue) -> None:
    angle = Angle(3, "x1", "humour", "La gourde qui rit", "Hydratez-vous", "r", "TikTok")
    reply = '```json\n{"questions": ["Q1?", "Q2?", "Q3?"], "summary": "Fort mais risqué."}\n```'
    model = ScriptedChatModel([reply, reply])
    gen = generator(model, catalogue)
    critique = await gen.challenge(angle, make_request())
    assert critique.questions == ["Q1?", "Q2?", "Q3?"] and critique.summary == "Fort mais risqué."
    assert critique.angle is angle and critique.target == "La gourde qui rit"
    idea = await gen.challenge("  Une gourde parlante  ", make_request())
    assert idea.angle is None and idea.target == "Une gourde parlante"
    assert "devil's advocate" in model.prompts[0] and "Une gourde parlante" in model.prompts[1]


async def test_challenge_without_questions_is_invalid(catalogue: Catalogue) -> None:
    model = ScriptedChatModel(['{"questions": []}', '{"questions": [], "summary": "x"}'])
    with pytest.raises(GenerationError, match="questions"):
        await generator(model, catalogue).challenge("idea", make_request())


async def test_extract_brand_keeps_only_new_stated_fields(catalogue: Catalogue) -> None:
    reply = json.dumps({"fields": {"audience": "jeunes parents", "brand": "Gourdo",
                                   "mood": "x", "tone": "", "values": 3}})
    model = ScriptedChatModel([reply])
    text = "On vise les jeunes parents avec Gourdo"
    found = await generator(model, catalogue).extract_brand(text, BRAND, "fr")
    assert found == {"audience": "jeunes parents"}
    assert text in model.prompts[0] and "product: gourde en inox" in model.prompts[0]


async def test_extract_brand_none_stated_and_blank_text(catalogue: Catalogue) -> None:
    model = ScriptedChatModel(['{"fields": {}}'])
    gen = generator(model, catalogue)
    assert await gen.extract_brand("bonjour", BrandContext(), "fr") == {}
    assert await gen.extract_brand("   ", BrandContext(), "fr") == {}
    assert len(model.calls) == 1


async def test_echo_fake_serves_every_task_of_the_generator(catalogue: Catalogue) -> None:
    model = EchoAnglesChatModel(delay_s=0.05)
    gen = generator(model, catalogue)
    started = time.perf_counter()
    angles = await gen.angles(make_request())
    assert time.perf_counter() - started >= 0.05
    assert [a.strategy for a in angles] == WANTED and angles[0].hook.startswith("Une accroche")
    refined = await gen.refine(angles[0], "plus court", make_request())
    assert refined.strategy == "contrarian" and refined.id != angles[0].id
    assert len((await gen.challenge(angles[1], make_request())).questions) == 3
    assert await gen.extract_brand("texte", BRAND, "fr") == {}
    assert len(model.calls) == 4


async def test_echo_fake_answers_concurrent_requests(catalogue: Catalogue) -> None:
    gen = generator(EchoAnglesChatModel(delay_s=0.2), catalogue)
    started = time.perf_counter()
    results = await asyncio.gather(*(gen.angles(make_request()) for _ in range(5)))
    assert all(len(r) == 3 for r in results)
    assert time.perf_counter() - started < 0.6  # slept concurrently, not one after another


def test_missing_or_incomplete_templates_fail_at_start(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    templates = load_templates()
    del templates["challenge"]
    with pytest.raises(TemplateError, match="'challenge' is missing"):
        LLMGenerator(ScriptedChatModel(), catalogue=catalogue, templates=templates)
    (tmp_path / "refine.yaml").write_text("variables: [mood]\nuser: '{mood}'\n", encoding="utf-8")
    templates = {**load_templates(), **load_templates(tmp_path)}
    with pytest.raises(TemplateError, match="refine.yaml: variable.*mood.* not supplied"):
        LLMGenerator(ScriptedChatModel(), catalogue=catalogue, templates=templates)


@pytest.mark.parametrize("spec", ["nonexistent:foo", "foo", "", "offline"])
def test_make_chat_model_rejects_unknown_strings(spec: str) -> None:
    with pytest.raises(ModelConfigError, match="openai:gpt-4o-mini") as info:
        make_chat_model(spec)
    assert "Traceback" not in str(info.value)


def test_make_chat_model_names_the_package_to_install() -> None:
    providers = {"openai": "langchain_openai", "anthropic": "langchain_anthropic",
                 "mistralai": "langchain_mistralai", "groq": "langchain_groq"}
    missing = [p for p, module in providers.items() if importlib.util.find_spec(module) is None]
    if not missing:
        pytest.skip("every provider package is installed here")
    provider = missing[0]
    package = providers[provider].replace("_", "-")
    with pytest.raises(ModelConfigError) as info:
        make_chat_model(f"{provider}:some-model")
    assert str(info.value) == (
        f"SYMBIOSE_MODEL='{provider}:some-model' needs the {package} package: pip install {package}"
    )


FAKE_PROVIDER = """
from pydantic import BaseModel, model_validator

class ChatXAI(BaseModel):
    model: str
    @model_validator(mode="after")
    def _key(self):
        raise ValueError("Did not find xai_api_key; set XAI_API_KEY (got sk-live-0123456789abcdef)")
"""


def test_make_chat_model_explains_a_provider_refusing_its_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stand-in for an installed provider package whose constructor rejects a
    # missing key, the way provider packages validate with pydantic.
    if importlib.util.find_spec("langchain_xai") is not None:
        pytest.skip("the real langchain-xai is installed")
    (tmp_path / "langchain_xai.py").write_text(FAKE_PROVIDER, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "langchain_xai", raising=False)
    from langchain.chat_models import base as chat_models_base

    chat_models_base._get_chat_model_creator.cache_clear()  # it caches imported classes
    try:
        with pytest.raises(ModelConfigError) as info:
            make_chat_model("xai:grok-2")
    finally:
        chat_models_base._get_chat_model_creator.cache_clear()
        sys.modules.pop("langchain_xai", None)
    message = str(info.value)
    assert message.startswith("SYMBIOSE_MODEL='xai:grok-2' could not be set up (ValidationError:")
    assert "XAI_API_KEY" in message and "sk-live-0123456789abcdef" not in message


def test_redact_masks_keys() -> None:
    masked = redact("key sk-abc123def456 and xoxb-1-2-3abcdef ok")
    assert masked == "key [redacted] and [redacted] ok"
    assert "A" * 40 not in redact("token " + "A" * 40)
