"""Socket Mode start-up against the local mock: apps.connections.open hands out a
ws:// URL on 127.0.0.1; the app connects, acks an event envelope, and answers."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from adapters.slack.app import build_slack_app, build_socket_handler, close_slack_app
from bot.app import build_engine
from bot.kernel.settings import Settings
from tests.slack.harness import mention
from tests.slack.mock_slack import MockSlack


async def test_socket_mode_connects_acks_and_answers(
    settings: Settings, mock_slack: MockSlack
) -> None:
    conf = replace(settings, slack_bot_token="xoxb-test", slack_app_token="xapp-test",
                   slack_api_url=mock_slack.api_url, lang="en")
    engine = build_engine(conf)
    bolt_app = build_slack_app(conf, engine)
    handler = build_socket_handler(bolt_app, app_token="xapp-test")
    try:
        await handler.connect_async()
        await asyncio.wait_for(mock_slack.socket_connected.wait(), 5)
        [opened] = mock_slack.of("apps.connections.open")
        assert opened.args["_token"] == "xapp-test"  # the app-level token, not the bot's
        await mock_slack.push({
            "envelope_id": "env-1", "type": "events_api", "accepts_response_payload": False,
            "payload": {"team_id": "T1", "api_app_id": "A1", "type": "event_callback",
                        "event_id": "EvSOCK1", "event": mention("help", ts="1700000400.000001")},
        })
        await mock_slack.wait_for(lambda: [a for a in mock_slack.socket_acks
                                           if a.get("envelope_id") == "env-1"])
        [posted] = await mock_slack.wait_for(lambda: mock_slack.of("chat.postMessage"))
        assert posted.args["thread_ts"] == "1700000400.000001"
        assert posted.args["_token"] == "xoxb-test"
    finally:
        await handler.close_async()
        await close_slack_app(bolt_app)
        await engine.aclose()
