"""The engine's admission in Teams, over real HTTP: the glossary message
extension is rate limited like messages, and a flood gets one notice."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from tests.teams import activities as A
from tests.teams.harness import BotServer
from tests.teams.mock_connector import MockConnector


async def test_message_extension_searches_are_rate_limited(
    start_bot: Callable[..., Awaitable[BotServer]], connector: MockConnector
) -> None:
    bot = await start_bot(rate_limit_per_minute=2)
    query = A.extension_query
    results = [(await bot.post(query(connector.url, "persona"))).body["composeExtension"]
               for _ in range(4)]
    assert [r["type"] for r in results] == ["result", "result", "message", "result"]
    assert results[0]["attachments"] and results[1]["attachments"]
    assert "Try again in" in results[2]["text"]
    assert results[3]["attachments"] == []  # told once; further searches just find nothing


async def test_a_flood_of_messages_gets_one_notice(
    start_bot: Callable[..., Awaitable[BotServer]], connector: MockConnector
) -> None:
    bot = await start_bot(rate_limit_per_minute=2)
    conversation = A.personal_conversation()
    for _ in range(12):
        await bot.post(A.personal_message(connector.url, "help", conversation=conversation))
    await bot.idle()
    await asyncio.sleep(0.2)
    texts = [a.get("text", "") for a in connector.sent(conversation["id"])]
    notices = [t for t in texts if "Try again in" in t]
    assert 1 <= len(notices) <= 2, texts
    # The two answers within the limit (four if the minute turned over meanwhile).
    assert len(texts) - len(notices) in (2, 4)
