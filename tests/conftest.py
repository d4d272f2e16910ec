"""Shared fixtures: a real Redis, and per-test isolation by key prefix."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace

import pytest
import redis.asyncio as aioredis

from bot.app import build_engine
from bot.engine import Engine
from bot.kernel.settings import Settings
from bot.store.connection import RedisClient, close_client, connect, open_client
from tests.engine_helpers import Chat
from tests.redis_cluster import delete_prefix_everywhere, redis_cluster
from tests.redis_server import delete_prefix, redis_server


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture
def key_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this test's own; every key under it is deleted after."""
    prefix = f"symtest-{uuid.uuid4().hex[:12]}"
    yield prefix
    delete_prefix(redis_url, prefix)


@pytest.fixture
def settings(redis_url: str, key_prefix: str) -> Settings:
    """Settings for a test: real Redis, its own key prefix, offline model, no env read."""
    return replace(Settings(), redis_url=redis_url, key_prefix=key_prefix)


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture(scope="session")
def cluster_url() -> Iterator[str]:
    """A 3-master Redis Cluster started for this test session (ports 7101-7199)."""
    with redis_cluster() as url:
        yield url


@pytest.fixture(params=["single", "cluster"])
def store_url(request: pytest.FixtureRequest, redis_url: str, key_prefix: str) -> Iterator[str]:
    """The store tests run twice: on a single Redis and on a real Redis Cluster."""
    if request.param == "single":
        yield redis_url
        return
    url = request.getfixturevalue("cluster_url")
    yield url
    delete_prefix_everywhere(url, key_prefix)


@pytest.fixture
async def store_client(store_url: str) -> AsyncIterator[RedisClient]:
    """The client the bot itself would pick for that URL (cluster detected)."""
    client = connect(store_url)
    await open_client(client)
    yield client
    await close_client(client)


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[Engine]:
    """An offline engine on the test's Redis and key prefix (a module may define its own)."""
    engine = build_engine(settings)
    yield engine
    await engine.aclose()


@pytest.fixture
def chat(engine: Engine) -> Chat:
    return Chat(engine)
