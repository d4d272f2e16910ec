"""Progress while a slow LLM works: chat streaming in threads, chat.update as the
fallback when Slack refuses a stream, the placeholder in a top-level DM. The
real app over HTTP; the mock Slack API plays a workspace with or without
streaming."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from langchain_core.outputs import ChatGenerationChunk

from adapters.slack.app import build_slack_app, build_web_app
from adapters.slack.streaming import Streaming
from bot.app import build_engine
from bot.kernel.settings import Settings
from tests.llm_fakes import EchoAnglesChatModel
from tests.slack.conftest import Running, slack_settings, stop_app
from tests.slack.harness import SECRET, SlackSender, dm, mention, serve
from tests.slack.mock_slack import MockSlack
from tests.slack.test_http_app import angle_message, answers

FULL_BRIEF = ("Brand: Gourdo\nProduct: bottle\nAudience: students\n"
              "Objective: awareness\nTone: playful\nIdeas for the launch?")


class SlowAnglesModel(EchoAnglesChatModel):
    """Writes its angles slowly: a pause before each angle's title, so the engine
    reports "Angle k/n" several times while the answer is being written."""

    async def _astream(self, *args: Any, **kwargs: Any) -> AsyncIterator[ChatGenerationChunk]:
        async for chunk in super()._astream(*args, **kwargs):
            if "title" in chunk.text:
                await asyncio.sleep(0.15)
            yield chunk


async def _start(settings: Any, mock: MockSlack, streaming: Streaming) -> Running:
    conf = slack_settings(settings, mock)
    engine = build_engine(conf, chat_model=SlowAnglesModel())
    bolt = build_slack_app(conf, engine, placeholder_after_s=0.05, streaming=streaming)
    runner, base = await serve(build_web_app(bolt, signing_secret=SECRET))
    return Running(conf, engine, mock, SlackSender(base), runner)


async def test_progress_is_streamed_then_becomes_the_answer(
    settings: Settings, mock_slack: MockSlack
) -> None:
    app = await _start(settings, mock_slack, Streaming(interval_s=0.05))
    try:
        root = "1700000500.000001"
        await app.send.event(mention(FULL_BRIEF, ts=root))
        final = await mock_slack.wait_for(lambda: angle_message(mock_slack), timeout=10)

        [started] = mock_slack.of("chat.startStream")
        assert started.args["thread_ts"] == root and started.args["channel"] == "C1"
        assert started.args["recipient_user_id"] == "U1"
        assert started.args["recipient_team_id"] == "T1"
        appended = [c.args["markdown_text"] for c in mock_slack.of("chat.appendStream")]
        assert any("/5" in text for text in appended), appended  # "Angle k/5…"
        [stopped] = mock_slack.of("chat.stopStream")
        stream_ts = stopped.args["ts"]
        # The streamed message itself became the answer: same ts, no placeholder, no 2nd post.
        assert final["ts"] == stream_ts and final["thread_ts"] == root
        assert not final["streaming"]
        assert mock_slack.of("chat.postMessage") == []
        assert answers(mock_slack) == [final]
    finally:
        await stop_app(app)


async def test_refused_stream_falls_back_to_chat_update_and_is_not_retried(
    settings: Settings, mock_slack: MockSlack
) -> None:
    mock_slack.streaming_refused = "not_allowed_token_type"
    switch = Streaming(interval_s=0.05)
    app = await _start(settings, mock_slack, switch)
    try:
        await app.send.event(mention(FULL_BRIEF, ts="1700000600.000001"))
        final = await mock_slack.wait_for(lambda: angle_message(mock_slack), timeout=10)
        assert len(mock_slack.of("chat.startStream")) == 1
        assert not switch.available()
        [placeholder] = mock_slack.of("chat.postMessage")  # the fallback's "… thinking"
        assert placeholder.args["thread_ts"] == "1700000600.000001"
        assert final["ts"] in {c.args["ts"] for c in mock_slack.of("chat.update")}
        assert answers(mock_slack) == [final]

        # Refused once: the next slow answer in this process goes straight to chat.update.
        await app.send.event(mention(FULL_BRIEF, channel="C2", ts="1700000600.000002"))
        await mock_slack.wait_for(
            lambda: any(b.get("block_id") == "acts.1"
                        for m in answers(mock_slack, "C2") for b in m.get("blocks") or []),
            timeout=10)
        assert len(mock_slack.of("chat.startStream")) == 1
    finally:
        await stop_app(app)


async def test_stream_failing_midway_continues_on_the_same_message(
    settings: Settings, mock_slack: MockSlack
) -> None:
    mock_slack.fail_next["chat.appendStream"] = "message_not_in_streaming_state"
    switch = Streaming(interval_s=0.05)
    app = await _start(settings, mock_slack, switch)
    try:
        await app.send.event(mention(FULL_BRIEF, ts="1700000700.000001"))
        final = await mock_slack.wait_for(lambda: angle_message(mock_slack), timeout=10)
        [started] = mock_slack.of("chat.startStream")
        assert len(mock_slack.of("chat.appendStream")) == 1  # the failed one, not retried
        assert mock_slack.of("chat.stopStream") == []
        assert mock_slack.of("chat.postMessage") == []
        assert answers(mock_slack) == [final]  # progress and answer: one message
        updates = {c.args["ts"] for c in mock_slack.of("chat.update")}
        assert final["ts"] in updates and len(updates) == 1
        assert started  # the stream's message is the one that was updated
        assert switch.available()  # one stale stream does not turn streaming off
    finally:
        await stop_app(app)


async def test_top_level_dm_keeps_the_placeholder(
    settings: Settings, mock_slack: MockSlack
) -> None:
    app = await _start(settings, mock_slack, Streaming(interval_s=0.05))
    try:
        await app.send.event(dm(FULL_BRIEF))
        final = await mock_slack.wait_for(lambda: angle_message(mock_slack), timeout=10)
        assert mock_slack.of("chat.startStream") == []  # a stream must be a thread reply
        assert final.get("thread_ts") is None
        assert final["ts"] in {c.args["ts"] for c in mock_slack.of("chat.update")}
    finally:
        await stop_app(app)


def test_streaming_switch_cools_down_after_a_refusal() -> None:
    now = [100.0]
    switch = Streaming(cooldown_s=60, clock=lambda: now[0])
    assert switch.available()
    switch.refused()
    assert not switch.available()
    now[0] += 61
    assert switch.available()
    assert not Streaming(enabled=False).available()


async def test_answer_is_posted_when_slack_refuses_to_edit_the_placeholder(
    settings: Settings, mock_slack: MockSlack
) -> None:
    mock_slack.fail_next["chat.update"] = "message_not_found"  # deleted while we worked
    app = await _start(settings, mock_slack, Streaming(interval_s=0.05))
    try:
        await app.send.event(dm(FULL_BRIEF))
        final = await mock_slack.wait_for(lambda: angle_message(mock_slack), timeout=10)
        placeholder, posted = mock_slack.of("chat.postMessage")
        [refused] = mock_slack.of("chat.update")
        # The edit aimed at the placeholder (left as it was); the answer came anyway.
        assert mock_slack.messages[refused.args["ts"]]["blocks"] == placeholder.args["blocks"]
        assert posted.args["blocks"] == final["blocks"] and final["ts"] != refused.args["ts"]
    finally:
        await stop_app(app)


def _titles(message: dict[str, Any]) -> list[str]:
    return [b["text"]["text"].split("*")[1] for b in message.get("blocks") or []
            if str(b.get("block_id", "")).startswith("angle.")]


async def test_angles_are_streamed_one_by_one_and_the_answer_equals_an_unstreamed_one(
    settings: Settings, key_prefix: str, mock_slack: MockSlack
) -> None:
    root = "1700000800.000001"
    app = await _start(settings, mock_slack, Streaming(interval_s=0.05))
    try:
        await app.send.event(mention(FULL_BRIEF, ts=root))
        streamed = await mock_slack.wait_for(lambda: angle_message(mock_slack), timeout=10)
    finally:
        await stop_app(app)
    stream_calls = [c for c in mock_slack.calls
                    if c.method in ("chat.startStream", "chat.appendStream")]
    pieces = [c.args["markdown_text"] for c in stream_calls]
    titles = _titles(streamed)  # "1. Title" as the final answer shows them
    assert len(titles) == 5
    # Each angle's text was streamed, in order, and they came in several pieces
    # (the model writes slowly), not all at once at the end. The last one may
    # come with the answer itself, which replaces the stream as soon as it is ready.
    text = "".join(pieces)
    positions = [text.find(f"**{title}**") for title in titles[:4]]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), (titles, text)
    with_angles = [p for p in pieces if "**" in p]
    assert len(with_angles) >= 3, pieces
    assert "{" not in text and '"title"' not in text  # never the model's JSON

    # The same turn without streaming (same user, thread and brief; a fresh store).
    mock_slack.calls.clear()
    mock_slack.messages.clear()
    plain_settings = replace(settings, key_prefix=key_prefix + ":plain")
    app = await _start(plain_settings, mock_slack, Streaming(enabled=False))
    try:
        await app.send.event(mention(FULL_BRIEF, ts=root))
        unstreamed = await mock_slack.wait_for(lambda: angle_message(mock_slack), timeout=10)
    finally:
        await stop_app(app)
    assert mock_slack.of("chat.startStream") == []
    assert streamed["blocks"] == unstreamed["blocks"]
    assert streamed["text"] == unstreamed["text"]


async def test_without_streaming_the_placeholder_shows_the_angles_as_they_come(
    settings: Settings, mock_slack: MockSlack
) -> None:
    mock_slack.streaming_refused = "not_allowed_token_type"
    app = await _start(settings, mock_slack, Streaming(interval_s=0.05))
    try:
        await app.send.event(mention(FULL_BRIEF, ts="1700000900.000001"))
        final = await mock_slack.wait_for(lambda: angle_message(mock_slack), timeout=10)
    finally:
        await stop_app(app)
    # Before the answer, an update of the placeholder showed written angles (text only).
    drafts = [c for c in mock_slack.of("chat.update")
              if c.args["ts"] == final["ts"] and "acts.1" not in str(c.args.get("blocks"))
              and any(b.get("type") == "section" for b in c.args.get("blocks") or [])]
    assert drafts, [c.args for c in mock_slack.of("chat.update")]
    assert _titles(final)[0].split(". ", 1)[1] in str(drafts[0].args["blocks"])
