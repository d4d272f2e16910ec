"""The Slack installation store and OAuth state store on a real Redis, and the
token cipher: encryption at rest, key rotation, one-time states."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
import redis.asyncio as aioredis
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation

from adapters.slack.server import missing_credential
from bot.app import build_slack_oauth_stores
from bot.kernel.settings import Settings
from bot.store.keys import Keys
from bot.store.slack_installations import RedisInstallationStore, RedisOAuthStateStore
from bot.store.token_cipher import CipherError, InvalidToken, TokenCipher

OLD = "an-old-secret-of-enough-length"
NEW = Fernet.generate_key().decode()


def installation(team: str = "T1", token: str = "xoxb-secret-1") -> Installation:
    return Installation(app_id="A1", team_id=team, team_name="Acme", bot_token=token,
                        bot_id="B1", bot_user_id="UBOT", bot_scopes="chat:write,commands",
                        user_id="UADMIN", user_token="xoxp-user-1", user_scopes="")


def test_cipher_round_trip_and_rotation() -> None:
    old = TokenCipher([OLD])
    sealed = old.encrypt(b"xoxb-1")
    assert b"xoxb" not in sealed
    assert old.decrypt(sealed) == (b"xoxb-1", False)
    rotated = TokenCipher([NEW, OLD])  # new key first: encrypts; old: still decrypts
    assert rotated.decrypt(sealed) == (b"xoxb-1", True)
    with pytest.raises(InvalidToken):
        TokenCipher([NEW]).decrypt(sealed)


def test_cipher_refuses_weak_or_missing_keys() -> None:
    with pytest.raises(CipherError):
        TokenCipher(["short"])
    with pytest.raises(CipherError):
        TokenCipher.from_settings(encryption_key=None, state_secret=None)
    # SYMBIOSE_ENCRYPTION_KEY wins over the state secret.
    dedicated = TokenCipher.from_settings(encryption_key=NEW, state_secret=OLD)
    assert TokenCipher([NEW]).decrypt(dedicated.encrypt(b"x")) == (b"x", False)


async def test_store_round_trip_rotation_and_a_lost_key(
    redis_client: aioredis.Redis, key_prefix: str
) -> None:
    keys = Keys(key_prefix)
    old_store = RedisInstallationStore(redis_client, keys, TokenCipher([OLD]))
    await old_store.async_save(installation())
    found = await old_store.async_find_installation(enterprise_id=None, team_id="T1")
    assert found is not None and found.bot_token == "xoxb-secret-1"
    assert found.user_token == "xoxp-user-1" and found.bot_scopes == ["chat:write", "commands"]
    bot = await old_store.async_find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None and bot.bot_token == "xoxb-secret-1"
    raw = await redis_client.hgetall(keys.slack_installation(None, "T1"))
    assert b"xoxb" not in b"".join(raw.values()) and b"xoxp" not in b"".join(raw.values())

    # Rotation: read with the new key first, the record is re-encrypted with it.
    rotated = RedisInstallationStore(redis_client, keys, TokenCipher([NEW, OLD]))
    assert (await rotated.async_find_bot(enterprise_id=None, team_id="T1")) is not None
    new_only = RedisInstallationStore(redis_client, keys, TokenCipher([NEW]))
    bot = await new_only.async_find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None and bot.bot_token == "xoxb-secret-1"

    # A key nobody has any more: nothing is found, nothing is deleted.
    lost = RedisInstallationStore(redis_client, keys, TokenCipher(["yet-another-secret-here"]))
    assert await lost.async_find_installation(enterprise_id=None, team_id="T1") is None
    assert await redis_client.exists(keys.slack_installation(None, "T1"))


async def test_deleting_one_user_keeps_the_bot(
    redis_client: aioredis.Redis, key_prefix: str
) -> None:
    store = RedisInstallationStore(redis_client, Keys(key_prefix), TokenCipher([OLD]))
    await store.async_save(installation())
    await store.async_delete_installation(enterprise_id=None, team_id="T1", user_id="USOMEONE")
    assert await store.async_find_installation(enterprise_id=None, team_id="T1") is not None
    # The installer's user token revoked: no record keeps it, the bot stays.
    await store.async_delete_installation(enterprise_id=None, team_id="T1", user_id="UADMIN")
    assert await store.async_find_installation(
        enterprise_id=None, team_id="T1", user_id="UADMIN") is None
    assert await store.async_find_installation(enterprise_id=None, team_id="T1") is None
    assert (await store.async_find_bot(enterprise_id=None, team_id="T1")) is not None
    await store.async_save(installation())
    await store.async_delete_installation(enterprise_id=None, team_id="T1")
    assert await store.async_find_installation(enterprise_id=None, team_id="T1") is None
    assert await store.async_find_installation(
        enterprise_id=None, team_id="T1", user_id="UADMIN") is None
    await store.async_delete_all(enterprise_id=None, team_id="T1")
    assert await store.async_find_bot(enterprise_id=None, team_id="T1") is None


async def test_states_are_signed_expire_and_work_once(
    redis_client: aioredis.Redis, key_prefix: str
) -> None:
    states = RedisOAuthStateStore(redis_client, Keys(key_prefix), secret=OLD)
    state = await states.async_issue()
    nonce, _, signature = state.partition(".")
    assert not await states.async_consume(f"{nonce}.{'0' * len(signature)}")  # forged
    other = RedisOAuthStateStore(redis_client, Keys(key_prefix), secret="some-other-secret")
    assert not await other.async_consume(state)  # signed with another secret
    assert await states.async_consume(state)
    assert not await states.async_consume(state)  # once only
    states.expiration_ms = 30
    late = await states.async_issue()
    await asyncio.sleep(0.1)
    assert not await states.async_consume(late)
    assert not await states.async_consume("")


def test_distribution_mode_names_what_is_missing(settings: Settings) -> None:
    partial = replace(settings, slack_client_id="111.222", slack_signing_secret="s")
    assert missing_credential(partial, http=True)[0] == "SLACK_CLIENT_SECRET"  # type: ignore[index]
    full = replace(partial, slack_client_secret="c", slack_state_secret=OLD)
    assert missing_credential(full, http=True) is None
    assert missing_credential(replace(full, redis_url=None), http=True)[0] == "REDIS_URL"  # type: ignore[index]
    with pytest.raises(ValueError, match="REDIS_URL"):
        build_slack_oauth_stores(replace(full, redis_url=None))
    with pytest.raises(CipherError):
        build_slack_oauth_stores(replace(full, slack_state_secret="short"))


def test_settings_read_the_distribution_variables_and_hide_them() -> None:
    settings = Settings.from_env({"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "cs-1",
                                  "SLACK_STATE_SECRET": "st-1", "SYMBIOSE_ENCRYPTION_KEY": "k-1"})
    assert settings.slack_oauth and settings.slack_client_id == "111.222"
    described = settings.describe() + repr(settings)
    assert "cs-1" not in described and "st-1" not in described and "k-1" not in described
    assert not Settings.from_env({}).slack_oauth


async def test_the_key_migration_leaves_installations_where_they_are(
    redis_client: aioredis.Redis, key_prefix: str
) -> None:
    from bot.store.migrate import migrate

    keys = Keys(key_prefix)
    store = RedisInstallationStore(redis_client, keys, TokenCipher([OLD]))
    await store.async_save(installation())
    states = RedisOAuthStateStore(redis_client, keys, secret=OLD)
    state = await states.async_issue()
    report = await migrate(redis_client, keys)
    assert report.ran and report.moved == 0
    found = await store.async_find_installation(enterprise_id=None, team_id="T1")
    assert found is not None and found.bot_token == "xoxb-secret-1"
    assert await states.async_consume(state)
