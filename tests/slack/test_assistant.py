"""Slack's AI app mode over real HTTP: the real Bolt app with its Assistant
middleware, the mock Slack Web API playing the assistant.threads.* methods and
the thread context kept in message metadata; real Redis behind the engine."""

from __future__ import annotations

import time
from typing import Any

import redis.asyncio as aioredis

from bot.kernel.settings import Settings
from bot.learning.preferences import PreferenceModel
from bot.store.keys import Keys
from tests.slack.conftest import Running
from tests.slack.harness import block_click, dm
from tests.slack.mock_slack import BOT_USER, MockSlack

BRIEF = ("Brand: Gourdo\nProduct: reusable bottle\nAudience: students\n"
         "Objective: awareness\nTone: playful\nLaunch ideas for the back-to-school season")


def thread_started(user: str = "U1", *, channel: str = "D1", thread_ts: str,
                   looking_at: str | None = "C0LAUNCH") -> dict[str, Any]:
    context = {"channel_id": looking_at, "team_id": "T1", "enterprise_id": None} \
        if looking_at else {}
    return {"type": "assistant_thread_started",
            "assistant_thread": {"user_id": user, "context": context, "channel_id": channel,
                                 "thread_ts": thread_ts},
            "event_ts": f"{time.time():.6f}"}


def context_changed(*, channel: str = "D1", thread_ts: str, looking_at: str) -> dict[str, Any]:
    return {"type": "assistant_thread_context_changed",
            "assistant_thread": {"user_id": "U1", "channel_id": channel, "thread_ts": thread_ts,
                                 "context": {"channel_id": looking_at, "team_id": "T1"}},
            "event_ts": f"{time.time():.6f}"}


def in_thread(text: str, *, thread_ts: str, user: str = "U1", channel: str = "D1") -> dict:
    return {**dm(text, user=user, channel=channel), "thread_ts": thread_ts}


def _index(mock: MockSlack, method: str) -> int:
    return next(i for i, c in enumerate(mock.calls) if c.method == method)


async def test_thread_started_gets_a_greeting_and_prompts_in_the_users_language(
    slack: Running
) -> None:
    root = "1700001000.000001"
    status, _ = await slack.send.event(thread_started("UFR", channel="DFR", thread_ts=root))
    assert status == 200
    [prompts] = await slack.mock.wait_for(
        lambda: slack.mock.of("assistant.threads.setSuggestedPrompts"))
    assert prompts.args["channel_id"] == "DFR" and prompts.args["thread_ts"] == root
    titles = [p["title"] for p in prompts.args["prompts"]]
    assert titles == ["Brainstormer un lancement", "Challenger mon idée",
                      "Qu'est-ce que l'IA symbiotique ?"]
    kept = slack.mock.assistant_threads[("DFR", root)]
    assert kept["suggestedprompts"] == prompts.args["prompts"]
    # The greeting is a reply in the thread that names the channel the user looks at,
    # and keeps that context in its metadata (Bolt's thread context store).
    [greeting] = [m for m in slack.mock.messages.values() if m.get("thread_ts") == root]
    assert "<#C0LAUNCH>" in str(greeting["blocks"])
    assert greeting["metadata"]["event_payload"]["channel_id"] == "C0LAUNCH"


async def test_english_user_gets_english_prompts(slack: Running) -> None:
    await slack.send.event(thread_started("U1", thread_ts="1700001000.000002", looking_at=None))
    [prompts] = await slack.mock.wait_for(
        lambda: slack.mock.of("assistant.threads.setSuggestedPrompts"))
    assert [p["title"] for p in prompts.args["prompts"]][0] == "Brainstorm a launch"
    assert prompts.args["prompts"][2]["message"] == "glossary symbiotic AI"


async def test_a_prompt_sets_the_status_then_answers_then_titles_the_thread(
    slack: Running
) -> None:
    root = "1700001100.000001"
    await slack.send.event(thread_started(thread_ts=root))
    await slack.mock.wait_for(lambda: slack.mock.of("assistant.threads.setSuggestedPrompts"))
    # The user moves to another channel: the context follows (Bolt's default listener).
    await slack.send.event(context_changed(thread_ts=root, looking_at="C0OTHER"))
    await slack.mock.wait_for(lambda: any(
        (c.args.get("metadata") or {}).get("event_payload", {}).get("channel_id") == "C0OTHER"
        for c in slack.mock.of("chat.update")))

    await slack.send.event(in_thread(BRIEF, thread_ts=root))
    [titled] = await slack.mock.wait_for(lambda: slack.mock.of("assistant.threads.setTitle"))
    [status] = slack.mock.of("assistant.threads.setStatus")
    assert status.args["channel_id"] == "D1" and status.args["thread_ts"] == root
    assert status.args["status"] == "is thinking…" and status.args["loading_messages"]
    answer = next(m for m in slack.mock.messages.values()
                  if m.get("thread_ts") == root and m.get("user") == BOT_USER
                  and any(b.get("block_id") == "acts.1" for b in m.get("blocks") or []))
    # Order: status, then the answer (posted or streamed), then the title.
    answered_at = min(i for i, c in enumerate(slack.mock.calls)
                      if c.method in ("chat.postMessage", "chat.startStream", "chat.update")
                      and c.args.get("thread_ts", answer["thread_ts"]) == root
                      and "acts.1" in str(c.args.get("blocks")))
    assert _index(slack.mock, "assistant.threads.setStatus") < answered_at
    assert answered_at < _index(slack.mock, "assistant.threads.setTitle")
    assert titled.args["title"] == "Launch ideas for the back-to-school season"
    assert slack.mock.assistant_threads[("D1", root)]["title"] == titled.args["title"]


