"""The brief model: what the marketer told Symbiose, shared by the whole engine.

A reader (offline or LLM, `bot.brief.readers`) turns a brief and the answers
that follow into a `BriefModel`; the dialogue keeps it in the conversation;
generators write from it. Every field value knows where it came from, so an
assumption is never presented as a fact:

- `said`: labelled by the user (`Cible : ...`), or the answer to a question;
- `extracted`: read from free text by a reader (said back to the user, who may correct it);
- `assumed`: filled in by Symbiose after `go` (stated as an assumption, never stored as a fact).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Source = Literal["said", "extracted", "assumed"]
SOURCES: tuple[Source, ...] = ("said", "extracted", "assumed")

# The brand-level fields a brief can state (same names as `BrandContext`).
BRIEF_FIELDS: tuple[str, ...] = (
    "brand", "product", "audience", "objective", "tone", "values", "channels",
    "constraints", "competitors", "benefits",
)
# A later source replaces an earlier one only if it is at least as strong:
# what the user said beats what was read from free text, which beats an assumption.
_STRENGTH: dict[Source, int] = {"assumed": 0, "extracted": 1, "said": 2}


@dataclass(frozen=True, slots=True)
class Item:
    """One value of the brief and where it came from."""

    value: str
    source: Source = "said"


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Something the brief rules out.

    `key` is from a small vocabulary the generators obey (see EXCLUSION_KEYS),
    `text` is what the user wrote ("we never discount", "pas seulement l'été").
    """

    key: str
    text: str


