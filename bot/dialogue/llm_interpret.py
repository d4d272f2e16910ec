"""Plain language -> the engine's intents, with an LLM: prompt values and answer checks.

The model sees the angles on screen, the questions waiting for an answer and
the intents it may choose, each with one example in the user's language; it
answers {"intent": ..., "n": ..., "arg": ...}. The intent vocabulary lives
here, next to the checks that depend on it (which intents need an angle
number); the wording around it lives in prompts/llm/interpret.yaml.

What the model may get wrong is checked, not trusted: an unknown intent, an
angle number that is not on screen, or an angle intent when no angle is shown
all mean "the message is a brief" (kind "text"), the engine's safe default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from bot.brief.brand import LABELS
from bot.ideas.generators.llm_output import Text, find_json, validate
from bot.ideas.generators.llm_prompts import LANGUAGE_NAMES, NONE, OFFERED
from bot.ideas.generators.prompt_data import fence
from bot.kernel.intent import Intent, IntentKind
from bot.kernel.messages import Angle, Lang

MAX_MESSAGE = 800  # enough to tell a command from a brief; a long brief is clipped in the prompt
MAX_ARG = 300
MAX_TITLE = 90
MAX_HOOK = 90
# Intents about one angle: they need angles on screen and a number among them.
ANGLE_KINDS: frozenset[str] = frozenset({"like", "dislike", "validate", "refine", "challenge"})
INTERPRET_VARIABLES = OFFERED["interpret"]


@dataclass(frozen=True, slots=True)
class IntentChoice:
    name: str  # what the model writes
    kind: IntentKind  # what the engine receives
    meaning: str  # for the model, in English like every other instruction
    examples: Mapping[Lang, str]


CHOICES: tuple[IntentChoice, ...] = (
    IntentChoice("like", "like", "the user likes an angle (n)",
                 {"fr": "j'adore la deuxième", "en": "love the second one"}),
    IntentChoice("dislike", "dislike", "the user dislikes an angle (n); arg = why, if said",
                 {"fr": "la troisième fait trop corporate",
                  "en": "the third one is too corporate"}),
    IntentChoice("validate", "validate", "the user keeps / approves an angle for use (n)",
                 {"fr": "on garde la première", "en": "let's keep the first"}),
    IntentChoice("refine", "refine", "the user wants an angle reworked (n); arg = how",
                 {"fr": "rends la 2 plus drôle", "en": "make #2 funnier"}),
    IntentChoice("challenge", "challenge",
                 "the user wants a devil's advocate critique of an angle (n), or of their "
                 "own idea (arg = the idea, no n)",
                 {"fr": "qu'est-ce qui pourrait mal tourner avec l'idée 4 ?",
                  "en": "what could go wrong with idea 4?"}),
    IntentChoice("more", "more", "the user wants other / more angles for the same brief",
                 {"fr": "donne-moi d'autres idées", "en": "give me other ideas"}),
    IntentChoice("go", "go", "the user wants angles now, without answering the questions",
                 {"fr": "peu importe, propose directement",
                  "en": "never mind, just show me ideas"}),
    IntentChoice("brand_show", "brand_show", "the user asks what the bot knows about the brand",
                 {"fr": "tu sais quoi de ma marque ?", "en": "what do you know about my brand?"}),
    IntentChoice("shortlist", "shortlist", "the user asks for the angles they kept",
                 {"fr": "montre-moi ce que j'ai retenu", "en": "show me the ones I kept"}),
    IntentChoice("strategies", "strategies", "the user asks which creative strategies exist",
                 {"fr": "quelles stratégies connais-tu ?", "en": "which strategies do you know?"}),
    IntentChoice("glossary", "glossary",
                 "the user asks what a marketing term means; arg = the term",
                 {"fr": "c'est quoi le taux de conversion ?", "en": "what does CTR mean?"}),
    IntentChoice("forget", "forget", "the user wants their stored data erased",
                 {"fr": "efface tout ce que tu sais sur moi",
                  "en": "delete everything you know about me"}),
    IntentChoice("help", "help", "the user asks how to use the bot",
                 {"fr": "comment ça marche ?", "en": "how does this work?"}),
    IntentChoice("answer", "text", "the user answers a pending question (brand facts)",
                 {"fr": "des étudiants, ton complice", "en": "students, a playful tone"}),
    IntentChoice("brief", "text",
                 "anything else: a new brief, a product, campaign or audience description, "
                 "a question that is none of the above",
                 {"fr": "on lance une gourde pour la rentrée",
                  "en": "we're launching a water bottle for back to school"}),
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
    names = [f"{f} ({LABELS[f][lang]})" if f in LABELS else f for f in fields]
    return ", ".join(names) or NONE


def intents_block(lang: Lang) -> str:
    return "\n".join(f'- {c.name}: {c.meaning}. Example: "{c.examples[lang]}"' for c in CHOICES)


def interpret_values(
    text: str, lang: Lang, angles: Sequence[Angle], pending_fields: Sequence[str]
) -> dict[str, Any]:
    return {
        "language": LANGUAGE_NAMES[lang],
        "angles": angles_block(angles),
        "pending": pending_block(pending_fields, lang),
        "intents": intents_block(lang),
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
