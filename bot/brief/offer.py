"""The offer a brief is about, and the brand behind it, read from how briefs are written.

Briefs name the offer in a handful of shapes, tried from the most to the least
telling:

1. a launch or push verb: "on lance un cheddar vieilli", "we're launching an
   own-label organic range", "pousser le collier", "unveiling the Méridien Tourbillon";
2. a name and what it is: "Lumen Abyss, un roguelite sous-marin", "Trailpod, a
   solar camping lantern" (the name becomes the brand when none is known);
3. a brand then its verb: "Wren & Wool makes knitwear", "Teamloop is an onboarding
   platform", "Vigilis propose un SOC managé";
4. a brand then a colon or a comma: "Banque Rivage : prêt étudiant à 0,9 %",
   "Domaine Kessler, crémant d'Alsace brut nature";
5. the opening words, when they are an offer and no name: "Jouets en bois
   fabriqués dans le Jura", "Glowlab vitamin C serum, 15 %".

A value stops where a time, a price, a place or an audience begins ("at Q3",
"à 9,99 €", "in Walthamstow", "pour les artisans"). When no shape fits, nothing
is taken and the question is asked.
"""

from __future__ import annotations

import re

from bot.brief.brand import fold
from bot.brief.categories import GOAL_VERBS

# Where an offer phrase ends: punctuation, an audience or purpose word, or a
# preposition that starts a time, a price, a place or a channel.
_MONTHS = (r"janvier|fevrier|février|mars|avril|mai|juin|juillet|aout|août|septembre|octobre|"
           r"novembre|decembre|décembre|january|february|march|april|may|june|july|august|"
           r"september|october|november|december|spring|summer|autumn|fall|winter|printemps|"
           r"été|ete|automne|hiver")
_END = (
    r"(?=\s+(?:pour|auprès|aupres|afin|qui|que|dès|des le|en vue|vers|cet|cette|ces|ce mois|"
    r"for|to|towards|aimed|targeting|that|which|this|next|ahead|before|avant|worried|looking|"
    r"wanting|who|whose|dont|chez|across|throughout|near|around|jusqu'à|jusqu'a|up to|from|"
    r"avec|with|via|priced|costing|au prix|vendue?s?|sold|and ships|et livr\w*|"
    r"sur (?:le|la|les|notre|nos|votre)|on (?:our|the|its)|at (?:its|our|the|their))\b|"
    # a place, a date or a figure after a preposition: "in Walthamstow", "à 9,99 €", "at Q3"
    r"\s+(?:à|a|at|in|en|dès|au|by|par|dans|le|on)\s+(?:l'|la\s|le\s|the\s)?"
    r"(?:\d|(?-i:[A-ZÀ-Ý])|(?:q[1-4]|t[1-4]|" + _MONTHS + r")\b)|"
    r"\s+\d+(?:[.,]\d+)?\s?%|\s*[,.;:!?()\n]|\s+[–—-]\s|$)"
)
_ART = (r"(?:(?:un|une|des|le|la|les|l'|d'|du|de la|notre|nos|son|sa|ses|leur|leurs|our|a|an|"
        r"the|its|their|his|her|new|nouvel(?:le)?|nouveau|nouveaux|nouvelles|brand-new|"
        r"brand new)\s+)*")
