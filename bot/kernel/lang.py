"""Which language a message is in: French or English, or "can't tell".

Two signals, by the length of the text. A short command ("like 2", "aide") is
a stop-word vote: a statistical model has too little to go on. A sentence goes
to lingua (a maintained language identifier, restricted to French and English),
whose confidence follows the majority of the words, so a mostly English brief
with one French clause stays English. When lingua is unsure, the vote decides.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

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
# From this many words on, a text is a sentence worth the statistical model.
_SENTENCE_WORDS = 4
_SURE = 0.75


def _vote(text: str) -> Lang | None:
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


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder  # loaded on the first sentence only

    return LanguageDetectorBuilder.from_languages(Language.FRENCH, Language.ENGLISH).build()


def detect(text: str) -> Lang | None:
    """'fr', 'en', or None when the text gives no clear signal."""
    words = _WORD.findall(text.casefold())
    if len(words) < _SENTENCE_WORDS:
        return _vote(text)
    best = _detector().compute_language_confidence_values(text)[0]
    if best.value >= _SURE:
        return "fr" if best.language.name == "FRENCH" else "en"
    return _vote(text)


def warm_up() -> None:
    """Load the language model now (at start-up) rather than on a user's first sentence."""
    detect("Nous lançons une nouvelle offre pour les jeunes actifs")
