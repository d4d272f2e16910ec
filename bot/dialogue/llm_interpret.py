"""Plain language -> the engine's intents, with an LLM: prompt values and answer checks.

The model sees the intents it may choose (the same words in every call, so a
provider's prompt cache serves them), then the angles on screen and the
questions waiting for an answer; it answers {"intent": ..., "n": ..., "arg": ...}.
The engine asks it only what its rules could not read (bot.dialogue.understanding).
The intent vocabulary lives here, next to the checks that depend on it (which
intents need an angle number); the wording around it lives in
prompts/llm/interpret.yaml.

What the model may get wrong is checked, not trusted: an unknown intent, an
angle number that is not on screen, or an angle intent when no angle is shown
all mean "the message is a brief" (kind "text"), the engine's safe default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from bot.brief.brand import LABELS
from bot.ideas.generators.llm_output import Text, find_json, validate
from bot.ideas.generators.llm_prompts import LANGUAGE_NAMES, OFFERED
from bot.ideas.generators.prompt_data import fence
from bot.kernel.intent import Intent, IntentKind
from bot.kernel.messages import Angle, Lang

MAX_MESSAGE = 800  # enough to tell a command from a brief; a long brief is clipped in the prompt
MAX_ARG = 300
MAX_TITLE = 60
MAX_HOOK = 40
# Intents about one angle: they need angles on screen and a number among them.
ANGLE_KINDS: frozenset[str] = frozenset({"like", "dislike", "validate", "refine", "challenge"})
INTERPRET_VARIABLES = OFFERED["interpret"]


@dataclass(frozen=True, slots=True)
class IntentChoice:
    name: str  # what the model writes
    kind: IntentKind  # what the engine receives
    meaning: str  # for the model, in English like every other instruction


CHOICES: tuple[IntentChoice, ...] = (
    IntentChoice("like", "like", "likes angle n"),
    IntentChoice("dislike", "dislike", "dislikes angle n; arg: why"),
    IntentChoice("validate", "validate", "keeps angle n for use"),
    IntentChoice("refine", "refine", "wants angle n reworked; arg: how"),
    IntentChoice("challenge", "challenge",
                 "wants angle n criticised, or their own idea (arg: the idea, n null)"),
    IntentChoice("more", "more", "wants other angles"),
    IntentChoice("go", "go", "wants angles now, skipping the questions"),
    IntentChoice("brand_show", "brand_show", "asks what the bot knows of the brand"),
    IntentChoice("shortlist", "shortlist", "asks for the angles kept"),
    IntentChoice("strategies", "strategies", "asks which creative strategies exist"),
    IntentChoice("glossary", "glossary", "asks what a marketing term means; arg: the term"),
    IntentChoice("forget", "forget", "wants their data erased"),
    IntentChoice("help", "help", "asks how to use the bot"),
    IntentChoice("answer", "text", "answers a pending question"),
    IntentChoice("brief", "text", "anything else: a new brief, a product or audience"),
)
_BY_NAME: dict[str, IntentChoice] = {c.name: c for c in CHOICES}


class InterpretOut(BaseModel):
    model_config = ConfigDict(extra="ignore")

    intent: Text
    n: int | None = None
    arg: str | None = None

    @field_validator("n", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        # Models write "#2" or "2" as often as 2; anything else fails validation.
        if isinstance(value, str):
            value = value.strip().lstrip("#").strip() or None
        return value


def _clip(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def angles_block(angles: Sequence[Angle]) -> str:
    # The strategy name and a bit of the hook let "the funny one" or "celle
    # avec le chat" be resolved to a number.
    lines = [
        f"{a.n}. ({a.strategy_name or a.strategy}) {_clip(a.title, MAX_TITLE)}"
        f" — {_clip(a.hook, MAX_HOOK)}"
        for a in angles
    ]
    return fence("angles", "\n".join(lines)) if lines else "(no angles shown yet)"


def pending_block(fields: Sequence[str], lang: Lang) -> str:
    """The questions waiting for an answer; "" when none (the line is left out)."""
    names = [f"{f} ({LABELS[f][lang]})" if f in LABELS else f for f in fields]
    return f"Questions waiting for an answer: {', '.join(names)}" if names else ""


def intents_block() -> str:
    """The intents the model may choose: the same text whatever the user or language."""
    return "; ".join(f"{c.name} ({c.meaning})" for c in CHOICES)


def interpret_values(
    text: str, lang: Lang, angles: Sequence[Angle], pending_fields: Sequence[str]
) -> dict[str, Any]:
    return {
        "language": LANGUAGE_NAMES[lang],
        "angles": angles_block(angles),
        "pending": pending_block(pending_fields, lang),
        "intents": intents_block(),
        "text": fence("message", _clip(text, MAX_MESSAGE)),
    }


def parse_interpretation(answer: str, text: str, angles: Sequence[Angle]) -> Intent:
    """The engine's Intent for the model's answer; BadOutput when unreadable."""
    out: InterpretOut = validate(InterpretOut, find_json(answer))
    brief = Intent("text", arg=text.strip())
    choice = _BY_NAME.get(out.intent.strip().lower())
    if choice is None or choice.kind == "text":
        return brief
    arg = _clip(out.arg or "", MAX_ARG)
    if choice.kind not in ANGLE_KINDS:
        return Intent(choice.kind, arg=arg if choice.kind == "glossary" else "")
    if choice.kind == "challenge" and out.n is None and arg:
        return Intent("challenge", arg=arg)  # the user's own idea, not one of ours
    if not angles:
        return brief
    if out.n is not None and out.n not in {a.n for a in angles}:
        return brief
    # n may stay None ("I don't like these"): the engine then asks which one.
    return Intent(choice.kind, n=out.n, arg=arg if choice.kind in ("dislike", "refine") else "")
