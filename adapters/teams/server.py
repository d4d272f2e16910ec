"""The aiohttp web app: `POST /api/messages` (Bot Framework), `GET /healthz`,
`/readyz` and `/metrics`.

The request is checked here (size, read time, JSON, an activity) before the
SDK sees it, so a malformed body is a 400 and never an error inside the
process (adapters.http_guard); the SDK then authenticates it (401 without a
valid token when an app id is configured) from the activity's envelope alone:
the whole activity is built only once the token is checked. In emulator mode
(no app id) only this machine may talk to the bot and be answered
(adapters.teams.emulator).
"""

from __future__ import annotations

import gc
import logging
import sys
from typing import Any

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes
from msrest.exceptions import DeserializationError
from msrest.serialization import Model

from adapters import workers as worker_set
from adapters.http_guard import (
    BODY_TIMEOUT_S,
    BodyRefused,
    guard_middleware,
    parse_json,
    read_body,
    runner_options,
)
from adapters.ops_routes import add_ops_routes
from adapters.teams import emulator, inbound, render
from adapters.teams.adapter import OutboxCloudAdapter
from adapters.teams.bot import SymbioseTeamsBot
from adapters.teams.config import BotFrameworkConfig
from adapters.teams.connectors import CachingBotFrameworkAuthentication
from adapters.teams.outbox import Outbox
from adapters.teams.proactive import Deliveries
from bot.engine import Engine
from bot.kernel.i18n import t
from bot.kernel.messages import Lang
from bot.kernel.settings import Settings

LISTEN_BACKLOG = worker_set.LISTEN_BACKLOG
log = logging.getLogger(__name__)

ADAPTER_KEY = web.AppKey("teams_adapter", OutboxCloudAdapter)
EMULATOR_KEY = web.AppKey("teams_emulator_mode", bool)
BODY_TIMEOUT_KEY = web.AppKey("teams_body_timeout_s", float)
BOT_KEY = web.AppKey("teams_bot", SymbioseTeamsBot)
DELIVERIES_KEY = web.AppKey("teams_deliveries", Deliveries)
MAX_BODY = 256 * 1024  # a Teams activity is a few KB; Teams caps messages near 28 KB


def build_adapter(config: BotFrameworkConfig, *, default_lang: Lang) -> OutboxCloudAdapter:
    adapter = OutboxCloudAdapter(CachingBotFrameworkAuthentication(config), outbox=Outbox())

    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        activity = context.activity
        conversation = activity.conversation.id if activity.conversation else "?"
        log.error("Teams turn failed (type=%s id=%s conversation=%s): %s", _name(activity.type),
                  activity.id, conversation, type(error).__name__, exc_info=error)
        lang = (
            context.turn_state.get(inbound.LANG_STATE_KEY)
            or inbound.locale_lang(activity.locale)
            or default_lang
        )
        try:
            await context.send_activity(render.text_activity(t("teams.sorry", lang)))
        except Exception as exc:  # the connector itself may be what failed
            log.warning("could not send the apology: %s", type(exc).__name__)

    adapter.on_turn_error = on_turn_error
    return adapter


def _name(value: object) -> str:
    # The SDK sets enum members on activities it builds (proactive turns), strings elsewhere.
    return str(getattr(value, "value", value))


