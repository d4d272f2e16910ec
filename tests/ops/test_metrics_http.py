"""GET /metrics and /readyz on the real Slack and Teams servers, over real HTTP,
after real turns (mock Slack API, fake chat model reporting its token usage)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from bot.kernel.settings import Settings
from tests.llm_fakes import EchoAnglesChatModel
from tests.slack.conftest import slack_settings, start_app, stop_app
from tests.slack.harness import mention
from tests.slack.mock_slack import MockSlack
from tests.teams import activities as A
from tests.teams.helpers import brainstorm

BRIEF = ("Brand: Gourdo\nProduct: reusable water bottle\nAudience: students\n"
         "Objective: awareness\nTone: playful\nIdeas for the back-to-school launch?")


async def scrape(base: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of GET /metrics, parsed by prometheus_client's own parser."""
    async with aiohttp.ClientSession() as session, session.get(f"{base}/metrics") as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"].startswith("text/plain")
        text = await resp.text()
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


async def turns_counted(base: str, before: dict, n: int) -> dict:
    """Scrape until `n` more turns are counted (they are answered in the background)."""
    for _ in range(200):
        after = await scrape(base)
        if delta(after, before, "symbiose_turn_seconds_count") >= n:
            return after
        await asyncio.sleep(0.05)
    raise AssertionError(f"fewer than {n} turns counted")


def delta(after: dict, before: dict, name: str, **labels: str) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


async def test_metrics_after_a_few_slack_turns(settings: Settings, mock_slack: MockSlack) -> None:
    model = EchoAnglesChatModel(usage=(120, 80))
    app = await start_app(slack_settings(settings, mock_slack, rate_limit_per_minute=2),
                          mock_slack, chat_model=model)
    base = app.send.base
    try:
        before = await scrape(base)
        await app.send.event(mention(BRIEF, user="UA", channel="CA"), event_id="EvA")
        await app.send.event(mention("help", user="UB", channel="CB"), event_id="EvB")
        await turns_counted(base, before, 2)
        # Slack's retry of the same event id: dropped, and counted.
        await app.send.event(mention(BRIEF, user="UA", channel="CA"), event_id="EvA", retry=1)
        # A third message from UB within the minute: rate limited (limit 2).
        await app.send.event(mention("help", user="UB", channel="CB"), event_id="EvB2")
        await app.send.event(mention("help", user="UB", channel="CB"), event_id="EvB3")
        await mock_slack.wait_for(lambda: mock_slack.of("chat.postEphemeral"))
        after = await turns_counted(base, before, 3)
    finally:
        await stop_app(app)

    assert delta(after, before, "symbiose_turns_total", platform="slack", kind="angles") == 1
    assert delta(after, before, "symbiose_turns_total", platform="slack", kind="help") == 2
    assert delta(after, before, "symbiose_turn_seconds_count") == 3
    calls = len(model.calls)
    assert calls >= 1
    assert delta(after, before, "symbiose_llm_calls_total", outcome="ok") == calls
    assert delta(after, before, "symbiose_llm_tokens_total", direction="input") == 120 * calls
    assert delta(after, before, "symbiose_llm_tokens_total", direction="output") == 80 * calls
    assert delta(after, before, "symbiose_duplicates_dropped_total") == 1
    assert delta(after, before, "symbiose_rate_limited_total") == 1
    assert delta(after, before, "symbiose_llm_fallbacks_total") == 0
    assert delta(after, before, "symbiose_redis_errors_total") == 0


async def test_readyz_follows_the_store(settings: Settings, mock_slack: MockSlack) -> None:
    up = await start_app(slack_settings(settings, mock_slack), mock_slack)
    down = await start_app(slack_settings(replace(settings, redis_url="redis://127.0.0.1:1/0"),
                                          mock_slack), mock_slack)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{up.send.base}/readyz") as resp:
                assert resp.status == 200
            async with session.get(f"{down.send.base}/readyz") as resp:
                assert resp.status == 503
                assert "unreachable" in (await resp.json())["reason"]
            async with session.get(f"{down.send.base}/healthz") as resp:
                assert resp.status == 200  # alive, just not ready
        before = await scrape(down.send.base)
        await down.send.event(mention("help", user="UD", channel="CD"))
        await mock_slack.wait_for(lambda: mock_slack.of("chat.postMessage"))
        after = await scrape(down.send.base)
        assert delta(after, before, "symbiose_redis_errors_total") >= 1
    finally:
        await stop_app(up)
        await stop_app(down)


async def test_metrics_and_readyz_on_the_teams_server(start_bot, connector) -> None:
    bot = await start_bot()
    before = await scrape(bot.url)
    conversation = A.personal_conversation()
    await brainstorm(bot, connector, conversation=conversation)
    posted = await bot.post(A.personal_message(connector.url, "help",
                                               conversation=conversation))
    assert posted.status in (200, 201)
    await bot.idle()
    after = await scrape(bot.url)
    assert delta(after, before, "symbiose_turns_total", platform="teams", kind="angles") == 1
    assert delta(after, before, "symbiose_turns_total", platform="teams", kind="help") == 1
    assert (await bot.get("/readyz")).status == 200
