"""What an angle can be written from: the brief's own words, figures and sector knowledge.

A `Material` is computed once per request from the `BriefModel` (concerns,
figures, occasion, exclusions) and the sector book (the audience's pains and
desires, the category's vocabulary and proof types). Concerns are kept in
two forms: bare ("levain", used as a label: "Côté levain") and as written
("le levain", for "du levain"); English ones are marked safe as a noun phrase
only when they carry an article, are a name or an acronym, or a plural.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.brief.brand import fold
from bot.brief.model import BriefModel
from bot.ideas.exclusions import ExclusionGuard
from bot.ideas.generators.offline_text import capitalise, fr_de
from bot.kernel.messages import Lang

_ARTICLE = re.compile(r"^(?:(?:le|la|les|the|a|an|un|une|des)\s+|l['’])", re.IGNORECASE)
_MAX_CONCERNS = 6
# Words a reader may keep that say nothing on their own ("a second shop" -> "second").
_NOT_CONCERNS = frozenset(
    "second first new third next last best other premier première deuxième second seconde "
    "nouveau nouvelle nouveaux meilleur autre".split())
# French words whose h forbids elision ("de héros", "de hausse").
_ASPIRATED = frozenset(
    "héros haricot haricots hausse hasard halle halles hêtre homard honte hockey hamburger "
    "hamac hangar harpe hauteur haie hall handicap".split())
# What a figure counts, read after it in the brief: "4 % des PME attaquées", "88 pieces".
_FIGURE_TAIL = re.compile(r"^[ \u00a0]*((?:[^\W\d][\w'’-]*[ \u00a0]?){1,9})")
_FIGURE_WORDS = 7  # a longer clause is cut to what the figure counts (its first 3 words)
_TAIL_STOP = re.compile(r"\b(?:et|mais|car|donc|pour|and|but|for|so|which|qui|que|with|avec)\b.*$",
                        re.IGNORECASE)
_MAX_FIGURE_PHRASE = 48
_ADJECTIVE = re.compile(r"(?i)^[a-z-]+(?:-free|-friendly|-proof|less|ful|ible|able|ive|ous)$")
_PREPOSITIONS = frozenset("vers dans en à au aux sur sous chez par pour avec la le les un une "
                          "in on at to by from per every each into with the a an".split())


@dataclass(frozen=True, slots=True)
class Concern:
    bare: str  # "levain", "NIS2"
    written: str  # "le levain"
    np_safe: bool  # usable as an English noun phrase ("about the tourbillon", "about NIS2")


@dataclass(frozen=True)
class Material:
    lang: Lang
    concerns: tuple[Concern, ...]
    figures: tuple[str, ...]
    pains: tuple[str, ...]
    desires: tuple[str, ...]
    proofs: tuple[str, ...]
    words: tuple[str, ...]
    occasion: str  # "" when none, or when the brand refuses it
    refused_occasion: str  # the occasion the brand does not join ("Black Friday"), or ""
    banned: frozenset[str]  # template tags and tones the exclusions rule out
    rules: tuple[str, ...]  # the exclusions, in the user's words
    key: str  # what makes this brief this brief (for seeds)

    @property
    def rich(self) -> bool:
        return bool(self.concerns)


def _concern(text: str, lang: Lang) -> Concern | None:
    written = " ".join(text.split()).strip(" .,;:!?\"'«»“”")
    if not written or len(written) > 60 or written.casefold() in _NOT_CONCERNS:
        return None
    bare = _ARTICLE.sub("", written).strip() or written
    has_article = bare != written
    name_like = any(c.isupper() or c.isdigit() for c in bare)
    plural = lang == "en" and bare.endswith("s") and not bare.endswith("ss")
    return Concern(bare=bare, written=written, np_safe=has_article or name_like or plural)


def figure_phrase(figure: str, text: str) -> str:
    """The figure with what it counts when the brief says it: '4 %' -> '4 % des PME attaquées'.

    The figure itself is kept exactly as written; a figure that the brief does not
    follow with words ("8 000 €.") stays alone.
    """
    at = text.find(figure)
    if at < 0:
        return figure
    tail = re.split(r"[.,;:!?()\n]", text[at + len(figure):], maxsplit=1)[0]
    match = _FIGURE_TAIL.match(tail)
    if not match:
        return figure
    words = _TAIL_STOP.sub("", match.group(1)).strip()
    if len(words.split()) > _FIGURE_WORDS or (match.end() < len(tail) and tail[match.end():].strip()
                                              and not _TAIL_STOP.search(match.group(1))):
        # Half a clause reads badly: cut before its first preposition ("120 clients
        # migrés", not "120 clients migrés vers la"), else keep three words.
        split = words.split()
        cut = next((i for i, w in enumerate(split) if i >= 1 and w.lower() in _PREPOSITIONS), 3)
        words = " ".join(split[:min(cut, 3)])
    phrase = f"{figure} {words}".strip() if words else figure
    return phrase if len(phrase) <= _MAX_FIGURE_PHRASE else figure


def _words_of(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]{4,}", fold(text))}


def _sector_lines(book: Any, sector_ids: tuple[str, ...], lang: Lang,
                  audience: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"pains": [], "desires": [], "proofs": [], "words": []}
    if book is None:
        return out
    wanted = _words_of(audience)
    for sid in sector_ids:
        try:
            sector = book.get(sid)
        except (KeyError, LookupError):
            continue
        # The sector's audience the brief speaks to, when its name says so ("adultes
        # enrhumés" -> "Adultes actifs..."): a parent's worry is not an adult's.
        audiences = [a for a in sector.audiences if wanted & _words_of(a.name.get(lang, ""))]
        for audience_ in audiences or sector.audiences[:1]:  # else the primary one
            out["pains"] += list(audience_.pains.get(lang, ()))
            out["desires"] += list(audience_.desires.get(lang, ()))
        out["proofs"] += list(sector.proofs.get(lang, ()))
        out["words"] += list(sector.vocabulary.get(lang, ()))
    # A pain or desire is quoted as what people say: a phrase of two words or more,
    # with no quotes of its own ("prix" alone says nothing; "« faux « local » »" reads badly).
    for key in ("pains", "desires"):
        out[key] = [p for p in out[key] if len(p.split()) >= 2 and not set(p) & set("«»“”\"")]
    # A proof goes into copy too: none with quotes or an ellipsis of its own.
    out["proofs"] = [p for p in out["proofs"]
                     if not set(p) & set("«»“”\"()") and "..." not in p]
    return {k: list(dict.fromkeys(v)) for k, v in out.items()}


def build_material(model: BriefModel, lang: Lang, *, guard: ExclusionGuard,
                   book: Any = None) -> Material:
    lines = _sector_lines(book, model.sectors, lang, model.get("audience"))
    # Never the product name as a concern: that is the stock copy this path replaces.
    raw = list(model.concerns) or lines["words"][:3]
    # A word of what the brief rules out ("pas d'urgence" -> "urgence") is no concern to write from.
    ruled = [fold(e.text) for e in model.exclusions]
    concerns = tuple(c for c in (_concern(x, lang) for x in raw[:_MAX_CONCERNS])
                     if c and not any(fold(c.bare) in r for r in ruled)
                     and not guard.breaks(c.written, model, lang))
    refused = guard.refused_occasion(model)
    words = [w for w in lines["words"]
             if w.casefold() not in {c.bare.casefold() for c in concerns}]
    return Material(
        lang=lang,
        concerns=concerns,
        figures=tuple(dict.fromkeys(figure_phrase(f.text, model.text) for f in model.figures)),
        pains=tuple(lines["pains"]),
        desires=tuple(lines["desires"]),
        proofs=tuple(lines["proofs"]),
        words=tuple(words),
        # An occasion the exclusions rule out ("l'été" with "not only summer") is no occasion.
        occasion="" if refused or guard.breaks(model.occasion, model, lang) else model.occasion,
        refused_occasion=refused,
        banned=guard.tags(model),
        rules=tuple(e.text for e in model.exclusions),
        key="\x1f".join([lang, *model.concerns, *(f.text for f in model.figures),
                         *model.sectors, model.occasion]),
    )


def concern_slots(concern: Concern, lang: Lang) -> dict[str, str]:
    slots = {"c": concern.bare, "C": capitalise(concern.bare)}
    if lang == "fr":
        # "en matière d'aligot", "de levain": a bare concern is a label, so no article.
        bare = concern.bare if concern.bare[:1].islower() or not concern.np_safe else ""
        if bare and bare[:1] in "hH" and bare.split(" ", 1)[0].lower() not in _ASPIRATED:
            slots["de_c"] = f"d'{bare}"  # "d'horaires", not "de horaires"
        else:
            slots["de_c"] = fr_de(bare or concern.written)
    else:
        slots["de_c"] = f"of {concern.written}"
        # "On the deposit," rather than "On deposit," (which reads as banking); an adjective
        # ("plastic-free", "refillable") is only a label: no "On plastic-free," at all.
        if not _ADJECTIVE.search(concern.bare):
            slots["c_en"] = concern.written if concern.np_safe else concern.bare
        if concern.np_safe:
            slots["c_np"] = concern.written
    return slots