# What generators must honour: each key names a family of hooks to leave out.
EXCLUSION_KEYS: tuple[str, ...] = (
    "discount",      # no promotion, price cut, sale, coupon
    "urgency",       # no countdown, "last chance", scarcity pressure
    "puns",          # no wordplay
    "humour",        # no jokes at all
    "jargon",        # no technical jargon or buzzwords
    "emoji",         # no emoji
    "influencers",   # no influencer marketing
    "comparison",    # no naming or belittling competitors
    "fear",          # no fear appeal
    "season_only",   # not only one season: `Exclusion.text` says which ("summer")
    "celebrity",     # no celebrities
    "anglicisms",    # no English words in French copy
    "superlatives",  # no "best", "n°1", "the most"
    "tutoiement",    # never "tu" in French
    "occasion",      # an occasion the brand stays out of: `Exclusion.text` names it
    "other",         # anything else ruled out, as the user wrote it (for the LLM and the checks)
)


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure or fact to keep exact: "4 %", "8 000 €", "88 pièces", "120 chauffeurs"."""

    text: str  # as written
    # "percent" | "money" | "count" | "date" | "duration" | "quantity" | "share" | "age", and
    # what the brief's own numbers are not to be advertised as: "target" (the goal's) and
    # "budget" (what the client spends).
    kind: str


@dataclass(frozen=True)
class BriefModel:
    text: str = ""  # the brief as written, trimmed
    lang: str = ""  # "fr" | "en" | "" (the brief's language by majority)
    fields: Mapping[str, Item] = field(default_factory=dict)
    exclusions: tuple[Exclusion, ...] = ()
    sectors: tuple[str, ...] = ()  # ids of prompts/sectors/*.yaml, most specific first
    market: str = ""  # "fr" | "uk" | "eu" | "us" | "" (unknown): which rules apply
    occasion: str = ""  # as written: "la rentrée", "Black Friday", "Mother's Day"
    season: str = ""  # "spring" | "summer" | "autumn" | "winter" | "" (when stated or implied)
    concerns: tuple[str, ...] = ()  # the brief's own key words: "ransomware", "NIS2", "sourdough"
    figures: tuple[Figure, ...] = ()
    left_open: tuple[str, ...] = ()  # fields the user leaves to Symbiose: "Tone? Up to you"
    address: str = ""  # "tu" | "vous" | "": how French copy speaks to the reader, when said
    musts: tuple[str, ...] = ()  # what must appear, in the user's words: "Gift Aid"

    # -- reading -----------------------------------------------------------

    def get(self, name: str) -> str:
        item = self.fields.get(name)
        return item.value if item else ""

    def source(self, name: str) -> Source | None:
        item = self.fields.get(name)
        return item.source if item else None

    def known(self, *, facts_only: bool = False) -> dict[str, str]:
        """Field values, in field order; `facts_only` leaves out assumptions."""
        return {name: item.value for name in BRIEF_FIELDS
                if (item := self.fields.get(name)) and item.value
                and not (facts_only and item.source == "assumed")}

    def missing(self, names: Iterable[str]) -> list[str]:
        return [name for name in names if not self.get(name)]

    def excludes(self, key: str) -> bool:
        return any(e.key == key for e in self.exclusions)

    def is_empty(self) -> bool:
        return not (self.text or self.fields)

    # -- changing (a new model each time: the old one is what was stored) ---

    def with_fields(self, values: Mapping[str, str], source: Source) -> BriefModel:
        """Set fields; a weaker source never overwrites a stronger one."""
        fields_ = dict(self.fields)
        for name, value in values.items():
            value = " ".join(str(value).split())
            if name not in BRIEF_FIELDS or not value:
                continue
            old = fields_.get(name)
            if old is None or _STRENGTH[source] >= _STRENGTH[old.source]:
                fields_[name] = Item(value, source)
        return replace(self, fields=fields_)

    def changed_fields(self, values: Mapping[str, str]) -> dict[str, tuple[str, str]]:
        """{field: (old, new)} for the values that would replace a different stated value."""
        out = {}
        for name, value in values.items():
            old = self.fields.get(name)
            if old and old.source != "assumed" and old.value and old.value != value:
                out[name] = (old.value, value)
        return out

    def merged(self, other: BriefModel) -> BriefModel:
        """This model completed by `other` (a reading of a later message)."""
        model = self
        for source in SOURCES[::-1]:  # weakest last, so it cannot overwrite
            values = {k: i.value for k, i in other.fields.items() if i.source == source}
            model = model.with_fields(values, source)
        keys = {e.key for e in model.exclusions}
        return replace(
            model,
            text=model.text or other.text,
            lang=model.lang or other.lang,
            exclusions=model.exclusions + tuple(e for e in other.exclusions if e.key not in keys),
            sectors=model.sectors or other.sectors,
            market=model.market or other.market,
            occasion=model.occasion or other.occasion,
            season=model.season or other.season,
            concerns=_union(model.concerns, other.concerns),
            figures=model.figures + tuple(f for f in other.figures if f not in model.figures),
            left_open=tuple(dict.fromkeys(model.left_open + other.left_open)),
            address=other.address or model.address,  # "finalement on vouvoie": the later wins
            musts=_union(model.musts, other.musts),
        )

    # -- storage (inside the conversation's JSON) ----------------------------

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.text:
            data["text"] = self.text
        if self.lang:
            data["lang"] = self.lang
        if self.fields:
            data["fields"] = {k: [i.value, i.source] for k, i in self.fields.items()}
        if self.exclusions:
            data["exclusions"] = [[e.key, e.text] for e in self.exclusions]
        for name in ("sectors", "concerns"):
            if getattr(self, name):
                data[name] = list(getattr(self, name))
        for name in ("market", "occasion", "season"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        if self.figures:
            data["figures"] = [[f.text, f.kind] for f in self.figures]
        if self.left_open:
            data["left_open"] = list(self.left_open)
        if self.address:
            data["address"] = self.address
        if self.musts:
            data["musts"] = list(self.musts)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> BriefModel:
        if not data:
            return cls()
        fields_ = {k: Item(str(v), s if s in SOURCES else "extracted")
                   for k, (v, s) in (data.get("fields") or {}).items() if k in BRIEF_FIELDS}
        return cls(
            text=str(data.get("text", "")),
            lang=str(data.get("lang", "")),
            fields=fields_,
            exclusions=tuple(Exclusion(str(k), str(t)) for k, t in data.get("exclusions", [])),
            sectors=tuple(map(str, data.get("sectors", []))),
            market=str(data.get("market", "")),
            occasion=str(data.get("occasion", "")),
            season=str(data.get("season", "")),
            concerns=tuple(map(str, data.get("concerns", []))),
            figures=tuple(Figure(str(t), str(k)) for t, k in data.get("figures", [])),
            left_open=tuple(str(f) for f in data.get("left_open", []) if f in BRIEF_FIELDS),
            address=str(data.get("address", "")) if data.get("address") in ("tu", "vous") else "",
            musts=tuple(map(str, data.get("musts", []))),
        )


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    seen = {x.casefold() for x in a}
    return a + tuple(x for x in b if x.casefold() not in seen)
