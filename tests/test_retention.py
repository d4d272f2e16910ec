"""SYMBIOSE_RETENTION_DAYS: feedback and conversations older than the period are
deleted. Tested with a period of two seconds on a real Redis."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
import redis.asyncio as aioredis

from bot.app import build_engine
from bot.engine import Engine
from bot.kernel.settings import Settings
from bot.store.keys import Keys
from tests.engine_helpers import BRAND_EN, Chat

RETENTION_S = 2


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[Engine]:
    engine = build_engine(replace(settings, retention_s=RETENTION_S))
    yield engine
    await engine.aclose()


async def test_old_feedback_and_conversations_are_deleted(
    engine: Engine, redis_client: aioredis.Redis, key_prefix: str
) -> None:
    keys = Keys(key_prefix)
    chat = Chat(engine, lang="en")
    await chat.say(BRAND_EN)
    await chat.say("Ideas for the September back-to-school launch")
    await chat.say("like 1")
    await chat.say("validate 2")
    feedback = keys.feedback(chat.user_id)
    assert await redis_client.xlen(feedback) == 2
    conversation = keys.conversation(chat.user_id, chat.conversation_id)
    assert 0 < await redis_client.ttl(conversation) <= RETENTION_S
    await asyncio.sleep(RETENTION_S + 0.5)
    # Nothing came back: the conversation and the whole idle feedback log are gone.
    assert not await redis_client.exists(conversation)
    assert not await redis_client.exists(feedback)
    # Someone active keeps their recent decisions, older entries are trimmed on write.
    other = Chat(engine, user_id="test:bob", lang="en")
    await other.say(BRAND_EN)
    await other.say("Ideas for the September back-to-school launch")
    await other.say("like 1")
    await asyncio.sleep(RETENTION_S + 0.5)
    await other.say("Ideas for a winter sale")
    await other.say("like 2")
    entries = await redis_client.xrange(keys.feedback(other.user_id))
    assert len(entries) == 1 and entries[0][1][b"e"].startswith(b"L|")
    # The shortlist forgets validations older than the period too.
    await other.say("validate 1")
    await asyncio.sleep(RETENTION_S + 0.5)
    await other.say("Ideas for a spring sale")
    await other.say("validate 3")
    assert await redis_client.zcard(keys.shortlist(other.user_id)) == 1


def test_the_period_is_read_in_days() -> None:
    assert Settings.from_env({"SYMBIOSE_RETENTION_DAYS": "30"}).retention_s == 30 * 86400
    assert Settings.from_env({}).retention_s == 365 * 86400
    with pytest.raises(ValueError, match="SYMBIOSE_RETENTION_DAYS"):
        Settings.from_env({"SYMBIOSE_RETENTION_DAYS": "0"})
