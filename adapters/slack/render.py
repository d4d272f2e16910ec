"""Neutral `Reply` -> Slack messages made of Block Kit blocks (plain dicts, adapters.slack.blocks).

Every text goes through `mrkdwn.markdown_to_mrkdwn` (escaped) and every mrkdwn
object is `verbatim`, so Slack never auto-parses mentions out of content. Limits
are respected by construction: a section holds at most 3,000 characters, a
message at most 50 blocks; longer replies become several messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from adapters.slack import actions, blocks
from adapters.slack.blocks import Block
from adapters.slack.mrkdwn import escape, markdown_to_mrkdwn, plain
from bot.kernel.i18n import t
from bot.kernel.messages import Angle, GlossaryCard, Lang, QuickReply, Reply

SECTION_MAX = 3000
BLOCKS_MAX = 50
FALLBACK_MAX = 3000  # the notification text; Slack allows more, nobody reads more
BUTTONS_PER_ROW = 5
# "Did you mean" buttons are numbered from here, so a click tells them from quick replies.
SUGGESTION_BASE = 100
# Kinds whose content a model wrote: they get Slack's message-level feedback buttons.
AI_KINDS = frozenset({"angles", "critique"})


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """One chat.postMessage / chat.update payload: blocks plus the notification text."""

    blocks: list[dict[str, Any]]
    text: str


def sections(markdown: str, *, block_id: str | None = None) -> list[Block]:
    """Markdown as one or more sections of at most 3,000 characters each."""
    chunks = split_text(markdown_to_mrkdwn(markdown), SECTION_MAX)
    return [
        blocks.section(chunk, block_id=block_id if i == 0 else None)
        for i, chunk in enumerate(chunks)
    ]


def split_text(text: str, limit: int) -> list[str]:
    """Cut at paragraph, then line, then word boundaries so that each piece fits."""
    text = text.strip()
    pieces: list[str] = []
    while len(text) > limit:
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = text.rfind(sep, 0, limit)
            if cut > 0:
                break
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].strip()
    if text:
        pieces.append(text)
    return pieces


def button(label: str, kind: str, n: int, value: str, *, style: str | None = None) -> Block:
    return blocks.button(plain(label, 75), action_id=actions.action_id(kind, n),
                         value=actions.button_value(value), style=style)


def button_rows(buttons: Sequence[Block], *, block_id: str) -> list[Block]:
    rows = [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
    return [
        blocks.actions(list(row), block_id=f"{block_id}.{i}" if i else block_id)
        for i, row in enumerate(rows)
    ]


# ---------------------------------------------------------------- angles


def angle_blocks(angle: Angle, lang: Lang) -> list[Block]:
    strategy = angle.strategy_name or angle.strategy
    lines = [
        f"**{angle.n}. {angle.title}**  _{strategy}_",
        "",
        f"> {angle.hook}",
        "",
        angle.rationale,
    ]
    if angle.channel:
        lines += ["", f"📣 {t('slack.angle.channel', lang)}: {angle.channel}"]
    if angle.to_validate:
        lines += ["", f"⚠️ {t('slack.angle.to_validate', lang)}: " + " · ".join(angle.to_validate)]
    if angle.why:
        lines += ["", t(f"angle_chosen_{angle.why}", lang)]
    n = angle.n
    buttons = [
        button(t("slack.button.like", lang), "like", n, angle.id),
        button(t("slack.button.dislike", lang), "dislike", n, angle.id),
        button(t("slack.button.validate", lang), "validate", n, angle.id, style="primary"),
        button(t("slack.button.refine", lang), "refine", n, angle.id),
        button(t("slack.button.challenge", lang), "challenge", n, angle.id),
    ]
    return [
        *sections("\n".join(lines), block_id=f"angle.{n}"),
        blocks.actions(buttons, block_id=f"acts.{n}"),
        blocks.divider(),
    ]


# ---------------------------------------------------------------- glossary


def glossary_blocks(card: GlossaryCard, lang: Lang) -> list[Block]:
    out: list[Block] = [blocks.header(plain(card.term, 150))]
    if card.category:
        out.append(blocks.context(escape(card.category)))
    out += sections(card.definition)
    if card.in_practice:
        out += sections(f"**{t('slack.glossary.in_practice', lang)}**\n{card.in_practice}")
    for qa in card.faq[:5]:
        out += sections(f"**{qa.get('q', '')}**\n{qa.get('a', '')}")
    if card.related:
        related = ", ".join(card.related)
        out.append(blocks.context(
            markdown_to_mrkdwn(f"{t('slack.glossary.related', lang)}: {related}")))
    return out


_GLOSSARY_SAY = re.compile(r"^\s*(?:glossary|glossaire)\s+(.+)$", re.IGNORECASE)


def glossary_terms(reply: Reply) -> list[QuickReply]:
    """Look-ups a reply offers, as (label, query): its did-you-mean suggestions and
    its glossary quick replies ("Read in French" -> "ROI fr")."""
    found = [QuickReply(term, term) for term in reply.suggestions if term]
    for quick in reply.quick_replies:
        match = _GLOSSARY_SAY.match(quick.value)
        if match:
            found.append(QuickReply(quick.label, match.group(1).strip()))
    unique = {q.value: q for q in reversed(found)}  # first label wins
    return [unique[v] for v in dict.fromkeys(q.value for q in found)]


def suggestion_buttons(
    suggestions: Iterable[str | QuickReply], *, slash: bool
) -> list[Block]:
    """'Did you mean' buttons: a new ephemeral card (slash) or a message to the engine."""
    out = []
    for i, item in enumerate(list(suggestions)[:10]):
        label, term = (item.label, item.value) if isinstance(item, QuickReply) else (item, item)
        if slash:
            out.append(button(label, "gloss_pick", i, term[:200]))
        else:
            out.append(button(label, "say", SUGGESTION_BASE + i, f"glossary {term}"[:200]))
    return out


# ---------------------------------------------------------------- replies


def reply_groups(reply: Reply, *, slash: bool = False) -> list[list[Block]]:
    """The blocks of a reply in reading order, grouped so that a split never
    separates an angle from its buttons."""
    lang = reply.lang
    groups: list[list[Block]] = []
    if reply.angles:
        if reply.intro:
            groups.append(sections(reply.intro))
        groups += [angle_blocks(angle, lang) for angle in reply.angles]
        if reply.outro:  # the caution that closes the answer's text
            groups.append([blocks.context(markdown_to_mrkdwn(reply.outro)[:SECTION_MAX])])
    elif reply.glossary is not None:
        groups.append(glossary_blocks(reply.glossary, lang))
        if slash:
            # The language travels with the term: the card is shared as it was read.
            shared = f"{reply.glossary.term[:190]} {lang}"
            share = button(t("slack.button.share", lang), "gloss_share", 0, shared)
            groups.append([blocks.actions([share], block_id="share")])
    else:
        groups.append(sections(reply.text or "…"))
    if slash:
        # An ephemeral answer cannot take "say" buttons (their answer would be posted
        # for everyone): glossary look-ups become new ephemeral cards, the rest is dropped.
        terms = glossary_terms(reply)
        if terms:
            groups.append(button_rows(suggestion_buttons(terms, slash=True), block_id="suggest"))
    elif reply.quick_replies:
        groups.append(button_rows(quick_reply_buttons(reply.quick_replies), block_id="qr"))
    elif reply.suggestions:
        groups.append(
            button_rows(suggestion_buttons(reply.suggestions, slash=False), block_id="suggest")
        )
    notices = [blocks.context(markdown_to_mrkdwn(n)[:SECTION_MAX]) for n in reply.notices[:10]]
    if notices:
        groups.append(list(notices))
    if reply.kind in AI_KINDS and not slash:
        groups.append([feedback_block(lang)])
    return groups


def feedback_block(lang: Lang) -> Block:
    """Slack's thumbs under an answer: feedback on the whole answer, learned
    like the per-angle buttons (adapters.slack.actions decodes them)."""
    return blocks.feedback_buttons(
        block_id="feedback", action_id=actions.action_id("feedback", 0),
        positive=("👍", "like", t("slack.feedback.positive", lang)),
        negative=("👎", "dislike", t("slack.feedback.negative", lang)),
    )


def pack(groups: Sequence[Sequence[Block]], limit: int = BLOCKS_MAX) -> list[list[Block]]:
    """Fill messages of at most `limit` blocks; only a group too big alone is split."""
    messages: list[list[Block]] = [[]]
    for group in groups:
        if messages[-1] and len(messages[-1]) + len(group) > limit:
            messages.append([])
        for block in group:
            if len(messages[-1]) >= limit:
                messages.append([])
            messages[-1].append(block)
    return [m for m in messages if m]


def quick_reply_buttons(quick: Sequence[QuickReply]) -> list[Block]:
    return [
        button(q.label, "say", i, q.value[: actions.MAX_VALUE]) for i, q in enumerate(quick[:25])
    ]


def render_reply(reply: Reply, *, slash: bool = False) -> list[SlackMessage]:
    """A reply as one or more Slack messages, each within Block Kit's limits."""
    fallback = escape(plain(reply.text.replace("**", "") or "…", FALLBACK_MAX))
    messages = []
    for i, part in enumerate(pack(reply_groups(reply, slash=slash))):
        text = (
            fallback if i == 0 else f"{t('slack.continued', reply.lang)} {fallback}"[:FALLBACK_MAX]
        )
        messages.append(SlackMessage(blocks=part, text=text))
    return messages or [SlackMessage(blocks=[], text=fallback)]


def text_message(markdown: str) -> SlackMessage:
    """A short notice (rate limit, apology) as a message."""
    return SlackMessage(
        blocks=sections(markdown),
        text=escape(plain(markdown, FALLBACK_MAX)),
    )
