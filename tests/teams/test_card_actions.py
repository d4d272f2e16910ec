"""Every angle card action: recorded, that card redrawn in place, no duplicate
message, and the next answers shaped by it. Real server, mock Bot Connector,
real Redis."""

from __future__ import annotations

import pytest

from adapters.teams.safe_text import message_markdown
from bot.kernel.i18n import t
from tests.teams import activities as A
from tests.teams.helpers import (
    ALICE,
    action_data,
    angle_calls,
    brainstorm,
    cards_of,
    feedback_events,
)


def status_line(card: dict) -> str:
    return card["body"][-1]["items"][0]["text"]


@pytest.mark.parametrize(
    ("kind", "new_messages"),
    [("like", 0), ("dislike", 0), ("validate", 0),
     ("challenge", 1)],  # the critique is new content: it goes below, once
)
async def test_an_angle_action_redraws_that_card_and_is_recorded(
    kind, new_messages, bot, connector
):
    conversation = A.personal_conversation()
    calls = await brainstorm(bot, connector, conversation=conversation)
    target = calls[2]
    card = cards_of(target.body)[0]
    data = action_data(card, kind)
    before = len(connector.posted(conversation["id"]))

    await bot.post(A.card_submit(connector.url, conversation=conversation,
                                 reply_to_id=target.response_id, data=data))
    await connector.wait_for(lambda: connector.updates())
    await bot.idle()

    (update,) = connector.updates()
    assert update.activity_id == target.response_id
    new_card = cards_of(update.body)[0]
    assert new_card["body"][1]["text"] == card["body"][1]["text"]  # the same angle
    assert status_line(new_card)  # with what happened to it
    assert len(connector.posted(conversation["id"])) == before + new_messages
    events = await feedback_events(bot, ALICE)
    assert [(e["a"], e["id"]) for e in events] == [(kind, data["symbiose"]["angle"])]


async def test_validated_angles_make_the_shortlist_and_likes_shape_the_next_answer(
    bot, connector
):
    conversation = A.personal_conversation()
    calls = await brainstorm(bot, connector, conversation=conversation)
    liked = action_data(cards_of(calls[0].body)[0], "like")
    validated = action_data(cards_of(calls[1].body)[0], "validate")
    for call, data in ((calls[0], liked), (calls[1], validated)):
        await bot.post(A.card_submit(connector.url, conversation=conversation,
                                     reply_to_id=call.response_id, data=data))
        await bot.idle()
    profile = await bot.engine.profile(ALICE, "en")
    assert [a.id for a in profile.shortlist] == [validated["symbiose"]["angle"]]
    favoured = {name for _strategy, name, _score in profile.top_strategies[:2]}
    # Card actions carry ids only: the strategies are read from the cards' labels.
    shown = {cards_of(call.body)[0]["body"][0]["text"].split(" · ", 1)[1] for call in calls[:2]}
    assert favoured == shown


async def test_a_disliked_angle_is_not_proposed_again(bot, connector):
    conversation = A.personal_conversation()
    calls = await brainstorm(bot, connector, conversation=conversation)
    rejected = []
    for call in calls:
        data = action_data(cards_of(call.body)[0], "dislike")
        rejected.append(data["symbiose"]["angle"])
        await bot.post(A.card_submit(connector.url, conversation=conversation,
                                     reply_to_id=call.response_id, data=data))
        await bot.idle()
    await bot.post(A.personal_message(connector.url, "more", conversation=conversation))
    await bot.idle()
    fresh = angle_calls(connector, conversation["id"])[len(calls):]
    assert fresh
    shown = {action_data(cards_of(c.body)[0], "like")["symbiose"]["angle"] for c in fresh}
    assert shown.isdisjoint(rejected)


async def test_a_click_on_a_card_forwarded_to_another_chat_gets_a_clear_message(
    bot, connector
):
    conversation = A.personal_conversation()
    calls = await brainstorm(bot, connector, conversation=conversation)
    # Teams lets people forward a message, card included: there, its angle is unknown.
    elsewhere = A.personal_conversation()
    data = action_data(cards_of(calls[0].body)[0], "like")
    await bot.post(A.card_submit(connector.url, conversation=elsewhere,
                                 reply_to_id="forwarded-card", data=data))
    await bot.idle()
    (answer,) = connector.posted(elsewhere["id"])
    assert answer.body["text"] == message_markdown(t("angle_gone", "en"))
    assert connector.updates() == []  # the card keeps what it showed
    assert await feedback_events(bot, ALICE) == []


async def test_after_forget_me_the_old_cards_record_nothing(bot, connector):
    """The angles came from the user's brief: "forget me" erases them too, so a
    click on an old card gets the clear "no longer available" message."""
    conversation = A.personal_conversation()
    calls = await brainstorm(bot, connector, conversation=conversation)
    data = action_data(cards_of(calls[0].body)[0], "like")
    await bot.post(A.card_submit(connector.url, conversation=conversation,
                                 reply_to_id=calls[0].response_id, data=data))
    await bot.idle()
    for text in ("forget me", "yes"):
        await bot.post(A.personal_message(connector.url, text, conversation=conversation))
        await bot.idle()
    assert await feedback_events(bot, ALICE) == []
    await bot.post(A.card_submit(connector.url, conversation=conversation,
                                 reply_to_id=calls[0].response_id, data=data))
    await bot.idle()
    assert connector.posted(conversation["id"])[-1].body["text"] == message_markdown(
        t("angle_gone", "en"))
    assert len(connector.updates()) == 1  # only the first, recorded click redrew the card
    assert await feedback_events(bot, ALICE) == []
