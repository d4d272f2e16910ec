"""The brand context: what Symbiose knows about the brand a user works on.

Set by `Field: value` lines (French or English field names), by answering the
bot's questions, or (with an LLM) extracted from free text. Stored per user.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace

from bot.kernel.i18n import colon
from bot.kernel.messages import Lang

# Field order matters: it is the order in which `brand` shows them and in which
# the most useful missing ones are asked for.
FIELDS: tuple[str, ...] = (
    "brand",
    "product",
    "audience",
    "objective",
    "tone",
    "values",
    "channels",
    "constraints",
    "competitors",
)
# The fields worth a question before ideating, most important first.
KEY_FIELDS: tuple[str, ...] = ("product", "audience", "objective", "tone")

LABELS: dict[str, dict[Lang, str]] = {
    "brand": {"fr": "Marque", "en": "Brand"},
    "product": {"fr": "Offre", "en": "Product"},
    "audience": {"fr": "Cible", "en": "Audience"},
    "objective": {"fr": "Objectif", "en": "Objective"},
    "tone": {"fr": "Ton", "en": "Tone"},
    "values": {"fr": "Valeurs", "en": "Values"},
    "channels": {"fr": "Canaux", "en": "Channels"},
    "constraints": {"fr": "Contraintes", "en": "Constraints"},
    "competitors": {"fr": "Concurrents", "en": "Competitors"},
    "benefits": {"fr": "Atouts", "en": "Benefits"},
}

# Every way a user may name a field, accent- and case-folded.
_ALIASES: dict[str, str] = {
    "brand": "brand", "marque": "brand", "company": "brand", "entreprise": "brand",
    "product": "product", "produit": "product", "offre": "product", "offer": "product",
    "service": "product",
    "audience": "audience", "cible": "audience", "target": "audience", "public": "audience",
    "objective": "objective", "objectif": "objective", "goal": "objective", "but": "objective",
    "tone": "tone", "ton": "tone", "voice": "tone", "tone of voice": "tone",
    "values": "values", "valeurs": "values", "value": "values", "valeur": "values",
    "channels": "channels", "canaux": "channels", "channel": "channels", "canal": "channels",
    "constraints": "constraints", "contraintes": "constraints", "constraint": "constraints",
    "contrainte": "constraints",
    "competitors": "competitors", "concurrents": "competitors", "competitor": "competitors",
    "concurrent": "competitors", "concurrence": "competitors", "competition": "competitors",
    # What the offer has going for it: kept for the brief (the writers use them), not the brand.
    "atouts": "benefits", "atout": "benefits", "points forts": "benefits", "avantages": "benefits",
    "benefices": "benefits", "arguments": "benefits", "differenciation": "benefits",
    "pourquoi nous": "benefits", "benefits": "benefits", "key benefits": "benefits",
    "usp": "benefits", "usps": "benefits", "selling points": "benefits", "proof points": "benefits",
    "why us": "benefits", "strengths": "benefits", "perks": "benefits",
    # Goals by another name, and the usual typos of the French label.
    "kpi": "objective", "kpis": "objective", "aim": "objective", "objectifs": "objective",
    "objctif": "objective", "objetif": "objective", "obectif": "objective", "goals": "objective",
    "tons": "tone", "tonalite": "tone", "tonalité": "tone", "registre": "tone",
}

MAX_VALUE_LENGTH = 300


def fold(text: str) -> str:
    """Lower-case, accents removed, spaces squeezed: for matching words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).strip()


def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in base if not unicodedata.combining(c))
    return kept if len(kept) == 1 else char


# Every non-ASCII character met, folded once: generators fold every candidate line.
_FOLDED: dict[str, str] = {}


def fold_aligned(text: str) -> str:
    """Lower-case without accents, one output char per input char (so spans map back)."""
    low = text.lower()
    if low.isascii():
        return low
    out = []
    for char in low:
        if char.isascii():
            out.append(char)
            continue
        folded = _FOLDED.get(char)
        if folded is None:
            folded = _FOLDED[char] = "'" if char == "’" else _fold_char(char)
        out.append(folded)
    return "".join(out)


_OWNER = re.compile(r"^(?:the|our|my|your|la|le|l'|notre|votre|ma|mon|nos|vos|main|principal|"
                    r"principale)\b\s*")


def field_for(name: str) -> str | None:
    """The canonical field for a name the user typed ('Cible' -> 'audience', 'Our goal' ->
    'objective')."""
    key = fold(name).replace("_", " ").strip(" *")
    found = _ALIASES.get(key) or _ALIASES.get(_OWNER.sub("", key))
    if found is None and _BRAND_LABEL.fullmatch(key):
        return "brand"  # "Gin brand: Fenwick & Moor", "Marque client : Belvia"
    return found


_BRAND_LABEL = re.compile(r"[\w' -]{1,20} (?:brand|marque)|(?:brand|marque) [\w' -]{1,20}")


_LINE = re.compile(r"^\s*[*_-]*\s*([A-Za-zÀ-ÿ_' ]{2,24}?)\s*[*_]*\s*[:：]\s*(.+?)[\s.;]*$")


# Facts people give that have no field of their own: kept, labelled, as constraints.
_EXTRA_LABELS = frozenset(
    """budget deadline echeance delai date dates prix price tarif duree duration secteur sector
    industrie industry marche market ville city lieu location zone pays country region
    saison season""".split()
)


