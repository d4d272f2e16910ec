"""The engine's admission step: may this workspace use the bot, is this delivery
new, may this user be served now, and what (if anything) to tell them. One policy
and one wording for every platform, so the adapters only act on the `Admission`."""

from __future__ import annotations

from bot.dialogue.guards import Guards
from bot.kernel.admission import Admission
from bot.kernel.i18n import t
from bot.kernel.messages import Lang, Message, Reply
from bot.ops.allowlist import Allowlist


class Admitter:
    def __init__(self, guards: Guards, *, default_lang: Lang,
                 allowlist: Allowlist | None = None) -> None:
        self.guards = guards
        self.default_lang = default_lang
        self.allowlist = allowlist or Allowlist()

    async def admit(self, message: Message, *, limit: bool = True) -> Admission:
        """The allowlist, then dedupe on every id of `message.delivery_ids`, then (with
        `limit`) the rate.

        Each id is checked in turn and the first one already seen stops there:
        a mention in a Slack DM arrives twice with different event ids but one ts.
        """
        refused = self.refusal(message)
        if refused is not None:
            return refused
        for delivery in message.delivery_ids:
            if not await self.guards.first_delivery(message.platform, delivery):
                return Admission("duplicate")
        if not limit or not message.user_id:
            return Admission()
        check = await self.guards.check_rate(message.user_id)
        if check.retry_after_s is None:
            return Admission()
        notice = None
        if check.first_refusal:
            lang = message.lang or self.default_lang
            seconds = max(1, round(check.retry_after_s))
            notice = Reply(kind="info", lang=lang, text=t("rate_limited", lang, seconds=seconds))
        return Admission("rate_limited", notice=notice, retry_after_s=check.retry_after_s)

    def refusal(self, message: Message) -> Admission | None:
        """A workspace outside the allowlist: refused before anything touches the
        store (not even the guards' keys)."""
        if self.allowlist.admits(message):
            return None
        lang = message.lang or self.default_lang
        return Admission("refused", notice=Reply(kind="info", lang=lang,
                                                 text=t("not_allowed", lang)))
