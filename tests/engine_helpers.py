"""Driving whole conversations through the real engine (real Redis), like errbot's test backend."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.engine import Engine
from bot.kernel.messages import Action, Lang, Message, Reply

BRAND_FR = (
    "Marque : Gourdo\n"
    "Offre : gourde isotherme en inox recyclé\n"
    "Cible : étudiants urbains\n"
    "Objectif : notoriété\n"
    "Ton : décalé"
)
BRAND_EN = (
    "Brand: Gourdo\n"
    "Product: insulated bottle made of recycled steel\n"
    "Audience: urban students\n"
    "Objective: awareness\n"
    "Tone: playful"
)


@dataclass
class Chat:
    """One person talking to the engine in one conversation."""

    engine: Engine
    user_id: str = "test:alice"
    conversation_id: str = "test:room-1"
    lang: Lang | None = None
    replies: list[Reply] = field(default_factory=list)
    # Where it is said (bot.kernel.place.Place): {"channel": "C1"} for a shared channel.
    extras: dict[str, Any] = field(default_factory=dict)

    async def say(self, text: str) -> Reply:
        return await self._send(Message(text=text, user_id=self.user_id,
                                        conversation_id=self.conversation_id,
                                        platform="test", lang=self.lang,
                                        extras=self.extras))

    async def click(self, action: Action) -> Reply:
        return await self._send(Message(text="", user_id=self.user_id,
                                        conversation_id=self.conversation_id,
                                        platform="test", lang=self.lang, action=action,
                                        extras=self.extras))

    async def _send(self, message: Message) -> Reply:
        reply = await self.engine.handle(message)
        self.replies.append(reply)
        return reply
