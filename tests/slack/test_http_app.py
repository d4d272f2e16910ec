"""The real Slack app over real HTTP: signed requests in, Web API calls recorded
by the mock Slack server. Nothing of ours is patched."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from urllib.parse import urlencode

import pytest
from langchain_core.messages import AIMessage, BaseMessage

from bot.kernel.settings import Settings
from tests.llm_fakes import EchoAnglesChatModel
from tests.slack.conftest import Running, slack_settings, start_app, stop_app
from tests.slack.harness import block_click, dm, mention
from tests.slack.mock_slack import MockSlack

BRIEF = (
    "We launch Gourdo, a reusable water bottle for students. Ideas for the back-to-school campaign?"
)


def answers(mock: MockSlack, channel: str = "C1") -> list[dict]:
    """Messages the bot left in `channel`, placeholders excluded once replaced."""
    return [m for m in mock.messages.values() if m.get("channel") == channel]


def angle_message(mock: MockSlack) -> dict | None:
    for m in mock.messages.values():
        if any(b.get("block_id") == "acts.1" for b in m.get("blocks") or []):
            return m
    return None


async def test_mention_gets_a_threaded_answer_and_the_thread_continues(slack: Running) -> None:
    root = "1700000000.000100"
    status, _ = await slack.send.event(mention(BRIEF, ts=root))
    assert status == 200
    first = await slack.mock.wait_for(lambda: answers(slack.mock))
    assert all(m["thread_ts"] == root for m in first)

    # A later mention in the same thread continues the same conversation: "go" alone
    # only produces angles because the brief of the first message is remembered.
    await slack.send.event(mention("go", ts="1700000000.000200", thread_ts=root))
    message = await slack.mock.wait_for(lambda: angle_message(slack.mock))
    assert message["thread_ts"] == root and message["channel"] == "C1"
    assert all(m["thread_ts"] == root for m in answers(slack.mock))
    assert len([b for b in message["blocks"] if b["type"] == "actions"]) >= 3


async def test_direct_message_needs_no_mention(slack: Running) -> None:
    await slack.send.event(dm("help"))
    [posted] = await slack.mock.wait_for(lambda: answers(slack.mock, "D1"))
    assert posted.get("thread_ts") is None  # a DM is answered in the DM itself
    assert posted["blocks"]


async def test_own_messages_other_bots_and_subtypes_are_ignored(slack: Running) -> None:
    await slack.send.event({**dm("help"), "user": "UBOT", "bot_id": "BBOT"})
    await slack.send.event({**dm("help"), "user": "U9", "bot_id": "BOTHER"})
    await slack.send.event({**dm("help"), "subtype": "message_changed"})
    await slack.send.event({**dm("help"), "subtype": "channel_join"})
    await slack.send.event({**dm("help", ts="1700000001.000001"), "channel_type": "channel",
                            "channel": "C1"})
    # A real message afterwards is answered: the ones before were skipped, not queued.
    await slack.send.event(dm("help", user="U2", channel="D2"))
    await slack.mock.wait_for(lambda: answers(slack.mock, "D2"))
    assert answers(slack.mock, "D1") == [] and answers(slack.mock, "C1") == []


async def test_app_mention_and_message_for_the_same_ts_are_answered_once(slack: Running) -> None:
    ts = "1700000002.000001"
    await slack.send.event({**mention("help", channel="D1", ts=ts), "channel_type": "im"})
    await slack.send.event(dm("<@UBOT> help", ts=ts))
    await slack.mock.wait_for(lambda: answers(slack.mock, "D1"))
    await slack.send.event(dm("help", user="U2", channel="D2"))  # a marker: handled after both
    await slack.mock.wait_for(lambda: answers(slack.mock, "D2"))
    assert len(answers(slack.mock, "D1")) == 1


async def test_retried_delivery_is_not_answered_twice_even_by_another_process(
    settings: Settings, mock_slack: MockSlack
) -> None:
    conf = slack_settings(settings, mock_slack)
    first, second = await start_app(conf, mock_slack), await start_app(conf, mock_slack)
    try:
        event = mention("help", ts="1700000003.000001")
        assert (await first.send.event(event, event_id="EvRETRY1"))[0] == 200
        assert (await second.send.event(event, event_id="EvRETRY1", retry=1))[0] == 200
        assert (await first.send.event(event, event_id="EvRETRY1", retry=2))[0] == 200
        await mock_slack.wait_for(lambda: answers(mock_slack))
        await first.send.event(mention("help", channel="C2"))  # marker after the retries
        await mock_slack.wait_for(lambda: answers(mock_slack, "C2"))
        assert len(answers(mock_slack, "C1")) == 1
    finally:
        await stop_app(first)
        await stop_app(second)


async def test_pings_in_the_input_are_never_echoed(slack: Running) -> None:
    text = (
        "<!channel> <!here> <!everyone> <@U0BOSS> <!subteam^S1|@marketing> <http://evil.test|bank> "
        + BRIEF
    )
    await slack.send.event(mention(text))
    await slack.mock.wait_for(lambda: answers(slack.mock))
    await slack.send.event(mention("go", thread_ts=next(iter(answers(slack.mock)))["thread_ts"]))
    await slack.mock.wait_for(lambda: angle_message(slack.mock))
    sent = slack.mock.all_text()
    for forbidden in ("<!channel>", "<!here>", "<!everyone>", "<@U0BOSS>", "<!subteam",
                      "<http://evil"):
        assert forbidden not in sent


async def test_bad_signature_and_stale_timestamp_get_401_and_nothing_happens(
    slack: Running,
) -> None:
    body = json.dumps({"type": "event_callback", "event_id": "EvBAD", "team_id": "T1",
                       "event": mention("help")})
    assert (await slack.send.post(body, "application/json", signature="v0=" + "0" * 64))[0] == 401
    stale = int(time.time()) - 6 * 60
    assert (await slack.send.post(body, "application/json", timestamp=stale))[0] == 401
    async with slack.send.session.post(f"{slack.send.base}/slack/events", data=body) as unsigned:
        assert unsigned.status == 401
    assert (await slack.send.post(body, "application/json", timestamp="soon"))[0] == 401
    # Still alive, and nothing of the above reached Slack.
    assert [c.method for c in slack.mock.calls] == []
    await slack.send.event(dm("help"))
    await slack.mock.wait_for(lambda: answers(slack.mock, "D1"))


def _form(payload: object) -> str:
    return urlencode({"payload": json.dumps(payload)})


JSON, FORM = "application/json", "application/x-www-form-urlencoded"
MALFORMED = [
    ("payload=%7Bnot-json", FORM),
    ("[1, 2]", JSON),
    ("null", JSON),
    ("{}", JSON),
    ("", JSON),
    ('{"type": "event_callback"}', JSON),
    ('{"type": "event_callback", "event": "x"}', JSON),
    ('{"type": "event_callback", "event": {"type": "app_mention", "user": ["U1"],'
     ' "channel": "C1", "text": "hi", "ts": "1.1"}}', JSON),
    ('{"type": "event_callback", "event": {"type": "message", "channel_type": "im",'
     ' "user": "U1", "channel": "D1", "text": 5, "ts": "1.1"}}', JSON),
    (_form({"type": "block_actions"}), FORM),
    (_form({"type": "block_actions", "actions": "x", "user": {"id": "U1"}}), FORM),
    (_form({"type": "block_actions", "actions": [{"action_id": "sym.like.1", "value": "x"}]}),
     FORM),
    (_form({"type": "block_actions", "user": {"id": "U1"},
            "actions": [{"action_id": "sym.like.1", "value": {"x": 1}}]}), FORM),
    (_form({"type": "view_submission", "view": {"callback_id": "sym_refine"}}), FORM),
    (_form({"type": "view_submission", "user": "U1",
            "view": {"type": "modal", "callback_id": "sym_refine"}}), FORM),
    (urlencode({"command": "/glossary", "text": "roi"}), FORM),
]


@pytest.mark.parametrize(("body", "content_type"), MALFORMED)
async def test_malformed_signed_bodies_get_400_and_nothing_happens(
    slack: Running, body: str, content_type: str
) -> None:
    status, _ = await slack.send.post(body, content_type)
    assert status == 400
    await slack.send.event(dm("help"))  # still up, and answering
    await slack.mock.wait_for(lambda: answers(slack.mock, "D1"))
    assert {c.method for c in slack.mock.calls} <= {"auth.test", "users.info", "chat.postMessage"}
    assert len(slack.mock.of("chat.postMessage")) == 1


async def test_glossary_command_is_ephemeral_with_a_share_button(slack: Running) -> None:
    status, _ = await slack.send.command("", response_url=slack.mock.response_url("usage"))
    assert status == 200
    [usage] = await slack.mock.wait_for(lambda: slack.mock.of("response_url"))
    assert usage.args["response_type"] == "ephemeral" and usage.args["blocks"]

    await slack.send.command("ROI", response_url=slack.mock.response_url("card"))
    card = (await slack.mock.wait_for(lambda: slack.mock.of("response_url")[1:]))[0].args
    assert card["response_type"] == "ephemeral"
    assert card["blocks"][0]["type"] == "header"
    share = card | {"ts": "1700000004.000001"}
    payload = block_click(share, "sym.gloss_share.0", response_url=slack.mock.response_url("share"))
    del payload["message"]  # ephemeral messages come back without their content
    assert (await slack.send.interact(payload))[0] == 200
    # Shared through the response_url: works in private channels and DMs between
    # people, where the bot is not a member and chat.postMessage would fail.
    [shared, deleted] = await slack.mock.wait_for(
        lambda: len(slack.mock.of("response_url")) == 4 and slack.mock.of("response_url")[2:])
    assert shared.args["response_type"] == "in_channel"
    assert shared.args["replace_original"] is False
    assert shared.args["blocks"][0]["type"] == "header"
    assert "<@U1>" in str(shared.args["blocks"][-1])  # "Shared by @alice"
    assert deleted.args["delete_original"] is True
    assert slack.mock.of("chat.postMessage") == []


async def test_glossary_unknown_term_offers_did_you_mean_buttons(slack: Running) -> None:
    await slack.send.command("ROY", response_url=slack.mock.response_url("x"))
    [reply] = await slack.mock.wait_for(lambda: slack.mock.of("response_url"))
    picks = [e for b in reply.args["blocks"] for e in b.get("elements", [])
             if str(e.get("action_id", "")).startswith("sym.gloss_pick.")]
    assert picks, reply.args
    payload = block_click(reply.args | {"ts": "1.2"}, picks[0]["action_id"],
                          response_url=slack.mock.response_url("pick"))
    await slack.send.interact(payload)
    picked = await slack.mock.wait_for(lambda: slack.mock.of("response_url")[1:])
    assert picked[0].args["replace_original"] is True
    assert picked[0].args["blocks"][0]["type"] == "header"


async def test_feedback_click_is_recorded_and_updates_that_message(slack: Running) -> None:
    await slack.send.event(mention(BRIEF, ts="1700000005.000001"))
    await slack.mock.wait_for(lambda: answers(slack.mock))
    await slack.send.event(mention("go", ts="1700000005.000002", thread_ts="1700000005.000001"))
    message = await slack.mock.wait_for(lambda: angle_message(slack.mock))
    posts_before = len(slack.mock.of("chat.postMessage"))
    angle_id = next(e["value"] for b in message["blocks"] if b.get("block_id") == "acts.2"
                    for e in b["elements"])

    assert (await slack.send.interact(block_click(message, "sym.validate.2")))[0] == 200
    updated = await slack.mock.wait_for(
        lambda: [c for c in slack.mock.of("chat.update") if c.args.get("ts") == message["ts"]
                 and any(b.get("block_id") == "fb.2" for b in c.args["blocks"])])
    blocks = updated[-1].args["blocks"]
    ids = [b.get("block_id") for b in blocks]
    assert ids[ids.index("acts.2") + 1] == "fb.2"
    assert len(slack.mock.of("chat.postMessage")) == posts_before  # no duplicate post

    profile = await slack.engine.profile("slack:T1:U1", "en")
    assert angle_id in [a.id for a in profile.shortlist]


async def test_unknown_action_is_acknowledged_ignored_and_logged(
    slack: Running, caplog: pytest.LogCaptureFixture
) -> None:
    message = {"ts": "1.1", "blocks": [{"type": "actions", "elements": [
        {"type": "button", "action_id": "someone_elses_button", "value": "x"},
        {"type": "button", "action_id": "sym.self_destruct.1", "value": "x"}]}]}
    with caplog.at_level(logging.WARNING, logger="adapters.slack"):
        assert (await slack.send.interact(block_click(message, "someone_elses_button")))[0] == 200
        assert (await slack.send.interact(block_click(message, "sym.self_destruct.1")))[0] == 200
        await slack.mock.wait_for(lambda: len(
            [r for r in caplog.records if "unknown action id" in r.getMessage()]) == 2)
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "someone_elses_button" in logged and "sym.self_destruct.1" in logged
    await slack.send.event(dm("help"))
    await slack.mock.wait_for(lambda: answers(slack.mock, "D1"))
    assert {c.method for c in slack.mock.calls} <= {"auth.test", "users.info", "chat.postMessage"}
    assert len(slack.mock.of("chat.postMessage")) == 1


async def test_healthz(slack: Running) -> None:
    async with slack.send.session.get(f"{slack.send.base}/healthz") as resp:
        assert resp.status == 200 and (await resp.json())["ok"] is True


async def test_glossary_command_answers_in_the_user_locale(slack: Running) -> None:
    await slack.send.command("ROI", user="UFR", response_url=slack.mock.response_url("fr"))
    await slack.send.command("ROI", user="U1", response_url=slack.mock.response_url("en"))
    calls = await slack.mock.wait_for(lambda: len(slack.mock.of("response_url")) == 2
                                      and slack.mock.of("response_url"))
    share = {next(e["value"] for b in c.args["blocks"] for e in b.get("elements", [])
                  if e.get("action_id") == "sym.gloss_share.0") for c in calls}
    assert {v.rsplit(" ", 1)[1] for v in share} == {"fr", "en"}


class PingingAnglesModel(EchoAnglesChatModel):
    """An LLM whose angles try to ping everyone, disguise a link and use markdown."""

    def _answer(self, messages: list[BaseMessage]) -> AIMessage:
        data = json.loads(super()._answer(messages).text)
        for angle in data.get("angles", []):
            angle["title"] = "<!channel> " + angle["title"]
            angle["hook"] = "<@U0BOSS> <!subteam^S1|@marketing> <!here> " + angle["hook"]
            angle["rationale"] = "**Bold** claim, see [your bank](http://evil.test) <http://evil.test|bank>"
        return AIMessage(content=json.dumps(data))


async def test_llm_text_can_neither_ping_nor_disguise_a_link(
    settings: Settings, mock_slack: MockSlack
) -> None:
    app = await start_app(slack_settings(settings, mock_slack), mock_slack,
                          chat_model=PingingAnglesModel())
    try:
        brief = ("Brand: Gourdo\nProduct: bottle\nAudience: students\n"
                 "Objective: awareness\nTone: playful\nIdeas for the launch?")
        await app.send.event(mention(brief, ts="1700000800.000001"))
        message = await mock_slack.wait_for(lambda: angle_message(mock_slack), timeout=10)
        section = next(b for b in message["blocks"] if b.get("block_id") == "angle.1")["text"]
        assert "&lt;!channel&gt;" in section["text"] and section["verbatim"] is True
        assert "*Bold* claim" in section["text"]  # markdown became mrkdwn
        assert "<http://evil.test|your bank> (evil.test)" in section["text"]
        sent = mock_slack.all_text()
        for forbidden in ("<!channel>", "<!here>", "<@U0BOSS>", "<!subteam", "<http://evil.test|bank>"):
            assert forbidden not in sent
    finally:
        await stop_app(app)


async def test_glossary_alone_explains_usage_and_offers_terms(slack: Running) -> None:
    await slack.send.command("", response_url=slack.mock.response_url("usage"))
    [usage] = await slack.mock.wait_for(lambda: slack.mock.of("response_url"))
    picks = [e for b in usage.args["blocks"] for e in b.get("elements", [])
             if str(e.get("action_id", "")).startswith("sym.gloss_pick.")]
    assert usage.args["response_type"] == "ephemeral"
    assert "/glossary" in json.dumps(usage.args["blocks"]) or "glossary" in usage.args["text"]
    assert len(picks) >= 3, usage.args["blocks"]


async def test_a_cold_burst_makes_one_auth_test_call(settings: Settings,
                                                     mock_slack: MockSlack) -> None:
    """Bolt's own single-team authorization called auth.test once per concurrent
    request on a cold start (101 for a burst); one call now serves them all."""
    mock_slack.latency["auth.test"] = 0.3  # the burst arrives while it is in flight
    app = await start_app(slack_settings(settings, mock_slack, rate_limit_per_minute=0),
                          mock_slack)
    try:
        events = [dm("help", user=f"U{i}", channel=f"D{i}") for i in range(100)]
        statuses = await asyncio.gather(*(app.send.event(e) for e in events))
        assert all(status == 200 for status, _ in statuses)
        await mock_slack.wait_for(lambda: len(mock_slack.of("chat.postMessage")) >= 100,
                                  timeout=20)
        assert len(mock_slack.of("chat.postMessage")) == 100
        assert len(mock_slack.of("auth.test")) == 1
    finally:
        await stop_app(app)
