"""Structured logs (one JSON line per turn, no message text unless DEBUG, secrets
masked, tracebacks kept) and the optional OpenTelemetry spans of LLM calls."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from bot.app import build_engine
from bot.kernel.settings import Settings
from bot.ops.logs import JsonFormatter, mask
from bot.ops.tracing import OtelLLMSpans, tracing_callbacks
from tests.engine_helpers import BRAND_EN, Chat
from tests.llm_fakes import EchoAnglesChatModel, ScriptedChatModel

SECRET_BRIEF = "Our launch, key xoxb-1234567890-abcdefghij, ideas?"


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """Everything logged, as the servers log it (JSON lines on a stream)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


async def test_one_json_line_per_turn_without_the_users_words(
    settings: Settings, json_log: io.StringIO
) -> None:
    model = EchoAnglesChatModel(usage=(50, 30))
    engine = build_engine(settings, chat_model=model)
    try:
        chat = Chat(engine, user_id="slack:T7:U1", conversation_id="T7:C1", lang="en")
        await chat.say(BRAND_EN + "\n" + SECRET_BRIEF)
        await chat.say("help")
    finally:
        await engine.aclose()
    turns = [entry for entry in lines(json_log) if entry["msg"] == "turn"]
    assert len(turns) == 2
    first, second = turns
    assert first["platform"] == "test" and first["workspace"] == "T7"
    assert first["kind"] == "angles" and first["llm_outcome"] == "ok"
    assert first["tokens_in"] == 50 * first["llm_calls"] and first["tokens_out"] == 30 * \
        first["llm_calls"]
    assert first["latency_ms"] > 0
    assert second["kind"] == "help" and second["llm_outcome"] == "none"
    assert "text" not in first
    everything = json_log.getvalue()
    assert "Gourdo" not in everything and "xoxb-" not in everything


async def test_at_debug_the_text_is_logged_but_a_secret_never(
    settings: Settings, json_log: io.StringIO
) -> None:
    logging.getLogger("symbiose.turn").setLevel(logging.DEBUG)
    engine = build_engine(settings)
    try:
        await Chat(engine, lang="en").say(SECRET_BRIEF)
    finally:
        await engine.aclose()
        logging.getLogger("symbiose.turn").setLevel(logging.NOTSET)
    [turn] = [entry for entry in lines(json_log) if entry["msg"] == "turn"]
    assert "Our launch" in turn["text"] and "xoxb-" not in json_log.getvalue()


def test_an_error_keeps_its_traceback_masked(json_log: io.StringIO) -> None:
    try:
        raise ConnectionError("auth failed for token xoxb-99999-secretsecret")
    except ConnectionError:
        logging.getLogger("bot.engine").error("turn failed (platform=slack)", exc_info=True)
    [error] = lines(json_log)
    assert error["level"] == "ERROR" and "Traceback" in error["exc"]
    assert "ConnectionError" in error["exc"] and "secretsecret" not in error["exc"]


def test_mask_hides_tokens_keys_and_url_passwords() -> None:
    text = mask("xoxb-1-2-abcdefgh sk-proj-abcdefgh redis://:pw@host:6379 Bearer abc.def.ghi")
    assert "abcdefgh" not in text and ":pw@" not in text and "abc.def.ghi" not in text
    assert "host:6379" in text


async def test_otel_spans_for_llm_calls_without_content() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    model = ScriptedChatModel(["hello", RuntimeError("down")], usage=(11, 7))
    model.callbacks = [OtelLLMSpans(provider.get_tracer("test"))]
    await model.ainvoke("a prompt with a secret")
    with pytest.raises(RuntimeError):
        await model.ainvoke("again")
    ok, failed = exporter.get_finished_spans()
    assert ok.name == "symbiose.llm" and ok.attributes["gen_ai.usage.input_tokens"] == 11
    assert ok.attributes["symbiose.llm.outcome"] == "ok"
    assert failed.attributes["symbiose.llm.outcome"] == "error"
    assert "secret" not in json.dumps([dict(s.attributes) for s in (ok, failed)])


def test_tracing_is_off_by_default() -> None:
    assert tracing_callbacks(None) == [] and tracing_callbacks("langsmith") == []
    assert isinstance(tracing_callbacks("otel")[0], OtelLLMSpans)
