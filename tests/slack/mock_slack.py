"""A local mock of Slack's Web API (and Socket Mode websocket) over real HTTP.

In the spirit of slack-bolt's tests/mock_web_api_server: the real slack_sdk
client talks to it through SLACK_API_URL (settings.slack_api_url); every call
is recorded (method, parsed arguments) so tests assert on what the app sent.
`response_url`s point here too (/respond/<id>), and apps.connections.open hands
out a ws:// URL served by the same aiohttp app, for Socket Mode.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

from adapters.slack.oauth import BOT_SCOPES
from tests.slack.block_check import message_errors

BOT_USER = "UBOT"
BOT_ID = "BBOT"
TEAM = "T1"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


class MockSlack:
    def __init__(self, *, locales: dict[str, str] | None = None,
                 names: dict[str, str] | None = None) -> None:
        self.calls: list[Call] = []
        self.names = names or {}
        # Uploaded file contents (files.getUploadURLExternal's upload URL), by file id.
        self.uploads: dict[str, bytes] = {}
        # The channel as the app left it: ts -> {channel, thread_ts, text, blocks, ts}
        self.messages: dict[str, dict[str, Any]] = {}
        self.locales = locales or {}
        self.url = ""
        self._ts = itertools.count(1)
        # method -> number of upcoming calls to answer with HTTP 429
        self.rate_limit_next: dict[str, int] = {}
        # method -> seconds to wait before answering (a slow Slack, for cold-start races)
        self.latency: dict[str, float] = {}
        # method -> number of upcoming calls to answer with an HTTP 500
        self.server_error_next: dict[str, int] = {}
        # method -> Slack error code for its next call ({"ok": false, "error": code})
        self.fail_next: dict[str, str] = {}
        # Set: chat.startStream is refused with this error (a workspace without streaming).
        self.streaming_refused: str | None = None
        # (channel_id, thread_ts) -> {"status"|"title"|"suggestedprompts": what was set}
        self.assistant_threads: dict[tuple[str, str], dict[str, Any]] = {}
        self.websockets: list[web.WebSocketResponse] = []
        self.socket_acks: list[dict[str, Any]] = []
        self.socket_connected = asyncio.Event()
        self._runner: web.AppRunner | None = None
        # Called with each Call as it arrives (the benchmark timestamps answers this way).
        self.observers: list[Callable[[Call], None]] = []
        # OAuth: code -> oauth.v2.access answer; bot token -> auth.test answer (add_install).
        self.oauth_codes: dict[str, dict[str, Any]] = {}
        self.bots: dict[str, dict[str, Any]] = {}

    def add_install(self, code: str, *, token: str, team: str | None,
                    enterprise: str | None = None, org_wide: bool = False,
                    bot_user: str = BOT_USER, installer: str = "UADMIN") -> None:
        """Make `code` exchangeable once for `token`, as Slack does after a person
        clicks "Allow" in `team` (or, org_wide, in the Enterprise Grid org)."""
        self.oauth_codes[code] = {
            "ok": True, "app_id": "A1", "access_token": token, "token_type": "bot",
            "scope": ",".join(BOT_SCOPES),
            "bot_user_id": bot_user,
            "team": None if org_wide else {"id": team, "name": f"Team {team}"},
            "enterprise": {"id": enterprise, "name": f"Org {enterprise}"} if enterprise else None,
            "is_enterprise_install": org_wide,
            "authed_user": {"id": installer},
        }
        self.bots[token] = {"ok": True, "url": "https://x.slack.com/", "team": f"Team {team}",
                            "user": "symbiose", "team_id": team, "user_id": bot_user,
                            "bot_id": f"B{bot_user}", "enterprise_id": enterprise,
                            "is_enterprise_install": org_wide}

    def tokens_of(self, method: str) -> list[str]:
        """The bearer token of every call of `method` so far (what Authorization carried)."""
        return [str(c.args.get("_token")) for c in self.of(method)]

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> MockSlack:
        app = web.Application()
        app.add_routes([
            web.post("/api/{method}", self._api),
            web.get("/api/{method}", self._api),
            web.post("/respond/{id}", self._respond),
            web.post("/upload/{id}", self._upload),
            web.get("/link", self._socket),
        ])
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        for ws in list(self.websockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str = "1") -> str:
        return f"{self.url}/respond/{name}"

    # ------------------------------------------------------------ queries

    @property
    def block_errors(self) -> list[str]:
        """Block Kit errors of every message and view received (tests.slack.block_check),
        checked after the fact: the renderer builds plain dicts, slack_sdk validates here."""
        return [f"{c.method}: {e}" for c in self.calls for e in message_errors(c.args)]

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, predicate: Callable[[], Any], *, timeout: float = 5.0) -> Any:
        """Poll until `predicate()` is truthy (bounded), return its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                methods = [c.method for c in self.calls]
                raise AssertionError(f"timed out waiting; calls so far: {methods}")
            await asyncio.sleep(0.01)

    def all_text(self) -> str:
        """Everything the app sent to Slack, as one JSON string (for 'never contains' checks)."""
        return json.dumps([c.args for c in self.calls], ensure_ascii=False)

    # ------------------------------------------------------------ Web API

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _args(request)
        call = Call(method, args)
        self.calls.append(call)
        for observe in self.observers:
            observe(call)
        if self.latency.get(method):
            await asyncio.sleep(self.latency[method])
        if self.rate_limit_next.get(method, 0) > 0:
            self.rate_limit_next[method] -= 1
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": "1"})
        if self.server_error_next.get(method, 0) > 0:
            self.server_error_next[method] -= 1
            return web.Response(status=500, text="Internal Server Error")
        if method in self.fail_next:
            return web.json_response({"ok": False, "error": self.fail_next.pop(method)})
        return web.json_response(self._answer(method, args))

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "oauth.v2.access":
            # A code works once, like Slack's.
            answer = self.oauth_codes.pop(str(args.get("code")), None)
            return answer or {"ok": False, "error": "invalid_code"}
        if method == "auth.test" and args.get("_token") in self.bots:
            return self.bots[str(args["_token"])]
        if method == "auth.test":
            return {"ok": True, "url": "https://x.slack.com/", "team": "Acme", "user": "symbiose",
                    "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID}
        if method in ("chat.postMessage", "chat.update"):
            ts = args.get("ts") or f"{time.time():.0f}.{next(self._ts):06d}"
            kept = self.messages.get(ts, {"user": BOT_USER, "bot_id": BOT_ID})
            self.messages[ts] = {**kept, **{k: v for k, v in args.items() if not k.startswith("_")},
                                 "ts": ts}
            return {"ok": True, "channel": args.get("channel"), "ts": ts,
                    "message": {"text": args.get("text"), "ts": ts}}
        if method.endswith("Stream"):
            return self._stream(method, args)
        if method.startswith("assistant.threads."):
            return self._assistant(method, args)
        if method == "conversations.replies":
            return self._replies(args)
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{time.time():.0f}.{next(self._ts):06d}"}
        if method == "users.info":
            user = args.get("user", "")
            return {"ok": True, "user": {"id": user, "locale": self.locales.get(user, "en-US"),
                                         "real_name": self.names.get(user, ""),
                                         "profile": {"display_name": self.names.get(user, "")}}}
        if method == "canvases.create":
            return {"ok": True, "canvas_id": f"F0CANVAS{next(self._ts):04d}"}
        if method == "files.info":
            file_id = args.get("file", "")
            return {"ok": True, "file": {"id": file_id,
                                         "permalink": f"https://acme.slack.com/docs/T1/{file_id}"}}
        if method == "files.getUploadURLExternal":
            file_id = f"F0FILE{next(self._ts):04d}"
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.url}/upload/{file_id}"}
        if method == "files.completeUploadExternal":
            files = args.get("files")
            files = json.loads(files) if isinstance(files, str) else files or []
            return {"ok": True, "files": [{"id": f.get("id"), "title": f.get("title")}
                                          for f in files]}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.url.replace("http://", "ws://") + "/link"}
        if method in ("views.publish", "views.open"):
            return {"ok": True, "view": {"id": "V1"}}
        return {"ok": True}

    def _stream(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        """chat.startStream / appendStream / stopStream: the streamed text accumulates
        in the message's `text`; `streaming` says whether the stream is open."""
        if method == "chat.startStream":
            if self.streaming_refused:
                return {"ok": False, "error": self.streaming_refused}
            if not args.get("thread_ts"):
                return {"ok": False, "error": "invalid_arguments"}
            ts = f"{time.time():.0f}.{next(self._ts):06d}"
            self.messages[ts] = {"user": BOT_USER, "bot_id": BOT_ID,
                                 "channel": args.get("channel"), "thread_ts": args["thread_ts"],
                                 "text": args.get("markdown_text", ""), "streaming": True,
                                 "ts": ts}
            return {"ok": True, "channel": args.get("channel"), "ts": ts}
        message = self.messages.get(str(args.get("ts")))
        if message is None or not message.get("streaming"):
            return {"ok": False, "error": "message_not_in_streaming_state"}
        if method == "chat.appendStream":
            message["text"] += args.get("markdown_text", "")
        elif method == "chat.stopStream":
            message["streaming"] = False
        return {"ok": True, "channel": args.get("channel"), "ts": message["ts"]}

    # The assistant.threads.* methods of Slack's AI app mode: each thread's status,
    # title and suggested prompts, as the app last set them.
    _ASSISTANT_REQUIRED = {
        "assistant.threads.setStatus": ("channel_id", "thread_ts", "status"),
        "assistant.threads.setTitle": ("channel_id", "thread_ts", "title"),
        "assistant.threads.setSuggestedPrompts": ("channel_id", "prompts"),
    }

    def _assistant(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        required = self._ASSISTANT_REQUIRED.get(method)
        if required is None:
            return {"ok": False, "error": "unknown_method"}
        if any(args.get(name) in (None, "") for name in required):
            return {"ok": False, "error": "invalid_arguments"}
        prompts = args.get("prompts")
        if isinstance(prompts, str):
            prompts = json.loads(prompts)
        if method.endswith("setSuggestedPrompts") and (
            not isinstance(prompts, list) or not 1 <= len(prompts) <= 4
            or not all(isinstance(p, dict) and p.get("title") and p.get("message")
                       for p in prompts)):
            return {"ok": False, "error": "invalid_arguments"}
        key = (str(args["channel_id"]), str(args.get("thread_ts") or ""))
        field_name = method.rsplit(".set", 1)[1].lower()  # status / title / suggestedprompts
        self.assistant_threads.setdefault(key, {})[field_name] = (
            prompts if field_name == "suggestedprompts" else args[field_name])
        return {"ok": True}

    def _replies(self, args: dict[str, Any]) -> dict[str, Any]:
        """A thread's messages (the root and its replies), oldest first, with the
        metadata the app set (Bolt's thread context store reads it)."""
        ts = str(args.get("ts") or "")
        found = [dict(m) for m in self.messages.values()
                 if m.get("channel") == args.get("channel")
                 and (m.get("thread_ts") == ts or m.get("ts") == ts)]
        for message in found:
            if isinstance(message.get("metadata"), str):
                message["metadata"] = json.loads(message["metadata"])
        return {"ok": True, "messages": sorted(found, key=lambda m: str(m["ts"])),
                "has_more": False}

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["id"]] = await request.read()
        return web.Response(text="OK - 1")

    async def _respond(self, request: web.Request) -> web.Response:
        self.calls.append(Call("response_url", await _args(request)))
        return web.Response(text="ok")

    # ------------------------------------------------------------ Socket Mode

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.websockets.append(ws)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        self.socket_connected.set()
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(msg.data))
        return ws

    async def push(self, envelope: dict[str, Any]) -> None:
        """Send a Socket Mode envelope to every connected app."""
        for ws in self.websockets:
            await ws.send_str(json.dumps(envelope))


async def _args(request: web.Request) -> dict[str, Any]:
    raw = await request.text()
    data: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        data.update(json.loads(raw or "{}"))
    else:
        data.update(parse_qsl(raw, keep_blank_values=True))
        for key in ("blocks", "view", "attachments", "metadata", "prompts", "loading_messages"):
            if isinstance(data.get(key), str):
                data[key] = json.loads(data[key])
    auth = request.headers.get("Authorization")
    if auth:
        data["_token"] = auth.removeprefix("Bearer ")
    return data
