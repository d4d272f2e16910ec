"""Protections the adapters need, kept in Redis so several bot processes agree:
at-most-once handling of redelivered platform events, and a per-user rate limit."""

from __future__ import annotations

import logging
import time
import uuid

from bot.ops import metrics
from bot.store.connection import RedisClient
from bot.store.errors import StoreUnavailable, store_call
from bot.store.keys import Keys

log = logging.getLogger(__name__)


class Guards:
    def __init__(self, redis: RedisClient, keys: Keys, *, rate_per_minute: int,
                 dedupe_ttl_s: int = 3600):
        self._redis = redis
        self._keys = keys
        self._rate = rate_per_minute
        self._dedupe_ttl = dedupe_ttl_s

    async def first_delivery(self, platform: str, event_id: str) -> bool:
        """True the first time an event id is seen (by any process); False for a retry.

        If Redis is down we answer True: a rare duplicate beats a lost message.
        Each delivery writes a token of its own: when the client retries a SET that
        the server had already applied (a timeout under load), it finds its own
        token and the delivery stays the first one. (Taken for a retry instead,
        both deliveries of a message were dropped: 2 lost in a 500-mention bench.)
        """
        key = self._keys.event(platform, event_id)
        token = uuid.uuid4().bytes
        try:
            with store_call():
                first = bool(await self._redis.set(key, token, nx=True, ex=self._dedupe_ttl))
                if not first:
                    first = await self._redis.get(key) == token
        except StoreUnavailable:
            metrics.REDIS_ERRORS.inc()
            log.warning("dedupe unavailable (Redis error); handling event %s", event_id)
            return True
        if not first:
            metrics.DUPLICATES_DROPPED.inc()
        return first

    async def retry_after(self, user_id: str) -> float | None:
        """None when the user may be served now; else seconds to wait.

        A fixed one-minute window per user: cheap (one pipelined INCR+EXPIRE).
        """
        if self._rate <= 0:
            return None
        window = int(time.time() // 60)
        key = f"{self._keys.rate(user_id)}:{window}"
        try:
            with store_call():
                async with self._redis.pipeline(transaction=False) as pipe:
                    pipe.incr(key)
                    pipe.expire(key, 120)
                    count, _ = await pipe.execute()
        except StoreUnavailable:
            metrics.REDIS_ERRORS.inc()
            return None
        if int(count) <= self._rate:
            return None
        metrics.RATE_LIMITED.inc()
        return float(60 - time.time() % 60)
