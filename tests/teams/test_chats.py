"""Where the bot is spoken to: group chats, channel reply chains, the command
list of the manifest. Real server, mock Bot Connector, real Redis."""

from __future__ import annotations

import json

import pytest

from adapters.teams.package import SOURCE_DIR
from adapters.teams.safe_text import message_markdown
from bot.kernel.i18n import t
from tests.teams import activities as A
from tests.teams.helpers import BRIEF_EN, action_data, angle_calls, cards_of, feedback_events


async def test_group_chat_mention_is_removed_and_answered_in_the_chat(bot, connector):
    conversation = A.group_conversation()
    posted = await bot.post(A.group_message(connector.url, "help", conversation=conversation))
    assert posted.status == 201
    (call,) = await connector.wait_for(lambda: connector.posted(conversation["id"]))
    assert call.body["text"] == message_markdown(t("help", "en"))
    assert call.body["conversation"]["id"] == conversation["id"]


async def test_group_chat_brief_then_a_colleague_reacts_on_a_card(bot, connector):
    conversation = A.group_conversation()
    await bot.post(A.group_message(connector.url, BRIEF_EN, conversation=conversation))
    await bot.idle()
    await bot.post(A.group_message(connector.url, "more", conversation=conversation))
    await bot.idle()
    calls = angle_calls(connector, conversation["id"])
    assert len(calls) == 10
    # Bob, in the same chat, likes one of the cards Alice got: that card is redrawn.
    target = calls[-1]
    data = action_data(cards_of(target.body)[0], "like")
    await bot.post(A.card_submit(connector.url, conversation=conversation, user="bob",
                                 reply_to_id=target.response_id, data=data))
    (update,) = await connector.wait_for(lambda: connector.updates())
    assert update.activity_id == target.response_id
    events = await feedback_events(bot, f"teams:{A.TENANT}:aad-bob")
    assert [(e["a"], e["id"]) for e in events] == [("like", data["symbiose"]["angle"])]
    assert connector.posted() == connector.posted(conversation["id"])  # nowhere else


async def test_a_channel_conversation_continues_in_its_reply_chain(bot, connector):
    chain = A.channel_conversation()
    await bot.post(A.channel_message(connector.url, BRIEF_EN, conversation=chain))
    await bot.idle()
    first = angle_calls(connector, chain["id"])
    assert len(first) == 5
    # "more" only makes sense if the brief given above is remembered for this chain.
    await bot.post(A.channel_message(connector.url, "more", conversation=chain))
    await bot.idle()
    calls = angle_calls(connector, chain["id"])
    assert len(calls) == 10
    titles = [cards_of(c.body)[0]["body"][1]["text"] for c in calls]
    assert len(set(titles)) == 10  # new angles, not the same ones again
    # Every reply went to the user's message in the chain (POST .../activities/{replyToId}).
    assert all(c.activity_id for c in connector.posted(chain["id"]))
    assert connector.posted() == connector.posted(chain["id"])


def manifest_commands() -> list[str]:
    manifest = json.loads((SOURCE_DIR / "manifest.json").read_text(encoding="utf-8"))
    return [c["title"] for lst in manifest["bots"][0]["commandLists"] for c in lst["commands"]]


EXPECTED = {
    "help": lambda: t("help", "en"),
    "forget me": lambda: t("forget_confirm", "en"),
    "challenge": lambda: t("challenge_what", "en"),  # nothing to challenge yet: it asks what
    "taste": lambda: (t("taste_you", "en") + "\n" + t("taste_nothing", "en") + "\n\n"
                      + t("taste_explain", "en")),
    "export": lambda: t("export_empty", "en"),  # nothing validated yet
    "brands": lambda: t("brands_none", "en"),  # no channel yet
}


@pytest.mark.parametrize("command", manifest_commands())
async def test_every_command_of_the_manifest_is_understood(command, bot, connector):
    conversation = A.personal_conversation()
    await bot.post(A.personal_message(connector.url, command, conversation=conversation))
    (call, *_) = await connector.wait_for(lambda: connector.posted(conversation["id"]))
    text = call.body.get("text") or ""
    assert text != message_markdown(t("teams.sorry", "en"))
    if command in EXPECTED:
        assert text == message_markdown(EXPECTED[command]())
    elif command.startswith("glossary "):  # the entry's card, citing the glossary
        assert cards_of(call.body) and text.endswith("[1]")
    else:  # "Brainstorm a launch": a brief to work on, so the clarifying questions
        assert command == "Brainstorm a launch" and "?" in text
