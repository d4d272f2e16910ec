"""The Teams activity handler: each turn decodes the activity, checks it once,
hands the work to `Deliveries` and returns at once (the HTTP response never
waits for the engine). No business rule lives here."""

from __future__ import annotations

import html
import logging
from dataclasses import replace
from http import HTTPStatus

from botbuilder.core import CardFactory, InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, ChannelAccount, ThumbnailCard
from botbuilder.schema.teams import (
    MessagingExtensionAttachment,
    MessagingExtensionQuery,
    MessagingExtensionResponse,
    MessagingExtensionResult,
    TeamInfo,
)
from msrest.exceptions import DeserializationError

from adapters.teams import actions, inbound, render
from adapters.teams.cards import CONTENT_TYPE, glossary_card
from adapters.teams.proactive import Deliveries, Typing
from adapters.teams.safe_text import plain
from adapters.teams.streaming import STREAM_INTERVAL_S, StreamSlots, TeamsStream
from bot.engine import Engine
from bot.kernel.i18n import t
from bot.kernel.messages import Action, Lang, Message, Reply

log = logging.getLogger(__name__)

SEARCH_PARAMETER = "searchQuery"  # the message extension parameter in manifest.json
SEARCH_LIMIT = 10


class SymbioseTeamsBot(TeamsActivityHandler):
    def __init__(self, *, engine: Engine, deliveries: Deliveries, default_lang: Lang) -> None:
        self._engine = engine
        self._deliveries = deliveries
        self._default_lang = default_lang
        # Teams' streaming protocol in personal chats (adapters/teams/streaming.py).
        self.streaming = True
        self.stream_interval_s = STREAM_INTERVAL_S
        self.stream_slots = StreamSlots()

    # -- messages and card actions ---------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        action: Action | None = None
        if activity.value is not None:
            action = inbound.card_action(activity)
            if action is None:
                return  # a card we did not issue
            text = action.value if action.kind == "say" and action.value else ""
        else:
            if (
                inbound.conversation_type(activity) == "channel"
                and not inbound.mentions_bot(activity)
            ):
                return  # in a channel the bot only speaks when spoken to
            text = inbound.message_text(activity)
        message = inbound.to_message(activity, text=text, action=action)
        if await self._refused(turn_context, message):
            return
        card_id = activity.reply_to_id if action is not None else None
        reference = TurnContext.get_conversation_reference(activity)

        async def answer(context: TurnContext) -> None:
            await self._answer(context, message, card_id=card_id)

        self._deliveries.start(reference, answer)

    async def _answer(self, context: TurnContext, message: Message, *,
                      card_id: str | None) -> None:
        lang = message.lang or self._default_lang
        context.turn_state[inbound.LANG_STATE_KEY] = lang
        # In a personal chat, a new answer (not a card being redrawn) streams with
        # Teams' protocol once the engine reports progress. Elsewhere no `progress`
        # callback: the typing indicator is all Teams would show, and without one
        # the engine makes a plain model call (most of a burst's CPU otherwise).
        slot = self.streaming and _streamable(message) and self.stream_slots.take()
        stream = TeamsStream(context, lang, interval_s=self.stream_interval_s) if slot else None
        try:
            async with Typing(context).active(until=lambda: stream is not None and stream.started):
                reply = await self._engine.handle(message, progress=stream)
            if stream is not None:
                await stream.close()
        finally:
            if slot:
                self.stream_slots.give_back()
        if stream is not None and stream.started:
            activities = render.reply_activities(reply)
            await context.send_activities([stream.final(activities[0]), *activities[1:]])
            return
        action = message.action
        if action is not None and action.kind in actions.ANGLE_KINDS and card_id:
            updated = _card_update(reply, action)
            if updated is not None:
                updated.id = card_id
                await context.update_activity(updated)
                if reply.kind == "critique":  # new content: it goes below, in the conversation
                    await context.send_activities(render.reply_activities(reply))
                return
        await context.send_activities(render.reply_activities(reply))

    async def _refused(self, turn_context: TurnContext, message: Message) -> bool:
        """The engine's admission (a redelivery, a user going too fast); its notice,
        if any, is sent like an answer."""
        admission = await self._engine.admit(message)
        if admission.admitted:
            return False
        notice = admission.notice
        if notice is not None:
            reference = TurnContext.get_conversation_reference(turn_context.activity)

            async def tell(context: TurnContext) -> None:
                await context.send_activity(render.text_activity(notice.text))

            self._deliveries.start(reference, tell)
        return True

    # -- Teams' built-in feedback buttons ---------------------------------------

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        if turn_context.activity.name == "message/submitAction":
            return await self._on_feedback(turn_context)
        try:
            return await super().on_invoke_activity(turn_context)
        except DeserializationError:
            # The SDK reads the invoke's `value` into its models: one that does not fit
            # (e.g. a search without a parameter list) is a bad request, not our failure.
            return InvokeResponse(status=HTTPStatus.BAD_REQUEST)

    async def _on_feedback(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        action = actions.feedback_action(activity.value)
        if action is None:
            return InvokeResponse(status=HTTPStatus.BAD_REQUEST)
        message = inbound.to_message(activity, text="", action=action)
        if (await self._engine.admit(message)).admitted:
            reference = TurnContext.get_conversation_reference(activity)

            async def record(_context: TurnContext) -> None:
                # Teams confirms the feedback itself; the engine's reply is not shown.
                await self._engine.handle(message)

            self._deliveries.start(reference, record)
        return InvokeResponse(status=HTTPStatus.OK)

    # -- glossary message extension --------------------------------------------

    async def on_teams_messaging_extension_query(
        self, turn_context: TurnContext, query: MessagingExtensionQuery
    ) -> MessagingExtensionResponse:
        activity = turn_context.activity
        lang = inbound.locale_lang(activity.locale) or self._default_lang
        search = inbound.to_message(activity, text="")
        admission = await self._engine.admit(replace(search, delivery_ids=()))
        if not admission.admitted:
            if admission.notice is None:  # already told in this window: no results
                return MessagingExtensionResponse(compose_extension=MessagingExtensionResult(
                    type="result", attachment_layout="list", attachments=[]))
            # Teams shows a "message" result as a line of text under the search box.
            return MessagingExtensionResponse(compose_extension=MessagingExtensionResult(
                type="message", text=plain(admission.notice.text, 300)))
        text = ""
        for parameter in query.parameters or []:
            if parameter.name == SEARCH_PARAMETER and isinstance(parameter.value, str):
                text = parameter.value.strip()[:200]
        found = self._engine.glossary.search(text, lang, SEARCH_LIMIT) if text else []
        results = [
            MessagingExtensionAttachment(
                content_type=CONTENT_TYPE,
                content=glossary_card(entry, lang),
                # A thumbnail card's title and text are read as HTML by Teams.
                preview=CardFactory.thumbnail_card(ThumbnailCard(
                    title=html.escape(plain(entry.term, 80), quote=False),
                    text=html.escape(plain(entry.definition, 120), quote=False),
                )),
            )
            for entry in found
        ]
        return MessagingExtensionResponse(
            compose_extension=MessagingExtensionResult(
                type="result", attachment_layout="list", attachments=results
            )
        )

    # -- welcome ------------------------------------------------------------------

    async def on_teams_members_added_dispatch(
        self, members_added: list[ChannelAccount], team_info: TeamInfo, turn_context: TurnContext
    ) -> None:
        # Overridden so that no member lookup is made: we only care whether *we* were added.
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        if not any(m.id == bot_id for m in members_added or []):
            return
        added = inbound.to_message(activity, text="")
        if not (await self._engine.admit(added, limit=False)).admitted:
            return
        lang = inbound.locale_lang(activity.locale) or self._default_lang
        reference = TurnContext.get_conversation_reference(activity)

        async def welcome(context: TurnContext) -> None:
            await context.send_activity(render.text_activity(t("teams.welcome", lang)))

        self._deliveries.start(reference, welcome)


def _streamable(message: Message) -> bool:
    """Teams streams in one-on-one chats only; a click that redraws its card does not stream."""
    action = message.action
    return message.extras.get("conversation_type") == "personal" and (
        action is None or action.kind in ("say", "more", "go"))


def _card_update(reply: Reply, action: Action) -> Activity | None:
    """The redrawn card after a click on it, or None when the reply is not about it.

    The card's content comes from the engine's reply (`about`), never from the
    click: Teams card actions carry only ids."""
    if reply.kind == "angles" and action.kind == "refine" and reply.angles:
        return render.angle_activity(reply.angles[0], reply.lang,
                                     status=t("teams.status_refine", reply.lang))
    angle = reply.about
    if angle is None or angle.id != action.angle_id:
        return None
    if reply.kind == "feedback":
        return render.angle_activity(angle, reply.lang, status=reply.text)
    if reply.kind == "critique":
        return render.angle_activity(
            angle, reply.lang, status=t("teams.status_challenge", reply.lang)
        )
    return None
