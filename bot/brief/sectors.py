"""Sector and regulation knowledge: what a category cares about and which rules it must keep.

Two kinds of data files, validated at load (pydantic, `extra="forbid"`):

- `prompts/sectors/<id>.yaml`: one sector each (names, detection keywords,
  audiences with their pains and desires, vocabulary, proofs, moments of the
  year, taboos, the regulated topics that apply, suggested channels);
- `prompts/rules/<topic>.yaml`: one regulated topic each (text triggers, the
  checks per market with their source, forbidden-claim patterns);
  `prompts/rules/_markets.yaml` says how a brief names its market.

`SectorBook` answers the questions the generators ask: which sectors a brief is
about (`detect`), which market (`market_of`), which topics are on (`topics`),
what to check before publishing (`checks`) and which claims a hook must never
make (`violations`). Matching is on folded text (lower case, no accents,
apostrophes and hyphens as spaces) so "Livret d'Épargne" finds "livret d epargne".
An organisation adds or replaces sectors and topics with its own folder
(`extra_dirs`, holding `sectors/` and `rules/`); its broken files are reported
in `SectorBook.errors` and skipped, while a broken built-in file stops start-up.
See docs/sectors.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import platformdirs
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.brief.brand import fold, fold_aligned
from bot.kernel.lang import detect as _detect
from prompts import PROMPTS_DIR

SECTORS_DIR = PROMPTS_DIR / "sectors"
RULES_DIR = PROMPTS_DIR / "rules"
CHANNELS_PATH = PROMPTS_DIR / "offline" / "channels.yaml"
MARKETS: tuple[str, ...] = ("fr", "uk", "eu", "us")
LANGS: tuple[str, ...] = ("fr", "en")
GENERIC = "generic"  # the sector of a brief that fits no other
GENERAL = "general"  # the topic whose checks apply to every advertisement
MARKET_TOPIC = "market"  # the topic of the "confirm the market" note
MAX_SECTORS = 3
# A keyword of the other language counts only as a phrase of two words or more:
# single words cross languages with other meanings ("pain" in "pain point", "running"
# a business, "legs"); loanwords used in both ("saas", "ransomware") are listed in both.
_FOREIGN_MIN_WORDS = 2
# A sector scoring at most half the best one is noise ("theatre" in "theatre nurses").
_RELATIVE_FLOOR = 0.5
# "pas de Black Friday", "no influencers", "sans promo": a topic the brief rules out.
_NEGATED = re.compile(r"(?<!\w)(?:pas d|pas de|sans|jamais de|jamais|aucune?|ni"
                      r"|no|not|never|without|nor)\s+(?:\w+\s+)?$")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SectorError(ValueError):
    """A built-in sector or rule file is invalid; the message names the file and the entry."""


# ---- what the rest of the engine sees ----

@dataclass(frozen=True)
class Audience:
    name: dict[str, str]
    pains: dict[str, tuple[str, ...]]
    desires: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Sector:
    id: str
    names: dict[str, str]
    audiences: tuple[Audience, ...]
    vocabulary: dict[str, tuple[str, ...]]  # lang -> the category's own concern words
    proofs: dict[str, tuple[str, ...]]
    moments: dict[str, tuple[str, ...]]
    taboos: dict[str, tuple[str, ...]]
    regulated: tuple[str, ...]
    channels: tuple[str, ...]  # keys of prompts/offline/channels.yaml
    # Same order as `moments[lang]`: the month (1-12) of a fixed moment, else None.
    moment_months: tuple[int | None, ...] = ()
    broader: tuple[str, ...] = ()  # sectors this one is a special case of
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    topic: str
    text: str
    source: str
    priority: int  # 1 = most important


@dataclass(frozen=True)
class Violation:
    topic: str
    reason: str
    matched: str  # the words of the text that break the rule, as written


# ---- the files ----

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Text(_Strict):
    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)


_PAIRS = (("(", ")"), ("«", "»"), ("“", "”"), ("[", "]"))


def _whole(items: list[str]) -> list[str]:
    """Refuse an item a YAML flow list cut at a comma ("(promotion" + "mariage)")."""
    for item in items:
        if not item.strip():
            raise ValueError("empty item")
        for opening, closing in _PAIRS:
            if item.count(opening) != item.count(closing):
                raise ValueError(f"{item!r} is cut: quote items that contain a comma")
    return items


class _Words(_Strict):
    fr: list[str] = Field(min_length=1)
    en: list[str] = Field(min_length=1)

    @field_validator("fr", "en")
    @classmethod
    def _not_cut(cls, value: list[str]) -> list[str]:
        return _whole(value)


class _Triggers(_Strict):
    fr: list[str] = []
    en: list[str] = []


class _Audience(_Strict):
    name: _Text
    pains: _Words
    desires: _Words


class _Moment(_Strict):
    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)
    month: int | None = Field(default=None, ge=1, le=12)


class _SectorFile(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    names: _Text
    keywords: _Triggers
    broader: list[str] = []
    absorbs: list[str] = []  # sectors whose keywords here only describe this one's cause
    audiences: list[_Audience] = Field(min_length=2, max_length=4)
    vocabulary: _Words
    proofs: _Words
    moments: list[_Moment] = Field(min_length=1)
    taboos: _Words
    regulated: list[str] = []
    channels: list[str] = Field(min_length=1)


def _compiles_all(values: list[str]) -> list[str]:
    """Refuse a regular expression that does not compile, naming it."""
    for value in values:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"bad regular expression {value!r}: {exc}") from None
    return values


class _Scope(_Strict):
    """Words (folded, per language) or patterns (on folded text) a brief is matched on."""

    fr: list[str] = []
    en: list[str] = []
    patterns: list[str] = []

    @field_validator("patterns")
    @classmethod
    def _compile_all(cls, values: list[str]) -> list[str]:
        return _compiles_all(values)


class _Check(_Strict):
    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)
    source: str = Field(min_length=1)
    priority: int = Field(default=2, ge=1, le=3)
    # Only for briefs that name one of `when` (a mortgage rule needs "mortgage"), and
    # never for those that name one of `unless` (the consumer-credit warning is not
    # a mortgage's): one topic covers kinds of product whose rules differ.
    when: _Scope | None = None
    unless: _Scope | None = None
    # A common principle each market states in its own words: said only when the
    # market is unknown, so a known market does not read it twice.
    fallback: bool = False


class _Forbidden(_Strict):
    pattern: str = Field(min_length=1)
    lang: Literal["fr", "en", "any"]
    reason: _Text
    markets: list[Literal["fr", "uk", "eu", "us"]] = []  # empty: every market

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"bad regular expression {value!r}: {exc}") from None
        return value


class _Checks(_Strict):
    all: list[_Check] = Field(min_length=1)
    fr: list[_Check] = Field(min_length=1)
    uk: list[_Check] = Field(min_length=1)
    eu: list[_Check] = Field(min_length=1)
    us: list[_Check] = Field(min_length=1)


class _TopicFile(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    names: _Text
    keywords: _Triggers = _Triggers()
    patterns: list[str] = []  # regular expressions on folded text ("-30 %")
    checks: _Checks
    forbidden: list[_Forbidden] = []
    # Its forbidden claims are looked for in every text, whatever the sectors
    # ("neutre en carbone" is a problem for a bakery as much as for an airline).
    anywhere: bool = False
    # Not on for these sectors when only the text's words call it (a food bank's
    # "meals" are no food labelling; a throat lozenge's "honey" is a medicine's).
    not_for: list[str] = []
    # Off when the brief names one of these ("closed on Black Friday", "no discounts").
    unless: _Scope | None = None

    @field_validator("patterns")
    @classmethod
    def _compile_all(cls, values: list[str]) -> list[str]:
        return _compiles_all(values)


class _MarketWords(_Strict):
    words: list[str] = []  # folded, whole words: "leeds", "en france"
    exact: list[str] = []  # case kept, whole tokens: "UK", "US", "NHS"
    symbols: list[str] = []  # currency signs: "£"


class _MarketsFile(_Strict):
    # "other": places outside the four markets (Québec, Geneva, Sydney): no rules assumed.
    markets: dict[Literal["fr", "uk", "eu", "us", "other"], _MarketWords]
    weights: dict[Literal["words", "exact", "symbols"], int]
    note: _Text  # said when the market is unknown
    # Said instead when regulated topics are on: which rule families to confirm ({topics}).
    note_topics: _Text | None = None


# ---- matching ----

@lru_cache(maxsize=1024)
def detect(text: str) -> str | None:
    """The text's language; cached, as detect, topics and market_of may each ask for one brief."""
    return _detect(text)


