"""The Teams endpoint under abuse, over real sockets: silent or slow clients
are cut off, bodies are capped while read, and malformed input is a 4xx
without a traceback, before anything is authenticated or stored."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from adapters.http_guard import runner_options
from adapters.teams.server import MAX_BODY
from bot.kernel.settings import Settings
from tests.http_probe import closed_within, open_raw, post_raw, request_head, status_of
from tests.teams import activities as A
from tests.teams.harness import BotServer

QUICK_S = 0.5


@pytest.fixture
async def quick_bot(settings: Settings) -> AsyncIterator[BotServer]:
    from bot.app import build_engine

    engine = build_engine(settings)
    server = BotServer(settings, engine, body_timeout_s=QUICK_S)
    server._runner = web.AppRunner(server.app, **runner_options(header_timeout_s=QUICK_S))
    await server._runner.setup()
    site = web.TCPSite(server._runner, "127.0.0.1", 0)
    await site.start()
    server.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    yield server
    await server._runner.cleanup()
    await engine.aclose()


async def test_a_silent_connection_is_closed(quick_bot: BotServer) -> None:
    reader, writer = await open_raw(quick_bot.url)
    writer.write(b"POST /api/messages HTTP/1.1\r\nHost: x\r\n")
    await writer.drain()
    closed = await closed_within(reader, 5)
    writer.close()
    assert closed is not None and closed < 3


async def test_a_trickling_body_gets_408(quick_bot: BotServer) -> None:
    reader, writer = await open_raw(quick_bot.url)
    writer.write(request_head("/api/messages", {"Content-Type": "application/json",
                                                "Content-Length": "5000"}) + b'{"type"')
    await writer.drain()
    assert await status_of(reader, 5) == 408
    writer.close()


async def test_a_body_over_the_cap_is_refused_before_it_is_read(bot: BotServer) -> None:
    reader, writer = await open_raw(bot.url)
    writer.write(request_head("/api/messages", {"Content-Type": "application/json",
                                                "Content-Length": str(MAX_BODY + 1)}))
    await writer.drain()
    assert await status_of(reader, 2) == 413
    writer.close()


def deep(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode()


def activity_with(connector_url: str, **fields: object) -> bytes:
    return json.dumps(A.personal_message(connector_url, "help") | fields).encode()


async def test_malformed_input_gets_a_4xx_and_no_traceback(
    bot: BotServer, connector, caplog: pytest.LogCaptureFixture, redis_client, key_prefix
) -> None:
    caplog.set_level(logging.DEBUG)
    cases = {
        "invalid UTF-8": (b'{"type": "message", "text": "\xff\xfe"}', "application/json"),
        "100k-deep JSON": (deep(100_000), "application/json"),
        "deep JSON in an activity": (
            activity_with(connector.url)[:-1] + b', "value": ' + deep(5000) + b"}",
            "application/json"),
        "text/plain": (activity_with(connector.url), "text/plain"),
        "form": (b"type=message", "application/x-www-form-urlencoded"),
        "serviceUrl not a string": (activity_with(connector.url, serviceUrl=5),
                                    "application/json"),
        "conversation a list": (activity_with(connector.url, conversation=[1]),
                                "application/json"),
        "a JSON string": (b'"message"', "application/json"),
    }
    for name, (body, content_type) in cases.items():
        status = await post_raw(bot.url, "/api/messages", body, {"Content-Type": content_type})
        assert status is not None and 400 <= status < 500, (name, status)
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.exc_info]
    await bot.idle()
    assert connector.calls == []
    assert [k async for k in redis_client.scan_iter(match=f"{key_prefix}:*")] == []


async def test_a_body_that_does_not_decode_gets_400_and_no_traceback(
    bot: BotServer, connector, caplog: pytest.LogCaptureFixture
) -> None:
    # Read before any token is checked: a stranger's broken gzip must cost one line.
    caplog.set_level(logging.DEBUG)
    for encoding in ("gzip", "deflate"):
        status = await post_raw(bot.url, "/api/messages", b"\x1f\x8b\x08 not compressed",
                                {"Content-Type": "application/json",
                                 "Content-Encoding": encoding})
        assert status == 400, encoding
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    await bot.idle()
    assert connector.calls == []


UNPARSABLE = {
    "two Content-Length": b"Content-Type: application/json\r\nContent-Length: 2\r\n"
                          b"Content-Length: 40\r\n\r\n{}",
    "Content-Length and chunked": b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  b"0\r\n\r\n",
    "a negative Content-Length": b"Content-Length: -1\r\n\r\n",
    "a header over 8 KB": b"X-Big: " + b"a" * 9000 + b"\r\n\r\n",
}


@pytest.mark.parametrize("case", list(UNPARSABLE))
async def test_a_request_aiohttp_cannot_parse_is_one_warning_line(
    case: str, bot: BotServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    reader, writer = await open_raw(bot.url)
    writer.write(b"POST /api/messages HTTP/1.1\r\nHost: x\r\n" + UNPARSABLE[case])
    await writer.drain()
    assert await status_of(reader, 5) == 400
    writer.close()
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert [r for r in caplog.records if r.getMessage().startswith("refused a malformed HTTP")]
