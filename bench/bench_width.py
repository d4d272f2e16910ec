"""Width: N simultaneous mentions through the real `symbiose slack --http` or
`symbiose teams` command, with its workers, a real langchain provider client
(ChatOpenAI over HTTP) and a fake OpenAI-compatible server that answers each
call after 1.0 s; the mock Slack Web API or Bot Connector in a process of its
own; real Redis (issue 13: 1,000 at once in < 5 s, 200 in < 3 s, 0 lost,
0 duplicates; Teams' POST p99 < 1 s at 1,000).

Each run starts everything afresh, warms every worker with a few briefs, sends
the burst, waits for every final answer, then stops the bot with SIGTERM as an
orchestrator does. One line per run, then the medians:

Run:  python -m bench.bench_width slack --mentions 1000 --workers 2 --runs 3
      python -m bench.bench_width teams --mentions 1000 --workers 2 --runs 3
      python -m bench.bench_width slack --bot-dir /path/to/other/checkout   (its code, 1 worker)
Needs langchain-openai (pip install -e ".[openai]"); REDIS_URL or 127.0.0.1:6379.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from bench.width_rig import BotProcess, Child, free_port
from tests.redis_server import delete_prefix
from tests.slack.harness import SECRET, SlackSender, mention
from tests.teams import activities as A

BRIEF = ("Brand: Gourdo\nProduct: reusable water bottle\nAudience: students\n"
         "Objective: awareness\nTone: playful\nIdeas for the back-to-school launch?")
ANGLES = 5  # SYMBIOSE_ANGLES' default: a Teams answer is a header and 5 cards
WAIT_S = 60.0  # an answer later than this counts as lost


@dataclass
class Run:
    n: int
    answered: int
    done_s: float
    duplicates: int
    ack_p50_ms: float
    ack_p99_ms: float
    cpu_ms: float
    llm_requests: int
    llm_connections: int
    exit_code: int | None
    stop_s: float
    split: str = ""  # CPU shares of the processes, busiest first

    def line(self, platform: str, workers: int, delay: float) -> str:
        shutdown = ("clean" if self.exit_code == 0 else f"exit {self.exit_code}")
        return (f"{platform} width: {self.n} at once, {workers} worker(s), LLM over HTTP "
                f"{delay:.1f} s: {self.answered}/{self.n} answered in {self.done_s:.2f} s, "
                f"{self.n - self.answered} lost (no answer within {WAIT_S:.0f} s), "
                f"{self.duplicates} duplicates; "
                f"POST p50 {self.ack_p50_ms:.0f} ms p99 {self.ack_p99_ms:.0f} ms; "
                f"{self.cpu_ms / max(1, self.n):.1f} CPU-ms/mention (split {self.split}); "
                f"LLM {self.llm_requests} requests on {self.llm_connections} new connections; "
                f"SIGTERM: {shutdown} in {self.stop_s:.1f} s")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _env(prefix: str, llm_url: str) -> dict[str, str]:
    return {
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        "SYMBIOSE_KEY_PREFIX": prefix, "SYMBIOSE_LANG": "en", "SYMBIOSE_RATE_LIMIT": "0",
        "SYMBIOSE_MODEL": "openai:gpt-4o-mini",
        "OPENAI_API_KEY": "sk-bench-not-a-key", "OPENAI_BASE_URL": llm_url,
        "SYMBIOSE_LOG_FORMAT": "json",
    }


async def _timed(send: Any) -> float:
    started = time.perf_counter()
    status = await send
    assert status in (200, 201), status
    return (time.perf_counter() - started) * 1000


async def slack_run(n: int, *, workers: int, delay: float, bot_dir: Path | None,
                    log: Path, profile: Path | None = None) -> Run:
    llm = await Child("openai", delay).start()
    slack = await Child("slack").start()
    prefix = f"symbench-{uuid.uuid4().hex[:8]}"
    port = free_port()
    env = {**_env(prefix, llm.url), "SLACK_BOT_TOKEN": "xoxb-bench",
           "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": slack.url, "SLACK_APP_TOKEN": ""}
    args = ["slack", "--http", "--port", str(port)] + (
        ["--workers", str(workers)] if workers > 1 else [])
    bot = await BotProcess(args, env=env, port=port, cwd=bot_dir, log=log,
                           profile=profile).start(listeners=workers)
    sender = SlackSender(bot.url, connections=0)  # as many connections as Slack opens
    try:
        async def status(event: dict[str, Any]) -> int:
            return (await sender.event(event))[0]

        warm = 4 * workers
        await asyncio.gather(*(status(mention(BRIEF, user=f"UW{i}", channel=f"W{i:03d}"))
                               for i in range(warm)))
        await slack.ask("W", warm, 30.0)
        before_llm = await llm.ask("stats")
        cpu_before = bot.cpu_s()
        started = time.monotonic()
        acks = await asyncio.gather(*(
            _timed(status(mention(BRIEF, user=f"U{i:05d}", channel=f"B{i:05d}")))
            for i in range(n)))
        report = await slack.ask("B", n, WAIT_S)
        cpu = _spent(cpu_before, bot.cpu_s())
        after_llm = await llm.ask("stats")
    finally:
        await sender.close()
        code, stop_s = bot.stop()
        await slack.stop()
        await llm.stop()
        delete_prefix(env["REDIS_URL"], prefix)
    return Run(n, report["answered"], report["last_at"] - started, report["duplicates"],
               statistics.median(acks), _pct(acks, 0.99), sum(cpu.values()) * 1000,
               after_llm["requests"] - before_llm["requests"],
               after_llm["connections"] - before_llm["connections"], code, stop_s,
               _split(cpu))


async def teams_run(n: int, *, workers: int, delay: float, bot_dir: Path | None,
                    log: Path, profile: Path | None = None) -> Run:
    llm = await Child("openai", delay).start()
    connector = await Child("teams").start()
    prefix = f"symbench-{uuid.uuid4().hex[:8]}"
    port = free_port()
    env = {**_env(prefix, llm.url), "MICROSOFT_APP_ID": "", "MICROSOFT_APP_PASSWORD": ""}
    args = ["teams", "--port", str(port)] + (["--workers", str(workers)] if workers > 1 else [])
    bot = await BotProcess(args, env=env, port=port, cwd=bot_dir, log=log,
                           profile=profile).start(listeners=workers)
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))

    async def post(activity: dict[str, Any]) -> int:
        async with session.post(f"{bot.url}/api/messages", data=json.dumps(activity),
                                headers={"Content-Type": "application/json"}) as resp:
            await resp.read()
            return resp.status

    def brief(name: str) -> tuple[str, dict[str, Any]]:
        conversation = A.personal_conversation(name)
        return conversation["id"], A.personal_message(connector.url, BRIEF,
                                                      conversation=conversation, user=name)

    try:
        warm = [brief(f"warm{i}") for i in range(4 * workers)]
        await asyncio.gather(*(post(a) for _, a in warm))
        await connector.ask([c for c, _ in warm], 1 + ANGLES, 30.0)
        burst = [brief(f"burst{i}") for i in range(n)]
        before_llm = await llm.ask("stats")
        cpu_before = bot.cpu_s()
        started = time.monotonic()
        acks = await asyncio.gather(*(_timed(post(a)) for _, a in burst))
        report = await connector.ask([c for c, _ in burst], 1 + ANGLES, WAIT_S)
        cpu = _spent(cpu_before, bot.cpu_s())
        after_llm = await llm.ask("stats")
    finally:
        await session.close()
        code, stop_s = bot.stop()
        await connector.stop()
        await llm.stop()
        delete_prefix(env["REDIS_URL"], prefix)
    return Run(n, report["answered"], report["last_at"] - started, report["duplicates"],
               statistics.median(acks), _pct(acks, 0.99), sum(cpu.values()) * 1000,
               after_llm["requests"] - before_llm["requests"],
               after_llm["connections"] - before_llm["connections"], code, stop_s,
               _split(cpu))


def _spent(before: dict[int, float], after: dict[int, float]) -> dict[int, float]:
    return {pid: after[pid] - before.get(pid, 0.0) for pid in after}


def _split(cpu: dict[int, float]) -> str:
    """How the work fell on the workers (the busiest process first), e.g. "51/49 %"."""
    total = sum(cpu.values()) or 1.0
    shares = sorted((v / total * 100 for v in cpu.values() if v / total >= 0.02), reverse=True)
    return "/".join(f"{s:.0f}" for s in shares) + " %"


def _median_line(platform: str, runs: list[Run], workers: int) -> str:
    def med(values: list[float]) -> float:
        return statistics.median(values)

    n = runs[0].n
    return (f"{platform} width median of {len(runs)}: {n} at once, {workers} worker(s): "
            f"answered in {med([r.done_s for r in runs]):.2f} s, "
            f"lost {sum(r.n - r.answered for r in runs)}, "
            f"duplicates {sum(r.duplicates for r in runs)}, "
            f"POST p99 {med([r.ack_p99_ms for r in runs]):.0f} ms, "
            f"{med([r.cpu_ms / n for r in runs]):.1f} CPU-ms/mention, "
            f"clean shutdowns {sum(r.exit_code == 0 for r in runs)}/{len(runs)}; "
            f"load {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("platform", choices=["slack", "teams"])
    parser.add_argument("--mentions", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--llm-delay", type=float, default=1.0)
    parser.add_argument("--bot-dir", type=Path, default=None,
                        help="run the bot from this checkout (before/after comparisons)")
    parser.add_argument("--log", type=Path, default=Path("/tmp/bench_width.log"),
                        help="the bot's stderr")
    parser.add_argument("--profile", type=Path, default=None,
                        help="with --workers 1: cProfile stats of the bot, here (read with pstats)")
    args = parser.parse_args()
    measure = slack_run if args.platform == "slack" else teams_run
    runs = []
    for _ in range(args.runs):
        run = asyncio.run(measure(args.mentions, workers=args.workers, delay=args.llm_delay,
                                  bot_dir=args.bot_dir, log=args.log,
                                  profile=args.profile))
        runs.append(run)
        print(run.line(args.platform, args.workers, args.llm_delay), flush=True)
    if len(runs) > 1:
        print(_median_line(args.platform, runs, args.workers), flush=True)


if __name__ == "__main__":
    main()
