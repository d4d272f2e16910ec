"""Whether the engine takes a message at all: the answer of `Engine.admit`.

Adapters call `admit` before anything else and act on the result only; the
policy (dedupe, rate limit, when and how to tell the user) is the engine's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.kernel.messages import Reply

Verdict = Literal["admitted", "duplicate", "rate_limited", "refused"]


@dataclass(frozen=True, slots=True)
class Admission:
    """`notice`, when set, is the one thing to show the user (in their language):
    the rate-limit notice, given once per window however many messages follow, or
    the refusal of a workspace outside the allowlist ("refused")."""

    verdict: Verdict = "admitted"
    notice: Reply | None = None
    retry_after_s: float | None = None

    @property
    def admitted(self) -> bool:
        return self.verdict == "admitted"
