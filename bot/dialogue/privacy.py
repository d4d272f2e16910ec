""""Forget me": ask, then erase every key of the user, or cancel."""

from __future__ import annotations

from bot.dialogue.turn import Turn
from bot.kernel.i18n import t
from bot.kernel.intent import Intent
from bot.kernel.messages import Reply
from bot.ops import metrics
from bot.store.errors import StoreUnavailable
from bot.store.user_store import UserStore


async def ask(turn: Turn, intent: Intent, store: UserStore) -> Reply:
    if intent.arg == "confirmed":  # "forget me, yes": asked and confirmed at once
        turn.forget_pending = True
        return await confirm(turn, store)
    turn.conv.forget_pending = True
    return turn.reply("info", t("forget_confirm", turn.lang))


async def confirm(turn: Turn, store: UserStore) -> Reply:
    if not turn.forget_pending:
        return turn.reply("info", t("nothing_to_confirm", turn.lang))
    try:
        erased = await store.forget(turn.user_id, turn.place)
    except StoreUnavailable:
        metrics.REDIS_ERRORS.inc()
        turn.save = False
        # Nothing (or not everything) was erased: say so, the user can ask again.
        return turn.reply("error", t("forget_unavailable", turn.lang))
    turn.save = False  # nothing of this turn may be written back
    text = t("forget_done_full", turn.lang, keys=erased.keys, copies=erased.copies,
             threads=erased.thread_angles, channels=erased.channels)
    if erased.workspaces > 1:
        text += " " + t("forget_done_grid", turn.lang, count=erased.workspaces)
    return turn.reply("info", text)


async def cancel(turn: Turn, intent: Intent) -> Reply:
    if not turn.forget_pending:
        return turn.reply("info", t("nothing_to_confirm", turn.lang))
    return turn.reply("info", t("forget_cancelled", turn.lang))
