"""Work that continues after the HTTP response, delivered as proactive messages.

The Bot Framework gives a bot 15 s to answer a POST; an LLM may need longer.
So a turn only checks and records the activity, then returns, and the answer is
produced here and sent with `continue_conversation` on the conversation
reference: same conversation, same channel reply chain.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import ConversationReference

from adapters.teams.render import typing_activity

log = logging.getLogger(__name__)

Work = Callable[[TurnContext], Awaitable[None]]
TYPING_EVERY_S = 3.0  # Teams shows the indicator for about three seconds


class Deliveries:
    """Runs proactive work in the background and keeps track of it (for shutdown)."""

    def __init__(self, adapter: CloudAdapter, *, app_id: str | None) -> None:
        self._adapter = adapter
        self._app_id = app_id
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def pending(self) -> int:
        return len(self._tasks)

    def start(self, reference: ConversationReference, work: Work) -> None:
        self.track(self._run(reference, work))

    def track(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` in the background, waited for by `drain` like a delivery."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, reference: ConversationReference, work: Work) -> None:
        async def as_reply(context: TurnContext) -> None:
            # A continuation activity has a fresh id; answer the user's activity instead,
            # as a reply sent during the turn would.
            if reference.activity_id:
                context.activity.id = reference.activity_id
            await work(context)

        try:
            # Errors inside `work` reach the adapter's on_turn_error (which apologises);
            # what lands here failed before a turn existed (e.g. no connector).
            await self._adapter.continue_conversation(reference, as_reply, self._app_id)
        except Exception:
            log.exception("proactive delivery failed (conversation=%s)",
                          reference.conversation.id if reference.conversation else "?")

    async def drain(self, timeout_s: float = 30.0) -> None:
        """Wait for the work in progress (graceful shutdown), then cancel what is left."""
        deadline = asyncio.get_running_loop().time() + timeout_s
        # A turn still running may start a delivery: wait until none is left.
        while self._tasks:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                break
            await asyncio.wait(set(self._tasks), timeout=left)
        for task in set(self._tasks):
            task.cancel()


class Typing:
    """Keeps Teams' typing indicator on while the engine works: one at once,
    then one every `every_s` (Teams shows each for about three seconds)."""

    def __init__(self, turn_context: TurnContext, *, every_s: float = TYPING_EVERY_S) -> None:
        self._context = turn_context
        self._every = every_s

    async def _send(self) -> None:
        try:
            await self._context.send_activity(typing_activity())
        except Exception as exc:  # an indicator is a nicety, never a reason to fail
            log.debug("typing indicator not sent: %s", type(exc).__name__)

    @contextlib.asynccontextmanager
    async def active(self, *, until: Callable[[], bool] | None = None) -> AsyncIterator[None]:
        """`until`: once true, no more indicators (a Teams stream has begun, and
        shows its own)."""
        # The first indicator goes out alongside the engine's first steps rather
        # than before them: in a burst, the model calls start sooner.
        first = asyncio.create_task(self._send())

        async def keep_alive() -> None:
            while True:
                await asyncio.sleep(self._every)
                if until is not None and until():
                    return
                await self._send()

        task = asyncio.create_task(keep_alive())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            # An indicator arriving after the answer would show "typing" under it.
            await first
