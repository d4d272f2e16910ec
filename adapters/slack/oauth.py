"""Distribution to many workspaces: Bolt's OAuth flow on stores handed in by bot.app.

With SLACK_CLIENT_ID / SLACK_CLIENT_SECRET / SLACK_STATE_SECRET set,
`GET /slack/install` sends the browser to Slack's consent page and
`GET /slack/oauth_redirect` receives it back, exchanges the code
(`oauth.v2.access`) and saves the installation. Every request is then
authorized by Bolt with the token of the workspace (or Enterprise Grid org)
named in the verified request, read from the shared installation store.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.install_pages import install_callbacks
from bot.kernel.settings import Settings

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# The bot scopes of deploy/slack-manifest.yaml (tests/slack/test_manifest.py keeps them equal).
BOT_SCOPES = ("app_mentions:read", "assistant:write", "canvases:write", "chat:write", "commands",
              "files:read", "files:write", "im:history", "users:read")
STATE_EXPIRATION_S = 600


class OAuthStores(Protocol):
    """What bot.app.build_slack_oauth_stores returns, as the adapter sees it."""

    @property
    def installations(self) -> AsyncInstallationStore: ...

    @property
    def states(self) -> AsyncOAuthStateStore: ...


def oauth_settings(settings: Settings, stores: OAuthStores) -> AsyncOAuthSettings:
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        # Straight to Slack's consent page: Bolt's intermediate page is English-only.
        install_page_rendering_enabled=False,
        callback_options=install_callbacks(default_lang=settings.lang, install_path=INSTALL_PATH),
        installation_store=stores.installations,
        state_store=stores.states,
        state_expiration_seconds=STATE_EXPIRATION_S,
    )


class SharedAuthorize(AsyncInstallationStoreAuthorize):
    """Bolt's store-backed authorize, with its auth.test result cached per token
    (otherwise every event costs an auth.test call), and concurrent requests of
    one workspace sharing a single lookup: on a cold start a burst would
    otherwise make one auth.test call per request. The store is still read on
    every event once the lookup is done, so an uninstalled workspace is refused
    at once. (The app asks for no user scopes: one result serves the workspace.)"""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._inflight: dict[tuple[Any, ...], asyncio.Future[AuthorizeResult | None]] = {}

    async def __call__(self, *, context: AsyncBoltContext, enterprise_id: str | None,
                       team_id: str | None, user_id: str | None,
                       **actor: Any) -> AuthorizeResult | None:
        unit = (enterprise_id, team_id, context.is_enterprise_install)
        shared = self._inflight.get(unit)
        if shared is None:
            lookup = super().__call__(context=context, enterprise_id=enterprise_id,
                                      team_id=team_id, user_id=user_id, **actor)
            shared = self._inflight[unit] = asyncio.ensure_future(lookup)
            shared.add_done_callback(lambda _: self._inflight.pop(unit, None))
        # shield: a request cancelled while waiting must not cancel the others' lookup.
        return await asyncio.shield(shared)


def authorize(
    settings: AsyncOAuthSettings, client: AsyncWebClient, logger: logging.Logger
) -> AsyncInstallationStoreAuthorize:
    return SharedAuthorize(
        logger=logger,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        installation_store=settings.installation_store,
        cache_enabled=True,
        client=client,  # token rotation goes to SLACK_API_URL too
    )


def missing(settings: Settings) -> str | None:
    """The first variable distribution mode lacks, or None."""
    for name, value in (("SLACK_CLIENT_ID", settings.slack_client_id),
                        ("SLACK_CLIENT_SECRET", settings.slack_client_secret),
                        ("SLACK_STATE_SECRET", settings.slack_state_secret),
                        ("SLACK_SIGNING_SECRET", settings.slack_signing_secret),
                        ("REDIS_URL", settings.redis_url)):
        if not value:
            return name
    return None
