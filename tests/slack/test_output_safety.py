"""What the bot shows in Slack carries no bidi controls or zero-width characters,
whatever the LLM returned (Teams already stripped them; now Slack does too)."""

from __future__ import annotations

import json

from langchain_core.messages import BaseMessage

from bot.kernel.invisible import INVISIBLE
from bot.kernel.settings import Settings
from tests.llm_fakes import ScriptedChatModel, angle_dict, requested_strategies
from tests.slack.conftest import slack_settings, start_app, stop_app
from tests.slack.harness import dm
from tests.slack.mock_slack import MockSlack

HIDDEN = "\u202eexe.fdp\u202c \u200bzero\u200dwidth\u2066iso\u2069 \ufeffbom \u061c"


def tricky_angles(messages: list[BaseMessage]) -> str:
    prompt = "\n".join(m.text for m in messages)
    items = [angle_dict(s, "en", n) for n, s in enumerate(requested_strategies(prompt), 1)]
    for item in items:
        item["title"] = f"Open {HIDDEN}"
        item["hook"] = f"Click {HIDDEN}"
        item["to_validate"] = [HIDDEN]
    return json.dumps({"angles": items})


async def test_bidi_and_zero_width_characters_never_reach_slack(
    settings: Settings, mock_slack: MockSlack
) -> None:
    model = ScriptedChatModel([tricky_angles] * 3)
    app = await start_app(slack_settings(settings, mock_slack), mock_slack, chat_model=model)
    try:
        await app.send.event(dm("Brand: Gourdo\nProduct: bottle\nAudience: students\n"
                                "Objective: awareness\nTone: playful"))
        await mock_slack.wait_for(lambda: mock_slack.of("chat.postMessage"))
        await app.send.event(dm("A back-to-school campaign"))
        sent = await mock_slack.wait_for(
            lambda: [c for c in mock_slack.of("chat.postMessage") + mock_slack.of("chat.update")
                     if "exe.fdp" in json.dumps(c.args, ensure_ascii=False)]
        )
        assert sent
        shown = mock_slack.all_text()
        assert "exe.fdp" in shown and "zerowidth" in shown  # the words arrive...
        assert not INVISIBLE.search(shown), [hex(ord(c)) for c in INVISIBLE.findall(shown)]
    finally:
        await stop_app(app)
