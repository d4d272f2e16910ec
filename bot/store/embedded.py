"""The embedded store used when REDIS_URL is unset.

fakeredis (a maintained, Redis-compatible in-process server) runs the exact
same commands as a real Redis, so the engine has one code path. Its content is
saved after each write to one file, as Redis DUMP payloads with their TTLs, and
restored at start-up: a user's brand and preferences survive between runs of
`symbiose chat`. Meant for one person on one machine; a team uses real Redis.

Two `symbiose chat` may still run on one home at once (two terminals). Each
keeps its own copy in memory, so the file is shared key by key, under a file
lock (`store.json.lock`): a save re-reads the file and writes back every key
with this process's version where this process changed it since it last read
the file, and the other process's version elsewhere; before a turn reads, a
file that changed is read again the same way. No write of either is lost
(the same key changed by both within one turn: the later save wins).

A file that cannot be read is moved aside (`store.json.unreadable-<time>`),
never overwritten: the user can still recover it.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import fakeredis
from fakeredis import FakeAsyncRedis
from filelock import AsyncFileLock
from platformdirs import user_data_dir

log = logging.getLogger(__name__)

SNAPSHOT_NAME = "store.json"
LOCK_TIMEOUT_S = 30.0  # a save takes milliseconds; this only bounds a stuck process
Entry = tuple[int, str]  # (TTL in ms, 0 for none; base64 DUMP payload)


def default_data_dir() -> Path:
    return Path(user_data_dir("symbiose", appauthor=False))


class UnreadableStore(ValueError):
    pass


class EmbeddedStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        server = fakeredis.FakeServer()
        self.redis = FakeAsyncRedis(server=server)
        # DUMP/RESTORE need raw bytes: a second client on the same server.
        self._raw = FakeAsyncRedis(server=server)
        self._lock = AsyncFileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT_S)
        # The file's content as this process last read or wrote it, and its signature.
        self._synced: dict[str, Entry] = {}
        self._signature: tuple[int, int] | None = None

    @classmethod
    async def open(cls, data_dir: Path | None = None) -> EmbeddedStore:
        store = cls((data_dir or default_data_dir()) / SNAPSHOT_NAME)
        await store.restore()
        return store

    async def restore(self) -> int:
        """Load the snapshot file, if any; returns how many keys came back."""
        async with self._locked():
            disk = self._read_or_set_aside()
            for key, entry in disk.items():
                await self._put(key, entry)
            self._synced = disk
        return len(disk)

    async def refresh(self) -> None:
        """Take in what another process saved since we last looked (cheap when
        nothing changed: one stat)."""
        if self._file_signature() == self._signature:
            return
        async with self._locked():
            await self._merge(self._read_or_set_aside(), write=False)

    async def save(self) -> None:
        """Write every key, merged with what another process saved meanwhile,
        atomically (temp file + rename): a crash never leaves half a snapshot."""
        async with self._locked():
            await self._merge(self._read_or_set_aside(), write=True)

    async def aclose(self) -> None:
        await self.redis.aclose()
        await self._raw.aclose()

    # -- merging ---------------------------------------------------------------

    async def _merge(self, disk: dict[str, Entry], *, write: bool) -> None:
        """Ours where we changed a key since the last sync, the file's elsewhere.

        `write`: save the merge. Otherwise only take the file's changes in, and
        keep our own changes pending (the baseline stays what it was for them)."""
        mine = await self._dump_all()
        merged: dict[str, Entry] = {}
        baseline: dict[str, Entry] = {}
        for key in set(mine) | set(self._synced) | set(disk):
            ours, before, theirs = mine.get(key), self._synced.get(key), disk.get(key)
            if _payload(ours) != _payload(before):  # changed (or deleted) here
                chosen, kept = ours, before
            else:  # unchanged here: the file's version, taken in if it differs
                if _payload(theirs) != _payload(ours):
                    await self._put(key, theirs)
                chosen = kept = theirs
            if chosen is not None:
                merged[key] = chosen
            if kept is not None:
                baseline[key] = kept
        if write:
            self._write(merged)
            self._synced = merged
        else:
            self._synced = baseline

    async def _put(self, key: str, entry: Entry | None) -> None:
        if entry is None:
            await self._raw.delete(key)
            return
        ttl_ms, payload = entry
        await self._raw.restore(key, max(int(ttl_ms), 0), base64.b64decode(payload), replace=True)

    async def _dump_all(self) -> dict[str, Entry]:
        keys: dict[str, Entry] = {}
        async for key in self._raw.scan_iter(count=1000):
            payload = await self._raw.dump(key)
            if payload is None:
                continue
            ttl = await self._raw.pttl(key)
            name = key.decode() if isinstance(key, bytes) else key
            keys[name] = (int(ttl) if ttl and ttl > 0 else 0,
                          base64.b64encode(payload).decode("ascii"))
        return keys

    # -- the file ----------------------------------------------------------------

    def _locked(self) -> Any:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return self._lock

    def _file_signature(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def _read_or_set_aside(self) -> dict[str, Entry]:
        """The file's keys ({} when there is none); an unreadable file is moved
        aside, with a warning naming where, and counts as empty."""
        try:
            data = _parse(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            data = {}
        except (OSError, ValueError) as exc:
            stamp = time.strftime("%Y%m%dT%H%M%S")
            backup = self.path.with_name(f"{self.path.name}.unreadable-{stamp}")
            try:
                os.replace(self.path, backup)
                log.warning("embedded store %s unreadable (%s); kept as %s, starting afresh",
                            self.path, type(exc).__name__, backup)
            except OSError as move_error:
                log.warning("embedded store %s unreadable (%s) and could not be moved (%s)",
                            self.path, type(exc).__name__, type(move_error).__name__)
                raise UnreadableStore(str(self.path)) from None
            data = {}
        self._signature = self._file_signature()
        return data

    def _write(self, keys: dict[str, Entry]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".store-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"version": 1, "keys": keys}, handle)
        os.replace(tmp, self.path)
        self._signature = self._file_signature()


def _parse(text: str) -> dict[str, Entry]:
    data = json.loads(text)
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, dict):
        raise ValueError("no 'keys' object")
    parsed: dict[str, Entry] = {}
    for key, entry in keys.items():
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], str)):
            raise ValueError("a key entry is not [ttl, payload]")
        try:
            base64.b64decode(entry[1], validate=True)
        except binascii.Error as exc:
            raise ValueError("a payload is not base64") from exc
        parsed[key] = (int(entry[0]), entry[1])
    return parsed


def _payload(entry: Entry | None) -> str | None:
    return entry[1] if entry is not None else None
