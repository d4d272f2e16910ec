"""The Slack user's language (users.info locale), cached in-process.

Only a hint for the engine (which still reads the language of the text), so a
failed lookup just yields None. The cache is per process and bounded: a locale
rarely changes, and users.info is rate limited (Tier 4).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.kernel.messages import Lang

log = logging.getLogger(__name__)


def lang_of(locale: str | None) -> Lang | None:
    """'fr-FR' -> 'fr', 'en-GB' -> 'en', anything else -> None."""
    head = (locale or "").split("-")[0].split("_")[0].lower()
    return head if head in ("fr", "en") else None  # type: ignore[return-value]


class LocaleCache:
    def __init__(self, *, ttl_s: float = 3600.0, max_users: int = 10_000) -> None:
        self._ttl = ttl_s
        self._max = max_users
        self._entries: OrderedDict[str, tuple[float, Lang | None]] = OrderedDict()
        # One users.info call per user even when many of their events arrive at once.
        self._inflight: dict[str, asyncio.Future[Lang | None]] = {}
        # The same call gives the name colleagues see ("changed by Alice").
        self._names: OrderedDict[str, str] = OrderedDict()

    async def lang(self, client: AsyncWebClient, user: str) -> Lang | None:
        now = time.monotonic()
        hit = self._entries.get(user)
        if hit is not None and now - hit[0] < self._ttl:
            self._entries.move_to_end(user)
            return hit[1]
        task = self._inflight.get(user)
        if task is None:
            task = asyncio.ensure_future(self._fetch(client, user))
            self._inflight[user] = task
            task.add_done_callback(lambda _: self._inflight.pop(user, None))
        return await asyncio.shield(task)

    def name(self, user: str) -> str:
        """The user's display name, once `lang` has looked them up ('' if unknown)."""
        return self._names.get(user, "")

    async def _fetch(self, client: AsyncWebClient, user: str) -> Lang | None:
        try:
            resp = await client.users_info(user=user, include_locale=True)
            found = resp.get("user") or {}
            lang = lang_of(found.get("locale"))
            profile = found.get("profile") or {}
            name = (profile.get("display_name") or found.get("real_name")
                    or profile.get("real_name") or found.get("name") or "")
        except (SlackApiError, aiohttp.ClientError, TimeoutError, OSError, ValueError) as exc:
            log.info("users.info failed for a user (%s); no language hint", type(exc).__name__)
            return None
        self._entries[user] = (time.monotonic(), lang)
        self._entries.move_to_end(user)
        self._names[user] = str(name)[:80]
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
        while len(self._names) > self._max:
            self._names.popitem(last=False)
        return lang
