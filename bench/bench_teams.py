"""Teams adapter benchmark: the real bot on a real port, a local mock Bot
Connector, real Redis, a fake LLM with a fixed delay.

1. POST -> HTTP response time (p50/p99) while every answer takes 2 s to
   generate: the response must not wait for the LLM (target p99 < 100 ms).
2. 200 activities at once, fake LLM of 1 s: time from the first POST until
   all 200 answers (header + angle cards) have reached the connector (target < 3 s).

The mock Bot Connector runs in a process of its own, as Microsoft's service
does not share the bot's CPU; `--mock-in-process` puts it in the bot's event
loop (the bot then also pays for receiving its own 1,400 calls).

Run: `python -m bench.bench_teams [--mock-in-process]` (REDIS_URL or 127.0.0.1:6379).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import time
import uuid
from dataclasses import replace
from multiprocessing.connection import Connection
from typing import Protocol

from bot.app import build_engine
from bot.kernel.settings import Settings
from tests.llm_fakes import EchoAnglesChatModel
from tests.redis_server import delete_prefix
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


class Tally:
    """Whole answers per conversation, counted as calls arrive (the mock notifies
    on every call: rescanning them all each time would cost more than serving them)."""

    def __init__(self, mock: MockConnector, conversations: list[str], per_answer: int) -> None:
        self._mock = mock
        self._wanted = set(conversations)
        self._per_answer = per_answer
        self._seen = 0
        self._counts: dict[str, int] = {}
        self.done = 0
        self.last_at = 0.0  # monotonic time the last whole answer was complete

    def complete(self) -> bool:
        calls = self._mock.calls
        for call in calls[self._seen:]:
            if call.method != "POST" or call.body.get("type") != "message" \
                    or call.conversation_id not in self._wanted:
                continue
            count = self._counts[call.conversation_id] = (
                self._counts.get(call.conversation_id, 0) + 1
            )
            if count == self._per_answer:
                self.done += 1
                self.last_at = max(self.last_at, call.at)
        self._seen = len(calls)
        return self.done == len(self._wanted)


async def delivered(mock: MockConnector, conversations: list[str], per_answer: int,
                    timeout: float) -> tuple[int, float]:
    """Wait until every conversation has a whole answer: (how many have one, when the last did)."""
    tally = Tally(mock, conversations, per_answer)
    try:
        await mock.wait_for(tally.complete, timeout)
    except AssertionError:  # timed out: report what arrived
        pass
    return tally.done, tally.last_at


class Connector(Protocol):
    url: str

    async def answered(
        self, conversations: list[str], per_answer: int, timeout: float
    ) -> tuple[int, float]: ...

    async def stop(self) -> None: ...


class InProcessConnector:
    def __init__(self) -> None:
        self.mock = MockConnector(validate=False)  # the schema check is the tests' job
        self.url = ""

    async def start(self) -> InProcessConnector:
        self.url = await self.mock.start()
        return self

    async def answered(
        self, conversations: list[str], per_answer: int, timeout: float
    ) -> tuple[int, float]:
        return await delivered(self.mock, conversations, per_answer, timeout)

    async def stop(self) -> None:
        await self.mock.stop()


def _serve_mock(pipe: Connection) -> None:
    """The child process: the mock connector, answering the parent's questions over a pipe."""

    async def serve() -> None:
        mock = MockConnector(validate=False)
        pipe.send(await mock.start())
        loop = asyncio.get_running_loop()
        while (question := await loop.run_in_executor(None, pipe.recv)) is not None:
            pipe.send(await delivered(mock, *question))
        await mock.stop()

    asyncio.run(serve())


