"""Structured logs: one JSON object per line, secrets masked, tracebacks kept.

`configure()` is called once by the CLI. Every record goes through the shared
masker (bot.kernel.secrets), the message, the extra fields and the traceback
alike, so a token that slipped into an exception message never reaches the log.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from bot.kernel.secrets import install_masking, mask_secrets

# Attributes every LogRecord has; the rest were passed with `extra=` and are logged.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def mask(text: str) -> str:
    """The shared masker (bot.kernel.secrets): URL passwords, Slack tokens, provider
    keys, JWTs, bearer credentials, `password=`/`token=` values."""
    return mask_secrets(text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": mask(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = mask(value) if isinstance(value, str) else value
        if record.exc_text:
            entry["exc"] = mask(record.exc_text)
        elif record.exc_info:
            entry["exc"] = mask(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class MaskingFormatter(logging.Formatter):
    """The human-readable format, masked too."""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


def configure(level: int, *, json_lines: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter() if json_lines
        else MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    install_masking()  # on the handler: every library's lines are masked too
