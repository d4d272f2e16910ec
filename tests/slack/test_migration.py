"""Keys of the layout before channels are moved on start-up, nothing lost: written
here exactly as that version wrote them, then used through the real Slack app."""

from __future__ import annotations

import time

import redis.asyncio as aioredis

from adapters.slack.render import angle_blocks
from bot.kernel.conversation import ConversationState
from bot.kernel.messages import Angle
from bot.kernel.settings import Settings
from bot.store.codec import pack_angle, unpack_angle
from bot.store.keys import LAYOUT_VERSION, digest
from tests.slack.channel_helpers import ask, new_ts
from tests.slack.conftest import slack_settings, start_app, stop_app
from tests.slack.harness import block_click, dm, mention
from tests.slack.mock_slack import MockSlack


def _angle(n: int, title: str) -> Angle:
    return Angle(n=n, id=f"{n:012x}", strategy="humour", title=title, hook=f"Hook {n}",
                 rationale="Why", channel="TikTok", to_validate=["Check the figure"],
                 strategy_name="Humour")


async def _write_layout_1(client: aioredis.Redis, p: str, root: str) -> list[Angle]:
    """What the previous version kept for Alice (slack:T1:U1) and her thread."""
    user = f"{p}:{{slack:T1:U1}}"
    angles = [_angle(1, "Legacy angle one"), _angle(2, "Legacy angle two")]
    await client.hset(f"{user}:brand", mapping={"brand": "Legacyco", "audience": "students"})
    await client.hset(f"{user}:prefs", mapping={"s+:humour": "3", "n:humour": "4"})
    await client.xadd(f"{user}:feedback", {"e": "V|humour|AAAAAAAB"})
    await client.zadd(f"{user}:shortlist", {pack_angle(angles[0]): time.time()})
    await client.lpush(f"{user}:liked", pack_angle(angles[1]))
    await client.sadd(f"{user}:rejected", "99")
    await client.set(f"{user}:rate:1", 3, ex=120)
    conversation = f"T1:C1:{root}"
    state = ConversationState(brief="Legacy brief", lang="en")
    state.show(angles)
    await client.set(f"{user}:conv:{digest(conversation)}", state.to_json(), ex=3600)
    thread = f"{p}:{{thread:{digest(conversation)}}}:angles"
    await client.hset(thread, mapping={a.id: pack_angle(a) for a in angles})
    await client.expire(thread, 3600)
    # A thread record no conversation points to any more: left alone, it expires.
    await client.hset(f"{p}:{{thread:00000000deadbeef}}:angles", "x", "y")
    await client.expire(f"{p}:{{thread:00000000deadbeef}}:angles", 60)
    return angles


async def test_layout_1_keys_are_migrated_on_start_up_without_loss(
    settings: Settings, mock_slack: MockSlack, redis_client: aioredis.Redis, key_prefix: str
) -> None:
    root = "1700000000.000100"
    angles = await _write_layout_1(redis_client, key_prefix, root)
    app = await start_app(slack_settings(settings, mock_slack), mock_slack)
    try:
        said = await ask(app, dm("brand", user="U1"))
        assert "Legacyco" in said and "students" in said
        keys = {k.decode() for k in await redis_client.keys(f"{key_prefix}:*")}
        user = f"{key_prefix}:{{slack:T1:u:U1}}"
        for part in ("brand", "prefs", "feedback", "shortlist", "liked", "rejected"):
            assert f"{user}:{part}" in keys
        assert not [k for k in keys if "{slack:T1:U1}" in k]  # nothing left behind
        # Thread records can't be placed in a channel (a digest): kept, read, left to expire.
        thread = f"{key_prefix}:{{thread:{digest(f'T1:C1:{root}')}}}:angles"
        assert await redis_client.hlen(thread) == 2
        assert f"{key_prefix}:{{thread:00000000deadbeef}}:angles" in keys
        assert (await redis_client.get(f"{key_prefix}:layout")).decode() == LAYOUT_VERSION
        conv = f"{user}:conv:{digest(f'T1:C1:{root}')}"
        assert 0 < await redis_client.ttl(conv) <= 3600  # the TTL came along
        assert (await redis_client.hgetall(f"{user}:prefs"))[b"s+:humour"] == b"3"
        assert await redis_client.xlen(f"{user}:feedback") == 1

        # The conversation carries on: "validate 2" in Alice's thread means her angle 2.
        said = await ask(app, mention("validate 2", user="U1", ts=new_ts(), thread_ts=root))
        assert "validated" in said
        said = await ask(app, dm("shortlist", user="U1"))
        assert "Legacy angle one" in said and "Legacy angle two" in said
        # A colleague's click on the old card finds the angle in the migrated thread record.
        posted = {"ts": root, "thread_ts": root, "text": "Legacy angle one",
                  "blocks": angle_blocks(angles[0], "en")}
        updates = len(mock_slack.of("chat.update"))
        await app.send.interact(block_click(posted, "sym.like.1", user="U2"))
        await mock_slack.wait_for(lambda: mock_slack.of("chat.update")[updates:])
        [liked] = await redis_client.lrange(f"{key_prefix}:{{slack:T1:u:U2}}:liked", 0, -1)
        assert unpack_angle(liked).title == "Legacy angle one"
    finally:
        await stop_app(app)
    # A second start finds the layout current and moves nothing.
    again = await start_app(slack_settings(settings, mock_slack), mock_slack)
    try:
        before = {k async for k in redis_client.scan_iter(match=f"{key_prefix}:*")}
        await ask(again, dm("brand", user="U1"))
        assert {k async for k in redis_client.scan_iter(match=f"{key_prefix}:*")} >= before
    finally:
        await stop_app(again)
