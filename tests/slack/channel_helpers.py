"""Helpers for the shared-channel tests: a conversation over real HTTP, and a
scan of every Redis key of a test, decoded, for "is it still anywhere?" checks."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import zlib
from typing import Any

import redis.asyncio as aioredis

from bot.store.codec import unpack_angle
from tests.slack.conftest import Running

_ts = itertools.count(1)


def new_ts() -> str:
    return f"{int(time.time())}.{next(_ts):06d}"


async def ask(app: Running, event: dict[str, Any], **kw: Any) -> str:
    """Send one event; return everything the bot posted or updated for it, as text."""
    before = len(app.mock.calls)
    await app.send.event(event, **kw)

    def posted() -> list[Any]:
        return [c for c in app.mock.calls[before:]
                if c.method in ("chat.postMessage", "chat.update", "chat.postEphemeral")]

    await app.mock.wait_for(posted, timeout=10)
    # A reply may take several messages (and an export a canvas): let them land.
    count = -1
    while count != len(app.mock.calls):
        count = len(app.mock.calls)
        await asyncio.sleep(0.3)
    return "\n".join(json.dumps(c.args, ensure_ascii=False) for c in posted())


async def everything_stored(client: aioredis.Redis, prefix: str) -> dict[str, str]:
    """Every key under `prefix` with its whole content as text, compressed angles decoded."""
    out: dict[str, str] = {}
    async for raw in client.scan_iter(match=f"{prefix}:*", count=500):
        key = raw.decode()
        kind = (await client.type(key)).decode()
        values: list[Any]
        if kind == "string":
            values = [await client.get(key)]
        elif kind == "hash":
            values = [x for pair in (await client.hgetall(key)).items() for x in pair]
        elif kind == "set":
            values = list(await client.smembers(key))
        elif kind == "zset":
            values = list(await client.zrange(key, 0, -1))
        elif kind == "list":
            values = list(await client.lrange(key, 0, -1))
        elif kind == "stream":
            values = [x for _, fields in await client.xrange(key)
                      for pair in fields.items() for x in pair]
        else:
            values = []
        out[key] = key + " " + " ".join(_readable(v) for v in values if v is not None)
    return out


def _readable(value: bytes) -> str:
    try:
        return json.dumps(unpack_angle(value).to_dict(), ensure_ascii=False)
    except (ValueError, TypeError, zlib.error, UnicodeDecodeError):
        return value.decode(errors="replace")
