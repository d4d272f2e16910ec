"""Sending activities to the Bot Connector REST API over aiohttp.

The SDK's ConnectorClient sends with `requests` in a thread pool and serializes
with msrest: in a burst (200 answers of 7 calls each) the threads fight the
event loop for the GIL and the serialization eats the CPU. The calls
themselves are two plain REST requests on the activity's `serviceUrl`:

    POST {serviceUrl}/v3/conversations/{conversationId}/activities[/{replyToId}]
    PUT  {serviceUrl}/v3/conversations/{conversationId}/activities/{activityId}

so they go through one pooled aiohttp session per process, with the bearer
token of the SDK's credentials (`tokens.BotTokens`). Receiving and
authenticating requests stays with botbuilder.
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any
from urllib.parse import quote

import aiohttp
from botbuilder.schema import Activity, ResourceResponse
from botframework.connector.auth import AppCredentials
from yarl import URL

from adapters.teams.tokens import BotTokens
from adapters.teams.wire import activity_json

log = logging.getLogger(__name__)

TIMEOUT_S = 20.0
POOL_SIZE = 64  # connections per process; the Bot Connector is one or two hosts
# Refused before processing (throttled, unavailable, a gateway that never reached
# the service): safe to send again. A 500 may have been half done: not retried.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
ATTEMPTS = 3
MAX_WAIT_S = 10.0
USER_AGENT = "Symbiose (botbuilder-python; aiohttp)"


class ConnectorError(Exception):
    """The Bot Connector refused or failed a call (the turn's error hook handles it)."""

    def __init__(self, method: str, status: int, detail: str = "") -> None:
        super().__init__(f"{method} activity: HTTP {status} {detail}".strip())
        self.status = status


class Outbox:
    def __init__(self, *, tokens: BotTokens | None = None, timeout_s: float = TIMEOUT_S,
                 pool_size: int = POOL_SIZE) -> None:
        self._tokens = tokens or BotTokens()
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._pool_size = pool_size
        self._session: aiohttp.ClientSession | None = None

    async def post(
        self, activity: Activity, credentials: AppCredentials | None
    ) -> ResourceResponse:
        """Send a new activity (a reply when it has a `reply_to_id`)."""
        path = "activities" + (f"/{_segment(activity.reply_to_id)}" if activity.reply_to_id else "")
        return await self._call("POST", activity, path, credentials)

    async def put(self, activity: Activity, credentials: AppCredentials | None) -> ResourceResponse:
        """Replace an activity already sent (`activity.id`), e.g. a card redrawn after a click."""
        if not activity.id:
            raise ValueError("an update needs the id of the activity to replace")
        return await self._call("PUT", activity, f"activities/{_segment(activity.id)}", credentials)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _client(self) -> aiohttp.ClientSession:
        # Created on first use: a session belongs to the event loop it was made in.
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                timeout=self._timeout,
                headers={"User-Agent": USER_AGENT},
            )
        return self._session

    async def _call(self, method: str, activity: Activity, path: str,
                    credentials: AppCredentials | None) -> ResourceResponse:
        if (
            not activity.service_url
            or activity.conversation is None
            or not activity.conversation.id
        ):
            raise ValueError("the activity has no serviceUrl or conversation to send to")
        url = URL(f"{activity.service_url.rstrip('/')}/v3/conversations/"
                  f"{_segment(activity.conversation.id)}/{path}", encoded=True)
        body = activity_json(activity)
        authorization = await self._tokens.authorization(credentials)
        for attempt in range(1, ATTEMPTS + 1):
            headers = {"Authorization": authorization} if authorization else {}
            try:
                async with self._client().request(method, url, json=body,
                                                  headers=headers) as resp:
                    status = resp.status
                    if 200 <= status < 300:
                        return ResourceResponse(id=_id(await _json(resp)))
                    detail = (await resp.text())[:200]
                    retry_after = resp.headers.get("Retry-After")
            except aiohttp.ClientConnectorError as exc:  # never reached the service
                if attempt == ATTEMPTS:
                    raise ConnectorError(method, 0, f"unreachable ({type(exc).__name__})") from None
                log.info("Bot Connector unreachable for a %s: trying again", method)
                await asyncio.sleep(_wait_s(None, attempt))
                continue
            if status == 401 and authorization and attempt == 1:
                # The token was refused (revoked, clock skew): one more try with a new one.
                authorization = await self._tokens.authorization(credentials, refused=authorization)
                continue
            if status in RETRY_STATUSES and attempt < ATTEMPTS:
                log.info("Bot Connector answered %s to a %s: trying again", status, method)
                await asyncio.sleep(_wait_s(retry_after, attempt))
                continue
            raise ConnectorError(method, status, detail)
        raise AssertionError("unreachable")  # the last attempt returns or raises


def _segment(value: str) -> str:
    # Conversation ids hold ':', '@' and ';messageid=': one path segment, fully escaped.
    return quote(str(value), safe="")


async def _json(resp: aiohttp.ClientResponse) -> Any:
    try:
        return await resp.json(content_type=None)
    except ValueError:
        return None


def _id(body: Any) -> str | None:
    value = body.get("id") if isinstance(body, dict) else None
    return value if isinstance(value, str) else None


def _wait_s(retry_after: str | None, attempt: int) -> float:
    try:
        wait = float(retry_after) if retry_after else 0.5 * 2 ** (attempt - 1)
    except ValueError:
        wait = 0.5 * 2 ** (attempt - 1)
    return min(MAX_WAIT_S, max(0.0, wait)) + random.uniform(0, 0.1)
