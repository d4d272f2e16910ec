"""Which language a message is in: French or English, or "can't tell".

A small stop-word vote is enough for two languages and costs microseconds; a
statistical detector would be slower and worse on three-word commands.
"""

from __future__ import annotations

import re

from bot.kernel.messages import Lang

_FR = frozenset(
    """le la les un une des du de au aux et ou est sont pour avec sans dans sur par pas plus
    moins nous vous ils elles je tu il elle on mon ma mes ton ta tes son sa ses notre votre nos
    vos leur leurs ce cette ces qui que quoi dont où mais donc car ne y en très aussi comme être
    avoir fait faire veux voudrais peux merci bonjour salut oui non aime aide encore marque cible
    objectif ton offre valeurs canaux contraintes concurrents affiner valider idée idées angle
    glossaire oublie moi stratégies jeunes lancer lancement nouvelle nouveau notre c'est j'aime
    qu'est-ce quel quelle quels quelles chez""".split()
)
_EN = frozenset(
    """the a an and or is are for with without in on by not more less we you they i he she it
    my your our their this that these those who what which but so be have do does make want
    would could can please thanks hello hi yes no like help brand audience objective tone
    product values channels constraints competitors refine validate idea ideas angle glossary
    forget me strategies young launch new of to from about how why when it's i'd we're let's
    dislike""".split()
)
_ACCENTS = re.compile(r"[éèêàùçôîœë]")
_WORD = re.compile(r"[a-zà-ÿœ']+")


def detect(text: str) -> Lang | None:
    """'fr', 'en', or None when the text gives no clear signal."""
    lowered = text.casefold()
    words = _WORD.findall(lowered)
    fr = sum(
        1 for w in words if w in _FR or w.split("'")[0] in ("j", "l", "d", "qu", "c", "n", "m")
    )
    en = sum(1 for w in words if w in _EN)
    fr += 2 * min(len(_ACCENTS.findall(lowered)), 3)
    if fr == en:
        return None
    return "fr" if fr > en else "en"
