"""The engine's admission step (Engine.admit): dedupe and rate limit, one policy
for every adapter. Real Redis; a Redis that is down is a port nothing listens on."""

from __future__ import annotations

import socket
from dataclasses import replace

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from bot.app import build_engine
from bot.dialogue.guards import Guards
from bot.dialogue.recent_events import RecentEvents
from bot.kernel.messages import Message
from bot.kernel.settings import Settings
from bot.store.keys import Keys


def _message(n: int = 0, *, user: str = "slack:T1:U1", lang: str = "fr") -> Message:
    return Message(text="help", user_id=user, conversation_id="T1:D1", platform="slack",
                   lang=lang, delivery_ids=(f"ev:{n}",))  # type: ignore[arg-type]


def _down() -> aioredis.Redis:
    """A client of a Redis that is down: nothing listens on its port (no retries,
    so the test does not wait out redis-py's backoff)."""
    return aioredis.Redis(host="127.0.0.1", port=_closed_port(), socket_connect_timeout=0.5,
                          retry=Retry(NoBackoff(), 0))


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_a_user_over_the_limit_is_told_once_per_window(settings: Settings) -> None:
    engine = build_engine(replace(settings, rate_limit_per_minute=20))
    try:
        admissions = [await engine.admit(_message(i)) for i in range(500)]
    finally:
        await engine.aclose()
    admitted = [a for a in admissions if a.admitted]
    refused = [a for a in admissions if a.verdict == "rate_limited"]
    # A window may turn over during the run: at most two windows' worth.
    assert 20 <= len(admitted) <= 40
    notices = [a.notice for a in refused if a.notice is not None]
    assert 1 <= len(notices) <= 2, len(notices)  # not 480
    assert notices[0].lang == "fr" and "secondes" in notices[0].text
    assert all(a.retry_after_s is not None and 0 < a.retry_after_s <= 60 for a in refused)


async def test_one_rate_limit_text_in_the_users_language(settings: Settings) -> None:
    engine = build_engine(replace(settings, rate_limit_per_minute=1))
    try:
        await engine.admit(_message(1, lang="en"))
        refused = await engine.admit(_message(2, lang="en"))
    finally:
        await engine.aclose()
    assert refused.notice is not None and refused.notice.lang == "en"
    assert "Try again in" in refused.notice.text


async def test_a_redelivered_event_is_a_duplicate_and_is_not_counted(settings: Settings) -> None:
    engine = build_engine(replace(settings, rate_limit_per_minute=1))
    try:
        first = await engine.admit(_message(7))
        again = await engine.admit(_message(7))
        # The retry did not use up the user's one message a minute.
        other_user = await engine.admit(_message(8, user="slack:T1:U2"))
    finally:
        await engine.aclose()
    assert first.admitted and again.verdict == "duplicate" and again.notice is None
    assert other_user.admitted


async def test_dedupe_falls_back_to_memory_when_redis_is_down() -> None:
    down = _down()
    guards = Guards(down, Keys("t"), rate_per_minute=20)
    try:
        # Slack retries an event three times when the first answer is slow.
        seen = [await guards.first_delivery("slack", "Ev1") for _ in range(3)]
        other = await guards.first_delivery("slack", "Ev2")
    finally:
        await down.aclose()
    assert seen == [True, False, False]
    assert other is True


async def test_an_event_seen_while_redis_was_up_is_still_known_when_it_goes_down(
    redis_url: str, key_prefix: str
) -> None:
    up = aioredis.Redis.from_url(redis_url)
    down = _down()
    memory = RecentEvents()
    try:
        assert await Guards(up, Keys(key_prefix), rate_per_minute=0,
                            fallback=memory).first_delivery("teams", "c|1")
        assert not await Guards(down, Keys(key_prefix), rate_per_minute=0,
                                fallback=memory).first_delivery("teams", "c|1")
    finally:
        await up.aclose()
        await down.aclose()


def test_recent_events_are_bounded_and_expire() -> None:
    now = [0.0]
    memory = RecentEvents(capacity=3, ttl_s=10, clock=lambda: now[0])
    assert all(memory.first_time(k) for k in "abcd")
    assert len(memory) == 3
    assert memory.first_time("a")  # the oldest was forgotten to stay within capacity
    assert not memory.first_time("d")
    now[0] = 11
    assert memory.first_time("d")  # expired
    assert len(memory) == 1
