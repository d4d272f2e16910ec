"""The LLM reader: a brief read by the configured chat model into the brief model.

It asks for the provider's native structured output where the model offers it
(`with_structured_output(..., method="json_schema")`, then tool calling), and
falls back to a JSON answer parsed and validated here. What it returns is
`extracted`: the offline reading runs first and what the user labelled
(`said`) always wins. Any failure leaves the offline reading standing.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.brief.model import BRIEF_FIELDS, EXCLUSION_KEYS, BriefModel, Exclusion, Figure
from bot.brief.sectors import load_sectors
from bot.ideas.generators.llm_output import BadOutput, find_json
from bot.kernel.templates import PromptTemplate, load_templates

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


class LLMReader:
    name = "llm"

    def __init__(self, *, model: BaseChatModel, timeout_s: float = 20.0,
                 templates: dict[str, PromptTemplate] | None = None) -> None:
        self._model = model
        self._timeout_s = timeout_s
        self._template = (templates or load_templates())["read_brief"]
        self._structured = _structured(model)

    async def read(self, text: str, *, lang: str, known: BriefModel) -> BriefModel:
        if not text.strip():
            return BriefModel()
        book = load_sectors()
        prompt = self._template.render(
            known=_known(known), text=text, sectors=", ".join(book.ids()),
            exclusions=", ".join(EXCLUSION_KEYS))
        messages = [SystemMessage(prompt.system), HumanMessage(prompt.user)]
        reading = await asyncio.wait_for(self._ask(messages), self._timeout_s)
        return to_model(reading, lang, set(book.ids()))

    async def _ask(self, messages: list[Any]) -> BriefReading:
        if self._structured is not None:
            try:
                answer = await self._structured.ainvoke(messages)
                if isinstance(answer, BriefReading):
                    return answer
                return BriefReading.model_validate(answer)
            except (NotImplementedError, ValidationError, ValueError) as exc:
                log.info("structured brief reading failed (%s), asking for "
                         "JSON", type(exc).__name__)
        reply = await self._model.ainvoke(messages)
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


def _known(model: BriefModel) -> str:
    known = model.known(facts_only=True)
    return "\n".join(f"- {k}: {v}" for k, v in known.items()) or "(nothing yet)"


def to_model(reading: BriefReading, lang: str, sector_ids: set[str]) -> BriefModel:
    """The model's answer as a brief model: every value trimmed, unknown codes dropped."""
    fields = {name: str(getattr(reading, name))[:MAX_VALUE] for name in BRIEF_FIELDS
              if str(getattr(reading, name)).strip()}
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
