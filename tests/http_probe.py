"""Raw HTTP/1.1 over a socket, for what aiohttp's client will not send:
half-written headers, bodies shorter than their Content-Length, bad bytes."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit


async def open_raw(base: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    parts = urlsplit(base)
    return await asyncio.open_connection(parts.hostname, parts.port)


def request_head(path: str, headers: dict[str, str], *, host: str = "127.0.0.1") -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def status_of(reader: asyncio.StreamReader, timeout_s: float) -> int | None:
    """The status code the server answered, or None if it closed without one."""
    line = await asyncio.wait_for(reader.readline(), timeout_s)
    if not line:
        return None
    return int(line.split()[1])


async def closed_within(reader: asyncio.StreamReader, timeout_s: float) -> float | None:
    """Seconds until the server closed the connection (EOF), None if it did not."""
    started = time.monotonic()
    try:
        while await asyncio.wait_for(reader.read(65536), timeout_s):
            pass
    except (TimeoutError, ConnectionError):
        return None
    return time.monotonic() - started


async def post_raw(base: str, path: str, body: bytes, headers: dict[str, str]) -> int | None:
    reader, writer = await open_raw(base)
    try:
        all_headers = {"Content-Length": str(len(body)), "Connection": "close", **headers}
        writer.write(request_head(path, all_headers) + body)
        await writer.drain()
        return await status_of(reader, 10)
    finally:
        writer.close()
