""""Forget me", completely: the user's own keys, and every copy of what came from them.

What is erased:
- every key of the user (in each workspace of an Enterprise Grid org too, for
  keys written before the org-wide id);
- their angles in colleagues' shortlists, liked examples and conversations
  (found through the `copies` index their colleagues' turns keep up to date);
- their angles in shared thread records, where other people's angles stay;
- their name in the channels they worked in: who set a brand field, who
  validated an angle. A channel's brand belongs to the channel and stays.

Each owner (user, colleague, channel, thread) lives in its own Cluster slot,
so each gets its own commands: never a multi-key command across owners.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from bot.kernel.conversation import ConversationState
from bot.kernel.messages import Angle
from bot.kernel.place import Place, split_user_id
from bot.store.codec import unpack_angle
from bot.store.connection import RedisClient
from bot.store.keys import Keys

_BATCH = 500


@dataclass
class Erased:
    keys: int = 0  # the user's own keys
    copies: int = 0  # their angles in colleagues' shortlists, favourites, conversations
    thread_angles: int = 0  # their angles in shared thread records
    channels: int = 0  # channels where their name was removed
    workspaces: int = 1  # workspaces (of an Enterprise Grid org) reached

    @property
    def total(self) -> int:
        return self.keys + self.copies + self.thread_angles


async def erase(redis: RedisClient, keys: Keys, user_id: str, place: Place | None) -> Erased:
    out = Erased()
    identities = [user_id, *await _other_workspaces(redis, keys, user_id, place)]
    out.workspaces = len(identities)
    ids = set(identities)
    own: list[str] = []
    conversations: set[str] = set()
    channels: set[str] = set()
    copies: set[str] = set()
    for identity in identities:
        found = [_text(k) async for k in
                 redis.scan_iter(match=keys.user_pattern(identity), count=_BATCH)]
        own += found
        conversations |= {d for k in found if (d := keys.conversation_digest(k))}
        channels |= {_text(x) for x in await redis.smembers(keys.channels(identity))}
        copies |= {_text(x) for x in await redis.smembers(keys.copies(identity))}
    # The threads the user spoke in: in the channels they work in, under their digests.
    for tag in sorted(channels):
        for conversation in sorted(conversations):
            out.thread_angles += await _drop_from_hash(
                redis, keys.thread_angles_of(tag, conversation), ids)
    for conversation in sorted(conversations):
        # A layout-1 record does not say whose each angle is: it goes whole, as it did.
        legacy = keys.legacy_thread_angles_of(conversation)
        out.thread_angles += int(await redis.hlen(legacy))
        await redis.delete(legacy)
    for where in sorted(copies):
        holder, _, conversation = where.rpartition("|")
        if holder and holder not in ids:
            out.copies += await _scrub_holder(redis, keys, holder, conversation, ids)
    for tag in sorted(channels):
        if await _unname(redis, keys, tag, ids):
            out.channels += 1
    for author in await _authors_copied(redis, keys, own, ids):
        # Colleagues' indexes name this user as holding copies of theirs: not any more.
        index = keys.copies(author)
        stale = [m for m in await redis.smembers(index) if _text(m).rpartition("|")[0] in ids]
        if stale:
            await redis.srem(index, *stale)
    # The user's own keys last: the indexes above were read from them.
    for start in range(0, len(own), _BATCH):
        batch = own[start:start + _BATCH]
        # One owner (hash tag) per DEL: a Cluster refuses keys of several slots.
        for tag in {_tag(k) for k in batch}:
            same = [k for k in batch if _tag(k) == tag]
            out.keys += int(await redis.delete(*same))
    return out


async def _authors_copied(redis: RedisClient, keys: Keys, own: list[str],
                          ids: set[str]) -> set[str]:
    """Whose angles this user kept (shortlist, liked examples, conversations)."""
    packed: list[Any] = []
    authors: set[str] = set()
    for key in own:
        part = key.rsplit("}:", 1)[-1]
        if part == "shortlist":
            packed += await redis.zrange(key, 0, -1)
        elif part == "liked":
            packed += await redis.lrange(key, 0, -1)
        elif part.startswith("conv:"):
            raw = await redis.get(key)
            authors |= {a.by for a in ConversationState.from_json(raw).recent} if raw else set()
    authors |= {_author(x) for x in packed}
    return {a for a in authors if a and a not in ids}


async def _other_workspaces(redis: RedisClient, keys: Keys, user_id: str,
                            place: Place | None) -> list[str]:
    """The same person's ids in the other workspaces of their Enterprise Grid org."""
    platform, org, user = split_user_id(user_id)
    members = await redis.smembers(keys.workspaces(platform, org))
    return [f"{platform}:{ws}:{user}" for ws in sorted(_text(m) for m in members) if ws != org]


