"""Single-workspace authorization with one `auth.test` for the whole process.

Bolt's built-in single-team authorization calls `auth.test` until its first
answer arrives, so a cold start under a burst made one call per concurrent
request (101 for a burst of 100). Here the first request starts the call and
every other one awaits the same answer; a failure is not kept, the next request
tries again.
"""

from __future__ import annotations

import asyncio
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse


class SharedAuthTest(AsyncAuthorize):
    def __init__(self, client: AsyncWebClient) -> None:
        super().__init__()
        self._client = client
        self._answer: asyncio.Future[AsyncSlackResponse] | None = None

    async def __call__(self, *, context: Any, enterprise_id: str | None,
                       team_id: str | None, user_id: str | None,
                       **_actor: Any) -> AuthorizeResult:
        if self._answer is None or (self._answer.done() and self._answer.exception()):
            self._answer = asyncio.ensure_future(self._client.auth_test())
        # shield: a request cancelled while waiting must not cancel the others' call.
        auth = await asyncio.shield(self._answer)
        token = self._client.token
        return AuthorizeResult(
            enterprise_id=auth.get("enterprise_id"),
            team_id=auth.get("team_id"),
            bot_id=auth.get("bot_id"),
            bot_user_id=auth.get("user_id"),
            bot_token=token,
            user_id=user_id,
            bot_scopes=auth.headers.get("x-oauth-scopes"),
        )
