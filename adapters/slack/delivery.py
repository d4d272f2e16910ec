"""Posting an answer: progress while the engine works, then the final blocks.

Fast answers are posted directly. When the engine takes longer than
`placeholder_after_s` (an LLM), progress appears in the thread: streamed with
Slack's chat streaming where it can (adapters.slack.streaming), otherwise a
"… thinking" message updated with chat.update (adapters.slack.progress); it
finally becomes the answer's first message, and further messages (long
answers split to Block Kit's limits) follow in the same thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from adapters.slack import export
from adapters.slack.progress import Placeholder, Progress
from adapters.slack.render import render_reply, text_message
from adapters.slack.streaming import Streaming, StreamSurface
from adapters.slack.thread import SLACK_ERRORS, Thread, describe
from bot.kernel.i18n import t
from bot.kernel.messages import Lang, Message, Reply

log = logging.getLogger(__name__)

Handle = Callable[..., Awaitable[Reply]]


class LiveSlots:
    """How many answers may show live progress at once, per process.

    Progress costs a Slack call per step (chat.update allows about one per
    second per channel and a few dozen a minute per workspace) and, with an
    LLM, a streamed instead of a plain call. In a burst, answers beyond the
    budget keep a static "… thinking" placeholder and get their answer sooner.
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
    streaming: Streaming | None = None,
) -> Reply | None:
    """Run the engine on `message` and post its reply in `thread`. Never raises."""
    live_slot = live.take() if live is not None else True
    if live_slot and streaming is not None and streaming.can_stream(thread):
        stream = StreamSurface(thread, lang, streaming)
        progress = Progress(thread, stream, min_interval_s=streaming.interval_s)
    else:
        progress = Progress(thread, Placeholder(thread, lang))
    try:
        return await _answer(handle, message, progress, lang=lang,
                             placeholder_after_s=placeholder_after_s, live_progress=live_slot)
    finally:
        if live is not None and live_slot:
            live.give_back()


async def _answer(handle: Handle, message: Message, progress: Progress, *,
                  lang: Lang, placeholder_after_s: float, live_progress: bool) -> Reply | None:
    # `progress` is the engine's callback: texts, and with an LLM each angle as written.
    task = asyncio.ensure_future(handle(message, progress=progress if live_progress else None))
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
    except SLACK_ERRORS as exc:  # slack_sdk has already tried again (adapters.slack.app)
        log.error("answer not delivered (conversation=%s, channel=%s) after retries: %s",
                  message.conversation_id, progress.thread.channel, describe(exc))
    if reply is not None and reply.document is not None:
        await export.share(progress.thread, reply.document, reply.lang)
    return reply
