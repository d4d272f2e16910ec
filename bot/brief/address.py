"""How French copy speaks to its reader, when the brief says so: "tutoiement ok",
"on vouvoie", "pas de tutoiement". English has one "you": the address is French only."""

from __future__ import annotations

import re

from bot.brief.brand import fold

_VOUS = re.compile(r"\b(?:(?:pas de|jamais de|sans|aucun|no) tutoiement|vouvoiement|on vouvoie|"
                   r"vouvoyer|vouvoyez|on dit vous)\b")
_TU = re.compile(r"\b(?:tutoiement|on tutoie|tutoyer|tutoyez|tutoie|on dit tu)\b")
# The words of a tone value that only say the address ("tutoiement ok").
ADDRESS_PART = re.compile(r"^\s*(?:(?:pas de |jamais de |sans )?tutoiement|vouvoiement|on tutoie|"
                          r"on vouvoie|tutoyer|vouvoyer)(?:\s+(?:ok|oui|bienvenu|accepte|possible|"
                          r"obligatoire|de rigueur|svp))?\s*$", re.IGNORECASE)


def address_of(text: str) -> str:
    """"tu", "vous", or "" when the text does not say."""
    folded = fold(text)
    if _VOUS.search(folded):
        return "vous"
    return "tu" if _TU.search(folded) else ""