_VALUE = r"(?P<value>[^,.;:!?()\n]{2,70}?)"
_LAUNCH = re.compile(
    r"\b(?:(?:we|nous|on)\s+(?:sell|vend(?:ons)?)|lan[cç]ons|lance|lancent|lancer|"
    r"lancement d[eu']|launch(?:es|ed|ing)?|"
    r"pr[ée]sentons|pr[ée]sente|introduc(?:e|es|ing)|unveil(?:s|ing)?|d[ée]voil(?:e|ons)|"
    r"sortons|sort|release|releasing|ouvrons|ouvre|opening|open(?:s)?|starting|start(?:s)?|"
    r"rolling out|roll(?:s)? out|bringing|promouvoir|promote|promoting|pousser|push(?:ing)?|"
    r"mettre en avant|highlight(?:ing)?)\s+(?:on\s+|sur\s+)?" + _ART
    + _VALUE + _END,
    re.IGNORECASE,
)
_NAME = r"(?P<name>(?-i:[A-ZÀ-Ý])[\w'&.-]*(?:\s+(?:&\s+)?(?-i:[A-Z0-9À-Ý])[\w'&.-]*){0,3})"
_NAMED = re.compile(
    _NAME + r"\s*,\s*(?:un|une|a|an|the|le|la|l'|notre|our)\s+" + _VALUE + _END, re.IGNORECASE
)
_BRAND_VERB = re.compile(
    r"^\s*(?:the\s+)?" + _NAME + r"\s+(?:is|est|makes|fabrique|sells|vend|offers|offre|propose|"
    r"provides|fournit|installs|installe|builds|construit|runs|organise|organizes|automates|"
    r"automatise|edits|édite|delivers|livre|designs|conçoit|brews|brasse|roasts|torréfie|"
    r"creates|crée)\s+" + _ART + r"(?:(?:cloud-native|leading|first|premier)\s+)?" + _VALUE + _END,
    re.IGNORECASE,
)
_OPENING = re.compile(r"^\s*(?P<value>[^,.;:!?()\n]{2,120}?)(?P<sep>\s*[,:;.(\n]|\s*$|\s+[—–-]\s|"
                      r"\s+(?:à|a|in|at|en|au|chez)\s+(?:l'|la |le |the )?(?=[A-ZÀ-Ý]))")
# "Programme neuf Les Jardins d'Erdre à Nantes : 42 logements": the business, a colon, the offer.
_COLON = re.compile(r"^\s*(?P<head>[^.:!?\n]{2,90}?)\s*:\s*(?P<rest>.*)$", re.DOTALL)
# "Offre séminaires en semaine", "Our offer: ..." at a sentence start.
_OFFER_SENTENCE = re.compile(r"(?:^|[.!?]\s+)(?:notre |l')?(?:offre|our offer|the offer|"
                             r"offer)\s*:?\s+"
                             + _ART + _VALUE + _END, re.IGNORECASE)
_EVENT = re.compile(r"(?i:festival|salon|foire|expo|exposition|concert|fair|show|conference|"
                    r"conférence|marathon|trail|rencontres|journées|nuit|week-end)\b")
_BUSINESSES = frozenset(
    """firm cabinet agency agence company societe entreprise studio clinic clinique shop boutique
    bakery boulangerie restaurant bistrot bistro hotel charity association dealership concession
    garage practice salon brewery brasserie estate domaine chain enseigne retailer store magasin
    operator operateur provider fournisseur opticien optician pharmacie pharmacy dentiste dentist
    torrefacteur roaster boucherie butcher fleuriste florist coiffeur hairdresser barber
    cidrerie friterie fromagerie""".split()
)
_POSSESSIVE = re.compile(r"\b(?:its|our|their|notre|nos|son|sa|ses|leur|leurs)\s+"
                         r"(?:new\s+|nouveau\s+|nouvelle\s+)?" + _VALUE + _END, re.IGNORECASE)
_NOT_OWNED = frozenset(
    """ads ad site website shop store team teams customers clients audience brand social page pages
    posts campaign campagne equipe boutique magasin publicites pubs reseaux season saison
    period periode time moment month mois year annee budget target cible goal objectif""".split()
)
_PREPOSITION = frozenset("in en a à at on sur dans au aux to for pour de du des by par via".split())
_AFTER = re.compile(r"\s*" + _ART + _VALUE + _END, re.IGNORECASE)
# "Chez" with a capital is part of a name ("Friterie Chez Mimi"), "chez" is where.
_CUT = re.compile(r"\s+(?:pour|for|to|auprès|aupres|aimed|targeting|with|avec|qui|that|who|"
                  r"de la marque|by|(?-i:chez)|made in|fabriqu[ée]e?s? (?:en|au|dans|à)|"
                  r"(?:brand\s+)?(?:selling|sold|available|installed|delivered|shipped|"
                  r"install[ée]e?s?|livr[ée]e?s?))(?:\s+.*)?$",
                  re.IGNORECASE)