async def _messages(request: web.Request) -> web.StreamResponse:
    if request.content_type != "application/json":
        return web.json_response({"error": "expected application/json"}, status=415)
    try:
        raw = await read_body(request, max_bytes=MAX_BODY, timeout_s=request.app[BODY_TIMEOUT_KEY])
        body = parse_json(raw)
    except BodyRefused as refused:
        return refused.response()
    except (ValueError, RecursionError):  # bad UTF-8, bad or too deep JSON
        return web.json_response({"error": "malformed JSON"}, status=400)
    envelope = _envelope(body)
    if envelope is None:
        return web.json_response({"error": "expected an activity"}, status=400)
    if request.app[EMULATOR_KEY] and not emulator.loopback_service_url(envelope.service_url):
        # Unauthenticated: answering would mean POSTing wherever a stranger says.
        log.warning("emulator mode: refused an activity whose serviceUrl is not on this machine")
        return web.json_response({"error": "emulator mode answers this machine only"},
                                 status=403)
    adapter, bot = request.app[ADAPTER_KEY], request.app[BOT_KEY]
    try:
        # Only the envelope is looked at before the token is checked: building the whole
        # activity (msrest, pure Python) from 250 KB of tiny entities takes a third of a
        # second of CPU, which nobody unauthenticated may make the bot spend.
        auth = await adapter.bot_framework_authentication.authenticate_request(
            envelope, request.headers.get("Authorization", "")
        )
    except Exception as exc:
        # Missing, malformed, expired or unverifiable token: nothing gets processed.
        # (The SDK raises PermissionError, jwt errors, or a network error when the
        # signing keys cannot be fetched; all mean "not proven to come from Teams".)
        log.warning("rejected an unauthenticated activity (%s)", type(exc).__name__)
        return web.json_response({"error": "unauthorized"}, status=401)
    try:
        activity = Activity().deserialize(body)
    except (DeserializationError, TypeError, AttributeError, ValueError, RecursionError):
        return web.json_response({"error": "malformed activity"}, status=400)
    if not _addressable(activity):
        return web.json_response({"error": "expected an activity"}, status=400)
    if _answered_later(activity):
        # The turn (admission in Redis, then the answer) runs after the response:
        # in a burst the POST waits for nothing but this process's attention, and
        # every reply is sent through the connector anyway (proactive.Deliveries).
        request.app[DELIVERIES_KEY].track(_turn(adapter, auth, activity, bot))
        return web.Response(status=201)
    # What CloudAdapter.process does, minus its invoke-response bug (it serializes
    # again a body the handler already serialized, and fails on the dict).
    invoke = await adapter.process_activity(auth, activity, bot.on_turn)
    if invoke is None:
        return web.Response(status=201)
    invoke_body = invoke.body.serialize() if isinstance(invoke.body, Model) else invoke.body
    return web.json_response(invoke_body, status=int(invoke.status or 200))


def _envelope(body: object) -> Activity | None:
    """What authentication reads (serviceUrl, channelId), taken from the JSON as
    plain strings; None without a serviceUrl (nowhere an answer could go)."""
    if not isinstance(body, dict):
        return None
    service_url, channel = body.get("serviceUrl"), body.get("channelId")
    if not isinstance(service_url, str) or not service_url:
        return None
    return Activity(service_url=service_url,
                    channel_id=channel if isinstance(channel, str) else None)


def _answered_later(activity: Activity) -> bool:
    """A message whose sender expects no reply in the HTTP response body (invokes
    and `expectReplies` deliveries need the turn's result there)."""
    return activity.type == ActivityTypes.message and activity.delivery_mode != "expectReplies"


async def _turn(adapter: OutboxCloudAdapter, auth: Any, activity: Activity,
                bot: SymbioseTeamsBot) -> None:
    try:
        await adapter.process_activity(auth, activity, bot.on_turn)
    except Exception:  # on_turn_error has apologised when it could; nothing else to tell
        log.exception("Teams turn failed after the response (id=%s)", activity.id)


def _addressable(activity: Activity) -> bool:
    """A type, and where an answer would go. Teams always sends both; without
    them the turn could only fail later, inside the SDK, after a 201."""
    conversation = activity.conversation
    return (
        isinstance(activity.type, str) and bool(activity.type)
        and isinstance(activity.service_url, str) and bool(activity.service_url)
        and conversation is not None and isinstance(conversation.id, str) and bool(conversation.id)
    )


