"""Adaptive Card `Action.Submit` data <-> engine `Action`s.

Teams posts a submitted card back as a message activity whose `value` is the
action's `data` merged with the card's inputs. Our data is one small object
under the key "symbiose" (an angle id or a short quick-reply text, never
content: a card's action data stays a few dozen bytes whatever the angle
holds, and nothing displayed is ever read back from a click); the refine
instruction comes from the card's text input. Teams' own
feedback buttons arrive as a `message/submitAction` invoke (`feedback_action`).
Anything we did not issue decodes to None and is ignored.
"""

from __future__ import annotations

import json
from typing import Any, get_args

from bot.kernel.messages import Action, ActionKind

KEY = "symbiose"
REFINE_INPUT_ID = "symbiose_refine"
MAX_VALUE = 2000

ANGLE_KINDS: frozenset[str] = frozenset({"like", "dislike", "validate", "refine", "challenge"})
_KINDS: frozenset[str] = frozenset(get_args(ActionKind))


def encode(action: Action) -> dict[str, Any]:
    """The `data` of the Action.Submit that sends `action` back: ids only (the
    card is redrawn from the engine's reply, `Reply.about`)."""
    if action.kind not in _KINDS:
        raise ValueError(f"unknown action kind {action.kind!r}")
    inner: dict[str, str] = {"kind": action.kind}
    if action.angle_id:
        inner["angle"] = action.angle_id
    if action.value:
        if len(action.value) > MAX_VALUE:
            raise ValueError("card actions carry ids or short texts, not content")
        inner["value"] = action.value
    return {KEY: inner}


def decode(value: Any) -> Action | None:
    """The engine Action behind a submitted card `value`, or None if not one of ours."""
    if not isinstance(value, dict) or not isinstance(value.get(KEY), dict):
        return None
    inner = value[KEY]
    kind = inner.get("kind")
    if kind not in _KINDS:
        return None
    angle = _short(inner.get("angle"))
    if kind in ANGLE_KINDS:
        if not angle:
            return None
        instruction = _short(value.get(REFINE_INPUT_ID)) if kind == "refine" else None
        return Action(kind=kind, angle_id=angle, value=instruction or None)
    if kind == "say":
        text = _short(inner.get("value"))
        return Action(kind="say", value=text) if text else None
    return Action(kind=kind)


def feedback_action(value: Any) -> Action | None:
    """Teams' thumbs: {"actionName": "feedback", "actionValue": {"reaction": "like",
    "feedback": "{\\"feedbackText\\": \\"...\\"}"}} -> feedback on the whole latest answer."""
    if not isinstance(value, dict) or value.get("actionName") != "feedback":
        return None
    inner = value.get("actionValue")
    if not isinstance(inner, dict) or inner.get("reaction") not in ("like", "dislike"):
        return None
    comment = ""
    raw = inner.get("feedback")
    try:
        parsed = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        parsed = {"feedbackText": raw}
    if isinstance(parsed, dict) and isinstance(parsed.get("feedbackText"), str):
        comment = parsed["feedbackText"].strip()[:MAX_VALUE]
    return Action(kind=inner["reaction"], angle_id=None, value=comment or None)


def _short(raw: Any) -> str | None:
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    return raw[:MAX_VALUE] if raw else None
