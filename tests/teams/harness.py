"""The Teams bot on a real port, and a client that posts activities to it."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from adapters.http_guard import runner_options
from adapters.teams.config import BotFrameworkConfig
from adapters.teams.server import DELIVERIES_KEY, LISTEN_BACKLOG, build_web_app
from bot.engine import Engine
from bot.kernel.settings import Settings


@dataclass
class Posted:
    status: int
    body: Any
    elapsed_s: float


class BotServer:
    def __init__(
        self, settings: Settings, engine: Engine, *, config: BotFrameworkConfig | None = None,
        **options: Any,
    ) -> None:
        self.app = build_web_app(settings, engine, config=config, **options)
        self.engine = engine
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> BotServer:
        self._runner = web.AppRunner(self.app, **runner_options())  # as `run` does
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=LISTEN_BACKLOG)  # as `run` does
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        return self

    async def post(
        self, activity: dict[str, Any] | bytes, *, headers: dict[str, str] | None = None
    ) -> Posted:
        assert self._session is not None
        data = activity if isinstance(activity, bytes) else json.dumps(activity).encode()
        sent_headers = {"Content-Type": "application/json", **(headers or {})}
        started = time.perf_counter()
        async with self._session.post(
            f"{self.url}/api/messages", data=data, headers=sent_headers
        ) as resp:
            raw = await resp.read()
            elapsed = time.perf_counter() - started
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        return Posted(resp.status, body, elapsed)

    async def get(self, path: str) -> Posted:
        assert self._session is not None
        started = time.perf_counter()
        async with self._session.get(f"{self.url}{path}") as resp:
            body = await resp.json()
        return Posted(resp.status, body, time.perf_counter() - started)

    async def idle(self, timeout_s: float = 15.0) -> None:
        """Wait until every background delivery is done."""
        await self.app[DELIVERIES_KEY].drain(timeout_s)

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
        await self.idle()
        if self._runner is not None:
            await self._runner.cleanup()
