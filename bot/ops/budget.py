"""The daily LLM budget per workspace or tenant (SYMBIOSE_LLM_BUDGET tokens a day).

Tokens are counted in Redis (one counter per workspace per UTC day, so every
replica adds to the same total), from what each model call reported. Once the
day's total reaches the budget, that workspace's turns are answered by the
offline engine, with a notice, until the next UTC day. A turn that starts under
the budget finishes with the LLM: the budget can be overrun by one turn's worth.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from bot.brief.brand import BrandContext
from bot.brief.model import BriefModel
from bot.brief.reader import BriefReader
from bot.ideas.generators.base import AngleGenerator, AngleRequest, Critique, GenerationError
from bot.kernel.intent import Intent
from bot.kernel.messages import Angle, Lang
from bot.ops import metrics, usage
from bot.store.connection import RedisClient
from bot.store.errors import StoreUnavailable, store_call
from bot.store.keys import Keys

log = logging.getLogger(__name__)

DAY_S = 24 * 3600


def utc_day(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%d")


class Budget:
    def __init__(self, redis: RedisClient, keys: Keys, *, tokens_per_day: int,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._redis = redis
        self._keys = keys
        self.tokens_per_day = tokens_per_day
        self._clock = clock

    async def spent(self, workspace: str) -> int:
        with store_call():
            raw = await self._redis.get(self._keys.budget(workspace, utc_day(self._clock())))
        return int(raw or 0)

    async def exhausted(self, workspace: str) -> bool:
        """Past today's budget. If the store is down the turn may use the LLM: the
        budget is a cost guard, not worth refusing answers for."""
        try:
            return await self.spent(workspace) >= self.tokens_per_day
        except StoreUnavailable:
            metrics.REDIS_ERRORS.inc()
            log.warning("budget unavailable (store outage); allowing the LLM for %s", workspace)
            return False

    async def spend(self, workspace: str, tokens: int) -> None:
        if tokens <= 0:
            return
        key = self._keys.budget(workspace, utc_day(self._clock()))
        try:
            with store_call():
                async with self._redis.pipeline(transaction=False) as pipe:
                    pipe.incrby(key, tokens)
                    pipe.expire(key, 2 * DAY_S)  # kept a day past its own, then gone
                    await pipe.execute()
        except StoreUnavailable:
            metrics.REDIS_ERRORS.inc()
            log.warning("could not count %d LLM tokens for %s (store outage)", tokens, workspace)


class BudgetGate:
    """The LLM generator, except for a turn whose workspace is past its budget:
    that turn gets the offline generator (and no plain-language reading), and the
    turn's usage records it so the engine adds the notice. Also counts fallbacks."""

    def __init__(self, llm: AngleGenerator, offline: AngleGenerator) -> None:
        self.name = llm.name
        self._llm = llm
        self._offline = offline

    def _allowed(self) -> bool:
        turn = usage.current.get()
        if turn is not None and turn.over_budget:
            turn.budget_applied = True
            return False
        return True

    async def angles(self, request: AngleRequest) -> list[Angle]:
        if not self._allowed():
            metrics.LLM_FALLBACKS.inc()
            return await self._offline.angles(request)
        with _counting_fallbacks():
            return await self._llm.angles(request)

    async def refine(self, angle: Angle, instruction: str, request: AngleRequest) -> Angle:
        if not self._allowed():
            metrics.LLM_FALLBACKS.inc()
            return await self._offline.refine(angle, instruction, request)
        with _counting_fallbacks():
            return await self._llm.refine(angle, instruction, request)

    async def challenge(self, target: Angle | str, request: AngleRequest) -> Critique:
        if not self._allowed():
            metrics.LLM_FALLBACKS.inc()
            return await self._offline.challenge(target, request)
        with _counting_fallbacks():
            return await self._llm.challenge(target, request)

    async def extract_brand(self, text: str, brand: BrandContext, lang: Lang) -> dict[str, str]:
        extract = getattr(self._llm, "extract_brand", None)
        if extract is None or not self._allowed():
            return {}
        found: dict[str, str] = await extract(text, brand, lang)
        return found

    async def interpret(self, text: str, lang: Lang, *, angles: Sequence[Angle],
                        pending_fields: Sequence[str]) -> Intent | None:
        interpret = getattr(self._llm, "interpret", None)
        if interpret is None or not self._allowed():
            return None
        found: Intent | None = await interpret(text, lang, angles=angles,
                                               pending_fields=pending_fields)
        return found


class BudgetedReader:
    """The model brief reader, skipped for a turn past its workspace's budget (the
    offline reading then stands alone, as when the model reader fails)."""

    def __init__(self, reader: BriefReader) -> None:
        self.name = reader.name
        self._reader = reader

    async def read(self, text: str, *, lang: str, known: BriefModel) -> BriefModel:
        turn = usage.current.get()
        if turn is not None and turn.over_budget:
            turn.budget_applied = True
            return BriefModel()
        return await self._reader.read(text, lang=lang, known=known)


class _counting_fallbacks:  # noqa: N801 - used as a `with` statement, like contextlib's
    """A GenerationError on its way to the engine's offline fallback: count it."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None and issubclass(kind, GenerationError):
            metrics.LLM_FALLBACKS.inc()

