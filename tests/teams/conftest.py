"""Fixtures: a mock Bot Connector and the real Teams bot on real ports, real Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from bot.kernel.settings import Settings
from tests.teams.mock_connector import MockConnector

if TYPE_CHECKING:
    from tests.teams.harness import BotServer


@pytest.fixture
async def connector() -> AsyncIterator[MockConnector]:
    mock = MockConnector()
    await mock.start()
    yield mock
    await mock.stop()
    # Every card the bot sent during the test must be valid Adaptive Card 1.5.
    assert mock.card_errors == [], mock.card_errors
    # ...and every stream must have followed Teams' protocol and been closed.
    assert mock.streams.errors == [], mock.streams.errors
    assert mock.streams.open == {}, mock.streams.open


@pytest.fixture
async def start_bot(settings: Settings) -> AsyncIterator[Callable[..., Awaitable[BotServer]]]:
    from bot.app import build_engine  # here, so the pure unit tests need no engine

    servers: list[BotServer] = []

    async def start(
        *, chat_model: object = None, config: object = None, **overrides: object
    ) -> BotServer:
        the_settings = replace(settings, **overrides) if overrides else settings
        from tests.teams.harness import BotServer

        engine = build_engine(the_settings, chat_model=chat_model)  # type: ignore[arg-type]
        server = await BotServer(the_settings, engine, config=config).start()  # type: ignore[arg-type]
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.stop()
        await server.engine.aclose()


@pytest.fixture
async def bot(start_bot: Callable[..., Awaitable[BotServer]]) -> BotServer:
    return await start_bot()
