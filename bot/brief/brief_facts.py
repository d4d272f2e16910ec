"""Brand facts a brief already states, found without an LLM.

"Nous lançons une gourde isotherme pour les randonneurs" says the product and
the audience: asking for them again would be a form, not a conversation. Two
patterns cover most briefs: a launch verb followed by the offer, and "pour /
for / auprès de" followed by a plural group of people. When in doubt, nothing is
taken, and the question is asked.
"""

from __future__ import annotations

import re

from bot.brief.brand import fold
from bot.brief.categories import category
from bot.brief.offer import offer_and_brand

_STOP = (
    r"(?=\s+(?:pour|auprès|aupres|afin|qui|que|avec|dès|des le|à partir|a partir|en vue|"
    r"vers|cet|cette|ces|ce mois|for|to|towards|aimed|targeting|that|which|with|this|next|"
    r"ahead|in time|before|avant|worried|looking|wanting|who|whose|dont|mainly|mostly|d'ici|"
    r"until|jusqu'|out of|across|"
    r"surtout|notamment|including|y compris|en (?:france|belgique|europe)|in the (?:uk|us))\b|"
    # A figure, a quarter, a month or a season after "à / at / in / en" is when, not what.
    # ("de 50 à 500 salariés" ends a group, "de 55-65 ans" describes it)
    r"\s+(?:de|of)\s+\d(?!\d*\s?[-–]\s?\d+\s?(?:ans|years|y\.?o))|"
    r"\s+(?:à|a|at|in|en|from|dès|au|by)\s+(?:\d|(?:q[1-4]|t[1-4]|janvier|fevrier|février|"
    r"mars|avril|mai|juin|juillet|aout|août|septembre|octobre|novembre|decembre|décembre|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"spring|summer|autumn|fall|winter|printemps|été|ete|automne|hiver)\b)|"
    # ... and an occasion: "urban students at back to school" are urban students.
    r"\s+(?:at|for|in|à|a|pour|avant|before)\s+(?:the\s+|la\s+|le\s+)?(?:back[- ]to[- ]school|"
    r"christmas|xmas|black friday|easter|halloween|thanksgiving|rentrée|rentree|noël|noel|"
    r"pâques|paques|saint[- ]valentin|valentine's)\b|"
    r"[,.;:!?()]|$)"
)
_AUDIENCE = re.compile(
    r"\b(?:pour|auprès d(?:es|e)|aupres d(?:es|e)|à destination d(?:es|e)|destinée?s? aux|"
    r"for|to reach|to|aimed at|targeting|attirer|séduire|seduire|toucher|cibler|reach|"
    r"attract|target|chez|from|among|parmi|mais|but|s'adresse(?:r)? (?:à|aux)|"
    r"surtout|notamment|especially|particularly|(?P<with>with)|"
    r"(?P<that>(?:veut|voulons|veulent|voudrait|voudrions|aimerait|aimerions|souhaite|souhaitons)"
    r" que|inciter|encourager|pousser|amener|convaincre|aider)|"
    r"parler (?:aux|à)|talk to|speak to|reach out to|"
    r"(?:on |nous )?vis(?:e|ons|er)|(?P<more>wants? more|veut plus de|want more|by|we're after|"
    r"we are after))\s+"
    r"(?:(?:les|des|aux|the|nos|our|de|more|plus de|d')\s+)?"
    r"(?P<value>[^,.;:!?()]{3,60}?)" + _STOP,
    re.IGNORECASE,
)
# Words that start a time or an occasion, not a group of people ("pour la rentrée").
_NOT_PEOPLE = frozenset(
    """la le l' un une notre votre nos vos our your my a an this ce cette rentree noel
    fete fetes saison season ete summer hiver winter printemps spring automne autumn fall
    lancement launch christmas black back noel paques easter soldes sales semaine week mois
    month annee year ouverture opening
    boost increase grow drive raise get make build improve sell attract win gain generate
    create promote help show launch reduce cut double""".split()
)
_OCCASION_WORDS = frozenset("day days jour fete week weekend season saison".split())
# Launching "a campaign" says nothing about the offer.
_NOT_OFFERS = frozenset(
    """campaign campagne operation opération initiative idees idées ideas strategy strategie
    stratégie plan contenu content post posts""".split()
)


