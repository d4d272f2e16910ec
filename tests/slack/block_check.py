"""Block Kit as Slack would take it, checked off the hot path.

The renderer writes plain dicts (adapters.slack.blocks); here each block is
parsed back into slack_sdk's model classes, validated against their limits
(`validate_json`: section text <= 3,000, button text <= 75, value <= 2,000,
ids <= 255, ...) and turned back into a dict, which must equal the original:
a key slack_sdk does not know, or a value it would write differently, shows
up as a difference. The mock Slack API runs this on every message it receives.
"""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

BLOCKS_MAX = 50  # per message (a modal or App Home view: 100)
TEXT_MAX = 40_000  # chat.postMessage truncates the notification text beyond


def block_errors(blocks: Any, *, limit: int = BLOCKS_MAX) -> list[str]:
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if not isinstance(blocks, list):
        return [f"blocks is a {type(blocks).__name__}, not a list"]
    errors = [f"{len(blocks)} blocks, more than {limit}"] if len(blocks) > limit else []
    for i, block in enumerate(blocks):
        try:
            model = Block.parse(block)
            if model is None:
                errors.append(f"{i}: not a block: {block!r:.200}")
                continue
            model.validate_json()
            again = model.to_dict()  # validates the elements inside too
        except (SlackObjectFormationError, KeyError, TypeError, ValueError) as exc:
            errors.append(f"{i}: {exc}")
            continue
        if again != block:
            errors.append(f"{i}: slack_sdk reads it differently: {block!r:.300}")
    return errors


def message_errors(args: dict[str, Any]) -> list[str]:
    """A chat.postMessage / chat.update / chat.postEphemeral / response_url payload."""
    errors = []
    if "blocks" in args and args["blocks"] is not None:
        errors += block_errors(args["blocks"])
    if len(str(args.get("text") or "")) > TEXT_MAX:
        errors.append(f"text of {len(str(args['text']))} characters")
    view = args.get("view")
    if isinstance(view, str):
        view = json.loads(view)
    if isinstance(view, dict):
        errors += block_errors(view.get("blocks") or [], limit=100)
    return errors
