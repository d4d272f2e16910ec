"""Assembling the Slack app: Bolt's AsyncApp with our listeners, and the aiohttp
web application that serves it in HTTP mode (POST /slack/events, GET /healthz,
/readyz, /metrics).

Both are factories so tests and the benchmark run the real thing on a port.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
import time
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.error import BoltError
from slack_bolt.oauth.async_callback_options import AsyncFailureArgs
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.http_guard import BODY_TIMEOUT_S, BodyRefused, guard_middleware, parse_json, read_body
from adapters.ops_routes import Readiness, add_ops_routes
from adapters.slack import oauth, payloads
from adapters.slack.auth import SharedAuthTest
from adapters.slack.listeners import Engine, Listeners
from adapters.slack.oauth import OAuthStores
from adapters.slack.streaming import Streaming
from bot.kernel.settings import Settings

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
# Slack payloads are a few KB; an interaction carrying a 50-block message and a
# modal's state stays well under this. Refused while reading, before any HMAC.
MAX_BODY_BYTES = 512 * 1024
MAX_CLOCK_SKEW_S = 300  # Slack's own rule: older requests may be replays
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
_FORM = "application/x-www-form-urlencoded"
# Every value Slack or Bolt puts in an install URL (state, code, error, team) is
# made of these. Bolt copies `team` unescaped into the Location it answers and
# logs `code` and `error` as they come: anything else is a hand-made link.
_INSTALL_VALUE = re.compile(r"[A-Za-z0-9._-]{1,256}")


def build_web_client(settings: Settings, *, with_token: bool = True) -> AsyncWebClient:
    """The Web API client: SLACK_API_URL honoured, Slack's 429 Retry-After obeyed,
    a 500/503 or a dropped connection tried again (twice, with backoff) before
    the caller gives up and logs it.

    Inside a running event loop it gets one pooled aiohttp session (kept-alive
    connections; slack_sdk otherwise opens a session per call); close it with
    `close_slack_app`.
    """
    kwargs: dict[str, Any] = {}
    if settings.slack_api_url:
        kwargs["base_url"] = settings.slack_api_url.rstrip("/") + "/"
    try:
        asyncio.get_running_loop()
        kwargs["session"] = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=100),
            timeout=aiohttp.ClientTimeout(total=30),
        )
    except RuntimeError:
        pass  # built outside a loop: slack_sdk makes a session per call
    return AsyncWebClient(
        # Distribution mode: no token of its own, each request gets its workspace's.
        token=settings.slack_bot_token if with_token else None,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ],
        **kwargs,
    )


def _bolt_logger() -> logging.Logger:
    """Bolt's logger, minus two misleading warnings: Bolt reads SLACK_BOT_TOKEN from
    the environment itself and then says it is unused (or ignored, beside our
    `authorize`), because we hand it a client built from the settings (same token,
    plus SLACK_API_URL and retry handlers) that `SharedAuthTest` uses."""
    bolt_log = logging.getLogger("adapters.slack.bolt")
    if not bolt_log.filters:
        bolt_log.addFilter(lambda record: not any(
            noise in record.getMessage() for noise in ("will be unused", "will be ignored")))
    return bolt_log


def build_slack_app(
    settings: Settings,
    engine: Engine,
    *,
    placeholder_after_s: float = 0.5,
    streaming: Streaming | None = None,
    oauth_stores: OAuthStores | None = None,
) -> AsyncApp:
    """The Bolt app. With `oauth_stores` (distribution mode), each request runs
    with its own workspace's token from the installation store; without, with
    SLACK_BOT_TOKEN (one workspace)."""
    if oauth_stores is not None:
        client = build_web_client(settings, with_token=False)
        install = oauth.oauth_settings(settings, oauth_stores)
        app = AsyncApp(
            name="symbiose",
            logger=_bolt_logger(),
            client=client,
            signing_secret=settings.slack_signing_secret or "",
            oauth_settings=install,
            authorize=oauth.authorize(install, client, _bolt_logger()),  # type: ignore[arg-type]
            process_before_response=False,
            raise_error_for_unhandled_request=False,
        )
        # app_uninstalled and tokens_revoked delete that workspace's tokens.
        app.enable_token_revocation_listeners()
    else:
        client = build_web_client(settings)
        app = AsyncApp(
            name="symbiose",
            logger=_bolt_logger(),
            client=client,
            # One auth.test per process, shared by a cold burst's concurrent requests
            # (single-workspace mode: the token is ours).
            authorize=SharedAuthTest(client) if settings.slack_bot_token else None,
            signing_secret=settings.slack_signing_secret or "",
            process_before_response=False,
            raise_error_for_unhandled_request=False,
        )

        async def token_gone(body: dict[str, Any]) -> None:
            # One workspace, one token: nothing to delete, but the operator must know.
            log.warning("Slack says the app was uninstalled or its token revoked in %s: "
                        "SLACK_BOT_TOKEN no longer works there", body.get("team_id"))

        app.event("app_uninstalled")(token_gone)
        app.event("tokens_revoked")(token_gone)
    Listeners(
        engine,
        default_lang=settings.lang,
        placeholder_after_s=placeholder_after_s,
        streaming=streaming,
    ).register(app)

    @app.error
    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        # The one error hook: log once, with what kind of payload it was, no content.
        kind = body.get("type") or body.get("command") or "?"
        event = (
            (body.get("event") or {}).get("type") if isinstance(body.get("event"), dict) else None
        )
        log.error(
            "Slack listener failed on %s%s", kind, f"/{event}" if event else "", exc_info=error
        )

    return app


async def close_slack_app(bolt_app: AsyncApp) -> None:
    """Release the Web API client's pooled connections."""
    session = getattr(bolt_app.client, "session", None)
    if isinstance(session, aiohttp.ClientSession) and not session.closed:
        await session.close()


