"""Checks written from the brief itself: its figures and claims, quoted.

"Taux fixe à 3,2 % sur 20 ans" gets "« 3,2 % sur 20 ans » : dire quel taux
c'est..."; "édition limitée à 48 pièces" gets the limited run to keep; a goal
("objectif : 120 démos") is said once as an internal figure never to show as a
result. The wording is data (prompts/rules/_brief_checks.yaml, validated at
load); which entry fits depends on the figure's kind, the regulated topics on
for the brief and the words around the figure. Claims the brief rules out
("no 'guilt-free' claims", "pas de superlatifs") are not checked as made.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.brief.brand import fold
from bot.brief.model import BriefModel, Figure
from bot.kernel.messages import Lang
from prompts import PROMPTS_DIR

BRIEF_CHECKS_FILE = PROMPTS_DIR / "rules" / "_brief_checks.yaml"
MAX_FIGURES = 2  # figure checks per answer: the ones the copy will quote first
MAX_CLAIMS = 2
_NEAR = 28  # characters either side of a figure read for `near` and `internal` words
_NEGATION = re.compile(r"(?:^|\s)(?:pas d[e ]?|sans|jamais|ni|aucune?|no|not|never|without|nor|"
                       r"avoid|evitez?)(?:\s+\S+){0,2}\s*$")
_SKIPPED_KINDS = frozenset({"date", "age"})


class BriefChecksError(ValueError):
    """prompts/rules/_brief_checks.yaml is malformed."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Words(_Strict):
    fr: list[str] = []
    en: list[str] = []


class _Text(_Strict):
    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)


class _Figure(_Strict):
    kinds: list[str] = []
    topics: list[str] = []
    near: _Words | None = None
    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)


class _Claim(_Strict):
    fr: list[str] = []
    en: list[str] = []
    topics: list[str] = []
    check: _Text


class _File(_Strict):
    channels: dict[str, str] = {}  # channel key (prompts/offline/channels.yaml) -> topic id
    internal: _Words
    describes: _Words
    figures: list[_Figure] = Field(min_length=1)
    claims: list[_Claim] = []
    internal_check: _Text


def _words_re(words: Iterable[str]) -> re.Pattern[str] | None:
    items = sorted({fold(w) for w in words if w.strip()}, key=len, reverse=True)
    if not items:
        return None
    body = "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in items)
    return re.compile(rf"(?<!\w)(?:{body})s?(?!\w)")


def _fold(text: str) -> str:
    """Folded, apostrophes and hyphens as spaces, one char per char (spans map back)."""
    out = fold(text)
    if len(out) != len(text):
        out = "".join(fold(c)[:1] or " " for c in text)
    return re.sub(r"['’\-_/]", " ", out)


@dataclass(frozen=True)
class _FigureRule:
    kinds: frozenset[str]
    topics: frozenset[str]
    near: re.Pattern[str] | None
    text: dict[str, str]


@dataclass(frozen=True)
class _ClaimRule:
    pattern: re.Pattern[str]
    topics: frozenset[str]
    text: dict[str, str]


