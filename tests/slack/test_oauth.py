"""Distribution to many workspaces, end to end over real HTTP: the real Bolt OAuth
flow (`/slack/install`, `/slack/oauth_redirect`) against the mock Slack API's
`oauth.v2.access`, installations in the real Redis, then signed events from
several workspaces, each answered with its own token (read off the
Authorization header the mock received). Nothing of ours is patched."""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qs, quote, urlparse

import aiohttp
import pytest
import redis.asyncio as aioredis
from aiohttp import web
from yarl import URL

from adapters.slack.app import build_slack_app, build_web_app
from bot.kernel.settings import Settings
from bot.store.keys import Keys
from bot.store.slack_installations import SlackOAuthStores
from tests.slack.conftest import slack_settings
from tests.slack.harness import SECRET, SlackSender, mention, serve
from tests.slack.mock_slack import MockSlack

STATE_SECRET = "a-state-secret-of-some-length"
CLIENT_SECRET = "client-secret-xyz"


@dataclass
class Replica:
    """One running bot process: engine, OAuth stores, Bolt app on a port."""

    base: str
    send: SlackSender
    stores: SlackOAuthStores
    engine: Any
    runner: web.AppRunner

    async def stop(self) -> None:
        await self.send.close()
        await self.runner.cleanup()
        await self.stores.aclose()
        await self.engine.aclose()


def oauth_settings(settings: Settings, mock: MockSlack) -> Settings:
    return replace(slack_settings(settings, mock), slack_bot_token=None,
                   slack_client_id="111.222", slack_client_secret=CLIENT_SECRET,
                   slack_state_secret=STATE_SECRET)


async def start_replica(settings: Settings) -> Replica:
    from bot.app import build_engine, build_slack_oauth_stores

    engine = build_engine(settings)
    stores = build_slack_oauth_stores(settings)
    bolt = build_slack_app(settings, engine, oauth_stores=stores)
    runner, base = await serve(build_web_app(bolt, signing_secret=SECRET))
    return Replica(base, SlackSender(base), stores, engine, runner)


@pytest.fixture
async def oauth(settings: Settings, mock_slack: MockSlack) -> AsyncIterator[Replica]:
    replica = await start_replica(oauth_settings(settings, mock_slack))
    yield replica
    await replica.stop()


@pytest.fixture
async def browser() -> AsyncIterator[aiohttp.ClientSession]:
    """A browser that keeps no cookies by itself: each test says which one it sends."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        yield session


async def start_install(browser: aiohttp.ClientSession, base: str) -> tuple[str, str]:
    """GET /slack/install: the redirect to Slack's consent page. Returns (state, cookie)."""
    async with browser.get(f"{base}/slack/install", allow_redirects=False) as resp:
        assert resp.status == 302
        location = resp.headers["Location"]
        cookie = resp.cookies["slack-app-oauth-state"].value
    query = parse_qs(urlparse(location).query)
    assert query["client_id"] == ["111.222"]
    assert set(query["scope"][0].split(",")) >= {"app_mentions:read", "chat:write"}
    return query["state"][0], cookie


async def come_back(browser: aiohttp.ClientSession, base: str, *, code: str, state: str,
                    cookie: str | None, lang: str = "en") -> tuple[int, str]:
    """Slack sends the browser back to /slack/oauth_redirect with the code and state."""
    headers = {"Accept-Language": lang}
    if cookie is not None:
        headers["Cookie"] = f"slack-app-oauth-state={cookie}"
    async with browser.get(f"{base}/slack/oauth_redirect", params={"code": code, "state": state},
                           headers=headers, allow_redirects=False) as resp:
        return resp.status, await resp.text()


async def install(browser: aiohttp.ClientSession, replica: Replica, mock: MockSlack, *,
                  code: str, token: str, team: str | None, enterprise: str | None = None,
                  org_wide: bool = False) -> str:
    mock.add_install(code, token=token, team=team, enterprise=enterprise, org_wide=org_wide)
    state, cookie = await start_install(browser, replica.base)
    status, page = await come_back(browser, replica.base, code=code, state=state, cookie=cookie)
    assert status == 200, page
    return page


