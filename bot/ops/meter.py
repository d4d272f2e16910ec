"""Around each turn: the budget check, the metrics, and the one log line per turn.

The engine hands its turn to `TurnMeter.run`; the turn's LLM usage is gathered
meanwhile (bot.ops.usage) and charged to the workspace's daily budget after.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from bot.ideas.render import with_notices
from bot.kernel.i18n import t
from bot.kernel.messages import Message, Reply
from bot.ops import metrics, usage
from bot.ops.allowlist import workspace_of
from bot.ops.budget import Budget

log = logging.getLogger("symbiose.turn")


class TurnMeter:
    def __init__(self, *, budget: Budget | None = None) -> None:
        self.budget = budget

    async def run(self, message: Message, answer: Callable[[], Awaitable[Reply]]) -> Reply:
        workspace = workspace_of(message)
        turn = usage.TurnUsage()
        token = usage.current.set(turn)
        started = time.perf_counter()
        try:
            if self.budget is not None:
                turn.over_budget = await self.budget.exhausted(workspace)
            reply = await answer()
            if turn.budget_applied:
                notice = t("budget_reached", reply.lang)
                reply.notices.append(notice)
                reply.text = with_notices(reply.text, [notice])
        finally:
            usage.current.reset(token)
        if self.budget is not None:
            await self.budget.spend(workspace, turn.tokens)
        elapsed = time.perf_counter() - started
        metrics.TURNS.labels(platform=message.platform, kind=reply.kind).inc()
        metrics.TURN_SECONDS.observe(elapsed)
        self._log(message, workspace, reply, turn, elapsed)
        return reply

    def _log(self, message: Message, workspace: str, reply: Reply, turn: usage.TurnUsage,
             elapsed: float) -> None:
        fields: dict[str, object] = {
            "platform": message.platform,
            "workspace": workspace,
            "kind": reply.kind,
            "latency_ms": round(elapsed * 1000, 1),
            "llm_outcome": turn.outcome,
            "llm_calls": turn.calls,
            "tokens_in": turn.input_tokens,
            "tokens_out": turn.output_tokens,
            "tokens_cached": turn.cached_tokens,
        }
        if log.isEnabledFor(logging.DEBUG):
            # The user's words only when an operator asked for DEBUG.
            fields["text"] = message.text or ""
        log.info("turn", extra=fields)