_BRAND = re.compile(
    r"\b(?i:we are|we're|nous sommes|je suis|on est|c'est)\s+"
    r"(?P<brand>[A-Z][\w&'.-]*(?:\s+(?:&\s+)?[A-Z][\w&'.-]*){0,3})\s*,\s*"
    r"(?i:(?:a|an|the|une?|la|le|l')\s+)(?P<product>[^,.;:!?()]{3,60}?)" + _STOP
)
_GOAL = re.compile(
    r"\b(?:we want|we need|we'd like|we would like|we'd love|we would love|we're after|"
    r"we are after|our goal is|our aim is|the goal is|the aim is|on veut|on voudrait|on aimerait|"
    r"nous voulons|nous voudrions|nous aimerions|on cherche à|on cherche a|nous cherchons à|"
    r"l'objectif est de|objectif|wants|veut|aims to|vise à|vise a|on vise|nous visons|"
    r"(?:^|(?<=[.!?]\s))(?:want|need|needs)|(?:in order )?to(?=\s+(?:fill|drive|get|boost|grow|"
    r"sell|win)\b)|"
    r"we're aiming for|we aim for)"
    # A thousands separator is part of the figure: "sell 1,200 tickets" is not "sell 1".
    r"\s*:?\s+(?:to\s+|de\s+|d'|à\s+)?(?P<value>(?:[^,.;:!?()]|(?<=\d)[,.](?=\d{3}))"
    r"{3,70}?)"
    r"(?=\s+(?:before|by|avant|d'ici|mainly|mostly|surtout|notamment|from|chez|auprès|with|for|"
    r"among|"
    r"in (?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)|en (?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|"
    r"octobre|novembre|décembre|decembre))\b|(?<!\d)[,.]|[,.](?!\d{3})|[;:!?()]|$)",
    re.IGNORECASE,
)
_DANGLING = re.compile(r"(?:\s+(?:de|d'|of|et|and|a|à|the|les|des|moins|plus|less|more|than|"
                       r"que))+$",
                       re.IGNORECASE)
# "we need ideas for Mother's Day": a request to Symbiose, not the campaign's goal.
_ASKING = re.compile(r"^(?:some |des |d')?(?:ideas?|id[ée]es?|angles?|help|aide|suggestions?|"
                     r"propositions?|pistes?|brainstorm)\b", re.IGNORECASE)
# "we want it approachable", "keep it light": a tone, not a goal.
_NOT_GOAL = re.compile(r"^(?:it|them|this|that|ça|ca)\b", re.IGNORECASE)


_BRAND_WORDING = re.compile(
    r"^(?:(?:une |la |notre )?marque (?:de |d'|du |des )|(?:a |our )?brand of )|\s+brand$",
    re.IGNORECASE,
)


def _clean(value: str) -> str:
    return " ".join(value.split()).strip(" -'\"«»“”")


def _offer(value: str) -> str:
    """"marque de bougies artisanales" -> "bougies artisanales": the offer, not the brand."""
    return _BRAND_WORDING.sub("", _clean(value)).strip()


def _is_people(value: str) -> bool:
    words = fold(value).replace("'s", "").split()
    # "Mother's Day", "la fête des pères": an occasion; "weekend hikers": people.
    if not words or words[0] in _NOT_PEOPLE or words[-1] in _OCCASION_WORDS:
        return False
    # A group of people is plural ("randonneurs", "weekend hikers": the head noun comes
    # first in French, last in English, and ends before a preposition: "finance teams at
    # mid-size manufacturers") or a known audience word.
    head = _head(words)
    if head[-1] in _PLACES or head[0] in _PLACES:
        return False  # "rural villages in Wales" is where, not who
    plural = any(w.endswith(("s", "x")) for w in (head[0], head[-1], words[-1]))
    return category(value) == "audience" or plural


