"""Everything Symbiose keeps about a user, read and written in one pipeline each.

A turn costs two Redis round trips: one pipelined read of the user's brand,
preferences, rejected ids, liked examples and conversation state; one MULTI
that writes the changes. All keys share the user's hash tag, so this holds on
a Redis Cluster too. Any store failure comes out as `StoreUnavailable`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from redis.asyncio.cluster import RedisCluster

from bot.brief.brand import BrandContext
from bot.kernel.conversation import ConversationState
from bot.kernel.messages import Angle
from bot.learning.preferences import PreferenceModel
from bot.store.codec import pack_angle, unpack_angle
from bot.store.connection import RedisClient
from bot.store.errors import store_call
from bot.store.keys import Keys

log = logging.getLogger(__name__)

LIKED_EXAMPLES_CAP = 3  # examples for the LLM prompt: a few good ones are enough
SHORTLIST_CAP = 50


@dataclass
class Snapshot:
    brand: BrandContext = field(default_factory=BrandContext)
    prefs: PreferenceModel = field(default_factory=PreferenceModel)
    rejected: set[str] = field(default_factory=set)
    liked: list[Angle] = field(default_factory=list)
    conversation: ConversationState = field(default_factory=ConversationState)


@dataclass
class Changes:
    """What one turn changes; empty parts cost nothing."""

    conversation: ConversationState
    brand: BrandContext | None = None
    events: list[dict[str, str]] = field(default_factory=list)
    pref_deltas: dict[str, float] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    unrejected: list[str] = field(default_factory=list)
    shortlist: list[Angle] = field(default_factory=list)
    liked: list[Angle] = field(default_factory=list)
    # Angles shown in this conversation, readable by everyone in it.
    shown: list[Angle] = field(default_factory=list)


class UserStore:
    def __init__(
        self,
        redis: RedisClient,
        keys: Keys,
        *,
        conversation_ttl_s: int,
        feedback_log_max: int,
        after_write: Callable[[], Awaitable[None]] | None = None,
        before_read: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.redis = redis
        self.keys = keys
        self._ttl = conversation_ttl_s
        self._log_max = feedback_log_max
        self._after_write = after_write
        # The embedded store takes in another process's saves before a turn reads.
        self._before_read = before_read

    async def load(self, user_id: str, conversation_id: str) -> Snapshot:
        with store_call():
            return await self._load(user_id, conversation_id)

    async def _load(self, user_id: str, conversation_id: str) -> Snapshot:
        if self._before_read is not None:
            await self._before_read()
        k = self.keys
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hgetall(k.brand(user_id))
            pipe.hgetall(k.prefs(user_id))
            pipe.smembers(k.rejected(user_id))
            pipe.lrange(k.liked(user_id), 0, LIKED_EXAMPLES_CAP - 1)
            pipe.get(k.conversation(user_id, conversation_id))
            brand, prefs, rejected, liked, conv = await pipe.execute()
        return Snapshot(
            brand=BrandContext.from_mapping(_text_map(brand)),
            prefs=PreferenceModel.from_hash(_text_map(prefs)),
            rejected={_from_int(x) for x in rejected},
            liked=[unpack_angle(x) for x in liked],
            conversation=ConversationState.from_json(conv),
        )

    async def save(self, user_id: str, conversation_id: str, changes: Changes) -> None:
        with store_call():
            await self._save(user_id, conversation_id, changes)

    async def _save(self, user_id: str, conversation_id: str, changes: Changes) -> None:
        k = self.keys
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(k.conversation(user_id, conversation_id),
                     changes.conversation.to_json(), ex=self._ttl)
            if changes.brand is not None:
                pipe.delete(k.brand(user_id))
                mapping = changes.brand.to_mapping()
                if mapping:
                    # redis-py types mappings with an invariant key type (EncodableT), so
                    # a dict[str, str] is refused though it is exactly what it stores.
                    pipe.hset(k.brand(user_id), mapping=mapping)  # type: ignore[arg-type]
            for event in changes.events:
                pipe.xadd(
                    k.feedback(user_id),
                    event,  # type: ignore[arg-type]  # same: redis-py's invariant Dict[FieldT, ...]
                    maxlen=self._log_max,
                    approximate=True,
                )
            for name, inc in changes.pref_deltas.items():
                pipe.hincrbyfloat(k.prefs(user_id), name, inc)
            if changes.unrejected:
                pipe.srem(k.rejected(user_id), *(_to_int(i) for i in changes.unrejected))
            if changes.rejected:
                pipe.sadd(k.rejected(user_id), *(_to_int(i) for i in changes.rejected))
            for angle in changes.shortlist:
                pipe.zadd(k.shortlist(user_id), {pack_angle(angle): time.time()})
            if changes.shortlist:
                pipe.zremrangebyrank(k.shortlist(user_id), 0, -SHORTLIST_CAP - 1)
            if changes.liked:
                pipe.lpush(k.liked(user_id), *(pack_angle(a) for a in changes.liked))
                pipe.ltrim(k.liked(user_id), 0, LIKED_EXAMPLES_CAP - 1)
            await pipe.execute()
        if changes.shown:
            # Another hash tag (the thread's), so its own pipeline: Cluster-safe.
            key = k.thread_angles(conversation_id)
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.hset(key, mapping={a.id: pack_angle(a) for a in changes.shown})
                pipe.expire(key, self._ttl)
                await pipe.execute()
        if self._after_write is not None:
            await self._after_write()

    async def shared_angle(self, conversation_id: str, angle_id: str) -> Angle | None:
        """An angle shown to anyone in this conversation (a colleague's answer)."""
        with store_call():
            raw = await self.redis.hget(self.keys.thread_angles(conversation_id), angle_id)
        return unpack_angle(raw) if raw else None

    async def shortlist(self, user_id: str) -> list[Angle]:
        with store_call():
            raw = await self.redis.zrange(self.keys.shortlist(user_id), 0, -1)
        # redis-py types zrange for withscores=True too (tuples); without it, members.
        angles = [unpack_angle(x) for x in raw]  # type: ignore[arg-type]
        # One entry per angle id, newest kept (validating twice must not list it twice).
        unique = {a.id: a for a in angles}
        return [a for a in angles if unique.get(a.id) is a]

    async def feedback_log(self, user_id: str, count: int = 100) -> list[dict[str, str]]:
        """The newest entries of the user's feedback Stream, newest first, raw fields."""
        with store_call():
            entries = await self.redis.xrevrange(self.keys.feedback(user_id), count=count)
        # redis-py types the reply as optional (and its fields too, as for XCLAIM of
        # deleted entries); XREVRANGE always returns a list of entries with fields.
        return [_text_map(fields) for _, fields in entries]  # type: ignore[arg-type, union-attr]

    async def forget(self, user_id: str) -> int:
        """Delete every key of this user; returns how many were removed.

        The angles shown in the user's conversations (kept for colleagues' clicks)
        came from the user's briefs: they go too.
        """
        with store_call():
            return await self._forget(user_id)

    async def _forget(self, user_id: str) -> int:
        keys = [_text(k) async for k in self._scan_user(user_id)]
        threads = [self.keys.thread_angles_of(d) for k in keys
                   if (d := self.keys.conversation_digest(k))]
        removed = 0
        # One DEL per batch of the user's keys (one hash slot); thread keys each live
        # in their own slot, so they are deleted one by one (Cluster-safe).
        for start in range(0, len(keys), 500):
            removed += int(await self.redis.delete(*keys[start:start + 500]))
        for key in threads:
            removed += int(await self.redis.delete(key))
        if self._after_write is not None:
            await self._after_write()
        return removed

    def _scan_user(self, user_id: str) -> AsyncIterator[bytes | str]:
        """The user's keys. On a Cluster they all live on the node that owns their
        hash tag's slot: only that node is scanned, not every primary."""
        pattern = self.keys.user_pattern(user_id)
        if isinstance(self.redis, RedisCluster):
            node = self.redis.get_node_from_key(self.keys.brand(user_id))
            return self.redis.scan_iter(match=pattern, count=500, target_nodes=node)
        return self.redis.scan_iter(match=pattern, count=500)


def _to_int(angle_id: str) -> str:
    """Angle ids are 48-bit hex: stored as integers, a set of them is a compact intset."""
    try:
        return str(int(angle_id, 16))
    except ValueError:
        return angle_id


def _from_int(value: bytes | str) -> str:
    text = _text(value)
    return format(int(text), "012x") if text.isdigit() else text


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _text_map(data: dict[bytes | str, bytes | str]) -> dict[str, str]:
    return {_text(k): _text(v) for k, v in data.items()}
