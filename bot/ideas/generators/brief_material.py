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
# A concern is a *topic* a hook can be about ("levain", "ransomware", "permis C et CE"). A
# single word that is an adjective or an adverb ("nasal", "limitée", "mostly"), a person
# ("habitant", "buyer": the audience is no topic) or a word of the brief's mechanics reads
# absurdly as one ("Habitant : une série limitée", "Mostly: three myths"): it is left out.
_FR_NOT_NOUN = re.compile(r"(?:(?<!t)é|ique|iques|al|ale|ales|aux|elle|elles|if|ive|ifs|ives"
                          r"|eux|euse|euses"
                          r"|able|ables|ible|ibles|ée|ées|ante|antes|ère|ères|ment)$")
_EN_NOT_NOUN = re.compile(r"(?:ical|ial|ic|ive|ous|ful|less|able|ible|ed|ly|ish|al|-old)$")
_NOT_TOPICS = frozenset(fold(w) for w in """
    habitant habitants famille familles parent parents enfant enfants client clients femme femmes
    homme hommes couple couples salarié salariés trentenaire trentenaires senior seniors
    jeune jeunes
    adulte adultes particulier particuliers public gens personne candidat candidats éditeur
    ligne outil surtout vitrine cible marché donateur donateurs membre membres abonné abonnés
    buyer buyers people person women men woman man adult adults young children child kid kids
    customer customers member members donor donors leader leaders manager managers beginner
    beginners owner owners parent parents which mostly outside today market search online email
    sell install month monthly year week weekday chalkboard staff team capacity chair single
    release fine été hiver automne printemps summer winter autumn spring
    janvier février mars avril mai juin juillet août septembre octobre novembre décembre
    january february march april may june july august september october november december
    transporteur fabricant distributeur laboratoire association agence cabinet startup
    entreprise société company agency firm maker manufacturer retailer brand""".split())
# The tone sentence of a brief ("Ton direct, humain", "Tone: cheeky, local") names no topic.
_TONE_CLAUSE = re.compile(r"(?i)\b(?:ton|tone|registre|register)\b\s*:?\s*([^.\n]*)")
# Nouns that end like adjectives ("journal", "festival").
_NOUNS = frozenset("journal festival canal cheval métal signal bocal carnaval hôpital capital "
                   "animal rental festival approval proposal hospital café thé marché comité "
                   "degré musée lycée "
                   "journée soirée idée année entrée randonnée poupée".split())
# A word the brief only says after a negation is what it rules out, not its topic
# ("vendu sans ordonnance", "never say covers everything", "jamais associer l'alcool").
_FR_CUT = frozenset("à a au aux en pour avec sur sous dans chez le la les qui que ce cet cette "
                    "ces this these that".split())
_NEGATION = re.compile(r"(?i)\b(?:sans|jamais|pas|ni|aucune?|never|no|not|without|nothing)\b")
# Figures that are the brief's own targets or its audience's ages belong in no hook
# ("18 % : le résultat tient en une ligne", "30-45 ans"): only facts of the offer do.
_TARGET_CUES = re.compile(
    r"(?i)\b(?:objectif|objectifs|but|cible|vise|visons|viser|veut|voulons|veulent|souhait\w*"
    r"|atteindre|remplir|recruter|vendre|doubler|tripler|d'ici|goal|goals|target|targets|aim"
    r"|want|wants|need|needs|grow|lift|reach|sell|fill|hire|by|before|avant|audience"
    r"|budget|coût|cost|acquisition|conversion)\b|\+\s*$")
_AGE_RANGE = re.compile(r"^\d+\s*[-–à]\s*\d+(?:\s+(?:ans|years|who)\b|$)|^\d+\s+who\b")
_RATE_WORDS = re.compile(r"(?i)\b(?:taux|rate|apr|taeg|abv|intérêts?|interest|alcool)\b")


