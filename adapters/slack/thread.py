"""The bot's messages in one Slack conversation: a channel, or a thread in it."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import SlackMessage

# What a Web API call may raise once slack_sdk's retry handlers have given up.
SLACK_ERRORS = (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError, OSError)


class Thread:
    """Where an answer goes (`channel`, `thread_ts`) and for whom (`team`, `user`:
    ephemeral notices, and the recipient chat streaming requires in channels)."""

    def __init__(self, client: AsyncWebClient, *, channel: str, thread_ts: str | None,
                 team: str | None = None, user: str | None = None) -> None:
        self.client = client
        self.channel = channel
        self.thread_ts = thread_ts
        self.team = team
        self.user = user

    async def post(self, message: SlackMessage) -> str | None:
        resp = await self.client.chat_postMessage(
            channel=self.channel,
            thread_ts=self.thread_ts,
            text=message.text,
            blocks=message.blocks or None,
            unfurl_links=False,
            unfurl_media=False,
        )
        return resp.get("ts")

    async def update(self, ts: str, message: SlackMessage) -> None:
        await self.client.chat_update(
            channel=self.channel, ts=ts, text=message.text, blocks=message.blocks
        )

    async def whisper(self, user: str, message: SlackMessage) -> None:
        """An ephemeral message only `user` sees (rate limit, errors on a click)."""
        await self.client.chat_postEphemeral(
            channel=self.channel,
            user=user,
            thread_ts=self.thread_ts,
            text=message.text,
            blocks=message.blocks or None,
        )


def describe(exc: BaseException) -> str:
    """An error in a log line: Slack's error code or the exception type, no content."""
    if isinstance(exc, SlackApiError):
        data: Any = exc.response.data if exc.response is not None else {}
        return f"Slack error {data.get('error') if isinstance(data, dict) else data!r}"
    return type(exc).__name__
