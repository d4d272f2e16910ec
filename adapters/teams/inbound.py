"""A Teams activity -> the neutral `Message` the engine reads."""

from __future__ import annotations

import html
import re
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from adapters.teams import actions
from bot.kernel.messages import Action, Lang, Message

PLATFORM = "teams"
# Proactive turns know the user's language only from the message: the error hook reads it here.
LANG_STATE_KEY = "symbiose.lang"
_AT_TAG = re.compile(r"</?at>", re.IGNORECASE)
# Teams sends a few HTML leftovers in text (e.g. pasted content); the engine wants words.
_TAGS = re.compile(r"<[^>]{1,200}>")
_BREAKS = re.compile(r"<br\s*/?>|</p>|</div>", re.IGNORECASE)


def locale_lang(locale: str | None) -> Lang | None:
    """'fr-FR' -> 'fr', 'en-US' -> 'en', anything else -> None (the engine decides)."""
    code = (locale or "").strip().lower()[:2]
    return code if code in ("fr", "en") else None  # type: ignore[return-value]


def tenant_id(activity: Activity) -> str:
    conversation = activity.conversation
    if conversation is not None and conversation.tenant_id:
        return str(conversation.tenant_id)
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    raw_tenant = data.get("tenant")
    tenant = raw_tenant if isinstance(raw_tenant, dict) else {}
    return str(tenant.get("id") or "_")


def user_id(activity: Activity) -> str:
    sender = activity.from_property
    who = (sender.aad_object_id or sender.id) if sender is not None else None
    return f"{PLATFORM}:{tenant_id(activity)}:{who or '_'}"


def conversation_type(activity: Activity) -> str:
    """'personal', 'groupChat' or 'channel' (Teams sets it on every activity)."""
    return (
        activity.conversation.conversation_type if activity.conversation else None
    ) or "personal"


def _mentioned_id(entity: object) -> str | None:
    extra = getattr(entity, "additional_properties", None) or {}
    mentioned = extra.get("mentioned")
    return mentioned.get("id") if isinstance(mentioned, dict) else None


def mentions_bot(activity: Activity) -> bool:
    bot_id = activity.recipient.id if activity.recipient else None
    return bool(bot_id) and any(
        _mentioned_id(m) == bot_id for m in TurnContext.get_mentions(activity)
    )


def event_id(activity: Activity) -> str:
    # Teams message ids are unique within a conversation, not across all of them.
    return f"{activity.conversation.id if activity.conversation else ''}|{activity.id or ''}"


def message_text(activity: Activity) -> str:
    """The text a person typed, without the bot's @mention or other mention markup."""
    if activity.text and mentions_bot(activity):
        try:
            TurnContext.remove_recipient_mention(activity)
        except (KeyError, TypeError, AttributeError):
            pass  # a malformed mention entity: keep the text, drop the tags below
    text = activity.text or ""
    text = _AT_TAG.sub("", text)  # other people's mentions keep their name
    text = _BREAKS.sub("\n", text)
    text = html.unescape(_TAGS.sub(" ", text))
    # Lines matter ("Brand: ..." one per line); spaces within a line do not.
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def card_action(activity: Activity) -> Action | None:
    return actions.decode(activity.value)


def place(activity: Activity) -> dict[str, object]:
    """Where the activity was said, as the engine's neutral extras: the tenant, and
    the channel (a Teams channel, whatever the reply chain, or a group chat) unless
    it is a personal chat."""
    kind = conversation_type(activity)
    conversation_id = activity.conversation.id if activity.conversation else ""
    data: dict[str, Any] = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    channel_info: dict[str, Any] = data.get("channel") or {}
    team_info: dict[str, Any] = data.get("team") or {}
    if not isinstance(channel_info, dict) or not isinstance(team_info, dict):
        channel_info, team_info = {}, {}
    channel = (channel_info.get("id") if kind == "channel" else None) \
        or conversation_id.split(";messageid=")[0]
    label = channel_info.get("name") or (activity.conversation.name
                                         if activity.conversation else None) or ""
    if label and team_info.get("name"):
        label = f"{team_info['name']} › {label}"
    sender = activity.from_property
    return {"org": tenant_id(activity), "channel": channel, "dm": kind == "personal",
            "channel_label": str(label)[:80],
            "user_name": str((sender.name if sender is not None else "") or "")[:80]}


def to_message(activity: Activity, *, text: str, action: Action | None = None) -> Message:
    conversation_id = activity.conversation.id if activity.conversation else ""
    return Message(
        text=text,
        user_id=user_id(activity),
        conversation_id=conversation_id,
        platform=PLATFORM,
        lang=locale_lang(activity.locale),
        action=action,
        extras={
            **place(activity),
            "activity_id": activity.id,
            "conversation_type": conversation_type(activity),
            "reply_to_id": activity.reply_to_id,
        },
        delivery_ids=(event_id(activity),),
    )
