"""Drives the real Slack app over real HTTP: signed Events API, slash command
and interactivity requests to POST /slack/events, as Slack would send them."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from adapters.http_guard import runner_options
from tests.slack.mock_slack import TEAM

SECRET = "test-signing-secret"
_ids = itertools.count(1)


class SlackSender:
    """Signs and posts payloads to the app; `base` is http://127.0.0.1:<port>.
    `connections`: how many at once (0: no limit, as Slack opens what it needs)."""

    def __init__(self, base: str, *, secret: str = SECRET, connections: int = 100) -> None:
        self.base = base
        self.verifier = SignatureVerifier(secret)
        self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections))

    async def close(self) -> None:
        await self.session.close()

    def headers(self, body: str, content_type: str, *, timestamp: int | None = None,
                signature: str | None = None, retry: int | None = None) -> dict[str, str]:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature
            or self.verifier.generate_signature(timestamp=ts, body=body) or "",
        }
        if retry is not None:
            headers["X-Slack-Retry-Num"] = str(retry)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        return headers

    async def post(self, body: str, content_type: str, **kw: Any) -> tuple[int, str]:
        async with self.session.post(f"{self.base}/slack/events", data=body.encode(),
                                     headers=self.headers(body, content_type, **kw)) as resp:
            return resp.status, await resp.text()

    async def event(self, event: dict[str, Any], *, event_id: str | None = None,
                    team: str = TEAM, enterprise: str | None = None, org_wide: bool = False,
                    **kw: Any) -> tuple[int, str]:
        """An Events API delivery; `enterprise` makes it come from an Enterprise Grid
        org, and `org_wide` from an app installed for the whole org (the
        authorization then names the org and no workspace, as Slack sends it)."""
        auth: dict[str, Any] = {"team_id": None if org_wide else team, "user_id": "UBOT",
                                "is_bot": True}
        payload: dict[str, Any] = {
            "token": "legacy", "team_id": team, "api_app_id": "A1", "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}", "event_time": int(time.time()),
            "event": {**event, "team": team},
            "authorizations": [auth],
        }
        if enterprise:
            payload["enterprise_id"] = enterprise
            auth["enterprise_id"] = enterprise
            payload["is_ext_shared_channel"] = False
        if org_wide:
            auth["is_enterprise_install"] = True
        body = json.dumps(payload)
        return await self.post(body, "application/json", **kw)

    async def command(self, text: str, *, user: str = "U1", channel: str = "C1",
                      response_url: str) -> tuple[int, str]:
        body = urlencode({
            "command": "/glossary", "text": text, "team_id": TEAM, "team_domain": "acme",
            "channel_id": channel, "channel_name": "general", "user_id": user, "user_name": "alice",
            "response_url": response_url, "trigger_id": "1.2.3", "api_app_id": "A1",
        })
        return await self.post(body, "application/x-www-form-urlencoded")

    async def interact(self, payload: dict[str, Any]) -> tuple[int, str]:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded")


def mention(text: str, *, user: str = "U1", channel: str = "C1", ts: str | None = None,
            thread_ts: str | None = None, team: str = TEAM) -> dict[str, Any]:
    event = {"type": "app_mention", "user": user, "text": f"<@UBOT> {text}", "channel": channel,
             "ts": ts or f"{time.time():.6f}", "team": team}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def dm(
    text: str, *, user: str = "U1", channel: str = "D1", ts: str | None = None
) -> dict[str, Any]:
    return {"type": "message", "channel_type": "im", "user": user, "text": text,
            "channel": channel, "ts": ts or f"{time.time():.6f}", "team": TEAM}


def block_click(message: dict[str, Any], action_id: str, *, user: str = "U1", channel: str = "C1",
                response_url: str = "", value: str | None = None,
                team: str = TEAM) -> dict[str, Any]:
    """The block_actions payload Slack sends when `action_id` is clicked on `message`
    (a message as the app posted it: blocks, ts, thread_ts)."""
    element = next(e for b in message["blocks"] for e in b.get("elements", [])
                   if e.get("action_id") == action_id)
    return {
        "type": "block_actions",
        "team": {"id": team, "domain": "acme"},
        "user": {"id": user, "team_id": team},
        "api_app_id": "A1",
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        "channel": {"id": channel, "name": "general"},
        "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel},
        "message": {
            "type": "message",
            "user": "UBOT",
            "bot_id": "BBOT",
            "text": message.get("text", ""),
            "ts": message["ts"],
            "thread_ts": message.get("thread_ts"),
            "blocks": message["blocks"],
        },
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b",
                "value": value if value is not None else element.get("value"),
                "text": element.get("text"),
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }


async def serve(web_app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(web_app, **runner_options())  # as `symbiose slack --http` does
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"
