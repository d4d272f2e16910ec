""""taste" / "mes goûts": what Symbiose has learned about the user and this channel."""

from __future__ import annotations

from bot.dialogue.turn import Turn
from bot.ideas.catalogue import Catalogue
from bot.kernel.i18n import t
from bot.kernel.intent import Intent
from bot.kernel.messages import Lang, Reply
from bot.learning.preferences import PreferenceModel
from bot.learning.team_taste import evidence, summarise


def show(turn: Turn, intent: Intent, catalogue: Catalogue) -> Reply:
    lang = turn.lang
    parts = [t("taste_you", lang) + "\n" + (describe(turn.snap.prefs, catalogue, lang)
                                           or t("taste_nothing", lang))]
    channel = turn.snap.channel_taste
    if turn.place.in_channel and channel is not None:
        parts.append(t("taste_channel", lang) + "\n" + (describe(channel, catalogue, lang)
                                                       or t("taste_channel_nothing", lang)))
        if evidence(channel) > 0 and evidence(turn.snap.prefs) < evidence(channel):
            parts.append(t("taste_prior", lang))
    parts.append(t("taste_explain", lang))
    return turn.reply("info", "\n\n".join(parts))


def describe(model: PreferenceModel, catalogue: Catalogue, lang: Lang) -> str:
    """Favourite strategies, what gets rejected, the style asked for, how sure:
    a markdown list ('' when nothing was learned yet). App Home shows it too."""
    summary = summarise(model)
    if summary.confidence == "none":
        return ""

    def name(strategy: str) -> str:
        return catalogue.get(strategy).name_in(lang) if strategy in catalogue else strategy

    lines = []
    if summary.top:
        lines.append(t("taste_liked", lang, items=", ".join(
            f"{name(s)} ({score:.0%})" for s, score in summary.top)))
    if summary.rejected:
        lines.append(t("taste_rejected", lang, items=", ".join(
            f"{name(s)} (×{n:g})" for s, n in summary.rejected)))
    style = ", ".join(x for x in (summary.tone, summary.length) if x)
    if style:
        lines.append(t("taste_style", lang, items=style))
    lines.append(t(f"taste_sure_{summary.confidence}", lang, count=f"{summary.decisions:g}"))
    return "\n".join(lines)