# A way of selling is not the offer: "a DTC plant-based protein bar" sells protein bars.
_SALES_MODEL = re.compile(r"^(?:DTC|D2C|direct-to-consumer)\s+", re.IGNORECASE)
_SMALL = frozenset("de du des d' la le les l' et & of the and von van der y e".split())
# Words that make an opening a company, not an offer: "Cabinet Morel", "Garage Martin".
_ORG = frozenset(
    """maison domaine cabinet garage banque hotel studio atelier laboratoires laboratoire brasserie
    cidrerie friterie fromagerie operateur collectif installateur fournisseur mairie ville office
    agence groupe societe entreprise association fondation musee cinema theatre universite ecole
    boulangerie restaurant cafe bistrot clinique pharmacie council brewing motors energy rail
    epicerie programme torrefacteur concessionnaire
    society llp ltd inc sas sarl group agency foundation museum university school bank""".split()
)
# Not offers: what a brief also names at these places.
_NOT_OFFERS = frozenset(
    """campaign campagne operation initiative idees idea ideas strategy strategie plan contenu
    content post posts brief rapide quick salut bonjour hello hi hey coucou help aide besoin need
    we nous on je i il elle ils elles our notre nos votre your comment how what pourquoi why
    the it this that them these those ca cela ceci when quand where while lorsque budget
    canaux channels cible target audience objectif objective goal ton tone""".split()
)
_VERBISH = frozenset(
    """lance lancons lancer launch launching veut veux voulons want wants need needs is are est sont
    sommes suis avons have has we nous on je i vous you cherche cherchons looking besoin help aide
    idee idees ideas propose brainstorm comment how what quoi pourquoi why fete fetes celebrates
    celebrating wants doit devons must opens ouvre ouvrent launches lance starts commence""".split()
)


def _clean(value: str) -> str:
    value = " ".join(value.split()).strip(" -'")
    if not (value[:1] == '"' and value.count('"') >= 2):  # '"Agri Demain" les 14 mars' stays
        value = value.strip(" -'\"«»“”")
    value = re.sub(r"\s+brand$", "", value, flags=re.IGNORECASE)  # "... water bottle brand"
    if value.count('"') % 2:
        at = value.index('"')
        # 'programme neuf "Les Jardins de Loire' lost its closing quote; 'Agri Demain" les 14
        # mars' lost its opening one: close the first, end the second at its quote.
        value = value + '"' if " " in value[:at].strip() else value[:at].strip()
    # 'expo "Volcans" du 12 octobre', '"Agri Demain" les 14 et 15 mars': when, not what.
    value = re.sub(r"\s+(?:du|from|les|le|on)\s+\d{1,2}(?:er)?(?:\s+(?:et|and|au|-)\s+\d{1,2})?"
                   r"(?:\s+\w+)?\s*$", "", value)
    return re.sub(r"^(?:(?:une |la |notre )?marque (?:de |d'|du |des )|(?:a |our )?brand of )", "",
                  value, flags=re.IGNORECASE)


def _usable(value: str) -> bool:
    words = fold(value).split()
    # "Office du tourisme : attirer les familles": a goal after the colon, not an offer.
    if re.match(r"^\d+\s+(?:days?|jours?|nights?|nuits?|weeks?|semaines?|months?|mois)\b", value,
                re.IGNORECASE):
        return False  # "Greenfield Folk Festival, 3 days, 18-20 July": how long, not what
    if re.match(r"^[€£$]?\s?\d[\d\s.,]*\s?(?:€|£|\$|k€|euros?)", value):
        return False  # "Le petit budget : 800 € au total": a sum, not an offer
    return (1 <= len(words) <= 9 and words[0] not in _NOT_OFFERS and words[0] not in _PREPOSITION
            and not (len(words) <= 2 and words[-1] in _NOT_NAMES)  # "le dimanche"
            and not set(words[:2]) & _VERBISH and words[0] not in GOAL_VERBS)


