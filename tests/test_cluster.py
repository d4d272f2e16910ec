"""The bot on a real Redis Cluster (and, for comparison, a single Redis): detection,
a whole conversation, a cold burst, guards, outages, closing."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
import redis as sync_redis
from redis.asyncio.cluster import RedisCluster

from bot.app import build_engine
from bot.dialogue.guards import Guards
from bot.engine import Engine
from bot.kernel.messages import Action
from bot.kernel.settings import Settings
from bot.store.connection import RedisClient, connect, is_cluster
from bot.store.errors import StoreUnavailable, is_store_failure, store_call
from bot.store.keys import Keys
from tests.engine_helpers import BRAND_EN, Chat
from tests.redis_cluster import _ports, delete_prefix_everywhere, redis_cluster
from tests.redis_server import _binary, answers


@pytest.fixture
async def engine(settings: Settings, store_url: str) -> AsyncIterator[Engine]:
    engine = build_engine(replace(settings, redis_url=store_url))
    await engine.start()
    yield engine
    await engine.aclose()


def test_a_cluster_node_is_detected(cluster_url: str, redis_url: str) -> None:
    assert is_cluster(cluster_url) is True
    assert is_cluster(redis_url) is False
    assert is_cluster("redis://127.0.0.1:1/0") is None
    assert isinstance(connect(cluster_url), RedisCluster)


async def test_any_node_of_the_cluster_will_do(settings: Settings, cluster_url: str,
                                               key_prefix: str) -> None:
    nodes = sync_redis.RedisCluster.from_url(cluster_url)
    urls = [f"redis://{n.host}:{n.port}" for n in nodes.get_primaries()]
    nodes.close()
    assert len(urls) == 3
    engines = [build_engine(replace(settings, redis_url=url)) for url in urls]
    try:
        for engine in engines:
            await engine.start()
        writer = Chat(engines[-1], user_id="slack:T1:UN", lang="en")
        await writer.say("Brand: Gourdo")
        for engine in engines:  # whichever node a replica was given, it reads the same
            reply = await Chat(engine, user_id="slack:T1:UN", lang="en").say("brand")
            assert "Gourdo" in reply.text and not reply.notices
    finally:
        for engine in engines:
            await engine.aclose()
        delete_prefix_everywhere(cluster_url, key_prefix)


async def test_a_conversation_brief_angles_like_and_forget_me(engine: Engine,
                                                              store_url: str) -> None:
    channel = {"channel": "C1"}  # a shared channel: the brand and thread are the channel's
    chat = Chat(engine, user_id="slack:T1:U1", conversation_id="T1:C1:1.0", lang="en",
                extras=channel)
    questions = await chat.say("Ideas for our back-to-school launch")
    assert questions.kind == "questions" and not questions.notices
    await chat.say(BRAND_EN)
    angles = await chat.say("go")
    assert angles.kind == "angles" and not angles.notices, angles.text
    liked = await chat.say("like 2")
    assert liked.kind == "feedback" and not liked.notices
    # A colleague in the same thread reacts to Alice's angle (the channel's own slot).
    colleague = Chat(engine, user_id="slack:T1:U2", conversation_id="T1:C1:1.0", lang="en",
                     extras=channel)
    clicked = await colleague.click(Action("validate", angle_id=angles.angles[0].id))
    assert clicked.kind == "feedback", clicked.text
    assert "Gourdo" in (await chat.say("brand")).text
    await chat.say("forget me")
    done = await chat.say("yes")
    assert done.kind == "info" and not done.notices
    # Everything of Alice's, on whichever node it lived, is gone, her angle copied into
    # her colleague's shortlist included; the channel's brand stays (it is the channel's).
    assert await engine.store.feedback_log("slack:T1:U1") == []
    assert await engine.store.shortlist("slack:T1:U1") == []
    assert angles.angles[0].id not in {a.id for a in await engine.store.shortlist("slack:T1:U2")}
    assert "Gourdo" in (await colleague.say("brand")).text


async def test_a_cold_burst_is_answered_with_memory(settings: Settings,
                                                    store_url: str) -> None:
    engine = build_engine(replace(settings, redis_url=store_url, rate_limit_per_minute=0))
    await engine.start()
    try:
        chats = [Chat(engine, user_id=f"slack:T1:U{i}", conversation_id=f"T1:C{i}", lang="en")
                 for i in range(150)]
        replies = await asyncio.gather(*(c.say(BRAND_EN) for c in chats))
        assert all(r.kind != "error" and not r.notices for r in replies)
        again = await asyncio.gather(*(c.say("brand") for c in chats))
        assert all("Gourdo" in r.text for r in again)
    finally:
        await engine.aclose()


async def test_guards_dedupe_and_rate_limit(store_client: RedisClient, key_prefix: str) -> None:
    guards = Guards(store_client, Keys(key_prefix), rate_per_minute=2)
    firsts = await asyncio.gather(*(guards.first_delivery("slack", "Ev1") for _ in range(20)))
    assert firsts.count(True) == 1
    assert [await guards.retry_after("slack:T1:U1") for _ in range(3)][:2] == [None, None]
    assert await guards.retry_after("slack:T1:U1") is not None


async def test_aclose_closes_a_cluster_client(settings: Settings, cluster_url: str) -> None:
    engine = build_engine(replace(settings, redis_url=cluster_url))
    await engine.start()
    await Chat(engine, lang="en").say("help")
    client = engine.store.redis
    assert isinstance(client, RedisCluster)
    await engine.aclose()
    assert all(not node.connection_pool_in_use() if hasattr(node, "connection_pool_in_use")
               else not any(c.is_connected for c in node._connections)
               for node in client.get_nodes())


async def test_an_unreachable_store_is_an_outage_not_a_crash(settings: Settings) -> None:
    engine = build_engine(replace(settings, redis_url="redis://127.0.0.1:1/0"))
    await engine.start()
    assert (await engine.ready())[0] is False
    reply = await Chat(engine, lang="en").say("help")
    assert reply.kind == "help" and any("memory" in n for n in reply.notices)
    await engine.aclose()


async def test_errors_from_inside_redis_py_are_store_failures() -> None:
    # An exception raised by the client library itself (redis-py raised an
    # AttributeError while opening cluster connections in a cold burst).
    client = RedisCluster(host="127.0.0.1", port=1)
    with pytest.raises(Exception) as raised:
        client.get_node_from_key("k")
    assert is_store_failure(raised.value)
    with pytest.raises(StoreUnavailable), store_call():
        client.get_node_from_key("k")
    # A bug of ours is not an outage: it must still surface.
    with pytest.raises(KeyError), store_call():
        raise KeyError("ours")


async def test_forget_me_during_a_store_failure_says_nothing_was_erased(
    settings: Settings, tmp_path: Path
) -> None:
    """The store fails between reading the turn and erasing (here: a Redis user
    allowed everything but SCAN and DEL, on a server of this test's own)."""
    [port] = _ports(1, range(7190, 7200))
    binary = _binary()
    assert binary is not None
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    try:
        admin_url = f"redis://127.0.0.1:{port}/0"
        for _ in range(200):
            if answers(admin_url):
                break
            await asyncio.sleep(0.05)
        admin = sync_redis.Redis.from_url(admin_url)
        admin.acl_setuser("bot", enabled=True, passwords=["+pw"], keys=["*"],
                          commands=["+@all", "-scan", "-del"])
        admin.close()
        engine = build_engine(replace(settings, redis_url=f"redis://bot:pw@127.0.0.1:{port}/0"))
        await engine.start()
        chat = Chat(engine, lang="en")
        await chat.say(BRAND_EN)
        await chat.say("forget me")
        reply = await chat.say("yes")
        assert reply.kind == "error" and "could not erase" in reply.text
        assert "Gourdo" in (await chat.say("brand")).text  # nothing was lost either
        await engine.aclose()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def test_a_cluster_node_going_down_is_an_outage_for_its_users_only(
    settings: Settings,
) -> None:
    """A second cluster of this test's own; one master is shut down mid-run. Users
    whose slot it owned get answers without memory; nobody gets an error."""
    with redis_cluster(ports=range(7150, 7190)) as url:
        engine = build_engine(replace(settings, redis_url=url, rate_limit_per_minute=0))
        await engine.start()
        chats = [Chat(engine, user_id=f"slack:T1:U{i}", conversation_id=f"T1:C{i}", lang="en")
                 for i in range(12)]
        for chat in chats:
            assert not (await chat.say(BRAND_EN)).notices
        client = engine.store.redis
        assert isinstance(client, RedisCluster)
        victim = client.get_node_from_key(engine.store.keys.brand(chats[0].user_id))
        on_victim = {c.user_id for c in chats if client.get_node_from_key(
            engine.store.keys.brand(c.user_id)).name == victim.name}
        assert 0 < len(on_victim) < len(chats)
        with contextlib.suppress(sync_redis.RedisError):
            sync_redis.Redis(host=victim.host, port=victim.port).shutdown(nosave=True)

        replies, waited = {}, []
        for chat in chats:
            started = time.perf_counter()
            replies[chat.user_id] = await chat.say("brand")
            waited.append(time.perf_counter() - started)
        assert all(r.kind != "error" for r in replies.values())
        # Its users are answered, without memory, within a second or so (not after
        # redis-py's default ten retries); once the cluster sees the node fail it
        # refuses every slot (CLUSTERDOWN), so the others may lose memory too.
        assert all(any("memory" in n for n in replies[u].notices) for u in on_victim)
        assert max(waited) < 2.5, waited  # redis-py's defaults: about 3 s each
        # The dedupe lets events through rather than losing them.
        assert await engine.guards.first_delivery("slack", "Ev-during-outage")
        await engine.aclose()
