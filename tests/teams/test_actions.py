"""Card action data <-> engine Actions: round trips, and junk is ignored."""

from __future__ import annotations

import pytest

from adapters.teams import actions
from bot.kernel.messages import Action


@pytest.mark.parametrize("kind", ["like", "dislike", "validate", "challenge"])
def test_angle_actions_round_trip_with_ids_only(kind: str) -> None:
    data = actions.encode(Action(kind=kind, angle_id="a-2"))  # type: ignore[arg-type]
    assert actions.decode(data) == Action(kind=kind, angle_id="a-2")  # type: ignore[arg-type]
    assert data == {"symbiose": {"kind": kind, "angle": "a-2"}}  # no content travels


def test_refine_takes_the_instruction_from_the_card_input() -> None:
    data = actions.encode(Action(kind="refine", angle_id="a-2"))
    value = {**data, actions.REFINE_INPUT_ID: "  more playful  "}
    assert actions.decode(value) == Action(kind="refine", angle_id="a-2", value="more playful")
    assert actions.decode(data) == Action(kind="refine", angle_id="a-2", value=None)


def test_quick_reply_is_a_say_action() -> None:
    data = actions.encode(Action(kind="say", value="go"))
    assert actions.decode(data) == Action(kind="say", value="go")


@pytest.mark.parametrize(
    "value",
    [None, "text", [], {}, {"symbiose": "like"}, {"symbiose": {"kind": "explode"}},
     {"symbiose": {"kind": "like"}}, {"symbiose": {"kind": "say"}}, {"other": {"kind": "like"}}],
)
def test_values_we_did_not_issue_decode_to_none(value: object) -> None:
    assert actions.decode(value) is None
