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
    turn.save = False  # nothing of this turn may be written back
    try:
        removed = await store.forget(turn.user_id)
    except StoreUnavailable:
        metrics.REDIS_ERRORS.inc()
        # Nothing (or not everything) was erased: say so, the user can ask again.
        return turn.reply("error", t("forget_unavailable", turn.lang))
    return turn.reply("info", t("forget_done", turn.lang, count=removed))


async def cancel(turn: Turn, intent: Intent) -> Reply:
    if not turn.forget_pending:
        return turn.reply("info", t("nothing_to_confirm", turn.lang))
    return turn.reply("info", t("forget_cancelled", turn.lang))