_SEPARATORS = str.maketrans({"-": " ", "'": " ", "’": " ", "_": " ", "/": " "})


class _FoldTable(dict[int, str]):
    """A `str.translate` table filled on first use: each char to its accentless form."""

    def __init__(self, separators: bool) -> None:
        super().__init__()
        self._separators = separators

    def __missing__(self, code: int) -> str:
        char = chr(code)
        kept = "".join(c for c in unicodedata.normalize("NFKD", char)
                       if not unicodedata.combining(c))
        out = kept if len(kept) == 1 else char
        out = "'" if out == "’" else out
        if self._separators and out in "-'_/":
            out = " "
        self[code] = out
        return out


_FOLD = _FoldTable(separators=False)
_NORM = _FoldTable(separators=True)


def folded(text: str) -> str:
    """Lower case without accents, one char per input char (spans map back to the text)."""
    lower = text.lower()
    if len(lower) != len(text):  # a rare char whose lower case is longer
        return fold_aligned(text)
    return lower.translate(_FOLD)


def norm(text: str) -> str:
    """Folded for keywords: as `folded`, with apostrophes, hyphens and slashes as spaces."""
    lower = text.lower()
    if len(lower) != len(text):
        return fold_aligned(text).translate(_SEPARATORS)
    return lower.translate(_NORM)