_PLACES = frozenset(
    """villages village towns cities villes communes regions areas zones neighbourhoods
    neighborhoods quartiers countries pays territoires workplaces parks premises""".split()
)
_PREPOSITIONS = frozenset(
    "at in of from with by who whose across de du des en a qui dans chez par".split())


_URGE = frozenset("inciter encourager pousser amener convaincre aider".split())


def _before_verb(words: list[str]) -> list[str]:
    """"habitants l'utilisent au lieu de" -> "habitants": up to a pronoun or a verb form."""
    out: list[str] = []
    for word in words:
        folded = fold(word)
        if out and (re.match(r"^(?:[lsmtny]'|se$|ne$|n'|y$|en$|a$|de$|d'|to$)", folded)
                    or folded.endswith(("ent", "ont"))):
            break
        out.append(word)
    return out


def _head(words: list[str]) -> list[str]:
    """The words before the first preposition: the group itself, without where or how."""
    return words[:next((i for i, w in enumerate(words) if i and fold(w) in _PREPOSITIONS),
                       len(words))]


# "La Clinique du Parc recrute 35 infirmier·e·s", "Redline Freight is hiring 120 drivers":
# the jobs are the offer, hiring them the goal.
_HIRING = re.compile(
    r"\b(?:recrute|recrutons|recrutent|on recrute|veut recruter|veulent recruter|recruter|"
    r"is hiring|are hiring|we're hiring|hiring|hire|recruiting|recruit)\s+"
    r"(?P<value>(?:\d[\d\s.,]*\s+)?[^,.;:!?()\n]{3,60}?)" + _STOP,
    re.IGNORECASE,
)


# What "recruiting" means when it is not hiring: customers, subscribers, members, donors.
_NOT_JOBS = re.compile(r"\b(?:lignes?|clients?|abonn[ée]s?|adh[ée]rents?|membres?|donateurs?|"
                       r"utilisateurs?|users?|customers?|subscribers?|members?|donors?|players?|"
                       r"joueurs?|lecteurs?|readers?|followers?|leads?)\b", re.IGNORECASE)


def _jobs(jobs: str, fr: bool) -> str:
    """"35 infirmier·e·s en soins critiques" -> "postes d'infirmier·e·s en soins critiques"."""
    if re.search(r"(?i)\b(?:postes?|jobs?|roles?|offres?)\b", jobs):
        return jobs
    noun = re.sub(r"^\d[\d\s.,]*\s+", "", jobs)
    if not fr:
        return f"{noun} roles"
    return f"postes d'{noun}" if fold(noun[:1]) in "aeiouyh" else f"postes de {noun}"


# An age band: "18-30 ans", "25-40 y.o.", "18-35s", "40+", and a range before the people it
# describes ("25-45 drinkers").
_AGES = re.compile(r"\d{1,2}\s?(?:[-–à]|to)\s?\d{1,2}\s?(?:ans|years|y\.?o|s\b)|\d{1,2}\s?\+|"
                   r"\d{1,2}\s?[-–]\s?\d{1,2}\s+[a-zà-ÿ]")


_AMONG = re.compile(
    r"\s(?:from|among|amongst|auprès des|aupres des|chez les|parmi les)\s+(?:the\s+)?",
    re.IGNORECASE)


