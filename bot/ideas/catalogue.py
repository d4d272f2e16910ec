"""The catalogue of creative strategies, loaded from prompts/strategies.yaml.

Every generator (offline or LLM) picks angles from these strategies, and the
preference model learns over their ids, so the file is validated when loaded:
a typo is an error at start-up naming the file, the entry and the reason, not a
broken answer later.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from prompts import PROMPTS_DIR

DEFAULT_PATH = PROMPTS_DIR / "strategies.yaml"
LANGS = ("fr", "en")
# Tone families a strategy can belong to; the preference model learns over them.
TAGS = frozenset({"playful", "serious", "emotional", "rational", "bold", "premium", "community"})
MAX_SHORT = 70
_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


class CatalogueError(ValueError):
    """The catalogue file is invalid; the message names the file, the entry and the reason."""


def _per_lang(value: dict[str, Any], what: str) -> None:
    missing = [lang for lang in LANGS if lang not in value]
    extra = sorted(set(value) - set(LANGS))
    if missing or extra:
        raise ValueError(f"{what} needs exactly the languages fr and en "
                         f"(missing: {missing or '-'}, unexpected: {extra or '-'})")


class Strategy(BaseModel):
    """One way in to a brief (storytelling, contrarian, ...), described in fr and en."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: dict[str, str]
    description: dict[str, str]
    # What an LLM prompt carries (a prompt pays for every word); the description when absent.
    short: dict[str, str] | None = None
    tags: list[str]
    channels: dict[str, list[str]]

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("must be lower-case words joined by '-' (e.g. 'behind-the-scenes')")
        return value

    @field_validator("name", "description")
    @classmethod
    def _check_texts(cls, value: dict[str, str]) -> dict[str, str]:
        _per_lang(value, "text")
        if not all(isinstance(v, str) and v.strip() for v in value.values()):
            raise ValueError("texts must not be empty")
        return value

    @field_validator("short")
    @classmethod
    def _check_short(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is None:
            return value
        _per_lang(value, "short")
        too_long = [lang for lang, text in value.items() if not 0 < len(text.strip()) <= MAX_SHORT]
        if too_long:
            raise ValueError(f"short texts must have 1 to {MAX_SHORT} characters ({too_long})")
        return value

    @field_validator("tags")
    @classmethod
    def _check_tags(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - TAGS)
        if not value or unknown:
            raise ValueError(f"needs at least one tag among {sorted(TAGS)}; unknown: {unknown}")
        return value

    @field_validator("channels")
    @classmethod
    def _check_channels(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        _per_lang(value, "channels")
        if not all(items and all(c.strip() for c in items) for items in value.values()):
            raise ValueError("each language needs at least one non-empty channel")
        return value

    def name_in(self, lang: str) -> str:
        return self.name.get(lang) or self.name["en"]

    def description_in(self, lang: str) -> str:
        return self.description.get(lang) or self.description["en"]

    def short_in(self, lang: str) -> str:
        if self.short is None:
            return self.description_in(lang)
        return self.short.get(lang) or self.short["en"]

    def channels_in(self, lang: str) -> list[str]:
        return self.channels.get(lang) or self.channels["en"]


def _reason(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "entry"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


class Catalogue:
    """The strategies, in file order, addressable by id."""

    def __init__(self, strategies: list[Strategy]) -> None:
        self._by_id = {s.id: s for s in strategies}
        self._order = [s.id for s in strategies]

    @classmethod
    def load(cls, path: Path | None = None) -> Catalogue:
        path = Path(path) if path is not None else DEFAULT_PATH
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise CatalogueError(f"{path}: cannot read the catalogue: {exc}") from exc
        entries = data.get("strategies") if isinstance(data, dict) else None
        if not isinstance(entries, list) or not entries:
            raise CatalogueError(f"{path}: expected a non-empty 'strategies:' list")
        strategies: list[Strategy] = []
        seen: set[str] = set()
        for index, entry in enumerate(entries, start=1):
            label = f"entry {index}"
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                label += f" ({entry['id']})"
            if not isinstance(entry, dict):
                raise CatalogueError(f"{path}: {label}: expected a mapping")
            try:
                strategy = Strategy.model_validate(entry)
            except ValidationError as exc:
                raise CatalogueError(f"{path}: {label}: {_reason(exc)}") from None
            if strategy.id in seen:
                raise CatalogueError(f"{path}: {label}: id '{strategy.id}' is defined twice")
            seen.add(strategy.id)
            strategies.append(strategy)
        return cls(strategies)

    def __iter__(self) -> Iterator[Strategy]:
        return (self._by_id[i] for i in self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, strategy_id: object) -> bool:
        return strategy_id in self._by_id

    def get(self, strategy_id: str) -> Strategy:
        """The strategy `strategy_id`; KeyError if the catalogue has none."""
        return self._by_id[strategy_id]

    def ids(self) -> list[str]:
        return list(self._order)