def _forms(keyword: str) -> list[str]:
    # Keywords are stored folded (checked at load), so only separators need replacing.
    words = keyword.translate(_SEPARATORS).split()
    if not words:
        return []
    forms = [" ".join(words)]
    if words[-1].endswith("y") and len(words[-1]) > 3:  # charity -> charities
        forms.append(" ".join(words[:-1] + [words[-1][:-1] + "ies"]))
    return forms


_PLURAL = r"(?:s|x|es)?"


def _keyword_regex(forms: Iterable[str]) -> re.Pattern[str] | None:
    items = sorted(set(forms), key=len, reverse=True)
    if not items:
        return None
    # Every word of a phrase may take a plural: "pompes a chaleur", "ouvertures de comptes".
    body = "|".join((_PLURAL + r"\s+").join(re.escape(w) for w in f.split()) for f in items)
    return re.compile(rf"(?<!\w)({body}){_PLURAL}(?!\w)")


def _key(words: Iterable[str], strip_es: bool = False) -> str:
    """A phrase without its plurals, to find the keyword a match came from."""
    out = []
    for word in words:
        if strip_es and word.endswith("es") and len(word) > 3:
            word = word[:-2]
        elif word[-1:] in ("s", "x") and len(word) > 2:
            word = word[:-1]
        out.append(word)
    return " ".join(out)


@dataclass(frozen=True)
class _Index:
    """All keywords of one kind in one regular expression, and whose they are."""

    pattern: re.Pattern[str] | None
    owners: dict[str, tuple[tuple[str, str, int], ...]]  # form -> ((owner id, lang, words), ...)

    @classmethod
    def build(cls, entries: dict[str, dict[str, Sequence[str]]]) -> _Index:
        owners: dict[str, list[tuple[str, str, int]]] = {}
        for owner, by_lang in entries.items():
            for lang, keywords in by_lang.items():
                for keyword in keywords:
                    for form in _forms(keyword):
                        owners.setdefault(form, []).append((owner, lang, len(form.split())))
        keyed: dict[str, list[tuple[str, str, int]]] = {}
        for form, found in owners.items():
            keyed.setdefault(_key(form.split()), []).extend(found)
        return cls(_keyword_regex(owners), {k: tuple(v) for k, v in keyed.items()})

    def hits(self, normed: str, lang: str | None) -> list[tuple[str, str, int, int]]:
        """(owner, keyword form, words, position) for each keyword found."""
        if self.pattern is None:
            return []
        out = []
        for match in self.pattern.finditer(normed):
            words_found = match.group(1).split()
            form = _key(words_found)
            found = self.owners.get(form) or self.owners.get(_key(words_found, strip_es=True), ())
            for owner, kw_lang, words in found:
                if lang is None or kw_lang == lang or words >= _FOREIGN_MIN_WORDS:
                    out.append((owner, form, words, match.start()))
        return out


