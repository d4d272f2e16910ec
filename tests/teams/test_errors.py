"""Failures and odd input: one error hook, an apology in the user's language,
bad requests refused without a turn failing. Real server, mock Bot Connector."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from adapters.teams.safe_text import message_markdown
from bot.kernel.i18n import t
from tests.teams import activities as A

TURN_FAILED = "Teams turn failed"


def failures(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_failed_turn_is_logged_once_and_the_user_gets_an_apology_in_french(
    bot, connector, caplog
):
    caplog.set_level(logging.INFO)
    conversation = A.personal_conversation()
    # The Bot Connector fails the typing indicator (ignored) and then the answer itself.
    connector.refuse_next(500, times=2)
    await bot.post(A.personal_message(connector.url, "aide", conversation=conversation,
                                      locale="fr-FR"))
    (apology,) = await connector.wait_for(lambda: connector.posted(conversation["id"]))
    await bot.idle()
    assert [m for m, *_ in connector.refused] == ["POST", "POST"]
    assert apology.body["text"] == message_markdown(t("teams.sorry", "fr"))
    (logged,) = failures(caplog)
    assert TURN_FAILED in logged.getMessage() and "ConnectorError" in logged.getMessage()
    assert logged.exc_info is not None  # the stack trace goes to the log, not to the user


async def test_when_even_the_apology_fails_the_bot_keeps_serving(bot, connector, caplog):
    conversation = A.personal_conversation()
    connector.refuse_next(500, times=3)  # typing, answer, apology
    await bot.post(A.personal_message(connector.url, "help", conversation=conversation))
    await bot.idle()
    assert len(connector.refused) == 3 and connector.calls == []
    assert len(failures(caplog)) == 1
    other = A.personal_conversation()
    await bot.post(A.personal_message(connector.url, "help", conversation=other))
    assert await connector.wait_for(lambda: connector.posted(other["id"]))


def _odd(service_url: str) -> list[tuple[dict[str, Any], int]]:
    """JSON Teams would never send, with the status it must get."""
    message = A.personal_message(service_url, "help")
    bare = {k: v for k, v in message.items() if k not in ("text", "textFormat", "entities")}
    return [
        ({"type": "message"}, 400),  # nowhere to answer
        ({**bare, "type": 123}, 201),  # read as the unknown type "123": ignored
        ({**bare, "conversation": {"id": ""}}, 400),
        ({**bare, "from": "bob", "text": "help"}, 400),
        ({**bare, "entities": "x", "text": "help"}, 400),
        ({**bare, "type": "invoke", "name": "composeExtension/query", "value": "x"}, 400),
        ({**bare, "type": "invoke", "name": "composeExtension/query",
          "value": {"parameters": "x"}}, 400),
        ({**bare, "type": "invoke", "name": "message/submitAction",
          "value": {"actionName": "feedback", "actionValue": "x"}}, 400),
        ({**bare, "type": "invoke", "name": "some/futureInvoke"}, 501),  # the SDK's "not mine"
        ({**bare, "type": "conversationUpdate", "membersAdded": [{"id": None}]}, 201),
        ({**bare, "type": "messageReaction", "reactionsAdded": [{"type": "like"}]}, 201),
        ({**bare, "type": "message", "value": {"symbiose": {"kind": "like", "angle": ["x"]}}},
         201),
    ]


async def test_odd_activities_are_refused_or_ignored_without_a_failed_turn(
    bot, connector, caplog
):
    for activity, status in _odd(connector.url):
        posted = await bot.post(activity)
        assert posted.status == status, (activity, posted)
    await bot.idle()
    await asyncio.sleep(0.1)
    assert connector.calls == []
    assert failures(caplog) == []
    conversation = A.personal_conversation()
    await bot.post(A.personal_message(connector.url, "help", conversation=conversation))
    assert await connector.wait_for(lambda: connector.posted(conversation["id"]))


async def test_text_that_is_not_a_string_does_not_break_the_turn(bot, connector, caplog):
    conversation = A.personal_conversation()
    activity = A.personal_message(connector.url, "help", conversation=conversation)
    activity["text"] = {"a": 1}
    assert (await bot.post(activity)).status in (201, 400)
    await bot.idle()
    assert failures(caplog) == []
