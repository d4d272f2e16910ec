"""Protections the engine applies before a turn, kept in Redis so several bot
processes agree: at-most-once handling of redelivered platform events, and a
per-user rate limit."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.dialogue.recent_events import RecentEvents
from bot.store.keys import Keys

log = logging.getLogger(__name__)
WINDOW_S = 60


@dataclass(frozen=True, slots=True)
class RateCheck:
    """`retry_after_s` None: serve now. `first_refusal`: the first message refused
    in this window, the only one the user is told about."""

    retry_after_s: float | None = None
    first_refusal: bool = False


class Guards:
    def __init__(self, redis: Redis, keys: Keys, *, rate_per_minute: int, dedupe_ttl_s: int = 3600,
                 fallback: RecentEvents | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self._redis = redis
        self._keys = keys
        self._rate = rate_per_minute
        self._dedupe_ttl = dedupe_ttl_s
        self._clock = clock
        # While Redis is down, dedupe is this process's memory rather than none:
        # failing open answered a platform's every retry.
        self.fallback = fallback if fallback is not None else RecentEvents(ttl_s=dedupe_ttl_s)

    async def first_delivery(self, platform: str, event_id: str) -> bool:
        """True the first time an event id is seen (by any process); False for a retry."""
        key = self._keys.event(platform, event_id)
        try:
            first = bool(await self._redis.set(key, b"1", nx=True, ex=self._dedupe_ttl))
        except (RedisError, OSError) as exc:
            log.warning("dedupe in Redis unavailable (%s); using this process's memory",
                        type(exc).__name__)
            return self.fallback.first_time(key)
        # Remembered here too: should Redis fail on the retry, it is still known.
        self.fallback.first_time(key)
        return first

    async def check_rate(self, user_id: str) -> RateCheck:
        """A fixed one-minute window per user: cheap (one pipelined INCR+EXPIRE).

        The count says which refusal this is, so "tell the user once per window"
        needs no second key: only the message that crossed the limit is told.
        """
        if self._rate <= 0:
            return RateCheck()
        now = self._clock()
        key = f"{self._keys.rate(user_id)}:{int(now // WINDOW_S)}"
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.incr(key)
                pipe.expire(key, 2 * WINDOW_S)
                count, _ = await pipe.execute()
        except (RedisError, OSError):
            return RateCheck()  # no limit beats no answer
        if int(count) <= self._rate:
            return RateCheck()
        first = int(count) == self._rate + 1
        return RateCheck(float(WINDOW_S - now % WINDOW_S), first_refusal=first)

    async def retry_after(self, user_id: str) -> float | None:
        """None when the user may be served now; else seconds to wait."""
        return (await self.check_rate(user_id)).retry_after_s