def _audience(brief: str) -> str:
    """The group of people the brief names: a known audience word first ("habitants"), then
    any plural group ("randonneurs"), so "pour les cartes d'identité" loses to "les habitants"."""
    candidates: list[tuple[bool, str]] = []
    for match in _AUDIENCE.finditer(brief):
        value = _DANGLING.sub("", _clean(match.group("value")))
        first_word = fold(value).split()[:1]
        if first_word and first_word[0] in _URGE:  # "pour inciter les habitants à trier"
            value = re.sub(r"^\S+\s+(?:les|des|nos|vos|the|our)?\s*", "", value)
        if match.group("that") or (first_word and first_word[0] in _URGE):
            # "on veut que les habitants l'utilisent": the people before their verb.
            value = " ".join(_before_verb(value.split()))
        if re.match(r"(?i)from\b", match.group(0)):
            before = brief[:match.start()].split()[-1:]
            if before and _sounds_like_people(before):
                # "switchers from the big providers": the people come before "from"
                candidates.append((True, before[0]))
                continue
        among = _AMONG.search(value)
        if among and _sounds_like_people(value[:among.start()].split()):
            among = None  # "switchers from the big providers": the switchers are the people
        if among:  # "more sign-ups from sixth-formers": the people come after "from"
            value = value[among.end():]
        words = value.split()
        first = fold(value).split()[:1]
        if not words or (first and first[0] in ("pas", "not", "no", "jamais", "never", "ni")):
            continue  # "on vise pas les retraités, mais les actifs": the one after "mais"
        known = category(value) == "audience" or bool(_AGES.match(value))
        size = re.match(r"\d", value) and not _AGES.match(value)
        if size or (all(w[:1].isupper() for w in words) and not known):
            continue  # "(10 to) 50 people" is a size; "chez Mutalis" is a name
        if match.group("with") and not _sounds_like_people(words):
            continue  # "with facilities managers" names people; "with a warranty" does not
        if match.group("more") and not known and not among:
            continue  # "wants more footfall" is a goal; "wants more students" a group
        if len(words) > 8:  # "students travelling home by train at the end of term"
            value = " ".join(_head(words))
            words = value.split()
        if category(value) == "objective" or not 1 <= len(words) <= 8 or not _is_people(value):
            continue
        candidates.append((known or _sounds_like_people(words), value))
    # "We want 18-35s who...", "les 45-65 ans": an age band names people without a cue word.
    candidates += [(True, m.group(0).strip()) for m in _AGE_GROUP.finditer(brief)]
    known_first = [v for k, v in candidates if k] or [v for _, v in candidates]
    return known_first[0] if known_first else ""


def starts_with_age_band(text: str) -> bool:
    """"les 45-65 ans qui...", "18-35s", "25-45 drinkers": an audience by its ages."""
    return bool(_AGE_GROUP.match(re.sub(r"^\s*(?:les|des|aux|the|our|nos)\s+", "", text,
                                        flags=re.IGNORECASE)))


_AGE_GROUP = re.compile(r"(?<![\w£$€.,])\d{1,2}\s?[-–]\s?\d{1,2}(?:s\b|\s?ans\b|\s?year-olds\b|"
                        r"\s+[a-zà-ÿ]+s\b)")


# Endings of nouns for people ("sixth-formers", "randonneurs", "étudiants", "dentists"):
# "for undergraduate courses ... from sixth-formers" names the sixth-formers.
_PEOPLE_ENDINGS = ("ers", "ors", "eurs", "euses", "ants", "ents", "ists", "istes", "ians", "iens",
                   "iennes", "ees", "ies")


def _sounds_like_people(words: list[str]) -> bool:
    head = _head(words)
    return any(fold(w).endswith(_PEOPLE_ENDINGS) for w in (head[0], head[-1]))