class ChildProcessConnector:
    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        self._process = context.Process(target=_serve_mock, args=(child,), daemon=True)
        self.url = ""

    async def start(self) -> ChildProcessConnector:
        self._process.start()
        self.url = await asyncio.get_running_loop().run_in_executor(None, self._pipe.recv)
        return self

    async def answered(
        self, conversations: list[str], per_answer: int, timeout: float
    ) -> tuple[int, float]:
        # A thread waits on the pipe: no polling in the bot's process. Monotonic
        # time is the same clock in both processes.
        self._pipe.send((conversations, per_answer, timeout))
        return await asyncio.get_running_loop().run_in_executor(None, self._pipe.recv)

    async def stop(self) -> None:
        self._pipe.send(None)
        await asyncio.get_running_loop().run_in_executor(None, self._process.join, 10)


async def start(
    settings: Settings, delay_s: float, *, in_process: bool
) -> tuple[BotServer, Connector]:
    connector: Connector = await (
        InProcessConnector() if in_process else ChildProcessConnector()
    ).start()
    bot = await BotServer(
        settings, build_engine(settings, chat_model=EchoAnglesChatModel(delay_s=delay_s))
    ).start()
    return bot, connector


async def latency(settings: Settings, n: int, *, in_process: bool) -> None:
    bot, connector = await start(settings, delay_s=2.0, in_process=in_process)
    try:
        await bot.post(A.personal_message(connector.url, "help"))  # warm-up (Redis, imports)
        times = []
        conversations = []
        for i in range(n):
            conversation = A.personal_conversation(f"user{i}")
            conversations.append(conversation["id"])
            posted = await bot.post(
                A.personal_message(connector.url, BRIEF, conversation=conversation, user=f"user{i}")
            )
            assert posted.status == 201, posted
            times.append(posted.elapsed_s * 1000)
        done, _ = await connector.answered(conversations, 1 + settings.angles_per_answer, 60)
        print(
            f"[latency] {n} POSTs with a 2 s LLM: "
            f"HTTP response p50 {statistics.median(times):.1f} ms, "
            f"p99 {percentile(times, 99):.1f} ms, max {max(times):.1f} ms "
            f"(target p99 < 100 ms); answers delivered later: {done}/{n}"
        )
    finally:
        await bot.stop()
        await bot.engine.aclose()
        await connector.stop()


async def burst(settings: Settings, n: int, *, in_process: bool) -> None:
    bot, connector = await start(settings, delay_s=1.0, in_process=in_process)
    try:
        warm = A.personal_conversation("warm")
        await bot.post(A.personal_message(connector.url, "help", conversation=warm))
        await connector.answered([warm["id"]], 1, 10)
        conversations = [A.personal_conversation(f"burst{i}") for i in range(n)]
        payloads = [A.personal_message(connector.url, BRIEF, conversation=c, user=f"burst{i}")
                    for i, c in enumerate(conversations)]
        ids = [c["id"] for c in conversations]
        per_answer = 1 + settings.angles_per_answer
        started = time.monotonic()
        results = await asyncio.gather(*(bot.post(p) for p in payloads))
        acked = time.monotonic() - started
        done, last_at = await connector.answered(ids, per_answer, 60)
        statuses = {r.status for r in results}
        where = "in the bot's process" if in_process else "in its own process"
        print(f"[burst] {n} activities at once, 1 s LLM, one bot process (mock connector {where}): "
              f"all HTTP responses in {acked * 1000:.0f} ms (statuses {sorted(statuses)}), "
              f"{done}/{n} answers ({per_answer} messages each) delivered in "
              f"{last_at - started:.2f} s (target < 3 s)")
    finally:
        await bot.stop()
        await bot.engine.aclose()
        await connector.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mock-in-process", action="store_true",
                        help="run the mock Bot Connector in the bot's event loop")
    args = parser.parse_args()
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    prefix = f"symbench-{uuid.uuid4().hex[:8]}"
    settings = replace(Settings(), redis_url=url, key_prefix=prefix, rate_limit_per_minute=0)
    try:
        asyncio.run(latency(settings, n=int(os.environ.get("BENCH_LATENCY_N", "200")),
                            in_process=args.mock_in_process))
        asyncio.run(burst(settings, n=int(os.environ.get("BENCH_BURST_N", "200")),
                          in_process=args.mock_in_process))
    finally:
        delete_prefix(url, prefix)


if __name__ == "__main__":
    main()