@dataclass(frozen=True, slots=True)
class Concern:
    bare: str  # "levain", "NIS2"
    written: str  # "le levain"
    np_safe: bool  # usable as an English noun phrase ("about the tourbillon", "about NIS2")


@dataclass(frozen=True)
class Material:
    lang: Lang
    concerns: tuple[Concern, ...]
    # Every figure of the brief with what it counts (a refine "with a figure" may use any).
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
    facts: tuple[str, ...] = ()  # figures a hook may print: facts of the offer, not targets
    counts: tuple[str, ...] = ()  # facts that count something ("48 pièces")
    prices: tuple[str, ...] = ()  # prices of the offer ("24 €", "$19 a month")
    tu: bool = False  # the brief asks French copy to say "tu" ("tutoiement ok")

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


_NOT_FACTS = frozenset({"target", "budget", "age"})


def hookable_figure(figure: str, phrase: str, text: str) -> bool:
    """A fact of the offer a reader can use ("24 €", "48 pièces"), not a target or an age."""
    at = text.find(figure)
    if at < 0 or _AGE_RANGE.search(figure) or re.fullmatch(r"(?i)Q\d|T\d|\d{4}", figure):
        return False
    if re.search(r"(?i)\b(?:new|nouveaux|nouvelles|nouveau|more|extra)\b", phrase):
        return False  # "1,500 new monthly donors": what the brief wants, not what it offers
    start = max(text.rfind(ch, 0, at) for ch in ".;\n!?")
    if phrase == figure and "%" in figure and not _RATE_WORDS.search(text[max(start, at - 30):at]):
        return False  # "18 %" of what? A bare percentage says nothing; "taux à 3,2 %" does
    return not _TARGET_CUES.search(text[start + 1:at]) and not _AGE_RANGE.search(phrase)


_RATE = re.compile(r"(?i)^(?:a|an|per|par|the|le|la)?\s*(?:month|mois|year|an|année|night|nuit"
                   r"|week|semaine|day|jour|bottle|bouteille|person|personne)\b")


def _short(phrase: str, figure: Any) -> str:
    """A hook's figure: the sum with its rate ("£8 a month"), a count with what it counts,
    cut before its first preposition or verb ("3 nuits", not "3 nuits au chaud")."""
    rest = phrase[len(figure.text):].strip()
    if figure.kind == "money":
        rate = _RATE.match(rest)
        return f"{figure.text} {rate.group(0).strip()}" if rate else figure.text
    words: list[str] = []
    for word in rest.split():
        if word.lower() in _PREPOSITIONS or fold(word) in _FR_CUT or _TARGET_CUES.search(word):
            break
        words.append(word)
    return " ".join([figure.text, *words[:2]])


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


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\w'-]+", fold(text)))


def _words_of(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]{4,}", fold(text))}


def _sector_lines(book: Any, sector_ids: tuple[str, ...], lang: Lang,
                  audience: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"pains": [], "desires": [], "proofs": [], "words": []}
    if book is None:
        return out
    wanted = _words_of(audience)
    for rank, sid in enumerate(sector_ids):
        try:
            sector = book.get(sid)
        except (KeyError, LookupError):
            continue
        out["words"] += list(sector.vocabulary.get(lang, ()))
        if rank:
            # What people feel and what proves it come from the brief's main sector only: a
            # second one read from a passing word ("sortis de formation") would speak of
            # "anciens élèves" to truck drivers.
            continue
        # The sector's audience the brief speaks to, when its name says so ("adultes
        # enrhumés" -> "Adultes actifs..."): a parent's worry is not an adult's.
        audiences = [a for a in sector.audiences if wanted & _words_of(a.name.get(lang, ""))]
        if not audiences and len(sector.audiences) == 1:
            audiences = list(sector.audiences)
        # No audience of the sector is the brief's: quoting the first one's worries would
        # put "bread that keeps" in a scheduling app's hook. Nothing is better than that.
        for audience_ in audiences:
            out["pains"] += list(audience_.pains.get(lang, ()))
            out["desires"] += list(audience_.desires.get(lang, ()))
        out["proofs"] += list(sector.proofs.get(lang, ()))
    # A pain or desire is quoted as what people say: a phrase of two words or more,
    # with no quotes of its own ("prix" alone says nothing; "« faux « local » »" reads badly).
    for key in ("pains", "desires"):
        out[key] = [p for p in out[key] if len(p.split()) >= 2 and not set(p) & set("«»“”\"")]
    # A proof goes into copy too: none with quotes or an ellipsis of its own.
    out["proofs"] = [p for p in out["proofs"]
                     if not set(p) & set("«»“”\"()") and "..." not in p]
    return {k: list(dict.fromkeys(v)) for k, v in out.items()}


