""""export" / "exporter": the validated angles as a document a team can use.

The brief, the brand, each validated angle with who validated it, and the
checks still to do before anything is published. One Markdown document:
adapters turn it into a Slack canvas (or a file), a Teams card and file, or
print it in the console.
"""

from __future__ import annotations

import re
import time

from bot.brief.brand import BrandContext
from bot.dialogue.turn import Turn
from bot.kernel.i18n import colon, t
from bot.kernel.messages import Document, Lang, Reply
from bot.store.user_store import UserStore, ValidatedAngle


async def export(turn: Turn, store: UserStore) -> Reply:
    lang = turn.lang
    place = turn.place
    if not turn.memory_on:
        items: list[ValidatedAngle] = []
    elif place.in_channel:
        items = await store.channel_shortlist(place)
    else:
        items = [ValidatedAngle(a, [place.who], 0.0) for a in await store.shortlist(turn.user_id)]
    if not items:
        return turn.reply("info", t("export_empty", lang))
    where = place.channel_label or place.channel or ""
    title = t("export_title_channel", lang, channel=where) if place.in_channel and where \
        else t("export_title", lang)
    markdown = document(title=title, lang=lang, brief=turn.conv.brief, brand=turn.snap.brand,
                        items=items, when=time.time())
    doc = Document(title=title, markdown=markdown, filename=_filename(where))
    # The text only introduces it: each platform shows the document its own way.
    return turn.reply("shortlist", t("export_done", lang, count=len(items)), document=doc)


def document(*, title: str, lang: Lang, brief: str, brand: BrandContext,
             items: list[ValidatedAngle], when: float) -> str:
    c = colon(lang)
    date = time.strftime("%Y-%m-%d", time.gmtime(when))
    out = [f"# {title}", t("export_made", lang, date=date, count=len(items)), "",
           f"## {t('export_brief', lang)}", brief.strip() or t("export_no_brief", lang)]
    if not brand.is_empty():
        out += ["", f"## {t('export_brand', lang)}", brand.render(lang)]
    out += ["", f"## {t('export_angles', lang)}"]
    checks: list[str] = []
    for n, item in enumerate(items, 1):
        a = item.angle
        out += ["", f"### {n}. {a.title}", f"_{a.strategy_name or a.strategy}_", "",
                f"> {a.hook}", "",
                f"- **{t('angle_why', lang)}**{c} {a.rationale}",
                f"- **{t('angle_channel', lang)}**{c} {a.channel}"]
        if item.validated_by:
            out.append(f"- **{t('export_validated_by', lang)}**{c} {', '.join(item.validated_by)}")
        checks += [f"- [ ] {check} ({n}. {a.title})" for check in a.to_validate]
    out += ["", f"## {t('export_checks', lang)}", *(checks or [t("export_checks_none", lang)])]
    return "\n".join(out)


def _filename(where: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", where).strip("-")[:40]
    return f"symbiose-{slug or 'shortlist'}.md"