@dataclass(frozen=True, eq=False)  # hashed by identity: the cached look-ups key on it
class BriefCheckBook:
    internal: re.Pattern[str] | None
    describes: re.Pattern[str] | None
    figures: tuple[_FigureRule, ...]
    claims: tuple[_ClaimRule, ...]
    internal_text: dict[str, str]
    any_claim: re.Pattern[str] | None = None  # every claim's words: one scan rules most out
    channel_topics: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = BRIEF_CHECKS_FILE) -> BriefCheckBook:
        try:
            data = _File.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise BriefChecksError(f"{path.name}: {exc}") from exc
        figures = []
        for f in data.figures:
            for lang in ("fr", "en"):
                if "{figure}" not in getattr(f, lang):
                    raise BriefChecksError(f"{path.name}: figures: {lang} text needs {{figure}}")
            near = _words_re([*f.near.fr, *f.near.en]) if f.near else None
            figures.append(_FigureRule(frozenset(f.kinds), frozenset(f.topics), near,
                                       {"fr": f.fr, "en": f.en}))
        claims = []
        for c in data.claims:
            pattern = _words_re([*c.fr, *c.en])
            if pattern is None or "{claim}" not in c.check.fr or "{claim}" not in c.check.en:
                raise BriefChecksError(f"{path.name}: claims: words and {{claim}} are needed")
            claims.append(_ClaimRule(pattern, frozenset(c.topics),
                                     {"fr": c.check.fr, "en": c.check.en}))
        if "{figures}" not in data.internal_check.fr or "{figures}" not in data.internal_check.en:
            raise BriefChecksError(f"{path.name}: internal_check needs {{figures}}")
        return cls(_words_re([*data.internal.fr, *data.internal.en]),
                   _words_re([*data.describes.fr, *data.describes.en]), tuple(figures),
                   tuple(claims), {"fr": data.internal_check.fr, "en": data.internal_check.en},
                   _words_re([w for c in data.claims for w in (*c.fr, *c.en)]),
                   dict(data.channels))

    def checks(self, model: BriefModel, lang: Lang, topics: Iterable[str] = ()) -> list[str]:
        """The brief's own checks: its public figures, its claims, then its internal figures."""
        return self.checks_of(model.text, model.figures, lang, topics)

    def checks_of(self, text: str, figures: Iterable[Figure], lang: Lang,
                  topics: Iterable[str] = ()) -> list[str]:
        return list(_checks(self, text, tuple((f.text, f.kind) for f in figures), lang,
                            frozenset(topics)))

    def internal_figures(self, text: str, figures: Iterable[Figure]) -> frozenset[str]:
        """The brief's figures that are goals or internal measures, not facts to announce."""
        return _internal(self, text, tuple((f.text, f.kind) for f in figures))

    def public_figures(self, text: str, figures: Iterable[Figure]) -> tuple[str, ...]:
        """The figures a hook may quote: facts of the offer, not goals, ages, dates or the
        audience's description ("25-40 who", "50 à 500 salariés")."""
        return _public(self, text, tuple((f.text, f.kind) for f in figures))

    def hook_claims(self, hook: str, lang: Lang, topics: Iterable[str] = ()) -> list[str]:
        """Checks for the claims a hook makes that the brief did not (asked per angle)."""
        return list(_claims(self, hook, lang, frozenset(topics)))


_JOINED = re.compile(r"\s(?:sur|pendant|over|for|for the first|par|per|a|à)\s")


def _figure_phrase(figure: str, text: str, figures: tuple[str, ...]) -> str:
    """The figure with a figure that follows it closely: '3,2 % sur 20 ans'."""
    at = text.find(figure)
    if at < 0:
        return figure
    rest = text[at + len(figure):at + len(figure) + 40]
    for other in figures:
        if other != figure:
            m = _JOINED.match(rest)
            if m and rest[m.end():].startswith(other):
                return figure + rest[:m.end()] + other
    return figure


@lru_cache(maxsize=512)
def _checks(book: BriefCheckBook, text: str, figures: tuple[tuple[str, str], ...], lang: Lang,
            topics: frozenset[str]) -> tuple[str, ...]:
    folded = _fold(text)
    public: list[tuple[int, str]] = []
    internal: list[str] = []
    used: set[str] = set()
    texts = tuple(f for f, _ in figures)
    for value, kind in figures:
        at = text.find(value)
        if kind in _SKIPPED_KINDS or value in used or at < 0 \
                or _not_a_figure(value, kind, text, at):
            continue
        start, end, before, after = _windows(text, folded, value, at)
        around = folded[max(start, at - _NEAR):min(end, at + len(value) + _NEAR)]
        if _is_internal(book, value, before, after):
            internal.append(value)
            continue
        if book.describes and book.describes.search(
                folded[max(start, at - _NEAR):at + len(value)]):
            continue  # "Cible : PME (50 à 500 salariés)": who the ad is for, not a claim
        phrase = _figure_phrase(value, text, texts)
        used.update(o for o in texts if o != value and o in phrase)
        rule = next((r for r in book.figures
                     if (not r.kinds or kind in r.kinds)
                     and (not r.topics or r.topics & topics)
                     and (r.near is None or r.near.search(around))), None)
        if rule is not None:
            public.append((_RANK.get(kind, 9), rule.text[lang].format(figure=phrase)))
    public.sort(key=lambda p: p[0])  # stable: rates and prices first, then counts
    out = [*(p for _, p in public[:MAX_FIGURES]), *_claims(book, text, lang, topics)]
    if internal:
        out.append(book.internal_text[lang].format(figures=", ".join(internal[:4])))
    return tuple(out)


