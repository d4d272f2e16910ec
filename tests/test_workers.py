"""`symbiose slack|teams --workers 2`: the real command, two worker processes on
one port, over real HTTP, with the mock Slack Web API / mock Bot Connector and
real Redis. Each mention is answered exactly once, whichever worker took it (a
Slack retry landing on the other worker included); SIGTERM stops them all
cleanly; a worker that dies takes the set down."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.bot_process import BotProcess, free_port
from tests.slack.harness import SECRET, SlackSender, mention
from tests.slack.mock_slack import MockSlack
from tests.teams import activities as A
from tests.teams.mock_connector import MockConnector

N = 40


def _env(redis_url: str, key_prefix: str) -> dict[str, str]:
    return {"REDIS_URL": redis_url, "SYMBIOSE_KEY_PREFIX": key_prefix, "SYMBIOSE_LANG": "en",
            "SYMBIOSE_MODEL": "offline", "SYMBIOSE_RATE_LIMIT": "0"}


@pytest.fixture
async def mock_slack() -> AsyncIterator[MockSlack]:
    mock = await MockSlack().start()
    yield mock
    await mock.stop()


@pytest.fixture
async def slack_bot(mock_slack: MockSlack, redis_url: str, key_prefix: str,
                    tmp_path: os.PathLike[str]) -> AsyncIterator[BotProcess]:
    port = free_port()
    env = {**_env(redis_url, key_prefix), "SLACK_BOT_TOKEN": "xoxb-test",
           "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": mock_slack.api_url,
           "SLACK_APP_TOKEN": ""}
    bot = BotProcess(["slack", "--http", "--port", str(port), "--workers", "2"], env=env,
                     port=port, log=tmp_path / "bot.log")  # type: ignore[operator]
    await bot.start(listeners=2)
    yield bot
    if bot.process is not None and bot.process.poll() is None:
        bot.stop()


def _answers(mock: MockSlack) -> Counter[str]:
    """New messages per channel (a stream, or a post): one per answer."""
    return Counter(str(c.args.get("channel")) for c in mock.calls
                   if c.method in ("chat.postMessage", "chat.startStream"))


async def test_two_slack_workers_answer_each_mention_once(
    slack_bot: BotProcess, mock_slack: MockSlack
) -> None:
    assert len(slack_bot.pids()) == 3  # the supervisor and its two workers
    # Every mention twice at once, on connections of its own, the second as Slack's
    # retry of the same event id: whichever worker gets either, one answer.
    sender = SlackSender(slack_bot.url, connections=0)
    try:
        events = [(f"Ev{i:04d}", mention("help", user=f"U{i}", channel=f"CW{i:03d}"))
                  for i in range(N)]
        sent = await asyncio.gather(*(
            sender.event(event, event_id=event_id, retry=retry)
            for event_id, event in events for retry in (None, 1)
        ))
        assert {status for status, _ in sent} == {200}
        await mock_slack.wait_for(lambda: len(_answers(mock_slack)) == N, timeout=30)
        await asyncio.sleep(1.0)  # a duplicate would arrive now
    finally:
        await sender.close()
    answers = _answers(mock_slack)
    assert sorted(answers) == sorted(f"CW{i:03d}" for i in range(N))
    assert set(answers.values()) == {1}
    # One auth.test per worker that served a request: both took a share.
    assert len(mock_slack.of("auth.test")) == 2
    # /metrics, whichever worker answers it, counts the turns of both.
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as http:
        for _ in range(4):
            async with http.get(f"{slack_bot.url}/metrics") as resp:
                assert _turns(await resp.text()) == N


async def test_sigterm_stops_every_slack_worker_cleanly(slack_bot: BotProcess) -> None:
    pids = slack_bot.pids()
    code, seconds = slack_bot.stop(timeout=30)
    assert code == 0
    assert seconds < 15
    assert not [pid for pid in pids if _alive(pid)]


async def test_a_dead_worker_takes_the_set_down(slack_bot: BotProcess) -> None:
    supervisor, first, second = slack_bot.pids()
    os.kill(first, signal.SIGKILL)
    assert slack_bot.process is not None
    code = await asyncio.get_running_loop().run_in_executor(
        None, lambda: slack_bot.process.wait(timeout=30) if slack_bot.process else None)
    assert code == 1
    assert not _alive(second)


def _turns(exposition: str) -> float:
    return sum(float(line.rsplit(" ", 1)[1]) for line in exposition.splitlines()
               if line.startswith("symbiose_turns_total{"))


def _alive(pid: int) -> bool:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        if _zombie(pid):
            return False
        time.sleep(0.05)
    return True


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


async def test_two_teams_workers_answer_each_message_once(
    redis_url: str, key_prefix: str, tmp_path: os.PathLike[str]
) -> None:
    connector = MockConnector(validate=False)
    url = await connector.start()
    port = free_port()
    env = {**_env(redis_url, key_prefix), "MICROSOFT_APP_ID": "", "MICROSOFT_APP_PASSWORD": ""}
    bot = BotProcess(["teams", "--port", str(port), "--workers", "2"], env=env, port=port,
                     log=tmp_path / "bot.log")  # type: ignore[operator]
    await bot.start(listeners=2)
    try:
        conversations = [A.personal_conversation(f"w{i}") for i in range(N)]
        payloads = [A.personal_message(url, "help", conversation=c, user=f"w{i}")
                    for i, c in enumerate(conversations)]
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
            async def post(activity: dict[str, object]) -> int:
                async with session.post(f"{bot.url}/api/messages", json=activity) as resp:
                    return resp.status

            # Each activity twice, as a connector retry would send it.
            statuses = await asyncio.gather(*(post(p) for p in payloads for _ in range(2)))
        assert set(statuses) == {201}
        ids = {c["id"] for c in conversations}

        def answered() -> Counter[str]:
            return Counter(c.conversation_id for c in connector.posted()
                           if c.conversation_id in ids)

        await connector.wait_for(lambda: len(answered()) == N, timeout=30)
        await asyncio.sleep(1.0)  # a duplicate would arrive now
        assert set(answered().values()) == {1}
        code, _ = bot.stop(timeout=30)
        assert code == 0
    finally:
        if bot.process is not None and bot.process.poll() is None:
            bot.stop()
        await connector.stop()
