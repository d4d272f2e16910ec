"""Indexes built once at load, and the three ways of finding entries.

- `find`: the one entry a `glossary TERM` query means, or suggestions. A fuzzy
  hit is accepted only within a small edit distance that grows with the length
  of the query, and only if no other entry is as close: a wrong entry is never
  presented as the answer.
- `search`: a ranked list for type-ahead (Teams message extension).
- `mentions`: glossary terms written in a text, found by one pass over its words.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.glossary.fuzzy import FuzzyNames, edit_bound
from bot.glossary.model import Category, Entry
from bot.glossary.normalise import cased_words, fold, joined, key, singular

# Suggestions: names at least this similar (see FuzzyNames.similar); if none,
# a looser whole-name pass catches short typos ("kpy" -> "kpi").
SUGGEST_CUTOFF = 80.0
FALLBACK_CUTOFF = 60.0
SEARCH_CUTOFF = 75.0
# Everyday words before being jargon: pointing to their entry under every
# brainstorm answer that says "your brief" or "lead with" would be noise.
TOO_COMMON_TO_MENTION = frozenset(
    {"brief", "lead", "test", "display", "prompt", "cible", "target", "audience", "cookie",
     "marque", "brand", "contenu", "content", "engagement", "conversion"}
)
MIN_MENTION_LENGTH = 4


def allowed_typos(query_key: str) -> int:
    """How many edits a query may be away from a name and still count as it."""
    letters = len(query_key.replace(" ", ""))
    return 0 if letters <= 4 else 1 if letters <= 8 else 2


@dataclass(frozen=True, slots=True)
class Match:
    entry: str | None = None
    category: str | None = None
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two entries claiming the same name; `loser` keeps its other names."""

    loser: Entry
    winner: Entry
    name: str

    def message(self) -> str:
        return (f"{self.loser.source}: {self.loser.id}: name {self.name!r} "
                f"is already used by {self.winner.id!r}; ignored")


