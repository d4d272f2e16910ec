"""Replies that only show something: help, the brand, the shortlist, the catalogue."""

from __future__ import annotations

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
    context = turn.snap.brand
    if context.is_empty():
        return turn.reply("brand", t("brand_empty", turn.lang))
    return turn.reply("brand", t("brand_intro", turn.lang) + "\n" + context.render(turn.lang))


async def shortlist(turn: Turn, store: UserStore) -> Reply:
    angles = await store.shortlist(turn.user_id) if turn.memory_on else []
    if not angles:
        return turn.reply("shortlist", t("shortlist_empty", turn.lang))
    for i, a in enumerate(angles, 1):
        a.n = i
    intro = t("shortlist_intro", turn.lang, count=len(angles))
    text = intro + "\n\n" + render.angles(angles, turn.lang)
    return turn.reply("shortlist", text, angles=angles,
                      intro=render.with_notices(intro, turn.notices))


async def strategies(turn: Turn, catalogue: Catalogue) -> Reply:
    lang = turn.lang
    c = colon(lang)
    lines = [t("strategies_intro", lang, count=len(catalogue))]
    lines += [f"- **{s.name_in(lang)}** (`{s.id}`){c} {s.description_in(lang)}" for s in catalogue]
    return turn.reply("info", "\n".join(lines))
