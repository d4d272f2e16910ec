"""The offline reader's word lists (prompts/brief/reading.yaml), validated and compiled once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.brief.brand import fold
from bot.brief.model import EXCLUSION_KEYS
from prompts import PROMPTS_DIR

READING_PATH = PROMPTS_DIR / "brief" / "reading.yaml"


class ReadingDataError(ValueError):
    """prompts/brief/reading.yaml is invalid; the message says where."""


class _ByLang(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fr: list[str]
    en: list[str]


class _ReadingFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    negations: _ByLang
    exclusion_words: dict[str, list[str]]
    seasons: dict[str, list[str]]
    only_markers: _ByLang
    occasion_opt_out: _ByLang
    bare_labels: dict[str, list[str]]
    label_links: _ByLang
    tone_phrases: list[str]
    up_to_you: list[str]
    markers: dict[str, list[str]]


def alternation(words: Iterable[str], *, plural: bool = False) -> str:
    """A regex alternation of folded phrases, longest first, matched as whole words.

    A phrase that ends with an apostrophe ("pas d'") runs into the next word; with
    `plural`, "prix barre" also matches "prix barres".
    """
    items = sorted({fold(w) for w in words if w.strip()}, key=len, reverse=True)
    closed = [re.escape(w) for w in items if not w.endswith("'")]
    open_ = [re.escape(w) for w in items if w.endswith("'")]
    tail = r"(?:s|x|es)?" if plural else ""
    parts = []
    if open_:
        parts.append("(?:" + "|".join(open_) + ")")
    if closed:
        parts.append("(?:" + "|".join(closed) + ")" + tail + r"(?![\w])")
    return r"(?<![\w])(?:" + "|".join(parts) + ")"


@dataclass(frozen=True)
class ReadingVocabulary:
    negation: re.Pattern[str]
    exclusion: dict[str, re.Pattern[str]]  # key -> words of that family
    seasons: dict[str, re.Pattern[str]]
    only_marker: re.Pattern[str]
    opt_out: re.Pattern[str]
    bare_label: re.Pattern[str]  # at a clause start: (?P<label>...) (link)? (?P<value>...)
    label_field: dict[str, str]  # folded label -> field
    tone_phrase: re.Pattern[str]  # "keep it (?P<value>...)"
    up_to_you: re.Pattern[str]
    markers: dict[str, re.Pattern[str]]


def _load(path: Path) -> _ReadingFile:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = _ReadingFile.model_validate(raw)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ReadingDataError(f"{path.name}: {exc}") from None
    unknown = (set(data.exclusion_words) | set(data.markers)) - set(EXCLUSION_KEYS)
    if unknown:
        raise ReadingDataError(f"{path.name}: exclusion_words: unknown keys {sorted(unknown)}")
    return data


@lru_cache(maxsize=1)
def reading_vocabulary() -> ReadingVocabulary:
    data = _load(READING_PATH)
    label_field = {fold(w): name for name, words in data.bare_labels.items() for w in words}
    links = "|".join(re.escape(fold(w)) for w in sorted(
        {*data.label_links.fr, *data.label_links.en}, key=len, reverse=True))
    bare = re.compile(
        r"(?:(?:and|et|also|aussi|oh and|but|mais|ah et)\s+)?"
        rf"(?P<label>{alternation(label_field)})\s*(?:(?:{links})\s*)?"
        r"(?:(?:actually|really|finally|en fait|finalement|plutot|rather|now|maintenant)\s+)?"
        # The value runs to its line's end (then _value_end cuts it): "$" here would refuse
        # every statement followed by another line.
        r"(?:(?:de|d'|to)\s+)?(?P<value>\S.*)"
    )
    return ReadingVocabulary(
        negation=re.compile(alternation([*data.negations.fr, *data.negations.en])),
        exclusion={k: re.compile(alternation(v, plural=True))
                   for k, v in data.exclusion_words.items()},
        seasons={k: re.compile(alternation(v)) for k, v in data.seasons.items()},
        only_marker=re.compile(alternation([*data.only_markers.fr, *data.only_markers.en])),
        opt_out=re.compile(alternation([*data.occasion_opt_out.fr, *data.occasion_opt_out.en])),
        bare_label=bare,
        label_field=label_field,
        tone_phrase=re.compile(alternation(data.tone_phrases) + r"\s+(?P<value>[^.;!?\n]{3,80})"),
        up_to_you=re.compile(alternation(data.up_to_you)),
        markers={k: re.compile(alternation(v)) for k, v in data.markers.items()},
    )
