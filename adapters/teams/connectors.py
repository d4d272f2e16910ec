"""Reuse Bot Connector clients across turns.

botbuilder's CloudAdapter builds a new ConnectorClient for every turn, and each
one sets up a fresh HTTP session and retry policy (several milliseconds of CPU,
plus a new TCP connection): at a few hundred activities a second that, not the
engine, becomes the limit. The older BotFrameworkAdapter kept a cache of clients
per service URL and app id; this restores it for CloudAdapter. Credentials keep
refreshing their own tokens, so a cached client stays valid.
"""

from __future__ import annotations

from collections import OrderedDict

from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)

MAX_CLIENTS = 64  # one per (app id, service URL, audience); Teams uses a handful


class CachedConnectorFactory(ConnectorFactory):
    def __init__(
        self,
        inner: ConnectorFactory,
        cache: OrderedDict[tuple[str, ...], ConnectorClient],
        app_id: str,
    ) -> None:
        self._inner = inner
        self._cache = cache
        self._app_id = app_id

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (self._app_id, service_url, audience or "")
        client = self._cache.get(key)
        if client is None:
            client = await self._inner.create(service_url, audience)
            self._cache[key] = client
            while len(self._cache) > MAX_CLIENTS:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return client


class CachingBotFrameworkAuthentication(ConfigurationBotFrameworkAuthentication):
    """`ConfigurationBotFrameworkAuthentication` whose connector factories share clients."""

    def __init__(self, configuration: object) -> None:
        super().__init__(configuration)
        self._clients: OrderedDict[tuple[str, ...], ConnectorClient] = OrderedDict()
        self._token_clients: dict[str, UserTokenClient] = {}

    def _cached(self, inner: ConnectorFactory, claims: ClaimsIdentity | None) -> ConnectorFactory:
        return CachedConnectorFactory(inner, self._clients, _app_id(claims))

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        # Built on every turn by the adapter (for OAuth prompts, which we do not use).
        app_id = _app_id(claims_identity)
        client = self._token_clients.get(app_id)
        if client is None:
            client = await super().create_user_token_client(claims_identity)
            if len(self._token_clients) < MAX_CLIENTS:
                self._token_clients[app_id] = client
        return client

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        result = await super().authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = self._cached(
                result.connector_factory, result.claims_identity
            )
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return self._cached(super().create_connector_factory(claims_identity), claims_identity)


def _app_id(claims: ClaimsIdentity | None) -> str:
    if claims is None or not claims.claims:
        return ""
    return str(
        claims.claims.get("appid") or claims.claims.get("azp") or claims.claims.get("aud") or ""
    )
