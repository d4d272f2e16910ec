"""Markdown text of the engine's replies, one function per kind of content.

The text must read well on its own (console, notifications, screen readers);
adapters may build richer layouts from the structured fields instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.ideas.generators.base import Critique
from bot.kernel.i18n import colon, t
from bot.kernel.messages import Angle, Lang


def angle(a: Angle, lang: Lang) -> str:
    c = colon(lang)
    lines = [f"**{a.n}. {a.title}** · _{a.strategy_name or a.strategy}_", f"> {a.hook}"]
    lines.append(f"- **{t('angle_why', lang)}**{c} {a.rationale}")
    lines.append(f"- **{t('angle_channel', lang)}**{c} {a.channel}")
    if a.why:
        lines.append(f"- {t('angle_chosen_' + a.why, lang)}")
    if a.to_validate:
        lines.append(f"- **{t('angle_verify', lang)}**{c}")
        lines += [f"  - {check}" for check in a.to_validate]
    return "\n".join(lines)


def angles(items: Iterable[Angle], lang: Lang) -> str:
    return "\n\n".join(angle(a, lang) for a in items)


def critique(c: Critique, lang: Lang) -> str:
    lines = [t("challenge_intro", lang, target=c.target)]
    lines += [f"{i}. {q}" for i, q in enumerate(c.questions, 1)]
    if c.summary:
        lines.append("")
        lines.append(c.summary)
    lines.append("")
    lines.append(t("challenge_outro", lang))
    return "\n".join(lines)


def short(text: str, limit: int = 80) -> str:
    """One line, cut at a word boundary: for echoing a brief back."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


def with_notices(text: str, notices: list[str]) -> str:
    if not notices:
        return text
    return "\n".join(f"_⚠️ {n}_" for n in notices) + "\n\n" + text