@dataclass(frozen=True)
class _Rule:
    topic: str
    pattern: re.Pattern[str]
    lang: str
    reason: dict[str, str]
    markets: frozenset[str]


@dataclass(frozen=True)
class _Topic:
    id: str
    names: dict[str, str]
    checks: dict[str, tuple[_Check, ...]]  # "all" | market -> checks
    patterns: tuple[re.Pattern[str], ...]
    rules: tuple[_Rule, ...]
    keywords: dict[str, tuple[str, ...]]
    anywhere: bool = False
    not_for: frozenset[str] = frozenset()
    unless: _Matcher | None = None
    # (scope, index in that scope) -> (when, unless) of a check that has one.
    scoped: dict[tuple[str, int], tuple[_Matcher | None, _Matcher | None]] = field(
        default_factory=dict)


@dataclass(frozen=True)
class _Matcher:
    """A `_Scope` compiled: does a brief name one of its words or patterns?"""

    words: _Index
    patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def of(cls, scope: _Scope | None) -> _Matcher | None:
        if scope is None or not (scope.fr or scope.en or scope.patterns):
            return None
        return cls(_Index.build({"scope": {"fr": scope.fr, "en": scope.en}}),
                   tuple(re.compile(p) for p in scope.patterns))

    def found(self, normed: str, folded_text: str, lang: str | None) -> bool:
        return bool(self.words.hits(normed, lang)) or any(
            p.search(folded_text) for p in self.patterns)


# ---- the book ----

