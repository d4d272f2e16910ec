"""Two Slack app replicas on one Redis Cluster: 500 mentions, each with a Slack
retry sent to the other replica. Counts lost and duplicated answers, and the time
until every mention has its answer.

Each replica is the real app (Bolt over HTTP, its own engine and cluster client)
in a process of its own, started cold (no warm-up request); the mock Slack Web API
and the sender run in this process. Mention i goes to replica i % 2; its retry
(same event id, X-Slack-Retry-Num: 1) goes at the same moment to the other
replica, the worst case for the dedupe. Fake LLM of 1 s.

- lost: mentions without a final answer (angle blocks) in their channel
- duplicates: turns handled beyond one per mention (each replica's /metrics,
  symbiose_turns_total), and channels with more than one answer message

Run:  python -m bench.bench_cluster                  (starts a 3-master cluster on 7101-7199)
      python -m bench.bench_cluster --redis-url redis://host:7000 --mentions 500
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import multiprocessing
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from multiprocessing.connection import Connection

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from adapters.slack.app import build_slack_app, build_web_app
from bot.app import build_engine
from bot.kernel.settings import Settings
from bot.store.connection import is_cluster
from tests.llm_fakes import EchoAnglesChatModel
from tests.redis_cluster import delete_prefix_everywhere, redis_cluster
from tests.redis_server import delete_prefix
from tests.slack.harness import SECRET, SlackSender, mention, serve
from tests.slack.mock_slack import Call, MockSlack

BRAND = ("Brand: Gourdo\nProduct: reusable water bottle\nAudience: students\n"
         "Objective: awareness\nTone: playful\nIdeas for the back-to-school launch?")


class Answers:
    """Per channel: when the first final answer (angle blocks) appeared, and how
    many distinct messages carried one."""

    def __init__(self, mock: MockSlack) -> None:
        self.first_at: dict[str, float] = {}
        self.messages: dict[str, set[str]] = defaultdict(set)
        mock.observers.append(self._see)

    def _see(self, call: Call) -> None:
        if call.method not in ("chat.postMessage", "chat.update"):
            return
        blocks = call.args.get("blocks") or []
        if not any(b.get("block_id") == "acts.1" for b in blocks):
            return
        channel = str(call.args.get("channel"))
        self.first_at.setdefault(channel, time.perf_counter())
        # An update names its message; a new post is a new message.
        self.messages[channel].add(str(call.args.get("ts") or f"new-{id(call)}"))

    def duplicated_channels(self) -> int:
        return sum(1 for ids in self.messages.values() if len(ids) > 1)


# -- a replica, in its own process -------------------------------------------------

def _replica(conn: Connection, settings: Settings, llm_s: float) -> None:
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(_serve_replica(conn, settings, llm_s))


async def _serve_replica(conn: Connection, settings: Settings, llm_s: float) -> None:
    engine = build_engine(settings, chat_model=EchoAnglesChatModel(delay_s=llm_s))
    await engine.start()
    bolt = build_slack_app(settings, engine)
    runner, base = await serve(build_web_app(bolt, signing_secret=SECRET, ready=engine.ready))
    conn.send(base)
    await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # "stop"
    await runner.cleanup()
    await engine.aclose()


async def _metric(session: aiohttp.ClientSession, base: str, name: str) -> float:
    async with session.get(f"{base}/metrics") as resp:
        text = await resp.text()
    return sum(s.value for family in text_string_to_metric_families(text)
               for s in family.samples if s.name == name)


# -- the run -----------------------------------------------------------------------

async def run(url: str, n: int, llm_s: float) -> None:
    prefix = f"symbench-{uuid.uuid4().hex[:8]}"
    mock = await MockSlack().start()
    mock.latency["auth.test"] = 0.05  # a real round trip: the cold burst overlaps it
    answers = Answers(mock)
    settings = replace(Settings(), redis_url=url, key_prefix=prefix, lang="en",
                       rate_limit_per_minute=0, slack_bot_token="xoxb-bench",
                       slack_signing_secret=SECRET, slack_api_url=mock.api_url)
    ctx = multiprocessing.get_context("spawn")
    loop = asyncio.get_running_loop()
    pipes, procs = [], []
    for _ in range(2):
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_replica, args=(child, settings, llm_s), daemon=True)
        proc.start()
        pipes.append(parent)
        procs.append(proc)
    bases = [await loop.run_in_executor(None, p.recv) for p in pipes]
    senders = [SlackSender(base) for base in bases]
    rng = random.Random(12)
    try:
        async def deliver(i: int) -> list[int]:
            event = mention(BRAND, user=f"U{i:05d}", channel=f"K{i:05d}")
            event_id = f"EvK{i:06d}"
            first, other = senders[i % 2], senders[(i + 1) % 2]

            async def retry() -> tuple[int, str]:
                await asyncio.sleep(rng.random() * 0.02)
                return await other.event(event, event_id=event_id, retry=1)

            sent = await asyncio.gather(first.event(event, event_id=event_id), retry())
            return [status for status, _ in sent]

        started = time.perf_counter()
        statuses = await asyncio.gather(*(deliver(i) for i in range(n)))
        acked = time.perf_counter() - started
        with contextlib.suppress(AssertionError):
            await mock.wait_for(lambda: len(answers.first_at) >= n, timeout=180)
        await asyncio.sleep(2 * llm_s + 1)  # let any duplicate answer land too
        answered = len(answers.first_at)
        done = (max(answers.first_at.values()) - started) if answers.first_at else float("nan")
        async with aiohttp.ClientSession() as session:
            handled = sum([await _metric(session, b, "symbiose_turns_total") for b in bases])
            dropped = sum([await _metric(session, b, "symbiose_duplicates_dropped_total")
                           for b in bases])
        refused = sum(1 for pair in statuses for s in pair if s != 200)
        print(f"cluster bench: 2 replica processes, {n} mentions + {n} retries to the other "
              f"replica, fake LLM {llm_s:g} s")
        print(f"  acked: all {2 * n} requests in {acked:.2f} s ({refused} non-200)")
        print(f"  answered: {answered}/{n}, lost: {n - answered}, time to all answered: "
              f"{done:.2f} s")
        print(f"  duplicates: {int(handled - answered)} extra turns handled "
              f"(turns {int(handled)}), {answers.duplicated_channels()} channels answered twice; "
              f"retries dropped by the dedupe: {int(dropped)}")
        print(f"  auth.test calls: {len(mock.of('auth.test'))} (one per replica)")
    finally:
        for sender in senders:
            await sender.close()
        for pipe in pipes:
            pipe.send("stop")
        for proc in procs:
            await loop.run_in_executor(None, proc.join, 30)
        await mock.stop()
        if is_cluster(url):
            delete_prefix_everywhere(url, prefix)
        else:  # --redis-url at a single server, for comparison
            delete_prefix(url, prefix)


@contextlib.contextmanager
def _cluster(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    with redis_cluster() as started:
        yield started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=500)
    parser.add_argument("--llm-seconds", type=float, default=1.0)
    parser.add_argument("--redis-url", default=None,
                        help="a node of an existing cluster (default: start one on 7101-7199);"
                             " a single server's URL works too, for comparison")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with _cluster(args.redis_url) as url:
        asyncio.run(run(url, args.mentions, args.llm_seconds))


if __name__ == "__main__":
    main()
