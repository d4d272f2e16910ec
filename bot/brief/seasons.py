"""The season a brief is about, from its occasion or its words ("cet été", "this winter")."""

from __future__ import annotations

import re

from bot.brief.brand import fold

_SEASONS = (
    ("summer", r"ete|estival|estivale|summer|juillet|aout|july|august|grandes vacances|"
               r"fete de la musique"),
    ("winter", r"hiver|hivernal|winter|noel|christmas|xmas|ski|fetes de fin d'annee|"
               r"holiday season|decembre|december|janvier|january|nouvel an|new year|"
               r"fin d'annee|year-end|end of year|temps des fetes|les fetes"),
    ("spring", r"printemps|spring|paques|easter|avril|april|mai|may"),
    ("autumn", r"automne|autumn|fall|rentree|back to school|back-to-school|halloween|septembre|"
               r"thanksgiving|september|octobre|october|novembre|november|black friday"),
)
_COMPILED = tuple((name, re.compile(rf"(?<![\w])(?:{words})(?![\w])")) for name, words in _SEASONS)


def season_of(text: str, occasion: str = "") -> str:
    """'spring' | 'summer' | 'autumn' | 'winter' | '': the occasion's season first."""
    for source in (occasion, text):
        folded = fold(source)
        found = [(m.start(), name) for name, p in _COMPILED if (m := p.search(folded))]
        if found:
            return min(found)[1]
    return ""
