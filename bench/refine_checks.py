"""Did a refine change what was asked? One check per kind, read on the output only.

Used by bench/bench_writing.py. Register and form kinds ("funnier", "B2B",
"as a testimonial") are checked by matching the new hook against the lines of
that kind in prompts/writing/ (turned into patterns); edits by what the text
shows (shorter, ends with "?", the brand name gone, the figure present...);
asks the brief rules out, by the plain statement in the rationale.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.brief.model import BriefModel, Exclusion
from bot.ideas.catalogue import Catalogue
from bot.ideas.exclusions import default_guard
from bot.ideas.generators.brief_wording import load_brief_wording
from bot.ideas.generators.offline_text import sentences
from bot.kernel.messages import Angle

# One instruction per kind, as a user would type it.
REFINES: dict[str, dict[str, str]] = {
    "shorter": {"fr": "plus court", "en": "shorter"},
    "longer": {"fr": "plus long", "en": "longer"},
    "one_sentence": {"fr": "en une phrase", "en": "in one sentence"},
    "playful": {"fr": "plus drôle", "en": "funnier"},
    "humour_no_pun": {"fr": "avec humour mais sans jeu de mots", "en": "funny but no pun"},
    "premium": {"fr": "plus premium", "en": "more premium"},
    "emotional": {"fr": "plus émouvant", "en": "more emotional"},
    "wilder": {"fr": "plus fou", "en": "wilder"},
    "softer": {"fr": "plus doux", "en": "softer"},
    "serious": {"fr": "plus sérieux", "en": "more serious"},
    "rational": {"fr": "plus factuel", "en": "more factual"},
    "concrete": {"fr": "plus concret", "en": "more concrete"},
    "tutoiement": {"fr": "tutoiement", "en": "use tu"},
    "vouvoiement": {"fr": "vouvoiement", "en": "use vous"},
    "forward": {"fr": "avec le chiffre en avant", "en": "lead with the number"},
    "testimonial": {"fr": "avec un témoignage", "en": "with a testimonial"},
    "figure": {"fr": "avec un chiffre", "en": "with a figure"},
    "channel": {"fr": "pour LinkedIn", "en": "for LinkedIn"},
    "question": {"fr": "en question", "en": "as a question"},
    "plain": {"fr": "sans jargon", "en": "without jargon"},
    "simpler": {"fr": "avec des mots plus simples", "en": "simpler words"},
    "younger": {"fr": "pour un public plus jeune", "en": "for a younger audience"},
    "urgent": {"fr": "plus urgent", "en": "more urgent"},
    "local": {"fr": "plus local", "en": "more local"},
    "b2b": {"fr": "B2B", "en": "B2B"},
    "cta": {"fr": "avec un appel à l'action", "en": "with a call to action"},
    "no_brand": {"fr": "sans le nom de la marque", "en": "without the brand name"},
    "emoji": {"fr": "avec un emoji", "en": "with an emoji"},
    "positive": {"fr": "plus positif", "en": "more positive"},
    "audience": {"fr": "pour les retraités", "en": "for retirees"},
    "cannot": {"fr": "en vers", "en": "in verse"},
}
# Which lines of prompts/writing/ a register or form kind must come from.
_POOLS = {"playful": "playful", "humour_no_pun": "playful", "premium": "premium",
          "emotional": "emotional", "wilder": "bold", "softer": "soft", "serious": "serious",
          "rational": "rational", "concrete": "concrete", "testimonial": "testimonial",
          "plain": "plain", "simpler": "plain", "younger": "young", "urgent": "urgency",
          "local": "local", "b2b": "b2b", "positive": "soft"}
# Kinds the brief can rule out, and the exclusion that does.
_BLOCKERS = {"urgent": "urgency", "playful": "humour", "humour_no_pun": "humour",
             "tutoiement": "tutoiement", "emoji": "emoji"}
_EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_TU = re.compile(r"(?<![\w'])(?:(?:tu|te|toi|ton|ta|tes)(?![\w])|t')", re.IGNORECASE)


def _pattern(text: str) -> re.Pattern[str]:
    out = []
    for part in re.split(r"(\[\[[^\]]*\]\]|\{[^}]*\})", text):
        if part.startswith("[["):
            a, b = part[2:-2].split("|")
            out.append(f"(?:{re.escape(a)}|{re.escape(b)})")
        elif part.startswith("{"):
            out.append(".+?")
        else:
            out.append(re.escape(part))
    return re.compile("".join(out), re.IGNORECASE)


@lru_cache(maxsize=1)
def _pools() -> dict[tuple[str, str], list[re.Pattern[str]]]:
    wording = load_brief_wording(Catalogue.load().ids())
    pools: dict[tuple[str, str], list[re.Pattern[str]]] = {}
    for lang in ("fr", "en"):
        for pool in set(_POOLS.values()):
            lines = list(wording.moves[lang].hooks.get(pool, ()))
            lines += [v for s in wording.strategies[lang].values() for v in s.hooks
                      if v.tone == pool or pool in v.tags]
            pools[(lang, pool)] = [_pattern(v.text) for v in lines]
    return pools


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def in_pool(hook: str, pool: str, lang: str) -> bool:
    return any(p.match(_plain(hook)) for p in _pools()[(lang, pool)])


def obeyed(kind: str, before: Angle, after: Angle, model: BriefModel, lang: str) -> bool:
    """True when `after` shows the change `kind` asks for (or says plainly why not),
    in a hook that is whole: closed quotes, no sentence cut on a function word."""
    return well_formed(after.hook) and _obeyed(kind, before, after, model, lang)


def _obeyed(kind: str, before: Angle, after: Angle, model: BriefModel, lang: str) -> bool:
    why = after.rationale
    # No figure the copy may quote: the brief's are goals, or there is none (said plainly).
    internal = bool(model.figures) and any(
        w in why for w in ("objectifs internes", "internal goals", "invente", "make them up"))
    blocker = _BLOCKERS.get(kind)
    if blocker and model.excludes(blocker):
        return ("exclut" in why or "rules it out" in why) and not (
            kind == "emoji" and _EMOJI.search(after.hook))
    if kind in ("tutoiement", "vouvoiement") and lang == "en":
        return "English" in why or "anglais" in why
    if kind in _POOLS:
        ok = in_pool(after.hook, _POOLS[kind], lang) and after.hook != before.hook
        if kind in ("plain", "simpler"):
            ok = ok and not default_guard().breaks(after.hook, _JARGON, lang)
        if kind == "humour_no_pun":
            ok = ok and "jeu de mots" not in after.hook and "pun" not in after.hook
        return ok
    hook, brand = after.hook, model.get("brand")
    checks = {
        "shorter": lambda: len(hook) < len(before.hook),
        "longer": lambda: len(hook) > len(before.hook),
        "one_sentence": lambda: len(sentences(hook)) == 1 and hook != before.hook,
        "tutoiement": lambda: bool(_TU.search(hook)) and " vous " not in f" {hook} ",
        "vouvoiement": lambda: not _TU.search(hook) and (
            not _TU.search(before.hook) or hook != before.hook),
        "forward": lambda: internal or (
            any(_plain(hook).startswith(_plain(f.text)) for f in model.figures)
            if model.figures else "invente" in why or "make them up" in why),
        "testimonial": lambda: hook[:1] in "«“" and "—" in hook,
        "figure": lambda: internal or (
            any(f.text in hook for f in model.figures) if model.figures
            else "invente" in why or "make them up" in why),
        "channel": lambda: after.channel.startswith("LinkedIn"),
        "question": lambda: hook.rstrip().endswith("?"),
        "cta": lambda: len(hook) > len(before.hook) and hook.startswith(before.hook[:20]),
        "no_brand": lambda: not brand or (brand not in hook and brand not in after.title),
        "emoji": lambda: bool(_EMOJI.search(hook)),
        "audience": lambda: ("Retraités" if lang == "fr" else "Retirees") in hook,
        "cannot": lambda: ("hors ligne" in why or "offline" in why) and hook != before.hook,
    }
    return checks[kind]()


_JARGON = BriefModel(exclusions=(Exclusion("jargon", "jargon"),))
_PAIRS = (("«", "»"), ("“", "”"), ("(", ")"), ("[", "]"))
_CUT = re.compile(r"(?i)(?:(?<![\w'’-])(?:sur|de|du|des|à|au|aux|le|la|les|et|ou|pour|avec|par|"
                  r"dans|au lieu|the|and|or|than)|(?<=\d)%?\s(?:to|from|for|on))[.…]?$")


def well_formed(hook: str) -> bool:
    """Closed quotes and brackets, and not cut after a function word ("au lieu.", "to.")."""
    text = hook.strip()
    if any(text.count(a) != text.count(b) for a, b in _PAIRS):
        return False
    return not _CUT.search(text.rstrip("»”\"' \u00a0"))


def refused_plainly(after: Angle) -> bool:
    """The refine said it could not do what was asked, and why."""
    why = after.rationale
    return "Je n'ai pas pu faire" in why or "I couldn't do" in why