async def stored(redis_client: aioredis.Redis, prefix: str) -> dict[bytes, dict[bytes, bytes]]:
    """Every installation hash under the test's prefix, as Redis holds it."""
    found = {}
    async for key in redis_client.scan_iter(match=f"{prefix}:{{slack-install:*"):
        found[key] = await redis_client.hgetall(key)
    return found


def posts_in(mock: MockSlack, channel: str) -> list[str]:
    """The token of every chat.postMessage / chat.update / stream call into `channel`."""
    return [str(c.args.get("_token")) for c in mock.calls
            if c.method.startswith("chat.") and c.args.get("channel") == channel]


async def test_installs_are_encrypted_and_each_workspace_is_answered_with_its_own_token(
    oauth: Replica, mock_slack: MockSlack, browser: aiohttp.ClientSession,
    redis_client: aioredis.Redis, key_prefix: str, settings: Settings,
) -> None:
    page = await install(browser, oauth, mock_slack, code="code-a", token="xoxb-aaa-111",
                         team="TA")
    assert "Symbiose is installed in Team TA" in page
    assert 'href="slack://app?team=TA&amp;id=A1"' in page
    await install(browser, oauth, mock_slack, code="code-b", token="xoxb-bbb-222", team="TB")

    # The code was exchanged with the app's credentials (HTTP Basic, as slack_sdk sends them).
    [exchange, _] = mock_slack.of("oauth.v2.access")
    assert exchange.args["code"] == "code-a" and exchange.args["_token"].startswith("Basic ")

    # Stored in Redis, one hash per workspace, and no token readable there.
    raw = await stored(redis_client, key_prefix)
    keys = Keys(key_prefix)
    assert set(raw) == {keys.slack_installation(None, "TA").encode(),
                        keys.slack_installation(None, "TB").encode()}
    dumped = repr(raw)
    assert "xoxb" not in dumped and "aaa-111" not in dumped and "Team TA" not in dumped
    assert all(set(h) == {b"bot", b"installer", b"installer:UADMIN"} for h in raw.values())

    await oauth.send.event(mention("help", channel="CA", team="TA"), team="TA")
    await oauth.send.event(mention("help", channel="CB", team="TB"), team="TB")
    await mock_slack.wait_for(lambda: posts_in(mock_slack, "CA") and posts_in(mock_slack, "CB"))
    assert set(posts_in(mock_slack, "CA")) == {"xoxb-aaa-111"}
    assert set(posts_in(mock_slack, "CB")) == {"xoxb-bbb-222"}

    # Another replica (or this one after a restart) finds the same installations.
    other = await start_replica(oauth_settings(settings, mock_slack))
    try:
        await other.send.event(mention("help", channel="CB2", team="TB"), team="TB")
        await mock_slack.wait_for(lambda: posts_in(mock_slack, "CB2"))
        assert set(posts_in(mock_slack, "CB2")) == {"xoxb-bbb-222"}
    finally:
        await other.stop()


async def test_a_workspace_without_installation_gets_nothing(
    oauth: Replica, mock_slack: MockSlack, browser: aiohttp.ClientSession,
) -> None:
    await install(browser, oauth, mock_slack, code="code-a", token="xoxb-aaa-111", team="TA")
    await oauth.send.event(mention("help", channel="CX", team="TX"), team="TX")
    await oauth.send.event(mention("help", channel="CA", team="TA"), team="TA")  # a marker
    await mock_slack.wait_for(lambda: posts_in(mock_slack, "CA"))
    assert posts_in(mock_slack, "CX") == []


