"""Edits of a message already in Slack, after a click: the blocks come back in
the action payload, and we add a line saying what was recorded (so the click is
visible to everyone in the thread, and no second message is posted)."""

from __future__ import annotations

from typing import Any

from adapters.slack import blocks

Blocks = list[dict[str, Any]]


def _context(block_id: str, mrkdwn_text: str) -> dict[str, Any]:
    return blocks.context(mrkdwn_text[:3000], block_id=block_id)


def mark_angle(blocks: Blocks, n: int | None, mrkdwn_text: str) -> Blocks:
    """Put `mrkdwn_text` right under angle `n`'s buttons (replacing an earlier mark)."""
    out = [b for b in blocks if b.get("block_id") != f"fb.{n}"]
    line = _context(f"fb.{n}", mrkdwn_text)
    for i, block in enumerate(out):
        if block.get("block_id") == f"acts.{n}":
            return [*out[: i + 1], line, *out[i + 1 :]][:50]
    return [*out, line][:50]


def mark_choice(blocks: Blocks, block_id_prefix: str, mrkdwn_text: str) -> Blocks:
    """Replace the button rows `block_id_prefix`[.k] by a line naming the choice,
    so a quick reply cannot be clicked twice."""
    out: Blocks = []
    placed = False
    for block in blocks:
        block_id = str(block.get("block_id") or "")
        if block_id == block_id_prefix or block_id.startswith(block_id_prefix + "."):
            if not placed:
                out.append(_context(f"chosen-{block_id_prefix}", mrkdwn_text))
                placed = True
            continue
        out.append(block)
    return out if placed else [*out, _context(f"chosen-{block_id_prefix}", mrkdwn_text)][:50]
