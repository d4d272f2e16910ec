"""Moving keys between owners on a real Redis: TTLs kept, and two copies merged
(a re-run after a crash, or a user's keys from two workspaces meeting)."""

from __future__ import annotations

import asyncio

import redis.asyncio as aioredis

from bot.store.keys import Keys
from bot.store.migrate import adopt, migrate, move


async def test_move_keeps_the_ttl_and_merges_into_what_exists(
    redis_client: aioredis.Redis, key_prefix: str
) -> None:
    src, dst = f"{key_prefix}:{{a}}:", f"{key_prefix}:{{b}}:"
    await redis_client.set(src + "conv", "old", ex=100)
    await redis_client.hset(src + "prefs", mapping={"s+:humour": "2", "n:humour": "1"})
    await redis_client.hset(dst + "prefs", mapping={"s+:humour": "1"})
    await redis_client.hset(src + "brand", mapping={"brand": "Old", "tone": "bold"})
    await redis_client.hset(dst + "brand", mapping={"brand": "New"})
    await redis_client.sadd(src + "rejected", "1", "2")
    await redis_client.sadd(dst + "rejected", "3")
    await redis_client.rpush(src + "liked", "x")
    await redis_client.rpush(dst + "liked", "y")
    await redis_client.zadd(src + "shortlist", {"p": 1.0})
    await redis_client.zadd(dst + "shortlist", {"q": 2.0})
    await redis_client.xadd(src + "feedback", {"e": "L|a|x"})
    await redis_client.xadd(dst + "feedback", {"e": "L|b|y"})
    for part in ("conv", "prefs", "brand", "rejected", "liked", "shortlist", "feedback"):
        assert await move(redis_client, src + part, dst + part)
        assert not await redis_client.exists(src + part)
    assert 90 < await redis_client.ttl(dst + "conv") <= 100
    prefs = await redis_client.hgetall(dst + "prefs")
    assert float(prefs[b"s+:humour"]) == 3.0 and float(prefs[b"n:humour"]) == 1.0  # counters add
    assert await redis_client.hgetall(dst + "brand") == {b"brand": b"New", b"tone": b"bold"}
    assert await redis_client.smembers(dst + "rejected") == {b"1", b"2", b"3"}
    assert await redis_client.lrange(dst + "liked", 0, -1) == [b"y", b"x"]
    assert await redis_client.zcard(dst + "shortlist") == 2
    assert await redis_client.xlen(dst + "feedback") == 2
    assert not await move(redis_client, src + "nothing", dst + "nothing")


async def test_adopt_moves_every_key_of_an_owner(
    redis_client: aioredis.Redis, key_prefix: str
) -> None:
    keys = Keys(key_prefix)
    await redis_client.hset(keys.tagged("slack:T3:u:U8", "brand"), "brand", "Oldco")
    await redis_client.set(keys.tagged("slack:T3:u:U8", "conv:abc"), "{}", ex=50)
    assert await adopt(redis_client, keys, "slack:T3:u:U8", "slack:E1:u:U8") == 2
    assert await redis_client.hget(keys.tagged("slack:E1:u:U8", "brand"), "brand") == b"Oldco"
    assert not await redis_client.keys(f"{key_prefix}:{{slack:T3:u:U8}}:*")


async def test_one_process_migrates_while_the_others_wait(
    redis_client: aioredis.Redis, key_prefix: str
) -> None:
    keys = Keys(key_prefix)
    for i in range(50):
        await redis_client.hset(f"{key_prefix}:{{slack:T1:U{i}}}:brand", "brand", f"B{i}")
    # Another feature's tagged key is not a layout-1 user key: it stays as it is.
    await redis_client.set(f"{key_prefix}:{{budget:T1}}:tokens:20250101", 5)
    reports = await asyncio.gather(*(migrate(redis_client, keys) for _ in range(4)))
    assert await redis_client.get(f"{key_prefix}:{{budget:T1}}:tokens:20250101") == b"5"
    assert sorted(r.ran for r in reports) == [False, False, False, True]
    assert sum(r.moved for r in reports) == 50
    assert len(await redis_client.keys(f"{key_prefix}:{{slack:T1:u:*}}:brand")) == 50
    assert not await redis_client.exists(keys.migration_lock())
    assert not (await migrate(redis_client, keys)).ran  # done once for all
