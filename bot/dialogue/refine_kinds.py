"""Reading a refine instruction into kinds of change, from prompts/writing/refine.yaml.

"affiner 2 plus court avec le taux en avant" -> kinds ["shorter"], forward "le taux".
The channel ("pour LinkedIn") and a new audience ("pour les retraités") come
from the older parser (bot/dialogue/refinement.py), which also knows themes
and occasions. What the engine cannot do offline ("en vers", "with a video")
is listed so the answer can say so; contradictory kinds keep the one said last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.brief.brand import fold_aligned
from bot.kernel.messages import Lang
from prompts import PROMPTS_DIR

REFINE_FILE = PROMPTS_DIR / "writing" / "refine.yaml"
# More phrases for the same kinds, gathered from what testers typed (optional file).
MORE_FILE = PROMPTS_DIR / "dialogue" / "refine_more.yaml"
# Kinds an earlier refine of the same angle still imposes: how the text addresses
# people and what it leaves out. A one-off edit ("shorter", "as a question") or a
# register ("funnier") applies to the version it was asked for, not to the next
# one: "shorter" then "with a testimonial" is a testimonial, not a cut testimonial.
PERSISTENT = frozenset({"tutoiement", "vouvoiement", "no_brand", "no_emoji", "plain",
                        "simpler", "humour_no_pun"})


class RefineTableError(ValueError):
    """prompts/writing/refine.yaml is malformed."""


class _Kind(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fr: list[str]
    en: list[str]
    label: dict[Lang, str]


class _More(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fr: list[str] = []
    en: list[str] = []


class _MoreFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kinds: dict[str, _More]


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kinds: dict[str, _Kind]
    forward: dict[Lang, list[str]]
    forward_label: dict[Lang, str]
    channel_label: dict[Lang, str]
    audience_label: dict[Lang, str]
    cannot: dict[Lang, list[str]]
    opposites: list[tuple[str, str]]


@dataclass(frozen=True)
class Ask:
    """What one or several refine notes ask, newest last."""

    kinds: tuple[str, ...] = ()
    forward: str = ""
    cannot: tuple[str, ...] = ()  # phrases the user wrote that the engine cannot follow
    conflicts: tuple[tuple[str, str], ...] = ()  # (dropped kind, kept kind)

    def has(self, kind: str) -> bool:
        return kind in self.kinds


def _alternation(phrases: list[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))


@dataclass(frozen=True)
class RefineTable:
    labels: dict[str, dict[Lang, str]]
    forward_label: dict[Lang, str]
    channel_label: dict[Lang, str]
    audience_label: dict[Lang, str]
    _kind_re: re.Pattern[str]
    _kind_of: dict[str, str]
    _forward: tuple[re.Pattern[str], ...]
    _cannot: re.Pattern[str]
    opposites: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = REFINE_FILE, more: Path | None = MORE_FILE) -> RefineTable:
        try:
            data = _File.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
            extra = _MoreFile.model_validate(yaml.safe_load(more.read_text(encoding="utf-8"))) \
                if more is not None and more.exists() else _MoreFile(kinds={})
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise RefineTableError(f"{path.name}: {exc}") from exc
        unknown = sorted(set(extra.kinds) - set(data.kinds))
        if unknown:
            raise RefineTableError(f"{MORE_FILE.name}: unknown kinds {unknown}")
        kind_of: dict[str, str] = {}
        for kind, spec in data.kinds.items():
            for phrase in [*spec.fr, *spec.en]:
                kind_of.setdefault(phrase, kind)
        for kind, words in extra.kinds.items():
            for phrase in [*words.fr, *words.en]:
                if phrase != fold_aligned(phrase).lower():
                    raise RefineTableError(f"{MORE_FILE.name}: {kind}: {phrase!r} must be "
                                           "folded (lower case, no accents)")
                kind_of.setdefault(phrase, kind)
        forward = []
        for phrase in [*data.forward["fr"], *data.forward["en"]]:
            head, _, tail = phrase.partition("{x}")
            body = re.escape(head) + r"(?P<x>.{2,60}?)" + re.escape(tail)
            end = r"(?=$|[,.;!?]|\s+(?:et|and|puis|then|avec|with|pour|for|sur|on)\s)"
            forward.append(re.compile(r"(?:^|(?<=[\s,]))" + body + (end if not tail else "")))
        opposites: dict[str, set[str]] = {}
        for a, b in data.opposites:
            for k in (a, b):
                if k not in data.kinds:
                    raise RefineTableError(f"{path.name}: opposites: unknown kind {k!r}")
            opposites.setdefault(a, set()).add(b)
            opposites.setdefault(b, set()).add(a)
        cannot = _alternation([*data.cannot["fr"], *data.cannot["en"]])
        return cls(
            labels={k: v.label for k, v in data.kinds.items()},
            forward_label=data.forward_label, channel_label=data.channel_label,
            audience_label=data.audience_label,
            _kind_re=re.compile(rf"(?<![\w']){'(?:' + _alternation(list(kind_of)) + ')'}(?![\w'])"),
            _kind_of=kind_of, _forward=tuple(forward),
            _cannot=re.compile(rf"(?<![\w'])(?:{cannot})(?![\w'])"),
            opposites={k: frozenset(v) for k, v in opposites.items()},
        )

    def kinds(self) -> tuple[str, ...]:
        return tuple(self.labels)

    def read(self, notes: list[str]) -> Ask:
        """Every note in order; a later kind drops an earlier opposite one."""
        kinds: list[str] = []
        forward = ""
        cannot: list[str] = []
        conflicts: list[tuple[str, str]] = []
        for note in notes:
            text = " ".join(note.split())
            folded = fold_aligned(text)
            for pattern in self._forward:
                found = pattern.search(folded)
                if found:
                    forward = text[found.start("x"):found.end("x")].strip(" \"'«»“”")
                    folded = folded[:found.start()] + " " * (found.end() - found.start()) \
                        + folded[found.end():]
                    break
            for hit in self._cannot.finditer(folded):
                cannot.append(text[hit.start():hit.end()])
            folded = self._cannot.sub(lambda m: " " * len(m.group(0)), folded)
            for hit in self._kind_re.finditer(folded):
                kind = self._kind_of[hit.group(0)]
                if kind == "playful" and "humour_no_pun" in kinds:
                    continue
                for other in self.opposites.get(kind, ()):
                    if other in kinds:
                        kinds.remove(other)
                        conflicts.append((other, kind))
                if kind in kinds:
                    kinds.remove(kind)
                kinds.append(kind)
        if "humour_no_pun" in kinds and "playful" in kinds:
            kinds.remove("playful")
        return Ask(kinds=tuple(kinds), forward=forward, cannot=tuple(dict.fromkeys(cannot)),
                   conflicts=tuple(conflicts))

    def read_now(self, earlier: list[str], instruction: str) -> Ask:
        """What this refine asks: the instruction, plus what earlier ones still impose.

        Only PERSISTENT kinds carry over, and never against the new instruction
        (an earlier "tutoiement" gives way to "vouvoiement" now).
        """
        now = self.read([instruction])
        before = self.read(earlier) if earlier else Ask()
        asked = set(now.kinds)
        kept = [k for k in before.kinds if k in PERSISTENT and k not in asked
                and not self.opposites.get(k, frozenset()) & asked]
        given_up = tuple((k, other) for k in before.kinds if k in PERSISTENT
                         for other in sorted(self.opposites.get(k, frozenset()) & asked))
        return Ask(kinds=(*kept, *now.kinds), forward=now.forward, cannot=now.cannot,
                   conflicts=(*given_up, *now.conflicts))

    def label(self, kind: str, lang: Lang) -> str:
        return self.labels[kind][lang]


@lru_cache(maxsize=1)
def default_table() -> RefineTable:
    return RefineTable.load()
