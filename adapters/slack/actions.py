"""Button ids and values <-> engine `Action`s.

`action_id` = "sym.<kind>.<n>" (the number keeps ids unique within a message, as
Slack requires); `value` carries an angle id or a short quick-reply text, never
long content. Anything we did not issue decodes to None and is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

from bot.kernel.messages import Action, ActionKind

PREFIX = "sym."
# Bolt listener pattern for every button this app issues.
ACTION_ID_PATTERN = re.compile(r"^sym\.[a-z_]+\.\d+$")
MAX_VALUE = 2000  # Slack's limit for a button value

# Slack-only actions that never reach the engine as such ("feedback": the message's
# own thumbs, whose value says which one was clicked).
LocalKind = Literal["gloss_share", "gloss_pick", "feedback"]
FEEDBACK_VALUES = frozenset({"like", "dislike"})
ANGLE_KINDS: frozenset[str] = frozenset({"like", "dislike", "validate", "refine", "challenge"})
_ENGINE_KINDS: frozenset[str] = frozenset(get_args(ActionKind))
_LOCAL_KINDS: frozenset[str] = frozenset(get_args(LocalKind))


@dataclass(frozen=True, slots=True)
class Clicked:
    """A decoded click: either an engine Action or a Slack-local one (glossary sharing)."""

    action: Action | None = None
    local: LocalKind | None = None
    value: str = ""
    n: int = 0  # the angle number (or button index) from the action id


def action_id(kind: str, n: int) -> str:
    if kind not in _ENGINE_KINDS and kind not in _LOCAL_KINDS:
        raise ValueError(f"unknown action kind {kind!r}")
    return f"{PREFIX}{kind}.{n}"


def button_value(value: str) -> str:
    if len(value) > MAX_VALUE:
        raise ValueError("button values carry ids or short texts, not content")
    return value


def decode(raw_action_id: str, value: str | None) -> Clicked | None:
    """The click behind a Slack `actions[]` entry, or None if it is not one of ours."""
    if not ACTION_ID_PATTERN.match(raw_action_id or ""):
        return None
    _, kind, number = raw_action_id.split(".")
    n = int(number)
    value = (value or "").strip()
    if kind == "feedback":
        # Feedback on the whole answer: the engine's like / dislike without an angle.
        if value not in FEEDBACK_VALUES:
            return None
        return Clicked(action=Action(kind=value), n=n)  # type: ignore[arg-type]
    if kind in _LOCAL_KINDS:
        return Clicked(local=kind, value=value, n=n) if value else None  # type: ignore[arg-type]
    if kind not in _ENGINE_KINDS:
        return None
    if kind in ANGLE_KINDS:
        if not value:
            return None
        return Clicked(action=Action(kind=kind, angle_id=value), n=n)  # type: ignore[arg-type]
    if kind == "say":
        return Clicked(action=Action(kind="say", value=value), n=n) if value else None
    return Clicked(action=Action(kind=kind), n=n)  # type: ignore[arg-type]
