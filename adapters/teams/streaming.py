"""Teams' streaming protocol for one answer in a personal chat.

Teams streams bot messages in one-on-one chats only, as a sequence of
activities in the conversation:

1. typing activities with a `streaminfo` entity: `informative` ones (a status
   line under the chat: "Angle 2/5…") and `streaming` ones (the text written so
   far, each containing the one before), numbered by `streamSequence` from 1;
   the id the service gives the first one is the `streamId` of all that follow;
2. the final message (`streamType: final`, same `streamId`), which replaces
   the streamed text and carries the AI label like any answer.

The stream starts only when the engine reports progress (an LLM at work): a
quick answer is a plain message. Updates are paced (Teams throttles a stream
at about one update a second) and coalesced: informative texts keep the
latest, streamed text is cumulative, so nothing is lost by skipping one.
Channels and group chats keep proactive delivery (adapters.teams.proactive).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes, Entity

from adapters.teams.render import OutgoingActivity
from adapters.teams.safe_text import clip, message_markdown
from bot.ideas import render as engine_text
from bot.kernel.messages import Angle, Lang

log = logging.getLogger(__name__)

INFORMATIVE_MAX = 1000  # Teams refuses a longer informative update
STREAM_INTERVAL_S = 1.0
LIVE_STREAMS = 16


class StreamSlots:
    """How many answers may stream at once, per process.

    A streamed answer costs a streamed model call (chunk by chunk, instead of
    one call) and a Bot Connector call per update: in a burst (200 answers at
    once) that is most of the CPU. Answers beyond the budget are sent whole,
    with the typing indicator, and arrive sooner.
    """

    def __init__(self, limit: int = LIVE_STREAMS) -> None:
        self.limit = limit
        self.in_use = 0

    def take(self) -> bool:
        if self.in_use >= self.limit:
            return False
        self.in_use += 1
        return True

    def give_back(self) -> None:
        self.in_use -= 1


class StreamInfoEntity(Entity):
    """The `streaminfo` entity of a streamed activity."""

    _attribute_map = {
        "type": {"key": "type", "type": "str"},
        "stream_id": {"key": "streamId", "type": "str"},
        "stream_type": {"key": "streamType", "type": "str"},
        "stream_sequence": {"key": "streamSequence", "type": "int"},
    }

    def __init__(self, *, stream_type: str, stream_id: str | None = None,
                 stream_sequence: int | None = None, **kwargs: Any) -> None:
        super().__init__(type="streaminfo", **kwargs)
        self.stream_id = stream_id
        self.stream_type = stream_type
        self.stream_sequence = stream_sequence


class TeamsStream:
    """The engine's progress callback for one answer: texts become informative
    updates; each angle an LLM has written is added to the streamed text."""

    def __init__(self, context: TurnContext, lang: Lang, *,
                 interval_s: float = STREAM_INTERVAL_S) -> None:
        self._context = context
        self._lang = lang
        self._interval = interval_s
        self.stream_id: str | None = None
        self.sequence = 0
        self._drafts: list[str] = []
        self._sent_drafts = 0
        self._info: str | None = None
        self._pending = False
        self._done = False
        self._broken = False
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    @property
    def started(self) -> bool:
        """A final message must close this stream."""
        return self.stream_id is not None and not self._broken

    async def __call__(self, text: str) -> None:
        if self._done or self._drafts:
            return  # once angles show, they are the progress
        self._info = text
        self._wake()

    async def angle(self, angle: Angle) -> None:
        if self._done:
            return
        self._drafts.append(message_markdown(engine_text.angle(angle, self._lang)))
        self._wake()

    def _wake(self) -> None:
        self._pending = True
        if not self._broken and (self._task is None or self._task.done()):
            self._task = asyncio.ensure_future(self._flush())

    async def _flush(self) -> None:
        while self._pending and not self._done and not self._broken:
            self._pending = False
            async with self._lock:
                if self._done:
                    return
                if len(self._drafts) > self._sent_drafts:
                    count = len(self._drafts)
                    await self._send("streaming", "\n\n".join(self._drafts[:count]))
                    self._sent_drafts = count
                elif self._info and not self._drafts:
                    await self._send("informative", clip(self._info, INFORMATIVE_MAX))
            await asyncio.sleep(self._interval)

    async def _send(self, stream_type: str, text: str) -> None:
        self.sequence += 1
        info = StreamInfoEntity(stream_type=stream_type, stream_id=self.stream_id,
                                stream_sequence=self.sequence)
        activity = OutgoingActivity(type=ActivityTypes.typing, text=text, entities=[info],
                                    channel_data=_channel_data(info))
        try:
            response = await self._context.send_activity(activity)
        except Exception as exc:  # a stream is a nicety: the answer still comes, unstreamed
            log.warning("Teams refused a stream update (%s); answering without it",
                        type(exc).__name__)
            self._broken = True
            return
        if self.stream_id is None:
            self.stream_id = response.id if response is not None else None
            if self.stream_id is None:
                self._broken = True

    async def close(self) -> None:
        """No more updates: wait for one in flight, so the final follows it."""
        self._done = True
        async with self._lock:
            if self._task is not None and not self._task.done():
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task

    def final(self, activity: Activity) -> Activity:
        """`activity` (the answer's first message) as the message that ends the stream."""
        info = StreamInfoEntity(stream_type="final", stream_id=self.stream_id)
        activity.entities = [*(activity.entities or []), info]
        data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
        activity.channel_data = {**data, **_channel_data(info)}
        return activity


def _channel_data(info: StreamInfoEntity) -> dict[str, Any]:
    # Teams read the stream fields from channelData before the entity existed;
    # both are sent, as Microsoft's own SDKs do.
    data: dict[str, Any] = {"streamType": info.stream_type}
    if info.stream_id:
        data["streamId"] = info.stream_id
    if info.stream_sequence is not None:
        data["streamSequence"] = info.stream_sequence
    return data
