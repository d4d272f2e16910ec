"""Connecting to Redis at REDIS_URL, a single server or any node of a Redis Cluster.

The kind of server is asked once at start (`INFO cluster`): a cluster node gets
redis-py's `RedisCluster` client, which follows the slot map; a plain server the
usual pooled client. Both speak the same commands, so the store has one code path
(every multi-key operation already stays inside one hash tag, see `keys`).
"""

from __future__ import annotations

import logging
from typing import Any, TypeAlias

import redis
import redis.asyncio as aioredis
from redis.asyncio.cluster import RedisCluster
from redis.backoff import ExponentialWithJitterBackoff
from redis.retry import Retry

from bot.store.errors import is_store_failure, store_call

log = logging.getLogger(__name__)

# What the store and guards receive: redis-py types both with the same command mixins.
RedisClient: TypeAlias = aioredis.Redis | RedisCluster

# Per cluster node. The cluster client fails (MaxConnectionsError) instead of
# queueing when they are all busy, so leave room for a burst of turns.
CLUSTER_CONNECTIONS_PER_NODE = 1024
# redis-py's default retries a failing cluster command 10 times (up to 1 s apart,
# plus 0.25 s per CLUSTERDOWN): a user whose node is down would wait about 10 s
# for an answer. A failover takes longer than a turn may wait anyway: retry a
# little (a MOVED shuffle, a dropped connection), then answer without memory.
CLUSTER_RETRY = Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.5), retries=3)


def _driver_info() -> dict[str, object]:
    """Name the client version once: otherwise redis-py reads its package
    metadata for every new connection (about 0.7 ms each, felt in a burst)."""
    try:
        from redis.driver_info import DriverInfo
    except ImportError:  # redis-py before 7: it has no per-connection lookup to avoid
        return {}
    return {"driver_info": DriverInfo(lib_version=redis.__version__)}


def is_cluster(url: str, *, timeout_s: float = 2.0) -> bool | None:
    """Whether the server at `url` runs in cluster mode; None when it can't be asked."""
    client = redis.Redis.from_url(url, socket_timeout=timeout_s,
                                  socket_connect_timeout=timeout_s)
    try:
        info = client.info("cluster")
    except Exception as exc:
        if not is_store_failure(exc):
            raise
        return None
    finally:
        client.close()
    return bool(info.get("cluster_enabled"))


def connect_single(url: str, *, max_connections: int = 256) -> aioredis.Redis:
    """A client whose pool queues requests when all connections are busy (a burst
    of 200 mentions), instead of failing them; short timeouts so that when Redis
    is down the user still gets an answer quickly."""
    pool = aioredis.BlockingConnectionPool.from_url(
        url,
        **_driver_info(),
        max_connections=max_connections,
        timeout=5,
        socket_connect_timeout=2,
        socket_timeout=5,
        health_check_interval=30,
    )
    return aioredis.Redis(connection_pool=pool)


def connect_cluster(url: str, **overrides: Any) -> RedisCluster:
    """A cluster client from any node's URL; it learns the other nodes itself.
    Call `open_client` before serving, so no request races the slot-map discovery."""
    options: dict[str, Any] = {
        "max_connections": CLUSTER_CONNECTIONS_PER_NODE,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
        "retry": CLUSTER_RETRY,
        **_driver_info(),
        **overrides,
    }
    return RedisCluster.from_url(url, **options)


def connect(url: str) -> RedisClient:
    """The right client for the server at `url` (see the module docstring)."""
    kind = is_cluster(url)
    if kind is None:
        # Unreachable now: the bot still answers (without memory) and /readyz says 503;
        # it notices a cluster behind that URL there, and asks to be restarted.
        log.warning("Redis at REDIS_URL does not answer at start; using a single-server client")
    if kind:
        log.info("Redis Cluster detected at REDIS_URL")
        return connect_cluster(url)
    return connect_single(url)


async def open_client(client: RedisClient) -> None:
    """Connect before serving: a cluster client learns the slot map and opens its
    node connections now, not inside the first burst of requests (where redis-py
    was seen failing). A failure is logged; the client retries on its first use."""
    if not isinstance(client, RedisCluster):
        return
    try:
        with store_call():
            await client.initialize()
    except Exception as exc:
        log.warning("Redis Cluster not reachable at start (%s); will retry on first use",
                    type(exc).__name__)


async def close_client(client: RedisClient) -> None:
    """Close every connection, for either kind of client."""
    if isinstance(client, RedisCluster):
        await client.aclose()
        return
    await client.aclose()
    await client.connection_pool.disconnect()


async def ready(client: RedisClient) -> tuple[bool, str]:
    """(reachable, why not): for /readyz. A single-server client on a URL that is now a
    cluster node (Redis was down at start) is not ready: the process needs a restart."""
    try:
        with store_call():
            if isinstance(client, RedisCluster):
                await client.ping(target_nodes=RedisCluster.PRIMARIES)
                return True, ""
            info = await client.info("cluster")
    except Exception as exc:
        if not is_store_failure(exc):
            raise
        return False, f"Redis unreachable ({type(exc).__name__})"
    if info.get("cluster_enabled"):
        return False, "REDIS_URL is a cluster node but was not reachable at start: restart"
    return True, ""
