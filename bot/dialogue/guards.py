"""Protections the engine applies before a turn, kept in Redis so several bot
processes agree: at-most-once handling of redelivered platform events, and a
per-user rate limit."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from bot.dialogue.recent_events import RecentEvents
from bot.ops import metrics
from bot.store.connection import RedisClient
from bot.store.errors import StoreUnavailable, store_call
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
    def __init__(self, redis: RedisClient, keys: Keys, *, rate_per_minute: int,
                 dedupe_ttl_s: int = 3600, fallback: RecentEvents | None = None,
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
        """True the first time an event id is seen (by any process); False for a retry.

        Each delivery writes a token of its own: when the client retries a SET that
        the server had already applied (a reply lost, or read too late under load),
        it finds its own token and the delivery stays the first one. (Taken for a
        retry instead, both deliveries of a message were dropped: 2 lost in a
        500-mention bench.)
        """
        key = self._keys.event(platform, event_id)
        token = uuid.uuid4().bytes
        try:
            with store_call():
                first = bool(await self._redis.set(key, token, nx=True, ex=self._dedupe_ttl))
                if not first:
                    first = await self._redis.get(key) == token
        except StoreUnavailable as exc:
            metrics.REDIS_ERRORS.inc()
            log.warning("dedupe in Redis unavailable (%s); using this process's memory",
                        str(exc).split(":", 1)[0])
            first = self.fallback.first_time(key)
        else:
            # Remembered here too: should Redis fail on the retry, it is still known.
            self.fallback.first_time(key)
        if not first:
            metrics.DUPLICATES_DROPPED.inc()
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
            with store_call():
                async with self._redis.pipeline(transaction=False) as pipe:
                    pipe.incr(key)
                    pipe.expire(key, 2 * WINDOW_S)
                    count, _ = await pipe.execute()
        except StoreUnavailable:
            metrics.REDIS_ERRORS.inc()
            return RateCheck()  # no limit beats no answer
        if int(count) <= self._rate:
            return RateCheck()
        metrics.RATE_LIMITED.inc()
        first = int(count) == self._rate + 1
        return RateCheck(float(WINDOW_S - now % WINDOW_S), first_refusal=first)

    async def retry_after(self, user_id: str) -> float | None:
        """None when the user may be served now; else seconds to wait."""
        return (await self.check_rate(user_id)).retry_after_s
