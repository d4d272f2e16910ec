"""The engine's `Reply` -> the Teams activities that show it.

An answer with angles becomes a short header message (intro, assumptions,
notices, quick replies) followed by one Adaptive Card per angle, so that a
click on a card can redraw exactly that card in place. Everything the engine
or an LLM wrote is marked as AI-generated, and the header of an answer carries
Teams' built-in feedback buttons.

Teams refuses a message over about 28 KB, and an LLM answer can be any size:
every activity is measured as the JSON that goes on the wire and, when too
big, built again from shorter texts (`fitted`) until it fits.
"""

from __future__ import annotations

import base64
import copy
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from botbuilder.schema import Activity, ActivityTypes, Attachment, Entity

from adapters.teams import cards, citations
from adapters.teams.safe_text import message_markdown
from adapters.teams.wire import CardAttachment, activity_json
from bot.ideas import render as engine_text
from bot.kernel.i18n import t
from bot.kernel.messages import Angle, CheckSource, Document, GlossaryCard, Lang, Reply

log = logging.getLogger(__name__)

# Teams' limit is about 28 KB for the whole activity; the SDK adds the
# conversation reference (a few hundred bytes) after we build it.
MAX_ACTIVITY_BYTES = 26_000
# Our own words, card structure and ids: well under this many bytes.
_FIXED_BYTES = 6000
_SURE_CHARS = (MAX_ACTIVITY_BYTES - _FIXED_BYTES) // 12
# Longest text per field on each try; None: the renderers' own limits.
_TEXT_LIMITS: tuple[int | None, ...] = (None, 1500, 600, 250, 100)

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
    return CardAttachment(content_type=cards.CONTENT_TYPE, content=card)


def _message(text: str | None = None, *, card: cards.Card | None = None,
             ai: bool = False, feedback_loop: bool = False,
             sources: Sequence[CheckSource] = (), lang: Lang = "en") -> Activity:
    """`sources`: the rule entries behind checks shown in this message, cited the
    Teams way (a line of [n] marks at the end of the text, Claims in the entity)."""
    activity = OutgoingActivity(type=ActivityTypes.message)
    if sources:
        line = citations.checks_source_line(sources, lang)
        text = f"{text}\n\n{line}" if text else line
    if text:
        activity.text = text
        activity.text_format = "markdown"
    if card is not None:
        activity.attachments = [attachment(card)]
    if sources:
        activity.entities = citations.cited(sources, ai=ai)
    elif ai:
        activity.entities = [AIGeneratedEntity()]
    if feedback_loop:
        activity.channel_data = {"feedbackLoopEnabled": True}
    return activity


def activity_bytes(activity: Activity) -> int:
    """Size on the wire: aiohttp sends `json=` with json.dumps' ASCII escapes."""
    return len(json.dumps(activity_json(activity)))


def fitted(build: Callable[[int | None], Activity], *, chars: int) -> Activity:
    """The first of `build(limit)` for shrinking text limits that fits Teams' size.

    `chars`: how many characters of variable text the activity holds. JSON
    writes a character in at most 12 bytes (a surrogate pair as two \\u
    escapes), so below `_SURE_CHARS` it fits without being measured (most
    activities: measuring costs as much as building)."""
    activity = build(None)
    if chars <= _SURE_CHARS:
        return activity
    for limit in _TEXT_LIMITS:
        activity = build(limit) if limit is not None else activity
        if activity_bytes(activity) <= MAX_ACTIVITY_BYTES:
            return activity
    log.warning("an activity is still %d bytes at the shortest texts", activity_bytes(activity))
    return activity


def _chars(*texts: str | None) -> int:
    return sum(len(x) for x in texts if x)


def _quick_chars(reply: Reply) -> int:
    return sum(len(q.label) + len(q.value) for q in reply.quick_replies)


