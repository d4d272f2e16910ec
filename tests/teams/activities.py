"""Bot Framework activities as Teams sends them (shapes taken from real payloads)."""

from __future__ import annotations

import itertools
import json
import uuid
from typing import Any

BOT_ID = "28:symbiose-bot-id"
BOT_NAME = "Symbiose"
TENANT = "72f988bf-0000-0000-0000-tenant000001"
_ids = itertools.count(1_700_000_000_000)


def _base(service_url: str, conversation: dict[str, Any], *, user: str = "alice",
          locale: str = "en-US", type_: str = "message") -> dict[str, Any]:
    return {
        "type": type_,
        "id": str(next(_ids)),
        "timestamp": "2025-05-05T10:00:00.000Z",
        "localTimestamp": "2025-05-05T12:00:00.000+02:00",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": f"29:1{user}-teams-id", "name": user.title(), "aadObjectId": f"aad-{user}"},
        "conversation": conversation,
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "locale": locale,
        "entities": [{"type": "clientInfo", "locale": locale, "country": "FR",
                      "platform": "Web", "timezone": "Europe/Paris"}],
        "channelData": {"tenant": {"id": TENANT}},
    }


def personal_conversation(user: str = "alice") -> dict[str, Any]:
    return {"conversationType": "personal", "tenantId": TENANT,
            "id": f"a:1{user}-personal-{uuid.uuid4().hex[:8]}"}


def channel_conversation(root_id: str | None = None) -> dict[str, Any]:
    root = root_id or str(next(_ids))
    return {"isGroup": True, "conversationType": "channel", "tenantId": TENANT,
            "id": f"19:marketing{uuid.uuid4().hex[:6]}@thread.tacv2;messageid={root}"}


def group_conversation() -> dict[str, Any]:
    return {"isGroup": True, "conversationType": "groupChat", "tenantId": TENANT,
            "id": f"19:{uuid.uuid4().hex}@thread.v2"}


def _mention_bot(activity: dict[str, Any], text: str) -> None:
    tag = f"<at>{BOT_NAME}</at>"
    activity["text"] = f"{tag} {text}"
    activity["entities"].append({"type": "mention", "text": tag,
                                 "mentioned": {"id": BOT_ID, "name": BOT_NAME}})


def group_message(service_url: str, text: str, *, conversation: dict[str, Any],
                  user: str = "alice", locale: str = "en-US") -> dict[str, Any]:
    """A group chat message addressed to the bot (Teams delivers only those)."""
    activity = _base(service_url, conversation, user=user, locale=locale)
    _mention_bot(activity, text)
    activity["textFormat"] = "plain"
    return activity


def personal_message(service_url: str, text: str, *, conversation: dict[str, Any] | None = None,
                     user: str = "alice", locale: str = "en-US") -> dict[str, Any]:
    activity = _base(
        service_url, conversation or personal_conversation(user), user=user, locale=locale
    )
    activity |= {"text": text, "textFormat": "plain"}
    return activity


def channel_message(
    service_url: str,
    text: str,
    *,
    conversation: dict[str, Any] | None = None,
    mention: bool = True,
    user: str = "alice",
    locale: str = "en-US",
) -> dict[str, Any]:
    conversation = conversation or channel_conversation()
    activity = _base(service_url, conversation, user=user, locale=locale)
    channel = conversation["id"].split(";")[0]
    activity["channelData"] |= {"teamsChannelId": channel, "teamsTeamId": "19:team@thread.tacv2",
                                "channel": {"id": channel}, "team": {"id": "19:team@thread.tacv2"}}
    if mention:
        _mention_bot(activity, text)
    else:
        activity["text"] = text
    activity["textFormat"] = "plain"
    return activity


def card_submit(service_url: str, *, conversation: dict[str, Any], reply_to_id: str,
                data: dict[str, Any], inputs: dict[str, str] | None = None,
                user: str = "alice", locale: str = "en-US") -> dict[str, Any]:
    """What Teams posts when an Action.Submit is clicked: data merged with inputs."""
    activity = _base(service_url, conversation, user=user, locale=locale)
    activity |= {"replyToId": reply_to_id, "value": {**data, **(inputs or {})}}
    activity["channelData"] |= {"source": {"name": "message"},
                                "legacy": {"replyToId": reply_to_id}}
    return activity


def feedback_invoke(service_url: str, *, conversation: dict[str, Any], reply_to_id: str,
                    reaction: str, text: str = "", user: str = "alice") -> dict[str, Any]:
    activity = _base(service_url, conversation, user=user, type_="invoke")
    activity |= {
        "name": "message/submitAction",
        "replyToId": reply_to_id,
        "value": {"actionName": "feedback",
                  "actionValue": {"reaction": reaction,
                                  "feedback": json.dumps({"feedbackText": text})}},
    }
    return activity


def extension_query(service_url: str, query: str, *, user: str = "alice",
                    locale: str = "en-US") -> dict[str, Any]:
    activity = _base(
        service_url, personal_conversation(user), user=user, locale=locale, type_="invoke"
    )
    activity |= {
        "name": "composeExtension/query",
        "value": {"commandId": "searchGlossary",
                  "parameters": [{"name": "searchQuery", "value": query}],
                  "queryOptions": {"skip": 0, "count": 25}},
    }
    return activity


def bot_added(service_url: str, *, conversation: dict[str, Any] | None = None,
              locale: str = "fr-FR") -> dict[str, Any]:
    activity = _base(service_url, conversation or personal_conversation(), locale=locale,
                     type_="conversationUpdate")
    activity["membersAdded"] = [{"id": BOT_ID}]
    activity.pop("entities")
    return activity
