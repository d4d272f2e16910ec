"""Bearer tokens for calls to the Bot Connector.

The SDK's credentials (`AppCredentials`: client secret, certificate or managed
identity, built by the CloudAdapter's credentials factory) know how to get a
token, but they do it with msal, which blocks: the fetch runs in a thread, at
most one at a time per identity, and the token is kept until shortly before it
expires. Emulator mode (no app id) sends no token at all, as the SDK does.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from botframework.connector.auth import AppCredentials, AuthenticationConstants

REFRESH_BEFORE_S = 300.0  # renew five minutes before expiry, as msal does
UNKNOWN_LIFETIME_S = 600.0  # a token we cannot read: AAD's last at least an hour
Key = tuple[str, str, str, str]


@dataclass(frozen=True)
class _Token:
    value: str
    expires_at: float


def needs_token(credentials: AppCredentials | None) -> bool:
    """The SDK's rule: no app id (emulator) or an anonymous skill -> no Authorization."""
    app_id = getattr(credentials, "microsoft_app_id", None)
    return bool(app_id) and app_id != AuthenticationConstants.ANONYMOUS_SKILL_APP_ID


def jwt_expiry(token: str) -> float | None:
    """The `exp` claim (epoch seconds) of a JWT, read without verifying it: the
    token is ours to send, not to trust; we only need to know when to renew it."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        exp = claims.get("exp") if isinstance(claims, dict) else None
        return float(exp) if isinstance(exp, (int, float)) else None
    except (IndexError, ValueError, binascii.Error, UnicodeDecodeError):
        return None


class BotTokens:
    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._tokens: dict[Key, _Token] = {}
        self._locks: dict[Key, asyncio.Lock] = {}

    async def authorization(self, credentials: AppCredentials | None, *,
                            refused: str | None = None) -> str | None:
        """The Authorization header value for a call made with `credentials`, or None.

        `refused`: a header the service just answered 401 to; a new token is
        fetched unless another call already replaced it.
        """
        if credentials is None or not needs_token(credentials):
            return None
        key = _key(credentials)

        def usable(token: _Token | None) -> bool:
            return token is not None and self._fresh(token) and _header(token) != refused

        token = self._tokens.get(key)
        if not usable(token):
            async with self._locks.setdefault(key, asyncio.Lock()):  # a burst waits for one fetch
                token = self._tokens.get(key)
                if not usable(token):
                    value = await asyncio.to_thread(
                        credentials.get_access_token, refused is not None
                    )
                    expires = jwt_expiry(value) or self._clock() + UNKNOWN_LIFETIME_S
                    token = self._tokens[key] = _Token(value, expires)
        assert token is not None
        return _header(token)

    def _fresh(self, token: _Token) -> bool:
        return token.expires_at - self._clock() > REFRESH_BEFORE_S


def _header(token: _Token) -> str:
    return f"Bearer {token.value}"


def _key(credentials: AppCredentials) -> Key:
    return (type(credentials).__qualname__, str(credentials.microsoft_app_id),
            str(getattr(credentials, "oauth_scope", "")), str(getattr(credentials, "tenant", "")))
