"""Refine modal, quick replies, App Home, language, rate limits, slow LLMs."""

from __future__ import annotations

import time

from bot.kernel.settings import Settings
from tests.llm_fakes import EchoAnglesChatModel
from tests.slack.conftest import Running, slack_settings, start_app, stop_app
from tests.slack.harness import block_click, dm, mention
from tests.slack.mock_slack import MockSlack
from tests.slack.test_http_app import BRIEF, angle_message, answers


async def _angles(slack: Running, *, root: str = "1700000100.000001") -> dict:
    await slack.send.event(mention(BRIEF, ts=root))
    await slack.mock.wait_for(lambda: answers(slack.mock))
    await slack.send.event(mention("go", ts=root[:-1] + "2", thread_ts=root))
    return await slack.mock.wait_for(lambda: angle_message(slack.mock))


async def test_refine_opens_a_modal_and_the_submission_answers_in_the_thread(
    slack: Running,
) -> None:
    message = await _angles(slack)
    await slack.send.interact(block_click(message, "sym.refine.1"))
    [opened] = await slack.mock.wait_for(lambda: slack.mock.of("views.open"))
    view = opened.args["view"]
    assert opened.args["trigger_id"] and view["type"] == "modal"
    before = len(slack.mock.of("chat.postMessage"))
    submission = {
        "type": "view_submission", "team": {"id": "T1"}, "user": {"id": "U1", "team_id": "T1"},
        "api_app_id": "A1", "trigger_id": "1.2",
        "view": {**view, "id": "V1", "team_id": "T1", "state": {"values": {
            "instruction": {"text": {"type": "plain_text_input", "value": "more playful"}}}}},
    }
    assert (await slack.send.interact(submission))[0] == 200
    new = await slack.mock.wait_for(lambda: slack.mock.of("chat.postMessage")[before:])
    assert new[0].args["thread_ts"] == message["thread_ts"]


async def test_quick_reply_click_replaces_its_buttons_and_answers(slack: Running) -> None:
    await slack.send.event(mention(BRIEF, ts="1700000200.000001"))
    [first] = await slack.mock.wait_for(lambda: answers(slack.mock))
    buttons = [e for b in first["blocks"] if str(b.get("block_id", "")).startswith("qr")
               for e in b["elements"]]
    assert buttons, "the first answer to a brief asks questions with quick replies"
    before = len(slack.mock.of("chat.postMessage"))
    await slack.send.interact(block_click(first, buttons[-1]["action_id"]))
    await slack.mock.wait_for(lambda: slack.mock.of("chat.postMessage")[before:])
    updated = slack.mock.messages[first["ts"]]["blocks"]
    assert not [
        b
        for b in updated
        if str(b.get("block_id", "")).startswith("qr.") or b.get("block_id") == "qr"
    ]
    assert "<@U1>" in str(updated[-1])


async def test_app_home_shows_brand_taste_and_shortlist(slack: Running) -> None:
    message = await _angles(slack)
    await slack.send.interact(block_click(message, "sym.validate.1"))
    await slack.mock.wait_for(
        lambda: [
            c
            for c in slack.mock.of("chat.update")
            if any(b.get("block_id") == "fb.1" for b in c.args["blocks"])
        ]
    )
    title = next(b for b in message["blocks"] if b.get("block_id") == "angle.1")["text"]["text"]
    await slack.send.event(
        {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
    )
    [published] = await slack.mock.wait_for(lambda: slack.mock.of("views.publish"))
    assert published.args["user_id"] == "U1" and published.args["view"]["type"] == "home"
    home = str(published.args["view"])
    shown_title = title.split("*")[1].split(". ", 1)[1]
    assert shown_title in home


async def test_user_locale_is_the_language_hint(slack: Running) -> None:
    await slack.send.event(dm("ok", user="UFR", channel="DFR"))
    await slack.send.event(dm("ok", user="U1", channel="DEN"))
    fr = (await slack.mock.wait_for(lambda: answers(slack.mock, "DFR")))[0]
    en = (await slack.mock.wait_for(lambda: answers(slack.mock, "DEN")))[0]
    assert fr["text"] != en["text"]
    info = [c.args.get("user") for c in slack.mock.of("users.info")]
    await slack.send.event(dm("ok", user="UFR", channel="DFR"))
    await slack.mock.wait_for(lambda: len(answers(slack.mock, "DFR")) == 2)
    assert [c.args.get("user") for c in slack.mock.of("users.info")] == info  # cached


async def test_rate_limited_user_gets_a_friendly_ephemeral_notice(
    settings: Settings, mock_slack: MockSlack
) -> None:
    app = await start_app(slack_settings(settings, mock_slack, rate_limit_per_minute=2), mock_slack)
    try:
        for i in range(3):
            await app.send.event(dm("help", ts=f"1700000300.00000{i}"))
        [notice] = await mock_slack.wait_for(lambda: mock_slack.of("chat.postEphemeral"))
        assert notice.args["user"] == "U1" and notice.args["channel"] == "D1"
        await mock_slack.wait_for(lambda: len(answers(mock_slack, "D1")) == 2)
    finally:
        await stop_app(app)


async def test_slack_429_retry_after_is_honoured(slack: Running) -> None:
    slack.mock.rate_limit_next["chat.postMessage"] = 1
    await slack.send.event(dm("help"))
    posts = await slack.mock.wait_for(lambda: len(slack.mock.of("chat.postMessage")) == 2
                                      and slack.mock.of("chat.postMessage"), timeout=8)
    assert posts[1].at - posts[0].at >= 0.9  # Retry-After: 1
    assert answers(slack.mock, "D1")


async def test_ack_is_immediate_while_a_slow_llm_works(
    settings: Settings, mock_slack: MockSlack
) -> None:
    app = await start_app(slack_settings(settings, mock_slack), mock_slack,
                          chat_model=EchoAnglesChatModel(delay_s=2.0), placeholder_after_s=0.3)
    try:
        full = ("Brand: Gourdo\nProduct: bottle\nAudience: students\n"
                "Objective: awareness\nTone: playful")
        await app.send.event(dm(full))
        await mock_slack.wait_for(lambda: answers(mock_slack, "D1"), timeout=10)
        started = time.monotonic()
        status, _ = await app.send.event(dm("angles"))
        assert status == 200 and time.monotonic() - started < 0.5
        # The placeholder shows first, then becomes the answer (chat.update, same ts).
        placeholder = await mock_slack.wait_for(
            lambda: [m for m in mock_slack.of("chat.postMessage")[1:]], timeout=3)
        assert time.monotonic() - started < 1.5
        final = await mock_slack.wait_for(lambda: angle_message(mock_slack), timeout=10)
        assert final["ts"] in {c.args.get("ts") for c in mock_slack.of("chat.update")}
        assert placeholder
    finally:
        await stop_app(app)
