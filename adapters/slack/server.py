"""`symbiose slack [--http] [--port N]`: run the Slack app.

Socket Mode when SLACK_APP_TOKEN is set (no public URL needed), otherwise, or
with --http, HTTP mode on POST /slack/events. Missing credentials: a clear
message naming the variable, exit code 2.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import sys

from aiohttp import web

from adapters import workers as worker_set
from adapters.http_guard import runner_options
from adapters.slack import oauth
from adapters.slack.app import (
    build_slack_app,
    build_socket_handler,
    build_web_app,
    close_slack_app,
)
from bot.kernel.i18n import t
from bot.kernel.settings import Settings

OAUTH_HINTS = {
    "SLACK_CLIENT_ID": "Basic Information > App Credentials > Client ID",
    "SLACK_CLIENT_SECRET": "Basic Information > App Credentials > Client Secret",
    "SLACK_STATE_SECRET": "any long random string of yours (it also derives the key "
                          "that encrypts tokens, unless SYMBIOSE_ENCRYPTION_KEY is set)",
    "SLACK_SIGNING_SECRET": "Basic Information > App Credentials > Signing Secret",
    "REDIS_URL": "installations are kept in Redis, shared by every replica",
}


def missing_credential(settings: Settings, *, http: bool) -> tuple[str, str] | None:
    """(variable, hint key) of the first credential this mode lacks, or None."""
    if settings.slack_oauth:
        name = oauth.missing(settings)
        return None if name is None else (name, OAUTH_HINTS[name])
    if not settings.slack_bot_token:
        return "SLACK_BOT_TOKEN", "Bot User OAuth Token (xoxb-…), under Install App"
    if http and not settings.slack_signing_secret:
        return "SLACK_SIGNING_SECRET", "Basic Information > App Credentials > Signing Secret"
    if not http and not settings.slack_app_token:
        return (
            "SLACK_APP_TOKEN",
            "xapp-… (Socket Mode), or SLACK_SIGNING_SECRET with `symbiose slack --http`",
        )
    return None


def run(settings: Settings, *, http: bool, port: int,
        workers: worker_set.WorkerPlan | None = None) -> int:
    """Serve until SIGTERM/SIGINT; with `workers.count` > 1, start that many
    processes on one port instead (adapters.workers)."""
    plan = workers or worker_set.WorkerPlan()
    # Without an app token but with a signing secret, HTTP mode is what the admin set up;
    # distribution needs HTTP for the install pages (Slack redirects a browser to us).
    use_http = (http or settings.slack_oauth
                or (not settings.slack_app_token and bool(settings.slack_signing_secret)))
    missing = missing_credential(settings, http=use_http)
    if missing is not None:
        name, hint = missing
        print(t("slack.error.missing_env", settings.lang, name=name, hint=hint), file=sys.stderr)
        return 2
    if plan.supervises:
        try:
            shared = worker_set.claim_port("0.0.0.0", port) if use_http else None
        except OSError as exc:
            print(f"symbiose slack: cannot listen on port {port}: {exc.strerror}", file=sys.stderr)
            return 2
        return worker_set.supervise(plan.argv, workers=plan.count, port=shared)
    try:
        return asyncio.run(_serve(settings, http=use_http, port=port,
                                  reuse_port=plan.reuse_port, announce=plan.announces))
    except KeyboardInterrupt:
        return 0


async def _serve(settings: Settings, *, http: bool, port: int, reuse_port: bool = False,
                 announce: bool = True) -> int:
    from bot.app import build_engine, build_slack_oauth_stores

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # Windows
            loop.add_signal_handler(sig, stop.set)

    try:
        stores = build_slack_oauth_stores(settings) if settings.slack_oauth else None
    except ValueError as exc:  # an unusable encryption key: say which, no traceback
        print(f"symbiose slack: configuration error: {exc}", file=sys.stderr)
        return 2
    engine = build_engine(settings)
    bolt_app = build_slack_app(settings, engine, oauth_stores=stores)
    try:
        await engine.start()  # connected to the store before the first request
        if http:
            runner = web.AppRunner(
                build_web_app(bolt_app, signing_secret=settings.slack_signing_secret or "",
                              ready=engine.ready),
                **runner_options(),
            )
            await runner.setup()
            await web.TCPSite(runner, host="0.0.0.0", port=port,
                              backlog=worker_set.LISTEN_BACKLOG,
                              reuse_port=reuse_port or None).start()
            # What start-up built lives as long as the process: kept out of the
            # collector's sight, a collection during a burst scans only the work
            # in progress (as the Teams server does).
            gc.freeze()
            if announce:
                print(t("slack.started.http", settings.lang, port=port), file=sys.stderr,
                      flush=True)
            if stores is not None and announce:
                print(t("slack.started.oauth", settings.lang, port=port, path=oauth.INSTALL_PATH),
                      file=sys.stderr, flush=True)
            try:
                await stop.wait()
            finally:
                await runner.cleanup()  # also closes the Web API client
        else:
            handler = build_socket_handler(bolt_app, app_token=settings.slack_app_token or "")
            if announce:
                print(t("slack.started.socket", settings.lang), file=sys.stderr, flush=True)
            try:
                await handler.connect_async()
                await stop.wait()
            finally:
                await handler.close_async()
                await close_slack_app(bolt_app)
    finally:
        if stores is not None:
            await stores.aclose()
        await engine.aclose()
    return 0
