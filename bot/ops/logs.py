"""Structured logs: one JSON object per line, secrets masked, tracebacks kept.

`configure()` is called once by the CLI. Every record goes through `mask()`, the
message and the traceback alike, so a token that slipped into an exception
message never reaches the log. (A local masker: the shared one from the security
work can replace `mask` when it lands.)
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

# Slack tokens, provider keys, bearer tokens, passwords in URLs, long opaque strings.
_SECRETS = (
    re.compile(r"\bxox[abposr]-[\w-]{6,}|\bxapp-[\w-]{6,}"),
    re.compile(r"\b(?:sk|pk|rk)-[\w-]{6,}"),
    re.compile(r"(?i)\b(bearer|basic)\s+[\w.~+/=-]{8,}"),
    re.compile(r"(?<=://)[^/\s:@]*:[^/\s@]+(?=@)"),  # user:password@ in a URL
    re.compile(r"(?i)\b(password|secret|token|api_key|apikey)(\s*[=:]\s*)[^\s,;&]+"),
    re.compile(r"\b[A-Za-z0-9_\-]{40,}\b"),
)
MASK = "[redacted]"
# Attributes every LogRecord has; the rest were passed with `extra=` and are logged.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def mask(text: str) -> str:
    for pattern in _SECRETS:
        if pattern.groups == 2:
            text = pattern.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
        elif pattern.groups == 1:
            text = pattern.sub(lambda m: f"{m.group(1)} {MASK}", text)
        else:
            text = pattern.sub(MASK, text)
    return text


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
        if record.exc_info:
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