def _trim(value: str) -> str:
    """An offer phrase without its trailing price or launch date ("Kréa à 9 €/mois")."""
    value = _SALES_MODEL.sub("", value)
    return _clean(re.split(r"\s+(?:à|a|at|from|dès|for|pour)\s+\d|\s+\d+(?:[.,]\d+)?\s?%",
                           _CUT.sub("", value))[0])


def is_name(text: str) -> bool:
    """A proper name ("Harbour Building Society", "Maison Lin&Co", "Cabinet Morel & Associés")."""
    words = text.split()
    if not words or not words[0][:1].isupper() or len(words) > 7:
        return False
    if set(fold(text).split()) & _VERBISH or _LAUNCH.search(text):
        return False
    if fold(words[0]) in _ORG:
        return True
    return all(w[:1].isupper() or w[:1].isdigit() or fold(w) in _SMALL for w in words)


def offer_and_brand(brief: str) -> dict[str, str]:
    """{"product": ..., "brand": ...} as far as the brief says them; {} when unsure."""
    brief = without_preamble(brief)
    found: dict[str, str] = {}
    marked = marked_brand(brief)
    for shape in (_named, _launched, _offer_sentence, _trade, _activity, _brand_verb, _colon,
                  _opening):
        found = shape(brief)
        if found.get("product"):
            found = _with_opening_brand(brief, found)
            if marked and fold(found["product"]).startswith("marque"):
                # "Croquettes Félina Senior ..., marque Félina": the opening was the offer.
                found = {"product": found.get("brand", ""), "brand": marked}
            elif marked:
                found["brand"] = marked
            return {k: v for k, v in found.items() if v}
    # The last shape tried, the opening words, may still have named a brand.
    if not found.get("brand"):
        acting = _NAME_ACTS.match(brief)  # "NHS Blood and Transplant wants more donors"
        if acting and is_name(acting.group("name")):
            found["brand"] = _clean(acting.group("name"))
    if found.get("brand") and _EVENT.search(found["brand"]):
        found["product"] = found["brand"]  # "Festival Les Ondes" is the offer too
    return found


_NOT_NAMES = frozenset(
    """january february march april may june july august september october november december
    janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
    monday tuesday wednesday thursday friday saturday sunday lundi mardi mercredi jeudi
    vendredi samedi dimanche christmas noel easter paques""".split())


def _named(brief: str) -> dict[str, str]:
    # "to fill January to March, our dead season": a month before a comma is no brand.
    named = next((m for m in _NAMED.finditer(brief)
                  if fold(m.group("name")) not in _NOT_NAMES), None)
    if not named:
        return {}
    value = _LEADING_TRADE.sub("", _trim(named.group("value")))  # "a provider of X" -> "X"
    if not _usable(value) or is_name(named.group("value")):
        return {}
    found = {"brand": _clean(named.group("name")), "product": value}
    if _business(value):
        # "Ledger & Co, an accounting firm, ... for its fixed-fee bookkeeping": the firm is
        # who sells; what it sells is named with "its / our / notre".
        owned = _POSSESSIVE.search(brief, named.end())
        offer = _trim(owned.group("value")) if owned else ""
        if offer and _usable(offer) and fold(offer.split()[-1]) not in _NOT_OWNED:
            found["product"] = offer
    return found


def names_a_business(value: str) -> bool:
    """"farm-to-table restaurant", "22-room boutique hotel", "opticien indépendant": who sells."""
    words = fold(value).split()
    return _business(value) or bool(words) and (words[0] in _BUSINESSES
                                                or words[-1] == "marketplace")


