"""Everything Symbiose keeps about a user and their channel, read and written in
one pipeline per owner.

A turn in a direct message costs two Redis round trips: one pipelined read of
the user's brand, preferences, rejected ids, liked examples and conversation
state; one MULTI that writes the changes. In a channel the channel's brand and
taste are read alongside (a second pipeline, in parallel: another hash tag) and
written in their own MULTI, with the angles shown in the thread (kept for
colleagues' clicks): four round trips. A user's keys and a channel's keys live
in different Cluster slots, so each owner gets its own operation. Any store
failure comes out as `StoreUnavailable` (bot.store.errors).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

from bot.brief.brand import BrandContext
from bot.kernel.conversation import ConversationState
from bot.kernel.messages import Angle
from bot.kernel.place import Place
from bot.learning.preferences import PreferenceModel
from bot.store.codec import pack_angle, unpack_angle
from bot.store.connection import RedisClient
from bot.store.erasure import Erased, erase
from bot.store.errors import store_errors
from bot.store.keys import Keys, channel_tag, digest, user_tag
from bot.store.migrate import adopt

log = logging.getLogger(__name__)

LIKED_EXAMPLES_CAP = 3  # examples for the LLM prompt: a few good ones are enough
SHORTLIST_CAP = 50
# Per-process memory of index writes already made (channel membership, copies):
# they are idempotent, so forgetting one only costs a redundant SADD.
_SEEN_CAP = 10_000


@dataclass
class Snapshot:
    brand: BrandContext = field(default_factory=BrandContext)
    prefs: PreferenceModel = field(default_factory=PreferenceModel)
    rejected: set[str] = field(default_factory=set)
    liked: list[Angle] = field(default_factory=list)
    conversation: ConversationState = field(default_factory=ConversationState)
    # In a channel: its members' collective taste, and who set each brand field.
    channel_taste: PreferenceModel | None = None
    brand_by: dict[str, str] = field(default_factory=dict)  # field -> name


@dataclass
class Changes:
    """What one turn changes; empty parts cost nothing."""

    conversation: ConversationState
    brand: BrandContext | None = None
    # The brand fields this turn set (for "who changed what" in a channel).
    brand_fields: list[str] = field(default_factory=list)
    events: list[dict[str, str]] = field(default_factory=list)
    pref_deltas: dict[str, float] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    unrejected: list[str] = field(default_factory=list)
    shortlist: list[Angle] = field(default_factory=list)
    liked: list[Angle] = field(default_factory=list)
    # Angles shown in this conversation, readable by everyone in it.
    shown: list[Angle] = field(default_factory=list)


@dataclass
class ChannelBrand:
    """A channel the user works in, with its brand (App Home, `brands`)."""

    tag: str
    channel: str
    label: str
    brand: BrandContext
    taste: PreferenceModel = field(default_factory=PreferenceModel)


@dataclass
class ValidatedAngle:
    angle: Angle
    validated_by: list[str]  # names
    at: float


class _Seen:
    """A bounded set of index writes this process already made."""

    def __init__(self) -> None:
        self._items: OrderedDict[str, None] = OrderedDict()

    def first(self, item: str) -> bool:
        if item in self._items:
            self._items.move_to_end(item)
            return False
        self._items[item] = None
        while len(self._items) > _SEEN_CAP:
            self._items.popitem(last=False)
        return True


class UserStore:
    def __init__(
        self,
        redis: RedisClient,
        keys: Keys,
        *,
        conversation_ttl_s: int,
        feedback_log_max: int,
        retention_s: int = 365 * 24 * 3600,
        after_write: Callable[[], Awaitable[None]] | None = None,
        clock: Callable[[], float] = time.time,
        before_read: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.redis = redis
        self.keys = keys
        # Nothing of a conversation outlives the retention period.
        self._ttl = min(conversation_ttl_s, retention_s)
        self._retention = retention_s
        self._log_max = feedback_log_max
        self._after_write = after_write
        self._clock = clock
        self._seen = _Seen()
        # The embedded store takes in another process's saves before a turn reads.
        self._before_read = before_read

    # -- one turn -------------------------------------------------------------

    @store_errors
    async def load(self, user_id: str, conversation_id: str,
                   place: Place | None = None) -> Snapshot:
        if self._before_read is not None:
            await self._before_read()
        tag = channel_tag(place) if place is not None else None
        if place is not None and place.workspace and place.workspace != place.org:
            await self._adopt_workspace(user_id, place)
        if tag is None:
            return await self._load_user(user_id, conversation_id)
        snap, (brand, brand_by, names, taste) = await asyncio.gather(
            self._load_user(user_id, conversation_id), self._load_channel(tag))
        snap.brand = BrandContext.from_mapping(brand)
        snap.brand_by = {f: names.get(uid, "") for f, uid in brand_by.items()
                         if names.get(uid)}
        snap.channel_taste = PreferenceModel.from_hash(taste)
        return snap

    async def _adopt_workspace(self, user_id: str, place: Place) -> None:
        """Enterprise Grid: what the user (and channel) had under the workspace id
        before the org-wide id joins it, once; a cheap EXISTS per process after."""
        k = self.keys
        workspace = place.workspace or place.org
        old_user = f"{place.platform}:{workspace}:{place.user}"
        Owner = tuple[str, str, tuple[str, ...]]
        owners: list[Owner] = [(user_tag(old_user), user_tag(user_id),
                   ("brand", "prefs", "feedback", "shortlist", "liked", "rejected", "channels"))]
        tag = channel_tag(place)
        old_channel = channel_tag(replace(place, org=workspace))
        if tag is not None and old_channel is not None:
            owners.append((old_channel, tag, ("brand", "taste", "shortlist")))
        for old, new, parts in owners:
            if not self._seen.first(f"adopt|{old}"):
                continue
            if await self.redis.exists(*(k.tagged(old, p) for p in parts)):
                moved = await adopt(self.redis, k, old, new)
                log.info("Enterprise Grid: %d keys joined their org-wide owner", moved)

    async def _load_user(self, user_id: str, conversation_id: str) -> Snapshot:
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

    async def _load_channel(self, tag: str) -> tuple[dict[str, str], ...]:
        k = self.keys
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hgetall(k.channel(tag, "brand"))
            pipe.hgetall(k.channel(tag, "brand_by"))
            pipe.hgetall(k.channel(tag, "names"))
            pipe.hgetall(k.channel(tag, "taste"))
            found = await pipe.execute()
        return tuple(_text_map(x) for x in found)

    @store_errors
    async def save(self, user_id: str, conversation_id: str, changes: Changes,
                   place: Place | None = None) -> None:
        k = self.keys
        tag = channel_tag(place) if place is not None else None
        now = self._clock()
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(k.conversation(user_id, conversation_id),
                     changes.conversation.to_json(), ex=self._ttl)
            if changes.brand is not None and tag is None:
                pipe.delete(k.brand(user_id))
                mapping = changes.brand.to_mapping()
                if mapping:
                    # redis-py types mappings with an invariant key type (EncodableT), so
                    # a dict[str, str] is refused though it is exactly what it stores.
                    pipe.hset(k.brand(user_id), mapping=mapping)  # type: ignore[arg-type]
            if changes.events:
                for event in changes.events:
                    pipe.xadd(
                        k.feedback(user_id),
                        event,  # type: ignore[arg-type]  # same: redis-py's invariant Dict
                        maxlen=self._log_max,
                        approximate=True,
                    )
                # Retention: entries older than the period go (a Stream id starts with
                # its time in ms), and an idle log expires whole.
                pipe.xtrim(k.feedback(user_id), minid=self._oldest_id(now), approximate=False)
                pipe.expire(k.feedback(user_id), self._retention)
            for name, inc in changes.pref_deltas.items():
                pipe.hincrbyfloat(k.prefs(user_id), name, inc)
            if changes.unrejected:
                pipe.srem(k.rejected(user_id), *(_to_int(i) for i in changes.unrejected))
            if changes.rejected:
                pipe.sadd(k.rejected(user_id), *(_to_int(i) for i in changes.rejected))
            for angle in changes.shortlist:
                pipe.zadd(k.shortlist(user_id), {pack_angle(angle): now})
            if changes.shortlist:
                pipe.zremrangebyrank(k.shortlist(user_id), 0, -SHORTLIST_CAP - 1)
                pipe.zremrangebyscore(k.shortlist(user_id), "-inf", now - self._retention)
            if changes.liked:
                pipe.lpush(k.liked(user_id), *(pack_angle(a) for a in changes.liked))
                pipe.ltrim(k.liked(user_id), 0, LIKED_EXAMPLES_CAP - 1)
                pipe.expire(k.liked(user_id), self._retention)
            if tag is not None:
                # Every time, in the same MULTI (no extra round trip): after a "forget
                # me" the index must come back, or a later erasure would miss this channel.
                pipe.sadd(k.channels(user_id), tag)
            await pipe.execute()
        if tag is not None and place is not None:
            await self._save_channel(tag, place, user_id, conversation_id, changes, now)
        await self._note_copies(user_id, conversation_id, changes)
        if place is not None and place.workspace and place.workspace != place.org \
                and self._seen.first(f"ws|{place.org}|{place.workspace}"):
            # An Enterprise Grid org: erasure must visit each of its workspaces.
            await self.redis.sadd(k.workspaces(place.platform, place.org), place.workspace)
        if self._after_write is not None:
            await self._after_write()

    async def _save_channel(self, tag: str, place: Place, user_id: str, conversation_id: str,
                            changes: Changes, now: float) -> None:
        k = self.keys
        validated = changes.shortlist
        if changes.brand is None and not changes.pref_deltas and not validated \
                and not changes.shown:
            return
        async with self.redis.pipeline(transaction=True) as pipe:
            if changes.shown:
                # Colleagues in the thread may click these: they must find them.
                thread = k.thread_angles(tag, conversation_id)
                pipe.hset(thread, mapping={a.id: pack_angle(a) for a in changes.shown})
                pipe.expire(thread, self._ttl)
            if changes.brand is not None:
                pipe.delete(k.channel(tag, "brand"))
                mapping = changes.brand.to_mapping()
                if mapping:
                    pipe.hset(k.channel(tag, "brand"), mapping=mapping)  # type: ignore[arg-type]
                if changes.brand_fields:
                    pipe.hset(k.channel(tag, "brand_by"),
                              mapping=dict.fromkeys(changes.brand_fields, user_id))
                    pipe.hset(k.channel(tag, "names"), user_id, place.who)
                if place.channel_label:
                    pipe.hset(k.channel(tag, "meta"), "label", place.channel_label)
            for name, inc in changes.pref_deltas.items():
                pipe.hincrbyfloat(k.channel(tag, "taste"), name, inc)
            for angle in validated:
                pipe.hset(k.channel(tag, "shortlist"), angle.id, pack_angle(angle))
                pipe.zadd(k.channel(tag, "validations"), {f"{angle.id}|{user_id}": now})
            if validated:
                pipe.hset(k.channel(tag, "names"), user_id, place.who)
                pipe.zremrangebyscore(k.channel(tag, "validations"), "-inf",
                                      now - self._retention)
            await pipe.execute()

    async def _note_copies(self, user_id: str, conversation_id: str, changes: Changes) -> None:
        """A colleague's angle now in this user's keys: tell its author's index, so
        that their `forget me` reaches this copy (one SADD per author, their slot)."""
        kept = [*changes.shortlist, *changes.liked, *changes.conversation.recent]
        where = f"{user_id}|{digest(conversation_id)}"
        # Remembered per angle: an author who was erased and came back has new angles,
        # so their new index gets written again.
        authors = {a.by for a in kept if a.by and a.by != user_id
                   and self._seen.first(f"{a.by}>{where}>{a.id}")}
        for author in sorted(authors):
            # Copies last at most the retention period (shortlists, liked examples,
            # conversations all end by then): so does the index that finds them.
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.sadd(self.keys.copies(author), where)
                pipe.expire(self.keys.copies(author), self._retention)
                await pipe.execute()

    def _oldest_id(self, now: float) -> str:
        return str(int((now - self._retention) * 1000))

    # -- reads for views ------------------------------------------------------------

    @store_errors
    async def shared_angle(self, place: Place, conversation_id: str,
                           angle_id: str) -> Angle | None:
        """An angle shown to anyone in this conversation (a colleague's answer)."""
        tag = channel_tag(place)
        if tag is None:
            return None  # a direct message has no colleagues
        raw = await self.redis.hget(self.keys.thread_angles(tag, conversation_id), angle_id)
        if raw is None:
            # A card posted before the channel layout: its record stays until it expires.
            raw = await self.redis.hget(self.keys.legacy_thread_angles(conversation_id),
                                        angle_id)
        return unpack_angle(raw) if raw else None

    @store_errors
    async def shortlist(self, user_id: str) -> list[Angle]:
        raw = await self.redis.zrange(self.keys.shortlist(user_id), 0, -1)
        # redis-py types zrange for withscores=True too (tuples); without it, members.
        angles = [unpack_angle(x) for x in raw]  # type: ignore[arg-type]
        # One entry per angle id, newest kept (validating twice must not list it twice).
        unique = {a.id: a for a in angles}
        return [a for a in angles if unique.get(a.id) is a]

    @store_errors
    async def channel_shortlist(self, place: Place) -> list[ValidatedAngle]:
        """The angles validated in a channel, oldest first, with who validated them."""
        tag = channel_tag(place)
        if tag is None:
            return []
        k = self.keys
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hgetall(k.channel(tag, "shortlist"))
            pipe.zrange(k.channel(tag, "validations"), 0, -1, withscores=True)
            pipe.hgetall(k.channel(tag, "names"))
            angles, validations, raw_names = await pipe.execute()
        names = _text_map(raw_names)
        by_id = {_text(i): unpack_angle(raw) for i, raw in angles.items()}
        still = {_text(m).partition("|")[0] for m, _ in validations}
        stale = [i for i in by_id if i not in still]
        if stale:
            # Their validations passed the retention period: the angles go too.
            await self.redis.hdel(k.channel(tag, "shortlist"), *stale)
        out: dict[str, ValidatedAngle] = {}
        for member, score in validations:
            angle_id, _, uid = _text(member).partition("|")
            angle = by_id.get(angle_id)
            if angle is None:
                continue
            entry = out.setdefault(angle_id, ValidatedAngle(angle, [], float(score)))
            name = names.get(uid, "")
            if name and name not in entry.validated_by:
                entry.validated_by.append(name)
        return sorted(out.values(), key=lambda v: v.at)

    @store_errors
    async def channel_brands(self, user_id: str) -> list[ChannelBrand]:
        """The brand of each channel the user works in."""
        tags = sorted(_text(t) for t in await self.redis.smembers(self.keys.channels(user_id)))
        out = []
        for tag in tags:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.hgetall(self.keys.channel(tag, "brand"))
                pipe.hget(self.keys.channel(tag, "meta"), "label")
                pipe.hgetall(self.keys.channel(tag, "taste"))
                brand, label, taste = await pipe.execute()
            channel = tag.split(":", 3)[3] if tag.count(":") >= 3 else tag
            out.append(ChannelBrand(tag, channel, _text(label) if label else "",
                                    BrandContext.from_mapping(_text_map(brand)),
                                    PreferenceModel.from_hash(_text_map(taste))))
        return out

    @store_errors
    async def channel_brand(self, place: Place) -> tuple[BrandContext, str]:
        """A channel's brand and its name if known, read only (for a direct
        conversation held while looking at that channel: Slack's assistant pane)."""
        tag = channel_tag(place)
        if tag is None:
            return BrandContext(), ""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hgetall(self.keys.channel(tag, "brand"))
            pipe.hget(self.keys.channel(tag, "meta"), "label")
            brand, label = await pipe.execute()
        return BrandContext.from_mapping(_text_map(brand)), _text(label) if label else ""

    @store_errors
    async def channel_taste(self, place: Place) -> PreferenceModel | None:
        tag = channel_tag(place)
        if tag is None:
            return None
        return PreferenceModel.from_hash(
            _text_map(await self.redis.hgetall(self.keys.channel(tag, "taste"))))

    @store_errors
    async def feedback_log(self, user_id: str, count: int = 100) -> list[dict[str, str]]:
        """The newest entries of the user's feedback Stream, newest first, raw fields."""
        entries = await self.redis.xrevrange(self.keys.feedback(user_id), count=count)
        # redis-py types the reply as optional (and its fields too, as for XCLAIM of
        # deleted entries); XREVRANGE always returns a list of entries with fields.
        return [_text_map(fields) for _, fields in entries]  # type: ignore[arg-type, union-attr]

    @store_errors
    async def forget(self, user_id: str, place: Place | None = None) -> Erased:
        """Erase the user everywhere (bot.store.erasure)."""
        erased = await erase(self.redis, self.keys, user_id, place)
        if self._after_write is not None:
            await self._after_write()
        return erased


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

