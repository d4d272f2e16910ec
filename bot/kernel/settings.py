"""Configuration, read once from the environment (and `.env`) into one object.

Everything below receives a `Settings` (or just the values it needs) as
arguments; nothing else reads `os.environ`. Secrets are kept out of `repr`,
and `repr` and `describe()` pass through `mask_secrets`, so that logging a
`Settings` never leaks them (a password inside REDIS_URL included).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from bot.kernel.messages import Lang
from bot.kernel.secrets import mask_secrets


def _int(env: Mapping[str, str], name: str, default: int, lo: int, hi: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc
    if not lo <= value <= hi:
        raise ValueError(f"{name} must be between {lo} and {hi}, got {value}")
    return value


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be 1 or 0, got {raw!r}")


def _lang(raw: str | None) -> Lang:
    value = (raw or "fr").strip().lower()[:2]
    if value not in ("fr", "en"):
        raise ValueError(f"SYMBIOSE_LANG must be 'fr' or 'en', got {raw!r}")
    return value  # type: ignore[return-value]


def _ids(raw: str | None) -> frozenset[str]:
    """A comma-separated list of ids (spaces ignored)."""
    return frozenset(part.strip() for part in (raw or "").split(",") if part.strip())


def _log_format(raw: str | None) -> bool | None:
    if raw is None:
        return None
    value = raw.strip().lower()
    if value not in ("json", "text"):
        raise ValueError(f"SYMBIOSE_LOG_FORMAT must be 'json' or 'text', got {raw!r}")
    return value == "json"


@dataclass(frozen=True)
class Settings:
    redis_url: str | None = None
    key_prefix: str = "symbiose"
    model: str = "offline"
    lang: Lang = "fr"
    angles_per_answer: int = 5
    history_max_turns: int = 20
    conversation_ttl_s: int = 7 * 24 * 3600
    feedback_log_max: int = 500
    # SYMBIOSE_RETENTION_DAYS: feedback and conversations older than this are deleted.
    retention_s: int = 365 * 24 * 3600
    llm_timeout_s: float = 30.0
    rate_limit_per_minute: int = 20
    # One deadline for a whole answer, LLM calls included; past it, the offline answer.
    answer_deadline_s: float = 45.0
    # E-mails, phone numbers, IBANs and card numbers replaced before any LLM call.
    redact_pii: bool = True
    glossary_paths: tuple[Path, ...] = ()
    data_dir: Path | None = None
    # Operating for many teams: unset/empty = everyone, no budget.
    allowed_teams: frozenset[str] = frozenset()
    allowed_tenants: frozenset[str] = frozenset()
    llm_budget_tokens: int | None = None
    llm_tracing: str | None = None  # langsmith, otel, or unset (off)
    log_json: bool | None = None  # None: JSON for the servers, text for the console
    # Secrets: repr=False keeps them out of repr() and describe().
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_api_url: str | None = None
    # Distribution to many workspaces (OAuth install); all three or none.
    slack_client_id: str | None = None
    slack_client_secret: str | None = field(default=None, repr=False)
    slack_state_secret: str | None = field(default=None, repr=False)
    # Key(s) for Slack tokens at rest; unset: derived from SLACK_STATE_SECRET.
    encryption_key: str | None = field(default=None, repr=False)
    microsoft_app_id: str | None = None
    microsoft_app_password: str | None = field(default=None, repr=False)
    microsoft_app_type: str = "MultiTenant"
    microsoft_app_tenant_id: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env

        def opt(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        glossary = tuple(
            Path(p) for p in (env.get("GLOSSARY_PATH") or "").split(os.pathsep) if p.strip()
        )
        data_dir = opt("SYMBIOSE_DATA_DIR")
        return cls(
            redis_url=opt("REDIS_URL"),
            key_prefix=opt("SYMBIOSE_KEY_PREFIX") or "symbiose",
            model=opt("SYMBIOSE_MODEL") or "offline",
            lang=_lang(opt("SYMBIOSE_LANG")),
            angles_per_answer=_int(env, "SYMBIOSE_ANGLES", 5, 1, 10),
            history_max_turns=_int(env, "SYMBIOSE_HISTORY_TURNS", 20, 1, 500),
            conversation_ttl_s=_int(env, "SYMBIOSE_CONVERSATION_TTL", 7 * 24 * 3600, 60, 10**8),
            feedback_log_max=_int(env, "SYMBIOSE_FEEDBACK_LOG_MAX", 500, 10, 10**6),
            retention_s=_int(env, "SYMBIOSE_RETENTION_DAYS", 365, 1, 36500) * 24 * 3600,
            llm_timeout_s=float(_int(env, "SYMBIOSE_LLM_TIMEOUT", 30, 1, 600)),
            rate_limit_per_minute=_int(env, "SYMBIOSE_RATE_LIMIT", 20, 0, 10**6),
            answer_deadline_s=float(_int(env, "SYMBIOSE_ANSWER_DEADLINE", 45, 1, 3600)),
            redact_pii=_flag(env, "SYMBIOSE_REDACT_PII", True),
            glossary_paths=glossary,
            data_dir=Path(data_dir) if data_dir else None,
            allowed_teams=_ids(opt("SYMBIOSE_ALLOWED_TEAMS")),
            allowed_tenants=_ids(opt("SYMBIOSE_ALLOWED_TENANTS")),
            llm_budget_tokens=_int(env, "SYMBIOSE_LLM_BUDGET", 0, 0, 10**12) or None,
            llm_tracing=opt("SYMBIOSE_LLM_TRACING"),
            log_json=_log_format(opt("SYMBIOSE_LOG_FORMAT")),
            slack_bot_token=opt("SLACK_BOT_TOKEN"),
            slack_signing_secret=opt("SLACK_SIGNING_SECRET"),
            slack_app_token=opt("SLACK_APP_TOKEN"),
            slack_api_url=opt("SLACK_API_URL"),
            slack_client_id=opt("SLACK_CLIENT_ID"),
            slack_client_secret=opt("SLACK_CLIENT_SECRET"),
            slack_state_secret=opt("SLACK_STATE_SECRET"),
            encryption_key=opt("SYMBIOSE_ENCRYPTION_KEY"),
            microsoft_app_id=opt("MICROSOFT_APP_ID"),
            microsoft_app_password=opt("MICROSOFT_APP_PASSWORD"),
            microsoft_app_type=opt("MICROSOFT_APP_TYPE") or "MultiTenant",
            microsoft_app_tenant_id=opt("MICROSOFT_APP_TENANT_ID"),
        )

    @property
    def slack_oauth(self) -> bool:
        """Distribution mode: installs through OAuth, one token per workspace."""
        return bool(self.slack_client_id or self.slack_client_secret or self.slack_state_secret)

    def describe(self) -> str:
        """A loggable one-liner: secrets shown only as set/unset, and any secret
        inside another value (a URL's password) masked."""
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if not f.repr:
                value = "set" if value else "unset"
            parts.append(f"{f.name}={value}")
        return mask_secrets(" ".join(parts))

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
        return mask_secrets(f"Settings({shown})")
