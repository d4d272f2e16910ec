"""A model that hangs cannot hold an answer past SYMBIOSE_ANSWER_DEADLINE: the
offline angles arrive in time, with a notice saying why."""

from __future__ import annotations

import time

from bot.kernel.settings import Settings
from tests.llm_fakes import EchoAnglesChatModel
from tests.slack.conftest import slack_settings, start_app, stop_app
from tests.slack.harness import dm
from tests.slack.mock_slack import MockSlack

BRIEF = ("We launch Gourdo, an insulated bottle for urban students; objective awareness, "
         "playful tone. Ideas for the back-to-school campaign?")
BRAND = "Brand: Gourdo\nProduct: bottle\nAudience: students\nObjective: awareness\nTone: playful"


async def test_a_hanging_model_gives_way_to_the_offline_answer_at_the_deadline(
    settings: Settings, mock_slack: MockSlack
) -> None:
    model = EchoAnglesChatModel(delay_s=60)  # every call hangs for a minute
    the_settings = slack_settings(settings, mock_slack, llm_timeout_s=30.0,
                                  answer_deadline_s=3.0)
    app = await start_app(the_settings, mock_slack, chat_model=model)
    try:
        await app.send.event(dm(BRAND))
        await mock_slack.wait_for(lambda: mock_slack.of("chat.postMessage"))
        started = time.monotonic()
        await app.send.event(dm(BRIEF))
        final = await mock_slack.wait_for(
            lambda: [m for m in mock_slack.messages.values()
                     if "took too long" in str(m.get("blocks"))],
            timeout=15,
        )
        elapsed = time.monotonic() - started
        # Without the deadline: 30 s per call, twice, for the reader and the angles.
        assert final and elapsed < 10, elapsed
    finally:
        await stop_app(app)