def _is_internal(book: BriefCheckBook, value: str, before: str, after: str) -> bool:
    return value.lstrip().startswith("+") or any(
        book.internal is not None and book.internal.search(part) for part in (before, after))


# Where a clause ends: a punctuation mark before a space ("2.1%" is no end), or a line.
_BOUNDARY = re.compile(r"[.;!?,](?=\s)|\n")


def _windows(text: str, folded: str, value: str, at: int) -> tuple[int, int, str, str]:
    """The clause around a figure: its start and end, and the words before and after."""
    starts = [m.end() for m in _BOUNDARY.finditer(text, 0, at)]
    start = starts[-1] if starts else 0
    found = _BOUNDARY.search(text, at + len(value))
    end = found.start() if found else len(text)
    # The figure's own words count too: "300 dossiers d'ici juin" is a goal.
    return (start, end, folded[max(start, at - 2 * _NEAR):at + len(value)],
            folded[at + len(value):end])


@lru_cache(maxsize=512)
def _internal(book: BriefCheckBook, text: str,
              figures: tuple[tuple[str, str], ...]) -> frozenset[str]:
    folded = _fold(text)
    out = set()
    for value, _ in figures:
        at = text.find(value)
        if at >= 0:
            _, _, before, after = _windows(text, folded, value, at)
            if _is_internal(book, value, before, after):
                out.add(value)
    return frozenset(out)


@lru_cache(maxsize=512)
def _public(book: BriefCheckBook, text: str,
            figures: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    folded = _fold(text)
    out = []
    for value, kind in figures:
        at = text.find(value)
        if kind in _SKIPPED_KINDS or at < 0 or _not_a_figure(value, kind, text, at):
            continue
        start, _, before, after = _windows(text, folded, value, at)
        if _is_internal(book, value, before, after) or (book.describes and book.describes.search(
                folded[max(start, at - _NEAR):at + len(value)])):
            continue
        out.append(value)
    return tuple(out)


# Which figures a marketer checks first: the rate or price the copy will quote.
_RANK = {"percent": 0, "money": 1, "duration": 2, "quantity": 3, "count": 4}
_PACK = re.compile(r"\d\s?(?:cl|ml|l|g|kg)$", re.IGNORECASE)  # a bottle or pack size
_NOT_COUNTED = frozenset("who today renting new that which qui que dont".split())


def _not_a_figure(value: str, kind: str, text: str, at: int) -> bool:
    """A pack size, half of a range ("25-40 who") or a number before a stray word."""
    if kind == "quantity" and _PACK.search(value):
        return True
    if re.search(r"\d\s?[-–à]\s?$|\d\s(?:a|à|to)\s$", text[max(0, at - 5):at]):
        return True
    return kind == "count" and value.split()[-1].casefold() in _NOT_COUNTED


@lru_cache(maxsize=2048)
def _claims(book: BriefCheckBook, text: str, lang: Lang,
            topics: frozenset[str]) -> tuple[str, ...]:
    folded = _fold(text)
    if book.any_claim is not None and not book.any_claim.search(folded):
        return ()
    out: list[str] = []
    for rule in book.claims:
        if rule.topics and not rule.topics & topics:
            continue
        for match in rule.pattern.finditer(folded):
            if _NEGATION.search(folded, max(0, match.start() - 30), match.start()):
                continue
            claim = text[match.start():match.end()]
            out.append(rule.text[lang].format(claim=claim))
            break
        if len(out) >= MAX_CLAIMS:
            break
    return tuple(out)


@lru_cache(maxsize=1)
def default_brief_checks() -> BriefCheckBook:
    return BriefCheckBook.load()
