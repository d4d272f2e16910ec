"""The fast activity serializer gives exactly what msrest's `serialize()` gives."""

from __future__ import annotations

import datetime
import json

import pytest
from botbuilder.core import CardFactory, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationAccount,
    Mention,
    ThumbnailCard,
)

from adapters.teams import render
from adapters.teams.wire import CardAttachment, activity_json
from bot.kernel.messages import Angle, GlossaryCard, QuickReply, Reply

ANGLE = Angle(
    n=1,
    id="a-1",
    strategy="humour",
    title="Title <at>x</at>",
    hook="Hook {{DATE(1)}}",
    rationale="Because",
    channel="LinkedIn",
    to_validate=["a figure"],
    strategy_name="Humour",
)
ENTRY = GlossaryCard(term="Persona", definition="A fictional customer.", category="Strategy",
                     in_practice="Name them.", faq=[{"q": "Why?", "a": "Focus."}], related=["ICP"])


def incoming() -> Activity:
    return Activity().deserialize({
        "type": "message", "id": "1700000000001", "serviceUrl": "https://smba.example/emea/",
        "channelId": "msteams", "timestamp": "2025-05-05T10:00:00.000Z",
        "from": {"id": "29:alice", "name": "Alice", "aadObjectId": "aad-alice"},
        "recipient": {"id": "28:bot", "name": "Symbiose"},
        "conversation": {"id": "19:x@thread.tacv2;messageid=17", "conversationType": "channel",
                         "tenantId": "t-1"},
        "locale": "fr-FR", "text": "hi",
    })


def as_sent(activity: Activity) -> Activity:
    """What the adapter receives: the conversation reference applied, as TurnContext does."""
    reference = TurnContext.get_conversation_reference(incoming())
    return TurnContext.apply_conversation_reference(activity, reference)


def sent_by_the_bot() -> list[Activity]:
    reply = Reply(kind="angles", text="Intro", lang="en", angles=[ANGLE],
                  quick_replies=[QuickReply(label="More", value="more")])
    glossary = Reply(kind="glossary", text="", lang="fr", glossary=ENTRY,
                     quick_replies=[QuickReply(label="Aide", value="aide")])
    update = render.angle_activity(ANGLE, "en", status="👍 **Noted**")
    update.id = "bot-activity-3"
    return [*render.reply_activities(reply), *render.reply_activities(glossary), update,
            render.text_activity("Bonjour"), render.typing_activity()]


@pytest.mark.parametrize("activity", sent_by_the_bot(), ids=lambda a: f"{a.type}")
def test_same_json_as_msrest_for_what_the_bot_sends(activity: Activity) -> None:
    activity = as_sent(activity)
    fast = activity_json(activity)
    assert fast == activity.serialize()
    assert json.dumps(fast)  # and it is JSON
    assert fast["conversation"]["id"] == "19:x@thread.tacv2;messageid=17"
    assert fast["from"]["id"] == "28:bot" and fast["recipient"]["id"] == "29:alice"


def test_same_json_for_sdk_models_dates_enums_and_odd_values() -> None:
    activity = as_sent(
        Activity(
            type=ActivityTypes.message,  # an enum where a str is expected
            timestamp=datetime.datetime(2025, 5, 5, 10, 0, tzinfo=datetime.UTC),
            attachments=[CardFactory.thumbnail_card(ThumbnailCard(title="T", text="x"))],  # a model
            entities=[
                Mention(
                    mentioned=ChannelAccount(id="29:bob", name="Bob"),
                    text="<at>Bob</at>",
                    type="mention",
                )
            ],
            channel_data={
                "tuple": (1, 2),
                "nested": [{"when": datetime.date(2025, 1, 2)}],
                "none": None,
            },
            recipient=ChannelAccount(id="29:alice"),
            conversation=ConversationAccount(id="a:1", is_group=False),
        )
    )
    assert activity_json(activity) == activity.serialize()


def test_the_callers_activity_is_left_untouched() -> None:
    """Any model's JSON is a copy; only our own cards (`CardAttachment`, plain JSON by
    construction, never changed after they are built) go out as they are."""
    card = render.angle_activity(ANGLE, "en").attachments[0].content
    activity = as_sent(Activity(type="message", attachments=[CardFactory.adaptive_card(card)]))
    before = json.dumps(card, sort_keys=True)
    body = activity_json(activity)
    body["attachments"][0]["content"]["body"].clear()
    assert json.dumps(card, sort_keys=True) == before


def test_our_cards_go_out_without_being_walked() -> None:
    activity = as_sent(render.angle_activity(ANGLE, "en"))
    assert isinstance(activity.attachments[0], CardAttachment)
    body = activity_json(activity)
    assert body["attachments"][0]["content"] is activity.attachments[0].content
    assert body == activity.serialize()