async def _drop_from_hash(redis: RedisClient, key: str, ids: set[str]) -> int:
    """Remove the user's angles from a hash of packed angles (a thread record, a
    channel shortlist); the other fields stay."""
    stored = await redis.hgetall(key)
    theirs = [field for field, raw in stored.items() if _author(raw) in ids]
    return int(await redis.hdel(key, *theirs)) if theirs else 0


async def _scrub_holder(redis: RedisClient, keys: Keys, holder: str, conversation: str,
                        ids: set[str]) -> int:
    removed = 0
    shortlist = keys.shortlist(holder)
    stored: list[Any] = await redis.zrange(shortlist, 0, -1)
    members = [m for m in stored if _author(m) in ids]
    if members:
        removed += int(await redis.zrem(shortlist, *members))
    liked = keys.liked(holder)
    kept: list[Any] = await redis.lrange(liked, 0, -1)
    for raw in {m for m in kept if _author(m) in ids}:
        removed += int(await redis.lrem(liked, 0, raw))
    if conversation:
        removed += await _scrub_conversation(redis, keys.conversation_of(holder, conversation),
                                             ids)
    return removed


async def _scrub_conversation(redis: RedisClient, key: str, ids: set[str]) -> int:
    raw = await redis.get(key)
    if not raw:
        return 0
    conv = ConversationState.from_json(raw)
    theirs = [a for a in conv.recent if a.by in ids]
    if not theirs:
        return 0
    gone = {a.id for a in theirs}
    conv.recent = [a for a in conv.recent if a.id not in gone]
    conv.angles = [a for a in conv.angles if a.id not in gone]
    # Their hooks were also remembered as shown, so that none comes back: they go too.
    lines = {f"{a.title}\x1f{a.hook}" for a in theirs}
    conv.shown = [line for line in conv.shown if line not in lines]
    # The bot's replies in the history may quote them (a check to do, a title).
    quoted = [s for a in theirs for s in (a.title, a.hook, *a.to_validate) if len(s) >= 8]
    conv.history = [line for line in conv.history if not any(q in line for q in quoted)]
    await redis.set(key, conv.to_json(), keepttl=True)
    return len(theirs)


async def _unname(redis: RedisClient, keys: Keys, tag: str, ids: set[str]) -> bool:
    """The channel keeps its brand and validated angles; the user's name goes,
    and so do the angles that came from their briefs."""
    touched = False
    brand_by = keys.channel(tag, "brand_by")
    fields = [f for f, uid in (await redis.hgetall(brand_by)).items() if _text(uid) in ids]
    if fields:
        await redis.hdel(brand_by, *fields)
        touched = True
    if await redis.hdel(keys.channel(tag, "names"), *ids):
        touched = True
    validations = keys.channel(tag, "validations")
    entries: list[Any] = await redis.zrange(validations, 0, -1)
    mine = [m for m in entries if _text(m).rpartition("|")[2] in ids]
    if mine:
        await redis.zrem(validations, *mine)
        touched = True
    if await _drop_from_hash(redis, keys.channel(tag, "shortlist"), ids):
        touched = True
    return touched


def _author(raw: bytes | str) -> str:
    try:
        angle: Angle = unpack_angle(raw)
    except (ValueError, TypeError, zlib.error):
        return ""
    return angle.by


def _tag(key: str) -> str:
    start = key.find("{")
    return key[start:key.find("}", start) + 1]


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