class SectorBook:
    """The loaded sectors and rules; build with `SectorBook.load` or `load_sectors()`."""

    def __init__(self, *, sectors: dict[str, Sector], topics: dict[str, _Topic],
                 absorbs: dict[str, frozenset[str]], markets: _MarketsFile,
                 errors: Sequence[str] = ()) -> None:
        self._sectors = sectors
        self._topics = topics
        self._absorbs = absorbs
        self._markets = markets
        self.errors: tuple[str, ...] = tuple(errors)
        self._sector_index = _Index.build(
            {s.id: dict(s.keywords) for s in sectors.values() if s.id != GENERIC})
        self._topic_keywords = _Index.build(
            {t.id: dict(t.keywords) for t in topics.values()})
        self._market_words = _Index.build(
            {m: {"fr": [fold(x) for x in w.words]} for m, w in markets.markets.items()})
        exact = {tok: m for m, w in markets.markets.items() for tok in w.exact}
        self._market_exact = re.compile(
            r"(?<![\w.])(" + "|".join(re.escape(t) for t in sorted(exact, key=len, reverse=True))
            + r")(?![\w])") if exact else None
        self._market_of_exact = exact
        self._market_symbols = {s: m for m, w in markets.markets.items() for s in w.symbols}

    # -- loading --

    @classmethod
    def load(cls, sectors_dir: Path | None = None, rules_dir: Path | None = None,
             extra_dirs: Iterable[Path] = (), cache_dir: Path | None = None) -> SectorBook:
        """Load the built-in files, then each organisation folder (its `sectors/`, `rules/`).

        `cache_dir` keeps the parsed YAML of unchanged files between runs (parsing is
        most of the load time); every file is still validated.
        """
        sectors_dir = Path(sectors_dir) if sectors_dir is not None else SECTORS_DIR
        rules_dir = Path(rules_dir) if rules_dir is not None else RULES_DIR
        errors: list[str] = []
        cache = _YamlCache(cache_dir)
        topics_raw = _load_dir(rules_dir, _TopicFile, cache, builtin=True, errors=errors)
        sectors_raw = _load_dir(sectors_dir, _SectorFile, cache, builtin=True, errors=errors)
        markets = _load_markets(rules_dir / "_markets.yaml", cache)
        channels = _channel_keys(cache)
        for extra in extra_dirs:
            extra = Path(extra)
            topics_raw.update(
                _load_dir(extra / "rules", _TopicFile, cache, builtin=False, errors=errors))
            sectors_raw.update(
                _load_dir(extra / "sectors", _SectorFile, cache, builtin=False, errors=errors))
        cache.save()
        for name in (GENERAL,):
            if name not in topics_raw:
                raise SectorError(f"{rules_dir}: the '{name}' topic is missing")
        if GENERIC not in sectors_raw:
            raise SectorError(f"{sectors_dir}: the '{GENERIC}' sector is missing")
        for tid, (data, where, builtin) in list(topics_raw.items()):
            unknown = sorted(set(data.not_for) - set(sectors_raw))
            if unknown:
                problem = f"{where}: {tid}: not_for: unknown sectors {unknown}"
                if builtin:
                    raise SectorError(problem)
                errors.append(problem)
                del topics_raw[tid]
        good: dict[str, tuple[_SectorFile, str, bool]] = {}
        for sid, (data, where, builtin) in sectors_raw.items():
            problem = _sector_problem(data, set(topics_raw), set(sectors_raw), channels)
            if problem:
                if builtin:
                    raise SectorError(f"{where}: {sid}: {problem}")
                errors.append(f"{where}: {sid}: {problem}")
                continue
            good[sid] = (data, where, builtin)
        topics = {tid: _topic(data) for tid, (data, _, _) in topics_raw.items()}
        sectors = {sid: _sector(data) for sid, (data, _, _) in good.items()}
        absorbs = {sid: frozenset(data.absorbs) for sid, (data, _, _) in good.items()}
        return cls(sectors=sectors, topics=topics, absorbs=absorbs, markets=markets,
                   errors=errors)

    # -- sectors --

    def get(self, sector_id: str) -> Sector:
        """The sector with this id; the generic one when the id is unknown or empty."""
        return self._sectors.get(sector_id) or self._sectors[GENERIC]

    def ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._sectors))

    def topic_ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._topics))

    def topic_name(self, topic: str, lang: str) -> str:
        entry = self._topics.get(topic)
        return entry.names.get(lang, entry.names["en"]) if entry else topic

    def detect(self, text: str, lang: str | None = None) -> tuple[str, ...]:
        """The sectors a brief is about, most specific first; () when nothing fits."""
        normed = norm(text)
        lang = lang if lang in LANGS else detect(text)
        scores: dict[str, float] = {}
        first: dict[str, int] = {}
        seen: set[tuple[str, str]] = set()
        for owner, form, words, position in self._sector_index.hits(normed, lang):
            if (owner, form) in seen:
                continue
            seen.add((owner, form))
            scores[owner] = scores.get(owner, 0.0) + words  # a phrase says more than a word
            first.setdefault(owner, position)
        if not scores:
            return ()
        # A cause sector explains the words of the sectors it absorbs ("banque alimentaire").
        for owner in list(scores):
            for absorbed in self._absorbs.get(owner, ()):
                if absorbed in scores and scores[owner] >= scores[absorbed]:
                    del scores[absorbed]
        best = max(scores.values())
        kept = [s for s in scores if scores[s] > best * _RELATIVE_FLOOR]
        kept.sort(key=lambda s: (-scores[s], first[s]))
        kept = _narrow_first(kept, self._sectors)
        return tuple(kept[:MAX_SECTORS])

    # -- topics and checks --

    def topics(self, sector_ids: Iterable[str], text: str = "",
               lang: str | None = None) -> tuple[str, ...]:
        """Regulated topics on: the sectors', then those the text triggers, `general` last.

        `lang` is the text's language when known (else it is detected).
        """
        ordered: list[str] = []
        ids = [s for s in sector_ids if s in self._sectors] or [GENERIC]
        for sid in ids:
            ordered.extend(self._sectors[sid].regulated)
        if text:
            found: dict[str, int] = {}
            normed = norm(text)
            text_lang = lang if lang in LANGS else detect(text)
            for owner, _, _, position in self._topic_keywords.hits(normed, text_lang):
                if not _NEGATED.search(normed, max(0, position - 24), position):
                    found.setdefault(owner, position)
            folded_text = folded(text)
            for topic in self._topics.values():
                for pattern in topic.patterns:
                    match = pattern.search(folded_text)
                    if match:
                        found[topic.id] = min(found.get(topic.id, match.start()), match.start())
            sectors = set(ids)
            ordered.extend(t for t in sorted(found, key=found.__getitem__)
                           if t in ordered or not self._topics[t].not_for & sectors)
            ordered = [t for t in ordered if not self._ruled_out(t, normed, folded_text, text_lang)]
        ordered.append(GENERAL)
        return tuple(t for t in dict.fromkeys(ordered) if t in self._topics)

    def _ruled_out(self, topic: str, normed: str, folded_text: str, lang: str | None) -> bool:
        """The brief rules the topic out ("closed on Black Friday", "no discounts")."""
        entry = self._topics.get(topic)
        unless = entry.unless if entry is not None else None
        return unless is not None and unless.found(normed, folded_text, lang)

    def topic_checks(self, topic: str, market: str, lang: str) -> list[Check]:
        """The checks of one topic for one market ("" or "all": the common ones), in file order."""
        entry = self._topics[topic]
        scope = market if market in MARKETS else "all"
        lang = lang if lang in LANGS else "en"
        return [Check(topic, getattr(c, lang), c.source, c.priority) for c in entry.checks[scope]]

    def checks(self, sector_ids: Iterable[str], market: str, lang: str,
               text: str = "") -> list[Check]:
        """What to check before publishing, most important first.

        A known market gets its own rules plus the common ones; an unknown market
        ("") gets the common ones and a note to confirm the market first.
        """
        lang = lang if lang in LANGS else "en"
        topics = self.topics(sector_ids, text)
        scopes = ("all", market) if market in MARKETS else ("all",)
        out: list[tuple[tuple[int, int, int, int], Check]] = []
        seen: set[str] = set()
        normed, folded_text = norm(text), folded(text)
        text_lang = detect(text) if text else None
        for t_rank, tid in enumerate(topics):
            topic = self._topics[tid]
            for s_rank, scope in enumerate(scopes):
                for c_rank, check in enumerate(topic.checks[scope]):
                    if check.fallback and scope == "all" and market in MARKETS:
                        continue
                    when, unless = topic.scoped.get((scope, c_rank), (None, None))
                    if when is not None and not when.found(normed, folded_text, text_lang):
                        continue  # a rule for another kind of product than the brief's
                    if unless is not None and unless.found(normed, folded_text, text_lang):
                        continue
                    text_ = getattr(check, lang)
                    if text_ in seen:
                        continue
                    seen.add(text_)
                    general = 1 if tid == GENERAL else 0
                    # Market rules before common principles; the general topic after all others.
                    key = (general, check.priority, -s_rank, t_rank * 100 + c_rank)
                    out.append((key, Check(tid, text_, check.source, check.priority)))
        out.sort(key=lambda pair: pair[0])
        checks = [c for _, c in out]
        if market not in MARKETS:
            families = [_lower_first(self.topic_name(t, lang)) for t in topics if t != GENERAL]
            template = self._markets.note_topics
            if families and template is not None:
                note = getattr(template, lang).format(topics=", ".join(families))
            else:
                note = getattr(self._markets.note, lang)
            checks.insert(0, Check(MARKET_TOPIC, note, "", 1))
        return checks

    def violations(self, text: str, sector_ids: Iterable[str], market: str,
                   lang: str) -> list[Violation]:
        """The forbidden claims in a hook or angle text (topics from the sectors and the text)."""
        folded_text = folded(text)
        aligned = len(folded_text) == len(text)
        out: list[Violation] = []
        lang = lang if lang in LANGS else "en"
        scanned = self.topics(sector_ids, text, lang)
        scanned += tuple(t for t, topic in self._topics.items()
                         if topic.anywhere and t not in scanned)
        for tid in scanned:
            for rule in self._topics[tid].rules:
                if rule.lang not in (lang, "any"):
                    continue
                if rule.markets and market in MARKETS and market not in rule.markets:
                    continue
                match = rule.pattern.search(folded_text)
                if match:
                    matched = text[match.start():match.end()] if aligned else match.group(0)
                    out.append(Violation(tid, rule.reason[lang], matched))
        return out

    # -- market --

    def market_of(self, text: str) -> str:
        """"fr" | "uk" | "us" | "eu" | "" from the places, currencies and institutions named."""
        weights = self._markets.weights
        scores: dict[str, int] = {}
        for owner, _, _, _ in self._market_words.hits(norm(text), None):
            scores[owner] = scores.get(owner, 0) + weights.get("words", 2)
        if self._market_exact is not None:
            for match in self._market_exact.finditer(text):
                owner = self._market_of_exact[match.group(1)]
                scores[owner] = scores.get(owner, 0) + weights.get("exact", 2)
        for symbol, owner in self._market_symbols.items():
            if symbol in text:
                # "€" in a French brief is France, elsewhere the euro area.
                owner = "fr" if owner == "eu" and detect(text) == "fr" else owner
                scores[owner] = scores.get(owner, 0) + weights.get("symbols", 1)
        if not scores:
            return ""
        best = max(scores.values())
        top = sorted(m for m, s in scores.items() if s == best)
        if len(top) > 1:  # "the US and Canada": the US rules apply at least
            top = [m for m in top if m in MARKETS]
        if len(top) == 1:
            return top[0] if top[0] in MARKETS else ""
        return "eu" if set(top) <= {"fr", "eu"} else ""


