"""Assembles an `Engine` from `Settings`: the one place that picks real parts."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel

from bot.brief.reader import BriefReader
from bot.dialogue.guards import Guards
from bot.engine import Engine
from bot.glossary import Glossary
from bot.ideas.catalogue import Catalogue
from bot.ideas.generators.base import AngleGenerator
from bot.ideas.generators.offline import OfflineGenerator
from bot.kernel.settings import Settings
from bot.ops.allowlist import Allowlist
from bot.ops.budget import Budget, BudgetedReader, BudgetGate
from bot.ops.meter import TurnMeter
from bot.ops.tracing import OtelLLMSpans, tracing_callbacks
from bot.ops.usage import UsageCallback
from bot.store.connection import (
    RedisClient,
    close_client,
    connect,
    connect_single,
    open_client,
    ready,
)
from bot.store.embedded import SNAPSHOT_NAME, EmbeddedStore, default_data_dir
from bot.store.errors import StoreUnavailable, store_call
from bot.store.keys import Keys
from bot.store.migrate import migrate
from bot.store.user_store import UserStore

if TYPE_CHECKING:  # slack_sdk and cryptography load only for `symbiose slack`
    from bot.store.slack_installations import SlackOAuthStores

log = logging.getLogger(__name__)


def _callbacks(model: BaseChatModel) -> list[BaseCallbackHandler]:
    """The handlers a model already has (a test's own recorder, say): kept."""
    existing = model.callbacks
    if isinstance(existing, list):
        # Not our own from an earlier build_engine on the same model (no double count).
        return [c for c in existing if isinstance(c, BaseCallbackHandler)
                and not isinstance(c, UsageCallback | OtelLLMSpans)]
    return []


def build_engine(settings: Settings, *, chat_model: BaseChatModel | None = None) -> Engine:
    """An engine on real Redis (REDIS_URL) or the embedded store, offline or with an LLM.

    `chat_model` (tests, benchmarks) beats `settings.model`. Raises
    `ModelConfigError` when SYMBIOSE_MODEL names a provider that can't be used.
    """
    keys = Keys(settings.key_prefix)
    catalogue = Catalogue.load()
    offline = OfflineGenerator(catalogue)
    generator: AngleGenerator = offline
    reader: BriefReader | None = None
    owned_model: BaseChatModel | None = None  # built here, so closed here
    if chat_model is not None or settings.model != "offline":
        from bot.brief.llm_reader import LLMReader
        from bot.ideas.generators.llm import LLMGenerator, make_chat_model

        model = chat_model if chat_model is not None else make_chat_model(settings.model)
        owned_model = None if chat_model is not None else model
        # Counts every call's tokens (metrics, the turn's log line, the budget).
        model.callbacks = [*_callbacks(model), UsageCallback(),
                           *tracing_callbacks(settings.llm_tracing)]
        llm = LLMGenerator(model, catalogue=catalogue, timeout_s=settings.llm_timeout_s,
                           name=settings.model, redact_pii=settings.redact_pii)
        generator = BudgetGate(llm, offline)
        reader = BudgetedReader(LLMReader(model=model, timeout_s=settings.llm_timeout_s,
                                          redact_pii=settings.redact_pii))

    embedded: EmbeddedStore | None = None
    redis: RedisClient
    if settings.redis_url:
        redis = connect(settings.redis_url)
    else:
        embedded = EmbeddedStore((settings.data_dir or default_data_dir()) / SNAPSHOT_NAME)
        redis = embedded.redis

    restored = False

    async def startup() -> bool:
        nonlocal restored
        if embedded is not None and not restored:
            await embedded.restore()
            restored = True
        # Keys of an earlier layout are moved before the first turn reads any.
        try:
            with store_call():
                await migrate(redis, keys)
        except StoreUnavailable as exc:
            # Redis down: the turn answers without memory; the next one tries again.
            log.warning("key migration not possible now (%s)", str(exc).split(":", 1)[0])
            return False
        return True

    async def shutdown() -> None:
        if owned_model is not None:
            from bot.ideas.generators.llm_model import close_chat_model

            await close_chat_model(owned_model)
        if embedded is not None:
            await embedded.aclose()
        else:
            await close_client(redis)

    async def readiness() -> tuple[bool, str]:
        return (True, "") if embedded is not None else await ready(redis)

    store = UserStore(
        redis,
        keys,
        conversation_ttl_s=settings.conversation_ttl_s,
        feedback_log_max=settings.feedback_log_max,
        retention_s=settings.retention_s,
        after_write=embedded.save if embedded is not None else None,
        before_read=embedded.refresh if embedded is not None else None,
    )
    budget = (Budget(redis, keys, tokens_per_day=settings.llm_budget_tokens)
              if settings.llm_budget_tokens else None)
    glossary = Glossary.load(settings.glossary_paths)
    for problem in glossary.errors:
        log.warning("glossary: %s", problem)
    return Engine(
        store=store,
        catalogue=catalogue,
        offline=offline,
        generator=generator,
        glossary=glossary,
        guards=Guards(redis, keys, rate_per_minute=settings.rate_limit_per_minute),
        default_lang=settings.lang,
        angles_per_answer=settings.angles_per_answer,
        history_turns=settings.history_max_turns,
        answer_deadline_s=settings.answer_deadline_s,
        startup=startup,
        shutdown=shutdown,
        reader=reader,
        readiness=readiness,
        connect=None if embedded is not None else (lambda: open_client(redis)),
        allowlist=Allowlist(teams=settings.allowed_teams, tenants=settings.allowed_tenants),
        meter=TurnMeter(budget=budget),
    )


def build_slack_oauth_stores(settings: Settings) -> SlackOAuthStores:
    """Installations and OAuth states for Slack distribution, on the shared Redis.

    Raises `ValueError` (a configuration error) without REDIS_URL: installations
    must be shared by every replica and survive restarts, which the embedded
    store can't promise. And `CipherError` when no usable key is configured.
    """
    from bot.store.slack_installations import (
        RedisInstallationStore,
        RedisOAuthStateStore,
        SlackOAuthStores,
    )
    from bot.store.token_cipher import TokenCipher

    if not settings.redis_url:
        raise ValueError("SLACK_CLIENT_ID (distribution to many workspaces) needs REDIS_URL: "
                         "installations are shared by every replica")
    cipher = TokenCipher.from_settings(encryption_key=settings.encryption_key,
                                       state_secret=settings.slack_state_secret)
    keys = Keys(settings.key_prefix)
    # Not yet checked on a Cluster (multi-key operations): a single-server client, as before.
    client = connect_single(settings.redis_url, max_connections=64)
    return SlackOAuthStores(
        installations=RedisInstallationStore(client, keys, cipher),
        states=RedisOAuthStateStore(client, keys, secret=settings.slack_state_secret or ""),
        redis=client,
    )
