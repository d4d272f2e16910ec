"""Team taste: a channel's collective taste as a fading prior for its members.

Each user's taste stays their own (`PreferenceModel` in the user's keys). A
channel also sums the decisions of everyone in it. For someone new to the
channel that sum is a head start: it counts as `PRIOR_STRENGTH` decisions while
the user has none, and fades as their own feedback comes in (at 15 decisions of
their own it is worth a quarter of that). What Symbiose learned is shown back
(`taste`), with how sure it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.learning.preferences import PreferenceModel

# How many decisions a channel's taste is worth to a member who has made none.
PRIOR_STRENGTH = 5.0
# A channel favourite this clear (posterior mean, on at least 2 decisions) is in a
# newcomer's first answers: the prior alone only makes it likely.
HEAD_START_MIN_SCORE = 0.6
# Decisions behind a taste before we call it "medium" and "high" confidence.
MEDIUM_AT, HIGH_AT = 5.0, 20.0

Confidence = Literal["none", "low", "medium", "high"]


def evidence(model: PreferenceModel) -> float:
    """How many decisions (likes, validations, dislikes...) the model is built on."""
    return sum(model.positive.values()) + sum(model.negative.values())


def prior_weight(own: PreferenceModel, channel: PreferenceModel) -> float:
    """The factor applied to the channel's counts: they add up to PRIOR_STRENGTH
    decisions for a newcomer, fading as the user's own evidence grows."""
    total = evidence(channel)
    if total <= 0:
        return 0.0
    return (PRIOR_STRENGTH / total) * PRIOR_STRENGTH / (PRIOR_STRENGTH + evidence(own))


def blend(own: PreferenceModel, channel: PreferenceModel | None) -> PreferenceModel:
    """The user's taste with the channel's as a prior (the user's own when none)."""
    if channel is None:
        return own
    weight = prior_weight(own, channel)
    if weight <= 0:
        return own
    out = PreferenceModel(positive=dict(own.positive), negative=dict(own.negative),
                          tones=dict(own.tones), lengths=dict(own.lengths), shown=dict(own.shown))
    for strategy, count in channel.positive.items():
        out.positive[strategy] = out.positive.get(strategy, 0.0) + count * weight
    for strategy, count in channel.negative.items():
        out.negative[strategy] = out.negative.get(strategy, 0.0) + count * weight
    return out


def head_start(own: PreferenceModel, channel: PreferenceModel | None) -> str | None:
    """The channel's favourite strategy, to show someone who has not yet shown a
    taste of their own (and has not rejected it); None otherwise."""
    if channel is None or evidence(own) >= PRIOR_STRENGTH:
        return None
    top = channel.top(1, min_evidence=2.0)
    if not top or top[0][1] < HEAD_START_MIN_SCORE or own.negative.get(top[0][0], 0.0) > 0:
        return None
    return top[0][0]


def reason(own: PreferenceModel, blended: PreferenceModel, strategy: str, explored: bool) -> str:
    """Why a strategy is in the answer: "taste" (the user liked it), "team" (the
    channel did, the user has not said yet) or "explore"."""
    if explored or blended.positive.get(strategy, 0.0) <= 0 or blended.score(strategy) <= 0.5:
        return "explore"
    return "taste" if own.positive.get(strategy, 0.0) > 0 else "team"


@dataclass
class TasteSummary:
    top: list[tuple[str, float]] = field(default_factory=list)  # strategy, 0..1
    rejected: list[tuple[str, float]] = field(default_factory=list)  # strategy, dislikes
    decisions: float = 0.0
    confidence: Confidence = "none"
    tone: str = ""
    length: str = ""


def summarise(model: PreferenceModel, *, top: int = 3) -> TasteSummary:
    decisions = evidence(model)
    confidence: Confidence = (
        "none" if decisions <= 0 else "low" if decisions < MEDIUM_AT
        else "medium" if decisions < HIGH_AT else "high"
    )
    liked = [(s, score) for s, score in model.top(top * 2) if score > 0.5][:top]
    rejected = sorted(((s, n) for s, n in model.negative.items() if n >= 1),
                      key=lambda item: item[1], reverse=True)[:top]
    style = model.style()
    return TasteSummary(liked, rejected, decisions, confidence,
                        style.get("tone", ""), style.get("length", ""))
