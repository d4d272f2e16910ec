"""Readers: a brief (or a later message about it) in, a `BriefModel` out.

Two readers behind one interface: `OfflineReader` (the default, rules and
word lists, microseconds) and `LLMReader` (bot/brief/llm_reader.py, when
SYMBIOSE_MODEL is set). The dialogue merges what a reader returns into the
conversation's model; a reader never decides what the conversation does next.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Protocol

from bot.brief.address import ADDRESS_PART, address_of
from bot.brief.brand import fold_aligned, split_fields
from bot.brief.brief_facts import brief_facts, offer_in_goal
from bot.brief.concerns import concerns
from bot.brief.exclusions import RULES_OUT, exclusions
from bot.brief.figures import figures
from bot.brief.model import BriefModel, Figure, Item
from bot.brief.musts import musts as find_musts
from bot.brief.offer import names_a_business, owned_offer, priced_offer, without_preamble
from bot.brief.seasons import season_of
from bot.brief.sectors import MAX_SECTORS
from bot.brief.sectors_detect import market_of, sector_ids, sector_vocabulary
from bot.brief.statements import bare_statements, leaves_it_open
from bot.ideas.fit import find_occasion
from bot.kernel.lang import detect


class BriefReader(Protocol):
    name: str

    async def read(self, text: str, *, lang: str, known: BriefModel) -> BriefModel:
        """What `text` says about the brief; `known` is what the conversation already has."""
        ...


class OfflineReader:
    name = "offline"

    async def read(self, text: str, *, lang: str, known: BriefModel) -> BriefModel:
        return read_brief(text, lang)


@lru_cache(maxsize=1024)
def read_brief(text: str, lang_hint: str = "") -> BriefModel:
    """The offline reading of one message (cached: `more` and refine re-read the same brief)."""
    lang = detect(text) or lang_hint or ""
    # "Public sector brief: NHS ...", "Hey team - client is Peoplely": the preamble is no
    # field ("Public" would read as the French label for the audience); "Salon Vinexpo...
    # non pardon, notre propre salon : Agri Demain": what was taken back is no fact.
    said = _taken_back(without_preamble(text))
    labelled, rest = split_fields(said)
    labelled, musts = _values_only(labelled)
    stated = {k: v for k, v in bare_statements(rest).items() if k not in labelled}
    stated, stated_musts = _values_only(stated)
    musts += stated_musts
    # "always include safer gambling messaging" inside a tone, "Mention Gift Aid" on its own.
    must_include = tuple(dict.fromkeys([*musts, *find_musts(text)]))
    # "Tone? Up to you": that field is left to Symbiose, not a tone called "up to you".
    left_open = tuple(k for k, v in {**labelled, **stated}.items() if leaves_it_open(v))
    labelled = {k: v for k, v in labelled.items() if k not in left_open}
    stated = {k: v for k, v in stated.items() if k not in left_open}
    model = BriefModel(text=text.strip(), lang=lang)
    model = model.with_fields(labelled, "said").with_fields(stated, "said")
    facts = brief_facts(rest)
    model = model.with_fields({k: v for k, v in facts.items() if not model.get(k)}, "extracted")
    if not model.get("product") and (sold := offer_in_goal(model.get("objective"))):
        model = model.with_fields({"product": sold}, "extracted")
    if not model.get("product") and _DONORS.search(model.get("objective")):
        # "recruter des donateurs réguliers": what a charity offers is the gift itself.
        appeal = "appel aux dons" if lang == "fr" else "donation appeal"
        model = model.with_fields({"product": appeal}, "extracted")
    if model.source("product") != "said" and (not model.get("product")
                                              or names_a_business(model.get("product"))):
        # "Harvest Table, farm-to-table restaurant... Thanksgiving prix fixe, $65": the
        # restaurant is who sells; the priced offer is what this brief is about.
        priced = priced_offer(rest or text) or owned_offer(rest or text)
        if priced:
            model = replace(model, fields={**model.fields, "product": Item(priced, "extracted")})
    ruled_out = exclusions(text)
    opted_out = {e.text.casefold() for e in ruled_out if e.key == "occasion"}
    occasion = find_occasion(said)
    if occasion.casefold() in opted_out:
        occasion = ""
    season_excluded = any(e.key == "season_only" for e in ruled_out)
    if season_excluded and season_of(occasion):
        occasion = ""  # "pas seulement l'été": summer is no occasion of this brief
    sectors = _sectors(text, model, lang or None)
    # Words already used elsewhere are no concern: names, goal and tone, what is ruled out.
    skip = [model.get(f) for f in ("brand", "audience", "objective", "tone")]
    skip += [e.text for e in ruled_out] + list(must_include)
    # "32 couverts": a figure's counted noun is a fact to keep, not a topic to write on.
    found_figures = _roles(figures(text, lang or "en"), text, model.get("objective"))
    skip += [f.text for f in found_figures]
    return BriefModel(
        text=model.text,
        lang=lang,
        fields=model.fields,
        exclusions=ruled_out,
        sectors=sectors,
        market=market_of(text),
        occasion=occasion,
        season="" if season_excluded else season_of(_without(text, opted_out), occasion),
        concerns=concerns(rest or text, lang or "en", sector_vocabulary(sectors, lang or "en"),
                          skip=[s for s in skip if s]),
        figures=found_figures,
        left_open=left_open,
        address=address_of(text),
        musts=must_include,
    )


_TAKEN_BACK = re.compile(r"^.*?(?:\.\.\.|…|,|\s)\s*(?:non pardon|no sorry|sorry,? I mean|"
                         r"je veux dire|enfin non|I mean)\s*,?\s*", re.IGNORECASE | re.DOTALL)


def _taken_back(text: str) -> str:
    return _TAKEN_BACK.sub("", text, count=1)


_DONORS = re.compile(r"\b(?:donateurs?|donatrices?|dons?|donors?|donations?|giving|gifts?)\b",
                     re.IGNORECASE)
# "Budget 600 €", "budget de 8 000 €": money the client spends, not a fact to advertise.
_BUDGET = re.compile(r"(?:budget|enveloppe|spend|media spend)\W{0,3}(?:\w+\W{1,3}){0,3}$",
                     re.IGNORECASE)


def _roles(found: tuple[Figure, ...], text: str, objective: str) -> tuple[Figure, ...]:
    """Figures a hook must not present as facts: the goal's targets ("200 cavistes en un an"
    is what the client wants, not what it has) and the budget."""
    out = []
    for figure in found:
        at = text.find(figure.text)
        if objective and figure.text in objective:
            figure = Figure(figure.text, "target")
        elif at > 0 and _BUDGET.search(text[max(0, at - 30):at]):
            figure = Figure(figure.text, "budget")
        out.append(figure)
    return tuple(out)


def _sectors(text: str, model: BriefModel, lang: str | None) -> tuple[str, ...]:
    """The sectors of what is sold first ("accident and illness insurance for dogs" is
    insurance, then pets); the audience's own trade is not the brief's ("a conference for
    leaders at utilities" is an event, not energy)."""
    offer = " ".join(v for v in (model.get("product"), model.get("brand")) if v)
    audience = model.get("audience")
    rest = text.replace(audience, " ") if audience else text
    found = [*(sector_ids(offer, lang) if offer else ()), *sector_ids(rest, lang)]
    return tuple(dict.fromkeys(found))[:MAX_SECTORS] or sector_ids(text, lang)


# Fields whose value ends at a semicolon: "Objectif : 120 démos d'ici juin ; notre taux de
# conversion est de 18 %" is the goal, then a fact about it.
_ENDS_AT_SEMICOLON = frozenset({"product", "audience", "objective", "brand"})


def _values_only(values: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The values without what they rule out or the address, and the must-includes that
    were written inside them."""
    kept: dict[str, str] = {}
    musts: list[str] = []
    for name, value in values.items():
        if name not in ("constraints", "benefits", "channels"):
            parts = [p.strip() for p in re.split(r"\s*[,;]\s*", value) if p.strip()]
            found = {p: read for p in parts if (read := find_musts(p))}
            if found and len(found) < len(parts):
                musts += [must for read in found.values() for must in read]
                value = ", ".join(p for p in parts if p not in found)
        cleaned = _value_only(name, value)
        if cleaned:
            kept[name] = cleaned
    return kept, musts


def _value_only(name: str, value: str) -> str:
    """A labelled value without what it rules out or the address ("Ton expert et sobre, pas
    de jeux de mots, tutoiement ok" -> "expert et sobre"): those are read apart, as
    exclusions and the address, and would otherwise become part of the tone."""
    if name in _ENDS_AT_SEMICOLON:
        value = value.split(";")[0]
    # "warm but never mock Indian culture": the rule after "but never" is no part of the tone
    # ("rassurant mais pas ringard" is: a nuance, not a rule).
    parts = [p for p in re.split(r"\s*[,;]\s*|\s+(?:but|mais|and|et)\s+(?=(?:never|jamais|"
                                 r"don't|do not|ne jamais|no|aucun)\b)", value) if p.strip()]
    kept = [p for p in parts if not RULES_OUT.match(fold_aligned(p)) and not ADDRESS_PART.match(p)]
    if not kept or len(kept) == len(parts):
        return value.strip()
    return ", ".join(kept)


def _without(text: str, phrases: set[str]) -> str:
    """`text` without the phrases (case ignored): an opted-out occasion sets no season."""
    for phrase in phrases:
        text = re.sub(re.escape(phrase), " ", text, flags=re.IGNORECASE)
    return text
