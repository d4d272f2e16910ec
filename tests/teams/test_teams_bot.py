"""The Teams bot end to end: real aiohttp server on a port, real Bot Framework
activities, replies captured by a local mock Bot Connector, real Redis.
Every Adaptive Card the bot sends is checked against the schema (conftest)."""

from __future__ import annotations

import asyncio
import json
import time

from adapters.teams.safe_text import message_markdown
from bot.kernel.i18n import t
from tests.teams import activities as A
from tests.teams.helpers import (
    ALICE,
    BRIEF_EN,
    action_data,
    angle_calls,
    brainstorm,
    cards_of,
    displayed_strings,
    eventually,
    feedback_events,
    is_ai_labelled,
)
from tests.teams.mock_connector import ADAPTIVE, card_errors, citation_errors

# -- personal chat ---------------------------------------------------------------

async def test_personal_chat_brief_gets_typing_then_labelled_angle_cards(bot, connector):
    conversation = A.personal_conversation()
    calls = await brainstorm(bot, connector, conversation=conversation)
    await bot.idle()
    everything = [c.body for c in connector.calls if c.conversation_id == conversation["id"]]
    assert everything[0]["type"] == "typing"  # the indicator comes before any answer
    header = connector.posted(conversation["id"])[0].body
    assert header["textFormat"] == "markdown" and header["text"]
    assert header["channelData"] == {"feedbackLoopEnabled": True}
    assert is_ai_labelled(header)
    assert len(calls) == 5  # Settings.angles_per_answer
    for call in calls:
        (card,) = cards_of(call.body)
        assert card["version"] == "1.5" and card_errors(card) == []
        assert is_ai_labelled(call.body)
        kinds = {a["title"] for a in card["actions"]}
        assert len(kinds) == 5  # like, dislike, validate, challenge, refine
    # Angles are not repeated in the header text: the cards show them.
    first_title = cards_of(calls[0].body)[0]["body"][1]["text"]
    assert first_title not in header["text"]


async def test_http_response_does_not_wait_for_a_slow_llm(start_bot, connector):
    from tests.llm_fakes import EchoAnglesChatModel

    bot = await start_bot(chat_model=EchoAnglesChatModel(delay_s=1.5))
    conversation = A.personal_conversation()
    posted = await bot.post(A.personal_message(connector.url, BRIEF_EN, conversation=conversation))
    assert posted.status == 201
    assert posted.elapsed_s < 0.5
    started = time.monotonic()
    await connector.wait_for(lambda: angle_calls(connector, conversation["id"]), timeout=20)
    assert time.monotonic() - started > 1.0  # delivered later, proactively
    # The typing indicator showed while the model was still working, not after.
    typing = next(c for c in connector.calls if c.body["type"] == "typing")
    first_answer = connector.posted(conversation["id"])[0]
    assert first_answer.at - typing.at > 1.0


# -- channels ------------------------------------------------------------------------

async def test_channel_mention_is_answered_in_the_same_reply_chain(bot, connector):
    conversation = A.channel_conversation()
    posted = await bot.post(A.channel_message(connector.url, "help", conversation=conversation))
    assert posted.status == 201
    calls = await connector.wait_for(lambda: connector.posted(conversation["id"]))
    assert ";messageid=" in calls[0].conversation_id
    # The mention was removed: the engine read "help", not "Symbiose help" (an unknown command).
    assert calls[0].body["text"] == message_markdown(t("help", "en"))


async def test_channel_message_without_mention_is_ignored(bot, connector):
    conversation = A.channel_conversation()
    posted = await bot.post(A.channel_message(connector.url, "help", conversation=conversation,
                                              mention=False))
    assert posted.status == 201
    await bot.idle()
    await asyncio.sleep(0.2)
    assert connector.calls == []


# -- card actions -------------------------------------------------------------------

async def test_like_on_a_card_stores_feedback_and_updates_that_card(bot, connector):
    conversation = A.personal_conversation()
    calls = await brainstorm(bot, connector, conversation=conversation)
    await bot.idle()
    target = calls[1]
    card = cards_of(target.body)[0]
    data = action_data(card, "like")
    angle_id = data["symbiose"]["angle"]
    posted_before = len(connector.posted(conversation["id"]))

    submit = A.card_submit(connector.url, conversation=conversation,
                           reply_to_id=target.response_id, data=data)
    assert (await bot.post(submit)).status == 201
    update = await connector.wait_for(lambda: connector.updates())
    await bot.idle()

    assert [u.activity_id for u in update] == [target.response_id]
    new_card = cards_of(update[0].body)[0]
    assert new_card["body"][1]["text"] == card["body"][1]["text"]  # same angle, redrawn
    assert len(new_card["body"]) == len(card["body"]) + 1  # plus the status line
    assert len(connector.posted(conversation["id"])) == posted_before  # no duplicate message
    events = await feedback_events(bot, ALICE)
    assert [(e["a"], e["id"]) for e in events] == [("like", angle_id)]