def _business(value: str) -> bool:
    """"accounting firm", "dental clinic", "small bakery": who sells, not what."""
    words = fold(value).split()
    return bool(words) and words[-1] in _BUSINESSES


def _offer_in(match: re.Match[str] | None) -> dict[str, str]:
    """{"product": the match's value} when it reads as an offer, else {}."""
    value = _trim(match.group("value")) if match else ""
    return {"product": value} if value and _usable(value) else {}


def _launched(brief: str) -> dict[str, str]:
    match = _LAUNCH.search(brief)
    if match and re.search(r"\b(?:on|sur)\s+$", brief[:match.start("value")], re.IGNORECASE) \
            and match.group("value")[:1].isupper():
        return {}  # "Launch on Boots.com in March": where, not what
    return _offer_in(match)


def _offer_sentence(brief: str) -> dict[str, str]:
    return _offer_in(_OFFER_SENTENCE.search(brief))


def _brand_verb(brief: str) -> dict[str, str]:
    verb = _BRAND_VERB.search(brief)
    value = _trim(verb.group("value")) if verb else ""
    if not verb or not value or not _usable(value):
        return {}
    return {"brand": _clean(verb.group("name")), "product": value}


_ACTIVITY = re.compile(r"^\s*(?:installateur|fournisseur|fabricant|vendeur|distributeur|maker|"
                       r"provider|supplier|installer|producteur|producer)s?\s+(?:de |d'|du |des |"
                       r"of )"
                       + _VALUE + _END, re.IGNORECASE)


def _activity(brief: str) -> dict[str, str]:
    """"Installateur de pompes à chaleur en Occitanie": the trade names the offer."""
    return _offer_in(_ACTIVITY.match(brief))


# "Novacoat, éditeur SaaS de maintenance prédictive pour...": the trade after the name
# says what is sold; a code between the trade and "de" qualifies it ("SaaS").
_TRADES = (r"(?:editeur|éditeur|fabricant|fournisseur|installateur|specialiste|spécialiste|"
           r"producteur|distributeur|developer|maker|manufacturer|provider|supplier|specialist|"
           r"producer)s?")
_TRADE = re.compile(
    _NAME + r"\s*,\s*(?:(?:un|une|a|an|the|le|la|l'|notre|our)\s+)?" + _TRADES
    + r"(?:\s+(?P<kind>(?-i:[A-Z][A-Za-z0-9-]+)))?\s+(?P<link>de |d'|du |des |of )" + _VALUE + _END,
    re.IGNORECASE)
_LEADING_TRADE = re.compile(r"^" + _TRADES + r"\s+(?:de |d'|du |des |of )", re.IGNORECASE)


def _trade(brief: str) -> dict[str, str]:
    match = _TRADE.search(brief)
    found = _offer_in(match)
    if not match or not found:
        return {}
    if match.group("kind"):  # "éditeur SaaS de maintenance" -> "SaaS de maintenance"
        found["product"] = f"{match.group('kind')} {match.group('link')}{found['product']}"
    return {"brand": _clean(match.group("name")), **found}


def _colon(brief: str) -> dict[str, str]:
    colon = _COLON.match(brief)
    if not colon:
        return {}
    head = _trim(re.split(r"\s+(?:à|a|in|at|en|au|chez)\s+(?:l'|la |le |the )?(?=[A-ZÀ-Ý])",
                          colon.group("head"))[0])
    head = re.sub(r"\s*\([^)]*\)?$", "", head)
    first = head.split(",")[0].strip()
    if is_name(first):
        head = first  # "Smile Studio, dental clinic in Cardiff: clear aligners"
    head_words = fold(head).split()
    if (head_words and not is_name(head) and len(head_words) <= 6 and not _business(head)
            and not set(head_words) & _VERBISH and not set(head_words) & _ORG
            and not set(head_words) & _NOT_OFFERS):
        # "Crédit auto Finaxo : taux fixe 3,9 %": the offer comes first, its terms after.
        return {"product": head}
    after = _AFTER.match(colon.group("rest"))
    value = _trim(after.group("value")) if after else ""
    if not value or not _usable(value) or is_name(value):
        return {}
    found = {"product": value}
    if is_name(head):
        found["brand"] = head
    return found


