"""Bolt listeners: each acknowledges first, then turns the payload into a
`Message`, calls the engine, and hands the `Reply` to delivery / render.

Events are acknowledged by Bolt before our function runs; commands, clicks
and modal submissions call `ack()` on their first line. Everything after the
ack runs in the background, so Slack gets its answer within milliseconds
whatever the LLM's latency.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any, Protocol

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import actions, inbound, views
from adapters.slack.assistant import AssistantPane
from adapters.slack.delivery import LiveSlots, answer
from adapters.slack.locale import LocaleCache
from adapters.slack.mrkdwn import escape, markdown_to_mrkdwn
from adapters.slack.render import SUGGESTION_BASE, render_reply, text_message
from adapters.slack.streaming import Streaming
from adapters.slack.thread import SLACK_ERRORS, Thread
from adapters.slack.updates import mark_angle, mark_choice
from bot.kernel.admission import Admission
from bot.kernel.i18n import t
from bot.kernel.messages import Action, Lang, Message, Reply

log = logging.getLogger(__name__)

ICONS = {"like": "👍", "dislike": "👎", "validate": "✅", "refine": "✏️", "challenge": "🥊"}
# Message subtypes that are still a person talking; all others (edits, deletions,
# joins, bot messages) are ignored.
PERSON_SUBTYPES = frozenset({"thread_broadcast", "file_share"})
_ANY_ACTION = re.compile(r".*")


class Engine(Protocol):
    async def admit(self, message: Message, *, limit: bool = True) -> Admission: ...
    async def handle(self, message: Message, *, progress: Any = None) -> Reply: ...
    async def profile(self, user_id: str, lang: Lang) -> Any: ...


class Listeners:
    def __init__(self, engine: Engine, *, default_lang: Lang, placeholder_after_s: float = 0.5,
                 streaming: Streaming | None = None):
        self.engine = engine
        self.default_lang = default_lang
        self.locales = LocaleCache()
        self.placeholder_after_s = placeholder_after_s
        self.live = LiveSlots()
        self.streaming = streaming if streaming is not None else Streaming()

    def register(self, app: AsyncApp) -> None:
        # First: Bolt's Assistant middleware takes the AI app mode's events and
        # the messages of its threads; everything else reaches the listeners below.
        app.use(AssistantPane(self).middleware())
        app.event("app_mention")(self.on_mention)
        app.event("message")(self.on_message)
        app.event("app_home_opened")(self.on_home)
        app.command("/glossary")(self.on_glossary)
        app.action(actions.ACTION_ID_PATTERN)(self.on_click)
        app.action(_ANY_ACTION)(self.on_unknown_action)
        app.view(views.REFINE_CALLBACK)(self.on_refine_submit)

    # ------------------------------------------------------------ messages

    async def on_mention(self, body: dict[str, Any], event: dict[str, Any],
                         client: AsyncWebClient, context: Mapping[str, Any]) -> None:
        await self._on_text(body, event, client, context.get("bot_user_id"))

    async def on_message(self, body: dict[str, Any], event: dict[str, Any],
                         client: AsyncWebClient, context: Mapping[str, Any]) -> None:
        # In channels only mentions are for us (they arrive as app_mention).
        if event.get("channel_type") == "im":
            await self._on_text(body, event, client, context.get("bot_user_id"))

    async def _on_text(self, body: Mapping[str, Any], event: Mapping[str, Any],
                       client: AsyncWebClient, bot_user_id: str | None) -> None:
        user, channel = event.get("user"), event.get("channel")
        subtype = event.get("subtype")
        if (not user or not channel or event.get("bot_id") or user == bot_user_id
                or (subtype and subtype not in PERSON_SUBTYPES)):
            return
        team = inbound.team_of(body)
        dm = inbound.is_dm(channel, event.get("channel_type"))
        thread = Thread(client, channel=channel, thread_ts=inbound.reply_thread(event, dm=dm),
                        team=team, user=user)
        uid = inbound.user_id(inbound.org_of(body), user)
        lang = await self.locales.lang(client, user)
        message = Message(
            text=inbound.plain_text(str(event.get("text") or ""), bot_user_id),
            user_id=uid,
            conversation_id=inbound.conversation_id(
                team, channel, event.get("thread_ts"), event.get("ts"), dm=dm),
            platform="slack",
            lang=lang,
            extras={**inbound.place_extras(body, channel, dm=dm,
                                           user_name=self.locales.name(user)),
                    "ts": event.get("ts"), "thread_ts": event.get("thread_ts"),
                    "event_id": body.get("event_id")},
            delivery_ids=inbound.delivery_ids(body, event, team),
        )
        if await self.refused(message, thread):
            return
        await self._answer(message, thread, lang or self.default_lang)

    async def _answer(self, message: Message, thread: Thread, lang: Lang) -> None:
        await self.answer_in(message, thread, lang)

    async def answer_in(self, message: Message, thread: Thread, lang: Lang) -> Reply | None:
        return await answer(self.engine.handle, message, thread, lang=lang,
                            placeholder_after_s=self.placeholder_after_s, live=self.live,
                            streaming=self.streaming)

    async def refused(self, message: Message, thread: Thread) -> bool:
        """The engine's admission; its notice, if any, only to the user concerned."""
        admission = await self.engine.admit(message)
        if admission.admitted:
            return False
        if admission.notice is not None and thread.user:
            try:
                await thread.whisper(thread.user, text_message(admission.notice.text))
            except SLACK_ERRORS as exc:
                log.warning("could not send the rate-limit notice: %s", type(exc).__name__)
        return True

    # ------------------------------------------------------------ App Home

    async def on_home(self, body: dict[str, Any], event: dict[str, Any],
                      client: AsyncWebClient) -> None:
        user = event.get("user")
        if event.get("tab") != "home" or not user:
            return
        lang = await self.locales.lang(client, user) or self.default_lang
        uid = inbound.user_id(inbound.org_of(body), user)
        home = Message(text="", user_id=uid, conversation_id=f"home:{uid}", platform="slack",
                       lang=lang, delivery_ids=(f"ev:{body.get('event_id')}",)
                       if body.get("event_id") else ())
        if not (await self.engine.admit(home)).admitted:
            return  # the tab keeps the view it was last given
        profile = await self.engine.profile(uid, lang)
        try:
            await client.views_publish(user_id=user, view=views.home_view(profile, lang))
        except SLACK_ERRORS as exc:
            log.warning("views.publish failed: %s", type(exc).__name__)

    # ------------------------------------------------------------ /glossary

    async def on_glossary(self, ack: Any, body: dict[str, Any], respond: Any,
                          client: AsyncWebClient) -> None:
        await ack()
        reply = await self._glossary(body, str(body.get("text") or ""), client)
        if reply is not None:
            await respond(**_respond_args(reply), response_type="ephemeral")

    async def _glossary(self, body: Mapping[str, Any], term: str,
                        client: AsyncWebClient) -> Reply | None:
        """The engine's glossary answer; when the user is over the rate limit, the
        notice (once per window), else None: nothing to show."""
        user = str(body.get("user_id") or (body.get("user") or {}).get("id") or "")
        channel = str(body.get("channel_id") or (body.get("channel") or {}).get("id") or "")
        team = inbound.team_of(body)
        lang = await self.locales.lang(client, user)
        message = Message(
            text="",
            user_id=inbound.user_id(inbound.org_of(body), user),
            conversation_id=inbound.conversation_id(team, channel, None, None, dm=True),
            platform="slack",
            lang=lang,
            action=Action(kind="glossary", value=term.strip()),
            # A private answer: the user's own context, whatever the channel.
            extras={**inbound.place_extras(body, channel, dm=True), "slash": "/glossary"},
        )
        admission = await self.engine.admit(message)
        if not admission.admitted:
            return admission.notice
        return await self.engine.handle(message)

    # ------------------------------------------------------------ buttons

    async def on_click(self, ack: Any, body: dict[str, Any], action: dict[str, Any],
                       client: AsyncWebClient, respond: Any) -> None:
        await ack()
        click = actions.decode(str(action.get("action_id")), action.get("value"))
        if click is None:
            log.warning("ignoring a click on an unknown action id %r", action.get("action_id"))
            return
        if click.local == "gloss_pick":
            reply = await self._glossary(body, click.value, client)
            if reply is not None:
                await respond(**_respond_args(reply), replace_original=True)
        elif click.local == "gloss_share":
            await self._share_glossary(body, click.value, client, respond)
        elif click.action is not None:
            await self._engine_click(
                body, click.action, click.n, str(action.get("action_id")), client
            )

    async def on_unknown_action(self, ack: Any, action: dict[str, Any]) -> None:
        await ack()
        log.warning("ignoring a click on an unknown action id %r", action.get("action_id"))

    async def _engine_click(self, body: Mapping[str, Any], act: Action, n: int,
                            clicked_id: str, client: AsyncWebClient) -> None:
        user = str((body.get("user") or {}).get("id") or "")
        channel = str((body.get("channel") or {}).get("id") or
                      (body.get("container") or {}).get("channel_id") or "")
        posted = body.get("message") or {}
        team = inbound.team_of(body)
        dm = inbound.is_dm(channel)
        root = posted.get("thread_ts") or (None if dm else posted.get("ts"))
        thread = Thread(client, channel=channel, thread_ts=root, team=team, user=user)
        lang = await self.locales.lang(client, user)
        uid = inbound.user_id(inbound.org_of(body), user)
        if act.kind == "refine":
            target = views.RefineTarget(act.angle_id or "", n, team, channel, root or "",
                                        lang or self.default_lang)
            await client.views_open(trigger_id=body["trigger_id"], view=views.refine_modal(target))
            return
        message = Message(
            text=act.value if act.kind == "say" and act.value else "",
            user_id=uid,
            conversation_id=inbound.conversation_id(team, channel, root, posted.get("ts"), dm=dm),
            platform="slack", lang=lang, action=act,
            extras={**inbound.place_extras(body, channel, dm=dm,
                                           user_name=self.locales.name(user)),
                    "ts": posted.get("ts"), "thread_ts": root},
        )
        if await self.refused(message, thread):
            return
        if act.kind in ("like", "dislike", "validate"):
            await self._record(message, thread, posted, n, user)
            return
        if act.kind == "say" and posted.get("ts"):
            label = _button_label(posted.get("blocks") or [], clicked_id)
            line = t(
                "slack.chosen",
                lang or self.default_lang,
                user=user,
                label=escape(label or act.value or ""),
            )
            prefix = "suggest" if n >= SUGGESTION_BASE else "qr"
            await _safe_update(
                thread, posted, mark_choice(posted.get("blocks") or [], prefix, line)
            )
        await self._answer(message, thread, lang or self.default_lang)

    async def _record(self, message: Message, thread: Thread, posted: Mapping[str, Any],
                      n: int, user: str) -> None:
        """Feedback: the engine records it; the clicked message shows it, nothing new is posted."""
        reply = await self.engine.handle(message)
        act = message.action
        if reply.kind != "feedback" or not posted.get("ts") or act is None:
            await thread.whisper(user, render_reply(reply)[0])
            return
        line = t("slack.recorded", reply.lang, icon=ICONS.get(act.kind, "•"), user=user,
                 text=markdown_to_mrkdwn(reply.text))
        await _safe_update(thread, posted, mark_angle(posted.get("blocks") or [], n, line))

    async def _share_glossary(self, body: Mapping[str, Any], term: str, client: AsyncWebClient,
                              respond: Any) -> None:
        """The card, for everyone, where /glossary was typed. Through the response_url
        (response_type in_channel), which works wherever the command did, a private
        channel or a DM between people included, where chat.postMessage would not."""
        reply = await self._glossary(body, term, client)
        if reply is None or reply.kind != "glossary":  # refused: nothing (or a notice) to share
            if reply is not None:
                await respond(**_respond_args(reply), replace_original=False)
            return
        user = str((body.get("user") or {}).get("id") or "")
        message = render_reply(reply)[0]
        shared = {"type": "context", "elements": [
            {"type": "mrkdwn", "text": t("slack.glossary.shared_by", reply.lang, user=user),
             "verbatim": True}]}
        resp = await respond(text=message.text, blocks=[*message.blocks[:49], shared],
                             response_type="in_channel", replace_original=False)
        if getattr(resp, "status_code", 200) >= 400:
            log.warning("sharing a glossary card failed: HTTP %s", resp.status_code)
            return
        await respond(delete_original=True)

    # ------------------------------------------------------------ refine modal

    async def on_refine_submit(self, ack: Any, body: dict[str, Any], view: dict[str, Any],
                               client: AsyncWebClient) -> None:
        await ack()
        target = views.RefineTarget.load(str(view.get("private_metadata") or ""))
        user = str((body.get("user") or {}).get("id") or "")
        if target is None or not user:
            log.warning("refine modal submitted without a usable target; ignored")
            return
        instruction = views.refine_instruction((view.get("state") or {}).get("values") or {})
        uid = inbound.user_id(inbound.enterprise_of(body) or target.team, user)
        thread = Thread(client, channel=target.channel, thread_ts=target.thread_ts or None,
                        team=target.team, user=user)
        dm = inbound.is_dm(target.channel)
        place = inbound.place_extras({**body, "team_id": target.team}, target.channel, dm=dm,
                                     user_name=self.locales.name(user))
        message = Message(
            text="", user_id=uid, platform="slack", lang=target.lang,
            conversation_id=inbound.conversation_id(target.team, target.channel,
                                                    target.thread_ts or None, None, dm=dm),
            action=Action(kind="refine", angle_id=target.angle_id, value=instruction),
            extras={**place, "thread_ts": target.thread_ts},
        )
        if await self.refused(message, thread):
            return
        await self._answer(message, thread, target.lang)


def _respond_args(reply: Reply) -> dict[str, Any]:
    message = render_reply(reply, slash=True)[0]
    return {"text": message.text, "blocks": message.blocks}


def _button_label(blocks: list[dict[str, Any]], action_id: str) -> str:
    for block in blocks:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id:
                return str((element.get("text") or {}).get("text") or "")
    return ""


async def _safe_update(
    thread: Thread, posted: Mapping[str, Any], blocks: list[dict[str, Any]]
) -> None:
    try:
        await thread.client.chat_update(channel=thread.channel, ts=str(posted.get("ts")),
                                        text=str(posted.get("text") or ""), blocks=blocks)
    except SLACK_ERRORS as exc:
        log.warning("could not update the clicked message: %s", type(exc).__name__)
