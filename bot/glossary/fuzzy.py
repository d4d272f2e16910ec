"""Fuzzy matching over a fixed list of names, with indexes built once.

One fast pass of plain similarity (rapidfuzz's `ratio`, ~40 ns a name) finds
every candidate; the slower, stricter measures then run on those few only:

- `closest`: names within a few edits of the query (optimal string alignment,
  so a swapped pair of letters is one edit). A name within d edits has at
  most 2·d insertions/deletions, hence a ratio of at least
  100·(1 − 2d / (2L − d)) for a query of length L: a safe pre-filter.
- `similar`: ranked "did you mean" candidates: whole-name similarity plus
  word-level matching through an inverted index of words, so a query found
  inside a longer name ("learning" -> "deep learning"), a longer query around a
  name ("seo local" -> "seo") or a word typed halfway ("mark" -> "marketing")
  still ranks. This replaces rapidfuzz's WRatio, which ranked about as well
  but cost ~20x more with a thousand entries.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

WORD_CUTOFF = 80.0  # a query word and a name word this similar count as the same word
PREFIX_SCORE = 90.0  # a query word that starts a name word ("mark" -> "marketing")
MIN_PREFIX = 3
PART_WEIGHT = 0.9  # a name matched word by word ranks below a whole-name match


def edit_bound(length: int, max_edits: int) -> float:
    """The lowest `ratio` a name within `max_edits` of a query of `length` can have."""
    if max_edits <= 0:
        return 100.0
    return 100.0 * (1.0 - 2.0 * max_edits / max(2 * length - max_edits, 1)) - 1e-6


class FuzzyNames:
    def __init__(self, names: Sequence[str]) -> None:
        self.names = list(names)
        self._word_counts = [len(name.split()) for name in self.names]
        postings: dict[str, list[int]] = {}
        for i, name in enumerate(self.names):
            for word in set(name.split()):
                postings.setdefault(word, []).append(i)
        self._postings = postings
        self._vocab = sorted(postings)

    def ratios(self, query: str, cutoff: float) -> list[tuple[int, float]]:
        """(name index, ratio) of every name at least `cutoff` similar to `query`."""
        hits = process.extract(query, self.names, scorer=fuzz.ratio, score_cutoff=cutoff,
                               limit=None)
        return [(i, float(score)) for _, score, i in hits]

    def closest(self, query: str, max_edits: int,
                ratios: list[tuple[int, float]] | None = None) -> list[tuple[int, int]]:
        """(name index, edits) of names within `max_edits` of `query`, closest first.

        `ratios` may be a `ratios()` result computed with a cutoff at or below
        `edit_bound(len(query), max_edits)`, to share one pass with `similar`.
        """
        bound = edit_bound(len(query), max_edits)
        if ratios is None:
            ratios = self.ratios(query, bound)
        out = []
        for i, score in ratios:
            if score >= bound:
                edits = OSA.distance(query, self.names[i], score_cutoff=max_edits)
                if edits <= max_edits:
                    out.append((i, edits))
        return sorted(out, key=lambda hit: hit[1])

    def _word_matches(self, word: str) -> dict[str, float]:
        """Name words similar to `word`, or starting with it, and how similar."""
        found = {w: float(s) for w, s, _ in process.extract(
            word, self._vocab, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF, limit=None)}
        if len(word) >= MIN_PREFIX:
            start = bisect.bisect_left(self._vocab, word)
            for w in self._vocab[start : start + 50]:
                if not w.startswith(word):
                    break
                found[w] = max(found.get(w, 0.0), PREFIX_SCORE)
        return found

    def similar(self, query: str, cutoff: float, limit: int,
                ratios: list[tuple[int, float]] | None = None) -> list[tuple[int, float]]:
        """(name index, score 0-100) of names resembling `query`, best first."""
        if ratios is None:
            ratios = self.ratios(query, cutoff)
        scores = {i: score for i, score in ratios if score >= cutoff}
        words = query.split()
        per_name: dict[int, list[float]] = {}
        for n, word in enumerate(words):
            for name_word, sim in self._word_matches(word).items():
                for i in self._postings[name_word]:
                    best = per_name.setdefault(i, [0.0] * len(words))
                    best[n] = max(best[n], sim)
        for i, best in per_name.items():
            matched = sum(best) / 100.0  # in words
            # Either most of the query is in the name, or most of the name is in the query.
            cover = max(matched / len(words), min(1.0, matched / self._word_counts[i]))
            score = PART_WEIGHT * 100.0 * cover
            if score >= cutoff and score > scores.get(i, 0.0):
                scores[i] = score
        ranked = sorted(scores.items(), key=lambda item: (-item[1], len(self.names[item[0]])))
        return ranked[:limit]
