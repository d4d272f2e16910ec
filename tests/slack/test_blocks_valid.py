"""Everything the Block Kit renderer produces is Block Kit as slack_sdk's model
classes validate it (tests.slack.block_check), over many answers: the real
engine's in French and English and the extremes (long texts, 10 angles, emoji,
markup everywhere). The renderer itself builds plain dicts (adapters.slack.blocks)."""

from __future__ import annotations

import pytest

from adapters.slack.progress import drafts_message, placeholder_message
from adapters.slack.render import render_reply, text_message
from adapters.slack.updates import mark_angle, mark_choice
from tests.render_corpus import LONG, MARKUP, engine_replies, extreme_replies
from tests.slack.block_check import block_errors, message_errors


async def test_every_answer_renders_to_valid_block_kit(chat) -> None:
    replies = [*await engine_replies(chat), *extreme_replies()]
    kinds = {r.kind for r in replies}
    assert {"angles", "questions", "critique", "glossary", "feedback", "help"} <= kinds
    assert any(a.sources for r in replies for a in r.angles) and any(r.outro for r in replies)
    checked = 0
    for reply in replies:
        for slash in (False, True):
            messages = render_reply(reply, slash=slash)
            for m in messages:
                assert message_errors({"blocks": m.blocks, "text": m.text}) == [], reply.kind
                checked += len(m.blocks)
            if reply.angles and not slash:
                first = messages[0].blocks
                assert block_errors(mark_angle(first, 1, MARKUP + LONG)) == []
                assert block_errors(drafts_message(reply.angles, reply.lang).blocks) == []
    assert checked > 500
    for m in (text_message(MARKUP + LONG * 10), placeholder_message(LONG, "fr"),
              placeholder_message(None, "en")):
        assert block_errors(m.blocks) == []
    assert block_errors(mark_choice(render_reply(replies[0])[0].blocks, "qr", "ok")) == []


@pytest.mark.parametrize("breakage", [
    lambda b: b[0]["text"].update(text="x" * 3001),  # a section holds 3,000 characters
    lambda b: b[0].update(colour="red"),  # a key Slack does not know
    lambda b: b[0].pop("type"),
    lambda b: b.extend([{"type": "divider"}] * 50),  # 50 blocks per message
    lambda b: next(x for x in b if x["type"] == "actions")["elements"][0]["text"].update(
        text="y" * 76),  # a button's text holds 75
])
def test_the_check_rejects_broken_blocks(breakage) -> None:
    from bot.kernel.messages import Angle, Reply

    angle = Angle(n=1, id="a1", strategy="humour", title="T", hook="H", rationale="R",
                  channel="C")
    blocks = render_reply(Reply(kind="angles", lang="en", text="x", intro="Intro",
                                angles=[angle]))[0].blocks
    assert block_errors(blocks) == []
    breakage(blocks)
    assert block_errors(blocks) != []
