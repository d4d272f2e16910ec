"""One secret-masking helper for everything that leaves the process as text:
log lines (through `MaskingFilter`), `Settings.describe()` and `repr(Settings)`.

What it masks: the password of a URL (`redis://user:pw@host`), Slack tokens
(`xoxb-…`, `xapp-…`), bearer tokens, JWTs, provider keys (`sk-…`), and the
value of anything written `password=…`, `token: …`, `api_key=…`, `secret=…`.
Ids (users, channels, conversations) are not secrets and stay readable: a log
line must still say which conversation a failure was about.
"""

from __future__ import annotations

import logging
import re

MASK = "[redacted]"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # scheme://user:password@host -> scheme://user:***@host (also ://:password@)
    (re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^\s:/@]*:)([^\s@/]+)(@)"), rf"\1{MASK}\3"),
    # Slack tokens: bot, user, app-level, refresh, config.
    (re.compile(r"\b(?:xox[a-z]|xapp)-[A-Za-z0-9-]{6,}"), MASK),
    # Provider keys in their usual shapes (OpenAI, Anthropic, Stripe-like).
    (re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_-]{6,}"), MASK),
    # JSON Web Tokens (three base64url parts, the first two starting with '{"').
    (re.compile(r"\beyJ[\w-]{5,}\.eyJ[\w-]{5,}\.[\w-]+"), MASK),
    # Authorization headers.
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}"), rf"\1 {MASK}"),
    # key=value / key: value / "key": "value" for secret-sounding keys.
    (
        re.compile(
            r"(?i)\b([\w-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key"
            r"|private[_-]?key|client[_-]?secret|signing[_-]?secret)[\w-]*)"
            r"(\"?'?\s*[:=]\s*\"?'?)(?!\[redacted\]|(?:set|unset|None)(?:\s|$))([^\s\"'&,;]+)"
        ),
        rf"\1\2{MASK}",
    ),
)
# Long unbroken runs of key characters: only where a provider's message may echo
# a key we cannot recognise by shape (see `mask_secrets(..., aggressive=True)`).
_LONG = re.compile(r"[A-Za-z0-9_\-]{32,}")


def mask_secrets(text: str, *, aggressive: bool = False) -> str:
    """`text` with every recognisable secret replaced by `[redacted]`.

    `aggressive` also masks any run of 32 or more key characters: for error
    messages of third parties (LLM providers), never for our own log lines,
    whose long ids must stay readable.
    """
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    if aggressive:
        text = _LONG.sub(MASK, text)
    return text


class MaskingFilter(logging.Filter):
    """Masks secrets in a record's final message and traceback text.

    Installed on handlers (a filter on a logger does not see records that
    propagate from child loggers), so every line any library logs goes through it.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken %-format: let the handler report it as usual
            return True
        masked = mask_secrets(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_secrets(record.stack_info)
        return True


def install_masking(logger: logging.Logger | None = None) -> None:
    """Put a `MaskingFilter` on every handler of `logger` (default: root)."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())
