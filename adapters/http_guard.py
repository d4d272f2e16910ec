"""What an HTTP endpoint facing the internet needs before any platform code runs.

Shared by the Slack HTTP server and the Teams server (aiohttp both):

- a header read timeout: aiohttp closes a connection whose request line and
  headers are not complete `HEADER_TIMEOUT_S` after it opened (its keep-alive
  timer runs from the connection's start), so slow-loris connections cannot pile up;
- `read_body`: the body read with a size cap applied while reading (a declared
  Content-Length over the cap is refused before a byte is read), within a read
  timeout, big ones by at most `MAX_CONCURRENT_READS` requests at once, so that
  unsigned bodies cannot fill memory;
- `guard_middleware`: input that breaks a parser in a way nobody foresaw gets
  a 400 and a one-line log; a bug of ours a 500 without details (its trace goes
  to the log only);
- the server's own logger (`runner_options`): a request aiohttp cannot parse
  (a bad request line, duplicate Content-Length, a header too long) is one
  warning line, not an ERROR with a traceback for every such request a
  stranger sends.

Malformed input itself (bad UTF-8, deep JSON, wrong content type) is each
endpoint's to refuse with a 400; `parse_json` does the JSON part.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError

log = logging.getLogger(__name__)

HEADER_TIMEOUT_S = 10.0  # also how long an idle kept-alive connection stays open
BODY_TIMEOUT_S = 10.0
LINGER_S = 2.0  # after an early refusal, how long aiohttp keeps discarding the rest
MAX_CONCURRENT_READS = 64  # big or chunked bodies read at once, per process
SMALL_BODY = 64 * 1024  # a declared length up to this needs no slot
MAX_JSON_DEPTH = 64  # Slack and Teams payloads nest about 10 deep


class BodyRefused(Exception):
    """Why a body was not read; carries the HTTP status to answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason

    def response(self) -> web.Response:
        resp = web.json_response({"error": self.reason}, status=self.status)
        resp.force_close()  # whatever the client still sends is not worth a connection
        return resp


class _MalformedRequestLine(logging.Filter):
    """aiohttp logs each request it cannot parse at ERROR with a traceback:
    anyone could fill the log (and page whoever watches ERRORs) with a few bad
    bytes per connection. Such a record becomes one warning line; anything
    else the server logs passes unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HttpProcessingError | RequestPayloadError):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg, record.args = "refused a malformed HTTP request (%s)", (type(exc).__name__,)
            record.exc_info, record.exc_text = None, None
        return True


_server_log = logging.getLogger(f"{__name__}.server")
_server_log.addFilter(_MalformedRequestLine())


def runner_options(*, header_timeout_s: float = HEADER_TIMEOUT_S) -> dict[str, Any]:
    """Keyword arguments for `web.AppRunner` (and so aiohttp's request handler)."""
    return {
        "keepalive_timeout": header_timeout_s,
        "lingering_time": LINGER_S,
        "max_line_size": 8190,
        "max_field_size": 8190,
        "max_headers": 64,
        "access_log": None,
        "logger": _server_log,
    }


# One semaphore per event loop (tests run one loop per test; a server, one).
_reads: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def _read_slots() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    slots = _reads.get(loop)
    if slots is None:
        slots = _reads[loop] = asyncio.Semaphore(MAX_CONCURRENT_READS)
    return slots


async def read_body(request: web.Request, *, max_bytes: int,
                    timeout_s: float = BODY_TIMEOUT_S) -> bytes:
    """The request body, or BodyRefused (413 too large, 408 too slow, 400 broken)."""
    declared = request.content_length
    if declared is not None and declared > max_bytes:
        raise BodyRefused(413, "body too large")
    # Small declared bodies (every ordinary Slack or Teams payload) read at once;
    # big or chunked ones take one of a few slots, so that they cannot pile up in
    # memory, while slow big senders can never starve the small ones.
    slots = _read_slots() if declared is None or declared > SMALL_BODY else contextlib.nullcontext()
    try:
        async with asyncio.timeout(timeout_s):
            async with slots:
                chunks: list[bytes] = []
                size = 0
                async for chunk in request.content.iter_any():
                    size += len(chunk)
                    if size > max_bytes:
                        raise BodyRefused(413, "body too large")
                    chunks.append(chunk)
    except TimeoutError:
        raise BodyRefused(408, "body not received in time") from None
    except (ValueError, ConnectionError, web.HTTPException, RequestPayloadError) as exc:
        # A broken chunked encoding or compressed body (aiohttp's payload errors;
        # a Content-Encoding that does not decode is a RequestPayloadError).
        raise BodyRefused(400, f"unreadable body ({type(exc).__name__})") from None
    return b"".join(chunks)


class _DepthError(ValueError):
    pass


def parse_json(raw: bytes | str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """JSON from a request: ValueError for anything that is not plain JSON
    (bad UTF-8, a syntax error, nesting deeper than `max_depth`)."""
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw  # UnicodeDecodeError: ValueError
    if text.count("{") + text.count("[") > max_depth and _depth(text) > max_depth:
        raise _DepthError(f"JSON nested deeper than {max_depth}")
    try:
        return json.loads(text)
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise _DepthError("JSON nested too deep") from None


def _depth(text: str) -> int:
    """The deepest bracket nesting in `text`, outside strings (an upper bound
    is enough: it only has to stop a parser from recursing without end)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif char in "]}":
            depth -= 1
    return deepest


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def guard_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Last line of defence: aiohttp's own HTTP errors pass through; anything
    else is logged on one line, no traceback, and answered without details."""
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except BodyRefused as refused:
        return refused.response()
    except (ValueError, UnicodeError, RecursionError, TypeError, KeyError) as exc:
        log.warning("refused a malformed request to %s (%s)", request.path, type(exc).__name__)
        return web.json_response({"error": "malformed request"}, status=400)
    except Exception as exc:  # a bug of ours: its trace goes to the log, never to the client
        log.error("request to %s failed (%s)", request.path, type(exc).__name__, exc_info=exc)
        return web.json_response({"error": "internal error"}, status=500)
