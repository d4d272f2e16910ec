"""Showing that the bot is working, then putting the answer in place.

`Progress` coalesces the engine's progress texts and never makes the engine
wait for Slack; a *surface* shows them. `Placeholder` is the surface that works
everywhere: a "… thinking" message updated with chat.update and finally
replaced by the answer. adapters.slack.streaming adds chat streaming.

With an LLM, the engine also hands over each angle as soon as the model has
written it (`Progress.angle`): from then on the surface shows those drafts,
in order, instead of progress texts; the answer still replaces them all.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from slack_sdk.errors import SlackApiError

from adapters.slack.blocks import md
from adapters.slack.mrkdwn import markdown_to_mrkdwn
from adapters.slack.render import SECTION_MAX, SlackMessage, sections
from adapters.slack.thread import SLACK_ERRORS, Thread, describe
from bot.ideas import render as engine_text
from bot.kernel.i18n import t
from bot.kernel.messages import Angle, Lang

log = logging.getLogger(__name__)


class Surface(Protocol):
    async def show(self, text: str | None) -> None:
        """Show `text` (None: just "thinking"); may raise SLACK_ERRORS."""

    async def drafts(self, angles: list[Angle]) -> None:
        """Show the angles written so far (each call: all of them, in order)."""

    async def close(self, first: SlackMessage) -> None:
        """Put the answer's first message where the progress was shown."""


class Placeholder:
    """A placeholder message: posted on the first `show`, then edited."""

    def __init__(self, thread: Thread, lang: Lang, *, ts: str | None = None) -> None:
        self.thread = thread
        self.lang = lang
        self.ts = ts

    async def show(self, text: str | None) -> None:
        message = placeholder_message(text, self.lang)
        if self.ts is None:
            self.ts = await self.thread.post(message)
        else:
            await self.thread.update(self.ts, message)

    async def drafts(self, angles: list[Angle]) -> None:
        message = drafts_message(angles, self.lang)
        if self.ts is None:
            self.ts = await self.thread.post(message)
        else:
            await self.thread.update(self.ts, message)

    async def close(self, first: SlackMessage) -> None:
        if self.ts is None:
            await self.thread.post(first)
            return
        try:
            await self.thread.update(self.ts, first)
        except SlackApiError as exc:
            # Slack refused the edit (placeholder deleted meanwhile, a stream it
            # won't let go of...): the answer must still arrive.
            log.warning("could not replace the progress message (%s); posting", describe(exc))
            await self.thread.post(first)


def placeholder_message(text: str | None, lang: Lang) -> SlackMessage:
    shown = f"_{markdown_to_mrkdwn(text)}_" if text else t("slack.thinking", lang)
    return SlackMessage(blocks=[{"type": "context", "elements": [md(shown)]}],
                        text=t("slack.thinking", lang))


def drafts_message(angles: list[Angle], lang: Lang) -> SlackMessage:
    """The angles written so far, then "… thinking": at most 40 blocks of text."""
    blocks = [b for a in angles for b in sections(engine_text.angle(a, lang))][:40]
    thinking = {"type": "context", "elements": [md(t("slack.thinking", lang))]}
    return SlackMessage(blocks=[*blocks, thinking], text=t("slack.thinking", lang)[:SECTION_MAX])


class Progress:
    """Progress texts on a surface, at most one Slack call per `min_interval_s`.

    `show` never waits for Slack: the engine's generation must not slow down
    because Slack is slow or rate limited. Intermediate texts are coalesced;
    the final answer replaces whatever is pending.
    """

    def __init__(self, thread: Thread, surface: Surface, *, min_interval_s: float = 2.0) -> None:
        self.thread = thread
        self.surface = surface
        self._min_interval = min_interval_s
        self._lock = asyncio.Lock()  # one Slack call at a time for this answer
        self._latest: str | None = None
        self._pending = False
        self._task: asyncio.Task[None] | None = None
        self._done = False
        self._drafts: list[Angle] = []
        self._drafts_shown = 0

    async def __call__(self, text: str) -> None:
        """The engine's progress callback: a progress text."""
        await self.show(text)

    async def angle(self, angle: Angle) -> None:
        """The engine's angle callback: one more angle the model has written."""
        if self._done:
            return
        self._drafts.append(angle)
        self._wake()

    async def show(self, text: str | None = None) -> None:
        if self._done:
            return
        self._latest = text
        self._wake()

    def _wake(self) -> None:
        self._pending = True
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._flush())

    async def _flush(self) -> None:
        while self._pending and not self._done:
            self._pending = False
            async with self._lock:
                if self._done:
                    return
                try:
                    if len(self._drafts) > self._drafts_shown:
                        shown = list(self._drafts)
                        await self.surface.drafts(shown)
                        self._drafts_shown = len(shown)
                    elif not self._drafts:  # once angles show, they are the progress
                        await self.surface.show(self._latest)
                except SLACK_ERRORS as exc:
                    log.warning("progress message failed: %s", describe(exc))
                    return
            await asyncio.sleep(self._min_interval)

    async def finish(self, messages: list[SlackMessage]) -> None:
        self._done = True
        async with self._lock:  # waits for an in-flight progress call, so its ts is known
            if self._task is not None and not self._task.done():
                self._task.cancel()  # only ever cancelled while sleeping between updates
            await self.surface.close(messages[0])
        for message in messages[1:]:  # a long answer's next parts, in the same thread
            await self.thread.post(message)
