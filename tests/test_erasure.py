"""Erasure through the engine on a real Redis: what stays, what goes, and that it
keeps working when someone comes back after a "forget me"."""

from __future__ import annotations

import redis.asyncio as aioredis

from bot.engine import Engine
from bot.kernel.messages import Action
from bot.kernel.place import Place
from bot.store.keys import Keys, channel_tag
from tests.engine_helpers import Chat

HERE = {"channel": "C1", "dm": False, "org": "T1"}


def _chat(engine: Engine, who: str, name: str) -> Chat:
    return Chat(engine, user_id=f"slack:T1:{who}", conversation_id="T1:C1:1.1", lang="en",
                extras={**HERE, "user_name": name})


async def test_coming_back_after_forget_me_is_erased_again(
    engine: Engine, redis_client: aioredis.Redis, key_prefix: str
) -> None:
    keys = Keys(key_prefix)
    tag = channel_tag(Place("slack", "T1", "U1", channel="C1"))
    assert tag is not None
    alice, bob = _chat(engine, "U1", "Alice"), _chat(engine, "U2", "Bob")
    await bob.say("Brand: Acme\nProduct: bikes\nAudience: commuters\nObjective: sales")
    await alice.say("Tone: bold")
    assert (await alice.say("forget me, yes")).kind == "info"
    await alice.say("Values: craft")
    angles = (await alice.say("Ideas for the spring campaign")).angles
    await bob.click(Action("validate", angle_id=angles[0].id))
    assert b"slack:T1:U1" in await redis_client.hvals(keys.channel(tag, "brand_by"))
    done = await alice.say("forget me, yes")
    assert "where it appeared (1)" in done.text and "copies" in done.text
    names = await redis_client.hgetall(keys.channel(tag, "names"))
    assert list(names) == [b"slack:T1:U2"]
    assert b"slack:T1:U1" not in await redis_client.hvals(keys.channel(tag, "brand_by"))
    brand = (await bob.say("brand")).text
    assert "bold" in brand and "craft" in brand and "Alice" not in brand
    # Bob's validation of Alice's angle went with her; the channel shortlist is empty.
    assert "No angle validated in this channel yet" in (await bob.say("shortlist")).text
    assert not await redis_client.smembers(keys.copies("slack:T1:U1"))


async def test_channel_texts_in_french(engine: Engine) -> None:
    alice = Chat(engine, user_id="slack:T1:U1", conversation_id="T1:C1:2.2", lang="fr",
                 extras={**HERE, "user_name": "Alice"})
    said = (await alice.say("Marque : Acme\nCible : cyclistes urbains")).text
    assert "modifiée par Alice" in said and "Marque, Cible" in said
    assert "La marque de ce canal" in (await alice.say("marque")).text
    taste = (await alice.say("mes goûts")).text
    assert "Ce que j'ai appris de vous" in taste and "Ce que j'ai appris de ce canal" in taste
    assert "Rien à exporter" in (await alice.say("exporter")).text
    reply = await alice.say("Des idées pour la rentrée")
    if reply.kind != "angles":
        reply = await alice.say("vas-y")
    assert reply.kind == "angles", reply.text
    assert (await alice.say("valider 1")).kind == "feedback"
    exported = await alice.say("exporter")
    assert exported.document is not None and "## Angles validés" in exported.document.markdown
    assert "Validé par** : Alice" in exported.document.markdown.replace("\u00a0", " ")
