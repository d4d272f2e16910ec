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
from bot.brief.model import BriefModel
from bot.ideas.exclusions import ExclusionGuard
from bot.ideas.generators.base import AngleRequest
from bot.ideas.generators.prompt_data import fence
from bot.kernel.messages import Angle, Lang

LANGUAGE_NAMES: dict[str, str] = {"fr": "French", "en": "English"}
NONE = "(none)"
# A prompt pays for every token on every call (issue 13): each block is capped to
# what the model needs to write well, and an empty optional block is left out.
MAX_EXAMPLES = 3
MAX_HISTORY = 3
MAX_LINE = 300
MAX_HISTORY_LINE = 150
MAX_MODEL_LINES = 14
MAX_CHECK_LINES = 8

# What the generator offers each template; checked against the templates'
# declared variables at start-up (a template may use fewer, never more).
OFFERED: dict[str, frozenset[str]] = {
    "angles": frozenset(
        {"language", "count", "brand", "brief", "strategies", "style", "liked", "avoid", "history",
         "model", "checks", "exclusions"}
    ),
    "refine": frozenset(
        {"language", "brand", "brief", "strategy", "angle", "instruction", "style", "model",
         "checks", "exclusions"}
    ),
    "challenge": frozenset({"language", "brand", "brief", "target"}),
    "extract_brand": frozenset({"language", "fields", "known", "text"}),
    "repair": frozenset({"problem"}),
    "interpret": frozenset({"language", "angles", "pending", "intents", "text"}),
}


class StrategyLike(Protocol):
    id: str

    def name_in(self, lang: str) -> str: ...

    def short_in(self, lang: str) -> str: ...


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
        return "Brand: nothing known yet; make reasonable assumptions and list them in to_validate."
    return fence(tag, "; ".join(
        f"{name}: {_clip(value)}" + (" (assumed)" if name in brand.assumed else "")
        for name, value in known.items()
    ))


def strategy_line(n: int, strategy: StrategyLike, lang: Lang) -> str:
    # "[id]" is what the model must copy back; tests/llm_fakes.py reads it too.
    return f"{n}. [{strategy.id}] {strategy.name_in(lang)}: {strategy.short_in(lang)}"


def strategies_block(catalogue: CatalogueLike, ids: Sequence[str], lang: Lang) -> str:
    return "\n".join(strategy_line(i, catalogue.get(s), lang) for i, s in enumerate(ids, 1))


def angle_text(angle: Angle, tag: str = "angle") -> str:
    checks = "; ".join(angle.to_validate) or NONE
    return fence(tag, (
        f"[{angle.strategy}] {_clip(angle.title)}\n"
        f"hook: {_clip(angle.hook)}\n"
        f"rationale: {_clip(angle.rationale, 200)}\n"
        f"channel: {_clip(angle.channel, 120)}\n"
        f"to validate: {_clip(checks, 200)}"
    ))


def examples_block(angles: Sequence[Angle], tag: str) -> str:
    """The last liked (or rejected) angles, title and hook; "" when there are none."""
    recent = list(angles)[-MAX_EXAMPLES:]
    if not recent:
        return ""
    return fence(tag, _lines(
        f"[{a.strategy}] {_clip(a.title, 80)}: {_clip(a.hook, 160)}" for a in recent
    ))


def style_block(style: Mapping[str, str]) -> str:
    lines = [f"{k}: {_clip(str(v), 120)}" for k, v in style.items() if v]
    return fence("style", _lines(lines)) if lines else ""


def history_block(history: Sequence[str], brief: str = "") -> str:
    """What the user said lately, beyond the brief: the bot's own replies are left out
    (the angles it showed come back as liked or rejected examples)."""
    said = [line for line in history
            if line.startswith("user:") and line[5:].strip() != brief.strip()]
    recent = said[-MAX_HISTORY:]
    return fence("history", _lines(_clip(t, MAX_HISTORY_LINE) for t in recent)) if recent else ""


def text_block(tag: str, text: str, empty: str = NONE) -> str:
    """A user's own words (brief, instruction, idea, message) as data."""
    return fence(tag, text.strip() or empty)


# Figures of the brief that are not facts to advertise (bot.brief.model.Figure.kind).
_PRIVATE_FIGURES = frozenset({"target", "budget", "age"})


def model_block(model: BriefModel, brand: BrandContext | None = None) -> str:
    """The brief as read, compact: what the model must write from, beyond the brand
    fields already given (a value the brand block shows is not repeated); "" if nothing."""
    lines = []
    if model.concerns:
        lines.append("concerns (use the words): " + ", ".join(model.concerns))
    public = [f.text for f in model.figures if f.kind not in _PRIVATE_FIGURES]
    if public:
        lines.append("figures (quote exactly, invent no other): " + ", ".join(public))
    private = [f.text for f in model.figures if f.kind in ("target", "budget")]
    if private:  # "200 cavistes en un an" is what the client wants, not what it has
        lines.append("goals and budget (never in copy as facts): " + ", ".join(private))
    if model.musts:
        lines.append("must appear (each angle): " + "; ".join(model.musts))
    if model.address:
        lines.append(f"French address: {'tutoiement (tu)' if model.address == 'tu' else 'vous'}")
    for name in ("sectors", "market", "occasion", "season"):
        value = getattr(model, name)
        if value:
            lines.append(f"{name}: {', '.join(value) if isinstance(value, tuple) else value}")
    shown = brand.known() if brand is not None else {}
    for name, value in model.known().items():
        if _clip(value) != _clip(shown.get(name, "")):
            lines.append(f"{name}: {_clip(value, 160)} ({model.source(name)})")
    # User words: data, not orders.
    return fence("reading", "; ".join(lines[:MAX_MODEL_LINES])) if lines else ""


def checks_block(book: Any, model: BriefModel, lang: Lang) -> str:
    """The sector's and market's rules, most important first ("" without a sector)."""
    if book is None or not model.sectors:
        return ""
    found = sorted(book.checks(model.sectors, model.market, lang, model.text),
                   key=lambda c: c.priority)
    if not found:
        return ""
    return "Sector rules:\n" + _lines(_clip(c.text, 200) for c in found[:MAX_CHECK_LINES])


def exclusions_block(guard: ExclusionGuard, model: BriefModel, lang: Lang) -> str:
    lines = guard.prompt_lines(model, lang)
    return fence("ruled_out", _lines(lines)) if lines else ""


def brief_values(request: AngleRequest, book: Any, guard: ExclusionGuard) -> dict[str, Any]:
    return {"model": model_block(request.model, request.brand),
            "checks": checks_block(book, request.model, request.lang),
            "exclusions": exclusions_block(guard, request.model, request.lang)}


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
        "history": history_block(request.history, request.brief),
    }


def refine_values(
    angle: Angle, instruction: str, request: AngleRequest, catalogue: CatalogueLike
) -> dict[str, Any]:
    strategy = catalogue.get(angle.strategy)
    return {
        "language": LANGUAGE_NAMES[request.lang],
        "brand": brand_block(request.brand),
        "brief": text_block("brief", request.brief),
        "strategy": f"{strategy.name_in(request.lang)}: {strategy.short_in(request.lang)}",
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
        "known": brand_block(brand, "known") if brand.known() else "",
        "text": text_block("message", text),
    }
