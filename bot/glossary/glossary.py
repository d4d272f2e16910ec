"""`Glossary`: what the engine and the adapters call.

Loaded once at start-up (all indexes precomputed), then read-only and safe to
share between concurrent conversations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from bot.glossary import reply as render
from bot.glossary.loader import BUILTIN_DIR, GlossaryError, load
from bot.glossary.model import Entry
from bot.glossary.search import Index
from bot.kernel.messages import GlossaryCard, Lang, Reply

FEATURED_FIRST = "symbiotic-ai"
# No term is this long; a pasted paragraph must not cost a fuzzy pass over it.
MAX_QUERY_LENGTH = 120
_MAX_FEATURED = 6
# A trailing language asks for the other version: "symbiotic ai fr",
# "IA symbiotique --en", "persona in English", "churn en anglais".
_LANG_SUFFIX = re.compile(
    r"(?:^|\s+)(?:-{0,2}(?P<code>en|fr)|"
    r"(?:in\s+|en\s+)?(?P<word>english|anglais|french|fran[cç]ais))"
    r"\s*[.!?]*\s*$",
    re.IGNORECASE,
)
_WORD_LANG: dict[str, Lang] = {"english": "en", "anglais": "en", "french": "fr", "francais": "fr",
                               "français": "fr"}


class CategoryInfo(NamedTuple):
    id: str
    label: str
    # Shadows tuple.count by design (a public field name); mypy flags the override.
    count: int  # type: ignore[assignment]


def split_lang(query: str) -> tuple[str, Lang | None]:
    """The query without a trailing language request, and that language."""
    m = _LANG_SUFFIX.search(query)
    if not m:
        return query.strip(), None
    # The pattern only matches "en" or "fr" as a code: mypy cannot see it.
    code = m["code"].lower() if m["code"] else _WORD_LANG[m["word"].lower()]
    lang: Lang = code  # type: ignore[assignment]
    return query[: m.start()].strip(), lang


class Glossary:
    def __init__(self, entries: dict[str, Entry], index: Index, errors: list[str]) -> None:
        self._entries = entries
        self._index = index
        self.errors = errors
        self._by_category: dict[str, list[Entry]] = {c: [] for c in index.categories}
        for entry in entries.values():
            self._by_category[entry.category].append(entry)

    @classmethod
    def load(
        cls, extra_paths: Sequence[Path | str] = (), *, builtin_dir: Path = BUILTIN_DIR
    ) -> Glossary:
        """The built-in glossary plus organisation files or folders (GLOSSARY_PATH).

        Raises `GlossaryError` if the built-in content is broken; problems in
        organisation files end up in `.errors` and their valid entries load.
        """
        loaded = load([Path(p) for p in extra_paths], builtin_dir)
        index = Index(loaded.entries, loaded.categories)
        errors = list(loaded.errors)
        ours: list[str] = []
        for conflict in index.conflicts:
            if conflict.loser.builtin and conflict.winner.builtin:
                ours.append(conflict.message())
            elif not conflict.loser.builtin:
                errors.append(conflict.message())
        if ours:
            raise GlossaryError("invalid built-in glossary:\n" + "\n".join(ours))
        return cls(loaded.entries, index, errors)

    def __len__(self) -> int:
        return len(self._entries)

    def categories(self, lang: Lang) -> list[CategoryInfo]:
        return [
            CategoryInfo(cat.id, cat.label[lang], len(self._by_category[cat.id]))
            for cat in self._index.categories.values()
            if self._by_category[cat.id]
        ]

    def entry(self, entry_id: str) -> Entry | None:
        return self._entries.get(entry_id)

    def _card(self, entry: Entry, lang: Lang) -> GlossaryCard:
        return render.card(entry, lang, self._entries, self._index.categories[entry.category])

    def card(self, term_or_id: str, lang: Lang) -> GlossaryCard | None:
        """The card of an id or a term (same tolerance as `reply`), else None."""
        entry = self._entries.get(term_or_id)
        if entry is None:
            found = self._index.find(term_or_id[:MAX_QUERY_LENGTH]).entry
            entry = self._entries[found] if found else None
        return self._card(entry, lang) if entry else None

    def search(self, query: str, lang: Lang, limit: int = 10) -> list[GlossaryCard]:
        ids = self._index.search(query[:MAX_QUERY_LENGTH], limit)
        return [self._card(self._entries[i], lang) for i in ids]

    def mentions(self, text: str, lang: Lang, limit: int = 1) -> list[GlossaryCard]:
        return [self._card(self._entries[i], lang) for i in self._index.mentions(text, limit)]

    def knows(self, query: str) -> bool:
        """Whether `reply(query)` shows something asked for (usage, a category or
        an entry) rather than "not found": e.g. for a command's exit status."""
        query, _ = split_lang(query[:MAX_QUERY_LENGTH])
        match = self._index.find(query)
        return not query or match.entry is not None or match.category is not None

    def reply(self, query: str, lang: Lang) -> Reply:
        """The answer to `glossary QUERY`: usage, a category, an entry, or suggestions."""
        query, asked = split_lang(query[:MAX_QUERY_LENGTH])
        lang = asked or lang
        if not query:
            return self._usage(lang)
        match = self._index.find(query)
        if match.entry:
            entry = self._entries[match.entry]
            return render.entry_reply(self._card(entry, lang), entry.term[render.other(lang)], lang)
        if match.category:
            cat = self._index.categories[match.category]
            return render.category_reply(cat, self._by_category[cat.id], lang)
        names = [self._entries[i].term[lang] for i in match.suggestions]
        return render.not_found_reply(query, names, lang)

    def _usage(self, lang: Lang) -> Reply:
        cats = [(c, len(self._by_category[c.id])) for c in self._index.categories.values()
                if self._by_category[c.id]]
        featured: list[Entry] = []
        if FEATURED_FIRST in self._entries:
            featured.append(self._entries[FEATURED_FIRST])
        for members in self._by_category.values():
            if members and members[0] not in featured:
                featured.append(members[0])
        return render.usage_reply(len(self), cats, featured[:_MAX_FEATURED], lang)
