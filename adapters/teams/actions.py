"""Adaptive Card `Action.Submit` data <-> engine `Action`s.

Teams posts a submitted card back as a message activity whose `value` is the
action's `data` merged with the card's inputs. Our data is one small object
under the key "symbiose" (an angle id or a short quick-reply text, never
content); the refine instruction comes from the card's text input. Teams' own
feedback buttons arrive as a `message/submitAction` invoke (`feedback_action`).
Anything we did not issue decodes to None and is ignored.
"""

from __future__ import annotations

import json
from typing import Any, get_args

from bot.kernel.messages import Action, ActionKind, Angle

KEY = "symbiose"
SNAPSHOT_KEY = "symbiose_card"
REFINE_INPUT_ID = "symbiose_refine"
MAX_VALUE = 2000
_SNAPSHOT_FIELDS = ("n", "id", "strategy", "strategy_name", "title", "hook", "rationale",
                    "channel", "to_validate", "why")
# `why` picks one of our texts: anything else a client sends back is dropped.
_WHY = frozenset({"", "taste", "team", "explore"})

ANGLE_KINDS: frozenset[str] = frozenset({"like", "dislike", "validate", "refine", "challenge"})
_KINDS: frozenset[str] = frozenset(get_args(ActionKind))


def encode(action: Action, *, card: Angle | None = None) -> dict[str, Any]:
    """The `data` of the Action.Submit that sends `action` back.

    `card`: the angle the card shows. Teams does not send a card's content back
    with a click, and the card must be redrawn in place with the result; the
    engine only ever receives the angle id, the snapshot is used for display.
    """
    if action.kind not in _KINDS:
        raise ValueError(f"unknown action kind {action.kind!r}")
    inner: dict[str, str] = {"kind": action.kind}
    if action.angle_id:
        inner["angle"] = action.angle_id
    if action.value:
        if len(action.value) > MAX_VALUE:
            raise ValueError("card actions carry ids or short texts, not content")
        inner["value"] = action.value
    data: dict[str, Any] = {KEY: inner}
    if card is not None:
        data[SNAPSHOT_KEY] = {k: getattr(card, k) for k in _SNAPSHOT_FIELDS}
    return data


def card_snapshot(value: Any) -> Angle | None:
    """The angle a clicked card was showing (display only), or None."""
    raw = value.get(SNAPSHOT_KEY) if isinstance(value, dict) else None
    if not isinstance(raw, dict):
        return None
    try:
        angle = Angle.from_dict({k: raw[k] for k in _SNAPSHOT_FIELDS if k in raw})
    except TypeError:  # a required field is missing
        return None
    texts = (angle.id, angle.strategy, angle.strategy_name, angle.title, angle.hook,
             angle.rationale, angle.channel)
    if not isinstance(angle.n, int) or not all(isinstance(x, str) for x in texts):
        return None
    if not isinstance(angle.to_validate, list) or not all(
        isinstance(x, str) for x in angle.to_validate
    ):
        return None
    if not isinstance(angle.why, str) or angle.why not in _WHY:
        angle.why = ""
    return angle


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