async def test_refine_from_the_card_form_redraws_the_card_with_the_new_angle(bot, connector):
    conversation = A.personal_conversation()
    calls = await brainstorm(bot, connector, conversation=conversation)
    await bot.idle()
    target = calls[0]
    card = cards_of(target.body)[0]
    data = action_data(card, "refine")
    submit = A.card_submit(connector.url, conversation=conversation, reply_to_id=target.response_id,
                           data=data, inputs={"symbiose_refine": "shorter and funnier"})
    await bot.post(submit)
    (update,) = await connector.wait_for(lambda: connector.updates())
    new_card = cards_of(update.body)[0]
    assert new_card["body"][-1]["items"][0]["text"] == t("teams.status_refine", "en")
    new_like = action_data(new_card, "like")["symbiose"]["angle"]
    assert new_like != data["symbiose"]["angle"]  # a new angle, with its own id


async def test_action_on_an_angle_that_no_longer_exists_gets_a_clear_message(bot, connector):
    conversation = A.personal_conversation()
    data = {"symbiose": {"kind": "like", "angle": "long-gone-angle"}}
    await bot.post(A.card_submit(connector.url, conversation=conversation,
                                 reply_to_id="old-card", data=data))
    (call,) = await connector.wait_for(lambda: connector.posted(conversation["id"]))
    assert call.body["text"] == message_markdown(t("angle_gone", "en"))
    assert connector.updates() == []


async def test_builtin_feedback_thumbs_feed_the_preferences(bot, connector):
    conversation = A.personal_conversation()
    calls = await brainstorm(bot, connector, conversation=conversation)
    await bot.idle()
    header_id = connector.posted(conversation["id"])[0].response_id
    invoke = A.feedback_invoke(connector.url, conversation=conversation, reply_to_id=header_id,
                               reaction="dislike", text="too generic")
    posted = await bot.post(invoke)
    assert posted.status == 200

    async def answer_feedback() -> list[dict[str, str]]:
        return [e for e in await feedback_events(bot, ALICE) if e["a"] == "dislike-answer"]

    events = await eventually(answer_feedback)
    assert len(events) == len(calls)  # one lighter vote per angle of the answer
    assert all(e["x"] == "too generic" for e in events)


# -- glossary -------------------------------------------------------------------------

async def test_glossary_command_sends_a_glossary_card(bot, connector):
    conversation = A.personal_conversation()
    await bot.post(A.personal_message(connector.url, "glossary persona", conversation=conversation))
    calls = await connector.wait_for(lambda: connector.posted(conversation["id"]))
    card = cards_of(calls[0].body)[0]
    assert card["body"][0]["text"] == "Persona"
    assert card_errors(card) == []


async def test_glossary_answer_cites_its_entry_the_teams_way(bot, connector):
    conversation = A.personal_conversation()
    await bot.post(A.personal_message(connector.url, "glossaire persona", conversation=conversation,
                                      locale="fr-FR"))
    calls = await connector.wait_for(lambda: connector.posted(conversation["id"]))
    message = calls[0].body
    assert message["text"].endswith("[1]") and "Persona" in message["text"]
    [entity] = [e for e in message["entities"] if "citation" in e]
    assert entity["@type"] == "Message" and "additionalType" not in entity  # written by people
    [claim] = entity["citation"]
    assert claim["position"] == 1 and claim["@type"] == "Claim"
    look = claim["appearance"]
    assert look["name"] == "Glossaire Symbiose : Persona"
    assert look["abstract"] and len(look["abstract"]) <= 160
    # The pop-up shows the entry itself, as the card the message carries.
    assert json.loads(look["text"]) == cards_of(message)[0]
    assert citation_errors(message) == []


async def test_message_extension_search_returns_glossary_cards(bot, connector):
    posted = await bot.post(A.extension_query(connector.url, "persona"))
    assert posted.status == 200
    result = posted.body["composeExtension"]
    assert result["type"] == "result" and result["attachmentLayout"] == "list"
    assert result["attachments"], "expected at least one glossary card"
    first = result["attachments"][0]
    assert first["contentType"] == ADAPTIVE
    assert first["content"]["body"][0]["text"] == "Persona"
    assert first["preview"]["contentType"] == "application/vnd.microsoft.card.thumbnail"
    for attachment in result["attachments"]:
        assert card_errors(attachment["content"]) == []


# -- welcome ---------------------------------------------------------------------------

