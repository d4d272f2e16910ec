"""A local Bot Connector service: what Teams' serviceUrl answers, over real HTTP.

It records every activity the bot sends (POST .../activities[/{replyToId}]) and
every update (PUT .../activities/{id}), answers with ids like the real service,
checks each Adaptive Card it receives against the vendored schema, and can
refuse calls the way the service does (429 with Retry-After, 401).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
from aiohttp import web

SCHEMA_DIR = Path(__file__).parent / "schema"
ADAPTIVE = "application/vnd.microsoft.card.adaptive"


def card_validator() -> jsonschema.Draft6Validator:
    schema = json.loads((SCHEMA_DIR / "adaptive-card-1.5.json").read_text(encoding="utf-8"))
    return jsonschema.Draft6Validator(schema)


_VALIDATOR = card_validator()


def card_errors(card: Any) -> list[str]:
    """Schema errors of one Adaptive Card, plus Teams' own limits we rely on."""
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in _VALIDATOR.iter_errors(card)]
    if not isinstance(card, dict):
        return [*errors, "not an object"]
    if card.get("type") != "AdaptiveCard":  # the schema lets a root without it through
        errors.append(f"type {card.get('type')!r} is not 'AdaptiveCard'")
    if card.get("version") not in ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5"):
        errors.append(f"version {card.get('version')!r} is above 1.5")
    return errors


def activity_card_errors(activity: dict[str, Any]) -> list[str]:
    errors: list[str] = []
    for attachment in activity.get("attachments") or []:
        if attachment.get("contentType") == ADAPTIVE:
            errors += card_errors(attachment.get("content"))
    return errors


@dataclass
class Call:
    method: str
    conversation_id: str
    activity_id: str | None  # the replyToId (POST) or the updated id (PUT)
    body: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    authorization: str | None = None
    response_id: str | None = None  # the id the service gave the new activity


class MockConnector:
    """`validate=False` (benchmarks) skips the schema check, which costs ~80 ms a card."""

    def __init__(self, *, validate: bool = True, host: str = "127.0.0.1") -> None:
        self.host = host
        self.calls: list[Call] = []
        self._validate = validate
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._refusals: list[tuple[int, str | None]] = []
        self.refused: list[tuple[str, int, str | None]] = []  # (method, status, Authorization)
        self.url = ""
        self._runner: web.AppRunner | None = None

    # -- what the tests read ----------------------------------------------------

    def sent(
        self, conversation_id: str | None = None, *, kind: str | None = "message"
    ) -> list[dict[str, Any]]:
        """Activities POSTed (not updates), optionally of one conversation and type."""
        return [c.body for c in self.calls if c.method == "POST"
                and (conversation_id is None or c.conversation_id == conversation_id)
                and (kind is None or c.body.get("type") == kind)]

    @property
    def card_errors(self) -> list[str]:
        """Schema errors of every card received (checked after the fact, off the hot path)."""
        if not self._validate:
            return []
        return [e for c in self.calls for e in activity_card_errors(c.body)]

    def posted(self, conversation_id: str | None = None) -> list[Call]:
        """POSTed messages with the ids the service gave them."""
        return [c for c in self.calls if c.method == "POST" and c.body.get("type") == "message"
                and (conversation_id is None or c.conversation_id == conversation_id)]

    def updates(self) -> list[Call]:
        return [c for c in self.calls if c.method == "PUT"]

    async def wait_for(self, check: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until `check()` is truthy (re-checked on every call received)."""
        deadline = time.monotonic() + timeout
        async with self._changed:
            while True:
                result = check()
                if result:
                    return result
                left = deadline - time.monotonic()
                if left <= 0:
                    calls = [(c.method, c.body.get("type")) for c in self.calls]
                    raise AssertionError(f"timed out; calls so far: {calls}")
                try:
                    await asyncio.wait_for(self._changed.wait(), timeout=left)
                except TimeoutError:
                    pass

    # -- the service ------------------------------------------------------------

    async def _record(self, request: web.Request, method: str, activity_id: str | None,
                      response_id: str) -> None:
        body = await request.json()
        call = Call(method, request.match_info["conversation_id"], activity_id, body,
                    authorization=request.headers.get("Authorization"), response_id=response_id)
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def refuse_next(self, status: int, times: int = 1, *, retry_after: str | None = None) -> None:
        """Answer the next `times` calls with `status` (429 throttling, 401 token refused...)."""
        self._refusals += [(status, retry_after)] * times

    def _refusal(self, request: web.Request) -> web.Response | None:
        if not self._refusals:
            return None
        status, retry_after = self._refusals.pop(0)
        self.refused.append((request.method, status, request.headers.get("Authorization")))
        headers = {"Retry-After": retry_after} if retry_after else None
        return web.json_response({"error": {"code": str(status)}}, status=status, headers=headers)

    async def _post(self, request: web.Request) -> web.Response:
        if (refusal := self._refusal(request)) is not None:
            return refusal
        new_id = f"bot-activity-{next(self._ids)}"
        await self._record(request, "POST", request.match_info.get("activity_id"), new_id)
        return web.json_response({"id": new_id}, status=201)

    async def _put(self, request: web.Request) -> web.Response:
        if (refusal := self._refusal(request)) is not None:
            return refusal
        activity_id = request.match_info["activity_id"]
        await self._record(request, "PUT", activity_id, activity_id)
        return web.json_response({"id": activity_id})

    async def start(self) -> str:
        app = web.Application()
        base = "/v3/conversations/{conversation_id}/activities"
        app.router.add_post(base, self._post)
        app.router.add_post(base + "/{activity_id}", self._post)
        app.router.add_put(base + "/{activity_id}", self._put)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://{self.host}:{port}/"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
