"""Replies that only show something: help, the brand, the shortlist, the catalogue."""

from __future__ import annotations

from bot.brief.brand import FIELDS
from bot.dialogue.turn import Turn
from bot.ideas import render
from bot.ideas.catalogue import Catalogue
from bot.kernel.i18n import colon, t
from bot.kernel.intent import Intent
from bot.kernel.messages import QuickReply, Reply
from bot.store.user_store import UserStore


async def empty(turn: Turn, intent: Intent) -> Reply:
    return turn.error("empty")


async def help_(turn: Turn, intent: Intent) -> Reply:
    return turn.reply("help", t("help", turn.lang))


async def unknown(turn: Turn, intent: Intent) -> Reply:
    text = t("unknown", turn.lang, command=render.short(intent.arg, 40))
    return turn.reply("help", text + "\n\n" + t("help", turn.lang))


async def social(turn: Turn, intent: Intent) -> Reply:
    return turn.reply("info", t("social", turn.lang))


async def ack(turn: Turn, intent: Intent) -> Reply:
    return turn.reply("info", t("ack", turn.lang))


async def greeting(turn: Turn, intent: Intent) -> Reply:
    return turn.reply("info", t("greeting", turn.lang))


def which_action(turn: Turn, n: int) -> Reply:
    """A short sentence about angle n that no rule understood: offer the actions."""
    fr = turn.lang == "fr"
    actions = [("👍", f"j'aime {n}" if fr else f"like {n}"),
               ("👎", f"je n'aime pas {n}" if fr else f"dislike {n}"),
               ("✅", f"valider {n}" if fr else f"validate {n}"),
               ("🥊", f"challenger {n}" if fr else f"challenge {n}")]
    return turn.reply("help", t("which_action", turn.lang, n=n),
                      quick_replies=[QuickReply(f"{icon} {cmd}", cmd) for icon, cmd in actions])


def did_you_mean(turn: Turn, command: str) -> Reply:
    return turn.reply("help", t("did_you_mean", turn.lang, command=command),
                      quick_replies=[QuickReply(command, command)],
                      suggestions=[command])


async def switch_language(turn: Turn, intent: Intent) -> Reply:
    turn.lang = "en" if intent.arg == "en" else "fr"
    return turn.reply("info", t("lang_switched", turn.lang))


async def brand(turn: Turn, intent: Intent) -> Reply:
    """The brand of this conversation: the channel's (and who set what), or the user's own."""
    context = turn.snap.brand
    shared = turn.place.in_channel
    if context.is_empty():
        return turn.reply("brand", t("brand_empty_channel" if shared else "brand_empty", turn.lang))
    lines = context.render(turn.lang).split("\n")
    if shared:
        shown = [f for f in FIELDS if context.get(f)]
        lines = [line + (" " + t("brand_set_by", turn.lang, who=turn.snap.brand_by[f])
                         if turn.snap.brand_by.get(f) else "")
                 for f, line in zip(shown, lines, strict=False)]
    intro = t("brand_intro_channel" if shared else "brand_intro", turn.lang)
    return turn.reply("brand", intro + "\n" + "\n".join(lines))


async def brands(turn: Turn, store: UserStore) -> Reply:
    """The brand of each channel the user works in (Teams has no App Home)."""
    found = await store.channel_brands(turn.user_id) if turn.memory_on else []
    if not found:
        return turn.reply("brand", t("brands_none", turn.lang))
    parts = [t("brands_intro", turn.lang)]
    for channel in found:
        body = channel.brand.render(turn.lang) or t("brands_channel_empty", turn.lang)
        parts.append(f"**{channel.label or channel.channel}**\n{body}")
    return turn.reply("brand", "\n\n".join(parts))


async def shortlist(turn: Turn, store: UserStore) -> Reply:
    """Validated angles: the channel's in a channel, the user's own in a DM."""
    lang = turn.lang
    if turn.place.in_channel:
        validated = await store.channel_shortlist(turn.place) if turn.memory_on else []
        angles = [v.angle for v in validated]
        empty, intro = "shortlist_empty_channel", "shortlist_intro_channel"
    else:
        angles = await store.shortlist(turn.user_id) if turn.memory_on else []
        empty, intro = "shortlist_empty", "shortlist_intro"
    if not angles:
        return turn.reply("shortlist", t(empty, lang))
    for i, a in enumerate(angles, 1):
        a.n = i
    head = t(intro, lang, count=len(angles))
    text = head + "\n\n" + render.angles(angles, lang)
    return turn.reply("shortlist", text, angles=angles,
                      intro=render.with_notices(head, turn.notices),
                      quick_replies=[QuickReply(t("quick_export", lang),
                                                "exporter" if lang == "fr" else "export")])


async def strategies(turn: Turn, catalogue: Catalogue) -> Reply:
    lang = turn.lang
    c = colon(lang)
    lines = [t("strategies_intro", lang, count=len(catalogue))]
    lines += [f"- **{s.name_in(lang)}** (`{s.id}`){c} {s.description_in(lang)}" for s in catalogue]
    return turn.reply("info", "\n".join(lines))
