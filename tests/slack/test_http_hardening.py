"""The Slack HTTP endpoint under abuse, over real sockets: slow or silent
clients are cut off, unsigned bodies are refused before they are read, and
malformed signed input gets a 400 without a traceback. Each case is one a
stranger could send; none may cost memory, a 500 or a log full of stack."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from adapters.http_guard import runner_options
from adapters.slack.app import MAX_BODY_BYTES, build_slack_app, build_web_app, slack_signature
from bot.kernel.settings import Settings
from tests.http_probe import closed_within, open_raw, post_raw, request_head, status_of
from tests.slack.conftest import Running, slack_settings
from tests.slack.harness import SECRET, SlackSender, dm
from tests.slack.mock_slack import MockSlack

QUICK_S = 0.5


@pytest.fixture
async def quick_slack(settings: Settings, mock_slack: MockSlack) -> AsyncIterator[Running]:
    """The real app with short header and body timeouts, served as `run` serves it."""
    from bot.app import build_engine

    the_settings = slack_settings(settings, mock_slack)
    engine = build_engine(the_settings)
    bolt = build_slack_app(the_settings, engine)
    web_app = build_web_app(bolt, signing_secret=SECRET, body_timeout_s=QUICK_S)
    runner = web.AppRunner(web_app, **runner_options(header_timeout_s=QUICK_S))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    app = Running(the_settings, engine, mock_slack, SlackSender(f"http://127.0.0.1:{port}"),
                  runner)
    yield app
    await app.send.close()
    await runner.cleanup()
    await engine.aclose()


def signed_headers(sender: SlackSender, body: bytes, *, content_type: str = "application/json",
                   timestamp: str | None = None) -> dict[str, str]:
    ts = timestamp or str(int(time.time()))
    signature = slack_signature(SECRET.encode(), ts, body)
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature}


async def still_answers(app: Running) -> None:
    await app.send.event(dm("help"))
    await app.mock.wait_for(lambda: app.mock.of("chat.postMessage"))


async def test_a_connection_that_never_finishes_its_headers_is_closed(
    quick_slack: Running,
) -> None:
    reader, writer = await open_raw(quick_slack.send.base)
    writer.write(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Slack-Sig")  # and then nothing
    await writer.drain()
    closed = await closed_within(reader, 5)
    writer.close()
    assert closed is not None and closed < 3


async def test_a_body_that_trickles_in_gets_408_and_the_connection_closes(
    quick_slack: Running,
) -> None:
    reader, writer = await open_raw(quick_slack.send.base)
    headers = signed_headers(quick_slack.send, b"x" * 1000)
    writer.write(request_head("/slack/events", {**headers, "Content-Length": "1000"}) + b"{")
    await writer.drain()
    assert await status_of(reader, 5) == 408
    writer.close()
    await still_answers(quick_slack)


async def test_an_unsigned_body_is_refused_before_it_is_read(slack: Running) -> None:
    # Headers announcing 400 KB, no signature, and not one byte of body sent:
    # the refusal comes at once, so nothing was read or buffered.
    reader, writer = await open_raw(slack.send.base)
    writer.write(request_head("/slack/events", {"Content-Type": "application/json",
                                                "Content-Length": str(400_000)}))
    await writer.drain()
    assert await status_of(reader, 2) == 401
    writer.close()


async def test_a_body_over_the_cap_is_refused_from_its_announced_length(slack: Running) -> None:
    big = MAX_BODY_BYTES + 1
    reader, writer = await open_raw(slack.send.base)
    headers = signed_headers(slack.send, b"")
    writer.write(request_head("/slack/events", {**headers, "Content-Length": str(big)}))
    await writer.drain()
    assert await status_of(reader, 2) == 413
    writer.close()


async def test_a_chunked_body_over_the_cap_is_cut_off_while_reading(slack: Running) -> None:
    reader, writer = await open_raw(slack.send.base)
    headers = signed_headers(slack.send, b"")
    writer.write(request_head("/slack/events", {**headers, "Transfer-Encoding": "chunked"}))
    chunk = b"a" * 65536
    try:
        for _ in range(MAX_BODY_BYTES // len(chunk) + 2):
            writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            await writer.drain()
    except ConnectionError:
        pass  # the server may hang up as soon as it answered
    assert await status_of(reader, 5) == 413
    writer.close()


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


MALFORMED: dict[str, tuple[bytes, str, dict[str, str]]] = {
    "invalid UTF-8 JSON": (b'{"type": "event_callback", "x": "\xff\xfe"}', "application/json", {}),
    "invalid UTF-8 form": (b"payload=\xff\xfe%7B%7D", "application/x-www-form-urlencoded", {}),
    "100k-deep JSON": (deep(100_000).encode(), "application/json", {}),
    "deep JSON in a form payload": (b"payload=" + deep(50_000).encode(),
                                    "application/x-www-form-urlencoded", {}),
    "JSON as text/plain": (json.dumps({"type": "url_verification", "challenge": "c"}).encode(),
                           "text/plain", {}),
    "no content type": (b'{"type": "event_callback"}', "", {}),
    "a gzip Content-Encoding that does not decode": (
        b"\x1f\x8b\x08 not gzip at all", "application/json", {"Content-Encoding": "gzip"}),
    "a deflate Content-Encoding that does not decode": (
        b"not deflate", "application/json", {"Content-Encoding": "deflate"}),
}


@pytest.mark.parametrize("case", list(MALFORMED))
async def test_malformed_signed_input_gets_a_4xx_never_a_500_nor_a_traceback(
    case: str, slack: Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body, content_type, extra = MALFORMED[case]
    headers = signed_headers(slack.send, body, content_type=content_type)
    if not content_type:
        del headers["Content-Type"]
    status = await post_raw(slack.send.base, "/slack/events", body, {**headers, **extra})
    assert status is not None and 400 <= status < 500 and status != 401, status
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.exc_info]
    await still_answers(slack)


TIMESTAMPS = {
    "400 digits": "9" * 400,
    "5000 digits (past int's string limit)": "9" * 5000,
    "superscript digits": "\u00b2\u00b3",
    "negative": "-1",
}


@pytest.mark.parametrize("case", list(TIMESTAMPS))
async def test_a_strange_timestamp_gets_401_not_500(
    case: str, slack: Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = b'{"type": "event_callback"}'
    headers = {"Content-Type": "application/json",
               "X-Slack-Request-Timestamp": TIMESTAMPS[case],
               "X-Slack-Signature": "v0=" + "0" * 64}
    status = await post_raw(slack.send.base, "/slack/events", body,
                            {k: v.encode().decode("latin-1") for k, v in headers.items()})
    assert status == 401
    assert not [r for r in caplog.records if r.exc_info]
    await still_answers(slack)


async def test_many_unsigned_bodies_at_once_are_refused_and_released(slack: Running) -> None:
    body = b"x" * (256 * 1024)
    headers: dict[str, Any] = {"Content-Type": "application/json",
                               "X-Slack-Request-Timestamp": str(int(time.time())),
                               "X-Slack-Signature": "v0=" + "0" * 64}
    statuses = await asyncio.gather(*(post_raw(slack.send.base, "/slack/events", body, headers)
                                      for _ in range(50)))
    assert statuses == [401] * 50
    assert slack.mock.calls == []
    await still_answers(slack)


async def test_slow_big_senders_cannot_starve_ordinary_requests(slack: Running) -> None:
    # Well-formed (forged) signature headers pass the header check, so each of these
    # holds one of the slots for big bodies, trickling nothing.
    forged = {"Content-Type": "application/json",
              "X-Slack-Request-Timestamp": str(int(time.time())),
              "X-Slack-Signature": "v0=" + "0" * 64, "Content-Length": str(400_000)}
    held = []
    for _ in range(80):
        reader, writer = await open_raw(slack.send.base)
        writer.write(request_head("/slack/events", forged) + b"{")
        held.append(writer)
    await asyncio.gather(*(w.drain() for w in held))
    started = time.monotonic()
    status, _ = await slack.send.event(dm("help"))
    assert status == 200 and time.monotonic() - started < 3
    await slack.mock.wait_for(lambda: slack.mock.of("chat.postMessage"))
    for writer in held:
        writer.close()
