"""`symbiose teams` as operators run it: two real bot processes on one Redis.

Teams redelivers an activity when it thinks the first delivery was lost, and
the load balancer may hand the copy to another replica: it is answered once.
The processes' own logs are checked for the secret they were given.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.teams import activities as A

REPO = Path(__file__).resolve().parents[2]
SECRET = "client-secret-NOT-TO-BE-LOGGED-51c0"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class BotProcess:
    def __init__(self, *, redis_url: str, key_prefix: str, tmp: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp / f"bot-{self.port}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROSOFT_", "SYMBIOSE_"))}
        env |= {"REDIS_URL": redis_url, "SYMBIOSE_KEY_PREFIX": key_prefix,
                "MICROSOFT_APP_PASSWORD": SECRET}  # no app id: emulator mode, as in the README
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "--log-level", "DEBUG", "teams",
                 "--port", str(self.port)],
                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
            )

    async def ready(self, session: aiohttp.ClientSession, timeout_s: float = 30.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while loop.time() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                async with session.get(f"{self.url}/healthz") as resp:
                    if resp.status == 200 and await resp.json() == {"status": "ok"}:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
        raise AssertionError(f"bot on {self.port} not ready:\n{self.log.read_text()}")

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # aiohttp's graceful shutdown
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.log.read_text(errors="replace")


@pytest.fixture
def processes(redis_url: str, key_prefix: str, tmp_path: Path) -> Iterator[list[BotProcess]]:
    bots = [BotProcess(redis_url=redis_url, key_prefix=key_prefix, tmp=tmp_path)
            for _ in range(2)]
    yield bots
    for bot in bots:
        bot.stop()


async def test_a_redelivered_activity_is_answered_once_by_two_processes(processes, connector):
    conversation = A.personal_conversation()
    activity = A.personal_message(connector.url, "help", conversation=conversation)
    async with aiohttp.ClientSession() as session:
        for bot in processes:
            await bot.ready(session)

        async def post(bot: BotProcess) -> int:
            async with session.post(f"{bot.url}/api/messages", json=activity) as resp:
                return resp.status

        statuses = await asyncio.gather(*(post(b) for b in processes * 3))
        assert statuses == [201] * 6
        # One answer, and no second one arriving a little later.
        await connector.wait_for(lambda: connector.posted(conversation["id"]))
        await asyncio.sleep(1.0)
    assert len(connector.posted(conversation["id"])) == 1
    logs = [bot.stop() for bot in processes]
    for log in logs:
        assert "microsoft_app_password=set" in log  # the settings were logged...
        assert SECRET not in log  # ...without the secret
        assert "emulator mode" in log