def split_fields(text: str) -> tuple[dict[str, str], str]:
    """(the `Field: value` facts of a message, the rest of its text).

    Several fields on one line work ("Marque : Gourdo, Cible : randonneurs"), and
    a sentence that ends with fields keeps its sentence ("Banque Azur lance un
    livret, objectif : ouvertures de comptes" -> the brief and the objective).
    """
    found: dict[str, str] = {}
    extras: list[str] = []
    rest: list[str] = []
    for line in text.splitlines():
        for i, piece in enumerate(_split_fields(line)):
            match = _LINE.match(piece)
            name = field_for(match.group(1)) if match else None
            label = fold(match.group(1)) if match else ""
            if match and name:
                # A value ends with its sentence: "Objective: applications. No scare
                # tactics." keeps the second sentence for the rest of the brief.
                value, _, after = _first_sentence(match.group(2))
                found[name] = value.strip()[:MAX_VALUE_LENGTH]
                if after:
                    rest.append(after)
            elif match and label in _EXTRA_LABELS:
                extras.append(f"{match.group(1).strip()} : {match.group(2).strip()}")
            elif i == 0:
                rest.append(piece)
            else:
                rest[-1:] = [(rest[-1] if rest else "") + ", " + piece]
    if extras:
        known = found.get("constraints", "")
        found["constraints"] = "; ".join([known, *extras] if known else extras)[:MAX_VALUE_LENGTH]
    return found, "\n".join(rest).strip()


# A sentence ends at a capital, or at a lower-case field word or rule: Slack briefs are
# often typed without capitals ("objective: 50k sign-ups. tone playful, cheeky. no puns").
_SENTENCE_END = re.compile(r"(?<=[^\s.A-Z])[.!?]+\s+(?=[A-ZÀ-Ý«\"“']|(?:tone|ton|target|cible|"
                           r"audience|objective|objectif|goal|budget|no|not|never|pas|jamais|ne|"
                           r"don't|avoid|must|mention|mentionner)\b)")


def _first_sentence(value: str) -> tuple[str, str, str]:
    """(first sentence, the separator, the rest) of a field's value."""
    match = _SENTENCE_END.search(value)
    if not match:
        return value.rstrip(" ."), "", ""
    return value[:match.start()], match.group(0), value[match.end():].strip()


def parse_fields(text: str) -> dict[str, str]:
    """The `Field: value` facts of a message, by canonical field name."""
    return split_fields(text)[0]


# A field starts after a comma or semicolon, or after a sentence's end ("...companies.
# Objective: demo requests. Tone: expert but not boring.").
# " / ", " | " and " – " separate fields on one line too ("Marque : X / Produit : Y").
_NEXT_FIELD = re.compile(r"(?:\s*[,;]\s*|\s+[/|–—-]\s+|(?<=[.!?])\s+)"
                         r"(?=([A-Za-zÀ-ÿ_' ]{2,24}?)\s*[:：])")


def _split_fields(line: str) -> list[str]:
    """Cut a line before each ", Field:" whose name is a known field."""
    pieces, start = [], 0
    for match in _NEXT_FIELD.finditer(line):
        if field_for(match.group(1)):
            pieces.append(line[start:match.start()])
            start = match.end()
    pieces.append(line[start:])
    return pieces


@dataclass(frozen=True)
class BrandContext:
    brand: str = ""
    product: str = ""
    audience: str = ""
    objective: str = ""
    tone: str = ""
    values: str = ""
    channels: str = ""
    constraints: str = ""
    competitors: str = ""
    # Fields the bot assumed (user said "go") rather than was told.
    assumed: frozenset[str] = field(default_factory=frozenset)

    def get(self, name: str) -> str:
        return str(getattr(self, name, "") or "")

    def known(self) -> dict[str, str]:
        return {name: self.get(name) for name in FIELDS if self.get(name)}

    def missing(self, names: Iterable[str] = KEY_FIELDS) -> list[str]:
        return [name for name in names if not self.get(name)]

    def updated(self, values: Mapping[str, str], *, assumed: bool = False) -> BrandContext:
        clean = {k: v.strip()[:MAX_VALUE_LENGTH] for k, v in values.items() if k in FIELDS}
        marks = set(self.assumed)
        marks.difference_update(clean) if not assumed else marks.update(clean)
        return replace(self, **clean, assumed=frozenset(marks))

    def is_empty(self) -> bool:
        return not self.known()

    def to_mapping(self) -> dict[str, str]:
        """Flat string mapping for storage (a Redis hash)."""
        out = self.known()
        if self.assumed:
            out["_assumed"] = ",".join(sorted(self.assumed))
        return out

    @classmethod
    def from_mapping(cls, data: Mapping[str, str]) -> BrandContext:
        names = {f.name for f in fields(cls)} - {"assumed"}
        values = {k: v for k, v in data.items() if k in names}
        assumed = frozenset(x for x in data.get("_assumed", "").split(",") if x)
        return cls(**values, assumed=assumed)

    def render(self, lang: Lang) -> str:
        lines = []
        for name in FIELDS:
            value = self.get(name)
            if value:
                mark = " _(supposé)_" if lang == "fr" else " _(assumed)_"
                lines.append(f"- **{LABELS[name][lang]}**{colon(lang)} {value}"
                             f"{mark if name in self.assumed else ''}")
        return "\n".join(lines)
