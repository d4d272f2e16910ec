"""Whatever the LLM returns, every activity stays under Teams' 28 KB, and the
card actions carry ids, not the angle's content."""

from __future__ import annotations

import json

from langchain_core.messages import BaseMessage

from tests.llm_fakes import ScriptedChatModel, angle_dict, requested_strategies
from tests.teams import activities as A
from tests.teams.helpers import action_data, brainstorm, cards_of

TEAMS_LIMIT = 28 * 1024
# 100 KB per field, in characters that grow on the wire (\\u escapes, &amp;, quotes).
HUGE = ("é😀<&\"" * 4000)[:100_000]


def huge_answer(messages: list[BaseMessage]) -> str:
    prompt = "\n".join(m.text for m in messages)
    if '"questions": [' in prompt:
        return json.dumps({"questions": [HUGE] * 6, "summary": HUGE})
    if '"angle": {' in prompt:
        return json.dumps({"angle": angle_dict("storytelling") | {"title": HUGE, "hook": HUGE}})
    items = [angle_dict(s, "en", n) | {"title": HUGE, "hook": HUGE, "rationale": HUGE,
                                        "channel": HUGE, "to_validate": [HUGE] * 6}
             for n, s in enumerate(requested_strategies(prompt), 1)]
    return json.dumps({"angles": items})


def wire_size(body: dict) -> int:
    return len(json.dumps(body))


async def test_every_activity_fits_whatever_the_llm_returns(start_bot, connector) -> None:
    bot = await start_bot(chat_model=ScriptedChatModel([huge_answer] * 20))
    conversation = A.personal_conversation()
    calls = await brainstorm(bot, connector, conversation=conversation)
    card = cards_of(calls[0].body)[0]
    for kind in ("like", "challenge"):
        data = action_data(card, kind)
        assert len(json.dumps(data)) < 200, data  # ids, not content
        await bot.post(A.card_submit(connector.url, conversation=conversation,
                                     reply_to_id=calls[0].response_id, data=data))
        await bot.idle()
    await bot.post(A.personal_message(connector.url, "challenge " + "an idea " * 400,
                                      conversation=conversation))
    await bot.idle()
    assert connector.updates()  # the clicked card was redrawn in place
    sizes = [wire_size(c.body) for c in connector.calls]
    assert len(sizes) >= 7
    assert max(sizes) < TEAMS_LIMIT, sorted(sizes)[-3:]
    assert "é😀" in json.dumps([c.body for c in connector.calls], ensure_ascii=False)
