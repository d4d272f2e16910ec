"""The values that fill the LLM prompt templates, built from an AngleRequest.

The wording around them lives in prompts/llm/*.yaml; here we only turn our
objects into short plain-text blocks. Every block is capped so that a long
history or many liked angles cannot blow up the prompt, and every block of user
or stored text goes through `prompt_data.fence`, so it reaches the model as
data it cannot mistake for instructions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from bot.brief.brand import FIELDS, BrandContext
from bot.ideas.generators.base import AngleRequest
from bot.ideas.generators.prompt_data import fence
from bot.kernel.messages import Angle, Lang

LANGUAGE_NAMES: dict[str, str] = {"fr": "French", "en": "English"}
NONE = "(none)"
MAX_EXAMPLES = 5
MAX_HISTORY = 6
MAX_LINE = 300

# What the generator offers each template; checked against the templates'
# declared variables at start-up (a template may use fewer, never more).
OFFERED: dict[str, frozenset[str]] = {
    "angles": frozenset(
        {"language", "count", "brand", "brief", "strategies", "style", "liked", "avoid", "history"}
    ),
    "refine": frozenset(
        {"language", "brand", "brief", "strategy", "angle", "instruction", "style"}
    ),
    "challenge": frozenset({"language", "brand", "brief", "target"}),
    "extract_brand": frozenset({"language", "fields", "known", "text"}),
    "repair": frozenset({"problem"}),
    "interpret": frozenset({"language", "angles", "pending", "intents", "text"}),
}


class StrategyLike(Protocol):
    id: str

    def name_in(self, lang: str) -> str: ...

    def description_in(self, lang: str) -> str: ...


class CatalogueLike(Protocol):
    def get(self, strategy_id: str) -> StrategyLike: ...


def _clip(text: str, limit: int = MAX_LINE) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _lines(items: Iterable[str]) -> str:
    text = "\n".join(f"- {item}" for item in items)
    return text or NONE


def brand_block(brand: BrandContext, tag: str = "brand") -> str:
    known = brand.known()
    if not known:
        return "(nothing known yet: make reasonable, clearly stated assumptions)"
    return fence(tag, _lines(
        f"{name}: {_clip(value)}" + (" (assumed)" if name in brand.assumed else "")
        for name, value in known.items()
    ))


def strategy_line(n: int, strategy: StrategyLike, lang: Lang) -> str:
    # "[id]" is what the model must copy back; tests/llm_fakes.py reads it too.
    return f"{n}. [{strategy.id}] {strategy.name_in(lang)}: {strategy.description_in(lang)}"


def strategies_block(catalogue: CatalogueLike, ids: Sequence[str], lang: Lang) -> str:
    return "\n".join(strategy_line(i, catalogue.get(s), lang) for i, s in enumerate(ids, 1))


def angle_text(angle: Angle, tag: str = "angle") -> str:
    checks = "; ".join(angle.to_validate) or NONE
    return fence(tag, (
        f"[{angle.strategy}] {_clip(angle.title)}\n"
        f"hook: {_clip(angle.hook)}\n"
        f"rationale: {_clip(angle.rationale)}\n"
        f"channel: {_clip(angle.channel)}\n"
        f"to validate: {_clip(checks)}"
    ))


def examples_block(angles: Sequence[Angle], tag: str) -> str:
    recent = list(angles)[-MAX_EXAMPLES:]
    return fence(tag, _lines(
        f"[{a.strategy}] {_clip(a.title, 120)}: {_clip(a.hook, 200)}" for a in recent
    ))


def style_block(style: Mapping[str, str]) -> str:
    return fence("style", _lines(f"{k}: {_clip(str(v), 120)}" for k, v in style.items() if v))


def history_block(history: Sequence[str]) -> str:
    return fence("history", _lines(_clip(turn) for turn in list(history)[-MAX_HISTORY:]))


def text_block(tag: str, text: str, empty: str = NONE) -> str:
    """A user's own words (brief, instruction, idea, message) as data."""
    return fence(tag, text.strip() or empty)


def angles_values(request: AngleRequest, catalogue: CatalogueLike) -> dict[str, Any]:
    # AngleRequest carries only the ids of rejected angles; if the engine ever
    # passes the rejected Angle objects (`avoid`), show them as counter-examples.
    rejected: Sequence[Angle] = getattr(request, "avoid", ())
    return {
        "language": LANGUAGE_NAMES[request.lang],
        "count": len(request.strategies),
        "brand": brand_block(request.brand),
        "brief": text_block("brief", request.brief),
        "strategies": strategies_block(catalogue, request.strategies, request.lang),
        "style": style_block(request.style),
        "liked": examples_block(request.liked, "liked"),
        "avoid": examples_block(rejected, "avoid"),
        "history": history_block(request.history),
    }


def refine_values(
    angle: Angle, instruction: str, request: AngleRequest, catalogue: CatalogueLike
) -> dict[str, Any]:
    return {
        "language": LANGUAGE_NAMES[request.lang],
        "brand": brand_block(request.brand),
        "brief": text_block("brief", request.brief),
        "strategy": strategy_line(1, catalogue.get(angle.strategy), request.lang),
        "angle": angle_text(angle),
        "instruction": text_block(
            "instruction", instruction,
            "(no instruction: make it sharper, more concrete and more surprising)",
        ),
        "style": style_block(request.style),
    }


def challenge_values(target: Angle | str, request: AngleRequest) -> dict[str, Any]:
    return {
        "language": LANGUAGE_NAMES[request.lang],
        "brand": brand_block(request.brand),
        "brief": text_block("brief", request.brief),
        "target": angle_text(target, "idea") if isinstance(target, Angle)
        else text_block("idea", target),
    }


def extract_values(text: str, brand: BrandContext, lang: Lang) -> dict[str, Any]:
    return {
        "language": LANGUAGE_NAMES[lang],
        "fields": ", ".join(FIELDS),
        "known": brand_block(brand, "known") if brand.known() else NONE,
        "text": text_block("message", text),
    }