async def test_welcome_when_installed_in_the_users_language(bot, connector):
    fr = A.personal_conversation()
    en = A.personal_conversation()
    await bot.post(A.bot_added(connector.url, conversation=fr, locale="fr-FR"))
    await bot.post(A.bot_added(connector.url, conversation=en, locale="en-GB"))
    fr_calls = await connector.wait_for(lambda: connector.posted(fr["id"]))
    en_calls = await connector.wait_for(lambda: connector.posted(en["id"]))
    assert fr_calls[0].body["text"] == message_markdown(t("teams.welcome", "fr"))
    assert en_calls[0].body["text"] == message_markdown(t("teams.welcome", "en"))


async def test_welcome_in_a_team_goes_to_the_channel_in_the_default_language(bot, connector):
    channel = A.channel_conversation()
    channel["id"] = channel["id"].split(";")[0]  # the team's General channel, no reply chain
    await bot.post(A.bot_added(connector.url, conversation=channel, locale="de-DE"))
    (call,) = await connector.wait_for(lambda: connector.posted(channel["id"]))
    assert call.body["text"] == message_markdown(t("teams.welcome", "fr"))  # SYMBIOSE_LANG


async def test_no_welcome_when_someone_else_joins(bot, connector):
    conversation = A.channel_conversation()
    activity = A.bot_added(connector.url, conversation=conversation)
    activity["membersAdded"] = [{"id": "29:1new-colleague", "aadObjectId": "aad-new"}]
    assert (await bot.post(activity)).status in (200, 201)
    await bot.idle()
    assert connector.calls == []


# -- security and bad input ---------------------------------------------------------

async def test_with_an_app_id_a_request_without_token_is_refused(
    start_bot, connector, redis_client, key_prefix
):
    bot = await start_bot(microsoft_app_id="8d2b2d2e-0000-4000-8000-000000000001",
                          microsoft_app_password="not-a-real-secret")
    for headers in (None, {"Authorization": "Bearer not.a.token"}):
        posted = await bot.post(A.personal_message(connector.url, "help"), headers=headers)
        assert posted.status == 401
    await bot.idle()
    await asyncio.sleep(0.2)
    assert connector.calls == []
    # Nothing recorded.
    assert [k async for k in redis_client.scan_iter(match=f"{key_prefix}:*")] == []


async def test_malformed_bodies_get_400_and_the_bot_keeps_serving(bot, connector):
    for raw in (b"{not json", b"[1, 2, 3]", b'{"no": "type"}', b"\xff\xfe"):
        assert (await bot.post(raw)).status == 400
    assert (await bot.get("/healthz")).body == {"status": "ok"}
    conversation = A.personal_conversation()
    await bot.post(A.personal_message(connector.url, "help", conversation=conversation))
    assert await connector.wait_for(lambda: connector.posted(conversation["id"]))


async def test_unknown_activity_types_are_ignored(bot, connector):
    activity = A.personal_message(connector.url, "hello")
    activity["type"] = "somethingNew"
    posted = await bot.post(activity)
    assert posted.status in (200, 201)
    await bot.idle()
    assert connector.calls == []


async def test_redelivered_activity_is_answered_once_across_bot_instances(start_bot, connector):
    # Two bots with their own engines on one Redis (test_processes.py: two real processes).
    first, second = await start_bot(), await start_bot()
    conversation = A.personal_conversation()
    activity = A.personal_message(connector.url, "help", conversation=conversation)
    results = await asyncio.gather(
        first.post(activity), second.post(activity), first.post(activity)
    )
    assert all(r.status == 201 for r in results)
    await first.idle()
    await second.idle()
    await asyncio.sleep(0.2)
    assert len(connector.posted(conversation["id"])) == 1


async def test_user_text_is_rendered_without_markup_or_mentions(bot, connector):
    conversation = A.personal_conversation()
    # Teams sends what a user typed as text, with their literal "<" escaped as "&lt;".
    hostile = BRIEF_EN.replace(
        "Launch our new bottle",
        "&lt;at&gt;General&lt;/at&gt; &lt;img src=x onerror=alert(1)&gt; "
        "[win](javascript:alert(1)) "
        "{{DATE(2017-02-14T06:08:39Z, SHORT)}} launch our new bottle",
    )
    await bot.post(A.personal_message(connector.url, hostile, conversation=conversation))
    await bot.idle()
    posted = connector.posted(conversation["id"])
    assert angle_calls(connector, conversation["id"])
    assert "&lt;at&gt;General" in posted[0].body["text"]  # shown as typed, escaped once
    for call in posted:
        text = call.body.get("text") or ""
        assert "<at>" not in text and "<img" not in text and "](javascript" not in text
        shown = displayed_strings(cards_of(call.body))
        for s in shown:
            assert (
                "<at>" not in s
                and "<img" not in s
                and "{{DATE" not in s
                and "](javascript" not in s
            ), s
