"""Adaptive Cards (schema 1.5, what Teams renders on desktop, web and mobile)
built from the engine's neutral types.

Every string that came from a user, an LLM or a glossary file goes through
`safe_text.card_plain`; our own texts come from `bot.kernel.i18n.t`.
"""

from __future__ import annotations

from typing import Any

from adapters.teams import actions
from adapters.teams.safe_text import card_markdown, card_plain, plain
from bot.kernel.i18n import t
from bot.kernel.messages import (
    Action,
    ActionKind,
    Angle,
    Document,
    GlossaryCard,
    Lang,
    QuickReply,
)

VERSION = "1.5"
CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
Card = dict[str, Any]

# The angle actions, in the order they show on the card.
_ANGLE_BUTTONS: tuple[ActionKind, ...] = ("like", "dislike", "validate", "challenge")
MAX_QUICK_REPLIES = 6  # Teams shows at most six card actions


def _card(
    body: list[dict[str, Any]], *, fallback: str, card_actions: list[dict[str, Any]] | None = None
) -> Card:
    card: Card = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": VERSION,
        "fallbackText": card_plain(plain(fallback, 300)),
        "body": body,
    }
    if card_actions:
        card["actions"] = card_actions
    return card


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _submit(title: str, action: Action) -> dict[str, Any]:
    return {"type": "Action.Submit", "title": title, "data": actions.encode(action)}


def angle_card(angle: Angle, lang: Lang, *, status: str | None = None) -> Card:
    """One angle with its like / dislike / validate / challenge / refine actions.

    `status` (engine markdown, e.g. the feedback the user just gave) is shown at
    the bottom when the card is updated in place after an action.
    """
    body: list[dict[str, Any]] = [
        _text(
            card_plain(t("teams.angle_label", lang, n=angle.n,
                         strategy=angle.strategy_name or angle.strategy), 200),
            size="Small", isSubtle=True, spacing="None",
        ),
        _text(card_plain(angle.title, 300), size="Medium", weight="Bolder", spacing="Small"),
        {
            "type": "Container",
            "style": "emphasis",
            "items": [_text(card_plain(angle.hook), style="default")],
        },
    ]
    facts = [
        {"title": t("teams.why", lang), "value": card_plain(angle.rationale)},
        {"title": t("teams.channel", lang), "value": card_plain(angle.channel, 300)},
    ]
    facts = [f for f in facts if f["value"].strip()]
    if facts:  # the schema allows an empty FactSet, Teams renders a blank gap
        body.append({"type": "FactSet", "facts": facts})
    if angle.to_validate:
        # A check with a rule entry behind it bears the number of its citation (render.py).
        cited = {s.check: i for i, s in enumerate(angle.sources, 1)}
        items = "\n".join(f"- {card_plain(item, 500)}" + (f" [{cited[item]}]" if item in cited
                                                            else "")
                           for item in angle.to_validate[:8])
        body.append(_text(f"**{t('teams.to_validate', lang)}**", color="Warning", spacing="Medium"))
        body.append(_text(items, spacing="None"))
    if angle.why:
        body.append(_text(card_markdown(t(f"angle_chosen_{angle.why}", lang)), isSubtle=True,
                          size="Small", spacing="Small"))
    if status:
        body.append({
            "type": "Container",
            "style": "accent",
            "spacing": "Medium",
            "items": [_text(card_markdown(status))],
        })
    buttons = [
        _submit(t(f"teams.{kind}", lang), Action(kind=kind, angle_id=angle.id))
        for kind in _ANGLE_BUTTONS
    ]
    buttons.append(_refine_action(angle, lang))
    return _card(body, fallback=f"{angle.n}. {angle.title}: {angle.hook}", card_actions=buttons)


def _refine_action(angle: Angle, lang: Lang) -> dict[str, Any]:
    form = {
        "type": "AdaptiveCard",
        "body": [{
            "type": "Input.Text",
            "id": actions.REFINE_INPUT_ID,
            "label": t("teams.refine_label", lang),
            "placeholder": t("teams.refine_placeholder", lang),
            "maxLength": 500,
        }],
        "actions": [
            _submit(t("teams.refine_send", lang), Action(kind="refine", angle_id=angle.id))
        ],
    }
    return {"type": "Action.ShowCard", "title": t("teams.refine", lang), "card": form}


def glossary_card(entry: GlossaryCard, lang: Lang) -> Card:
    body: list[dict[str, Any]] = [_text(card_plain(entry.term, 200), size="Large", weight="Bolder")]
    if entry.category:
        body.append(_text(card_plain(entry.category, 200), isSubtle=True, spacing="None"))
    body.append(_text(card_plain(entry.definition)))
    if entry.in_practice:
        body.append(_text(f"**{t('teams.glossary_in_practice', lang)}**", spacing="Medium"))
        body.append(_text(card_plain(entry.in_practice), spacing="None"))
    if entry.faq:
        body.append(_text(f"**{t('teams.glossary_faq', lang)}**", spacing="Medium"))
        for item in entry.faq[:5]:
            body.append(_text(f"_{card_plain(item.get('q', ''), 300)}_", spacing="Small"))
            body.append(_text(card_plain(item.get("a", "")), spacing="None"))
    if entry.related:
        related = ", ".join(card_plain(r, 80) for r in entry.related[:10])
        body.append(_text(f"**{t('teams.glossary_related', lang)}**", spacing="Medium"))
        body.append(_text(related, isSubtle=True, spacing="None"))
    return _card(body, fallback=f"{entry.term}: {entry.definition}")


def quick_replies_card(quick_replies: list[QuickReply], *, fallback: str) -> Card | None:
    """Buttons that act as if the user had typed their value (engine `say` actions)."""
    if not quick_replies:
        return None
    # A value too long to be a command (never the engine's own) gets no button
    # rather than failing the whole answer.
    buttons = [
        _submit(plain(q.label, 40), Action(kind="say", value=q.value))
        for q in quick_replies if len(q.value) <= actions.MAX_VALUE
    ][:MAX_QUICK_REPLIES]
    if not buttons:
        return None
    return _card([], fallback=fallback, card_actions=buttons)


def export_card(document: Document, lang: Lang) -> Card:
    """The export document as a card: one heading and one text block per section
    (Adaptive Card text has no headings, so "##" and "###" become bold lines)."""
    body: list[dict[str, Any]] = [
        _text(card_plain(document.title, 200), size="Large", weight="Bolder"),
    ]
    for section in document.markdown.split("\n## ")[1:]:
        heading, _, content = section.partition("\n")
        lines = [f"**{line[4:].strip()}**" if line.startswith("### ") else line
                 for line in content.strip().splitlines()]
        body.append(_text(card_plain(heading.strip(), 200), weight="Bolder", spacing="Medium"))
        text = card_markdown("\n".join(lines))
        if text.strip():
            body.append(_text(text, spacing="Small"))
    body.append(_text(t("teams.export_file", lang), isSubtle=True, spacing="Medium"))
    return _card(body, fallback=document.title)