def _is_topic(concern: str, lang: Lang, *, vocabulary: set[str], aside: set[str]) -> bool:
    """Can a hook be *about* this word? (module comment of _NOT_TOPICS)."""
    key = fold(_ARTICLE.sub("", concern.strip()))
    word = concern.strip().lower()
    if key in vocabulary:  # the category's own word: "levain", "hors saison" (not "licensed")
        return " " in key or word in _NOUNS or not (
            _FR_NOT_NOUN if lang == "fr" else _EN_NOT_NOUN).search(word)
    if key in aside or key.rstrip("s") in aside:
        return False  # a word of the tone, the rules, the brand or the audience ("sobre")
    if " " in key:
        return True  # "permis C et CE", "la sauvegarde", "réduction d'impôt"
    bare = _ARTICLE.sub("", concern.strip())
    if any(c.isdigit() for c in bare) or bare.isupper():
        return len(bare) > 2 and bare not in {"DTC", "D2C", "SAAS"}  # "NIS2", not "DTC"
    if key in _NOT_TOPICS or key.rstrip("s") in _NOT_TOPICS or len(key) < 4:
        return False
    if lang == "en" and "-" in key:
        return False  # "whole-of-market", "small-batch": modifiers, not topics
    return word in _NOUNS or not (_FR_NOT_NOUN if lang == "fr" else _EN_NOT_NOUN).search(word)


def _only_counted(concern: str, text: str) -> bool:
    """Every time the brief says `concern`, it is what a figure counts ("32 couverts", "3 chairs"):
    a unit, not a topic."""
    key = re.escape(fold(_ARTICLE.sub("", concern.strip())))
    folded = fold(text)
    said = re.findall(rf"(?<!\w)(\S*\s*){key}", folded)
    return bool(said) and all(re.search(r"\d\s*$", before) for before in said)


def clean_product(product: str) -> bool:
    """Can the offer as the reader wrote it go into copy? Not a half-sentence
    ("transporteur régional basé", "protein bar brand selling") nor a paragraph."""
    words = product.split()
    if any(w[:1].isupper() for w in words[1:]):
        return False  # "refuge Patte Blanche": a name, said by the brand slot already
    return 1 <= len(words) <= 6 and not re.search(
        r"(?i)(?:ing|é|ée|és|ées|brand|marque)$", words[-1]) and not set(product) & set(";:(")


def _only_negated(concern: str, text: str) -> bool:
    """Every clause of `text` that says `concern` negates it before it."""
    key = fold(_ARTICLE.sub("", concern.strip()))
    clauses = [c for c in re.split(r"[.;:,!?()\n]|\s(?:et|and|but|mais)\s", fold(text))
               if re.search(rf"(?<!\w){re.escape(key)}", c)]
    return bool(clauses) and all(_NEGATION.search(c[:c.find(key)]) for c in clauses)


