"""What a brief is about, and which strategies and channels fit it.

`profile_brief` reads the brief and the brand fields once (sectors such as
b2b / food / luxury, the occasion, the channels named, regulated topics, the
kind of product, the goal) with keyword lists from prompts/fit.yaml;
`strategy_fit` and `channel_fit` turn that profile into scores in [-1, 1]
that the strategy choice and the offline generator lean on: no hashtag
challenge for a luxury house, no LinkedIn op-ed for a neighbourhood bakery.
Everything is compiled once and the profile is cached per brief and brand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.brief.brand import BrandContext, fold, fold_aligned
from bot.ideas.catalogue import Catalogue, CatalogueError
from bot.kernel.lang import detect
from prompts import PROMPTS_DIR

FIT_PATH = PROMPTS_DIR / "fit.yaml"
CHANNELS_PATH = PROMPTS_DIR / "offline" / "channels.yaml"
KINDS = ("physical", "software", "service", "food", "finance")
GOALS = ("awareness", "conversion", "loyalty")
# Keywords of the other language count only when long enough to be unambiguous
# ("pain" is bread in French but not in "pain point").
_FOREIGN_MIN_LEN = 5
_BRAND_TEXT_FIELDS = ("brand", "product", "audience", "objective", "values", "constraints",
                      "competitors", "tone")


class FitError(CatalogueError):
    """prompts/fit.yaml is invalid; the message names the entry and the reason."""


@dataclass(frozen=True)
class BriefProfile:
    """What the brief and the brand context say, beyond the brand fields themselves."""

    sectors: frozenset[str]  # "b2b", "software", "food", "luxury", "finance", "kids", ...
    occasion: str  # "" or the occasion as written: "la rentrée", "Black Friday", ...
    channels: tuple[str, ...]  # channel kinds named in the brief or brand (channels.yaml keys)
    regulated: frozenset[str]  # "finance", "kids", "alcohol", "influencers", "comparative", ...
    kinds: frozenset[str] = frozenset()  # product kinds: physical, software, service, food, finance
    goal: str = ""  # "awareness" | "conversion" | "loyalty" | ""
    exclusions: frozenset[str] = frozenset()  # things the brief rules out: "influencers", "humour"


# ---- the data file ----

class _Words(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fr: list[str] = []
    en: list[str] = []
    patterns: list[str] = []
    sectors: list[str] = []


class _Occasion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pattern: str
    article: str = ""
    bare: str = ""  # the folded bare word, when the article in front is not one to keep


class _FitFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sectors: dict[str, _Words]
    kinds: dict[str, _Words]
    goals: dict[str, _Words]
    occasions: dict[str, list[_Occasion]]
    occasion_stops: dict[str, list[str]]
    exclusions: dict[str, _Words]
    regulated: dict[str, _Words]
    strategy_fit: dict[str, dict[str, float]]
    channel_fit: dict[str, dict[str, float]]
    defaults: dict[str, list[str]]
    weak_channel_aliases: list[str]


def _words_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    items = sorted({fold(w) for w in words if w.strip()}, key=len, reverse=True)
    if not items:
        return None
    body = "|".join(re.escape(w) for w in items)
    return re.compile(rf"(?<![\w'-])(?:{body})(?:s|x)?(?![\w'-])")


@dataclass(frozen=True)
class _Matcher:
    """Keywords of one entry, per detected language, plus raw regular expressions."""

    by_lang: dict[str | None, re.Pattern[str] | None]
    patterns: tuple[re.Pattern[str], ...]
    sectors: frozenset[str]

    @classmethod
    def build(cls, words: _Words, where: str) -> _Matcher:
        def pick(own: list[str], other: list[str]) -> list[str]:
            return own + [w for w in other if len(fold(w)) >= _FOREIGN_MIN_LEN]

        try:
            patterns = tuple(re.compile(p) for p in words.patterns)
        except re.error as exc:
            raise FitError(f"{FIT_PATH.name}: {where}: bad pattern: {exc}") from None
        return cls(
            by_lang={"fr": _words_pattern(pick(words.fr, words.en)),
                     "en": _words_pattern(pick(words.en, words.fr)),
                     None: _words_pattern(words.fr + words.en)},
            patterns=patterns, sectors=frozenset(words.sectors),
        )

    def first(self, text: str, lang: str | None, sectors: frozenset[str] = frozenset()) -> int:
        """Position of the first hit in `text` (0 for a sector hit), or -1."""
        if self.sectors & sectors:
            return 0
        hits = []
        pattern = self.by_lang[lang]
        if pattern is not None:
            match = pattern.search(text)
            if match:
                hits.append(match.start())
        for extra in self.patterns:
            match = extra.search(text)
            if match:
                hits.append(match.start())
        return min(hits) if hits else -1


@dataclass(frozen=True)
class FitData:
    sectors: dict[str, _Matcher]
    kinds: dict[str, _Matcher]
    goals: dict[str, _Matcher]
    occasions: dict[str, tuple[tuple[re.Pattern[str], str, str], ...]]
    occasion_stops: dict[str, frozenset[str]]
    exclusions: dict[str, _Matcher]
    regulated: dict[str, _Matcher]
    strategy_fit: dict[str, dict[str, float]]
    channel_fit: dict[str, dict[str, float]]
    defaults: dict[str, tuple[str, ...]]
    channel_aliases: dict[str, str]  # folded alias -> channel key (strong aliases only)
    all_channel_aliases: dict[str, str]


def _channel_aliases() -> dict[str, str]:
    raw = yaml.safe_load(CHANNELS_PATH.read_text(encoding="utf-8"))
    return {fold(alias): key
            for key, entry in raw["channels"].items() for alias in entry["aliases"]}


def load_fit(path: Path | None = None, strategy_ids: Iterable[str] | None = None) -> FitData:
    """Load and check prompts/fit.yaml; FitError names the entry and the reason.

    `strategy_ids` (default: the shipped catalogue) are the ids strategy_fit may name.
    """
    path = Path(path) if path is not None else FIT_PATH
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FitError(f"{path}: cannot read: {exc}") from exc
    try:
        data = _FitFile.model_validate(raw)
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                            for e in exc.errors())
        raise FitError(f"{path.name}: {reasons}") from None
    name = path.name
    unknown_kinds = sorted(set(data.kinds) - set(KINDS))
    unknown_goals = sorted(set(data.goals) - set(GOALS))
    if unknown_kinds or unknown_goals:
        raise FitError(f"{name}: unknown kinds {unknown_kinds} or goals {unknown_goals}")
    sectors = set(data.sectors)
    for group in ("kinds", "regulated"):
        for key, words in getattr(data, group).items():
            missing = sorted(set(words.sectors) - sectors)
            if missing:
                raise FitError(f"{name}: {group}.{key}: unknown sectors {missing}")
    for table in ("strategy_fit", "channel_fit", "defaults"):
        for key in getattr(data, table):
            base = key.split(":", 1)
            ok = key in sectors or key in ("occasion", "consumer") or (
                base[0] == "exclusion" and len(base) == 2 and base[1] in data.exclusions)
            if not ok:
                raise FitError(f"{name}: {table}.{key}: not a sector, 'occasion', "
                               f"'consumer' or 'exclusion:<name>'")
    for table in ("strategy_fit", "channel_fit"):
        for key, scores in getattr(data, table).items():
            bad = {k: v for k, v in scores.items() if not -1.0 <= v <= 1.0}
            if bad:
                raise FitError(f"{name}: {table}.{key}: scores must be within [-1, 1]: {bad}")
    known = set(strategy_ids) if strategy_ids is not None else set(Catalogue.load().ids())
    for key, scores in data.strategy_fit.items():
        unknown = sorted(set(scores) - known)
        if unknown:
            raise FitError(f"{name}: strategy_fit.{key}: unknown strategies {unknown}")
    aliases = _channel_aliases()
    channel_keys = set(aliases.values())
    for key, scores in data.channel_fit.items():
        unknown = sorted(set(scores) - channel_keys)
        if unknown:
            raise FitError(f"{name}: channel_fit.{key}: unknown channels {unknown}")
    for key, items in data.defaults.items():
        if set(items) - channel_keys:
            unknown = sorted(set(items) - channel_keys)
            raise FitError(f"{name}: defaults.{key}: unknown channels {unknown}")
    occasions = {}
    for lang, entries in data.occasions.items():
        compiled = []
        for entry in entries:
            try:
                pattern = re.compile(rf"(?<![\w'-])(?:{entry.pattern})(?![\w-])")
            except re.error as exc:
                raise FitError(
                    f"{name}: occasions.{lang}: bad pattern {entry.pattern!r}: {exc}") from None
            compiled.append((pattern, entry.article, entry.bare))
        occasions[lang] = tuple(compiled)
    weak = {fold(a) for a in data.weak_channel_aliases}
    return FitData(
        sectors={k: _Matcher.build(v, f"sectors.{k}") for k, v in data.sectors.items()},
        kinds={k: _Matcher.build(v, f"kinds.{k}") for k, v in data.kinds.items()},
        goals={k: _Matcher.build(v, f"goals.{k}") for k, v in data.goals.items()},
        occasions=occasions,
        occasion_stops={k: frozenset(fold(w) for w in v) for k, v in data.occasion_stops.items()},
        exclusions={k: _Matcher.build(v, f"exclusions.{k}") for k, v in data.exclusions.items()},
        regulated={k: _Matcher.build(v, f"regulated.{k}") for k, v in data.regulated.items()},
        strategy_fit=data.strategy_fit,
        channel_fit=data.channel_fit,
        defaults={k: tuple(v) for k, v in data.defaults.items()},
        channel_aliases={a: k for a, k in aliases.items() if a not in weak},
        all_channel_aliases=aliases,
    )


@lru_cache(maxsize=1)
def fit_data() -> FitData:
    return load_fit()


# ---- reading a brief ----

def _occasion(text: str, folded: str, lang: str | None, data: FitData) -> str:
    langs = [lang] if lang in data.occasions else list(data.occasions)
    best: tuple[int, str] | None = None
    for code in langs:
        for pattern, article, bare in data.occasions[code]:
            match = pattern.search(folded)
            if not match or (best is not None and match.start() >= best[0]):
                continue
            start, end = match.span()
            words = text[start:end].split()
            folded_words = folded[start:end].split()
            stops = data.occasion_stops.get(code, frozenset())
            cut = next((i for i, w in enumerate(folded_words) if i > 1 and w in stops), None)
            if cut is not None:
                words = words[:cut]
            phrase = " ".join(words).strip(" ,;:'’")
            if bare:  # "cet été", "en hiver" -> "l'été", "l'hiver"
                offset = folded[start:end].rfind(bare)
                phrase = text[start + offset:start + offset + len(bare)]
            if article and not fold_aligned(phrase).startswith(article):
                phrase = f"{article}{'' if article.endswith(chr(39)) else ' '}{phrase}"
            best = (match.start(), phrase)
    return best[1] if best else ""


def find_occasion(text: str) -> str:
    """The occasion named in `text` ("" if none): "cet été" -> "l'été"."""
    return _occasion(text, fold_aligned(text), detect(text), fit_data())


def _channels(brief_folded: str, brand_channels: str, data: FitData) -> tuple[str, ...]:
    found: list[str] = []
    pattern = _alias_pattern(tuple(data.all_channel_aliases))
    for match in pattern.finditer(fold(brand_channels)):
        found.append(data.all_channel_aliases[match.group(0)])
    strong = _alias_pattern(tuple(data.channel_aliases))
    for match in strong.finditer(brief_folded):
        found.append(data.channel_aliases[match.group(0)])
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=4)
def _alias_pattern(aliases: tuple[str, ...]) -> re.Pattern[str]:
    body = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    return re.compile(rf"(?<![\w'])(?:{body})(?![\w'])")


def _hits(matchers: Mapping[str, _Matcher], text: str, lang: str | None,
          sectors: frozenset[str] = frozenset()) -> dict[str, int]:
    out = {}
    for key, matcher in matchers.items():
        position = matcher.first(text, lang, sectors)
        if position >= 0:
            out[key] = position
    return out


@lru_cache(maxsize=512)
def _profile(brief: str, brand: BrandContext) -> BriefProfile:
    data = fit_data()
    fields = " \n ".join(brand.get(f) for f in _BRAND_TEXT_FIELDS if brand.get(f))
    text = f"{brief} \n {fields}"
    lang = detect(text)
    folded = fold_aligned(text)
    sectors = frozenset(_hits(data.sectors, folded, lang))
    product = fold_aligned(brand.product)
    kinds = frozenset(_hits(data.kinds, product, lang, _product_sectors(product, lang, data)))
    if not kinds:
        kinds = frozenset(_hits(data.kinds, folded, lang, sectors))
        if "ngo" in sectors:  # "contre le gaspillage alimentaire": the cause, not the offer
            kinds = kinds - {"food"} or frozenset({"service"})
    goal_text = fold_aligned(brand.objective) if brand.objective else fold_aligned(brief)
    goals = _hits(data.goals, goal_text, lang)
    goal = min(goals, key=lambda g: goals[g]) if goals else ""
    exclusions = frozenset(_hits(data.exclusions, folded, lang))
    regulated = set(_hits(data.regulated, folded, lang, sectors)) - exclusions
    if brand.competitors.strip():
        regulated.add("comparative")
    if not _food_offer(kinds, sectors, product, lang, data):
        regulated.discard("food")  # a food bank's volunteers need no allergen list
    brief_folded = fold_aligned(brief)
    moment = f"{brief} \n {brand.objective}"  # "à la rentrée" may sit in the objective
    return BriefProfile(
        sectors=sectors,
        occasion=_occasion(moment, fold_aligned(moment), lang, data),
        channels=_channels(brief_folded, brand.channels, data),
        regulated=frozenset(regulated),
        kinds=kinds,
        goal=goal,
        exclusions=exclusions,
    )


def _food_offer(kinds: frozenset[str], sectors: frozenset[str], product: str,
                lang: str | None, data: FitData) -> bool:
    """Whether the offer itself is food: the product says so, or (no product) the brief
    does and no cause-led sector (an NGO fighting food waste) explains the food words."""
    if product:
        return "food" in kinds
    return "food" in kinds and "ngo" not in sectors


def _product_sectors(product: str, lang: str | None, data: FitData) -> frozenset[str]:
    return frozenset(_hits(data.sectors, product, lang)) if product else frozenset()


def profile_brief(brief: str, brand: BrandContext) -> BriefProfile:
    """The profile of a brief in its brand context (cached: same strings, same object)."""
    return _profile(brief or "", brand)


def _combine(tables: Iterable[Mapping[str, float]]) -> dict[str, float]:
    """Scores add up, clipped to [-1, 1]; a -1 anywhere rules the item out."""
    total: dict[str, float] = {}
    vetoed: set[str] = set()
    for table in tables:
        for key, score in table.items():
            if score <= -1.0:
                vetoed.add(key)
            total[key] = total.get(key, 0.0) + score
    out = {k: max(-1.0, min(1.0, round(v, 3))) for k, v in total.items()}
    out.update({k: -1.0 for k in vetoed})
    return out


def _keys(profile: BriefProfile) -> list[str]:
    keys = sorted(profile.sectors)
    keys += [f"exclusion:{e}" for e in sorted(profile.exclusions)]
    if profile.occasion:
        keys.append("occasion")
    return keys


def strategy_fit(profile: BriefProfile) -> dict[str, float]:
    """Strategy id -> fit in [-1, 1] (absent = 0, neutral; -1 = rule it out)."""
    table = fit_data().strategy_fit
    return _combine(table[k] for k in _keys(profile) if k in table)


def channel_fit(profile: BriefProfile) -> dict[str, float]:
    """Channel kind (prompts/offline/channels.yaml key) -> fit in [-1, 1] for this profile."""
    table = fit_data().channel_fit
    keys = _keys(profile)
    if "b2b" not in profile.sectors:
        keys.append("consumer")  # donors, parents, pet owners are not on LinkedIn to buy
    return _combine(table[k] for k in keys if k in table)


def default_channels(profile: BriefProfile) -> tuple[str, ...]:
    """Channels to fall back on when every suggestion of a strategy is ruled out."""
    data = fit_data()
    out: list[str] = []
    for key in _keys(profile):
        out.extend(data.defaults.get(key, ()))
    return tuple(dict.fromkeys(out))


def describe(profile: BriefProfile) -> dict[str, Any]:
    """A plain dict of the profile, for logs and debugging."""
    return {"sectors": sorted(profile.sectors), "occasion": profile.occasion,
            "channels": list(profile.channels), "regulated": sorted(profile.regulated),
            "kinds": sorted(profile.kinds), "goal": profile.goal,
            "exclusions": sorted(profile.exclusions)}