async def test_a_command_in_the_thread_does_not_rename_it(slack: Running) -> None:
    root = "1700001200.000001"
    await slack.send.event(thread_started(thread_ts=root, looking_at=None))
    await slack.send.event(in_thread("help", thread_ts=root))
    await slack.mock.wait_for(lambda: [m for m in slack.mock.messages.values()
                                       if m.get("thread_ts") == root and "acts" not in str(m)
                                       and m.get("metadata") is None])
    assert slack.mock.of("assistant.threads.setStatus")
    assert slack.mock.of("assistant.threads.setTitle") == []


async def _prefs(redis_url: str, prefix: str, user_id: str) -> PreferenceModel:
    client = aioredis.Redis.from_url(redis_url, decode_responses=True)
    try:
        return PreferenceModel.from_hash(await client.hgetall(Keys(prefix).prefs(user_id)))
    finally:
        await client.aclose()


async def _answer_with_angles(slack: Running, channel: str) -> dict[str, Any]:
    await slack.send.event(dm(BRIEF, channel=channel))
    return await slack.mock.wait_for(lambda: next(
        (m for m in slack.mock.messages.values() if m.get("channel") == channel
         and any(b.get("block_id") == "feedback" for b in m.get("blocks") or [])), None))


async def test_feedback_buttons_are_learned_like_a_like_of_the_whole_answer(
    slack: Running, settings: Settings
) -> None:
    message = await _answer_with_angles(slack, "D7")
    [feedback] = [b for b in message["blocks"] if b.get("block_id") == "feedback"]
    assert feedback["type"] == "context_actions"
    assert feedback["elements"][0]["type"] == "feedback_buttons"
    strategies = [e["value"] for b in message["blocks"] if b.get("block_id", "").startswith("acts")
                  for e in b["elements"][:1]]
    assert strategies  # angle ids on the per-angle buttons
    before = await _prefs(settings.redis_url or "", settings.key_prefix, "slack:T1:U1")

    click = block_click(message, "sym.feedback.0", channel="D7", value="like")
    click["actions"][0]["type"] = "feedback_buttons"
    status, _ = await slack.send.interact(click)
    assert status == 200
    await slack.mock.wait_for(lambda: any(
        b.get("block_id") == "fb.0" for c in slack.mock.of("chat.update")
        for b in c.args.get("blocks") or []))
    after = await _prefs(settings.redis_url or "", settings.key_prefix, "slack:T1:U1")
    gained = {s: after.positive.get(s, 0) - before.positive.get(s, 0) for s in after.positive}
    # Every angle of the answer got half a like (engine: WHOLE_ANSWER_WEIGHT).
    assert len([g for g in gained.values() if g == 0.5]) >= 3, gained
    assert after.negative == before.negative


async def test_negative_feedback_button_is_a_dislike(slack: Running, settings: Settings) -> None:
    message = await _answer_with_angles(slack, "D8")
    click = block_click(message, "sym.feedback.0", channel="D8", value="dislike")
    click["actions"][0]["type"] = "feedback_buttons"
    await slack.send.interact(click)
    await slack.mock.wait_for(lambda: slack.mock.of("chat.update"))
    prefs = await _prefs(settings.redis_url or "", settings.key_prefix, "slack:T1:U1")
    assert sum(1 for v in prefs.negative.values() if v == 0.5) >= 3, prefs.negative


async def test_feedback_with_an_unknown_value_is_ignored(
    slack: Running, settings: Settings
) -> None:
    message = await _answer_with_angles(slack, "D9")
    before = await _prefs(settings.redis_url or "", settings.key_prefix, "slack:T1:U1")
    click = block_click(message, "sym.feedback.0", channel="D9", value="love")
    status, _ = await slack.send.interact(click)
    assert status == 200
    await slack.send.event(dm("help", channel="D9"))  # a later turn, to be sure the click is done
    await slack.mock.wait_for(lambda: len([m for m in slack.mock.messages.values()
                                           if m.get("channel") == "D9"]) >= 2)
    assert await _prefs(settings.redis_url or "", settings.key_prefix, "slack:T1:U1") == before


def test_thread_title_is_the_briefs_sentence_not_a_field_or_a_command() -> None:
    from adapters.slack.assistant import thread_title

    assert thread_title(BRIEF) == "Launch ideas for the back-to-school season"
    assert thread_title("Cible : étudiants en école de commerce\nIdées pour la rentrée des "
                        "classes avec un ton décalé") == ("Idées pour la rentrée des classes avec "
                                                          "un ton décalé")
    long = thread_title("A very long brief " * 10) or ""
    assert len(long) <= 60 and long.endswith("…")
    assert thread_title("like 2") is None and thread_title("Brand: Gourdo") is None
