"""Turning entries into the neutral reply: a `GlossaryCard` plus readable markdown.

Adapters render `Reply.glossary` as a card if they can; `Reply.text` alone must
read well everywhere (console, Slack, Teams).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.glossary.model import Category, Entry
from bot.kernel.i18n import t
from bot.kernel.messages import GlossaryCard, Lang, QuickReply, Reply

MAX_LISTED = 60
MAX_RELATED_BUTTONS = 3
MAX_ALIASES_SHOWN = 6
_NBSP, _NNBSP = "\u00a0", "\u202f"
# French puts a (narrow) no-break space before ; : ! ? and inside « ».
_FR_BEFORE = re.compile(r"[ \u00a0\u202f]*([;!?])")
_FR_COLON = re.compile(r"(?<=\S)[ \u00a0\u202f]*:(?=\s|$)")
_FR_OPEN = re.compile(r"«[ \u00a0\u202f]*")
_FR_CLOSE = re.compile(r"(?<=\S)[ \u00a0\u202f]*»")
_CODE = re.compile(r"(`[^`]*`|\]\([^)]*\))")  # leave code and link targets alone


def other(lang: Lang) -> Lang:
    return "en" if lang == "fr" else "fr"


def typeset(text: str, lang: Lang) -> str:
    """French typography (no-break spaces), so content files can use plain spaces."""
    if lang != "fr" or not text:
        return text
    parts = _CODE.split(text)
    for n in range(0, len(parts), 2):
        part = _FR_BEFORE.sub(lambda m: _NNBSP + m.group(1), parts[n])
        part = _FR_COLON.sub(_NBSP + ":", part)
        part = _FR_OPEN.sub("«" + _NBSP, part)
        parts[n] = _FR_CLOSE.sub(_NBSP + "»", part)
    return "".join(parts)


def card(
    entry: Entry, lang: Lang, entries: Mapping[str, Entry], category: Category
) -> GlossaryCard:
    ts = lambda s: typeset(s, lang)  # noqa: E731 - local shorthand
    return GlossaryCard(
        term=entry.term[lang],
        definition=ts(entry.definition[lang]),
        related=[entries[r].term[lang] for r in entry.related if r in entries],
        category=category.label[lang],
        in_practice=ts(entry.in_practice[lang]),
        faq=[{"q": ts(q[lang]), "a": ts(a[lang])} for q, a in entry.faq],
        aliases=list(entry.aliases[lang]),
        id=entry.id,
    )


def _command(term: str, lang: Lang, suffix: str = "") -> str:
    return f"{t('glossary.command', lang)} {term}{suffix}"


def entry_reply(c: GlossaryCard, other_term: str, lang: Lang) -> Reply:
    lines = [f"**{c.term}** · _{c.category}_"]
    if c.aliases:
        aliases = t("glossary.aliases", lang, names=", ".join(c.aliases[:MAX_ALIASES_SHOWN]))
        lines.append("_" + typeset(aliases, lang) + "_")
    lines += ["", c.definition]
    if c.in_practice:
        lines += ["", f"**{t('glossary.in_practice', lang)}**", c.in_practice]
    if c.faq:
        lines += ["", f"**{t('glossary.faq', lang)}**"]
        for pair in c.faq:
            lines += [f"- **{pair['q']}** {pair['a']}"]
    if c.related:
        lines += ["", typeset(t("glossary.related", lang, terms=", ".join(c.related)), lang)]
    switch = other(lang)
    lines += ["", "_" + typeset(t("glossary.other_lang", lang, term=other_term,
                                    command=_command(c.term, lang, f" {switch}")), lang) + "_"]
    quick = [QuickReply(t("glossary.read_other", lang), _command(c.term, lang, f" {switch}"))]
    quick += [QuickReply(r, _command(r, lang)) for r in c.related[:MAX_RELATED_BUTTONS]]
    return Reply(kind="glossary", lang=lang, text="\n".join(lines), glossary=c, quick_replies=quick)


def usage_reply(
    count: int, categories: Sequence[tuple[Category, int]], featured: Sequence[Entry], lang: Lang
) -> Reply:
    cats = ", ".join(f"{cat.label[lang]} ({n})" for cat, n in categories)
    terms = ", ".join(e.term[lang] for e in featured)
    text = "\n".join([
        t("glossary.usage", lang, count=count, command=t("glossary.command", lang)),
        "",
        t("glossary.categories", lang, categories=cats),
        t("glossary.featured", lang, terms=terms),
    ])
    quick = [QuickReply(e.term[lang], _command(e.term[lang], lang)) for e in featured[:3]]
    return Reply(kind="glossary", lang=lang, text=typeset(text, lang), quick_replies=quick)


def category_reply(category: Category, members: Sequence[Entry], lang: Lang) -> Reply:
    lines = [t("glossary.category_title", lang, category=category.label[lang], count=len(members))]
    for entry in members[:MAX_LISTED]:
        first = entry.definition[lang].split(". ")[0].rstrip(".")
        lines.append(f"- **{entry.term[lang]}** — {first}.")
    if len(members) > MAX_LISTED:
        lines.append(t("glossary.more", lang, count=len(members) - MAX_LISTED))
    lines += ["", t("glossary.category_hint", lang, command=t("glossary.command", lang))]
    return Reply(kind="glossary", lang=lang, text=typeset("\n".join(lines), lang))


def not_found_reply(query: str, suggestions: Sequence[str], lang: Lang) -> Reply:
    text = t("glossary.not_found", lang, query=query)
    if suggestions:
        text += " " + t("glossary.did_you_mean", lang, terms=", ".join(suggestions))
    else:
        text += " " + t("glossary.no_suggestion", lang, command=t("glossary.command", lang))
    quick = [QuickReply(s, _command(s, lang)) for s in suggestions]
    return Reply(kind="glossary", lang=lang, text=typeset(text, lang),
                 suggestions=list(suggestions), quick_replies=quick)