def _lower_first(name: str) -> str:
    """"Réductions de prix" -> "réductions de prix" inside a sentence; "ONG" stays."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


# ---- building ----

class _YamlCache:
    """Parsed YAML by file content hash, kept as one JSON file between runs."""

    def __init__(self, folder: Path | None) -> None:
        self._path = folder / "sectors-yaml-cache.json" if folder is not None else None
        self._data: dict[str, Any] = {}
        self._dirty = False
        if self._path is not None:
            try:
                self._data = json.loads(self._path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._data = {}  # no cache yet, or a damaged one: parse again

    def parse(self, path: Path) -> Any:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SectorError(f"{path}: cannot read: {exc}") from None
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
        if key in self._data:
            return self._data[key]
        try:
            raw = yaml.load(text, Loader=_YAML_LOADER)
        except yaml.YAMLError as exc:
            raise SectorError(f"{path}: cannot read: {exc}") from None
        if self._path is not None:
            self._data[key] = raw
            self._dirty = True
        return raw

    def save(self) -> None:
        if self._path is None or not self._dirty:
            return
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self._path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(self._data, out)
            os.replace(tmp, self._path)
        except (OSError, TypeError, ValueError):
            pass  # a cache that cannot be written only costs speed


def _load_dir(folder: Path, model: type[Any], cache: _YamlCache, *, builtin: bool,
              errors: list[str]) -> dict[str, tuple[Any, str, bool]]:
    out: dict[str, tuple[Any, str, bool]] = {}
    if not folder.is_dir():
        if builtin:
            raise SectorError(f"{folder}: folder not found")
        return out
    for path in sorted(folder.glob("*.y*ml")):
        if path.name.startswith("_"):
            continue
        try:
            data = _parse(path, model, cache)
        except SectorError as exc:
            if builtin:
                raise
            errors.append(str(exc))
            continue
        out[data.id] = (data, str(path), builtin)
    return out


def _parse(path: Path, model: type[Any], cache: _YamlCache) -> Any:
    raw = cache.parse(path)
    entry = raw.get("id", "?") if isinstance(raw, dict) else "?"
    try:
        data = model.model_validate(raw)
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}"
                            for e in exc.errors())
        raise SectorError(f"{path}: {entry}: {reasons}") from None
    if data.id != path.stem:
        raise SectorError(f"{path}: {data.id}: the id must be the file name ({path.stem!r})")
    if isinstance(data, _SectorFile):
        _check_folded(path, data.id, data.keywords)
    if isinstance(data, _TopicFile):
        _check_folded(path, data.id, data.keywords)
        scopes = [data.unless] + [s for items in (data.checks.all, data.checks.fr, data.checks.uk,
                                                  data.checks.eu, data.checks.us)
                                  for c in items for s in (c.when, c.unless)]
        for scope in scopes:
            if scope is not None:
                _check_folded(path, data.id, scope)
    return data


def _check_folded(path: Path, entry: str, words: _Triggers | _Scope) -> None:
    for lang in LANGS:
        for word in getattr(words, lang):
            if word.isascii() and word == word.lower() and word == word.strip():
                continue  # the common case, without the cost of fold()
            if word != fold(word):
                raise SectorError(f"{path}: {entry}: keywords.{lang}: {word!r} must be written "
                                  f"folded (lower case, no accents): {fold(word)!r}")


def _load_markets(path: Path, cache: _YamlCache) -> _MarketsFile:
    data = cache.parse(path)
    try:
        return _MarketsFile.model_validate(data)
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                            for e in exc.errors())
        raise SectorError(f"{path}: {reasons}") from None


def _channel_keys(cache: _YamlCache) -> frozenset[str]:
    raw = cache.parse(CHANNELS_PATH)
    return frozenset(raw["channels"])


def _sector_problem(data: _SectorFile, topics: set[str], sectors: set[str],
                    channels: frozenset[str]) -> str:
    unknown = sorted(set(data.regulated) - topics)
    if unknown:
        return f"regulated: unknown topics {unknown} (files of prompts/rules/)"
    unknown = sorted(set(data.channels) - channels)
    if unknown:
        return f"channels: unknown channels {unknown} (keys of prompts/offline/channels.yaml)"
    unknown = sorted((set(data.broader) | set(data.absorbs)) - sectors)
    if unknown:
        return f"broader/absorbs: unknown sectors {unknown}"
    if data.id != GENERIC and not (data.keywords.fr and data.keywords.en):
        return "keywords: both fr and en are needed to detect the sector"
    return ""


def _sector(data: _SectorFile) -> Sector:
    def words(w: _Words | _Triggers) -> dict[str, tuple[str, ...]]:
        return {lang: tuple(getattr(w, lang)) for lang in LANGS}

    return Sector(
        id=data.id,
        names={"fr": data.names.fr, "en": data.names.en},
        audiences=tuple(
            Audience(name={"fr": a.name.fr, "en": a.name.en},
                     pains=words(a.pains), desires=words(a.desires))
            for a in data.audiences),
        vocabulary=words(data.vocabulary),
        proofs=words(data.proofs),
        moments={lang: tuple(getattr(m, lang) for m in data.moments) for lang in LANGS},
        taboos=words(data.taboos),
        regulated=tuple(dict.fromkeys(data.regulated)),
        channels=tuple(dict.fromkeys(data.channels)),
        moment_months=tuple(m.month for m in data.moments),
        broader=tuple(data.broader),
        keywords=words(data.keywords),
    )


def _topic(data: _TopicFile) -> _Topic:
    checks = {scope: tuple(getattr(data.checks, scope)) for scope in ("all", *MARKETS)}
    rules = tuple(
        _Rule(data.id, re.compile(f.pattern), f.lang, {"fr": f.reason.fr, "en": f.reason.en},
              frozenset(f.markets))
        for f in data.forbidden)
    scoped = {(scope, i): (_Matcher.of(c.when), _Matcher.of(c.unless))
              for scope, items in checks.items() for i, c in enumerate(items)
              if c.when is not None or c.unless is not None}
    return _Topic(
        id=data.id,
        names={"fr": data.names.fr, "en": data.names.en},
        checks=checks,
        patterns=tuple(re.compile(p) for p in data.patterns),
        rules=rules,
        keywords={lang: tuple(getattr(data.keywords, lang)) for lang in LANGS},
        anywhere=data.anywhere,
        not_for=frozenset(data.not_for),
        unless=_Matcher.of(data.unless),
        scoped=scoped,
    )


def _narrow_first(ranked: list[str], sectors: dict[str, Sector]) -> list[str]:
    """Move each sector in front of the broader ones it specialises (cybersecurity > saas)."""
    out = list(ranked)
    for sid in ranked:
        for wider in sectors[sid].broader:
            if wider in out and out.index(wider) < out.index(sid):
                out.remove(sid)
                out.insert(out.index(wider), sid)
    return out


@lru_cache(maxsize=4)
def load_sectors(extra_dirs: tuple[Path, ...] = ()) -> SectorBook:
    """The shipped sectors and rules (plus an organisation's folders), loaded once."""
    return SectorBook.load(extra_dirs=extra_dirs,
                           cache_dir=Path(platformdirs.user_cache_dir("symbiose")))