def _opening(brief: str) -> dict[str, str]:
    opening = _OPENING.match(brief)
    if not opening:
        return {}
    head = _trim(opening.group("value"))
    head = re.sub(r"^(?:des|les|un|une|le|la|l'|du|the|a|an|some)\s+", "", head, flags=re.I)
    words = fold(head).split()
    if not words or set(words) & _VERBISH or words[0] in _NOT_OFFERS or "budget" in words:
        return {}
    if is_name(head):
        # "Domaine Kessler, crémant d'Alsace brut nature": the brand, then the offer.
        found = {"brand": head}
        if opening.group("sep").strip() in (",", ":", "—", "–", "-"):
            after = _AFTER.match(brief, opening.end())
            value = _trim(after.group("value")) if after else ""
            if value and _usable(value) and not is_name(value):
                found["product"] = value
        return found
    return {"product": head} if len(words) <= 7 else {}


def _with_opening_brand(brief: str, found: dict[str, str]) -> dict[str, str]:
    """A launch sentence after a brand name ("Fromagerie du Lac : on lance..."): keep the brand."""
    if "brand" in found:
        return found
    opening = _OPENING.match(brief)
    if opening and opening.group("sep").strip() in (":", ",", "(", "—", "–", "-") \
            and is_name(opening.group("value")):
        found["brand"] = _clean(opening.group("value"))
        return found
    acting = _NAME_ACTS.match(brief)  # "Finéo lance un prêt auto"
    if acting and is_name(acting.group("name")):
        found["brand"] = _clean(acting.group("name"))
    return found


def announces_offer(text: str) -> bool:
    """Whether a text launches or presents an offer ("we're launching...", "X, a Y"): a brief."""
    named = _named(text)
    return bool(_launched(text) or (named and is_name(named.get("brand", ""))))


# "Thanksgiving prix fixe, $65 per person", "Midweek spa breaks at £189", "abonnement café
# en grains livré tous les 15 jours, 16 € le kilo": the words before a price name what is sold.
_PRICE = re.compile(r"(?:(?:ca|us|au|c)?[€£$]\s?\d|\d[\d\s.,]*\s?(?:€|£|\$|eur\b|euros?\b))",
                    re.IGNORECASE)
_BEFORE_PRICE = re.compile(r"(?:,|\s)\s*(?:at|à|a|for|pour|from|dès|des|à partir de|only|"
                           r"seulement|just)?\s*$", re.IGNORECASE)
# Where an offer phrase starts inside its clause: after a verb of selling or a conjunction.
_OFFER_START = re.compile(r"^.*\b(?:and|et|ships|sells|offers|propose|proposons|vend|vendons|"
                          r"launches|lance|ouvre|opens)\s+(?:an?\s+|une?\s+|des\s+|the\s+|le\s+|"
                          r"la\s+|les\s+|our\s+|notre\s+|nos\s+)?", re.IGNORECASE)
# A participle or a place after the offer describes it: "livré tous les 15 jours".
_OFFER_TAIL = re.compile(r"\s+(?:livrée?s?|fabriquée?s?|vendue?s?|offerte?s?|servie?s?|basée?s?|"
                         r"delivered|shipped|made|served|based|sold|priced|across|in|en|à|au|dans|"
                         r"per|par|tous|every)\b.*$", re.IGNORECASE)


def priced_offer(text: str) -> str:
    """The offer named just before the brief's first price, or ""."""
    price = _PRICE.search(text)
    if not price:
        return ""
    before = _BEFORE_PRICE.sub("", text[:price.start()]).strip(" ,")
    clause = re.split(r"[.!?;:\n(]|,\s", before)[-1] if before else ""
    if re.match(r"(?i)\s*(?:mention|mentionner|must|include|inclure|citer)\b", clause):
        return ""  # "Mentionner le Pass 3 soirs à 99 €": a must-include, not the offer
    clause = _OFFER_START.sub("", clause)
    clause = _OFFER_TAIL.sub("", clause).strip(" ,")
    words = clause.split()
    if not 1 <= len(words) <= 5 or not _usable(clause) or is_name(clause) or _business(clause):
        return ""
    return clause


