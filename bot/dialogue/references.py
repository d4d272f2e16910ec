"""Plain-language feedback on the angles on the table.

"the third one is too corporate", "la 2 est trop banale", "j'adore la
première", "#3 but shorter", "the lamp one", "more like 2", "something
completely different": the command table (intents.py) wants a verb and a
number; people write a reference and a verdict. This module finds which angle
a short sentence is about and what it says of it. Its words are data
(prompts/dialogue/feedback.yaml). With an LLM, the interpreter handles the long
tail; these rules are what works offline and cost nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from bot.brief.brand import fold
from bot.brief.vocabulary import alternation
from bot.kernel.intent import Intent, IntentKind
from bot.kernel.messages import Angle
from prompts import PROMPTS_DIR

FEEDBACK_PATH = PROMPTS_DIR / "dialogue" / "feedback.yaml"
MAX_WORDS = 25  # longer than this, a message is a brief or an answer, not a quick verdict


class _ByLang(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fr: list[str] = []
    en: list[str] = []


class _FeedbackFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ordinals: dict[int, list[str]]
    number_lead: list[str]
    title_lead: _ByLang
    title_tail: _ByLang
    verdicts: dict[str, list[str]]
    more_like: list[str]
    different: list[str]
    refine_cues: list[str]
    emoji: dict[str, list[str]]


@dataclass(frozen=True)
class _Words:
    ordinal: re.Pattern[str]
    ordinal_of: dict[str, int]
    number: re.Pattern[str]
    title_lead: re.Pattern[str]
    title_tail: re.Pattern[str]
    verdicts: tuple[tuple[IntentKind, re.Pattern[str]], ...]
    more_like: re.Pattern[str]
    different: re.Pattern[str]
    refine_cue: re.Pattern[str]
    emoji: dict[str, str]  # emoji -> "like" | "dislike"


def _load() -> _FeedbackFile:
    data = _FeedbackFile.model_validate(yaml.safe_load(FEEDBACK_PATH.read_text(encoding="utf-8")))
    unknown = (set(data.verdicts) | set(data.emoji)) - {"validate", "like", "dislike"}
    if unknown:
        raise ValueError(f"{FEEDBACK_PATH.name}: verdicts: unknown kinds {sorted(unknown)}")
    return data


@lru_cache(maxsize=1)
def _words() -> _Words:
    data = _load()
    ordinal_of = {fold(w): n for n, words in data.ordinals.items() for w in words}
    leads = "|".join(re.escape(fold(w)) for w in sorted(data.number_lead, key=len, reverse=True))
    return _Words(
        ordinal=re.compile(alternation(ordinal_of)),
        ordinal_of=ordinal_of,
        number=re.compile(rf"(?:(?<![\w])(?:{leads})\s*#?\s*|#|(?<![\w.,]))(\d{{1,2}})(?![\w%]|[.,]\d)"),
        title_lead=re.compile(alternation([*data.title_lead.fr, *data.title_lead.en])
                              + r"\s+(?P<words>[a-z' -]{3,40}?)(?:\s+(?:one|idea|angle|option))?"
                              r"(?=[,.;!?]|\s+(?:is|est|was|c'est|too|trop|but|mais)\b|$)"),
        title_tail=re.compile(alternation([*data.title_tail.fr, *data.title_tail.en])),
        verdicts=tuple((kind, re.compile(alternation(words)))  # type: ignore[misc]
                       for kind, words in data.verdicts.items()),
        more_like=re.compile(alternation(data.more_like)),
        different=re.compile(alternation(data.different)),
        refine_cue=re.compile(alternation(data.refine_cues)),
        emoji={e: kind for kind, items in data.emoji.items() for e in items},
    )


# "je n'aime pas", "not a fan": a negated liking is a dislike, whatever word follows.
_NEGATED_LIKE = re.compile(r"n'aime pas|aime pas|n'adore pas|don'?t like|do not like|don'?t love|"
                           r"not a fan|pas fan|not keen|not sold|not feeling")
_HOW_MANY = re.compile(r"(?<![\w])\d{1,2}\s+(?:more|others?|new|de plus|autres|nouvelles?|"
                       r"nouveaux)\b")
# "pas mal" is praise in French.
_PRAISE = re.compile(r"(?<![\w])pas mal(?![\w])")


def feedback_intent(text: str, angles: Sequence[Angle]) -> Intent | None:
    """The feedback a short sentence gives on one of `angles`, or None."""
    folded = fold(text.replace("’", "'"))
    if not angles or not folded or len(folded.split()) > MAX_WORDS:
        return None
    words = _words()
    if words.different.search(folded):
        return Intent("more", arg="different")
    if _HOW_MANY.search(folded):
        return None  # "I want 3 more": a count of new angles, not angle 3
    n = _referenced(folded, angles, words)
    if n is None:
        return None
    more_like = words.more_like.search(folded)
    if more_like:
        instruction = re.sub(r"^\W*\d+\W*(?:but|mais)?\s*", "", text[more_like.end():]).strip()
        if instruction:
            return Intent("refine", n=n, arg=instruction)  # "more like 1 but less formal"
        return Intent("more", n=n, arg="like")
    kind = _verdict(folded, words)
    if kind is None:
        return None
    if kind == "refine":
        return Intent(kind, n=n, arg=_instruction(text, words))
    return Intent(kind, n=n, arg=text.strip())


def sounds_like_feedback(text: str) -> bool:
    """"I love the second one", "la 3 est trop banale": a verdict on a numbered angle,
    whether or not angles are on the table (without them, it answers no question)."""
    folded = fold(text.replace("’", "'"))
    if not folded or len(folded.split()) > MAX_WORDS:
        return False
    words = _words()
    referenced = words.ordinal.search(folded) or words.number.search(folded)
    return bool(referenced) and _verdict(folded, words) in ("like", "dislike", "validate")


def _instruction(text: str, words: _Words) -> str:
    """"#3 but shorter" -> "shorter": the sentence without its reference to the angle."""
    but = re.search(r"\b(?:but|mais)\b\s*", text, flags=re.IGNORECASE)
    if but and text[but.end():].strip():
        return text[but.end():].strip(" ,.-")  # "I love #3 but shorter" -> "shorter"
    folded = fold(text.replace("’", "'"))
    spans = [m.span() for m in words.ordinal.finditer(folded)]
    spans += [m.span() for m in words.number.finditer(folded)]
    kept = "".join(c for i, c in enumerate(text) if not any(a <= i < b for a, b in spans))
    kept = re.sub(r"^\W*(?:(?:the|la|le|l'|that|this|celle)\s*)?(?:(?:one|idea|angle|idee|idée)\b)?"
                  r"\s*(?:but|mais|en|,)?\s*", "", " ".join(kept.split()), flags=re.IGNORECASE)
    return kept.strip(" ,.-") or text.strip()


def _verdict(folded: str, words: _Words) -> IntentKind | None:
    kinds = {kind for kind, pattern in words.verdicts if pattern.search(folded)}
    if "validate" in kinds:
        return "validate"
    if _NEGATED_LIKE.search(folded):
        return "dislike"
    if _PRAISE.search(folded):
        return "like"
    cue = words.refine_cue.search(folded)
    judged = kinds & {"like", "dislike"}
    if cue and judged and not re.search(r"\b(?:but|mais)\b", folded[:cue.end()]):
        cue = None  # "I love the second one, it sounds like our CFO": a verdict, no instruction
    if cue and not re.search(r"(?:is|est|sont|are|c'est|it's)\s+(?:trop|too|pas|not)\b", folded):
        return "refine"
    if "dislike" in kinds:
        return "dislike"
    if "like" in kinds:
        return "like"
    return "refine" if cue else None


def _referenced(folded: str, angles: Sequence[Angle], words: _Words) -> int | None:
    shown = [a.n for a in angles]
    found: set[int] = set()
    for match in words.ordinal.finditer(folded):
        value = words.ordinal_of[match.group(0)]
        found.add(shown[-1] if value == -1 else value)
    for match in words.number.finditer(folded):
        found.add(int(match.group(1)))
    found &= set(shown)
    if len(found) == 1:
        return found.pop()
    if found:
        return None  # "the 2nd is better than the 3rd": not one angle
    return _by_title(folded, angles, words)


def _by_title(folded: str, angles: Sequence[Angle], words: _Words) -> int | None:
    """"the lamp one", "celle avec la lanterne": a word found in exactly one angle."""
    lead = words.title_lead.search(folded)
    if not lead:
        return None
    candidates = [w for w in re.findall(r"[a-z][a-z'-]{3,}", lead.group("words"))
                  if w not in ("with", "about", "avec", "celle", "idea", "idee", "angle", "one")]
    for word in candidates:
        stem = word.rstrip("s")
        hits = [a.n for a in angles if re.search(rf"(?<![\w]){re.escape(stem)}",
                                                 fold(f"{a.title} {a.hook}"))]
        if len(hits) == 1:
            return hits[0]
    return None


def emoji_verdict(text: str) -> Literal["like", "dislike"] | None:
    """"like" or "dislike" for a message made only of emoji with one clear meaning."""
    marks = [c for c in text if not c.isspace() and c not in "\ufe0f\u200d"]
    kinds = {_words().emoji.get(c) for c in marks}
    if not marks or None in kinds or len(kinds) != 1:
        return None
    return "like" if kinds.pop() == "like" else "dislike"
