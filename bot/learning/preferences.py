"""A user's taste, learned from feedback, and how it steers the next answer.

Each strategy has a Beta(1 + positive, 1 + negative + ignored / 2) belief of
"this user finds angles of this kind good", where `ignored` counts the times it
was shown and got no positive feedback: silence is a weak no, so what a user
keeps liking rises above what they keep skipping. Choosing strategies by
Thompson sampling leans towards what the user liked while still trying the
others now and then; one slot per answer is kept for pure exploration so taste
never freezes.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# How much each decision moves the belief about the angle's strategy.
WEIGHTS: dict[str, tuple[float, float]] = {
    # action: (positive, negative)
    "like": (1.0, 0.0),
    "validate": (2.0, 0.0),
    "dislike": (0.0, 1.0),
    "refine": (0.5, 0.0),  # worth reworking: a mild yes
    "challenge": (0.25, 0.0),
}
_POS = "s+:"
_NEG = "s-:"
_TONE = "tone:"
_LENGTH = "len:"
_SHOWN = "n:"
# How much one unrewarded showing counts against a strategy (a dislike counts 1).
IGNORED_WEIGHT = 0.5
# How many decisions' worth a perfect (or hopeless) fit with the brief is worth:
# enough to shape a new user's first answers, soon outweighed by their own taste.
FIT_WEIGHT = 3.0
# Exploration never picks what the brief rules out (a UGC challenge for a luxury
# house that said "no influencers").
EXPLORE_MIN_FIT = -0.5


@dataclass
class PreferenceModel:
    positive: dict[str, float] = field(default_factory=dict)
    negative: dict[str, float] = field(default_factory=dict)
    tones: dict[str, float] = field(default_factory=dict)
    lengths: dict[str, float] = field(default_factory=dict)
    shown: dict[str, float] = field(default_factory=dict)
    # The strategies the latest `choose` picked to explore (not for taste).
    explored: frozenset[str] = field(default_factory=frozenset, compare=False, repr=False)

    def _sections(self) -> tuple[tuple[str, dict[str, float]], ...]:
        return (
            (_POS, self.positive),
            (_NEG, self.negative),
            (_TONE, self.tones),
            (_LENGTH, self.lengths),
            (_SHOWN, self.shown),
        )

    @classmethod
    def from_hash(cls, data: Mapping[str, str]) -> PreferenceModel:
        model = cls()
        for key, raw in data.items():
            try:
                model.apply({key: float(raw)})
            except ValueError:
                continue
        return model

    @staticmethod
    def deltas(
        action: str, strategy: str | None, style: Mapping[str, str] = {}
    ) -> dict[str, float]:
        """Hash increments (HINCRBYFLOAT) that record one decision."""
        out: dict[str, float] = {}
        pos, neg = WEIGHTS.get(action, (0.0, 0.0))
        if strategy:
            if pos:
                out[_POS + strategy] = pos
            if neg:
                out[_NEG + strategy] = neg
        if style.get("tone"):
            out[_TONE + style["tone"]] = 1.0
        if style.get("length"):
            out[_LENGTH + style["length"]] = 1.0
        return out

    @staticmethod
    def impressions(strategies: Iterable[str]) -> dict[str, float]:
        """Hash increments that record which strategies an answer showed."""
        return {_SHOWN + s: 1.0 for s in strategies}

    def _alpha_beta(self, strategy: str) -> tuple[float, float]:
        pos = self.positive.get(strategy, 0.0)
        ignored = max(self.shown.get(strategy, 0.0) - pos, 0.0)
        return 1.0 + pos, 1.0 + self.negative.get(strategy, 0.0) + IGNORED_WEIGHT * ignored

    def apply(self, deltas: Mapping[str, float]) -> None:
        """Fold increments into this in-memory model, as HINCRBYFLOAT does in Redis."""
        for key, inc in deltas.items():
            for prefix, target in self._sections():
                if key.startswith(prefix):
                    name = key[len(prefix):]
                    target[name] = target.get(name, 0.0) + float(inc)

    def to_hash(self) -> dict[str, str]:
        return {
            prefix + k: str(v) for prefix, source in self._sections() for k, v in source.items()
        }

    def score(self, strategy: str) -> float:
        """Posterior mean: how much the user seems to like this strategy (0..1)."""
        a, b = self._alpha_beta(strategy)
        return a / (a + b)

    def choose(
        self,
        strategies: Sequence[str],
        k: int,
        rng: random.Random,
        *,
        avoid: Iterable[str] = (),
        explore_slots: int = 1,
        fit: Mapping[str, float] | None = None,
    ) -> list[str]:
        """k distinct strategies: Thompson samples, plus `explore_slots` picked at random.

        `avoid` (e.g. those just shown) is used only while enough others remain.
        `fit` (-1..1 per strategy, from the brief) adds prior evidence for or against.
        """
        fit = fit or {}
        avoided = set(avoid)
        pool = [s for s in strategies if s not in avoided]
        if len(pool) < k:
            pool = list(strategies)
        k = min(k, len(pool))

        def sample(strategy: str) -> float:
            alpha, beta = self._alpha_beta(strategy)
            # The brief's say fades as the user's own evidence on this strategy grows.
            evidence = alpha + beta - 2.0
            prior = fit.get(strategy, 0.0) * FIT_WEIGHT / (1.0 + evidence / FIT_WEIGHT)
            return rng.betavariate(alpha + max(prior, 0.0), beta + max(-prior, 0.0))

        samples = {s: sample(s) for s in pool}
        ranked = sorted(pool, key=lambda s: samples[s], reverse=True)
        explore = min(explore_slots, k - 1) if k >= 3 else 0
        chosen = ranked[: k - explore]
        rest = [s for s in ranked[k - explore:] if fit.get(s, 0.0) > EXPLORE_MIN_FIT]
        rest = rest or ranked[k - explore:]
        explored = rng.sample(rest, min(explore, len(rest)))
        self.explored = frozenset(explored)
        return chosen + explored

    def top(self, n: int = 5, *, min_evidence: float = 1.0) -> list[tuple[str, float]]:
        """Strategies the user has shown a taste for, best first."""
        seen = {s for s in set(self.positive) | set(self.negative)
                if self.positive.get(s, 0) + self.negative.get(s, 0) >= min_evidence}
        ranked = sorted(seen, key=self.score, reverse=True)
        return [(s, self.score(s)) for s in ranked[:n]]

    def style(self) -> dict[str, str]:
        """The dominant tone and length the user asked for, if any stands out."""
        out: dict[str, str] = {}
        for name, counts in (("tone", self.tones), ("length", self.lengths)):
            if counts:
                best = max(counts, key=lambda key: counts[key])
                if counts[best] >= 1:
                    out[name] = best
        return out
