"""The engine's `Reply` -> the Teams activities that show it.

An answer with angles becomes a short header message (intro, assumptions,
notices, quick replies) followed by one Adaptive Card per angle, so that a
click on a card can redraw exactly that card in place. Everything the engine
or an LLM wrote is marked as AI-generated, and the header of an answer carries
Teams' built-in feedback buttons.
"""

from __future__ import annotations

import copy
from typing import Any

from botbuilder.schema import Activity, ActivityTypes, Attachment, Entity

from adapters.teams import cards, citations
from adapters.teams.safe_text import message_markdown
from bot.ideas import render as engine_text
from bot.kernel.i18n import t
from bot.kernel.messages import Angle, Lang, Reply

# Kinds whose content a model (LLM or the strategy engine) produced.
AI_KINDS = frozenset({"angles", "critique"})


class AIGeneratedEntity(Entity):
    """The schema.org Message entity that makes Teams show the "AI generated" label."""

    _attribute_map = {
        "type": {"key": "type", "type": "str"},
        "schema_type": {"key": "@type", "type": "str"},
        "context": {"key": "@context", "type": "str"},
        "id": {"key": "@id", "type": "str"},
        "additional_type": {"key": "additionalType", "type": "[str]"},
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(type="https://schema.org/Message", **kwargs)
        self.schema_type = "Message"
        self.context = "https://schema.org"
        self.id = ""
        self.additional_type = ["AIGeneratedContent"]


class OutgoingActivity(Activity):
    """An activity built for one send.

    TurnContext deep-copies every activity it sends, so that a caller may reuse
    its own; for an Adaptive Card that walks the whole card JSON (about 0.1 ms,
    once per message of a burst). Ours are never reused, and the SDK only sets
    top-level fields on its copy (conversation reference, id, input hint), which
    a shallow copy keeps apart just as well.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> OutgoingActivity:
        return copy.copy(self)


def attachment(card: cards.Card) -> Attachment:
    return Attachment(content_type=cards.CONTENT_TYPE, content=card)


def _message(text: str | None = None, *, card: cards.Card | None = None,
             ai: bool = False, feedback_loop: bool = False) -> Activity:
    activity = OutgoingActivity(type=ActivityTypes.message)
    if text:
        activity.text = text
        activity.text_format = "markdown"
    if card is not None:
        activity.attachments = [attachment(card)]
    if ai:
        activity.entities = [AIGeneratedEntity()]
    if feedback_loop:
        activity.channel_data = {"feedbackLoopEnabled": True}
    return activity


def typing_activity() -> Activity:
    return OutgoingActivity(type=ActivityTypes.typing)


def text_activity(text: str) -> Activity:
    """Our own words (welcome, apology): no AI label, no feedback buttons."""
    return _message(message_markdown(text))


def reply_activities(reply: Reply) -> list[Activity]:
    ai = reply.kind in AI_KINDS
    buttons = cards.quick_replies_card(
        reply.quick_replies, fallback=engine_text.short(reply.text, 200)
    )
    if reply.kind == "glossary" and reply.glossary is not None:
        entry = reply.glossary
        # The card, and a line citing the glossary entry the Teams way (pop-up on "[1]").
        cited = _message(message_markdown(citations.glossary_source_line(entry, reply.lang)),
                         card=cards.glossary_card(entry, reply.lang))
        cited.entities = [citations.CitedMessageEntity(
            citation=[citations.glossary_claim(entry, reply.lang)])]
        extra = [_message(card=buttons)] if buttons else []
        return [cited, *extra]
    if reply.kind != "angles" or not reply.angles:
        return [_message(message_markdown(reply.text), card=buttons, ai=ai, feedback_loop=ai)]
    header = _message(
        message_markdown(header_text(reply)), card=buttons, ai=True, feedback_loop=True
    )
    return [header, *(angle_activity(a, reply.lang) for a in reply.angles)]


def angle_activity(angle: Angle, lang: Lang, *, status: str | None = None) -> Activity:
    return _message(card=cards.angle_card(angle, lang, status=status), ai=True)


def header_text(reply: Reply) -> str:
    """What comes before the angles, which the cards show."""
    return reply.intro or t("teams.angles_intro", reply.lang, count=len(reply.angles))