async def test_uninstall_and_revocation_delete_the_tokens(
    oauth: Replica, mock_slack: MockSlack, browser: aiohttp.ClientSession,
    redis_client: aioredis.Redis, key_prefix: str,
) -> None:
    keys = Keys(key_prefix)
    await install(browser, oauth, mock_slack, code="code-a", token="xoxb-aaa-111", team="TA")
    await install(browser, oauth, mock_slack, code="code-b", token="xoxb-bbb-222", team="TB")
    await install(browser, oauth, mock_slack, code="code-c", token="xoxb-ccc-333", team="TC")

    status, _ = await oauth.send.event({"type": "app_uninstalled"}, team="TA")
    assert status == 200
    key_a = keys.slack_installation(None, "TA")
    await mock_slack.wait_for(lambda: True)
    for _ in range(200):
        if not await redis_client.exists(key_a):
            break
        await asyncio.sleep(0.01)
    assert not await redis_client.exists(key_a)

    # tokens_revoked for the bot: its token is gone, nothing else keeps a copy.
    await oauth.send.event({"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}}, team="TB")
    key_b = keys.slack_installation(None, "TB")
    for _ in range(200):
        if not await redis_client.hexists(key_b, "bot"):
            break
        await asyncio.sleep(0.01)
    assert not await redis_client.hexists(key_b, "bot")
    installation = await oauth.stores.installations.async_find_installation(
        enterprise_id=None, team_id="TB")
    assert installation is not None and installation.bot_token is None

    await oauth.send.event(mention("help", channel="CA", team="TA"), team="TA")
    await oauth.send.event(mention("help", channel="CB", team="TB"), team="TB")
    await oauth.send.event(mention("help", channel="CC", team="TC"), team="TC")  # a marker
    await mock_slack.wait_for(lambda: posts_in(mock_slack, "CC"))
    await asyncio.sleep(0.1)
    assert posts_in(mock_slack, "CA") == [] and posts_in(mock_slack, "CB") == []
    assert await redis_client.exists(keys.slack_installation(None, "TC"))


async def test_an_org_wide_install_serves_every_workspace_of_the_org(
    oauth: Replica, mock_slack: MockSlack, browser: aiohttp.ClientSession,
    redis_client: aioredis.Redis, key_prefix: str,
) -> None:
    page = await install(browser, oauth, mock_slack, code="code-org", token="xoxb-org-999",
                         team=None, enterprise="E1", org_wide=True)
    assert "Symbiose is installed in Org E1" in page
    # "Open Slack" leads to the org's page for adding the app to its workspaces.
    assert "https://x.slack.com/manage/organization/apps/profile/A1/workspaces/add" in page
    assert set(await stored(redis_client, key_prefix)) == {
        Keys(key_prefix).slack_installation("E1", None).encode()}

    for team, channel in (("TX", "CX"), ("TY", "CY")):
        await oauth.send.event(mention("help", channel=channel, team=team), team=team,
                               enterprise="E1", org_wide=True)
    await mock_slack.wait_for(lambda: posts_in(mock_slack, "CX") and posts_in(mock_slack, "CY"))
    assert set(posts_in(mock_slack, "CX")) == set(posts_in(mock_slack, "CY")) == {"xoxb-org-999"}

    # Uninstalled from the org: the org's key is gone.
    await oauth.send.event({"type": "app_uninstalled"}, team="TX", enterprise="E1",
                           org_wide=True)
    key = Keys(key_prefix).slack_installation("E1", None)
    for _ in range(200):
        if not await redis_client.exists(key):
            break
        await asyncio.sleep(0.01)
    assert not await redis_client.exists(key)


async def test_a_bad_reused_or_expired_state_is_refused_with_a_clear_page(
    oauth: Replica, mock_slack: MockSlack, browser: aiohttp.ClientSession,
    redis_client: aioredis.Redis, key_prefix: str,
) -> None:
    mock_slack.add_install("code-a", token="xoxb-aaa-111", team="TA")
    expired_text = "This installation link has expired"

    # Forged state (and a cookie to match it): refused, in the browser's language.
    status, page = await come_back(browser, oauth.base, code="code-a", state="forged.0000",
                                   cookie="forged.0000")
    assert status == 401 and expired_text in page and 'href="/slack/install"' in page
    status, page = await come_back(browser, oauth.base, code="code-a", state="forged.0000",
                                   cookie="forged.0000", lang="fr-FR,fr;q=0.9")
    assert status == 401 and "Ce lien d'installation a expiré" in html.unescape(page)

    # A real state, but another browser (no cookie): refused too.
    state, cookie = await start_install(browser, oauth.base)
    status, page = await come_back(browser, oauth.base, code="code-a", state=state, cookie=None)
    assert status == 400 and expired_text in page

    # Expired: the state's time in Redis ran out.
    oauth.stores.states.expiration_ms = 50
    state, cookie = await start_install(browser, oauth.base)
    await asyncio.sleep(0.2)
    status, page = await come_back(browser, oauth.base, code="code-a", state=state, cookie=cookie)
    assert status == 401 and expired_text in page

    assert mock_slack.of("oauth.v2.access") == []  # the code was never even tried
    assert await stored(redis_client, key_prefix) == {}

    # A good state works once; the same link again is refused.
    oauth.stores.states.expiration_ms = 600_000
    state, cookie = await start_install(browser, oauth.base)
    status, _ = await come_back(browser, oauth.base, code="code-a", state=state, cookie=cookie)
    assert status == 200
    status, page = await come_back(browser, oauth.base, code="code-a", state=state, cookie=cookie)
    assert status == 401 and expired_text in page


async def test_a_code_slack_refuses_is_a_clear_failure(
    oauth: Replica, mock_slack: MockSlack, browser: aiohttp.ClientSession,
    redis_client: aioredis.Redis, key_prefix: str,
) -> None:
    state, cookie = await start_install(browser, oauth.base)
    status, page = await come_back(browser, oauth.base, code="never-issued", state=state,
                                   cookie=cookie)
    assert status == 401 and "Slack did not confirm the installation" in page
    assert await stored(redis_client, key_prefix) == {}


async def test_a_hand_made_install_link_gets_a_failure_page_and_no_forged_log_line(
    oauth: Replica, mock_slack: MockSlack, browser: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Bolt copies `team` unescaped into the consent URL, and logs `error` and `code`
    # as they come: a link of ours could add parameters to Slack's consent page, or a
    # line of its choosing to our log.
    caplog.set_level(logging.DEBUG)
    forged = "2026-01-01 00:00:00,000 CRITICAL symbiose: forged"
    hand_made = [
        "/slack/install?team=T1%26user_scope%3Dchat%3Awrite%26redirect_uri%3Dhttps%3A%2F%2Fevil",
        "/slack/install?team=%0d%0aSet-Cookie:%20a%3Db",
        "/slack/oauth_redirect?error=x%0a" + quote(forged),
        "/slack/oauth_redirect?state=s&code=c%0a" + quote(forged),
    ]
    for path in hand_made:
        async with browser.get(URL(oauth.base + path, encoded=True),
                               allow_redirects=False) as resp:
            page = await resp.text()
            assert resp.status == 400, path
            assert "Location" not in resp.headers and 'href="/slack/install"' in page
    assert not [r for r in caplog.records if "forged" in r.getMessage() or r.exc_info]
    assert mock_slack.of("oauth.v2.access") == []

    # The team Slack itself may pass still preselects the workspace.
    async with browser.get(f"{oauth.base}/slack/install?team=T0123ABC",
                           allow_redirects=False) as resp:
        assert resp.status == 302
        assert parse_qs(urlparse(resp.headers["Location"]).query)["team"] == ["T0123ABC"]


async def test_the_install_page_says_so_when_redis_is_down(
    settings: Settings, mock_slack: MockSlack, browser: aiohttp.ClientSession,
) -> None:
    down = replace(oauth_settings(settings, mock_slack), redis_url="redis://127.0.0.1:1/0")
    replica = await start_replica(down)
    try:
        async with browser.get(f"{replica.base}/slack/install", allow_redirects=False) as resp:
            status, page = resp.status, await resp.text()
        assert status == 503 and "could not be saved right now" in page
        assert "Traceback" not in page
    finally:
        await replica.stop()


async def test_a_cold_burst_from_one_workspace_makes_one_auth_test_call(
    oauth: Replica, mock_slack: MockSlack, browser: aiohttp.ClientSession,
) -> None:
    await install(browser, oauth, mock_slack, code="code-a", token="xoxb-aaa-111", team="TA")
    installed = len(mock_slack.of("auth.test"))  # the install flow's own check of the token
    mock_slack.latency["auth.test"] = 0.3  # the burst arrives while the lookup is in flight
    events = [mention("help", user=f"U{i}", channel=f"C{i}", team="TA") for i in range(30)]
    statuses = await asyncio.gather(*(oauth.send.event(e, team="TA") for e in events))
    assert all(status == 200 for status, _ in statuses)
    await mock_slack.wait_for(lambda: all(posts_in(mock_slack, f"C{i}") for i in range(30)),
                              timeout=20)
    assert len(mock_slack.of("auth.test")) - installed == 1
    assert {t for i in range(30) for t in posts_in(mock_slack, f"C{i}")} == {"xoxb-aaa-111"}
