"""What a turn spent on the LLM, gathered from langchain's callbacks.

One `TurnUsage` per turn sits in a context variable (asyncio copies the context
into the tasks a turn starts, and the object is shared, so every model call of the
turn adds to it). `UsageCallback`, attached to the chat model, adds each call's
tokens as the provider reported them (`AIMessage.usage_metadata`: input, output,
and `input_token_details.cache_read`, the input tokens served from the provider's
prompt cache), or an estimate from the characters (about 4 per token) when the
provider says nothing. Each call is also counted by its kind (angles, more,
refine, challenge, interpret, read_brief), which the generator and the reader
put in the run's metadata (bot.kernel.templates.CALL_KIND).
"""

from __future__ import annotations

import contextvars
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGeneration, LLMResult

from bot.kernel.templates import CALL_KIND
from bot.ops import metrics

CHARS_PER_TOKEN = 4


@dataclass
class TurnUsage:
    calls: int = 0
    errors: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cached_tokens: int = 0  # of the input tokens, those the provider's prompt cache served
    # The workspace is past its budget: the offline engine answers this turn.
    over_budget: bool = False
    # An LLM call was avoided because of the budget (so the notice is worth showing).
    budget_applied: bool = False

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    @property
    def outcome(self) -> str:
        """none (no call), ok, error (every call failed), partial, or budget."""
        if self.budget_applied:
            return "budget"
        if not self.calls:
            return "none"
        if not self.errors:
            return "ok"
        return "error" if self.errors >= self.calls else "partial"


current: contextvars.ContextVar[TurnUsage | None] = contextvars.ContextVar(
    "symbiose_turn_usage", default=None
)


def estimate_tokens(chars: int) -> int:
    """Tokens for `chars` characters of text, rounded up."""
    return -(-chars // CHARS_PER_TOKEN) if chars > 0 else 0


@dataclass(frozen=True, slots=True)
class CallUsage:
    """What one model call used, as the provider reported it (or as estimated)."""

    input_tokens: int
    output_tokens: int
    cached_tokens: int = 0


class UsageCallback(BaseCallbackHandler):
    """Counts calls and tokens: into the metrics, and into the running turn's usage."""

    # In the event loop's thread, not an executor: cheap, and it sees the turn's context.
    run_inline = True

    def __init__(self) -> None:
        self._started: dict[UUID, tuple[int, str]] = {}  # run -> (prompt characters, kind)

    def on_chat_model_start(self, serialized: dict[str, Any],
                            messages: list[list[BaseMessage]], *, run_id: UUID,
                            metadata: dict[str, Any] | None = None, **kwargs: Any) -> None:
        kind = str((metadata or {}).get(CALL_KIND) or "other")
        self._started[run_id] = (sum(len(m.text) for batch in messages for m in batch), kind)

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        prompt_chars, kind = self._started.pop(run_id, (0, "other"))
        used = _reported(response.generations)
        if used is None:
            used = CallUsage(estimate_tokens(prompt_chars),
                             sum(estimate_tokens(len(g.text)) for batch in response.generations
                                 for g in batch))
        metrics.LLM_CALLS.labels(outcome="ok").inc()
        metrics.LLM_TOKENS.labels(direction="input").inc(used.input_tokens)
        metrics.LLM_TOKENS.labels(direction="output").inc(used.output_tokens)
        metrics.count_call(kind, "ok", used.input_tokens, used.cached_tokens, used.output_tokens)
        usage = current.get()
        if usage is not None:
            usage.calls += 1
            usage.input_tokens += used.input_tokens
            usage.output_tokens += used.output_tokens
            usage.cached_tokens += used.cached_tokens

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        # The prompt was sent (or not): count its estimate, providers bill what they read.
        prompt_chars, kind = self._started.pop(run_id, (0, "other"))
        metrics.LLM_CALLS.labels(outcome="error").inc()
        metrics.count_call(kind, "error", estimate_tokens(prompt_chars), 0, 0)
        usage = current.get()
        if usage is not None:
            usage.calls += 1
            usage.errors += 1
            usage.input_tokens += estimate_tokens(prompt_chars)


def _reported(generations: Sequence[Sequence[Any]]) -> CallUsage | None:
    """Input, output and cached tokens as the provider reported them; None if it did not."""
    used_in = used_out = cached = 0
    seen = False
    for batch in generations:
        for gen in batch:
            meta = getattr(gen.message, "usage_metadata", None) \
                if isinstance(gen, ChatGeneration) else None
            if meta:
                seen = True
                used_in += int(meta.get("input_tokens") or 0)
                used_out += int(meta.get("output_tokens") or 0)
                details = meta.get("input_token_details") or {}
                cached += int(details.get("cache_read") or 0)
    return CallUsage(used_in, used_out, cached) if seen else None
