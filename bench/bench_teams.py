"""Teams adapter benchmark: the real bot on a real port, a local mock Bot
Connector, real Redis, a fake LLM with a fixed delay.

1. POST -> HTTP response time (p50/p99) while every answer takes 2 s to
   generate: the response must not wait for the LLM (target p99 < 100 ms).
2. 200 activities at once, fake LLM of 1 s: time until all 200 answers
   (header + angle cards) have reached the connector (target < 3 s).

Run: `python -m bench.bench_teams` (REDIS_URL or 127.0.0.1:6379).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import uuid
from dataclasses import replace

import redis

from bot.app import build_engine
from bot.settings import Settings
from tests.llm_fakes import EchoAnglesChatModel
from tests.teams import activities as A
from tests.teams.harness import BotServer
from tests.teams.mock_connector import MockConnector

BRIEF = (
    "Brand: Gourdo\nProduct: insulated bottle made of recycled steel\nAudience: urban students\n"
    "Objective: awareness\nTone: playful\nLaunch our new bottle for the back-to-school season"
)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def start(settings: Settings, delay_s: float) -> tuple[BotServer, MockConnector]:
    connector = MockConnector(validate=False)  # the schema check is the tests' job
    await connector.start()
    bot = await BotServer(settings, build_engine(settings, chat_model=EchoAnglesChatModel(delay_s=delay_s))).start()
    return bot, connector


def answered(connector: MockConnector, conversations: list[str], per_answer: int) -> int:
    counts: dict[str, int] = {}
    for call in connector.posted():
        counts[call.conversation_id] = counts.get(call.conversation_id, 0) + 1
    return sum(1 for c in conversations if counts.get(c, 0) >= per_answer)


async def latency(settings: Settings, n: int) -> None:
    bot, connector = await start(settings, delay_s=2.0)
    try:
        await bot.post(A.personal_message(connector.url, "help"))  # warm-up (Redis, imports)
        times = []
        conversations = []
        for i in range(n):
            conversation = A.personal_conversation(f"user{i}")
            conversations.append(conversation["id"])
            posted = await bot.post(A.personal_message(connector.url, BRIEF, conversation=conversation,
                                                       user=f"user{i}"))
            assert posted.status == 201, posted
            times.append(posted.elapsed_s * 1000)
        await bot.idle(60)
        done = answered(connector, conversations, 1 + settings.angles_per_answer)
        print(f"[latency] {n} POSTs with a 2 s LLM: HTTP response p50 {statistics.median(times):.1f} ms, "
              f"p99 {percentile(times, 99):.1f} ms, max {max(times):.1f} ms "
              f"(target p99 < 100 ms); answers delivered later: {done}/{n}")
    finally:
        await bot.stop()
        await bot.engine.aclose()
        await connector.stop()


async def burst(settings: Settings, n: int) -> None:
    bot, connector = await start(settings, delay_s=1.0)
    try:
        await bot.post(A.personal_message(connector.url, "help"))
        await bot.idle()
        conversations = [A.personal_conversation(f"burst{i}") for i in range(n)]
        payloads = [A.personal_message(connector.url, BRIEF, conversation=c, user=f"burst{i}")
                    for i, c in enumerate(conversations)]
        ids = [c["id"] for c in conversations]
        per_answer = 1 + settings.angles_per_answer
        started = time.perf_counter()
        results = await asyncio.gather(*(bot.post(p) for p in payloads))
        acked = time.perf_counter() - started
        await connector.wait_for(lambda: answered(connector, ids, per_answer) == n, timeout=60)
        elapsed = time.perf_counter() - started
        statuses = {r.status for r in results}
        print(f"[burst] {n} activities at once, 1 s LLM, one process: all HTTP responses in "
              f"{acked * 1000:.0f} ms (statuses {sorted(statuses)}), all {n} answers "
              f"({per_answer} messages each) delivered in {elapsed:.2f} s (target < 3 s)")
    finally:
        await bot.stop()
        await bot.engine.aclose()
        await connector.stop()


def main() -> None:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    prefix = f"symbench-{uuid.uuid4().hex[:8]}"
    settings = replace(Settings(), redis_url=url, key_prefix=prefix, rate_limit_per_minute=0)
    try:
        asyncio.run(latency(settings, n=int(os.environ.get("BENCH_LATENCY_N", "200"))))
        asyncio.run(burst(settings, n=int(os.environ.get("BENCH_BURST_N", "200"))))
    finally:
        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


if __name__ == "__main__":
    main()
