"""Posting an answer: a placeholder while the engine works, then the final blocks.

Fast answers are posted directly. When the engine takes longer than
`placeholder_after_s` (an LLM), a "… thinking" message appears in the thread,
is updated with the engine's progress (throttled: chat.update is rate limited),
and finally becomes the answer's first message; further messages (long
answers split to Block Kit's limits) follow in the same thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.mrkdwn import markdown_to_mrkdwn
from adapters.slack.render import SlackMessage, md, render_reply, text_message
from bot.i18n import t
from bot.messages import Lang, Message, Reply

log = logging.getLogger(__name__)

SLACK_ERRORS = (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError, OSError)
Handle = Callable[..., Awaitable[Reply]]


class Thread:
    """Messages of the bot in one channel / thread."""

    def __init__(self, client: AsyncWebClient, *, channel: str, thread_ts: str | None) -> None:
        self.client = client
        self.channel = channel
        self.thread_ts = thread_ts

    async def post(self, message: SlackMessage) -> str | None:
        resp = await self.client.chat_postMessage(
            channel=self.channel,
            thread_ts=self.thread_ts,
            text=message.text,
            blocks=message.blocks or None,
            unfurl_links=False,
            unfurl_media=False,
        )
        return resp.get("ts")

    async def update(self, ts: str, message: SlackMessage) -> None:
        await self.client.chat_update(
            channel=self.channel, ts=ts, text=message.text, blocks=message.blocks
        )

    async def whisper(self, user: str, message: SlackMessage) -> None:
        """An ephemeral message only `user` sees (rate limit, errors on a click)."""
        await self.client.chat_postEphemeral(
            channel=self.channel,
            user=user,
            thread_ts=self.thread_ts,
            text=message.text,
            blocks=message.blocks or None,
        )


class Progress:
    """The placeholder message: posted on first need, then updated with the latest
    progress text at most once per `min_interval_s`.

    `show` never waits for Slack: the engine's generation must not slow down
    because chat.update is slow or rate limited. Intermediate texts are
    coalesced; the final answer replaces whatever is pending.
    """

    def __init__(self, thread: Thread, lang: Lang, *, min_interval_s: float = 2.0) -> None:
        self.thread = thread
        self.lang = lang
        self.ts: str | None = None
        self._min_interval = min_interval_s
        self._lock = asyncio.Lock()  # one Slack call at a time for this message
        self._latest: str | None = None
        self._pending = False
        self._task: asyncio.Task[None] | None = None
        self._done = False

    async def show(self, text: str | None = None) -> None:
        if self._done:
            return
        self._latest = text
        self._pending = True
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._flush())

    async def _flush(self) -> None:
        while self._pending and not self._done:
            self._pending = False
            async with self._lock:
                if self._done:
                    return
                message = self._placeholder(self._latest)
                try:
                    if self.ts is None:
                        self.ts = await self.thread.post(message)
                    else:
                        await self.thread.update(self.ts, message)
                except SLACK_ERRORS as exc:
                    log.warning("progress message failed: %s", type(exc).__name__)
                    return
            await asyncio.sleep(self._min_interval)

    def _placeholder(self, text: str | None) -> SlackMessage:
        shown = f"_{markdown_to_mrkdwn(text)}_" if text else t("slack.thinking", self.lang)
        return SlackMessage(blocks=[{"type": "context", "elements": [md(shown).to_dict()]}],
                            text=t("slack.thinking", self.lang))

    async def finish(self, messages: list[SlackMessage]) -> None:
        self._done = True
        async with self._lock:  # waits for an in-flight placeholder post, so we know its ts
            if self._task is not None and not self._task.done():
                self._task.cancel()  # only ever cancelled while sleeping between updates
            first, rest = messages[0], messages[1:]
            if self.ts is not None:
                await self.thread.update(self.ts, first)
            else:
                await self.thread.post(first)
        for message in rest:
            await self.thread.post(message)


class LiveSlots:
    """How many answers may show live progress at once, per process.

    Progress costs a chat.update per step (Slack allows about one per second
    per channel and a few dozen a minute per workspace) and, with an LLM, a
    streamed instead of a plain call. In a burst, answers beyond the budget
    keep a static "… thinking" placeholder and get their answer sooner.
    """

    def __init__(self, limit: int = 16) -> None:
        self.limit = limit
        self.in_use = 0

    def take(self) -> bool:
        if self.in_use >= self.limit:
            return False
        self.in_use += 1
        return True

    def give_back(self) -> None:
        self.in_use -= 1


async def answer(
    handle: Handle,
    message: Message,
    thread: Thread,
    *,
    lang: Lang,
    placeholder_after_s: float = 0.5,
    live: LiveSlots | None = None,
) -> Reply | None:
    """Run the engine on `message` and post its reply in `thread`. Never raises."""
    progress = Progress(thread, lang)
    live_slot = live.take() if live is not None else True
    try:
        return await _answer(handle, message, thread, progress, lang=lang,
                             placeholder_after_s=placeholder_after_s, live_progress=live_slot)
    finally:
        if live is not None and live_slot:
            live.give_back()


async def _answer(handle: Handle, message: Message, thread: Thread, progress: Progress, *,
                  lang: Lang, placeholder_after_s: float, live_progress: bool) -> Reply | None:
    async def on_progress(text: str) -> None:
        await progress.show(text)

    task = asyncio.ensure_future(handle(message, progress=on_progress if live_progress else None))
    done, _ = await asyncio.wait({task}, timeout=placeholder_after_s)
    if not done:
        await progress.show()
    reply: Reply | None = None
    try:
        reply = await task
        messages = render_reply(reply)
    except Exception:  # the engine promises not to raise; if it does, apologise once
        log.exception("engine or rendering failed for a Slack message")
        messages = [text_message(t("slack.sorry", reply.lang if reply else lang))]
    try:
        await progress.finish(messages)
    except SLACK_ERRORS as exc:
        log.error("could not post the answer in %s: %s", thread.channel, _describe(exc))
    return reply


def _describe(exc: BaseException) -> str:
    if isinstance(exc, SlackApiError):
        data: Any = exc.response.data if exc.response is not None else {}
        return f"Slack error {data.get('error') if isinstance(data, dict) else data!r}"
    return type(exc).__name__
