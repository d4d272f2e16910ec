"""What the offline generator knows about one request, computed once and cached.

Turns a brief and a `BrandContext` into the template slots ("our_product",
"de_audience", ...), the set of known fields (which decides which variants can
be used), the brand's channels, and a seed key; it is cached because the same
brief and brand come back on every `more`, `refine` and `challenge`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.brief.brand import LABELS, BrandContext, fold
from bot.ideas.fit import BriefProfile, channel_fit, default_channels, profile_brief
from bot.ideas.generators.offline_templates import (
    FIELD_OF,
    SINGULAR_BRAND,
    ChannelKind,
    RefineVocabulary,
)
from bot.ideas.generators.offline_text import (
    audience_np,
    clean,
    fr_a,
    fr_de,
    fr_typography,
    is_noun_phrase,
    join_list,
    key_phrase,
    plural_name,
    product_np,
    split_list,
    swap_possessives,
)
from bot.kernel.i18n import t
from bot.kernel.messages import Lang

_RAW_FIELDS = ("brand", "product", "audience", "objective", "tone", "values", "competitors",
               "constraints")


@dataclass(frozen=True, slots=True)
class Context:
    lang: Lang
    slots: dict[str, str]
    known: frozenset[str]
    channels: tuple[tuple[str, str | None], ...]  # (display name, channel key or None)
    brand_tone: str | None  # tone family read from the brand's "tone" field
    assumed: str  # "cible « les étudiants », ton « décalé »" or ""
    seed_key: str
    profile: BriefProfile
    channel_fit: dict[str, float]  # channel key -> fit for the brief's sectors
    default_channels: tuple[str, ...]  # when every suggestion of a strategy is ruled out

    @property
    def kinds(self) -> frozenset[str]:
        return self.profile.kinds

    @property
    def goal(self) -> str:
        return self.profile.goal


class ChannelMatcher:
    """Finds the channel kind of a free-text channel ("insta", "Newsletter mensuelle")."""

    def __init__(self, kinds: tuple[ChannelKind, ...]) -> None:
        self.kinds = {k.key: k for k in kinds}
        self._key_of = {alias: k.key for k in kinds for alias in k.aliases}
        aliases = sorted(self._key_of, key=len, reverse=True)
        self._pattern = re.compile(rf"(?<![\w'])(?:{'|'.join(map(re.escape, aliases))})(?![\w'])")

    def kind_of(self, text: str) -> str | None:
        match = self._pattern.search(fold(text))
        return self._key_of[match.group(0)] if match else None

    def display(self, key: str, lang: Lang) -> str:
        return self.kinds[key].names[lang]


def tone_words(vocabulary: RefineVocabulary) -> dict[str, frozenset[str]]:
    """The bare adjectives of the refine phrases, per tone: 'plus décalé' -> 'decale'."""
    return {
        family: frozenset(re.sub(r"^(?:plus|more)\s+", "", p) for p in phrases)
        for family, phrases in vocabulary.tone.items()
    }


def tone_family(text: str, words_by_tone: dict[str, frozenset[str]]) -> str | None:
    """'décalé, complice' -> 'playful'."""
    words = set(re.findall(r"[a-z'-]+(?: de gamme)?", fold(text)))
    return next((family for family, bare in words_by_tone.items() if words & bare), None)


def build_context(brief: str, brand: BrandContext, lang: Lang, *,
                  channels: ChannelMatcher, tone_words: dict[str, frozenset[str]],
                  occasion: str | None = None) -> Context:
    """`occasion` overrides the one read from the brief (a refinement's theme)."""
    profile = profile_brief(brief, brand)
    if occasion is not None:
        profile = replace(profile, occasion=occasion)
    raw = {name: clean(brand.get(name)) for name in _RAW_FIELDS}
    brand_name = raw["brand"] or t("offline.fallback_brand", lang)
    our = (
        product_np(raw["product"], lang, "our")
        if raw["product"]
        else t("offline.fallback_our_product", lang)
    )
    your = (
        product_np(raw["product"], lang, "your")
        if raw["product"]
        else t("offline.fallback_your_product", lang)
    )
    audience = (
        audience_np(raw["audience"], lang)
        if raw["audience"]
        else t("offline.fallback_audience", lang)
    )
    brief_key = key_phrase(brief)
    if not is_noun_phrase(brief_key):  # "Je lance Pilotis", "Nous sommes une association..."
        brief_key = ""
    slots = {
        "brand": brand_name,
        "our_product": our,
        "your_product": your,
        "audience": audience,
        "product": raw["product"],
        "brief": brief_key,
        "competitors": join_list(split_list(raw["competitors"]), lang),
        # Read after a colon or inside brackets: lower-case reads better there.
        "objective": _lower(raw["objective"]),
        "tone": _lower(raw["tone"]),
        "values": _lower(raw["values"]),
        "constraints": _lower(raw["constraints"]),
        "occasion": clean(profile.occasion, 80),
        "your_occasion": swap_possessives(clean(profile.occasion, 80), lang),
    }
    if lang == "fr":
        slots.update(de_occasion=fr_de(slots["occasion"]), a_occasion=fr_a(slots["occasion"]),
                     de_your_occasion=fr_de(slots["your_occasion"]))
        slots.update(de_brand=fr_de(brand_name), a_brand=fr_a(brand_name),
                     de_our_product=fr_de(our), a_our_product=fr_a(our),
                     de_your_product=fr_de(your), a_your_product=fr_a(your),
                     de_audience=fr_de(audience), a_audience=fr_a(audience))
        slots = {k: fr_typography(v) for k, v in slots.items()}
    else:
        slots.update({f"{p}_{n}": slots[n] for p in ("de", "a")
                      for n in ("brand", "our_product", "your_product", "audience", "occasion")})
        slots["de_your_occasion"] = slots["your_occasion"]
    assert set(FIELD_OF) <= set(slots), "every placeholder needs a slot"

    known = {name for name, value in raw.items() if value}
    if brief_key:
        known.add("brief")
    if slots["occasion"]:
        known.add("occasion")
    if not (lang == "fr" and plural_name(brand_name)):
        known.add(SINGULAR_BRAND)  # "{brand} prend..." reads wrong for "Les Glaneurs"
    found = []
    for item in split_list(brand.channels):
        key = channels.kind_of(item)
        found.append((channels.display(key, lang) if key else item, key))
    if not found:  # channels named in the brief itself ("une campagne LinkedIn")
        found = [(channels.display(key, lang), key) for key in profile.channels]
    assumed = ", ".join(
        t("offline.assumed_item", lang, label=LABELS[name][lang].lower(), value=raw[name])
        for name in _RAW_FIELDS if name in brand.assumed and raw.get(name)
    )
    return Context(
        lang=lang, slots=slots, known=frozenset(known), channels=tuple(dict.fromkeys(found)),
        brand_tone=tone_family(raw["tone"], tone_words) if raw["tone"] else None,
        assumed=fr_typography(assumed) if lang == "fr" else assumed,
        seed_key="\x1f".join([lang, brief_key, profile.occasion,
                               *(raw[name] for name in _RAW_FIELDS)]),
        profile=profile,
        channel_fit=channel_fit(profile),
        default_channels=default_channels(profile),
    )


def _lower(text: str) -> str:
    """'Augmenter la notoriété' -> 'augmenter la notoriété' (but 'B2B', 'iPhone' stay)."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and (first.isupper() or any(c.isupper() for c in first[1:])):
        return text
    return text[:1].lower() + text[1:]
