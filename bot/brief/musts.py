"""What a brief says must appear: "Mention Gift Aid", "kids under 12 go free (must
mention)", "Entrée gratuite à mentionner obligatoirement", "mentions légales obligatoires".

Rules out are exclusions (bot.brief.exclusions); these are the opposite: a check on every
answer ("to include: Gift Aid") and a line of the LLM prompt.
"""

from __future__ import annotations

import re

from bot.brief.exclusions import clauses

# "Mention Gift Aid", "Must mention the 30-day return policy", "Mentionner que c'est fait
# maison", "Must include: 100% recyclable can", "Price must show 'prices rise by £3'".
_LEADS = re.compile(r"^\s*(?:(?:and|et|also|aussi)\s+)?(?:"
                    r"(?:[\w' ]{1,30}\s)?must (?:mention|include|show|say|state)|"
                    r"(?:always\s+)?(?:mention|mentionner|mentionnez|include|inclure|incluez)|"
                    r"always (?:mention|include|show)|toujours (?:mentionner|citer|afficher)|"
                    r"doit (?:inclure|mentionner)|with (?:the )?mention|avec (?:la )?mention)"
                    r"\b\s*:?\s*(?:que\s+|qu'|that\s+)?")
# "X à mentionner obligatoirement", "X (must mention)", "X mandatory", "X obligatoire(s)".
_TRAILS = re.compile(r"\s*,?\s*\(?(?:[àa] (?:mentionner|citer|afficher)(?: obligatoirement)?|"
                     r"must (?:be )?(?:mention(?:ed)?|shown|included)|mandatory|required|"
                     r"obligatoires?|obligatoirement)\)?\s*$")
_MAX_WORDS = 12


def musts(text: str) -> tuple[str, ...]:
    """The must-includes of a brief, in the user's words, in order, each once."""
    found: list[str] = []
    previous = ""
    for offset, clause in clauses(text):
        raw = text[offset:offset + len(clause)]  # aligned with `clause`, char for char
        original = raw.strip(" .")
        clause = re.sub(r"^\s*\w+\s*:\s*", lambda m: " " * len(m.group(0)), clause)  # "Compliance:"
        lead, trail = _LEADS.match(clause), _TRAILS.search(clause)
        if trail and trail.start() > 0:
            what = raw[len(clause) - len(clause.lstrip()):trail.start()].strip(" ,(")
        elif trail and previous:  # "Tarif réduit pour les moins de 26 ans, à citer."
            what = previous
        elif lead and lead.end() < len(clause):
            what = raw[lead.end():].strip(" ,.")
        else:
            previous = original
            continue
        previous = ""
        what = re.sub(r"^the\s+", "", what)
        if what and len(what.split()) <= _MAX_WORDS and what not in found:
            found.append(what)
    return tuple(found)

