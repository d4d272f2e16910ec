"""Slack payloads -> the engine's neutral ids and text.

Ids follow docs/ARCHITECTURE.md: user "slack:<team>:<user>", conversation
"<team>:<channel>:<thread_ts or ts>" in channels and "<team>:<channel>" for a
direct message outside a thread (a DM is one long conversation).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_SLACK_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def user_id(team: str, user: str) -> str:
    return f"slack:{team}:{user}"


def is_dm(channel: str, channel_type: str | None = None) -> bool:
    return channel_type == "im" or (channel_type is None and channel.startswith("D"))


def conversation_id(
    team: str, channel: str, thread_ts: str | None, ts: str | None, *, dm: bool
) -> str:
    if dm and not thread_ts:
        return f"{team}:{channel}"
    return f"{team}:{channel}:{thread_ts or ts}"


def reply_thread(event: Mapping[str, Any], *, dm: bool) -> str | None:
    """Where to answer: the message's thread in channels (starting one on the
    message itself); in a DM, the thread only if the user wrote in one."""
    if dm:
        return event.get("thread_ts")
    return event.get("thread_ts") or event.get("ts")


def plain_text(text: str, bot_user_id: str | None) -> str:
    """Slack message text as a person reads it: the bot's own mention removed,
    other mentions and links turned into plain words, entities decoded.
    (Whatever comes back out is escaped again by the renderer.)"""

    def readable(m: re.Match[str]) -> str:
        target, label = m.group(1), m.group(2)
        if bot_user_id and target == f"@{bot_user_id}":
            return ""
        if label:
            return label if target.startswith(("@", "#", "!")) else f"{label} ({target})"
        if target.startswith("!"):
            return "@" + target[1:].split("^")[0]
        return target

    text = _SLACK_LINK.sub(readable, text or "")
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"[ \t]+", " ", text).strip()


def team_of(body: Mapping[str, Any]) -> str:
    """The workspace id, wherever this kind of payload keeps it."""
    team = body.get("team_id") or body.get("team") or (body.get("user") or {}).get("team_id")
    if isinstance(team, Mapping):
        team = team.get("id")
    return str(team or "T0")


def delivery_ids(body: Mapping[str, Any], event: Mapping[str, Any], team: str) -> tuple[str, ...]:
    """What makes a delivery the same one: a retry has the same event_id; a mention
    in a DM arrives both as app_mention and as message, with the same ts."""
    ids = [f"ev:{body.get('event_id') or event.get('ts')}"]
    if event.get("ts"):
        ids.append(f"ts:{team}:{event.get('channel')}:{event.get('ts')}")
    return tuple(ids)


def enterprise_of(body: Mapping[str, Any]) -> str | None:
    """The Enterprise Grid org id, wherever this kind of payload keeps it (None outside Grid)."""
    found: Any = body.get("enterprise_id") or body.get("enterprise")
    if isinstance(found, Mapping):
        found = found.get("id")
    team = body.get("team")
    if not found and isinstance(team, Mapping):
        found = team.get("enterprise_id")
    if not found:
        for auth in body.get("authorizations") or []:
            if isinstance(auth, Mapping) and auth.get("enterprise_id"):
                found = auth.get("enterprise_id")
                break
    return str(found) if found else None


def org_of(body: Mapping[str, Any]) -> str:
    """Whose ids these are: the Enterprise Grid org (user and channel ids are unique
    across its workspaces, so a user's data follows them), else the workspace."""
    return enterprise_of(body) or team_of(body)


def place_extras(body: Mapping[str, Any], channel: str, *, dm: bool,
                 user_name: str = "") -> dict[str, Any]:
    """The neutral extras the engine reads to know where a message was said
    (bot.kernel.place.Place), plus the Slack ids the adapter itself needs."""
    team = team_of(body)
    enterprise = enterprise_of(body)
    extras: dict[str, Any] = {"team": team, "org": enterprise or team, "channel": channel,
                              "dm": dm}
    if enterprise:
        extras["workspace"] = team
    if user_name:
        extras["user_name"] = user_name
    return extras
