"""The user store against a real Redis server."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.brief.brand import BrandContext
from bot.kernel.conversation import ConversationState
from bot.kernel.messages import Angle
from bot.learning.preferences import PreferenceModel
from bot.store.connection import RedisClient
from bot.store.embedded import EmbeddedStore
from bot.store.keys import Keys
from bot.store.user_store import Changes, UserStore


def _angle(n: int, strategy: str = "storytelling") -> Angle:
    return Angle(n=n, id=f"id{n}{strategy}", strategy=strategy, title=f"T{n}", hook="h",
                 rationale="r", channel="c", to_validate=["x"])


@pytest.fixture
async def store(store_client: RedisClient, key_prefix: str) -> UserStore:
    """On a single Redis and on a Redis Cluster (see conftest.store_url)."""
    return UserStore(store_client, Keys(key_prefix), conversation_ttl_s=60, feedback_log_max=50)


async def test_a_turn_round_trips(store: UserStore) -> None:
    conv = ConversationState(lang="fr", brief="b")
    conv.show([_angle(1), _angle(2, "humour")])
    changes = Changes(
        conversation=conv,
        brand=BrandContext(brand="Gourdo"),
        events=[{"a": "like", "s": "humour", "id": "id2humour"}],
        pref_deltas=PreferenceModel.deltas("like", "humour"),
        rejected=["id1storytelling"],
        shortlist=[_angle(2, "humour")],
        liked=[_angle(2, "humour")],
    )
    await store.save("u1", "c1", changes)
    snap = await store.load("u1", "c1")
    assert snap.brand.brand == "Gourdo"
    assert snap.prefs.positive == {"humour": 1.0}
    assert snap.rejected == {"id1storytelling"}
    assert [a.id for a in snap.liked] == ["id2humour"]
    assert [a.n for a in snap.conversation.angles] == [1, 2]
    assert snap.conversation.brief == "b"
    assert [a.id for a in await store.shortlist("u1")] == ["id2humour"]
    assert (await store.feedback_log("u1"))[0]["a"] == "like"


async def test_conversations_and_users_are_separate(store: UserStore) -> None:
    await store.save("u1", "c1", Changes(conversation=ConversationState(brief="one")))
    assert (await store.load("u1", "c2")).conversation.brief == ""
    assert (await store.load("u2", "c1")).conversation.brief == ""


async def test_conversation_memory_has_a_ttl(store: UserStore) -> None:
    await store.save("u1", "c1", Changes(conversation=ConversationState(brief="one")))
    ttl = await store.redis.ttl(store.keys.conversation("u1", "c1"))
    assert 0 < ttl <= 60


async def test_feedback_log_is_capped(store: UserStore) -> None:
    for i in range(300):
        await store.save("u1", "c1", Changes(conversation=ConversationState(),
                                             events=[{"a": "like", "i": str(i)}]))
    assert len(await store.feedback_log("u1", count=1000)) < 150


async def test_forget_removes_every_key_of_the_user_only(store: UserStore) -> None:
    for user in ("u1", "u2"):
        await store.save(user, "c1", Changes(conversation=ConversationState(brief="x"),
                                             brand=BrandContext(brand="B"),
                                             events=[{"a": "like"}],
                                             shortlist=[_angle(1)]))
    removed = await store.forget("u1")
    assert removed.keys == 4  # conversation, brand, feedback, shortlist
    assert (await store.load("u1", "c1")).brand.is_empty()
    assert (await store.load("u2", "c1")).brand.brand == "B"


async def test_keys_share_the_users_hash_tag() -> None:
    keys = Keys("symbiose")
    tags = {k.split("{")[1].split("}")[0] for k in
            (keys.brand("slack:T1:U1"), keys.prefs("slack:T1:U1"),
             keys.conversation("slack:T1:U1", "T1:C1:123.4"))}
    assert tags == {"slack:T1:u:U1"}
    assert "{" not in Keys().user("we{ird}", "x").split("{", 1)[1].split("}", 1)[0]


async def test_embedded_store_survives_a_restart(tmp_path: Path) -> None:
    first = EmbeddedStore(tmp_path / "store.json")
    store = UserStore(first.redis, Keys(), conversation_ttl_s=3600, feedback_log_max=50,
                      after_write=first.save)
    await store.save("u1", "c1", Changes(conversation=ConversationState(brief="b"),
                                         brand=BrandContext(brand="Gourdo"),
                                         pref_deltas={"s+:humour": 2.0}))
    await first.aclose()

    second = EmbeddedStore(tmp_path / "store.json")
    assert await second.restore() >= 3
    again = UserStore(second.redis, Keys(), conversation_ttl_s=3600, feedback_log_max=50)
    snap = await again.load("u1", "c1")
    assert snap.brand.brand == "Gourdo"
    assert snap.prefs.positive == {"humour": 2.0}
    assert snap.conversation.brief == "b"
    await second.aclose()


async def test_embedded_store_starts_empty_on_a_corrupt_file(tmp_path: Path) -> None:
    (tmp_path / "store.json").write_text("{not json")
    store = EmbeddedStore(tmp_path / "store.json")
    assert await store.restore() == 0
    await store.aclose()


def test_event_and_angle_encodings_round_trip() -> None:
    from bot.store.codec import pack_angle, unpack_angle
    from bot.store.events import decode_event, encode_event

    raw = encode_event("dislike", "humour", "0a1b2c3d4e5f", "too | corporate")
    assert len(raw) < 40
    assert decode_event({"e": raw}) == {"a": "dislike", "s": "humour", "id": "0a1b2c3d4e5f",
                                        "x": "too / corporate"}
    angle = _angle(3, "humour")
    assert unpack_angle(pack_angle(angle)) == angle
    # JSON written before compression still reads.
    import json
    assert unpack_angle(json.dumps(angle.to_dict())) == angle



def test_the_shown_memory_survives_storage_without_being_stored_twice() -> None:
    conv = ConversationState()
    for round_ in range(8):  # 40 angles: older than `recent` keeps, and recent ones
        conv.show([Angle(n=i, id=f"r{round_}a{i}", strategy="humour", title=f"T{round_}.{i}",
                         hook=f"hook {round_}.{i}", rationale="r", channel="c", to_validate=[])
                   for i in range(1, 6)])
    raw = conv.to_json()
    back = ConversationState.from_json(raw)
    assert back.shown_pairs() == conv.shown_pairs()
    assert len(back.shown_pairs()) == 40
    # A recent angle's hook is in the stored value once (in `recent`), not twice.
    assert raw.count(b"hook 7.5") == 1
    assert raw.count(b"hook 0.1") == 1  # older than `recent`: kept in `shown` only


def test_an_unreadable_conversation_starts_afresh() -> None:
    for raw in (b"{not json", b"[1, 2]", b'{"recent": [{"n": "x"}], "shown": 3}'):
        assert ConversationState.from_json(raw).brief == ""
