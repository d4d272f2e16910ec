"""Block Kit elements as plain dicts, the JSON Slack reads.

slack_sdk's model classes (`SectionBlock(...).to_dict()`) check every field on
every call: under a burst that was 16 % of the process's CPU, about a
millisecond per answer. These builders write the same dicts directly; the
limits are kept by the callers (render.py cuts and clips), and
`tests/slack/test_blocks_valid.py` parses everything the renderer produces back
into slack_sdk's models, validates it there and checks the round trip, over
many answers (long texts, 10 angles, emoji, French and English).
"""

from __future__ import annotations

from typing import Any

Block = dict[str, Any]


def md(mrkdwn_text: str) -> Block:
    """A mrkdwn text object; `verbatim` so Slack never auto-links mentions or channels."""
    return {"type": "mrkdwn", "text": mrkdwn_text, "verbatim": True}


def plain_text(text: str) -> Block:
    return {"type": "plain_text", "text": text, "emoji": True}


def section(mrkdwn_text: str, *, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": md(mrkdwn_text)}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def actions(elements: list[Block], *, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": elements}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def context(mrkdwn_text: str, *, block_id: str | None = None) -> Block:
    block: Block = {"type": "context", "elements": [md(mrkdwn_text)]}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def header(text: str) -> Block:
    return {"type": "header", "text": plain_text(text)}


DIVIDER: Block = {"type": "divider"}


def divider() -> Block:
    return dict(DIVIDER)


def button(text: str, *, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {"type": "button", "text": plain_text(text), "action_id": action_id,
                      "value": value}
    if style is not None:
        element["style"] = style
    return element


def feedback_buttons(*, block_id: str, action_id: str, positive: tuple[str, str, str],
                     negative: tuple[str, str, str]) -> Block:
    """Slack's message-level thumbs: each button is (icon, value, accessibility label)."""
    def thumb(icon: str, value: str, label: str) -> Block:
        return {"text": plain_text(icon), "value": value, "accessibility_label": label}

    return {"type": "context_actions", "block_id": block_id, "elements": [{
        "type": "feedback_buttons", "action_id": action_id,
        "positive_button": thumb(*positive), "negative_button": thumb(*negative),
    }]}
