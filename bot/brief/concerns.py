"""The brief's own key words: what the client worries about and talks in.

"ransomware", "downtime", "NIS2", "sourdough", "off-season hiking": writers use
them so a hook speaks the category's language instead of a stock sentence.
Found in order of strength: the sector's vocabulary met in the brief, codes
and acronyms (NIS2, XDR), what follows "worried about / peur de / enjeu", then
the brief's rarer content words (lemmatised with simplemma, so "chauffeurs"
and "chauffeur" are one concern).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import simplemma

from bot.brief.brand import fold

MAX_CONCERNS = 8
# Codes of three letters or more, or with a digit ("XDR", "NIS2", "RGPD"); "FT" is a name.
_ACRONYM = re.compile(r"\b(?:[A-Z][A-Z0-9]{2,6}\d*|[A-Z]+\d+[A-Z0-9]*|\d+[A-Z]{2,})\b")
# Codes every brief has, that say nothing of this one.
_GENERIC_CODES = frozenset(
    "B2B B2C B2B2C PME TPE ETI SME SMB CEO CMO CTO CIO CFO HR RH IT KPI ROI SEO SEA SMS PR RP "
    "UK US "
    "USA EU UE FR TV OK Q1 Q2 Q3 Q4 T1 T2 T3 T4 HT TTC TVA VAT FAQ PDF CTA AI IA".split()
)
_CUES = re.compile(
    r"(?:worried about|worries about|concerned about|afraid of|fear of|struggle with|"
    r"struggling with|"
    r"pain points? (?:is|are)|problem is|issue is|peur d[eu']|peur des|crainte d[eu']|craignent|"
    r"inquiets? (?:de|pour|face)|probleme (?:de|d'|du|des)|enjeu (?:de|d'|du|des)|freins? :?|"
    r"souffrent d[eu']|galerent avec)\s+(?:the |le |la |les |l'|un |une |des |their |leur |leurs )?"
    r"(?P<what>[a-z0-9' -]{3,40}?)(?=[,.;:!?()]|\s(?:and|et|but|mais|which|qui)\s|$)"
)
# Content words too common in briefs to be anyone's concern.
_GENERIC = frozenset(
    """campagne campaign lancement launch lancer marque brand produit product offre offer service
    client clients customer customers cible audience target objectif objective goal ton tone
    marketing communication message messages idee idea angle angles contenu content post posts
    reseaux social media vente ventes sale sales nouveau nouvelle new notre nos our nous we vous
    you they ils elles leur their entreprise company companies societe business annee year mois
    month semaine week jour day personne people gens vouloir want need besoin faire make avoir have
    etre plus more moins less tres very aussi also comme like pour for avec with sans without dans
    into chez france french francais anglais english europe europeen pays country ville city
    region local locale locaux prix price budget euros euro pound pounds dollar dollars mettre
    avant forward grand grande petit petite small large big bon bonne good meilleur best premier
    first dernier last toujours always jamais never tout tous toute toutes all every chaque each
    lancons lance lancent presente presentons devoile recrute recrutons vendons propose proposons
    cherche cherchons souhaite souhaitons aimerions voudrions worried worry worries looking wants
    close closes closed ouvre ouvrons opening launching introducing unveiling selling offering
    veulent peuvent doivent devons pouvons faut venir attirer toucher booster augmenter
    ouvert ouverte ouverts vendu vendue vendus offert offerte inclus incluse prevu prevue
    affichage radio facebook instagram linkedin tiktok youtube newsletter emailing podcast print
    samedi dimanche lundi mardi mercredi jeudi vendredi saturday sunday monday tuesday wednesday
    thursday friday second seconde deuxieme troisieme premier premiere
    porte portes communique communiquer communiquons jusqu
    projet project seulement only just vraiment really plan strategy strategie equipe team site
    website page surtout notamment especially particularly mainly mostly principalement
    essentiellement fine basee based situe situee sell sells vend vends vendre which what where
    when while whose whom there these those about after other another every outside inside
    today tomorrow buyer buyers acheteur acheteurs""".split()
)
# Verb forms say what happens, not what the brief is about: "coming", "launched", "veulent".
_VERB_FORM = re.compile(r"(?:ing|ed|ons|ez|ent|ait|aient|er|ir)$")
_ELISION = re.compile(r"^(?:[ldjmnstc]|qu)['’]", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-zÀ-ÿœ][A-Za-zÀ-ÿœ'-]{4,}")


@lru_cache(maxsize=4096)
def _lemma(word: str, lang: str) -> str:
    return simplemma.lemmatize(word, lang=lang)


def concerns(text: str, lang: str, vocabulary: Iterable[str] = (),
             skip: Iterable[str] = ()) -> tuple[str, ...]:
    """Up to MAX_CONCERNS key words of `text`, most telling first, as written.

    `vocabulary` is the sector's own words (folded); `skip` the words already
    used as the product or brand name (a hook uses those anyway).
    """
    folded = fold(text)
    skipped = {fold(w) for phrase in skip for w in re.findall(r"\w[\w-]*", phrase)}
    found: list[str] = []

    def add(term: str, *, always: bool = False) -> None:
        term = term.strip(" '-")
        key = fold(term)
        if not always and (key in skipped or f"{key}s" in skipped or f"{key}x" in skipped):
            return
        # "round" after "round-up" (or the reverse) is the same concern, said less well.
        parts = {fold(f): set(re.split(r"[- ]", fold(f))) for f in found}
        if term and all(f != key and key not in p and not set(re.split(r"[- ]", key)) & {f}
                        for f, p in parts.items()):
            found.append(term)

    terms = {fold(v): v for v in vocabulary if v}
    for key in sorted(terms, key=folded.find):
        if key and re.search(rf"(?<![\w]){re.escape(key)}(?:s|x)?(?![\w])", folded):
            add(terms[key], always=True)  # the category's own word, even in a name
    for code in _ACRONYM.findall(text):
        if code not in _GENERIC_CODES:
            add(code, always=True)  # "XDR", "NIS2": telling even inside the product's name
    for cue in _CUES.finditer(folded):
        add(cue.group("what"))
    if len(found) >= 2:
        # The category's own words and codes are what a hook should speak; ordinary
        # words and names add noise ("affichage", "Agricole", "ouvert") once they are there.
        return tuple(found[:MAX_CONCERNS])
    for match in _WORD.finditer(text):
        word = _ELISION.sub("", match.group(0))
        lemma = _lemma(word.lower(), "fr" if lang == "fr" else "en")
        if fold(lemma) in _GENERIC or fold(word) in _GENERIC:
            continue
        if word[0].isupper() or "'" in word:
            # Names (places, people, the brand's own words) make absurd hook subjects
            # ("On Leeds, ..."): the sector's words and codes say more.
            continue
        elif len(word) >= 5 and not _VERB_FORM.search(word.lower()):
            # The lemma only for a plural: simplemma reads "montre" (a watch) as the
            # verb "montrer" and "travelling" as "travell".
            plural = word.lower().endswith(("s", "x")) and word.lower().startswith(lemma)
            add(lemma if plural else word.lower())
    return tuple(found[:MAX_CONCERNS])
