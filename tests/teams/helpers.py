"""What the Teams end-to-end tests share: a brief, reading cards out of the
activities the mock connector received, waiting for background work."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from bot.store.events import decode_event
from tests.teams import activities as A
from tests.teams.harness import BotServer
from tests.teams.mock_connector import ADAPTIVE, MockConnector

BRIEF_EN = (
    "Brand: Gourdo\n"
    "Product: insulated bottle made of recycled steel\n"
    "Audience: urban students\n"
    "Objective: awareness\n"
    "Tone: playful\n"
    "Launch our new bottle for the back-to-school season"
)


def cards_of(activity: dict[str, Any]) -> list[dict[str, Any]]:
    return [a["content"] for a in activity.get("attachments") or [] if a["contentType"] == ADAPTIVE]


def angle_calls(connector: MockConnector, conversation_id: str) -> list[Any]:
    """Posted messages that carry an angle card (a card with a Like action)."""
    return [c for c in connector.posted(conversation_id)
            if any(any(a.get("data", {}).get("symbiose", {}).get("kind") == "like"
                       for a in card.get("actions", [])) for card in cards_of(c.body))]


def action_data(card: dict[str, Any], kind: str) -> dict[str, Any]:
    for action in card["actions"]:
        if action.get("data", {}).get("symbiose", {}).get("kind") == kind:
            return action["data"]
        inner = action.get("card", {}).get("actions", [])
        for sub in inner:
            if sub.get("data", {}).get("symbiose", {}).get("kind") == kind:
                return sub["data"]
    raise AssertionError(f"no {kind} action on the card")


DISPLAYED = ("text", "title", "value", "fallbackText", "placeholder", "label")


def displayed_strings(node: Any) -> list[str]:
    """Every string a card shows (not the hidden `data` of its actions)."""
    if isinstance(node, list):
        return [s for item in node for s in displayed_strings(item)]
    if not isinstance(node, dict):
        return []
    found = [v for k, v in node.items() if k in DISPLAYED and isinstance(v, str)]
    return found + [s for k, v in node.items() if k != "data" for s in displayed_strings(v)]


def is_ai_labelled(activity: dict[str, Any]) -> bool:
    return any("AIGeneratedContent" in (e.get("additionalType") or [])
               for e in activity.get("entities") or [])


async def brainstorm(
    bot: BotServer, connector: MockConnector, *, conversation: dict[str, Any]
) -> list[Any]:
    """Post a full brief and wait for the angle cards; returns their connector calls."""
    posted = await bot.post(A.personal_message(connector.url, BRIEF_EN, conversation=conversation))
    assert posted.status in (200, 201)
    await bot.idle()  # the whole answer (header + cards) has been delivered
    calls = angle_calls(connector, conversation["id"])
    assert calls, connector.calls
    return calls


async def feedback_events(bot: BotServer, user_id: str) -> list[dict[str, str]]:
    """The user's feedback log as the engine stored it (in Redis), decoded."""
    return [decode_event(raw) for raw in await bot.engine.store.feedback_log(user_id)]


async def eventually(check: Any, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result or time.monotonic() > deadline:
            return result
        await asyncio.sleep(0.05)


ALICE = f"teams:{A.TENANT}:aad-alice"