def build_socket_handler(bolt_app: AsyncApp, *, app_token: str) -> Any:
    """Socket Mode: the app opens a websocket to Slack (apps.connections.open on
    the same Web API client, so SLACK_API_URL applies), no public URL needed."""
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

    return AsyncSocketModeHandler(bolt_app, app_token=app_token)


def _plausibly_signed(headers: Any, *, now: float | None = None) -> bool:
    """Signature headers of the right shape and a fresh timestamp: checked
    before the body is read, so a request that cannot be Slack's costs nothing."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return False  # a 400-digit or non-ASCII "timestamp" never reaches int()
    if not _SIGNATURE.fullmatch(signature):
        return False
    return abs((time.time() if now is None else now) - int(timestamp)) <= MAX_CLOCK_SKEW_S


async def _always_ready() -> tuple[bool, str]:
    return True, ""


def slack_signature(secret: bytes, timestamp: str, raw: bytes) -> str:
    """Slack's v0 signature of the raw bytes. (slack_sdk's verifier decodes the
    body as UTF-8 first, which raises on bytes a stranger chose.)"""
    base = b"v0:" + timestamp.encode("ascii") + b":" + raw
    return "v0=" + hmac.new(secret, base, hashlib.sha256).hexdigest()


def _signed(secret: bytes, raw: bytes, headers: Any) -> bool:
    if not _plausibly_signed(headers):
        return False
    expected = slack_signature(secret, headers["X-Slack-Request-Timestamp"], raw)
    return hmac.compare_digest(expected, headers["X-Slack-Signature"])


def _json_parts(request: web.Request, text: str) -> list[str]:
    """The JSON documents inside a body, to check before Bolt parses them."""
    if request.content_type == "application/json":
        return [text]
    from urllib.parse import parse_qs

    form = parse_qs(text, keep_blank_values=True, max_num_fields=200)
    return [v for key in ("payload",) for v in form.get(key, [])]


def build_web_app(bolt_app: AsyncApp, *, signing_secret: str,
                  body_timeout_s: float = BODY_TIMEOUT_S,
                  ready: Readiness = _always_ready) -> web.Application:
    """HTTP mode. The signature headers are checked before the body is read and
    the signature before the body is decoded or parsed, so an unsigned request
    costs at most one capped read and one HMAC and never reaches a listener; a
    signed body that is not UTF-8, not JSON, too deeply nested or of the wrong
    shape gets a 400 (adapters.slack.payloads), never a 500."""
    secret = signing_secret.encode("utf-8")

    async def events(request: web.Request) -> web.Response:
        if not _plausibly_signed(request.headers):
            return web.Response(status=401, text="invalid signature")
        if request.content_type not in ("application/json", _FORM):
            return web.Response(status=415, text="unsupported content type")
        try:
            raw = await read_body(request, max_bytes=MAX_BODY_BYTES, timeout_s=body_timeout_s)
        except BodyRefused as refused:
            return refused.response()
        if not _signed(secret, raw, request.headers):
            return web.Response(status=401, text="invalid signature")
        try:
            text = raw.decode("utf-8")
            for part in _json_parts(request, text):
                parse_json(part)  # depth and syntax, before Bolt's own parse
            bolt_req = AsyncBoltRequest(
                body=text, query=request.query_string, headers=dict(request.headers)
            )
        except (ValueError, TypeError, BoltError, AttributeError, RecursionError):
            return web.Response(status=400, text="malformed body")
        reason = payloads.problem(bolt_req.body)
        if reason is not None:
            log.warning("refused a signed but malformed Slack request: %s", reason)
            return web.Response(status=400, text="malformed body")
        return await to_aiohttp_response(await bolt_app.async_dispatch(bolt_req))

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    flow = bolt_app.oauth_flow

    async def install(request: web.Request) -> web.Response:
        assert flow is not None  # routed only in distribution mode
        bolt_req = AsyncBoltRequest(body="", query=request.query_string,
                                    headers=dict(request.headers))
        if not all(_INSTALL_VALUE.fullmatch(v) for v in request.query.values()):
            # e.g. team=T1%26redirect_uri%3D... (a parameter added to Slack's consent
            # URL), or a newline in `error` (a forged line in the log): a failure page.
            return await to_aiohttp_response(await flow.failure_handler(AsyncFailureArgs(
                request=bolt_req, reason="malformed_link", suggested_status_code=400,
                settings=flow.settings, default=flow.default_callback_options)))
        try:
            if request.path == flow.install_path:
                bolt_resp = await flow.handle_installation(bolt_req)
            else:
                bolt_resp = await flow.handle_callback(bolt_req)
        except Exception as exc:  # e.g. Redis down: a page that says so, not a stack trace
            log.exception("Slack install flow failed on %s", request.path)
            bolt_resp = await flow.failure_handler(AsyncFailureArgs(
                request=bolt_req, reason="storage_error", error=exc, suggested_status_code=503,
                settings=flow.settings, default=flow.default_callback_options))
        return await to_aiohttp_response(bolt_resp)

    async def on_cleanup(_: web.Application) -> None:
        await close_slack_app(bolt_app)

    web_app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[guard_middleware])
    web_app.add_routes([web.post(EVENTS_PATH, events), web.get("/healthz", healthz)])
    add_ops_routes(web_app, ready=ready)
    if flow is not None:
        web_app.add_routes([web.get(flow.install_path, install),
                            web.get(flow.redirect_uri_path, install)])
    web_app.on_cleanup.append(on_cleanup)
    return web_app
