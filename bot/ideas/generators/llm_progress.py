"""Short progress messages while the model writes ("Angle 2/5…").

A progress callback belongs to the adapter (a Slack message being updated, a
Teams typing indicator): if it fails, the answer must still come, so its
errors are logged and further updates are dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.ideas.generators.base import Progress
from bot.ideas.generators.llm_drafts import complete_objects
from bot.kernel.i18n import t
from bot.kernel.messages import Angle, Lang

log = logging.getLogger(__name__)
# Every angle object in the JSON answer has one "title" key: seeing the k-th
# one in the stream means the model has started writing angle k.
MARKER = '"title"'


async def notify(progress: Progress | None, key: str, lang: Lang, **values: Any) -> bool:
    """Send one status text; False if there is no callback or it failed."""
    if progress is None:
        return False
    text = t(key, lang, **values)  # outside the try: a missing text is our bug, not theirs
    try:
        await progress(text)
    except Exception as exc:  # the adapter's problem, not the generation's
        log.warning("progress callback failed (%s); no more updates", type(exc).__name__)
        return False
    return True


# What turns the complete objects written so far into angles (None: not usable).
Drafts = Callable[[list[dict[str, Any]]], list[Angle]]


class AngleProgress:
    """Feeds on streamed text; reports each new angle once, up to `total`.

    When the progress callback also has an `angle` method (an adapter that can
    show text as it comes), each angle is handed over as soon as the model has
    finished writing it, in order, through `drafts`.
    """

    def __init__(self, progress: Progress, lang: Lang, total: int, *,
                 drafts: Drafts | None = None) -> None:
        self._progress: Progress | None = progress
        self._lang = lang
        self._total = total
        self._seen = 0
        self._tail = ""  # end of the previous chunk, for a marker split across chunks
        on_angle = getattr(progress, "angle", None)
        self._on_angle: Callable[[Angle], Awaitable[None]] | None = (
            on_angle if drafts is not None and callable(on_angle) else None)
        self._drafts = drafts
        self._text: list[str] = []
        self._shown = 0  # angles handed over

    async def feed(self, piece: str) -> None:
        window = self._tail + piece
        self._tail = window[-(len(MARKER) - 1) :]
        if self._on_angle is not None:
            self._text.append(piece)
        for _ in range(window.count(MARKER)):
            self._seen += 1
            if self._seen > 1:  # a new angle begins: the one before is complete
                await self._hand_over()
            if self._seen <= self._total:
                await self._say("llm_progress_angle", n=self._seen, total=self._total)

    async def finish(self) -> None:
        """The answer is complete: hand over the last angle(s)."""
        await self._hand_over()

    async def restart(self) -> None:
        """The first attempt failed (error, timeout or unusable answer): say so, count again."""
        self._seen, self._tail = 0, ""
        self._text, self._shown = [], 0
        await self._say("llm_progress_retry")

    async def _hand_over(self) -> None:
        if self._on_angle is None or self._drafts is None:
            return
        try:
            angles = self._drafts(complete_objects("".join(self._text)))
        except Exception as exc:  # a preview must never cost the answer
            log.debug("no angle draft from the stream: %s", type(exc).__name__)
            return
        for angle in angles[self._shown : self._total]:
            self._shown += 1
            try:
                await self._on_angle(angle)
            except Exception as exc:  # the adapter's problem, not the generation's
                log.warning("angle callback failed (%s); no more drafts", type(exc).__name__)
                self._on_angle = None
                return

    async def _say(self, key: str, **values: Any) -> None:
        if not await notify(self._progress, key, self._lang, **values):
            self._progress = None