async def _healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def build_web_app(
    settings: Settings, engine: Engine, *, config: BotFrameworkConfig | None = None,
    body_timeout_s: float = BODY_TIMEOUT_S,
) -> web.Application:
    """`config`: the Bot Framework configuration when it is not just the four
    MICROSOFT_APP_* settings (botbuilder's other names, e.g. a sovereign cloud's
    endpoints, or a local token issuer in the tests)."""
    config = config or BotFrameworkConfig.from_settings(settings)
    if config.emulator_mode:
        log.warning("MICROSOFT_APP_ID is not set: emulator mode, requests are NOT "
                    "authenticated; only activities from and replies to 127.0.0.1 are served.")
    adapter = build_adapter(config, default_lang=settings.lang)
    deliveries = Deliveries(adapter, app_id=config.APP_ID)
    app = web.Application(client_max_size=MAX_BODY, middlewares=[guard_middleware])
    app[EMULATOR_KEY] = config.emulator_mode
    app[BODY_TIMEOUT_KEY] = body_timeout_s
    app[ADAPTER_KEY] = adapter
    app[DELIVERIES_KEY] = deliveries
    app[BOT_KEY] = SymbioseTeamsBot(
        engine=engine, deliveries=deliveries, default_lang=settings.lang
    )
    app.router.add_post("/api/messages", _messages)
    app.router.add_get("/healthz", _healthz)
    add_ops_routes(app, ready=engine.ready)

    async def connect_store(_app: web.Application) -> None:
        await engine.start()  # connected to the store before the first request

    async def freeze_startup_objects(_app: web.Application) -> None:
        # Everything built so far (imports, engine, catalogue, SDK models) lives as
        # long as the process. Kept out of the collector's sight, a full collection
        # during a burst scans only the work in progress: in the 200-activity
        # benchmark, 0.03 s instead of 0.13 s each.
        gc.freeze()

    async def drain(_app: web.Application) -> None:
        await deliveries.drain()

    async def close_outbox(_app: web.Application) -> None:
        await adapter.outbox.aclose()

    app.on_startup.append(connect_store)
    app.on_startup.append(freeze_startup_objects)
    app.on_shutdown.append(drain)
    app.on_cleanup.append(close_outbox)
    return app


def run(settings: Settings, *, port: int, host: str | None = None,
        workers: worker_set.WorkerPlan | None = None) -> int:
    """Serve until SIGTERM/SIGINT; with `workers.count` > 1, start that many
    processes on one port instead (adapters.workers)."""
    from bot.app import build_engine

    plan = workers or worker_set.WorkerPlan()
    config = BotFrameworkConfig.from_settings(settings)
    try:
        listen = emulator.listen_host(host, emulator_mode=config.emulator_mode)
    except emulator.ExposedEmulator:
        print(t("teams.emulator.refused_host", settings.lang, host=host), file=sys.stderr)
        return 2
    if plan.supervises:
        try:
            shared = worker_set.claim_port(listen, port)
        except OSError as exc:
            print(f"symbiose teams: cannot listen on {listen}:{port}: {exc.strerror}",
                  file=sys.stderr)
            return 2
        return worker_set.supervise(plan.argv, workers=plan.count, port=shared)
    engine = build_engine(settings)
    app = build_web_app(settings, engine, config=config)

    async def close_engine(_app: web.Application) -> None:
        await engine.aclose()

    app.on_cleanup.append(close_engine)
    if plan.announces:  # once for a set of workers
        # Emulator mode is said loudly, on the terminal and not only in the log.
        banner = "teams.emulator.banner" if config.emulator_mode else "teams.started"
        print(t(banner, settings.lang, host=listen, port=port), file=sys.stderr, flush=True)
        log.info("Teams bot on http://%s:%d/api/messages (%s)", listen, port,
                 settings.describe())
    options = runner_options()
    web.run_app(app, host=listen, port=port, print=None, backlog=LISTEN_BACKLOG,
                reuse_port=plan.reuse_port or None,
                keepalive_timeout=options.pop("keepalive_timeout"), **options)
    return 0
