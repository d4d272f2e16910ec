"""The redelivery guard when the client retries a command the server already applied.

A local TCP proxy in front of each node of a real Redis Cluster forwards a SET,
then drops its reply and the connection (a reply lost on the way, or read too late
by a starved event loop): the cluster client retries the SET on a new connection.
The delivery must still count as the first one; taken for a redelivery, the message
would be lost (in a 500-mention bench under load, 2 mentions were dropped on both
replicas this way).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import redis as sync_redis
from redis.asyncio.cluster import RedisCluster

from bot.dialogue.guards import Guards
from bot.store.connection import connect_cluster
from bot.store.keys import Keys
from tests.redis_cluster import delete_prefix_everywhere


class ReplyDroppingProxy:
    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        # The next command containing these bytes runs, but its reply is dropped.
        self.drop_reply_to: bytes | None = None
        self.dropped = 0
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> ReplyDroppingProxy:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        pending = asyncio.Event()

        async def upstream() -> None:
            while data := await reader.read(65536):
                if self.drop_reply_to is not None and self.drop_reply_to in data:
                    self.drop_reply_to = None
                    pending.set()
                up_writer.write(data)
                await up_writer.drain()
            up_writer.close()

        async def downstream() -> None:
            while data := await up_reader.read(65536):
                if pending.is_set():
                    self.dropped += 1
                    writer.close()  # the command ran; its answer never arrives
                    up_writer.close()
                    return
                writer.write(data)
                await writer.drain()
            writer.close()

        await asyncio.gather(upstream(), downstream(), return_exceptions=True)


@pytest.fixture
async def proxied_cluster(cluster_url: str) -> AsyncIterator[tuple[RedisCluster, dict]]:
    """A cluster client whose every node is reached through a proxy of its own."""
    nodes = sync_redis.RedisCluster.from_url(cluster_url)
    addresses = [(n.host, n.port) for n in nodes.get_primaries()]
    nodes.close()
    proxies = {addr: await ReplyDroppingProxy(*addr).start() for addr in addresses}
    client = connect_cluster(
        cluster_url,
        address_remap=lambda addr: ("127.0.0.1", proxies[(addr[0], int(addr[1]))].port),
    )
    await client.initialize()
    yield client, proxies
    await client.aclose()
    for proxy in proxies.values():
        await proxy.stop()


async def test_a_retried_set_still_counts_as_the_first_delivery(
    proxied_cluster: tuple[RedisCluster, dict], key_prefix: str, cluster_url: str
) -> None:
    client, proxies = proxied_cluster
    keys = Keys(key_prefix)
    guards = Guards(client, keys, rate_per_minute=0)
    node = client.get_node_from_key(keys.event("slack", "Ev1"))
    proxy = next(p for p in proxies.values() if p.port == node.port)
    proxy.drop_reply_to = b"Ev1"
    try:
        assert await guards.first_delivery("slack", "Ev1") is True
        assert proxy.dropped == 1  # the first SET ran, its answer was lost, the SET retried
        # The real redelivery is still dropped.
        assert await guards.first_delivery("slack", "Ev1") is False
    finally:
        delete_prefix_everywhere(cluster_url, key_prefix)
