"""One deadline for a whole answer, LLM calls included.

An answer may make several model calls (reading a command, brand facts, the
angles, a retry), each with its own timeout; without a deadline over all of
them a hanging model held an answer for two minutes. The engine opens a
`scope` per message; whatever runs inside (the LLM generator) asks `remaining()`
and never waits past it. Past it the engine answers with the offline engine and
says so (SYMBIOSE_ANSWER_DEADLINE).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar

_deadline: ContextVar[float | None] = ContextVar("symbiose_answer_deadline", default=None)


@contextlib.contextmanager
def scope(seconds: float | None) -> Iterator[None]:
    """Code run inside (and the tasks it starts) must be done within `seconds`."""
    if seconds is None:
        yield
        return
    ends = time.monotonic() + seconds
    current = _deadline.get()
    token = _deadline.set(ends if current is None else min(current, ends))
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining() -> float | None:
    """Seconds left in the current answer (never negative), None without a deadline."""
    ends = _deadline.get()
    return None if ends is None else max(0.0, ends - time.monotonic())
