"""Engine benchmark: offline turn latency, Redis round trips per turn, memory per user.

    python bench/bench_engine.py [--turns 2000] [--channel]

`--channel`: the turns happen in a shared channel (channel brand, team taste,
thread record) instead of a direct message.

Uses the Redis at REDIS_URL (or 127.0.0.1:6379), or starts one like the tests do.
Latency is the whole `Engine.handle` (parse, Redis read, offline generation,
rendering, Redis write), no LLM. Round trips are counted on the wire: every
`send` a Redis connection makes (a pipeline is one).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import redis.asyncio as aioredis  # noqa: E402
from redis.asyncio.connection import Connection  # noqa: E402

from bot.app import build_engine  # noqa: E402
from bot.kernel.messages import Message  # noqa: E402
from bot.kernel.settings import Settings  # noqa: E402
from bot.store.keys import Keys  # noqa: E402
from tests.redis_server import delete_prefix, redis_server  # noqa: E402

BRAND = ("Brand: Gourdo\nProduct: insulated bottle made of recycled steel\n"
         "Audience: urban students\nObjective: awareness\nTone: playful")
SENDS = 0


class CountingConnection(Connection):
    async def send_packed_command(self, command, check_health=True):  # type: ignore[no-untyped-def]
        global SENDS
        SENDS += 1
        return await super().send_packed_command(command, check_health)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def run(url: str, turns: int, channel: bool = False) -> dict[str, float]:
    global SENDS
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    settings = replace(Settings(), redis_url=url, key_prefix=prefix)
    engine = build_engine(settings)
    pool = aioredis.ConnectionPool.from_url(url, connection_class=CountingConnection)
    engine.store.redis = aioredis.Redis(connection_pool=pool)

    async def say(user: str, text: str) -> str:
        extras = {"channel": f"C{user}", "dm": False} if channel else {}
        reply = await engine.handle(Message(text=text, user_id=user, conversation_id=f"{user}:c",
                                            platform="bench", lang="en", extras=extras))
        return reply.kind

    # Warm-up: imports, catalogue, connection.
    await say("warm", BRAND)
    await say("warm", "Ideas for the September launch")

    script = ["more", "like 1", "dislike 2", "validate 3", "refine 4 shorter", "more", "like 2"]
    latencies: list[float] = []
    trips: list[int] = []
    user = "lat"
    await say(user, BRAND)
    await say(user, "Ideas for the September launch")
    for i in range(turns):
        text = script[i % len(script)]
        SENDS = 0
        start = time.perf_counter()
        await say(user, text)
        latencies.append((time.perf_counter() - start) * 1000)
        trips.append(SENDS)

    # Memory: a fresh user, 100 feedback events (likes, dislikes, validations, refinements).
    mem_user = "mem"
    await say(mem_user, BRAND)
    await say(mem_user, "Ideas for the September launch")
    # Every 10 decisions, over two answers: 5 likes, 2 dislikes (with a reason),
    # 1 validation, 2 refinements: 10 angles validated in all.
    events = ["like 1", "dislike 2 too corporate", "like 3", "validate 4", "refine 5 more playful",
              "like 1", "like 2", "dislike 3 seen before", "like 4", "refine 5 shorter"]
    for i in range(100):
        if i and i % 5 == 0:
            await say(mem_user, "more")
        assert await say(mem_user, events[i % 10]) in ("feedback", "angles")
    raw = aioredis.Redis.from_url(url)
    keys = Keys(prefix)
    sizes = {}
    async for key in raw.scan_iter(match=keys.user_pattern(mem_user)):
        sizes[key.decode()] = int(await raw.memory_usage(key, samples=0) or 0)
    conv_key = keys.conversation(mem_user, f"{mem_user}:c")
    lasting = sum(v for k, v in sizes.items() if k != conv_key)
    await raw.aclose()
    delete_prefix(url, prefix)
    await engine.aclose()
    await pool.disconnect()
    return {
        "turns": turns,
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "mean_ms": statistics.fmean(latencies),
        "round_trips_max": max(trips),
        "round_trips_mean": statistics.fmean(trips),
        "memory_user_bytes": lasting,
        "memory_conversation_bytes": sizes.get(conv_key, 0),
        "memory_keys": len(sizes),
        "memory_by_key": {k.rsplit(":", 1)[-1]: v for k, v in sizes.items() if k != conv_key},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=2000)
    parser.add_argument("--channel", action="store_true", help="turns in a shared channel")
    args = parser.parse_args()
    with redis_server() as url:
        r = asyncio.run(run(url, args.turns, args.channel))
    where = "in a channel" if args.channel else "in a direct message"
    print(f"offline turn latency {where} over {r['turns']} turns: p50 {r['p50_ms']:.2f} ms, "
          f"p99 {r['p99_ms']:.2f} ms (mean {r['mean_ms']:.2f} ms; target p99 < 5 ms)")
    print(f"Redis round trips per turn: max {r['round_trips_max']}, "
          f"mean {r['round_trips_mean']:.2f} (target <= 3, pipelined)")
    print(f"Redis memory per user after 100 feedback events: {r['memory_user_bytes']} bytes "
          f"in {r['memory_keys'] - 1} lasting keys (target < 16 KB), plus "
          f"{r['memory_conversation_bytes']} bytes of conversation memory (TTL)")
    print("  by key: " + ", ".join(f"{k} {v} B" for k, v in sorted(r["memory_by_key"].items())))


if __name__ == "__main__":
    main()
