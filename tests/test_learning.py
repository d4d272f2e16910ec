"""Learning works: a user who keeps liking two strategies sees more of them,
and another user's suggestions don't move."""

from __future__ import annotations

from bot.engine import Engine
from tests.engine_helpers import BRAND_EN, Chat


async def _round(chat: Chat, favourites: set[str], *, like: bool) -> set[str]:
    reply = await chat.say("more")
    assert reply.kind == "angles"
    if like:
        for angle in reply.angles:
            if angle.strategy in favourites:
                assert (await chat.say(f"like {angle.n}")).kind == "feedback"
    return {a.strategy for a in reply.angles}


async def test_liked_strategies_come_back_and_others_are_unaffected(engine: Engine) -> None:
    favourites = set(engine.catalogue.ids()[-2:])
    alice = Chat(engine, user_id="test:alice")
    bob = Chat(engine, user_id="test:bob")
    for chat in (alice, bob):
        await chat.say(BRAND_EN)
        await chat.say("Ideas for the September back-to-school launch")

    for _ in range(10):
        await _round(alice, favourites, like=True)

    later = [await _round(alice, favourites, like=True) for _ in range(10)]
    both = sum(favourites <= shown for shown in later)
    assert both >= 7, f"favourites in only {both}/10 answers"

    # Bob never gave feedback: his model is empty and favourites appear at chance level.
    bob_rounds = [await _round(bob, favourites, like=False) for _ in range(20)]
    assert (await engine.profile("test:bob", "en")).top_strategies == []
    assert sum(favourites <= shown for shown in bob_rounds) <= 6
