"""The LLM client a process builds from SYMBIOSE_MODEL=openai:…, through the real
ChatOpenAI -> openai SDK -> HTTP, against a local OpenAI-compatible server
(tests/fake_openai.py): one pooled client, whose connections a second wave of
calls reuses instead of opening new ones, closed with the engine."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from langchain_core.messages import HumanMessage

from bot.ideas.generators.llm_model import close_chat_model, make_chat_model, pooled_http_client
from tests.fake_openai import FakeOpenAI

WAVE = 150  # more than the SDK default client keeps idle (100)


@pytest.fixture
async def fake_openai(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeOpenAI]:
    fake = await FakeOpenAI(delay_s=0.05).start()
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-key")
    yield fake
    await fake.stop()


async def test_a_second_burst_reuses_the_first_bursts_connections(
    fake_openai: FakeOpenAI,
) -> None:
    model = make_chat_model("openai:gpt-4o-mini")
    try:
        prompt = [HumanMessage("1. [storytelling] Gourdo\n2. [humour] Gourdo")]
        first = await asyncio.gather(*(model.ainvoke(prompt) for _ in range(WAVE)))
        opened = fake_openai.stats()["connections"]
        await asyncio.gather(*(model.ainvoke(prompt) for _ in range(WAVE)))
    finally:
        await close_chat_model(model)
    assert all('"angles"' in str(reply.content) for reply in first)
    assert fake_openai.stats()["requests"] == 2 * WAVE
    assert fake_openai.stats()["peak_in_flight"] == WAVE  # all at once, none queued
    assert opened == WAVE
    assert fake_openai.stats()["connections"] == opened  # none new for the second wave


async def test_closing_the_model_closes_its_client(fake_openai: FakeOpenAI) -> None:
    model = make_chat_model("openai:gpt-4o-mini")
    await model.ainvoke([HumanMessage("hello")])
    client = model.http_async_client  # type: ignore[attr-defined]
    assert not client.is_closed
    await close_chat_model(model)
    assert client.is_closed


def test_only_openai_sdk_providers_get_the_pooled_client() -> None:
    assert set(pooled_http_client("openai:gpt-4o-mini")) == {"http_async_client"}
    assert set(pooled_http_client("azure_openai:my-deployment")) == {"http_async_client"}
    assert pooled_http_client("anthropic:claude-sonnet-4-5") == {}
    assert pooled_http_client("ollama:llama3.1") == {}
