"""The operator's limits: the daily LLM budget per workspace, and the allowlists.
Real Redis, real engine, real Slack and Teams stacks over HTTP for the allowlists."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import redis.asyncio as aioredis

from bot.app import build_engine
from bot.kernel.i18n import t
from bot.kernel.settings import Settings
from bot.ops.budget import Budget, utc_day
from bot.store.keys import Keys
from tests.engine_helpers import BRAND_EN, BRAND_FR, Chat
from tests.llm_fakes import EchoAnglesChatModel
from tests.slack.conftest import slack_settings, start_app, stop_app
from tests.slack.harness import mention
from tests.slack.mock_slack import MockSlack
from tests.teams import activities as A
from tests.teams.mock_connector import MockConnector


async def test_past_its_budget_a_workspace_gets_the_offline_engine_with_a_notice(
    settings: Settings, redis_client: aioredis.Redis, key_prefix: str
) -> None:
    model = EchoAnglesChatModel(usage=(700, 400))
    engine = build_engine(replace(settings, llm_budget_tokens=1000), chat_model=model)
    try:
        alice = Chat(engine, user_id="slack:T1:UA", conversation_id="T1:C1", lang="en")
        first = await alice.say(BRAND_EN + "\nIdeas for the launch")
        assert first.kind == "angles" and not first.notices
        calls = len(model.calls)
        spent = calls * 1100
        key = Keys(key_prefix).budget("T1", utc_day(datetime.now(UTC)))
        assert int(await redis_client.get(key) or 0) == spent
        assert 0 < await redis_client.ttl(key) <= 2 * 24 * 3600

        # Over budget now: the next answer is the offline engine's, with the notice.
        more = await alice.say("more")
        assert more.kind == "angles" and more.angles
        assert len(model.calls) == calls  # the model was not called
        assert more.notices == [t("budget_reached", "en")]
        assert t("budget_reached", "en") in more.text
        # In French for a French conversation; a workspace's colleague is limited too.
        bob = Chat(engine, user_id="slack:T1:UB", conversation_id="T1:C2", lang="fr")
        french = await bob.say(BRAND_FR + "\nDes idées pour le lancement ?")
        assert t("budget_reached", "fr") in french.notices
        assert len(model.calls) == calls  # neither the brief reader nor the generator
        # Another workspace still has its own budget.
        carol = Chat(engine, user_id="slack:T2:UC", conversation_id="T2:C1", lang="en")
        other = await carol.say(BRAND_EN + "\nIdeas for the launch")
        assert not other.notices and len(model.calls) > calls
        # Turns that need no model carry no notice.
        assert not (await alice.say("help")).notices
    finally:
        await engine.aclose()


async def test_the_budget_is_back_the_next_utc_day(redis_client: aioredis.Redis,
                                                   key_prefix: str) -> None:
    now = datetime(2026, 3, 1, 23, 59, tzinfo=UTC)
    budget = Budget(redis_client, Keys(key_prefix), tokens_per_day=100, clock=lambda: now)
    await budget.spend("T9", 150)
    assert await budget.exhausted("T9")
    now += timedelta(minutes=2)
    assert not await budget.exhausted("T9")
    assert await budget.spent("T9") == 0


async def test_without_usage_metadata_tokens_are_estimated(
    settings: Settings, redis_client: aioredis.Redis, key_prefix: str
) -> None:
    model = EchoAnglesChatModel()  # reports no usage
    engine = build_engine(replace(settings, llm_budget_tokens=10**9), chat_model=model)
    try:
        await Chat(engine, user_id="teams:TEN:U1", lang="en").say(BRAND_EN + "\nIdeas please")
        sent = sum(len(m.text) for call in model.calls for m in call)
        spent = int(await redis_client.get(Keys(key_prefix).budget("TEN", utc_day(
            datetime.now(UTC)))) or 0)
        assert spent > sent // 4  # prompts (about 4 characters a token) plus the answers
    finally:
        await engine.aclose()


async def test_an_allowlisted_slack_workspace_is_served_another_is_refused_and_nothing_stored(
    settings: Settings, mock_slack: MockSlack, redis_client: aioredis.Redis, key_prefix: str
) -> None:
    app = await start_app(slack_settings(settings, mock_slack,
                                         allowed_teams=frozenset({"TALLOWED"})), mock_slack)
    try:
        # What the app wrote at start-up (the store's layout marker), before any message.
        before = {k async for k in redis_client.scan_iter(match=f"{key_prefix}:*")}
        status, _ = await app.send.event(mention("Ideas for our launch", user="UX"))
        assert status == 200
        # Told to the person only (ephemeral), like every admission notice.
        [refusal] = await mock_slack.wait_for(lambda: mock_slack.of("chat.postEphemeral"))
        assert "not open to this workspace" in refusal.args["text"]
        assert not mock_slack.of("chat.postMessage")
        # Nothing more under this test's prefix: no event key, no rate key, no memory.
        assert {k async for k in redis_client.scan_iter(match=f"{key_prefix}:*")} == before
    finally:
        await stop_app(app)
    allowed = await start_app(slack_settings(settings, mock_slack,
                                             allowed_teams=frozenset({"T1"})), mock_slack)
    try:
        await allowed.send.event(mention("help", user="UY", channel="C9"))
        await mock_slack.wait_for(lambda: mock_slack.of("chat.postMessage"))
        assert all("not open" not in str(c.args) for c in mock_slack.of("chat.postMessage"))
        assert len(mock_slack.of("chat.postEphemeral")) == 1  # only the first app's refusal
        assert {k async for k in redis_client.scan_iter(match=f"{key_prefix}:*")} - before
    finally:
        await stop_app(allowed)


async def test_a_teams_tenant_outside_the_allowlist_is_refused_and_nothing_stored(
    start_bot, connector: MockConnector, redis_client: aioredis.Redis, key_prefix: str
) -> None:
    bot = await start_bot(allowed_tenants=frozenset({"another-tenant"}))
    await bot.engine.start()
    before = {k async for k in redis_client.scan_iter(match=f"{key_prefix}:*")}
    conversation = A.personal_conversation()
    posted = await bot.post(A.personal_message(connector.url, "Ideas for our launch",
                                               conversation=conversation, locale="fr-FR"))
    assert posted.status in (200, 201)
    await bot.idle()
    texts = [c.body.get("text", "") for c in connector.posted(conversation["id"])]
    assert any("n'est pas ouvert" in text for text in texts), texts
    assert {k async for k in redis_client.scan_iter(match=f"{key_prefix}:*")} == before
