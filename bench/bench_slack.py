"""Slack adapter benchmark: the real app over real HTTP, a mock Slack Web API,
real Redis, and a fake LLM with a fixed latency.

1. ack latency: mentions sent one after another (each one starts a 2 s LLM
   call in the background); p50/p99 of the HTTP response time. Target p99 < 100 ms.
2. burst: 200 mentions sent at once, fake LLM of 1 s per answer; time until
   every one has its final answer in Slack. Target: all within 3 s, one process.

Run:  python -m bench.bench_slack            (REDIS_URL or 127.0.0.1:6379)
      python -m bench.bench_slack --acks 300 --burst 200
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import time
import uuid
from dataclasses import replace

from bot.kernel.settings import Settings
from tests.llm_fakes import EchoAnglesChatModel
from tests.redis_server import delete_prefix
from tests.slack.conftest import start_app, stop_app
from tests.slack.harness import SECRET, mention
from tests.slack.mock_slack import Call, MockSlack

BRAND = ("Brand: Gourdo\nProduct: reusable water bottle\nAudience: students\n"
         "Objective: awareness\nTone: playful\nIdeas for the back-to-school launch?")


class Answers:
    """Timestamps the first call that carries each channel's final answer (angle blocks)."""

    def __init__(self, mock: MockSlack) -> None:
        self.at: dict[str, float] = {}
        mock.observers.append(self._see)

    def _see(self, call: Call) -> None:
        if call.method not in ("chat.postMessage", "chat.update"):
            return
        channel = str(call.args.get("channel"))
        blocks = call.args.get("blocks") or []
        if channel not in self.at and any(b.get("block_id") == "acts.1" for b in blocks):
            self.at[channel] = time.perf_counter()

    def count(self, prefix: str) -> int:
        return sum(1 for c in self.at if c.startswith(prefix))


def _progress(mock: MockSlack) -> str:
    """How answers showed progress: chat streams (threads, while live slots last)
    and "… thinking" placeholders (a single context block)."""
    streams = len(mock.of("chat.startStream"))
    placeholders = sum(1 for c in mock.of("chat.postMessage")
                       if [b.get("type") for b in c.args.get("blocks") or []] == ["context"])
    return f"progress: {streams} chat streams, {placeholders} placeholders"


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def ack_latency(settings: Settings, n: int) -> None:
    mock = await MockSlack().start()
    app = await start_app(replace(settings, slack_api_url=mock.api_url), mock,
                          chat_model=EchoAnglesChatModel(delay_s=2.0))
    answers = Answers(mock)
    try:
        await app.send.event(mention("help", user="UWARM", channel="CWARM"))  # auth.test, pools
        await mock.wait_for(lambda: mock.of("chat.postMessage"))
        times = []
        for i in range(n):
            event = mention(BRAND, user=f"U{i:05d}", channel=f"C{i:05d}")
            started = time.perf_counter()
            status, _ = await app.send.event(event)
            times.append((time.perf_counter() - started) * 1000)
            assert status == 200, status
        await mock.wait_for(lambda: answers.count("C0") >= n, timeout=60)
        print(f"ack latency, fake LLM 2 s, {n} mentions: "
              f"p50 {statistics.median(times):.1f} ms, p99 {_pct(times, 0.99):.1f} ms, "
              f"max {max(times):.1f} ms  (all {n} answered; {_progress(mock)})")
    finally:
        await stop_app(app)
        await mock.stop()


async def burst(settings: Settings, n: int) -> None:
    mock = await MockSlack().start()
    app = await start_app(replace(settings, slack_api_url=mock.api_url), mock,
                          chat_model=EchoAnglesChatModel(delay_s=1.0))
    answers = Answers(mock)
    try:
        await app.send.event(mention("help", user="UWARM", channel="CWARM"))
        await mock.wait_for(lambda: mock.of("chat.postMessage"))
        events = [mention(BRAND, user=f"U{i:05d}", channel=f"B{i:05d}") for i in range(n)]
        started = time.perf_counter()
        results = await asyncio.gather(*(app.send.event(e) for e in events))
        acked = time.perf_counter() - started
        assert all(status == 200 for status, _ in results)
        await mock.wait_for(lambda: answers.count("B") >= n, timeout=60)
        done = max(answers.at[c] for c in answers.at if c.startswith("B")) - started
        verdict = "OK" if done < 3.0 else "SLOWER THAN 3 s"
        print(f"burst: {n} mentions at once, fake LLM 1 s: all acked in {acked:.2f} s, "
              f"all {n} answered in {done:.2f} s ({verdict}; {_progress(mock)})")
    finally:
        await stop_app(app)
        await mock.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--acks", type=int, default=300)
    parser.add_argument("--burst", type=int, default=200)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    prefix = f"symbench-{uuid.uuid4().hex[:8]}"
    settings = replace(Settings(), redis_url=url, key_prefix=prefix, lang="en",
                       rate_limit_per_minute=0, slack_bot_token="xoxb-bench",
                       slack_signing_secret=SECRET)
    try:
        asyncio.run(ack_latency(settings, args.acks))
        asyncio.run(burst(settings, args.burst))
    finally:
        delete_prefix(url, prefix)


if __name__ == "__main__":
    main()
