"""Channels are clients (docs/channels.md), over real HTTP: the real Slack app,
the mock Slack Web API, a real Redis. Nothing of ours is patched."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from bot.kernel.settings import Settings
from tests.llm_fakes import BriefMarkChatModel
from tests.slack.channel_helpers import ask, everything_stored, new_ts
from tests.slack.conftest import Running, slack_settings, start_app, stop_app
from tests.slack.harness import block_click, dm, mention
from tests.slack.mock_slack import MockSlack

NAMES = {"U1": "Alice", "U2": "Bob", "U3": "Carol"}
CHANNEL_BRAND = ("Brand: Acme\nProduct: folding bikes\nAudience: city commuters\n"
                 "Objective: awareness\nTone: bold")


@pytest.fixture
async def mock() -> AsyncIterator[MockSlack]:
    server = await MockSlack(names=NAMES).start()
    yield server
    await server.stop()


@pytest.fixture
async def app(settings: Settings, mock: MockSlack) -> AsyncIterator[Running]:
    running = await start_app(slack_settings(settings, mock), mock)
    yield running
    await stop_app(running)


def angle_messages(mock: MockSlack, thread_ts: str) -> dict[int, dict]:
    """The angle cards posted in a thread, by angle number."""
    found = {}
    for m in mock.messages.values():
        if m.get("thread_ts") != thread_ts:
            continue
        for block in m.get("blocks") or []:
            match = re.fullmatch(r"acts\.(\d+)", str(block.get("block_id")))
            if match:
                found[int(match.group(1))] = m
    return found


async def test_two_users_share_the_channel_brand_and_the_thread_says_who(app: Running) -> None:
    said = await ask(app, mention("Brand: Acme\nAudience: city commuters", user="U1",
                                  ts=new_ts()))
    assert "changed by Alice" in said and "Brand, Audience" in said
    said = await ask(app, mention("brand", user="U2", ts=new_ts()))
    assert "This channel's brand" in said and "Acme" in said and "by Alice" in said
    said = await ask(app, mention("Tone: bold", user="U2", ts=new_ts()))
    assert "changed by Bob" in said
    said = await ask(app, mention("brand", user="U1", ts=new_ts()))
    assert "Acme" in said and "bold" in said and "by Bob" in said and "by Alice" in said
    # A direct message is the user's own context: the channel's brand is not there.
    said = await ask(app, dm("brand", user="U2", channel="D2"))
    assert "Acme" not in said and "I don't know your brand" in said
    # App Home lists the brand of each channel the user works in.
    await app.send.event({"type": "app_home_opened", "user": "U2", "channel": "D2",
                          "tab": "home"})
    [home] = await app.mock.wait_for(lambda: app.mock.of("views.publish"))
    view = json.dumps(home.args["view"], ensure_ascii=False)
    assert "<#C1>" in view and "Acme" in view and "bold" in view


async def test_the_brands_command_lists_each_channel(app: Running) -> None:
    await ask(app, mention("Brand: Acme", user="U1", channel="C1", ts=new_ts()))
    await ask(app, mention("Brand: Zenith", user="U1", channel="C2", ts=new_ts()))
    said = await ask(app, dm("brands", user="U1"))
    assert "Acme" in said and "Zenith" in said


async def test_the_same_user_id_in_two_workspaces_is_two_people(app: Running) -> None:
    await ask(app, dm("Brand: Alpha", user="U1"), team="T1")
    await ask(app, mention("Brand: Beta", user="U1", channel="C1", ts=new_ts()), team="T1")
    said = await ask(app, dm("brand", user="U1", channel="D9"), team="T2")
    assert "Alpha" not in said and "I don't know your brand" in said
    said = await ask(app, mention("brand", user="U1", channel="C1", ts=new_ts()), team="T2")
    assert "Beta" not in said and "no brand yet" in said


async def test_an_enterprise_grid_user_is_one_person_across_workspaces(
    app: Running, redis_client: aioredis.Redis, key_prefix: str
) -> None:
    await ask(app, dm("Brand: Gridco", user="U7"), team="T1", enterprise="E1")
    said = await ask(app, dm("brand", user="U7", channel="D7"), team="T2", enterprise="E1")
    assert "Gridco" in said
    # Keys written before the org-wide id (a workspace-scoped user) join it once seen in Grid.
    await ask(app, dm("Brand: Oldco", user="U8"), team="T3")
    said = await ask(app, dm("brand", user="U8", channel="D8"), team="T3", enterprise="E1")
    assert "Oldco" in said
    assert not await redis_client.keys(f"{key_prefix}:{{slack:T3:u:U8}}:*")
    # A channel's brand set before the org-wide ids joins the org's channel the same way.
    await ask(app, mention("Brand: Chanco", user="U9", channel="C9", ts=new_ts()), team="T3")
    said = await ask(app, mention("brand", user="U9", channel="C9", ts=new_ts()), team="T3",
                     enterprise="E1")
    assert "Chanco" in said and "by U9" in said
    assert not await redis_client.keys(f"{key_prefix}:{{slack:T3:c:C9}}:*")
    # Forget me from one workspace erases the user in every workspace of the org.
    said = await ask(app, dm("forget me, yes", user="U8", channel="D8"), team="T1",
                     enterprise="E1")
    assert "workspaces of your organisation" in said
    assert not [k for k in await redis_client.keys(f"{key_prefix}:*")
                if b":U8}" in k and b":rate:" not in k]
    said = await ask(app, dm("brand", user="U8", channel="D8"), team="T3", enterprise="E1")
    assert "Oldco" not in said


async def test_a_newcomer_starts_from_the_channel_taste(app: Running) -> None:
    await ask(app, mention(CHANNEL_BRAND, user="U1", ts=new_ts()))
    root = new_ts()
    said = await ask(app, mention("Ideas for our spring campaign", user="U1", ts=root))
    cards = angle_messages(app.mock, root)
    assert len(cards) >= 3, said
    favourite = next(b for b in cards[1]["blocks"] if b.get("block_id") == "angle.1")
    liked_name = favourite["text"]["text"].split("_")[1]
    for command in ("like 1", "validate 1", "dislike 2", "dislike 3"):
        await ask(app, mention(command, user="U1", ts=new_ts(), thread_ts=root))
    # Carol has never given feedback: `taste` shows the channel's, and why it matters to her.
    said = await ask(app, mention("taste", user="U3", ts=new_ts()))
    assert "Nothing yet" in said and liked_name in said and "As you are new here" in said
    other = new_ts()
    said = await ask(app, mention("Ideas for a summer launch", user="U3", ts=other))
    assert "Chosen to match this channel's taste" in said
    assert liked_name in said
    # Her own feedback is hers: Alice's taste did not become Carol's.
    said = await ask(app, dm("taste", user="U3", channel="D3"))
    assert "Nothing yet" in said
    # App Home: what was learned about Alice, and about the channel, with how sure.
    await app.send.event({"type": "app_home_opened", "user": "U1", "channel": "D1",
                          "tab": "home"})
    [home] = await app.mock.wait_for(lambda: app.mock.of("views.publish"))
    view = json.dumps(home.args["view"], ensure_ascii=False)
    assert view.count(liked_name) >= 2 and "How sure" in view and "Channel taste" in view


async def test_export_makes_a_canvas_with_the_validated_angles_then_a_file_fallback(
    app: Running
) -> None:
    await ask(app, mention(CHANNEL_BRAND, user="U1", ts=new_ts()))
    root = new_ts()
    await ask(app, mention("Ideas for our spring campaign", user="U1", ts=root))
    cards = angle_messages(app.mock, root)
    await ask(app, mention("validate 1", user="U1", ts=new_ts(), thread_ts=root))
    # Bob validates angle 2 with its button: a colleague's angle, in the shared thread.
    updates = len(app.mock.of("chat.update"))
    await app.send.interact(block_click(cards[2], "sym.validate.2", user="U2"))
    await app.mock.wait_for(lambda: len(app.mock.of("chat.update")) > updates)
    titles = []
    for n in (1, 2):
        block = next(b for b in cards[n]["blocks"] if b.get("block_id") == f"angle.{n}")
        titles.append(block["text"]["text"].split("*")[1].split(". ", 1)[1])
    # The Export button under a validation (a quick reply: as if "export" were typed).
    validated = next(m for m in app.mock.messages.values()
                     if m.get("thread_ts") == root and "Export" in json.dumps(m.get("blocks")))
    button = next(e["action_id"] for b in validated["blocks"] for e in b.get("elements", [])
                  if "Export" in json.dumps(e.get("text")))
    calls = len(app.mock.calls)
    await app.send.interact(block_click(validated, button, user="U2"))
    await app.mock.wait_for(lambda: [c for c in app.mock.of("chat.postMessage")
                                     if "Canvas" in json.dumps(c.args)])
    said = "\n".join(json.dumps(c.args, ensure_ascii=False) for c in app.mock.calls[calls:])
    assert "document of the 2 validated angles" in said
    [canvas] = app.mock.of("canvases.create")
    markdown = canvas.args["document_content"]["markdown"]
    assert canvas.args["document_content"]["type"] == "markdown"
    for title in titles:
        assert title.replace("&amp;", "&") in markdown
    assert "Alice" in markdown and "Bob" in markdown and "Checks still to do" in markdown
    assert "Acme" in markdown
    [access] = app.mock.of("canvases.access.set")
    assert access.args["channel_ids"] in ("C1", ["C1"])
    assert "Canvas" in said and "acme.slack.com/docs" in said
    # Where canvases are refused, the same document arrives as a Markdown file in the thread.
    app.mock.fail_next["canvases.create"] = "free_teams_cannot_create_non_tabbed_canvases"
    said = await ask(app, mention("exporter", user="UFR", ts=new_ts(), thread_ts=root))
    [upload] = app.mock.of("files.getUploadURLExternal")
    [done] = app.mock.of("files.completeUploadExternal")
    assert upload.args["filename"].endswith(".md")
    assert done.args["channel_id"] == "C1" and done.args["thread_ts"] == root
    [content] = app.mock.uploads.values()
    assert titles[0].replace("&amp;", "&") in content.decode()


async def test_forget_me_leaves_no_copy_anywhere(
    settings: Settings, mock: MockSlack, redis_client: aioredis.Redis, key_prefix: str
) -> None:
    mark = "MK" + uuid.uuid4().hex[:10]
    model = BriefMarkChatModel()
    app = await start_app(slack_settings(settings, mock), mock, chat_model=model)
    try:
        # Alice's own brand (DM) and her brief in a shared channel both carry the marker.
        await ask(app, dm(f"Brand: Zorblax {mark}\nProduct: kites\nAudience: surfers\n"
                          "Objective: sales\nTone: fun", user="U1"))
        await ask(app, dm(f"Ideas for the {mark} summer launch", user="U1"))
        await ask(app, mention(CHANNEL_BRAND, user="U2", ts=new_ts()))
        await ask(app, mention("Values: craft", user="U1", ts=new_ts()))
        root = new_ts()
        said = await ask(app, mention(f"Ideas for the {mark} spring campaign", user="U1",
                                      ts=root))
        assert mark in said
        cards = angle_messages(app.mock, root)
        # Bob keeps copies: a like (liked examples), a validation (his shortlist and the
        # channel's), and both in his conversation; then asks for angles of his own there.
        updates = len(app.mock.of("chat.update"))
        await app.send.interact(block_click(cards[1], "sym.like.1", user="U2"))
        await app.send.interact(block_click(cards[2], "sym.validate.2", user="U2"))
        await app.mock.wait_for(lambda: len(app.mock.of("chat.update")) >= updates + 2)
        said = await ask(app, mention("more", user="U2", ts=new_ts(), thread_ts=root))
        assert mark not in said, [line[:300] for line in said.splitlines() if mark in line]
        await ask(app, mention("validate 1", user="U2", ts=new_ts(), thread_ts=root))
        # Alice likes one of Bob's angles: Bob's index of copies now names her.
        bobs = angle_messages(app.mock, root)
        updates = len(app.mock.of("chat.update"))
        await app.send.interact(block_click(bobs[3], "sym.like.3", user="U1"))
        await app.mock.wait_for(lambda: len(app.mock.of("chat.update")) > updates)
        stored = await everything_stored(redis_client, key_prefix)
        assert any("slack:T1:U1" in v for k, v in stored.items() if ":u:U2}:copies" in k)
        holders = [k for k, v in stored.items() if mark in v]
        assert any(":u:U2}" in k for k in holders) and any(":thread:" in k for k in holders)
        assert any(":c:C1}" in k for k in holders)

        said = await ask(app, dm("forget me", user="U1"))
        said = await ask(app, dm("yes", user="U1"))
        counts = [int(n) for n in re.findall(r"(\d+) ", said.split("I erased", 1)[1])[:3]]
        assert counts[0] > 0 and counts[1] >= 3 and counts[2] >= 3, said

        stored = await everything_stored(redis_client, key_prefix)
        assert [k for k, v in stored.items() if mark in v] == []
        assert not [k for k in stored if ":u:U1}" in k]
        # Nor her id: not in a colleague's index, a channel's names, a thread record.
        assert [k for k, v in stored.items() if "slack:T1:U1" in v or "Alice" in v] == []
        # What is not Alice's stays: Bob's keys, his angles in the shared thread, the
        # channel's brand (her name is gone from it), his validated angle.
        assert any(":u:U2}:shortlist" in k for k in stored)
        assert any(":thread:" in k for k in stored)
        said = await ask(app, mention("brand", user="U2", ts=new_ts()))
        assert "Acme" in said and "craft" in said and "Alice" not in said and "by Bob" in said
        said = await ask(app, mention("shortlist", user="U2", ts=new_ts()))
        assert "1 validated" in said or "validated in this channel" in said
        # Bob's next prompt holds nothing of Alice's (liked examples included).
        calls = len(model.calls)
        await ask(app, mention("Ideas for an autumn sale", user="U2", ts=new_ts()))
        assert len(model.calls) > calls
        assert all(mark not in p for p in model.prompts[calls:])
    finally:
        await stop_app(app)


async def test_facts_from_a_brief_in_a_channel_are_attributed_above_the_angles(
    app: Running
) -> None:
    await ask(app, mention("Brand: Acme\nProduct: folding bikes\nAudience: city commuters\n"
                           "Tone: bold", user="U2", ts=new_ts()))
    root = new_ts()
    said = await ask(app, mention("Ideas for our spring campaign, objective: awareness",
                                  user="U3", ts=root))
    assert "changed by Carol: Objective" in said
    assert angle_messages(app.mock, root)
    said = await ask(app, mention("brand", user="U1", ts=new_ts()))
    assert "awareness" in said and "by Carol" in said
