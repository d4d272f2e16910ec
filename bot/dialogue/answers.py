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
from bot.brief.statements import bare_statements

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
        optimiste optimistic direct authentique authentic chic respectueux respectueuse
        respectful honnete honest franc franche frank straight-talking sincere sincère clair
        claire clear simple pratique practical concret concrete chaleureuse joyful joyeux
        joyeuse festif festive insolent insolente malicieux malicieuse espiegle witty spirituel
        calme calm serein sereine confident confiant confiante assured understated discret
        discrete grounded welcoming accueillant accueillante unpretentious generous genereux
        homey cosy cozy romantique romantic trustworthy fiable humble fier fiere proud
        neighbourly bienveillante tendre tender doux douce gentle vivant lively energique
        energetic punchy percutant percutante pop rock elegant sophisticated sophistique
        ironique ironic quirky offbeat irreverent irreverencieux solennel rassurante""".split()
    ),
    # Where it will run: "et on sera surtout en affichage et sur Facebook" is no tone.
    "channels": frozenset(
        """facebook instagram insta tiktok linkedin youtube twitter snapchat pinterest twitch
        radio tv television tele affichage billboard billboards outdoor ooh presse press print
        newsletter newsletters emailing email e-mail mailing sms podcast podcasts spotify
        assemblies assemblees abribus metro flyers flyer leaflets leaflet catalogue courrier
        display influence blog vitrine vitrines""".split()
    ),
    "audience": frozenset(
        """etudiants etudiant students student parents parent jeunes young familles families
        seniors retraites retirees femmes women hommes men enfants kids ados teens teenagers
        adolescents millennials gen genz boomers cadres managers executives dirigeants
        professionnels professionals b2b pme smb entreprises companies dsi cto cmo marketeurs
        marketers urbains urban actifs sportifs athletes gamers joueurs voyageurs travellers
        travelers proprietaires owners locataires tenants patients medecins doctors
        developpeurs developers artisans commercants retailers acheteurs buyers
        consommateurs consumers fans abonnes subscribers people gens personnes habitants
        residents locals riverains voisins neighbours neighbors savers epargnants commuters
        navetteurs drivers chauffeurs conducteurs nurses infirmiers infirmieres candidats
        candidates donateurs donors supporters membres members adherents clients customers
        acheteurs shoppers touristes tourists visiteurs visitors festivaliers spectateurs
        lecteurs readers joueurs players collectionneurs collectors amateurs passionnes
        enthusiasts couples mamans mums moms papas dads grands-parents grandparents
        retraites salaries employees employes independants freelances artisans entrepreneurs
        founders fondateurs ceo cfo cisos ciso rssi dirigeants owners homeowners landlords
        buyers renters tenants familles families foyers households menages aidants carers
        caregivers millennials boomers seniors jeunes young teens youngsters kids""".split()
    ),
}
_SPLIT_LINES = re.compile(r"\s*(?:\n|;|\s/\s|(?<=[^\W\d])[.!]\s+(?=[A-ZÀ-Ýa-z]))\s*")
_SPLIT_COMMA = re.compile(r"\s*(?:,|\bet\b|\band\b|\bplutot\b|\bplutôt\b|\brather\b|\s[–—-]\s)\s*")
_LEAD = re.compile(r"^(?:plutôt|plutot|rather|c'est|it's|it is|mostly|surtout)\s+", re.IGNORECASE)
_LABEL = re.compile(
    r"^(?:(?:un|une|a|an|le|la|l')\s*)?"
    r"(?:objectif|objective|goal|ton|tone|cible|audience|target)\b\s*"
    r"(?:[:\-=]|\b(?:is|est|are|sont)\b)?\s*",
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
    # A final period goes, except the one of an abbreviation ("25-40 y.o.").
    part = re.sub(r"(?<!\.[A-Za-z])\.+$", "", part.strip(" ,;"))
    return _LABEL.sub("", _LEAD.sub("", part)).strip()


def read_answers(text: str, asked: Sequence[str], missing: Sequence[str] = ()) -> dict[str, str]:
    """Brand fields from a free answer to the questions about `asked` fields.

    In order of certainty: `Field: value` lines, then clauses that start with a
    field word ("ton honnête, direct"), then the vocabulary of each part, then
    what was asked. `missing` are the key fields still unknown: an unrecognised
    phrase may fill one of them (a product named while answering about the audience).
    """
    explicit = parse_fields(text)
    if explicit or not asked:
        return explicit
    parts = [p for p in _SPLIT_LINES.split(text.strip()) if p]
    if len(parts) < len(asked) or any(_COMMA.search(p) for p in parts):
        # Maybe one line for several questions: split on commas only if that helps.
        finer = [p for line in parts for p in _SPLIT_COMMA.split(line) if p]
        if sum(1 for p in finer if _field_of(p)) > 1 or (
            len(parts) < len(asked) and any(_field_of(p) for p in finer)
        ):
            parts = finer
    found: dict[str, str] = {}
    rest: list[str] = []
    previous: str | None = None
    for part in parts:
        name = _field_of(part)
        if name is None and previous is not None and len(part.split()) <= 2:
            # "ton honnête, direct, respectueux": a short word after a field's value
            # continues that value's list.
            name = previous
        if name is not None:
            value = _clean(part)
            found[name] = f"{found[name]}, {value}" if name in found else value
        else:
            rest.append(part)
        previous = name
    # Unrecognised parts go to fields without a vocabulary (the product), asked
    # first; an objective or a tone takes free text only when it was the one question.
    free = [f for f in asked if f not in found and f not in _VOCABULARY]
    free += [f for f in missing if f not in found and f not in _VOCABULARY and f not in free]
    if len(asked) == 1 and asked[0] not in found and asked[0] in _VOCABULARY:
        free.append(asked[0])
    if rest and not free and len(asked) == 1 and asked[0] in found:
        # One question, its answer found, words left: they belong to that answer.
        found[asked[0]] = ", ".join([*(_clean(p) for p in rest), found[asked[0]]])
        rest = []
    if rest and free:
        # The last free field takes what remains, so nothing the user said is lost.
        for name, part in zip(free[:-1], rest, strict=False):
            found[name] = _clean(part)
        if len(rest) >= len(free):
            found[free[-1]] = ", ".join(_clean(p) for p in rest[len(free) - 1:])
    return {k: v for k, v in found.items() if v}


_COMMA = re.compile(r",")


def _field_of(part: str) -> str | None:
    """The field a part answers: its own field word first ("ton ..."), then its vocabulary."""
    stated = bare_statements(part.strip())
    if len(stated) == 1:
        return next(iter(stated))
    return category(part)
