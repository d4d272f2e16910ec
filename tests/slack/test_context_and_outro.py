"""Over real HTTP (real Bolt app, mock Slack API, real Redis): the channel the
user looks at from the assistant pane gives the brief its brand context, and an
answer with angles ends with the engine's closing line (`Reply.outro`)."""

from __future__ import annotations

from typing import Any

from adapters.slack.mrkdwn import markdown_to_mrkdwn
from bot.kernel.i18n import t
from tests.slack.conftest import Running
from tests.slack.harness import mention
from tests.slack.mock_slack import BOT_USER
from tests.slack.test_assistant import in_thread, thread_started

CHANNEL_BRAND = ("Brand: Gourdo\nProduct: insulated bottle made of recycled steel\n"
                 "Audience: urban students\nObjective: awareness\nTone: playful")
BRIEF = "Ideas for our back-to-school campaign in September"


async def _answer_in(slack: Running, root: str) -> dict[str, Any]:
    return await slack.mock.wait_for(lambda: next(
        (m for m in slack.mock.messages.values()
         if m.get("thread_ts") == root and m.get("user") == BOT_USER
         and any(b.get("block_id") == "acts.1" for b in m.get("blocks") or [])), None),
        timeout=10)


def _texts(message: dict[str, Any]) -> str:
    return "\n".join(str(b.get("text", {}).get("text", "")) + " ".join(
        str(e.get("text", "")) for e in b.get("elements", []) if isinstance(e, dict))
        for b in message["blocks"])


async def test_the_channel_looked_at_gives_the_brief_its_brand(slack: Running) -> None:
    # The channel's brand is set by a member in the channel itself.
    await slack.send.event(mention(CHANNEL_BRAND, channel="C0GOURDO"))
    await slack.mock.wait_for(lambda: [m for m in slack.mock.messages.values()
                                       if m.get("channel") == "C0GOURDO"])
    # Another member opens the assistant pane beside that channel and sends a bare brief.
    root = "1700002000.000001"
    await slack.send.event(thread_started("U2", channel="D2", thread_ts=root,
                                          looking_at="C0GOURDO"))
    await slack.mock.wait_for(lambda: slack.mock.of("assistant.threads.setSuggestedPrompts"))
    await slack.send.event(in_thread(BRIEF, thread_ts=root, user="U2", channel="D2"))
    answer = await _answer_in(slack, root)
    intro = answer["blocks"][0]["text"]["text"]
    said = t("context_from_channel", "en", name="Gourdo")
    assert markdown_to_mrkdwn(said) in intro
    # No questions were needed: the channel's brand answered them.
    assert not [m for m in slack.mock.messages.values() if m.get("thread_ts") == root
                and "?" in str(m.get("text")) and "acts.1" not in str(m.get("blocks"))
                and m.get("metadata") is None]


async def test_without_a_channel_brand_the_pane_works_as_a_direct_message(
    slack: Running
) -> None:
    root = "1700002000.000002"
    await slack.send.event(thread_started("U3", channel="D3", thread_ts=root,
                                          looking_at="C0EMPTY"))
    await slack.mock.wait_for(lambda: slack.mock.of("assistant.threads.setSuggestedPrompts"))
    await slack.send.event(in_thread(CHANNEL_BRAND + "\n" + BRIEF, thread_ts=root, user="U3",
                                     channel="D3"))
    answer = await _answer_in(slack, root)
    assert "Working from the brand of the channel" not in _texts(answer)


async def test_an_answer_with_angles_ends_with_its_caution_line(slack: Running) -> None:
    await slack.send.event(mention(CHANNEL_BRAND + "\n" + BRIEF, channel="C0OUTRO",
                                   ts="1700002100.000001"))
    answer = await _answer_in(slack, "1700002100.000001")
    contexts = [b for b in answer["blocks"] if b["type"] == "context"]
    outro = markdown_to_mrkdwn(t("angles_outro", "en"))
    assert any(c["elements"][0]["text"] == outro for c in contexts)
    # After the last angle, before Slack's feedback buttons.
    kinds = [b.get("block_id") or b["type"] for b in answer["blocks"]]
    at = next(i for i, b in enumerate(answer["blocks"]) if b["type"] == "context"
              and b["elements"][0]["text"] == outro)
    assert max(i for i, k in enumerate(kinds) if str(k).startswith("acts.")) < at
    assert at < kinds.index("feedback")