def brief_facts(brief: str) -> dict[str, str]:
    """`brand`, `product`, `audience`, `objective` as the brief words them; {} when unsure."""
    found: dict[str, str] = {}
    named = _BRAND.search(brief)
    if named:
        found["brand"] = _clean(named.group("brand"))
        found["product"] = _offer(named.group("product"))
    else:
        found.update(offer_and_brand(brief))
    hiring = _HIRING.search(brief)
    if hiring and _NOT_JOBS.search(hiring.group("value")):
        hiring = None  # "recruter 30 000 nouvelles lignes": subscribers, not staff
    if hiring:
        jobs = _clean(hiring.group("value"))
        lang_fr = bool(re.search(r"recrut", hiring.group(0), re.IGNORECASE))
        found.setdefault("objective", f"{'recruter' if lang_fr else 'hire'} {jobs}")
        # In a hiring brief the jobs are the offer, whatever else the company sells
        # ("Transports Berthier, transporteur régional, doit recruter 120 conducteurs").
        found["product"] = _jobs(jobs, lang_fr)
    for goal in _GOAL.finditer(brief):
        value = _clean(goal.group("value"))
        kind = category(value)
        if not _NOT_GOAL.match(value) and kind not in ("tone", "channels") and not \
                _ASKING.match(value):
            found["objective"] = value
            break
    platform = _platform_offer(brief)
    if platform and fold(found.get("product", "")) == fold(platform.group("kind")):
        # "a marketplace for refurbished electronics": what the marketplace sells is the offer.
        found["product"] = _clean(platform.group(0))
    audience = _audience(brief)
    if audience and not (platform and fold(audience) in fold(platform.group(0))):
        found["audience"] = audience
    return found


_PLATFORM = re.compile(r"(?P<kind>marketplace|platform|plateforme|place de marché|app|appli|"
                       r"application|website|site)\s+(?:for|of|de|d'|dédiée? aux?)\s*"
                       r"(?P<what>[\w' -]{3,40}?)(?=[,.;:!?()]|\s+(?:with|avec|in|en|for|pour|"
                       r"that|qui)\b|$)", re.IGNORECASE)


def _platform_offer(brief: str) -> re.Match[str] | None:
    """"a marketplace for refurbished electronics" (what it sells), not "an app for HR teams"
    (who it serves)."""
    match = _PLATFORM.search(brief)
    if not match:
        return None
    what = match.group("what").strip()
    words = what.split()
    people = (category(what) == "audience" or _AGES.match(what) or _sounds_like_people(words)
              or any(fold(w) in _GROUPS for w in _head(words)))
    return None if people else match


_GROUPS = frozenset("teams equipes people gens parents families familles kids enfants children "
                    "users clients customers owners staff".split())



# "Goal: ticket sales", "objectif : réservations d'hébergements": the goal names what is
# sold when the brief does not say it elsewhere.
_SOLD_EN = re.compile(
    r"^(?:more\s+|drive\s+|boost\s+|increase\s+)?(?P<offer>[a-z][\w-]*(?:\s[a-z][\w-]*)?)"
    r"\s+(?:sales|bookings|orders|purchases|reservations|subscriptions)\b", re.IGNORECASE)
_SOLD_FR = re.compile(
    r"^(?:plus de\s+|augmenter les\s+|booster les\s+)?(?:ventes|réservations|reservations|"
    r"commandes|achats|souscriptions)\s+(?:de la |de l'|des |du |de |d'|en )"
    r"(?P<offer>[^,.;:!?()]{3,40}?)(?=\s+(?:via|sur|en|par|pour|avant|d'ici|dès)\b|\s*$)",
    re.IGNORECASE)
_NOT_SOLD = frozenset(
    "more our the your their online app store total direct repeat first new".split())


def offer_in_goal(goal: str) -> str:
    """What the goal says is sold ("ticket sales" -> "tickets"), or ""."""
    goal = goal.strip()
    match = _SOLD_FR.match(goal)
    if match:
        return _clean(match.group("offer"))
    match = _SOLD_EN.match(goal)
    if not match or fold(match.group("offer")).split()[-1] in _NOT_SOLD:
        return ""
    offer = match.group("offer")
    return offer if offer.endswith("s") else f"{offer}s"  # "ticket sales" -> "tickets"
