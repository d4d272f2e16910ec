"""Reading free answers to the clarifying questions.

People answer two questions in one line ("étudiants, plutôt notoriété") or in
another order than asked. Objectives and tones come from a small vocabulary,
so a keyword match places those parts; what is left goes to the other fields
asked, in order. Explicit `Field: value` lines always win.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.brief.brand import fold, parse_fields

_VOCABULARY: dict[str, frozenset[str]] = {
    "objective": frozenset(
        """notoriete awareness visibilite visibility lancement launch lancer conversion
        conversions ventes vente sales vendre sell leads lead prospects acquisition acquerir
        fidelisation fidelite loyalty retention recrutement recruitment recruter trafic traffic
        engagement image inscriptions signups sign-ups downloads telechargements
        considération consideration preference demo demos demande demandes requests rdv
        appointments reservations bookings adhesions dons donations donors benevoles
        volunteers""".split()
    ),
    "tone": frozenset(
        """decale decalee chaleureux chaleureuse expert experte premium playful fun drole
        humour humoristique humorous warm serieux serieuse serious ludique inspirant
        inspiring bienveillant caring audacieux bold impertinent cheeky institutionnel
        corporate luxe luxury pedagogique educational rassurant reassuring complice friendly
        amical emotional emotionnel poetique poetic familier casual formel formal
        minimaliste minimal tone ton engage engagee militant militante committed activist
        sobre elegant elegante raffine raffinee refined luxueux dynamique positif positive
        optimiste optimistic direct authentique authentic chic""".split()
    ),
    "audience": frozenset(
        """etudiants etudiant students student parents parent jeunes young familles families
        seniors retraites retirees femmes women hommes men enfants kids ados teens teenagers
        adolescents millennials gen genz boomers cadres managers executives dirigeants
        professionnels professionals b2b pme smb entreprises companies dsi cto cmo marketeurs
        marketers urbains urban actifs sportifs athletes gamers joueurs voyageurs travellers
        travelers proprietaires owners locataires tenants patients medecins doctors
        developpeurs developers artisans commercants retailers acheteurs buyers
        consommateurs consumers fans abonnes subscribers""".split()
    ),
}
_SPLIT_LINES = re.compile(r"\s*(?:\n|;|\s/\s)\s*")
_SPLIT_COMMA = re.compile(r"\s*(?:,|\bet\b|\band\b|\bplutot\b|\brather\b)\s*")
_LEAD = re.compile(r"^(?:plutôt|plutot|rather|c'est|it's|it is|mostly|surtout)\s+", re.IGNORECASE)
_LABEL = re.compile(
    r"^(?:(?:un|une|a|an|le|la|l')\s*)?"
    r"(?:objectif|objective|ton|tone|cible|audience)\b\s*[:\-]?\s*",
    re.IGNORECASE,
)


# An answer that starts with one of these verbs states a goal ("faire venir plus de clients").
_GOAL_VERBS = frozenset(
    """faire attirer augmenter vendre recruter fideliser generer developper booster doubler
    convaincre lancer gagner obtenir get increase drive grow bring boost generate win attract
    sell recruit raise double convert more plus davantage""".split()
)


def category(part: str) -> str | None:
    """'objective', 'tone' or 'audience' when the words say so (and only one), else None."""
    ordered = re.findall(r"[a-z-]+", fold(part))
    if ordered and ordered[0] in _GOAL_VERBS:
        return "objective"
    words = set(ordered)
    hits = [name for name, vocab in _VOCABULARY.items() if words & vocab]
    return hits[0] if len(hits) == 1 else None


def _clean(part: str) -> str:
    return _LABEL.sub("", _LEAD.sub("", part.strip(" .,;"))).strip()


def read_answers(text: str, asked: Sequence[str], missing: Sequence[str] = ()) -> dict[str, str]:
    """Brand fields from a free answer to the questions about `asked` fields.

    `missing` are the key fields still unknown: an unrecognised phrase may fill
    one of them (a product named while answering about the audience).
    """
    explicit = parse_fields(text)
    if explicit or not asked:
        return explicit
    parts = [p for p in _SPLIT_LINES.split(text.strip()) if p]
    if len(parts) < len(asked):
        # Maybe one line for several questions: split on commas only if that helps.
        finer = [p for line in parts for p in _SPLIT_COMMA.split(line) if p]
        if any(category(p) for p in finer):
            parts = finer
    found: dict[str, str] = {}
    rest: list[str] = []
    for part in parts:
        name = category(part)
        # A recognisable answer goes to its field even if that one wasn't asked:
        # the user volunteered it.
        if name is not None:
            # "engagé, un peu militant": two parts of the same answer stay together.
            found[name] = f"{found[name]}, {_clean(part)}" if name in found else _clean(part)
        else:
            rest.append(part)
    # Unrecognised parts go to fields without a vocabulary (the product), asked
    # first; an objective or a tone takes free text only when it was the one question.
    free = [f for f in asked if f not in found and f not in _VOCABULARY]
    free += [f for f in missing if f not in found and f not in _VOCABULARY and f not in free]
    if len(asked) == 1 and asked[0] not in found and asked[0] in _VOCABULARY:
        free.append(asked[0])
    if rest and free:
        # The last free field takes what remains, so nothing the user said is lost.
        for name, part in zip(free[:-1], rest, strict=False):
            found[name] = _clean(part)
        if len(rest) >= len(free):
            found[free[-1]] = ", ".join(_clean(p) for p in rest[len(free) - 1:])
    return {k: v for k, v in found.items() if v}
