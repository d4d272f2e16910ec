"""Fixtures: the mock Slack Web API, and the real Slack app served on a port."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from aiohttp import web

from adapters.slack.app import build_slack_app, build_web_app
from bot.kernel.settings import Settings
from tests.slack.harness import SECRET, SlackSender, serve
from tests.slack.mock_slack import MockSlack


@dataclass
class Running:
    settings: Settings
    engine: Any
    mock: MockSlack
    send: SlackSender
    runner: web.AppRunner


@pytest.fixture
async def mock_slack() -> AsyncIterator[MockSlack]:
    mock = await MockSlack(locales={"UFR": "fr-FR"}).start()
    yield mock
    await mock.stop()
    # Every message and view the app sent must be Block Kit as slack_sdk validates it.
    assert mock.block_errors == [], mock.block_errors


def slack_settings(settings: Settings, mock: MockSlack, **overrides: Any) -> Settings:
    return replace(settings, slack_bot_token="xoxb-test", slack_signing_secret=SECRET,
                   slack_api_url=mock.api_url, lang="en", **overrides)


async def start_app(settings: Settings, mock: MockSlack, *, chat_model: Any = None,
                    placeholder_after_s: float = 0.5) -> Running:
    from bot.app import build_engine  # here, so the pure tests don't need the whole engine

    engine = build_engine(settings, chat_model=chat_model)
    await engine.start()
    bolt = build_slack_app(settings, engine, placeholder_after_s=placeholder_after_s)
    runner, base = await serve(build_web_app(bolt, signing_secret=SECRET, ready=engine.ready))
    return Running(settings, engine, mock, SlackSender(base), runner)


async def stop_app(app: Running) -> None:
    await app.send.close()
    await app.runner.cleanup()
    await app.engine.aclose()


@pytest.fixture
async def slack(settings: Settings, mock_slack: MockSlack) -> AsyncIterator[Running]:
    app = await start_app(slack_settings(settings, mock_slack), mock_slack)
    yield app
    await stop_app(app)
