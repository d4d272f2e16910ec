"""Progress streamed with Slack's chat streaming (chat.startStream,
chat.appendStream, chat.stopStream), with the placeholder as the fallback.

The engine reports progress as short texts ("Angle 2/5…") and, with an LLM,
each angle as soon as the model has written it (the LLM's own stream is
JSON, which no one should read). So the stream shows the progress texts,
one line each, until the first angle; then the angles, one by one, as
readable text. When the answer is ready the stream is stopped and the
message becomes the answer (chat.update), so buttons, Block Kit limits and
escaping are exactly those of any other answer.

A stream is always a reply in a thread (Slack requires `thread_ts`), so a
top-level DM keeps the placeholder. Whenever Slack refuses a stream call (an
older or GovSlack workspace, a missing feature or scope, a stream expired
server-side), the answer carries on with chat.update on the same message, or
a new placeholder if the stream never started. When chat.startStream itself
is refused, this process stops trying for `cooldown_s`, so such a workspace
does not pay a failed call per answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from adapters.slack.mrkdwn import markdown_line
from adapters.slack.progress import Placeholder
from adapters.slack.render import SlackMessage
from adapters.slack.thread import SLACK_ERRORS, Thread, describe
from bot.kernel.i18n import t
from bot.kernel.messages import Angle, Lang

log = logging.getLogger(__name__)


class Streaming:
    """Whether this process tries chat streaming now."""

    def __init__(self, *, enabled: bool = True, interval_s: float = 1.0,
                 cooldown_s: float = 600.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.enabled = enabled
        # Between two appends: a stream takes small additions well, unlike
        # chat.update (the placeholder's 2 s), but each is still a call.
        self.interval_s = interval_s
        self._cooldown = cooldown_s
        self._clock = clock
        self._refused_at: float | None = None

    def available(self) -> bool:
        if not self.enabled:
            return False
        return self._refused_at is None or self._clock() - self._refused_at >= self._cooldown

    def refused(self) -> None:
        self._refused_at = self._clock()

    def can_stream(self, thread: Thread) -> bool:
        return self.available() and bool(thread.thread_ts and thread.user and thread.team)


def draft_markdown(angle: Angle, lang: Lang) -> str:
    """An angle as stream text (markdown). Every piece the model wrote goes
    through `markdown_line`, so no mention, link or control sequence can form."""
    strategy = markdown_line(angle.strategy_name or angle.strategy, 80)
    lines = [f"**{angle.n}. {markdown_line(angle.title, 300)}** · _{strategy}_",
             markdown_line(angle.hook, 1000), markdown_line(angle.rationale, 1500)]
    if angle.channel:
        lines.append(f"📣 {markdown_line(angle.channel, 200)}")
    return "\n".join(line for line in lines if line)


class StreamSurface:
    """Progress as a chat stream; a `Placeholder` takes over if Slack refuses it."""

    def __init__(self, thread: Thread, lang: Lang, streaming: Streaming) -> None:
        self.thread = thread
        self.lang = lang
        self.streaming = streaming
        self.ts: str | None = None
        self.fallback: Placeholder | None = None
        self.streamed = 0  # angles already in the stream

    async def drafts(self, angles: list[Angle]) -> None:
        if self.fallback is not None:
            await self.fallback.drafts(angles)
            return
        text = "\n\n".join(draft_markdown(a, self.lang) for a in angles[self.streamed:])
        if not text:
            return
        fallback = await self._stream("\n\n" + text if self.ts is not None else text)
        if fallback is not None:
            await fallback.drafts(angles)
            return
        self.streamed = len(angles)

    async def show(self, text: str | None) -> None:
        if self.fallback is not None:
            await self.fallback.show(text)
            return
        line = markdown_line(text or t("slack.thinking", self.lang))
        fallback = await self._stream(line if self.ts is None else "\n" + line)
        if fallback is not None:
            await fallback.show(text)

    async def _stream(self, markdown_text: str) -> Placeholder | None:
        """Start the stream or add to it; if Slack refuses, the fallback to carry on with."""
        client = self.thread.client
        try:
            if self.ts is None:
                resp = await client.chat_startStream(
                    channel=self.thread.channel,
                    thread_ts=self.thread.thread_ts or "",
                    recipient_team_id=self.thread.team,
                    recipient_user_id=self.thread.user,
                    markdown_text=markdown_text,
                )
                self.ts = str(resp["ts"])
            else:
                await client.chat_appendStream(
                    channel=self.thread.channel, ts=self.ts, markdown_text=markdown_text
                )
        except (*SLACK_ERRORS, KeyError) as exc:
            log.info("chat streaming refused (%s); falling back to chat.update", describe(exc))
            if self.ts is None:  # refused outright, not one stream gone stale
                self.streaming.refused()
            self.fallback = Placeholder(self.thread, self.lang, ts=self.ts)
            return self.fallback
        return None

    async def close(self, first: SlackMessage) -> None:
        if self.fallback is None and self.ts is not None:
            try:
                await self.thread.client.chat_stopStream(channel=self.thread.channel, ts=self.ts)
            except SLACK_ERRORS as exc:  # the edit below replaces the text anyway
                log.info("chat.stopStream failed (%s)", describe(exc))
        placeholder = self.fallback or Placeholder(self.thread, self.lang, ts=self.ts)
        await placeholder.close(first)
