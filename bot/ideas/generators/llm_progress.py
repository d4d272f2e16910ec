"""Short progress messages while the model writes ("Angle 2/5…").

A progress callback belongs to the adapter (a Slack message being updated, a
Teams typing indicator): if it fails, the answer must still come, so its
errors are logged and further updates are dropped.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.ideas.generators.base import Progress
from bot.kernel.i18n import t
from bot.kernel.messages import Lang

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


class AngleProgress:
    """Feeds on streamed text; reports each new angle once, up to `total`."""

    def __init__(self, progress: Progress, lang: Lang, total: int) -> None:
        self._progress: Progress | None = progress
        self._lang = lang
        self._total = total
        self._seen = 0
        self._tail = ""  # end of the previous chunk, for a marker split across chunks

    async def feed(self, piece: str) -> None:
        window = self._tail + piece
        self._tail = window[-(len(MARKER) - 1) :]
        for _ in range(window.count(MARKER)):
            self._seen += 1
            if self._seen <= self._total:
                await self._say("llm_progress_angle", n=self._seen, total=self._total)

    async def restart(self) -> None:
        """The first attempt failed (error, timeout or unusable answer): say so, count again."""
        self._seen, self._tail = 0, ""
        await self._say("llm_progress_retry")

    async def _say(self, key: str, **values: Any) -> None:
        if not await notify(self._progress, key, self._lang, **values):
            self._progress = None
