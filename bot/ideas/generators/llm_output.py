"""Reading a chat model's answer: JSON found in free text, validated with pydantic.

We ask every provider for JSON in plain text rather than tool calling /
structured output: it works the same with OpenAI, Anthropic, Ollama, Mistral
and langchain's fake models. Models wrap JSON in ```json fences or add a
sentence around it, so the parser looks for the JSON value inside the text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from bot.brief.brand import FIELDS, MAX_VALUE_LENGTH

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_FENCE = re.compile(r"```[a-zA-Z]*\s*\n?(.*?)```", re.DOTALL)
_OPENERS = re.compile(r"[{\[]")


class BadOutput(ValueError):
    """The answer could not be used; the message is sent back to the model on retry,
    so it says what was wrong in a few words."""


class AngleOut(BaseModel):
    # Extra keys are ignored: models like to add "n" or "notes"; harmless.
    model_config = ConfigDict(extra="ignore")

    strategy: Text
    title: Text
    hook: Text
    rationale: Text
    channel: Text
    to_validate: list[Annotated[str, StringConstraints(strip_whitespace=True)]]


class AnglesOut(BaseModel):
    model_config = ConfigDict(extra="ignore")
    angles: list[AngleOut]


class RefineOut(BaseModel):
    model_config = ConfigDict(extra="ignore")
    angle: AngleOut


class CritiqueOut(BaseModel):
    model_config = ConfigDict(extra="ignore")
    questions: list[Text] = Field(min_length=1)
    summary: str = ""


class BrandOut(BaseModel):
    model_config = ConfigDict(extra="ignore")
    fields: dict[str, Any] = Field(default_factory=dict)


def find_json(text: str) -> Any:
    """The first JSON object or array in `text` (fenced block preferred)."""
    decoder = json.JSONDecoder()
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    for candidate in candidates:
        for opener in _OPENERS.finditer(candidate):
            try:
                value, _ = decoder.raw_decode(candidate, opener.start())
            except json.JSONDecodeError:
                continue
            return value
    raise BadOutput("no JSON object found in the answer")


def validate(model: type[BaseModel], data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "answer"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise BadOutput(f"{where}: {first['msg']}{more}") from None


def parse_angles(text: str, strategies: Sequence[str]) -> list[AngleOut]:
    """One validated angle per requested strategy, in the requested order."""
    data = find_json(text)
    if isinstance(data, list):  # a bare list of angles is fine too
        data = {"angles": data}
    angles = validate(AnglesOut, data).angles
    wanted = list(strategies)
    if len(angles) != len(wanted):
        raise BadOutput(f"expected {len(wanted)} angles, got {len(angles)}")
    by_strategy = {a.strategy: a for a in angles}
    if sorted(by_strategy) != sorted(wanted):
        got = ", ".join(a.strategy for a in angles)
        raise BadOutput(f"strategies must be exactly {', '.join(wanted)} (got {got})")
    # Right set, maybe another order: put them back in the order we asked.
    return [by_strategy[s] for s in wanted]


def parse_refined(text: str) -> AngleOut:
    data = find_json(text)
    if isinstance(data, dict) and "angle" not in data and "title" in data:
        data = {"angle": data}  # the angle alone, without its wrapper
    angle: AngleOut = validate(RefineOut, data).angle
    return angle


def parse_critique(text: str) -> CritiqueOut:
    critique: CritiqueOut = validate(CritiqueOut, find_json(text))
    return critique


def parse_brand_fields(text: str) -> dict[str, str]:
    """Known fields with a non-empty text value; anything else is dropped."""
    found = validate(BrandOut, find_json(text)).fields
    out: dict[str, str] = {}
    for name, value in found.items():
        if name in FIELDS and isinstance(value, str) and value.strip():
            out[name] = value.strip()[:MAX_VALUE_LENGTH]
    return out
