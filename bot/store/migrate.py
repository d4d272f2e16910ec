"""Bringing keys of an earlier layout into the current one, without losing data.

Layout 1 (before channels) tagged a user's keys with their id alone
(`symbiose:{slack:T1:U1}:prefs`) and a thread's shared angles with the
conversation digest (`symbiose:{thread:<digest>}:angles`). Layout 2 names the
kind of owner (docs/channels.md) and keeps a thread's angles with its channel.
A layout-1 thread record cannot be placed (its digest does not say which
channel): it stays where it is, still read for clicks on old cards, until its
TTL (a conversation's) ends it. `migrate` runs once at start-up: the first
process takes a lock and moves every key, the others wait for it; a key is
copied with DUMP/RESTORE (its TTL kept) then deleted, one owner at a time,
so it works on a Redis Cluster, where a RENAME across slots is refused.

`adopt` does the same for one owner later on: a Slack user seen for the first
time with their Enterprise Grid org id brings the keys they had in one
workspace under the org-wide id.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from redis.exceptions import ResponseError

from bot.store.connection import RedisClient
from bot.store.keys import LAYOUT_VERSION, Keys, is_current, tag_of

log = logging.getLogger(__name__)

LOCK_S = 300
_BATCH = 500
# Parts whose numbers add up when two copies meet (a user's taste in two workspaces).
_COUNTERS = frozenset({"prefs", "taste"})


@dataclass
class Migration:
    moved: int = 0
    threads: int = 0  # layout-1 thread records, left to expire (read until then)
    ran: bool = False


async def migrate(redis: RedisClient, keys: Keys, *, wait_s: float = 60.0) -> Migration:
    report = Migration()
    if _text(await redis.get(keys.layout()) or b"") == LAYOUT_VERSION:
        return report
    if not await redis.set(keys.migration_lock(), b"1", nx=True, ex=LOCK_S):
        await _wait_for_layout(redis, keys, wait_s)
        return report
    try:
        report.ran = True
        async for raw in redis.scan_iter(match=f"{keys.prefix}:{{*", count=_BATCH):
            key = _text(raw)
            tag = tag_of(key)
            if tag is None or is_current(tag):
                continue
            if tag.startswith("thread:"):
                report.threads += 1
                continue
            part = key[len(keys.prefix) + len(tag) + 4:]
            if not _layout_1_user_part(part):
                continue  # someone else's key (another feature's hash tag): not ours to move
            if part.startswith("rate:"):  # a one-minute counter: not worth moving
                await redis.delete(key)
                continue
            if await move(redis, key, keys.user(tag, part)):
                report.moved += 1
        await redis.set(keys.layout(), LAYOUT_VERSION)
        log.info("keys migrated to layout %s: %d keys moved, %d thread records left to expire",
                 LAYOUT_VERSION, report.moved, report.threads)
    finally:
        await redis.delete(keys.migration_lock())
    return report


async def _wait_for_layout(redis: RedisClient, keys: Keys, wait_s: float) -> None:
    """Another process is migrating: serve once it is done (or the wait runs out)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_s
    while loop.time() < deadline:
        if _text(await redis.get(keys.layout()) or b"") == LAYOUT_VERSION:
            return
        await asyncio.sleep(0.2)
    log.warning("key migration by another process still running; serving anyway")


async def adopt(redis: RedisClient, keys: Keys, old_tag: str, new_tag: str) -> int:
    """Move every key of the owner `old_tag` to `new_tag`, merging with what is there
    (a channel's thread records go with it)."""
    moved = 0
    found = [_text(k) async for k in redis.scan_iter(match=keys.tag_pattern(old_tag),
                                                       count=_BATCH)]
    for key in found:
        part = key[len(keys.prefix) + len(old_tag) + 4:]
        if await move(redis, key, keys.tagged(new_tag, part)):
            moved += 1
    return moved


async def move(redis: RedisClient, src: str, dst: str) -> bool:
    """Copy `src` to `dst` (TTL kept), then delete `src`. When `dst` exists (a
    re-run after a crash, or two workspaces' copies meeting), merge instead."""
    dumped = await redis.dump(src)
    if dumped is None:
        return False
    ttl = int(await redis.pttl(src))
    if ttl == -2:  # expired in between
        return False
    try:
        await redis.restore(dst, max(ttl, 0), dumped)
    except ResponseError as exc:
        if "BUSYKEY" not in str(exc):
            raise
        await _merge(redis, src, dst)
    await redis.delete(src)
    return True


async def _merge(redis: RedisClient, src: str, dst: str) -> None:
    kind = _text(await redis.type(src))
    part = dst.rsplit(":", 1)[-1]
    if kind == "hash":
        for field, value in (await redis.hgetall(src)).items():
            if part in _COUNTERS:
                await redis.hincrbyfloat(dst, field, float(value))
            else:
                await redis.hsetnx(dst, field, value)
    elif kind == "set":
        members = await redis.smembers(src)
        if members:
            await redis.sadd(dst, *members)
    elif kind == "zset":
        # redis-py types replies for every option combination; these are (member, score).
        scored: list[Any] = await redis.zrange(src, 0, -1, withscores=True)
        if scored:
            await redis.zadd(dst, {m: s for m, s in scored})
    elif kind == "list":
        items = await redis.lrange(src, 0, -1)
        if items:
            await redis.rpush(dst, *items)
    elif kind == "stream":
        for _, fields in await redis.xrange(src) or []:
            await redis.xadd(dst, fields or {})  # type: ignore[arg-type]  # invariant Dict
    elif kind == "string":
        raw: Any = await redis.get(src)
        if raw is not None:
            await redis.set(dst, raw, nx=True)


# What layout 1 kept under a user's tag: nothing else is moved.
_LAYOUT_1_PARTS = frozenset({"brand", "prefs", "feedback", "rejected", "shortlist", "liked",
                             "forget"})


def _layout_1_user_part(part: str) -> bool:
    return part in _LAYOUT_1_PARTS or part.startswith(("conv:", "rate:"))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
