"""Shape checks for what reaches POST /slack/events, before Bolt sees it.

Once the signature is valid, Bolt and our listeners trust the payload's shape.
A signed but malformed body (a broken proxy, a hand-made request with the real
secret) would otherwise fail deep inside Bolt's middleware or a listener: a 500,
a stack trace in the log, or Web API calls made with garbage ids. Here such a
body is named and refused with a 400 instead, and nothing is dispatched.

Only the fields this app reads are checked; payload types it does not handle
pass through (Bolt answers them 404, "unhandled").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Event fields the listeners read; when present they must be strings.
_EVENT_STRINGS = ("type", "user", "channel", "channel_type", "text", "ts", "thread_ts",
                  "subtype", "bot_id", "tab", "team")
_COMMAND_STRINGS = ("command", "user_id", "channel_id", "response_url")


def problem(body: Any) -> str | None:
    """Why `body` is not a payload this app can handle, or None if it is fine."""
    if not isinstance(body, Mapping):
        return "not an object"
    if "command" in body:
        return _command(body)
    kind = body.get("type")
    if not isinstance(kind, str) or not kind:
        return "no payload type"
    check = _CHECKS.get(kind)
    return check(body) if check is not None else None


def _command(body: Mapping[str, Any]) -> str | None:
    for name in _COMMAND_STRINGS:
        if not _text(body.get(name)):
            return f"command without {name}"
    return None


def _url_verification(body: Mapping[str, Any]) -> str | None:
    return None if _text(body.get("challenge")) else "url_verification without challenge"


def _event_callback(body: Mapping[str, Any]) -> str | None:
    event = body.get("event")
    if not isinstance(event, Mapping) or not _text(event.get("type")):
        return "event_callback without an event"
    for name in _EVENT_STRINGS:
        if event.get(name) is not None and not isinstance(event[name], str):
            return f"event.{name} is not a string"
    return _optional_strings(body, ("event_id", "team_id"))


def _block_actions(body: Mapping[str, Any]) -> str | None:
    clicked = body.get("actions")
    if not isinstance(clicked, list) or not clicked:
        return "block_actions without actions"
    if not all(isinstance(a, Mapping) and _text(a.get("action_id")) for a in clicked):
        return "an action without action_id"
    if not all(isinstance(a.get("value"), str | None) for a in clicked):
        return "an action value is not a string"
    for name in ("user", "channel", "container", "message", "team"):
        part = body.get(name)
        if part is not None and not isinstance(part, Mapping):
            return f"{name} is not an object"
    if not _text((body.get("user") or {}).get("id")):
        return "block_actions without user.id"
    blocks = (body.get("message") or {}).get("blocks")
    if blocks is not None and not (
        isinstance(blocks, list) and all(isinstance(b, Mapping) for b in blocks)
    ):
        return "message.blocks is not a list of objects"
    return None


def _view(body: Mapping[str, Any]) -> str | None:
    view = body.get("view")
    if not isinstance(view, Mapping) or not _text(view.get("type")):
        return "view payload without a view type"
    if not _text(view.get("callback_id")) and view.get("callback_id") is not None:
        return "view.callback_id is not a string"
    user = body.get("user")
    if not isinstance(user, Mapping) or not _text(user.get("id")):
        return "view payload without user.id"
    state = view.get("state")
    if state is not None and not isinstance(state, Mapping):
        return "view.state is not an object"
    return None


def _optional_strings(body: Mapping[str, Any], names: tuple[str, ...]) -> str | None:
    for name in names:
        if body.get(name) is not None and not isinstance(body[name], str):
            return f"{name} is not a string"
    return None


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


_CHECKS = {
    "url_verification": _url_verification,
    "event_callback": _event_callback,
    "block_actions": _block_actions,
    "view_submission": _view,
    "view_closed": _view,
}
