"""The engine's admission as Slack users meet it, over real HTTP: one rate-limit
notice per window however many messages follow, and the same limit on /glossary
and App Home."""

from __future__ import annotations

import asyncio

from bot.kernel.settings import Settings
from tests.slack.conftest import slack_settings, start_app, stop_app
from tests.slack.harness import dm
from tests.slack.mock_slack import MockSlack
from tests.slack.test_http_app import answers


async def test_a_flood_of_messages_gets_one_notice(
    settings: Settings, mock_slack: MockSlack
) -> None:
    app = await start_app(slack_settings(settings, mock_slack, rate_limit_per_minute=2), mock_slack)
    try:
        for i in range(40):
            await app.send.event(dm("help", ts=f"1700000400.{i:06d}"))
        await mock_slack.wait_for(lambda: len(answers(mock_slack, "D1")) >= 2)
        await mock_slack.wait_for(lambda: mock_slack.of("chat.postEphemeral"))
        await asyncio.sleep(0.5)  # time for any further notice to (wrongly) arrive
        notices = mock_slack.of("chat.postEphemeral")
        # One, or two if the minute turned over during the flood; never 38.
        assert 1 <= len(notices) <= 2, len(notices)
        assert "Try again in" in notices[0].args["text"]
    finally:
        await stop_app(app)


async def test_glossary_command_is_rate_limited_too(
    settings: Settings, mock_slack: MockSlack
) -> None:
    app = await start_app(slack_settings(settings, mock_slack, rate_limit_per_minute=2), mock_slack)
    try:
        for _ in range(6):
            await app.send.command("persona", response_url=mock_slack.response_url())
        await mock_slack.wait_for(lambda: len(mock_slack.of("response_url")) >= 3)
        await asyncio.sleep(0.5)
        responses = mock_slack.of("response_url")
        cards = [r for r in responses if "Persona" in str(r.args.get("blocks"))]
        notices = [r for r in responses if r not in cards]
        # Two cards and one notice (twice that if the minute turned over): never six cards.
        assert (len(cards), len(notices)) in ((2, 1), (4, 2), (3, 1)), (len(cards), len(notices))
        notice = notices[0]
        assert "Try again in" in notice.args["text"] and notice.args["response_type"] == "ephemeral"
    finally:
        await stop_app(app)


async def test_app_home_is_rate_limited_too(settings: Settings, mock_slack: MockSlack) -> None:
    app = await start_app(slack_settings(settings, mock_slack, rate_limit_per_minute=2), mock_slack)
    try:
        for _ in range(5):
            await app.send.event({"type": "app_home_opened", "user": "U1", "channel": "D1",
                                  "tab": "home"})
        await mock_slack.wait_for(lambda: len(mock_slack.of("views.publish")) >= 2)
        await asyncio.sleep(0.5)
        assert len(mock_slack.of("views.publish")) == 2
    finally:
        await stop_app(app)


async def test_a_retried_home_event_is_published_once(slack) -> None:  # type: ignore[no-untyped-def]
    event = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
    for retry in (None, 1, 2):
        await slack.send.event(event, event_id="EvHome1", retry=retry)
    await slack.mock.wait_for(lambda: slack.mock.of("views.publish"))
    await asyncio.sleep(0.3)
    assert len(slack.mock.of("views.publish")) == 1
