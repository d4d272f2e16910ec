"""Slack's AI app mode: the assistant pane beside any channel, through Bolt's
`AsyncAssistant` middleware.

- a thread started -> a greeting and suggested prompts in the user's language;
- a message in the thread -> `assistant.threads.setStatus` while the engine works,
  then the answer (streamed like any threaded answer), then a title taken from
  the brief (`assistant.threads.setTitle`);
- the channel the user is looking at (`assistant_thread_started` and
  `assistant_thread_context_changed`) travels with each message as
  `extras["context_channel"]`. Bolt's default thread context store keeps it in
  the metadata of the greeting, on Slack's side, so any replica reads it back.

Like every listener, these only translate: admission, answers and wording are
the engine's (via the `Host`, which is adapters.slack.listeners.Listeners).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any, Protocol

from slack_bolt.context.get_thread_context.async_get_thread_context import AsyncGetThreadContext
from slack_bolt.context.say.async_say import AsyncSay
from slack_bolt.middleware.assistant.async_assistant import AsyncAssistant
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound
from adapters.slack.blocks import section
from adapters.slack.locale import LocaleCache
from adapters.slack.mrkdwn import plain
from adapters.slack.thread import SLACK_ERRORS, Thread, describe
from bot.kernel.i18n import t
from bot.kernel.messages import Lang, Message, Reply

log = logging.getLogger(__name__)

PROMPTS = ("brainstorm", "challenge", "glossary")  # Slack shows up to four
TITLE_MAX = 60
# A brief worth naming the thread after: a sentence, not a command ("more", "like 2").
MIN_TITLE_WORDS = 4
TITLED_KINDS = frozenset({"questions", "angles"})
_CHANNEL_ID = re.compile(r"^[A-Z0-9]{2,30}$")
_FIELD_LINE = re.compile(r"^[^\W\d][\w' /-]{0,30}\s?:\s")  # "Brand: Gourdo", "Cible : étudiants"


class Host(Protocol):
    default_lang: Lang
    locales: LocaleCache

    async def refused(self, message: Message, thread: Thread) -> bool: ...
    async def answer_in(self, message: Message, thread: Thread, lang: Lang) -> Reply | None: ...


def suggested_prompts(lang: Lang) -> list[dict[str, str]]:
    return [{"title": t(f"slack.assistant.prompt.{name}.title", lang),
             "message": t(f"slack.assistant.prompt.{name}.message", lang)} for name in PROMPTS]


def thread_title(text: str) -> str | None:
    """The thread's title from a brief: its first sentence-like line (not a
    `Field: value` line), cut at a word; None for a command."""
    for line in text.splitlines():
        line = line.strip()
        if len(line.split()) >= MIN_TITLE_WORDS and not _FIELD_LINE.match(line):
            return plain(line, TITLE_MAX)
    return None


def context_channel(context: Mapping[str, Any] | None) -> str | None:
    channel = (context or {}).get("channel_id")
    return channel if isinstance(channel, str) and _CHANNEL_ID.match(channel) else None


class AssistantPane:
    def __init__(self, host: Host) -> None:
        self.host = host

    def middleware(self) -> AsyncAssistant:
        assistant = AsyncAssistant(logger=log)
        assistant.thread_started(self.on_thread_started)
        assistant.user_message(self.on_user_message)
        # assistant_thread_context_changed: Bolt's default listener saves the new
        # context in the thread's store, which is all we need.
        return assistant

    async def on_thread_started(self, payload: dict[str, Any], say: AsyncSay,
                                client: AsyncWebClient) -> None:
        thread = payload.get("assistant_thread") or {}
        user, channel = thread.get("user_id"), thread.get("channel_id")
        thread_ts = thread.get("thread_ts")
        if not user or not channel or not thread_ts:
            return
        lang = await self.host.locales.lang(client, str(user)) or self.host.default_lang
        looking_at = context_channel(thread.get("context"))
        greeting = (t("slack.assistant.greeting_in_channel", lang, channel=looking_at)
                    if looking_at else t("slack.assistant.greeting", lang))
        try:
            # Through Bolt's `say`: the message carries the thread context as
            # metadata, which is where the default store keeps it.
            await say(text=re.sub(r"<#[A-Z0-9]+>", "#", greeting),
                      blocks=[section(greeting)])
            await client.assistant_threads_setSuggestedPrompts(
                channel_id=channel, thread_ts=thread_ts, prompts=suggested_prompts(lang),
                title=t("slack.assistant.prompts_title", lang))
        except SLACK_ERRORS as exc:
            log.warning("could not greet an assistant thread: %s", describe(exc))

    async def on_user_message(self, body: dict[str, Any], payload: dict[str, Any],
                              client: AsyncWebClient, context: Mapping[str, Any],
                              get_thread_context: AsyncGetThreadContext) -> None:
        user, channel, thread_ts = payload.get("user"), payload.get("channel"), \
            payload.get("thread_ts")
        if not user or not channel or not thread_ts or payload.get("subtype") not in (
                None, "file_share"):  # a person talking (with a file or not), as in DMs
            return
        team = inbound.team_of(body)
        lang = await self.host.locales.lang(client, str(user))
        looking_at = None
        try:
            looking_at = context_channel(await get_thread_context())
        except SLACK_ERRORS as exc:  # the context is a plus; the answer must come anyway
            log.info("assistant thread context unavailable: %s", describe(exc))
        text = inbound.plain_text(str(payload.get("text") or ""), context.get("bot_user_id"))
        message = Message(
            text=text,
            user_id=inbound.user_id(inbound.org_of(body), str(user)),
            conversation_id=inbound.conversation_id(team, channel, thread_ts, None, dm=True),
            platform="slack",
            lang=lang,
            # The assistant pane is a direct conversation: the user's own context.
            extras={**inbound.place_extras(body, channel, dm=True,
                                           user_name=self.host.locales.name(str(user))),
                    "ts": payload.get("ts"), "thread_ts": thread_ts,
                    "event_id": body.get("event_id"),
                    "assistant": True, "context_channel": looking_at},
            delivery_ids=inbound.delivery_ids(body, payload, team),
        )
        thread = Thread(client, channel=channel, thread_ts=thread_ts, team=team, user=str(user))
        if await self.host.refused(message, thread):
            return
        shown = lang or self.host.default_lang
        await self._status(client, channel, thread_ts, shown)
        reply = await self.host.answer_in(message, thread, shown)
        title = thread_title(text) if reply is not None and reply.kind in TITLED_KINDS else None
        if title:
            try:
                await client.assistant_threads_setTitle(channel_id=channel, thread_ts=thread_ts,
                                                        title=title)
            except SLACK_ERRORS as exc:
                log.info("could not title an assistant thread: %s", describe(exc))

    async def _status(self, client: AsyncWebClient, channel: str, thread_ts: str,
                      lang: Lang) -> None:
        """Slack shows it under the thread until the app's next message there."""
        try:
            await client.assistant_threads_setStatus(
                channel_id=channel, thread_ts=thread_ts, status=t("slack.assistant.status", lang),
                loading_messages=[t("slack.assistant.loading.1", lang),
                                  t("slack.assistant.loading.2", lang)])
        except SLACK_ERRORS as exc:
            log.info("could not set the assistant status: %s", describe(exc))
