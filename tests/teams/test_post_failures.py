"""A Teams post refused by a gateway is tried again; one that fails for good is
logged with the conversation it was for."""

from __future__ import annotations

import logging

from adapters.teams.safe_text import message_markdown
from bot.kernel.i18n import t
from tests.teams import activities as A


async def test_a_gateway_error_is_retried_and_the_answer_arrives(bot, connector) -> None:
    conversation = A.personal_conversation()
    connector.refuse_next(502, times=2)  # the typing indicator's and the answer's first try
    await bot.post(A.personal_message(connector.url, "help", conversation=conversation))
    await bot.idle()
    (answer,) = connector.posted(conversation["id"])
    assert answer.body["text"] != message_markdown(t("teams.sorry", "en"))  # not an apology
    assert [status for _m, status, _a in connector.refused] == [502, 502]


async def test_a_failed_answer_is_logged_with_its_conversation(bot, connector, caplog) -> None:
    caplog.set_level(logging.INFO)
    conversation = A.personal_conversation()
    connector.refuse_next(500, times=3)  # typing, answer, apology
    await bot.post(A.personal_message(connector.url, "help", conversation=conversation))
    await bot.idle()
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(conversation["id"] in e for e in errors), errors