def product_topic(product: str, lang: Lang) -> str:
    """The offer's head noun phrase, a topic when the brief names no better one.

    English keeps the last words ("refillable ... water bottle brand" -> "water bottle"),
    French the first ones, up to a preposition ("tourbillon en édition limitée" ->
    "tourbillon"); a reader's half-sentence ("transporteur régional basé") loses its
    participle. Empty when nothing short is left.
    """
    words = _ARTICLE.sub("", " ".join(product.split())).strip(" .,;:").split()
    if lang == "fr":
        stop = next((i for i, w in enumerate(words) if i and fold(w) in _FR_CUT), len(words))
        words = words[:stop]
    while words and (re.search(r"(?:ing|é|ée|és|ées)$", words[-1])
                     or fold(words[-1]) in {"brand", "marque", "site", "company", "selling"}):
        words.pop()
    if lang == "en":
        words = words[-2:]
    if not 1 <= len(words) <= 3 or any(w[:1].isupper() for w in words[1:]):
        return ""
    return " ".join(words)


def build_material(model: BriefModel, lang: Lang, *, guard: ExclusionGuard,
                   book: Any = None) -> Material:
    lines = _sector_lines(book, model.sectors, lang, model.get("audience"))
    # Never the product name as a concern: that is the stock copy this path replaces.
    vocabulary = {fold(w) for w in lines["words"]}
    aside = {w for field in ("tone", "brand", "audience") for w in _words(model.get(field))}
    aside |= {w for e in model.exclusions for w in _words(e.text)}
    aside |= {w for m in _TONE_CLAUSE.finditer(model.text) for w in _words(m.group(1))}
    raw = [c for c in model.concerns
           if _is_topic(c, lang, vocabulary=vocabulary, aside=aside)
           and not _only_negated(c, model.text) and not _only_counted(c, model.text)]
    # "permis" beside "permis C et CE" says less: a word of a longer topic is not one itself.
    longer = {w.rstrip("sx") for c in raw if " " in c.strip() for w in fold(c).split()}
    raw = [c for c in raw if " " in c.strip() or fold(c).rstrip("sx") not in longer]
    by_stem: dict[str, str] = {}
    for c in raw:  # "tickets" and "ticket" are one topic
        by_stem.setdefault(fold(c).rstrip("sx"), c)
    raw = list(by_stem.values())
    # The words of the offer itself first ("brunch", "tourbillon"): the brief is about them.
    offer = model.known(facts_only=True).get("product", "")  # never an assumed "notre offre"
    product = fold(offer)
    raw.sort(key=lambda c: fold(_ARTICLE.sub("", c)) not in product)
    strong = [c for c in raw if fold(c) in vocabulary or " " in c.strip()
              or any(ch.isdigit() or ch.isupper() for ch in c)]
    topic = product_topic(offer, lang)
    if topic and not strong and all(fold(topic) != fold(c) for c in raw):
        # No word of the category: the offer itself is the surest topic ("water bottle"),
        # surer than single words a reader split off the brief ("steel", "illness").
        raw = [topic]
    if not raw:
        raw = lines["words"][:3]
    # A word of what the brief rules out ("pas d'urgence" -> "urgence") is no concern to write from.
    ruled = [fold(e.text) for e in model.exclusions]
    concerns = tuple(c for c in (_concern(x, lang) for x in raw[:_MAX_CONCERNS])
                     if c and not any(fold(c.bare) in r for r in ruled)
                     and not guard.breaks(c.written, model, lang))
    refused = guard.refused_occasion(model)
    words = [w for w in lines["words"]
             if w.casefold() not in {c.bare.casefold() for c in concerns}]
    # The reader marks the goal's targets, the budget and ages (Figure.kind); the text cues
    # below catch what it could not place.
    facts = {_short(phrase, f): f for f in model.figures if f.kind not in _NOT_FACTS
             and hookable_figure(f.text, phrase := figure_phrase(f.text, model.text), model.text)}
    return Material(
        lang=lang,
        tu=lang == "fr" and model.address == "tu",
        concerns=concerns,
        figures=tuple(dict.fromkeys(figure_phrase(f.text, model.text) for f in model.figures)),
        facts=tuple(facts),
        counts=tuple(p for p, f in facts.items() if f.kind in ("count", "quantity")),
        prices=tuple(p for p, f in facts.items() if f.kind == "money"),
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
