"""Emulator mode (no MICROSOFT_APP_ID) is for this machine only: it listens on
127.0.0.1, refuses another --host, and never answers (or stores anything for)
an activity whose serviceUrl is not on the loopback."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator

import pytest

from adapters.cli import main
from adapters.teams.emulator import listen_host, loopback_service_url
from tests.teams import activities as A
from tests.teams.mock_connector import MockConnector


def outward_address() -> str | None:
    """This machine's address on its network (no packet is sent), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.123", 9))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def reachable(host: str, port: int) -> bool:
    for _ in range(50):  # the server may still be starting
        try:
            socket.create_connection((host, port), timeout=2).close()
            return True
        except ConnectionRefusedError:
            if host != "127.0.0.1":
                return False  # the loopback answers, so this refusal is final
            time.sleep(0.1)
        except OSError:
            return False
    return False


@pytest.fixture
async def outside() -> AsyncIterator[MockConnector | None]:
    """A Bot Connector at a non-loopback address of this machine: where a
    stranger's activity would send the bot's answers."""
    address = outward_address()
    if address is None:
        yield None
        return
    mock = MockConnector(host=address)
    await mock.start()
    yield mock
    await mock.stop()


async def test_an_activity_naming_a_remote_service_url_is_refused_and_not_answered(
    bot, connector, outside, redis_client, key_prefix
) -> None:
    targets = [outside.url] if outside is not None else []
    targets += ["http://connector.invalid/", "https://smba.trafficmanager.net/emea/",
                "http://169.254.169.254/latest/"]
    for url in targets:
        for activity in (A.personal_message(url, "Brand: Victim"),
                         A.personal_message(url, "forget me")):
            posted = await bot.post(activity)
            assert posted.status == 403, (url, posted.status)
    await bot.idle()
    if outside is not None:
        await asyncio.sleep(0.2)
        assert outside.calls == []  # no reply went out to the network
    assert [k async for k in redis_client.scan_iter(match=f"{key_prefix}:*")] == []
    # The local emulator is still served.
    posted = await bot.post(A.personal_message(connector.url, "help"))
    assert posted.status == 201
    await connector.wait_for(lambda: connector.sent())


def test_only_loopback_service_urls_are_local() -> None:
    assert loopback_service_url("http://127.0.0.1:3978/")
    assert loopback_service_url("http://localhost:50000")
    assert loopback_service_url("http://[::1]:8080/")
    for url in ("http://127.0.0.1.evil.example/", "http://10.0.0.1/", "ftp://127.0.0.1/",
                "http://user@evil.example/", "not a url", "http://[::1"):
        assert not loopback_service_url(url), url


def test_emulator_mode_listens_on_loopback_and_refuses_other_hosts() -> None:
    assert listen_host(None, emulator_mode=True) == "127.0.0.1"
    assert listen_host("localhost", emulator_mode=True) == "localhost"
    assert listen_host(None, emulator_mode=False) == "0.0.0.0"
    assert listen_host("10.1.2.3", emulator_mode=False) == "10.1.2.3"
    with pytest.raises(ValueError):
        listen_host("0.0.0.0", emulator_mode=True)


def test_symbiose_teams_refuses_a_network_host_without_credentials(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(os.path.dirname(__file__))  # no .env of the developer's
    assert main(["teams", "--host", "0.0.0.0", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "0.0.0.0" in err and "MICROSOFT_APP_ID" in err


def test_symbiose_teams_says_loudly_it_is_in_emulator_mode_and_binds_loopback(
    tmp_path,
) -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MICROSOFT_", "REDIS_URL", "SYMBIOSE_"))}
    env |= {"SYMBIOSE_DATA_DIR": str(tmp_path), "SYMBIOSE_LANG": "en",
            "PYTHONPATH": os.getcwd()}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "bot", "teams", "--port", str(port)],
                            cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        lines = [proc.stderr.readline() for _ in range(2)]  # the log warning, the banner
        banner = next(line for line in lines if "/api/messages" in line)
        assert "emulator mode" in banner and "NOT authenticated" in banner
        assert f"127.0.0.1:{port}" in banner
        assert reachable("127.0.0.1", port)
        address = outward_address()
        if address is not None:
            assert not reachable(address, port)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
