"""Figures and facts a brief gives, kept exactly as written.

"un livret à 4 %", "8 000 € de budget", "88 pièces numérotées", "recruter 120
chauffeurs", "£2.5m", "le 14 février", "in Q3": a hook that rounds or changes
them is wrong, so they are kept verbatim for the writers and the checks.
Numbers written in words ("cent vingt chauffeurs") are read with text2num.
"""

from __future__ import annotations

import re

from text_to_num import alpha2digit

from bot.brief.model import Figure

_NUM = r"\d{1,3}(?:[ \u00a0\u202f.,]\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_MONTHS = (
    r"janvier|fevrier|février|mars|avril|mai|juin|juillet|aout|août|septembre|octobre|novembre|"
    r"decembre|décembre|january|february|march|april|may|june|july|august|september|october|"
    r"november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_WORD = r"[a-zà-ÿœ'-]{3,}"
# Words a counted phrase stops before ("120 drivers across the Midlands" -> "120 drivers").
_STOPS = ("before|after|avant|apres|by|for|pour|per|par|the|les|and|et|from|with|avec|sur|dans|"
          "into|over|under|this|that|cette|ces|in|on|at|to|en|au|aux|who|qui|que|which|across|"
          "today|now|already|deja|since|depuis|until|jusqu|a|an|un|une|des|du|le|la|is|are|est|sont|"
          # and the verbs that most often follow a counted group ("holders get 1/3 off")
          "get|gets|got|have|has|had|will|would|can|could|pay|pays|save|saves|receive|receives|"
          "need|needs|want|wants|ont|peuvent|doivent|obtiennent|beneficient|profitent|paient|d'ici")
_PER_UNIT = re.compile(r"\s?(?:/\s?(?:mo|month|mois|an|yr|year|night|nuit|pers|person|kg|l)\b|"
                       r"\s(?:a|per|par|le|la)\s(?:month|mois|year|an|night|nuit|person|"
                       r"personne|kilo|kg|bag|sac|bottle|bouteille)\b|\s?pp\b)", re.IGNORECASE)
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("money", re.compile(
        rf"(?:(?:ca|us|au|nz|c)?[€£$]\s?(?:{_NUM})\s?(?:[kKmM]|bn|millions?|milliards?|billion)?(?![\w])"
        rf"|(?:{_NUM})\s?(?:[kKmM]\s?€|M€|k€|[kKmM]\s?£|bn|millions? d'euros|millions? de dollars)"
        rf"(?![\w])|(?:{_NUM})\s?(?:€|£|\$|eur|euros?|gbp|usd|dollars?|pounds?|livres)(?![\w]))",
        re.IGNORECASE)),
    ("percent", re.compile(rf"(?:[-–+]\s?)?(?:{_NUM})\s?(?:%|pour ?cent|per ?cent|percent)"
                           r"(?:\s?(?:brut|net|aer|apr|tae|taeg))?", re.IGNORECASE)),
    ("date", re.compile(
        rf"\b(?:\d{{1,2}}(?:er)?\s(?:{_MONTHS})(?:\s\d{{4}})?|(?:{_MONTHS})\s\d{{1,2}}(?:st|nd|rd|th)?"
        rf"(?:,?\s\d{{4}})?|q[1-4](?:\s\d{{4}})?|t[1-4]\s\d{{4}}|20\d\d|"
        r"\d{1,2}/\d{2}(?:/(?:20)?\d\d)?)\b",
        re.IGNORECASE)),
    ("age", re.compile(r"\b\d{1,2}\s?(?:-|–|à|a|to)\s?\d{1,2}\s?(?:ans|years?(?: old)?|y\.?o\.?)"
                       # "women 25-40 who...", "couples aged 26-35 renting": an age band
                       r"|\b\d{1,2}\s?[-–]\s?\d{1,2}(?=\s+(?:who|qui|renting|living|working|"
                       r"year-olds))", re.IGNORECASE)),
    ("duration", re.compile(
        rf"\b(?:{_NUM})\s?(?:jours?|days?|semaines?|weeks?|mois|months?|ans|years?|heures?|hours?|"
        r"minutes?|min|h)\b(?!\s?(?:old|d'experience|of experience))", re.IGNORECASE)),
    # "20 Go", "1.1 kg", "1000 IU", "33 cl", "900Mb", "8 Gbit/s": a quantity and its unit.
    ("quantity", re.compile(
        rf"\b(?:{_NUM})\s?(?:kg|g|mg|µg|cl|ml|l|km|m²|m2|go|gb|mo|mb|to|tb|gbit/s|mbit/s|mb/s|"
        r"iu|ui|kwh|kw|w|°c|h|cv|hp|mah)(?![\w])", re.IGNORECASE)),
    # "1/3 off", "2/3 des places": a share, kept whole (not "3 off").
    ("share", re.compile(r"(?<![\d/])\d/\d(?![\d/])(?:\s?(?:off|de (?:réduction|remise)))?",
                         re.IGNORECASE)),
    # "88 pièces", "120 chauffeurs", "3 000 abonnés", "12 stores": a number and what it counts.
    # Up to two words before the counted noun: "14 night shelters", "40 qualified meetings";
    # a range counts as one ("16-25 Railcard holders", not "25 Railcard").
    ("count", re.compile(
        rf"(?<![\d/–-])\b(?:{_NUM})(?:[-–]\d{{1,3}})?\s(?:{_WORD})"
        rf"(?:\s(?:de|d'|of)\s{_WORD}|(?:\s(?!(?:{_STOPS})\b){_WORD}){{0,2}})?", re.IGNORECASE)),
)
# Words after a number that make it no count of anything ("2 fois", "3 ways", "10 ans").
_NOT_COUNTED = frozenset(
    """fois times ways facons manieres ans years an year mois months jours days semaines weeks
    heures hours minutes min pour per percent et and ou or a au aux to the le la les de du des
    en in on sur avec with who qui que which today now aujourd'hui already deja""".split()
)


def figures(text: str, lang: str = "fr") -> tuple[Figure, ...]:
    """The figures of a text, as written, in order of appearance, each once."""
    source = text
    spelled = alpha2digit(text, "fr" if lang == "fr" else "en")
    if spelled != text and len(spelled) < len(text):
        source = spelled  # "cent vingt chauffeurs" -> "120 chauffeurs"
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, Figure]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(source):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            value = match.group(0).strip(" ,.")
            if kind == "count" and value.split()[-1].lower().strip("'") in _NOT_COUNTED:
                continue
            words = value.split()
            if kind == "count" and len(words) >= 2 and words[1].lower() in _NOT_COUNTED:
                continue
            if kind == "money":  # "£29.99/mo", "9,99 €/mois", "$19 a month": the price's unit
                unit = _PER_UNIT.match(source, end)
                if unit:
                    value, end = f"{value}{unit.group(0).rstrip()}", unit.end()
            taken.append((start, end))
            found.append((start, Figure(value, kind)))
    seen: set[str] = set()
    out = []
    for _, figure in sorted(found, key=lambda x: x[0]):
        if figure.text.casefold() not in seen:
            seen.add(figure.text.casefold())
            out.append(figure)
    return tuple(out)
