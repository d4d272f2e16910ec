"""The diversity measure and the per-answer checks: small pure functions, table-tested."""

from __future__ import annotations

import logging

import pytest

from bot.ideas.answer_checks import factor_checks
from bot.ideas.diversity import (
    cross_similarity,
    log_diversity,
    mean_similarity,
    most_alike,
    similarity,
)
from bot.kernel.messages import Angle


def angle(n: int, checks: list[str]) -> Angle:
    return Angle(n=n, id=str(n), strategy="s", title="t", hook="h", rationale="r",
                 channel="c", to_validate=checks)


@pytest.mark.parametrize(("hooks", "low", "high"), [
    (["a b c", "a b c"], 1.0, 1.0),
    (["Ransomware: three myths.", "Sourdough rises slowly overnight."], 0.0, 0.45),
    (["one"], 0.0, 0.0),
])
def test_mean_similarity(hooks: list[str], low: float, high: float) -> None:
    assert low <= mean_similarity(hooks) <= high


def test_most_alike_and_cross_similarity() -> None:
    hooks = ["NIS2: three myths, three answers.", "NIS2: three myths, three replies.",
             "A baker's dawn, told in six pictures."]
    assert most_alike(hooks) in (0, 1)
    assert cross_similarity(["x y z"], []) == 0.0
    assert cross_similarity(hooks[:1], hooks[1:]) == pytest.approx(similarity(hooks[0], hooks[1]))


def test_diversity_is_logged_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="bot.ideas.diversity"):
        score = log_diversity(["a b", "c d"], ["a b"], where="test")
    assert score == mean_similarity(["a b", "c d"])
    assert "diversity test: answer=" in caplog.text and "against_shown=" in caplog.text


def test_shared_checks_are_said_once_and_each_angle_keeps_three() -> None:
    common = "Mandatory wording: the medicine's name"
    angles = [angle(1, [common, "a", "b", "c", "d"]), angle(2, ["x", common.upper(), "y"])]
    assert factor_checks(angles) == [common]
    assert angles[0].to_validate == ["a", "b", "c"]
    assert angles[1].to_validate == ["x", "y"]


def test_one_angle_has_nothing_in_common_but_is_capped() -> None:
    single = [angle(1, ["a", "b", "c", "d", "a"])]
    assert factor_checks(single) == []
    assert single[0].to_validate == ["a", "b", "c"]
