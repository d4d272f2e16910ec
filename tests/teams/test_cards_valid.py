"""Every Adaptive Card and citation the Teams renderer produces is valid (the
Adaptive Card 1.5 schema and Teams' citation rules, tests.teams.mock_connector),
and every activity fits Teams' size, over many answers: the real engine's in
French and English and the extremes (long texts, 10 angles, emoji, markup)."""

from __future__ import annotations

from adapters.teams.render import (
    MAX_ACTIVITY_BYTES,
    activity_bytes,
    angle_activity,
    reply_activities,
)
from adapters.teams.wire import activity_json
from tests.render_corpus import LONG, engine_replies, extreme_replies
from tests.teams.mock_connector import ADAPTIVE, activity_card_errors


async def test_every_answer_renders_to_valid_cards_within_teams_limits(chat) -> None:
    replies = [*await engine_replies(chat), *extreme_replies()]
    cards = cited = 0
    for reply in replies:
        activities = reply_activities(reply)
        activities += [angle_activity(a, reply.lang, status=LONG) for a in reply.angles[:2]]
        for activity in activities:
            body = activity_json(activity)
            assert activity_card_errors(body) == [], reply.kind
            assert activity_bytes(activity) <= MAX_ACTIVITY_BYTES, reply.kind
            cards += sum(1 for a in body.get("attachments") or [] if a["contentType"] == ADAPTIVE)
            cited += sum(1 for e in body.get("entities") or [] if e.get("citation"))
    assert cards > 60 and cited > 5