def owned_offer(text: str) -> str:
    """"on veut faire connaître notre examen de vue offert": what the business calls its own."""
    for owned in _POSSESSIVE.finditer(text):
        offer = _trim(owned.group("value"))
        if offer and _usable(offer) and fold(offer.split()[-1]) not in _NOT_OWNED \
                and not _business(offer):
            return offer
    return ""


# What people write before the brief itself: a greeting, "brief pour", "client is", a label
# of the kind of brief ("Public sector brief:", "B2B:", "Objet :", "Charity:").
_PREAMBLE = re.compile(
    r"^\s*(?:(?:hello|hey|hi|salut|bonjour|coucou)(?:\s+(?:team|all|everyone|tout le monde|"
    r"l'équipe|la team))?\s*[!,.:–—-]*\s*)?"
    r"(?:(?:quick |short |petit )?brief(?: rapide| express)?\s*(?:pour|for|:|-|–|—)\s*|"
    r"brief\s+[^.:\n]{0,40}?\s(?:pour la marque|pour|for the brand|for)\s+(?=[A-ZÀ-Ý])|"
    r"(?:need|besoin de) (?:some )?(?:ideas|idées|pistes) (?:for|pour|pr)\s+|"
    r"on bosse pour\s+|we work for\s+|we're working for\s+|"
    r"(?:the |le )?client\s*(?:is|=|:|est)\s*|pour le client\s+|for (?:the )?client\s+|"
    r"(?:public sector|b2b|b2c|charity|ngo|association|objet|subject|re)\s*(?:brief)?\s*:\s*|"
    r"rh de\s+|hr at\s+|pour\s+(?=[A-ZÀ-Ý])|for\s+(?=(?:the\s+)?[A-Z]))?",
    re.IGNORECASE)


_NAME_ACTS = re.compile(r"^\s*(?:the\s+)?(?P<name>(?-i:[A-ZÀ-Ý])[\w'&.-]*(?:\s+(?:(?:and|et|of|de|"
                        r"du|des|à|&)\s+)?(?-i:[A-Z0-9À-Ý])[\w'&.-]*){0,5})"
                        r"(?:\s*\([^)]{0,80}\))?"  # "Helio (fournisseur d'électricité verte) veut"
                        r"\s+(?:wants|needs|is looking|veut|cherche|lance|launches|présente|fête|"
                        r"celebrates|"
                        r"presente|introduces|ouvre|opens|"
                        r"souhaite|a besoin|would like|aimerait)\b")


# "de la marque Azur Belle", "marque Félina", "by the brand Kalia": the brand, said so.
_BRAND_MARKER = re.compile(r"\b(?:de la marque|la marque|pour la marque|marque|by the brand|"
                           r"the brand|brand)\s+(?P<name>(?-i:[A-ZÀ-Ý])[\w'&.-]*"
                           r"(?:\s+(?-i:[A-ZÀ-Ý0-9])[\w'&.-]*){0,3})", re.IGNORECASE)


def marked_brand(brief: str) -> str:
    match = _BRAND_MARKER.search(brief)
    return _clean(re.split(r"\.\s", match.group("name"))[0].rstrip(".")) if match else ""


def without_preamble(brief: str) -> str:
    """The brief from its first word of substance ("Hey team - client is Peoplely, HR
    software..." -> "Peoplely, HR software...")."""
    rest = _PREAMBLE.sub("", brief, count=1)
    return re.sub(r"^(?:the|le|la|les)\s+(?=[A-ZÀ-Ý])", "", rest)  # "the University of Leeds"
