"""GET /readyz and GET /metrics, the same on every HTTP server (Slack, Teams).

/healthz (the process is alive) stays with each server; /readyz says whether
this process can serve now (the store answers); /metrics is Prometheus' text
format (bot.ops.metrics).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.ops.metrics import exposition

Readiness = Callable[[], Awaitable[tuple[bool, str]]]


def add_ops_routes(app: web.Application, *, ready: Readiness) -> None:
    async def readyz(_: web.Request) -> web.Response:
        ok, why = await ready()
        if ok:
            return web.json_response({"ready": True})
        return web.json_response({"ready": False, "reason": why}, status=503)

    async def metrics(_: web.Request) -> web.Response:
        body, content_type = exposition()
        # aiohttp wants the charset apart from the media type.
        media, _sep, params = content_type.partition(";")
        charset = params.split("charset=")[-1].strip() if "charset=" in params else None
        return web.Response(body=body, content_type=media.strip(), charset=charset)

    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
