"""What the brief rules out, as a check any generator can run on a line of copy.

The brief model lists exclusions by key ("discount", "urgency", "season_only"
with the season in its text...); prompts/writing/exclusions.yaml says, per key,
which words break it. Both generators use the same guard: the offline one
drops a variant that breaks an exclusion, the LLM one retries, then drops the
angle with a notice. An occasion the brand refuses ("we close on Black
Friday") is read here too, so that no hook pushes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.brief.brand import fold, fold_aligned
from bot.brief.model import EXCLUSION_KEYS, BriefModel, Exclusion
from bot.kernel.messages import Lang
from prompts import PROMPTS_DIR

EXCLUSIONS_FILE = PROMPTS_DIR / "writing" / "exclusions.yaml"


class ExclusionDataError(ValueError):
    """prompts/writing/exclusions.yaml is malformed."""


class _Key(BaseModel):
    model_config = ConfigDict(extra="forbid")
    patterns: list[str]
    tags: list[str] = []
    langs: list[Lang] = ["fr", "en"]
    strategies: list[str] = []
    prompt: dict[Lang, str]


class _Season(BaseModel):
    model_config = ConfigDict(extra="forbid")
    names: list[str]
    patterns: list[str]


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    keys: dict[str, _Key]
    seasons: dict[str, _Season]
    other_stop: list[str]
    refuse_occasion: list[str]
    sector_strategies: dict[str, list[str]] = {}
    asks_humour: list[str] = []


def _words(patterns: Iterable[str]) -> re.Pattern[str] | None:
    parts = [p for p in patterns if p]
    if not parts:
        return None
    # An apostrophe may come before ("l'été", "d'été"), never a letter.
    bounded = [(r"(?<![\w])" if re.match(r"\w", p) else "") + f"(?:{p})"
               + (r"(?![\w])" if re.search(r"[\w?)]$", p) else "") for p in parts]
    return re.compile("|".join(bounded))


@dataclass(frozen=True)
class ExclusionGuard:
    keys: dict[str, _Key]
    patterns: dict[str, re.Pattern[str] | None]
    seasons: dict[str, re.Pattern[str]]
    season_names: dict[str, str]  # folded word -> season id
    refuse: tuple[str, ...]
    other_stop: frozenset[str] = frozenset()
    sector_strategies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    asks_humour: re.Pattern[str] | None = None

    @classmethod
    def load(cls, path: Path = EXCLUSIONS_FILE) -> ExclusionGuard:
        try:
            data = _File.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise ExclusionDataError(f"{path.name}: {exc}") from exc
        missing = set(EXCLUSION_KEYS) - set(data.keys)
        unknown = set(data.keys) - set(EXCLUSION_KEYS)
        if missing or unknown:
            raise ExclusionDataError(
                f"{path.name}: keys must be EXCLUSION_KEYS (missing {sorted(missing)}, "
                f"unknown {sorted(unknown)})")
        try:
            patterns = {k: _words(v.patterns) for k, v in data.keys.items()}
            seasons = {k: _words(v.patterns) for k, v in data.seasons.items()}
        except re.error as exc:
            raise ExclusionDataError(f"{path.name}: bad pattern: {exc}") from exc
        names = {fold(n): season for season, s in data.seasons.items() for n in s.names}
        return cls(keys=data.keys, patterns=patterns,
                   seasons={k: v for k, v in seasons.items() if v is not None},
                   season_names=names, refuse=tuple(data.refuse_occasion),
                   other_stop=frozenset(fold(w) for w in data.other_stop),
                   sector_strategies={k: tuple(v) for k, v in data.sector_strategies.items()},
                   asks_humour=_words(data.asks_humour))

    # ---- reading the exclusions ----

    def season_of(self, exclusion: Exclusion) -> str | None:
        """'summer' for the text "pas seulement l'été"; None when no season is named."""
        for word in re.findall(r"[a-z]+", fold(exclusion.text)):
            if word in self.season_names:
                return self.season_names[word]
        return None

    def season_ruled_out(self, exclusion: Exclusion, model: BriefModel) -> str | None:
        """The season of a `season_only` exclusion: named in its text, else in the brief."""
        season = self.season_of(exclusion)
        if season is None:
            season = self.season_of(Exclusion(exclusion.key, model.text))
        # "hors saison", "year-round" alone: more than the high season, which for most
        # briefs is summer.
        return season or "summer"

    def tags(self, model: BriefModel) -> frozenset[str]:
        """Template tags the exclusions rule out ("pun", "humour", "promo", "urgency"...)."""
        out: set[str] = set()
        for e in model.exclusions:
            if e.key in self.keys:
                out.add(e.key)
                out.update(self.keys[e.key].tags)
            if e.key == "season_only" and (season := self.season_ruled_out(e, model)):
                out.add(f"season:{season}")
        return frozenset(out)

    def strategies_ruled_out(self, model: BriefModel) -> frozenset[str]:
        """Catalogue strategies not to propose: no "Humour" angle when humour is ruled out,
        nor for a sector where it misfires (a €38,000 watch, a charity, a medicine) unless
        the brief asks for humour; no habit ritual for alcohol or gambling."""
        out = {s for e in model.exclusions if e.key in self.keys
               for s in self.keys[e.key].strategies}
        asked = bool(self.asks_humour and self.asks_humour.search(fold(model.text)))
        for sector in model.sectors:
            out.update(s for s in self.sector_strategies.get(sector, ())
                       if not (asked and s == "humour"))
        return frozenset(out)

    def breaks(self, text: str, model: BriefModel, lang: Lang) -> list[str]:
        """The exclusion keys `text` breaks, in the model's order (empty when none)."""
        if not model.exclusions:
            return []
        folded = " ".join(fold_aligned(text).split())  # fold() is 5x slower, same result here
        out = []
        for e in model.exclusions:
            if e.key in out:
                continue
            if e.key == "season_only":
                season = self.season_ruled_out(e, model)
                pattern = self.seasons.get(season) if season else None
            elif e.key in ("occasion", "other"):
                pattern = self._own_words(e)
            else:
                spec = self.keys.get(e.key)
                pattern = self.patterns.get(e.key) if spec and lang in spec.langs else None
                if e.key == "emoji" and pattern is not None:
                    if pattern.search(text):
                        out.append(e.key)
                    continue
            if pattern is not None and pattern.search(folded):
                out.append(e.key)
        return out

    def _own_words(self, exclusion: Exclusion) -> re.Pattern[str] | None:
        """The exclusion's own words: "Black Friday"; "price" for "never talk about price"."""
        text = fold(exclusion.text)
        if exclusion.key == "occasion":
            return _words([re.escape(text)]) if text else None
        words = [w for w in re.findall(r"[a-z0-9][a-z0-9'-]{3,}", text) if w not in self.other_stop]
        return _words(re.escape(w) for w in words)

    def prompt_lines(self, model: BriefModel, lang: Lang) -> list[str]:
        """One line per exclusion for an LLM prompt, with the user's own words."""
        lines = []
        for e in model.exclusions:
            spec = self.keys.get(e.key)
            if spec is None:
                continue
            rule = spec.prompt[lang].replace("{text}", e.text)
            lines.append(f"{rule} (« {e.text} »)" if lang == "fr" else f"{rule} (“{e.text}”)")
        return lines

    def refused_occasion(self, model: BriefModel) -> str:
        """The occasion the brand does not join ("Black Friday"), or ""."""
        for e in model.exclusions:
            if e.key == "occasion" and e.text:
                return e.text
        if not model.occasion:
            return ""
        occasion = re.escape(fold(model.occasion))
        occasion = re.sub(r"^(?:le|la|les|l'|the)\\ ", "", occasion)
        haystack = fold(" ".join([model.text, model.get("constraints"),
                                  *(e.text for e in model.exclusions)]))
        if any(re.search(p.replace("{occasion}", occasion), haystack) for p in self.refuse):
            return model.occasion
        return ""


@lru_cache(maxsize=1)
def default_guard() -> ExclusionGuard:
    return ExclusionGuard.load()
