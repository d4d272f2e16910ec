"""The glossary file format (validated with pydantic) and the loaded, resolved entry.

A glossary file is YAML:

    categories:                 # optional: id -> label in both languages
      ai-data: {fr: "IA & données", en: "AI & data"}
    entries:
      - id: symbiotic-ai        # optional in organisation files (derived from the term)
        category: ai-data
        term: {fr: "IA symbiotique", en: "Symbiotic AI"}
        aliases: {fr: [...], en: [...]}   # shown on the card and searched
        misspellings: [...]               # searched only (never shown)
        definition: {fr: "...", en: "..."}
        in_practice: {fr: "...", en: "..."}
        faq:
          - q: {fr: "...", en: "..."}
            a: {fr: "...", en: "..."}
        related: [machine-learning, Human-in-the-loop]   # ids or terms

Unknown keys are errors (a typo such as `defintion:` must not silently drop text).
Organisation files may give one language only; the other falls back to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.kernel.messages import Lang

LANGS: tuple[Lang, ...] = ("fr", "en")
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(_Strict):
    """A text in French and/or English (at least one)."""

    fr: str | None = None
    en: str | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Text:
        if not (self.fr or self.en):
            raise ValueError("needs a non-empty 'fr' or 'en' text")
        return self

    def missing(self) -> list[str]:
        return [lang for lang in LANGS if not getattr(self, lang)]

    def both(self) -> dict[Lang, str]:
        """Both languages, the missing one falling back to the other."""
        fr, en = self.fr or self.en or "", self.en or self.fr or ""
        return {"fr": fr, "en": en}


class Names(_Strict):
    fr: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)


class FaqItem(_Strict):
    q: Text
    a: Text


class EntryModel(_Strict):
    id: str | None = Field(default=None, pattern=ID_PATTERN, max_length=80)
    category: str = Field(pattern=ID_PATTERN)
    term: Text
    aliases: Names = Field(default_factory=Names)
    misspellings: list[str] = Field(default_factory=list)
    definition: Text
    in_practice: Text | None = None
    faq: list[FaqItem] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)

    def missing_languages(self) -> list[str]:
        """Fields lacking a language: the built-in content must have both everywhere."""
        texts: list[tuple[str, Text]] = [("term", self.term), ("definition", self.definition)]
        if self.in_practice is not None:
            texts.append(("in_practice", self.in_practice))
        for n, item in enumerate(self.faq, 1):
            texts += [(f"faq[{n}].q", item.q), (f"faq[{n}].a", item.a)]
        return [f"{name}.{lang}" for name, text in texts for lang in text.missing()]


class FileModel(_Strict):
    """The top level of a file. Entries are validated one by one (see loader),
    so that one bad entry does not hide the good ones."""

    categories: dict[str, Text] = Field(default_factory=dict)
    entries: list[Any] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    label: dict[Lang, str]


@dataclass(frozen=True, slots=True)
class Entry:
    """One loaded entry: both languages filled in, related terms resolved to ids."""

    id: str
    category: str
    term: dict[Lang, str]
    aliases: dict[Lang, tuple[str, ...]]
    misspellings: tuple[str, ...]
    definition: dict[Lang, str]
    in_practice: dict[Lang, str]
    faq: tuple[tuple[dict[Lang, str], dict[Lang, str]], ...]
    related: tuple[str, ...]
    source: str
    builtin: bool

    def names(self) -> list[str]:
        """Every searchable name of the entry, canonical terms first."""
        out = [self.term["fr"], self.term["en"]]
        return out + [*self.aliases["fr"], *self.aliases["en"], *self.misspellings]
