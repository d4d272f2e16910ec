"""A Slack post that fails is tried again; one that keeps failing is reported
in the log with the conversation it was for (never lost without a word)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from tests.slack.conftest import Running
from tests.slack.harness import dm


async def test_a_post_refused_once_with_a_500_is_retried_and_arrives(slack: Running) -> None:
    slack.mock.server_error_next["chat.postMessage"] = 1
    await slack.send.event(dm("help", channel="D7"))
    await slack.mock.wait_for(
        lambda: [m for m in slack.mock.messages.values() if m.get("channel") == "D7"]
    )
    assert len(slack.mock.of("chat.postMessage")) == 2  # the refused one, then the retry


async def test_a_post_that_keeps_failing_is_logged_with_its_conversation(
    slack: Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    slack.mock.server_error_next["chat.postMessage"] = 50
    await slack.send.event(dm("help", channel="D8"))
    await slack.mock.wait_for(lambda: len(slack.mock.of("chat.postMessage")) >= 3, timeout=15)
    for _ in range(200):
        if any("D8" in r.getMessage() and r.levelno >= logging.ERROR for r in caplog.records):
            break
        await asyncio.sleep(0.05)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("T1:D8" in e and "not delivered" in e for e in errors), errors
    assert not [r for r in caplog.records if r.exc_info]  # one line, no traceback