def _cut(text: str, limit: int | None) -> str:
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def _shorter_angle(angle: Angle, limit: int | None) -> Angle:
    if limit is None:
        return angle
    return replace(
        angle, title=_cut(angle.title, min(limit, 300)), hook=_cut(angle.hook, limit),
        rationale=_cut(angle.rationale, limit), channel=_cut(angle.channel, min(limit, 300)),
        to_validate=[_cut(c, limit // 3) for c in angle.to_validate[:8]],
        strategy_name=_cut(angle.strategy_name, 100),
        # Still the same checks: the card marks them by their shortened text.
        sources=[replace(s, check=_cut(s.check, limit // 3)) for s in angle.sources],
    )


def _shorter_entry(entry: GlossaryCard, limit: int | None) -> GlossaryCard:
    if limit is None:
        return entry
    return replace(
        entry, definition=_cut(entry.definition, limit), in_practice=_cut(entry.in_practice, limit),
        faq=[{"q": _cut(f.get("q", ""), limit // 3), "a": _cut(f.get("a", ""), limit // 2)}
             for f in entry.faq[:5]],
    )


def typing_activity() -> Activity:
    return OutgoingActivity(type=ActivityTypes.typing)


def text_activity(text: str) -> Activity:
    """Our own words (welcome, apology): no AI label, no feedback buttons."""
    return fitted(lambda limit: _message(message_markdown(_cut(text, limit))), chars=len(text))


def reply_activities(reply: Reply) -> list[Activity]:
    ai = reply.kind in AI_KINDS
    buttons = cards.quick_replies_card(
        reply.quick_replies, fallback=engine_text.short(reply.text, 200)
    )
    if reply.document is not None:
        return export_activities(reply, reply.document, buttons)
    if reply.kind == "glossary" and reply.glossary is not None:
        entry = reply.glossary
        # The card, fitted to Teams' size limit, and a line citing the glossary entry
        # the Teams way (pop-up on "[1]").
        source = message_markdown(citations.glossary_source_line(entry, reply.lang))

        def glossary_message(limit: int | None) -> Activity:
            shorter = _shorter_entry(entry, limit)
            activity = _message(source, card=cards.glossary_card(shorter, reply.lang))
            activity.entities = [citations.CitedMessageEntity(
                citation=[citations.glossary_claim(shorter, reply.lang)])]
            return activity

        # The entry goes twice (the card, and the citation's pop-up as a JSON string,
        # escaped once more): counted three times, and measured when that is a lot.
        cited = fitted(glossary_message, chars=3 * _chars(
            entry.term, entry.category, entry.definition, entry.in_practice,
            *(f.get("q", "") + f.get("a", "") for f in entry.faq), *entry.related))
        extra = [_message(card=buttons)] if buttons else []
        return [cited, *extra]
    if reply.kind != "angles" or not reply.angles:
        return [fitted(lambda limit: _message(message_markdown(_cut(reply.text, limit)),
                                              card=buttons, ai=ai, feedback_loop=ai),
                       chars=len(reply.text) + _quick_chars(reply))]
    head = header_text(reply)
    header = fitted(lambda limit: _message(
        message_markdown(_cut(head, limit)), card=buttons, ai=True, feedback_loop=True,
        sources=reply.sources, lang=reply.lang,
    ), chars=len(head) + _quick_chars(reply) + _sources_chars(reply.sources))
    return [header, *(angle_activity(a, reply.lang) for a in reply.angles)]


def export_activities(reply: Reply, document: Document,
                      buttons: cards.Card | None) -> list[Activity]:
    """The export: the reply's words, the document as a card, and the same
    document as a Markdown file to download and edit."""
    intro = _message(message_markdown(reply.text), card=buttons)
    shown = _message(card=cards.export_card(document, reply.lang))
    payload = base64.b64encode(document.markdown.encode()).decode("ascii")
    shown.attachments.append(Attachment(content_type="text/markdown", name=document.filename,
                                        content_url=f"data:text/markdown;base64,{payload}"))
    return [intro, shown]


def angle_activity(angle: Angle, lang: Lang, *, status: str | None = None) -> Activity:
    return fitted(lambda limit: _message(
        card=cards.angle_card(_shorter_angle(angle, limit), lang,
                              status=_cut(status, limit) if status else status),
        ai=True, sources=angle.sources, lang=lang,
    ), chars=_chars(angle.title, angle.hook, angle.rationale, angle.channel,
                    angle.strategy_name, status, *angle.to_validate)
       + _sources_chars(angle.sources))


def _sources_chars(sources: Sequence[CheckSource]) -> int:
    return sum(len(s.title) + len(s.source) + len(s.check) for s in sources)


def header_text(reply: Reply) -> str:
    """What comes before the angles, which the cards show, then the answer's
    closing line (the caution: leads, not facts) that `text` ends with."""
    head = reply.intro or t("teams.angles_intro", reply.lang, count=len(reply.angles))
    return f"{head}\n\n{reply.outro}" if reply.outro else head
