"""The embedded store used when REDIS_URL is unset.

fakeredis (a maintained, Redis-compatible in-process server) runs the exact
same commands as a real Redis, so the engine has one code path. Its content is
saved after each write to one file, as Redis DUMP payloads with their TTLs, and
restored at start-up: a user's brand and preferences survive between runs of
`symbiose chat`. Meant for one person on one machine; a team uses real Redis.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import tempfile
from pathlib import Path

import fakeredis
from fakeredis import FakeAsyncRedis
from platformdirs import user_data_dir

log = logging.getLogger(__name__)

SNAPSHOT_NAME = "store.json"


def default_data_dir() -> Path:
    return Path(user_data_dir("symbiose", appauthor=False))


class EmbeddedStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        server = fakeredis.FakeServer()
        self.redis = FakeAsyncRedis(server=server)
        # DUMP/RESTORE need raw bytes: a second client on the same server.
        self._raw = FakeAsyncRedis(server=server)

    @classmethod
    async def open(cls, data_dir: Path | None = None) -> EmbeddedStore:
        store = cls((data_dir or default_data_dir()) / SNAPSHOT_NAME)
        await store.restore()
        return store

    async def restore(self) -> int:
        """Load the snapshot file, if any; returns how many keys came back."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return 0
        except (OSError, ValueError) as exc:
            # Keep the unreadable file for the user to inspect, start afresh.
            log.warning("embedded store %s unreadable (%s); starting empty", self.path, exc)
            return 0
        restored = 0
        for key, (ttl_ms, payload) in data.get("keys", {}).items():
            await self._raw.restore(key, max(int(ttl_ms), 0), base64.b64decode(payload),
                                    replace=True)
            restored += 1
        return restored

    async def save(self) -> None:
        """Write every key atomically (temp file + rename), so a crash never
        leaves half a snapshot."""
        keys: dict[str, tuple[int, str]] = {}
        async for key in self._raw.scan_iter(count=1000):
            payload = await self._raw.dump(key)
            if payload is None:
                continue
            ttl = await self._raw.pttl(key)
            name = key.decode() if isinstance(key, bytes) else key
            keys[name] = (int(ttl) if ttl and ttl > 0 else 0,
                          base64.b64encode(payload).decode("ascii"))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".store-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"version": 1, "keys": keys}, handle)
        os.replace(tmp, self.path)

    async def aclose(self) -> None:
        await self.redis.aclose()
        await self._raw.aclose()
