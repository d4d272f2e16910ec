"""How alike the hooks of an answer (and of a conversation) read: one number, 0 to 1.

The measure is the mean pairwise rapidfuzz `token_sort_ratio` of the hooks, over
100: 0 when no two hooks share words in order, 1 when they are the same. It is
logged at DEBUG for every answer, with the same measure of the answer against
the hooks this conversation already showed, and generators keep it under
THRESHOLD by replacing the hook closest to the others.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from itertools import combinations

from rapidfuzz import fuzz

log = logging.getLogger(__name__)

# Above this, an answer reads like one template shuffled (measured on the bench:
# brief-written answers sit around 0.30; stock templates with the product pasted in, 0.5+).
THRESHOLD = 0.45


def similarity(a: str, b: str) -> float:
    return fuzz.token_sort_ratio(a, b) / 100.0


def mean_similarity(hooks: Sequence[str]) -> float:
    """Mean pairwise similarity of `hooks` (0.0 for fewer than two)."""
    pairs = list(combinations(hooks, 2))
    if not pairs:
        return 0.0
    return sum(similarity(a, b) for a, b in pairs) / len(pairs)


def cross_similarity(new: Sequence[str], old: Sequence[str]) -> float:
    """Mean similarity of each new hook to the closest hook already shown."""
    if not new or not old:
        return 0.0
    return sum(max(similarity(h, o) for o in old) for h in new) / len(new)


def most_alike(hooks: Sequence[str]) -> int:
    """Index of the hook closest to all the others (the one to replace first)."""
    scores = [sum(similarity(h, o) for j, o in enumerate(hooks) if j != i)
              for i, h in enumerate(hooks)]
    return max(range(len(hooks)), key=scores.__getitem__)


def log_diversity(hooks: Sequence[str], shown: Sequence[str], *, where: str) -> float:
    score = mean_similarity(hooks)
    if log.isEnabledFor(logging.DEBUG):
        log.debug("diversity %s: answer=%.2f against_shown=%.2f hooks=%d",
                  where, score, cross_similarity(hooks, shown[-50:]), len(hooks))
    return score
