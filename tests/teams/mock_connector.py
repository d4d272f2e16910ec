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


def citation_errors(activity: dict[str, Any]) -> list[str]:
    """Teams' rules for citations in a message entity: each Claim is referenced
    as [n] in the text; name <= 80, abstract <= 160, at most 3 keywords of <= 28."""
    errors: list[str] = []
    text = str(activity.get("text") or "")
    for entity in activity.get("entities") or []:
        if not isinstance(entity, dict) or "citation" not in entity:
            continue
        if entity.get("@type") != "Message" or entity.get("type") != "https://schema.org/Message":
            errors.append("citations belong to the schema.org Message entity")
        for claim in entity["citation"]:
            look = claim.get("appearance") or {}
            position = claim.get("position")
            if claim.get("@type") != "Claim" or not isinstance(position, int):
                errors.append(f"citation {claim!r:.80}: not a Claim with a position")
            elif f"[{position}]" not in text:
                errors.append(f"citation [{position}] is not referenced in the text")
            if look.get("@type") != "DigitalDocument" or not look.get("name"):
                errors.append("citation appearance: a DigitalDocument with a name")
            if len(look.get("name", "")) > 80 or len(look.get("abstract", "")) > 160:
                errors.append("citation name over 80 or abstract over 160 characters")
            keywords = look.get("keywords") or []
            if len(keywords) > 3 or any(len(k) > 28 for k in keywords):
                errors.append("citation keywords: at most 3, of 28 characters each")
            if look.get("encodingFormat") == ADAPTIVE:
                errors += [f"citation card: {e}" for e in card_errors(json.loads(look["text"]))]
    return errors


def activity_card_errors(activity: dict[str, Any]) -> list[str]:
    errors: list[str] = citation_errors(activity)
    for attachment in activity.get("attachments") or []:
        if attachment.get("contentType") == ADAPTIVE:
            errors += card_errors(attachment.get("content"))
    return errors


def stream_info(activity: dict[str, Any]) -> dict[str, Any] | None:
    for entity in activity.get("entities") or []:
        if isinstance(entity, dict) and entity.get("type") == "streaminfo":
            return entity
    return None


class StreamRules:
    """Teams' streaming protocol as the service enforces it, per conversation:
    one-on-one chats only; a stream opens with a typing activity numbered 1 and
    no id; each update is a typing activity with the stream's id (the id the
    service gave the first one) and the next sequence number; streamed text
    only grows (each update contains the one before); informative texts stay
    under 1,000 characters; a message with `streamType: final` closes it."""

    def __init__(self) -> None:
        self.open: dict[str, dict[str, Any]] = {}  # conversation -> {"id", "seq", "text"}
        self.errors: list[str] = []
        self.finished: list[str] = []  # stream ids closed by a final message

    def check(self, conversation_id: str, activity: dict[str, Any]) -> str | None:
        """The reason to refuse `activity`, or None."""
        info = stream_info(activity)
        if info is None:
            return None
        if not conversation_id.startswith("a:"):
            return "ContentStreamNotAllowed: streaming is for one-on-one chats"
        current = self.open.get(conversation_id)
        kind, seq, sid = info.get("streamType"), info.get("streamSequence"), info.get("streamId")
        if kind == "final":
            if activity.get("type") != "message" or current is None or sid != current["id"]:
                return "BadRequest: a final message must close an open stream with its id"
            return None
        if activity.get("type") != "typing" or kind not in ("informative", "streaming"):
            return "BadRequest: stream updates are typing activities, informative or streaming"
        text = str(activity.get("text") or "")
        if kind == "informative" and len(text) > 1000:
            return "BadRequest: informative update over 1,000 characters"
        if current is None:
            if sid is not None or seq != 1:
                return "BadRequest: a stream starts with sequence 1 and no stream id"
            return None
        if sid != current["id"] or seq != current["seq"] + 1:
            return f"BadRequest: expected stream {current['id']} sequence {current['seq'] + 1}"
        if kind == "streaming" and not text.startswith(current["text"]):
            return "BadRequest: streamed text must contain the text streamed before"
        return None

    def record(self, conversation_id: str, activity: dict[str, Any], new_id: str) -> None:
        info = stream_info(activity)
        if info is None:
            return
        if info.get("streamType") == "final":
            closed = self.open.pop(conversation_id)
            self.finished.append(closed["id"])
            return
        current = self.open.setdefault(conversation_id, {"id": new_id, "seq": 0, "text": ""})
        current["seq"] = info.get("streamSequence")
        if info.get("streamType") == "streaming":
            current["text"] = str(activity.get("text") or "")


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
        self.streams = StreamRules()

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
        conversation_id = request.match_info["conversation_id"]
        body = await request.json()
        problem = self.streams.check(conversation_id, body)
        if problem is not None:
            self.streams.errors.append(problem)
            return web.json_response({"error": {"code": problem.split(":")[0],
                                                "message": problem}}, status=400)
        new_id = f"bot-activity-{next(self._ids)}"
        await self._record(request, "POST", request.match_info.get("activity_id"), new_id)
        self.streams.record(conversation_id, body, new_id)
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
