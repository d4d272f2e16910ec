"""Team taste: the channel's collective taste as a fading prior, and what is shown."""

from __future__ import annotations

import random

from bot.learning.preferences import PreferenceModel
from bot.learning.team_taste import (
    PRIOR_STRENGTH,
    blend,
    evidence,
    head_start,
    reason,
    summarise,
)

STRATEGIES = [f"s{i}" for i in range(12)]


def _channel() -> PreferenceModel:
    model = PreferenceModel()
    model.apply({"s+:s3": 12.0, "s-:s5": 4.0})
    return model


def _rate(prefs: PreferenceModel, strategy: str, runs: int = 400) -> float:
    hits = sum(strategy in prefs.choose(STRATEGIES, 5, random.Random(seed))
               for seed in range(runs))
    return hits / runs


def test_a_newcomer_leans_towards_what_the_channel_liked() -> None:
    alone = _rate(PreferenceModel(), "s3")
    newcomer = _rate(blend(PreferenceModel(), _channel()), "s3")
    assert alone < 0.5 and newcomer > 0.75


def test_the_prior_counts_as_a_few_decisions_and_fades() -> None:
    fresh = blend(PreferenceModel(), _channel())
    assert abs(evidence(fresh) - PRIOR_STRENGTH) < 1e-9
    seasoned = PreferenceModel()
    seasoned.apply({"s+:s7": 20.0, "s-:s3": 10.0})
    mixed = blend(seasoned, _channel())
    # Thirty decisions of their own: the channel's weighs a seventh of a newcomer's.
    assert evidence(mixed) - evidence(seasoned) < PRIOR_STRENGTH / 5
    assert mixed.score("s7") > mixed.score("s3")


def test_without_a_channel_the_users_taste_is_unchanged() -> None:
    own = PreferenceModel()
    own.apply({"s+:s1": 2.0})
    assert blend(own, None) is own and blend(own, PreferenceModel()) is own


def test_each_pick_says_why() -> None:
    own = PreferenceModel()
    own.apply({"s+:s1": 3.0})
    blended = blend(own, _channel())
    assert reason(own, blended, "s1", explored=False) == "taste"
    assert reason(own, blended, "s3", explored=False) == "team"
    assert reason(own, blended, "s3", explored=True) == "explore"
    assert reason(own, blended, "s9", explored=False) == "explore"


def test_the_summary_says_how_sure_it_is() -> None:
    assert summarise(PreferenceModel()).confidence == "none"
    summary = summarise(_channel())
    assert summary.confidence == "medium" and summary.top[0][0] == "s3"
    assert summary.rejected == [("s5", 4.0)]


def test_a_clear_channel_favourite_is_a_newcomers_head_start() -> None:
    assert head_start(PreferenceModel(), _channel()) == "s3"
    assert head_start(PreferenceModel(), None) is None
    rejected = PreferenceModel()
    rejected.apply({"s-:s3": 1.0})
    assert head_start(rejected, _channel()) is None  # they said no to it
    seasoned = PreferenceModel()
    seasoned.apply({"s+:s1": float(PRIOR_STRENGTH)})
    assert head_start(seasoned, _channel()) is None  # their own taste leads now
    split = PreferenceModel()
    split.apply({"s+:s3": 1.0, "s-:s3": 1.0})
    assert head_start(PreferenceModel(), split) is None  # no clear favourite
