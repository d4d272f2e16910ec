"""The rig of bench_width: what the real `symbiose slack|teams` command (run by
tests.bot_process, with its workers) talks to, each in a process of its own as on
a real deployment: a fake OpenAI-compatible LLM over HTTP, and the mock Slack
Web API or the mock Bot Connector. The bench asks the mocks what arrived over
a pipe; monotonic time is one clock for every process of the machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
from collections import Counter, defaultdict
from multiprocessing.connection import Connection
from typing import Any

from bench.bench_teams import Tally
from tests.bot_process import BotProcess, free_port
from tests.fake_openai import FakeOpenAI
from tests.slack.mock_slack import Call, MockSlack
from tests.teams.mock_connector import MockConnector

_TICKS = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- the mocks


class SlackAnswers:
    """Per channel: when the final answer (angle blocks) first arrived, and how
    many distinct messages carried one (more than one is a duplicate answer)."""

    def __init__(self, mock: MockSlack) -> None:
        self.mock = mock
        self.first_at: dict[str, float] = {}
        self.messages: dict[str, set[str]] = defaultdict(set)
        self._posts = 0
        mock.observers.append(self._see)

    def _see(self, call: Call) -> None:
        if call.method not in ("chat.postMessage", "chat.update"):
            return
        blocks = call.args.get("blocks") or []
        if not any(isinstance(b, dict) and b.get("block_id") == "acts.1" for b in blocks):
            return
        channel = str(call.args.get("channel"))
        self.first_at.setdefault(channel, call.at)
        self._posts += 1  # a post is always a new message; an update names its own
        key = str(call.args.get("ts")) if call.method == "chat.update" else f"post{self._posts}"
        self.messages[channel].add(key)

    async def report(self, prefix: str, wanted: int, timeout: float) -> dict[str, Any]:
        def done() -> bool:
            return sum(1 for c in self.first_at if c.startswith(prefix)) >= wanted

        with contextlib.suppress(AssertionError):
            await self.mock.wait_for(done, timeout=timeout)
        await asyncio.sleep(1.0)  # late duplicates would arrive now
        mine = [c for c in self.first_at if c.startswith(prefix)]
        return {
            "answered": len(mine),
            "last_at": max((self.first_at[c] for c in mine), default=0.0),
            "duplicates": sum(len(self.messages[c]) - 1 for c in mine),
            "calls": dict(Counter(c.method for c in self.mock.calls)),
        }


async def _slack_child(pipe: Connection) -> None:
    mock = await MockSlack().start()
    answers = SlackAnswers(mock)
    pipe.send(mock.api_url)
    loop = asyncio.get_running_loop()
    while (question := await loop.run_in_executor(None, pipe.recv)) is not None:
        pipe.send(await answers.report(*question))
    await mock.stop()


async def _teams_child(pipe: Connection) -> None:
    mock = MockConnector(validate=False)  # the schema check is the tests' job
    pipe.send(await mock.start())
    loop = asyncio.get_running_loop()
    while (question := await loop.run_in_executor(None, pipe.recv)) is not None:
        conversations, per_answer, timeout = question
        tally = Tally(mock, conversations, per_answer)
        with contextlib.suppress(AssertionError):
            await mock.wait_for(tally.complete, timeout)
        await asyncio.sleep(1.0)  # late duplicates would arrive now
        wanted = set(conversations)
        per = Counter(c.conversation_id for c in mock.calls if c.method == "POST"
                      and c.body.get("type") == "message" and c.conversation_id in wanted)
        pipe.send({"answered": tally.done, "last_at": tally.last_at,
                   "duplicates": sum(max(0, n - per_answer) for n in per.values()),
                   "calls": len(mock.calls)})
    await mock.stop()


async def _openai_child(pipe: Connection, delay_s: float) -> None:
    # A client that gives up (its timeout) mid-request is the bot's story, not the fake's.
    logging.getLogger("aiohttp").setLevel(logging.CRITICAL)
    fake = await FakeOpenAI(delay_s=delay_s).start()
    pipe.send(fake.base_url)
    loop = asyncio.get_running_loop()
    while await loop.run_in_executor(None, pipe.recv) is not None:
        pipe.send(fake.stats())
    await fake.stop()


def _child_main(kind: str, pipe: Connection, *args: Any) -> None:
    serve = {"slack": _slack_child, "teams": _teams_child, "openai": _openai_child}[kind]
    asyncio.run(serve(pipe, *args))


class Child:
    """A mock in a spawned process; `ask` sends it a question and waits for the answer."""

    def __init__(self, kind: str, *args: Any) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        self._process = context.Process(target=_child_main, args=(kind, child, *args),
                                        daemon=True)
        self.url = ""

    async def start(self) -> Child:
        self._process.start()
        self.url = await asyncio.get_running_loop().run_in_executor(None, self._pipe.recv)
        return self

    async def ask(self, *question: Any) -> Any:
        self._pipe.send(question)
        return await asyncio.get_running_loop().run_in_executor(None, self._pipe.recv)

    async def stop(self) -> None:
        self._pipe.send(None)
        await asyncio.get_running_loop().run_in_executor(None, self._process.join, 10)


__all__ = ["BotProcess", "Child", "SlackAnswers", "free_port"]
