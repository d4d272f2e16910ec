"""The LLM reader: a brief read by the configured chat model into the brief model.

It asks for the provider's native structured output where the model offers it
(`with_structured_output(..., method="json_schema")`, then tool calling), and
falls back to a JSON answer parsed and validated here. What it returns is
`extracted`: the offline reading runs first and what the user labelled
(`said`) always wins. Any failure leaves the offline reading standing.

As every model call: the message and what is known are fenced as data under the
system rule of prompts/llm_rules.yaml, personal data is replaced by placeholders
and put back in the reading (bot.kernel.pii), and the call ends with the
answer's deadline (bot.kernel.deadline).
"""

from __future__ import annotations

import asyncio
import copy
import logging
from functools import cache
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.runnables import RunnableConfig
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.brief.model import BRIEF_FIELDS, EXCLUSION_KEYS, BriefModel, Exclusion, Figure
from bot.brief.sectors import load_sectors
from bot.ideas.generators.llm_output import BadOutput, find_json
from bot.ideas.generators.prompt_data import fence
from bot.kernel import deadline
from bot.kernel.pii import Redaction
from bot.kernel.templates import (
    CALL_KIND,
    PromptRules,
    PromptTemplate,
    load_rules,
    load_templates,
)

log = logging.getLogger(__name__)
MAX_VALUE = 300
_SEASONS = {"spring", "summer", "autumn", "winter"}
_MARKETS = {"fr", "uk", "eu", "us"}
# What prompts/llm/read_brief.yaml may use.
OFFERED: frozenset[str] = frozenset({"known", "text", "sectors", "exclusions"})


class _ExclusionOut(BaseModel):
    model_config = ConfigDict(extra="ignore")
    key: str
    text: str = ""


class BriefReading(BaseModel):
    """What the model may answer: every key optional, unknown keys ignored."""

    model_config = ConfigDict(extra="ignore")
    product: str = ""
    brand: str = ""
    audience: str = ""
    objective: str = ""
    tone: str = ""
    channels: str = ""
    constraints: str = ""
    competitors: str = ""
    values: str = ""
    exclusions: list[_ExclusionOut] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)
    market: str = ""
    occasion: str = ""
    season: str = ""
    figures: list[str] = Field(default_factory=list)
    concerns: list[str] = Field(default_factory=list)
    left_open: list[str] = Field(default_factory=list)

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        # The openai SDK asks for it on every structured call (to send it as the
        # response format): built once, it cost a quarter of the client's CPU in a
        # burst (bench_width's profile). A copy, as the SDK edits what it gets.
        return copy.deepcopy(_schema(cls, args, tuple(sorted(kwargs.items()))))


@cache
def _schema(model: type[BaseModel], args: tuple[Any, ...],
            kwargs: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    return super(BriefReading, model).model_json_schema(*args, **dict(kwargs))  # type: ignore[misc]


class LLMReader:
    name = "llm"

    def __init__(self, *, model: BaseChatModel, timeout_s: float = 20.0,
                 templates: dict[str, PromptTemplate] | None = None,
                 redact_pii: bool = True, rules: PromptRules | None = None) -> None:
        self._model = model
        self._timeout_s = timeout_s
        self._template = (templates or load_templates())["read_brief"]
        self._structured = _structured(model)
        self._redact_pii = redact_pii
        self._rules = rules or load_rules()

    async def read(self, text: str, *, lang: str, known: BriefModel) -> BriefModel:
        if not text.strip():
            return BriefModel()
        left = deadline.remaining()
        if left is not None and left < 0.5:
            raise TimeoutError("the answer's deadline was reached")
        book = load_sectors()
        redaction = Redaction()
        scrub = redaction.redact if self._redact_pii else (lambda value: value)
        prompt = self._template.render(
            known=fence("known", scrub(_known(known))) if _known(known) else "",
            text=fence("message", scrub(text)),
            sectors=", ".join(book.ids()), exclusions=", ".join(EXCLUSION_KEYS))
        system = self._rules.system(prompt.system)
        messages = [SystemMessage(system), HumanMessage(prompt.user)]
        timeout = self._timeout_s if left is None else min(self._timeout_s, left)
        reading = await asyncio.wait_for(self._ask(messages), timeout)
        if redaction.originals:
            reading = BriefReading.model_validate(_restored(reading.model_dump(), redaction))
        return to_model(reading, lang, set(book.ids()))

    async def _ask(self, messages: list[Any]) -> BriefReading:
        config: RunnableConfig = {"metadata": {CALL_KIND: "read_brief"}}  # tokens by kind
        if self._structured is not None:
            try:
                answer = await self._structured.ainvoke(messages, config=config)
                if isinstance(answer, BriefReading):
                    return answer
                return BriefReading.model_validate(answer)
            except (NotImplementedError, ValidationError, ValueError) as exc:
                log.info("structured brief reading failed (%s), asking for "
                         "JSON", type(exc).__name__)
        reply = await self._model.ainvoke(messages, config=config)
        try:
            return BriefReading.model_validate(find_json(reply.text))
        except ValidationError as exc:
            raise BadOutput(f"brief reading: {exc.error_count()} invalid value(s)") from None


def _structured(model: BaseChatModel) -> Any:
    """The model bound to the reading schema, natively, or None when it cannot be."""
    for method in ("json_schema", "function_calling"):
        try:
            return model.with_structured_output(BriefReading, method=method)
        except (NotImplementedError, ValueError, TypeError):
            continue
    return None


def _restored(value: Any, redaction: Redaction) -> Any:
    """The personal data the placeholders stood for, back in every string."""
    if isinstance(value, str):
        return redaction.restore(value)
    if isinstance(value, list):
        return [_restored(v, redaction) for v in value]
    if isinstance(value, dict):
        return {k: _restored(v, redaction) for k, v in value.items()}
    return value


def _known(model: BriefModel) -> str:
    known = model.known(facts_only=True)
    return "\n".join(f"- {k}: {v}" for k, v in known.items())


def to_model(reading: BriefReading, lang: str, sector_ids: set[str]) -> BriefModel:
    """The model's answer as a brief model: every value trimmed, unknown codes dropped."""
    # A field the reading's schema does not ask for ("benefits": read offline) stays out.
    fields = {name: str(getattr(reading, name, ""))[:MAX_VALUE] for name in BRIEF_FIELDS
              if str(getattr(reading, name, "")).strip()}
    exclusions: dict[str, Exclusion] = {}
    for item in reading.exclusions:
        key = item.key if item.key in EXCLUSION_KEYS else "other"
        exclusions.setdefault(key, Exclusion(key, item.text[:MAX_VALUE]))
    return BriefModel(lang=lang).with_fields(fields, "extracted").merged(BriefModel(
        exclusions=tuple(exclusions.values()),
        sectors=tuple(s for s in reading.sectors if s in sector_ids),
        market=reading.market.lower() if reading.market.lower() in _MARKETS else "",
        occasion=reading.occasion[:MAX_VALUE],
        season=reading.season.lower() if reading.season.lower() in _SEASONS else "",
        concerns=tuple(c[:60] for c in reading.concerns[:8] if c.strip()),
        figures=tuple(Figure(f[:60], "figure") for f in reading.figures if f.strip()),
        left_open=tuple(f for f in reading.left_open if f in BRIEF_FIELDS),
    ))