@dataclass
class Index:
    entries: Mapping[str, Entry]
    categories: Mapping[str, Category]
    conflicts: list[Conflict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._exact: dict[str, str] = {}
        self._joined: dict[str, str] = {}
        self._category_keys: dict[str, str] = {}
        self._prefixes: list[tuple[str, str, bool]] = []  # (folded name, id, is term), sorted
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._acronyms: dict[str, str] = {}
        self._id_only: set[str] = set()
        self._build_exact()
        self._build_categories()
        # Fuzzy matching runs on names people use, not on ids ("synthetic-0042").
        self._keys = [k for k in self._exact if k not in self._id_only]
        self._key_ids = [self._exact[k] for k in self._keys]
        self._names = FuzzyNames(self._keys)
        self._cat_list = list(self._category_keys)
        self._cat_names = FuzzyNames(self._cat_list)
        self._cat_ids = [self._category_keys[c] for c in self._cat_list]
        self._build_prefixes()
        self._build_mentions()

    # -- building -----------------------------------------------------------

    def _claim(self, name: str, entry: Entry) -> None:
        k = key(name)
        owner = self._exact.setdefault(k, entry.id)
        if owner != entry.id:
            self.conflicts.append(Conflict(entry, self.entries[owner], name))

    def _build_exact(self) -> None:
        entries = list(self.entries.values())
        for entry in entries:  # canonical terms win over any alias
            self._claim(entry.term["fr"], entry)
            self._claim(entry.term["en"], entry)
        # Organisation aliases before built-in ones: an organisation that
        # gives "IA" to its own entry means it.
        for entry in sorted(entries, key=lambda e: e.builtin):
            for name in (*entry.aliases["fr"], *entry.aliases["en"], *entry.misspellings):
                self._claim(name, entry)
            id_key = key(entry.id)
            if id_key not in self._exact:
                self._exact[id_key] = entry.id
                self._id_only.add(id_key)
        ambiguous: set[str] = set()
        for entry in entries:
            for name in entry.names():
                j = joined(name)
                if self._joined.setdefault(j, entry.id) != entry.id:
                    ambiguous.add(j)
        for j in ambiguous:
            del self._joined[j]

    def _build_categories(self) -> None:
        for cat in self.categories.values():
            for name in (cat.id, cat.label["fr"], cat.label["en"]):
                self._category_keys.setdefault(key(name), cat.id)

    def _build_prefixes(self) -> None:
        rows = {(fold(name), entry.id, name in (entry.term["fr"], entry.term["en"]))
                for entry in self.entries.values() for name in entry.names()}
        self._prefixes = sorted(rows)

    def _build_mentions(self) -> None:
        for entry in self.entries.values():
            for name in entry.names():
                compact = name.replace(" ", "")
                if compact.isupper() and compact.isalnum() and len(compact) >= 3:
                    self._acronyms.setdefault(compact, entry.id)
                    continue
                toks = tuple(singular(t) for t in fold(name).split())
                if (
                    len("".join(toks)) < MIN_MENTION_LENGTH
                    or " ".join(toks) in TOO_COMMON_TO_MENTION
                ):
                    continue
                self._phrases.setdefault(toks[0], []).append((toks, entry.id))
        for candidates in self._phrases.values():
            candidates.sort(key=lambda c: -len(c[0]))  # longest phrase first

    # -- queries ------------------------------------------------------------

    def find(self, query: str) -> Match:
        k = key(query)
        if not k:
            return Match()
        if k in self._category_keys:
            return Match(category=self._category_keys[k])
        hit = self._exact.get(k) or self._joined.get(joined(query))
        if hit:
            return Match(entry=hit)
        typos = allowed_typos(k)
        # One similarity pass serves both the typo check and the suggestions.
        ratios = self._names.ratios(k, min(FALLBACK_CUTOFF, edit_bound(len(k), typos)))
        if typos:
            hit = self._closest(self._names.closest(k, typos, ratios), self._key_ids)
            if hit:
                return Match(entry=hit)
            cat = self._closest(self._cat_names.closest(k, typos), self._cat_ids)
            if cat:
                return Match(category=cat)
        return Match(suggestions=self.suggest(k, ratios=ratios))

    @staticmethod
    def _closest(hits: list[tuple[int, int]], ids: list[str]) -> str | None:
        if not hits:
            return None
        best = hits[0][1]
        found = {ids[i] for i, dist in hits if dist == best}
        return found.pop() if len(found) == 1 else None  # a tie is not an answer

    def _ranked_ids(self, hits: list[tuple[int, float]], limit: int) -> list[str]:
        out: list[str] = []
        for i, _ in hits:
            if self._key_ids[i] not in out:
                out.append(self._key_ids[i])
        return out[:limit]

    def suggest(self, query_key: str, limit: int = 5,
                ratios: list[tuple[int, float]] | None = None) -> tuple[str, ...]:
        """Did-you-mean entry ids, best first (never the basis of an answer)."""
        if ratios is None:
            ratios = self._names.ratios(query_key, FALLBACK_CUTOFF)
        hits = self._names.similar(query_key, SUGGEST_CUTOFF, limit * 6, ratios)
        if not hits:
            hits = sorted(ratios, key=lambda hit: -hit[1])
        return tuple(self._ranked_ids(hits, limit))

    def search(self, query: str, limit: int = 10) -> list[str]:
        """Entry ids for type-ahead: exact name, then names starting with the
        query, then fuzzy matches."""
        folded, k = fold(query), key(query)
        if not k:
            return list(self.entries)[:limit]
        scores: dict[str, float] = {}
        exact = self._exact.get(k)
        if exact:
            scores[exact] = 300.0
        start = bisect.bisect_left(self._prefixes, (folded, "", False))
        for name, entry_id, is_term in self._prefixes[start : start + 200]:
            if not name.startswith(folded):
                break
            # Canonical terms before aliases, then shorter names first.
            score = (250.0 if is_term else 200.0) - len(name) / 10
            scores[entry_id] = max(scores.get(entry_id, 0.0), score)
        for i, score in self._names.similar(k, SEARCH_CUTOFF, limit * 4):
            entry_id = self._key_ids[i]
            scores[entry_id] = max(scores.get(entry_id, 0.0), score)
        ranked = sorted(scores, key=lambda eid: (-scores[eid], self.entries[eid].term["en"]))
        return ranked[:limit]

    def mentions(self, text: str, limit: int = 1) -> list[str]:
        """Ids of entries whose name appears in `text`, in order of appearance."""
        words = cased_words(text)
        lowered = [singular(w.lower()) for w in words]
        found: list[str] = []
        i, n = 0, len(words)
        while i < n and len(found) < limit:
            step = 1
            entry_id = None
            for toks, candidate in self._phrases.get(lowered[i], ()):
                if tuple(lowered[i : i + len(toks)]) == toks:
                    entry_id, step = candidate, len(toks)
                    break
            if entry_id is None:
                word = words[i]
                entry_id = self._acronyms.get(word) or (
                    self._acronyms.get(word[:-1]) if word.endswith("s") else None
                )
            if entry_id and entry_id not in found:
                found.append(entry_id)
            i += step
        return found
