"""Slack installations and OAuth states on our Redis, for distribution to many workspaces.

`RedisInstallationStore` implements slack_sdk's `AsyncInstallationStore`, the
interface Bolt's OAuth flow and its `authorize` step use, so every replica sees
every install and nothing is lost on restart. One hash per workspace (or per
Enterprise Grid org for an org-wide install), under its own hash tag:

    field "bot"              the bot token and its metadata (what events run with)
    field "installer"        the latest installation, bot token removed
    field "installer:<U>"    the installation by user U, bot token removed

Every field is encrypted (`TokenCipher`): no token is readable in Redis or in
an RDB/AOF file. The bot token lives only in "bot", so revoking it (deleting
that field) leaves no copy behind in an installer record.

`RedisOAuthStateStore` implements `AsyncOAuthStateStore`: a state is a random
nonce signed with SLACK_STATE_SECRET, kept in Redis until it expires, and can be
consumed once, on any replica.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from bot.store.keys import Keys
from bot.store.token_cipher import InvalidToken, TokenCipher

log = logging.getLogger(__name__)

BOT = "bot"
INSTALLER = "installer"
# Fields of an installer record that belong to the bot: kept only in the "bot" field.
_BOT_FIELDS = ("bot_token", "bot_id", "bot_user_id", "bot_scopes", "bot_refresh_token",
               "bot_token_expires_at")


def _unit(enterprise_id: str | None, team_id: str | None,
          is_enterprise_install: bool | None) -> tuple[str | None, str | None]:
    """The (enterprise, team) an installation is filed under: an org-wide install
    belongs to the org, whichever workspace of the org the event came from."""
    return enterprise_id, (None if is_enterprise_install else team_id)


class RedisInstallationStore(AsyncInstallationStore):
    def __init__(self, redis: Redis, keys: Keys, cipher: TokenCipher) -> None:
        self._redis = redis
        self._keys = keys
        self._cipher = cipher

    @property
    def logger(self) -> logging.Logger:
        return log

    # ------------------------------------------------------------ encoding

    def _seal(self, data: dict[str, Any]) -> bytes:
        return self._cipher.encrypt(json.dumps(data, separators=(",", ":")).encode())

    async def _open(
        self, key: str, field: str, sealed: bytes | str | None
    ) -> dict[str, Any] | None:
        if sealed is None:
            return None
        try:
            plain, stale = self._cipher.decrypt(
                sealed.encode() if isinstance(sealed, str) else sealed)
        except InvalidToken:
            # Kept, not deleted: the operator may have dropped a key by mistake.
            log.error("a Slack installation record can't be decrypted with the configured "
                      "keys (SYMBIOSE_ENCRYPTION_KEY / SLACK_STATE_SECRET); key %s", key)
            return None
        if stale:  # read with an older key: re-encrypt with the current one
            await self._redis.hset(key, field, self._cipher.encrypt(plain))
        data = json.loads(plain)
        return data if isinstance(data, dict) else None

    # ------------------------------------------------------------ save

    async def async_save(self, installation: Installation) -> None:
        key = self._keys.slack_installation(*_unit(
            installation.enterprise_id, installation.team_id, installation.is_enterprise_install))
        record = {k: v for k, v in vars(installation).items() if k not in _BOT_FIELDS}
        sealed = self._seal(record)
        fields: list[str | bytes] = [INSTALLER, sealed]
        if installation.user_id:
            fields += [f"{INSTALLER}:{installation.user_id}", sealed]
        if installation.bot_token:
            fields += [BOT, self._seal(vars(installation.to_bot()))]
        await self._redis.hset(key, items=fields)  # one command: all or nothing

    async def async_save_bot(self, bot: Bot) -> None:
        if not bot.bot_token:
            return
        key = self._keys.slack_installation(*_unit(
            bot.enterprise_id, bot.team_id, bot.is_enterprise_install))
        await self._redis.hset(key, BOT, self._seal(vars(bot)))

    # ------------------------------------------------------------ find

    async def async_find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                             is_enterprise_install: bool | None = False) -> Bot | None:
        key = self._keys.slack_installation(*_unit(enterprise_id, team_id, is_enterprise_install))
        data = await self._open(key, BOT, await self._redis.hget(key, BOT))
        return Bot(**data) if data else None

    async def async_find_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        key = self._keys.slack_installation(*_unit(enterprise_id, team_id, is_enterprise_install))
        field = f"{INSTALLER}:{user_id}" if user_id else INSTALLER
        sealed_installer, sealed_bot = await self._redis.hmget(key, [field, BOT])
        record = await self._open(key, field, sealed_installer)
        if record is None:
            return None
        bot = await self._open(key, BOT, sealed_bot)
        if bot:
            record.update({k: bot.get(k) for k in _BOT_FIELDS})
        return Installation(**record)

    # ------------------------------------------------------------ delete

    # Bolt passes no is_enterprise_install to these: for an org-wide install its
    # events carry the org and no team, which is the org's own key.
    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._redis.hdel(self._keys.slack_installation(enterprise_id, team_id), BOT)

    async def async_delete_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                        user_id: str | None = None) -> None:
        key = self._keys.slack_installation(enterprise_id, team_id)
        if user_id:
            fields = [f"{INSTALLER}:{user_id}"]
            latest = await self._open(key, INSTALLER, await self._redis.hget(key, INSTALLER))
            if latest and latest.get("user_id") == user_id:
                fields.append(INSTALLER)  # the latest install was theirs: it holds their token
            await self._redis.hdel(key, *fields)
            return
        names = [f for f in await self._redis.hkeys(key)
                 if (f.decode() if isinstance(f, bytes) else str(f)).startswith(INSTALLER)]
        if names:
            await self._redis.hdel(key, *names)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._redis.delete(self._keys.slack_installation(enterprise_id, team_id))


class RedisOAuthStateStore(AsyncOAuthStateStore):
    """One-time OAuth states shared by every replica (the browser may come back to another)."""

    def __init__(self, redis: Redis, keys: Keys, *, secret: str,
                 expiration_seconds: float = 600) -> None:
        self._redis = redis
        self._keys = keys
        self._secret = secret.encode()
        self.expiration_ms = max(1, int(expiration_seconds * 1000))

    @property
    def logger(self) -> logging.Logger:
        return log

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._secret, nonce.encode(), hashlib.sha256).hexdigest()[:32]

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        nonce = secrets.token_urlsafe(24)
        await self._redis.set(self._keys.oauth_state(nonce), b"1", px=self.expiration_ms)
        return f"{nonce}.{self._sign(nonce)}"

    async def async_consume(self, state: str) -> bool:
        nonce, _, signature = (state or "").partition(".")
        # A forged or mangled state is refused without a Redis round trip.
        if not nonce or not hmac.compare_digest(signature, self._sign(nonce)):
            return False
        # DEL answers 1 only to the first caller: a state works once, on one replica.
        return bool(await self._redis.delete(self._keys.oauth_state(nonce)))


@dataclass(frozen=True)
class SlackOAuthStores:
    """What the Slack adapter needs for distribution mode, built by bot.app."""

    installations: RedisInstallationStore
    states: RedisOAuthStateStore
    redis: Redis

    async def aclose(self) -> None:
        await self.redis.aclose()
        await self.redis.connection_pool.disconnect()
