"""The offline generator's wording, loaded from prompts/offline/*.yaml and checked.

Checked at start-up, so that a typo becomes an error naming the file, the entry
and the reason rather than a broken answer: unknown keys, unknown placeholders,
unknown tones, a strategy of the catalogue without wording in a language, a
list without a variant usable when the brand context is empty, and French
slots that would need a contraction ("de {audience}" must be "{de_audience}").
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.brief.brand import fold
from bot.ideas.catalogue import CatalogueError
from bot.ideas.generators.offline_text import fr_typography
from bot.kernel.messages import Lang
from prompts import PROMPTS_DIR

OFFLINE_DIR = PROMPTS_DIR / "offline"
LANGS: tuple[Lang, ...] = ("fr", "en")
TONES = ("playful", "serious", "bold", "emotional", "premium", "rational")
FOCUSES = ("audience", "differentiation", "proof", "risk", "kpi")
# What a channel lets people see or hear; a hook that says "this video" needs "video".
MEDIA = ("video", "visual", "audio", "text", "live")

# Which brand field each placeholder needs. Fields in FALLBACK have a neutral
# stand-in ("votre marque", "notre offre", "votre public"); others do not, so a
# variant using them is only picked when the field is known.
FIELD_OF = {
    "brand": "brand", "de_brand": "brand", "a_brand": "brand",
    "our_product": "product", "your_product": "product", "de_our_product": "product",
    "de_your_product": "product", "a_our_product": "product", "a_your_product": "product",
    "product": "product!",
    "audience": "audience", "de_audience": "audience", "a_audience": "audience",
    "brief": "brief", "objective": "objective", "tone": "tone", "values": "values",
    "competitors": "competitors", "constraints": "constraints",
    # The occasion of the brief ("la rentrée", "Black Friday"): brand voice, and
    # "your_" for marketer-facing lines ("l'ouverture de votre boutique").
    "occasion": "occasion", "de_occasion": "occasion", "a_occasion": "occasion",
    "your_occasion": "occasion", "de_your_occasion": "occasion",
}
FALLBACK = frozenset({"brand", "product", "audience"})
# In lines the audience reads (titles, hooks), a stand-in brand reads badly.
STRICT_IN = {"titles": frozenset({"brand"}), "hooks": frozenset({"brand", "audience"})}
CHALLENGE_SLOTS = frozenset({"title", "proof", "risk", "kpi"})
# French slots that need the de_/a_ forms: "de {audience}" breaks on "les ...".
_FR_CONTRACTION = re.compile(
    r"(?:(?<![\w'’])(?:de|à|que|le|la|du|des|au|aux)\s+|(?<![\w])d['’])"
    r"\{(?:brand|our_product|your_product|audience|occasion|your_occasion)\}",
    re.IGNORECASE,
)

# French lines where the brand is the subject of a verb ("{brand} prend le
# contre-pied"): only for a brand that takes a singular verb, not "Les Glaneurs".
SINGULAR_BRAND = "brand_singular"
_FR_BRAND_SUBJECT = re.compile(
    r"(?:^|[.!?:,;]\s+|\b(?:et|mais|où|que|qu'|quand)\s+)\{brand\}\s+(?![:;,—–-])", re.IGNORECASE)


class TemplateError(CatalogueError):
    """A wording file of the offline generator is invalid."""


@dataclass(frozen=True, slots=True)
class Variant:
    text: str
    needs: frozenset[str]  # fields that must be known for this variant to be used
    uses: frozenset[str]  # every field it mentions (richer variants weigh more)
    tone: str | None = None
    # Product kinds the line suits ("c'est l'outil" is wrong for bread); empty = any.
    kinds: frozenset[str] = frozenset()
    goals: frozenset[str] = frozenset()  # objective kinds it suits (objective lines); empty = any
    media: frozenset[str] = frozenset()  # what the channel must show ("cette vidéo"); empty = any
    domain: str | None = None  # analogy world: a title and a hook must share it

    def suits(self, kinds: frozenset[str], goal: str) -> bool:
        return (not self.kinds or not kinds or bool(self.kinds & kinds)) and (
            not self.goals or goal in self.goals)


@dataclass(frozen=True, slots=True)
class StrategyWording:
    titles: tuple[Variant, ...]
    hooks: tuple[Variant, ...]
    why: tuple[Variant, ...]
    more: tuple[Variant, ...]
    checks: tuple[Variant, ...]
    format: str
    proof: str
    risk: str
    kpi: str
    focus: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CommonWording:
    formats: dict[str, tuple[str, ...]]
    ties: dict[str, tuple[Variant, ...]]
    open: tuple[str, ...]
    registers: dict[str, str]  # tone -> how the register is named ("plus léger")
    address: tuple[Variant, ...]  # "{vocative}, ceci est pour vous." (refine "for <audience>")
    frames: tuple[Variant, ...]  # "Cap sur {theme} : {hook_lc}" (refine with a free theme)
    regulated: dict[str, tuple[Variant, ...]]  # regulated topic -> checks
    kickers: dict[str, tuple[str, ...]]
    challenge: dict[str, tuple[Variant, ...]]
    focus: dict[str, str]
    generic: dict[str, str]


@dataclass(frozen=True, slots=True)
class ChannelKind:
    key: str
    names: dict[str, str]
    medium: str
    aliases: tuple[str, ...]  # folded


@dataclass(frozen=True, slots=True)
class RefineVocabulary:
    tone: dict[str, tuple[str, ...]]
    length: dict[str, tuple[str, ...]]
    audience_markers: tuple[str, ...]
    channel_markers: tuple[str, ...]
    theme_markers: tuple[str, ...] = ()  # "make it about", "parle plutôt de": a theme follows
    modifiers: tuple[str, ...] = ()  # "plus", "more": a free note that is no theme ("plus direct")
    # Tone words no phrase lists ("militant", "chic") -> their nearest register.
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    one_sentence: tuple[str, ...] = ()  # "en une phrase", "one-liner"


@dataclass(frozen=True, slots=True)
class Wording:
    strategies: dict[str, dict[str, StrategyWording]]  # lang -> strategy id -> wording
    common: dict[str, CommonWording]
    channels: tuple[ChannelKind, ...]
    refine: RefineVocabulary


# ---- file schemas (extra="forbid": a misspelt key is an error) ----

_Kind = Literal["physical", "software", "service", "food", "finance"]


class _Tagged(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    tone: Literal["playful", "serious", "bold", "emotional", "premium", "rational"] | None = None
    kinds: list[_Kind] = []
    goals: list[Literal["awareness", "conversion", "loyalty"]] = []
    media: list[Literal["video", "visual", "audio", "text", "live"]] = []
    domain: str | None = None


_Item = str | _Tagged


class _StrategyLang(BaseModel):
    model_config = ConfigDict(extra="forbid")
    titles: list[_Item]
    hooks: list[_Item]
    why: list[_Item]
    more: list[_Item]
    checks: list[_Item]
    format: str
    proof: str
    risk: str
    kpi: str
    focus: Literal["audience", "differentiation", "proof", "risk", "kpi"]
    keywords: list[str]


class _StrategyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fr: _StrategyLang
    en: _StrategyLang


class _CommonLang(BaseModel):
    model_config = ConfigDict(extra="forbid")
    formats: dict[str, list[str]]
    ties: dict[
        Literal["objective", "tone", "tone_shift", "values", "audience", "brief", "competitors",
                "occasion"],
        list[_Item],
    ]
    open: list[str]
    registers: dict[Literal["playful", "serious", "bold", "emotional", "premium", "rational"], str]
    address: list[str]
    frames: list[str]
    regulated: dict[str, list[str]]
    kickers: dict[
        Literal["playful", "serious", "bold", "emotional", "premium", "rational"], list[str]
    ]
    challenge: dict[Literal["audience", "differentiation", "proof", "risk", "kpi"], list[str]]
    focus: dict[Literal["audience", "differentiation", "proof", "risk", "kpi"], str]
    generic: dict[Literal["proof", "risk", "kpi", "focus"], str]


class _Channel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: dict[Literal["fr", "en"], str]
    medium: str
    aliases: list[str]


class _Refine(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tone: dict[Literal["playful", "serious", "bold", "emotional", "premium", "rational"], list[str]]
    length: dict[Literal["short", "long"], list[str]]
    audience_markers: list[str]
    channel_markers: list[str]
    theme_markers: list[str]
    modifiers: list[str]
    synonyms: dict[
        Literal["playful", "serious", "bold", "emotional", "premium", "rational"], list[str]
    ] = {}
    one_sentence: list[str] = []


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TemplateError(f"{path}: cannot read: {exc}") from exc


def _validate(model: type[BaseModel], data: Any, where: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        reasons = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'entry'}: {e['msg']}" for e in exc.errors()
        )
        raise TemplateError(f"{where}: {reasons}") from None


def _variant(
    item: str | _Tagged, lang: Lang, kind: str, allowed: frozenset[str], where: str
) -> Variant:
    text = item if isinstance(item, str) else item.text
    tags = _Tagged(text=text) if isinstance(item, str) else item
    try:
        names = {name for _, name, spec, conv in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise TemplateError(f"{where}: bad braces in {text!r}: {exc}") from None
    unknown = sorted(n for n in names if n not in allowed)
    if unknown:
        raise TemplateError(f"{where}: unknown placeholder(s) {unknown} in {text!r}")
    if lang == "fr" and _FR_CONTRACTION.search(text):
        raise TemplateError(f"{where}: use the de_/a_ form of the slot in {text!r}")
    uses = {FIELD_OF[n].rstrip("!") for n in names if n in FIELD_OF}
    needs = {FIELD_OF[n].rstrip("!") for n in names
             if n in FIELD_OF and (FIELD_OF[n].endswith("!") or FIELD_OF[n] not in FALLBACK)}
    needs |= uses & STRICT_IN.get(kind, frozenset())
    if lang == "fr" and _FR_BRAND_SUBJECT.search(text):
        needs.add(SINGULAR_BRAND)
    final = fr_typography(text) if lang == "fr" else text
    return Variant(final, frozenset(needs), frozenset(uses), tags.tone, frozenset(tags.kinds),
                   frozenset(tags.goals), frozenset(tags.media), tags.domain)


def _variants(
    items: list[Any],
    lang: Lang,
    kind: str,
    where: str,
    allowed: frozenset[str] = frozenset(FIELD_OF),
    need_fallback: bool = True,
) -> tuple[Variant, ...]:
    out = tuple(_variant(i, lang, kind, allowed, f"{where}.{kind}") for i in items)
    if not out:
        raise TemplateError(f"{where}.{kind}: needs at least one variant")
    # The fallback must suit any product, goal and channel, or a filter could empty the list.
    if need_fallback and not any(
        not (v.needs or v.kinds or v.goals or v.media) for v in out
    ):
        raise TemplateError(
            f"{where}.{kind}: needs at least one variant usable without brand context "
            f"(only {{our_product}}, {{audience}}-style slots)"
        )
    return out


def _strategy(raw: _StrategyLang, lang: Lang, where: str) -> StrategyWording:
    fr = fr_typography if lang == "fr" else (lambda s: s)
    return StrategyWording(
        titles=_variants(raw.titles, lang, "titles", where),
        hooks=_variants(raw.hooks, lang, "hooks", where),
        why=_variants(raw.why, lang, "why", where),
        more=_variants(raw.more, lang, "more", where),
        checks=_variants(list(raw.checks), lang, "checks", where),
        format=fr(raw.format), proof=fr(raw.proof), risk=fr(raw.risk), kpi=fr(raw.kpi),
        focus=raw.focus, keywords=tuple(fold(k) for k in raw.keywords),
    )


def _common(raw: _CommonLang, lang: Lang, where: str) -> CommonWording:
    fr = fr_typography if lang == "fr" else (lambda s: s)
    # Declared str-keyed: the schema's Literal keys would make these invariant dicts mismatch.
    ties: dict[str, tuple[Variant, ...]] = {
        k: _variants(v, lang, f"ties.{k}", where, frozenset(FIELD_OF) | {"register"},
                     need_fallback=False)
        for k, v in raw.ties.items()
    }
    challenge: dict[str, tuple[Variant, ...]] = {
        k: _variants(v, lang, f"challenge.{k}", where, frozenset(FIELD_OF) | CHALLENGE_SLOTS)
        for k, v in raw.challenge.items()
    }
    missing = sorted(set(FOCUSES) - set(challenge))
    if missing:
        raise TemplateError(f"{where}.challenge: missing question kinds {missing}")
    return CommonWording(
        formats={k: tuple(fr(s) for s in v) for k, v in raw.formats.items()},
        ties=ties,
        open=tuple(fr(s) for s in raw.open),
        registers={k: fr(v) for k, v in raw.registers.items()},
        address=_variants(raw.address, lang, "address", where, frozenset(FIELD_OF) | {"vocative"},
                          need_fallback=False),
        frames=_variants(raw.frames, lang, "frames", where,
                         frozenset(FIELD_OF) | {"theme", "hook", "hook_lc"}, need_fallback=False),
        regulated={k: _variants(v, lang, f"regulated.{k}", where)
                   for k, v in raw.regulated.items()},
        kickers={k: tuple(fr(s) for s in v) for k, v in raw.kickers.items()},
        challenge=challenge,
        focus={k: fr(v) for k, v in raw.focus.items()},
        generic={k: fr(v) for k, v in raw.generic.items()},
    )


def load_wording(strategy_ids: Iterable[str], folder: Path = OFFLINE_DIR) -> Wording:
    """Load and check the wording for every strategy in `strategy_ids`."""
    angles_path, common_path = folder / "angles.yaml", folder / "common.yaml"
    angles = _read(angles_path)
    if not isinstance(angles, dict):
        raise TemplateError(f"{angles_path}: expected a mapping of strategy ids")
    strategies: dict[str, dict[str, StrategyWording]] = {lang: {} for lang in LANGS}
    for sid in strategy_ids:
        where = f"{angles_path.name}: {sid}"
        if sid not in angles:
            raise TemplateError(f"{where}: the catalogue has this strategy but it has no wording")
        parsed = _validate(_StrategyFile, angles[sid], where)
        for lang in LANGS:
            strategies[lang][sid] = _strategy(getattr(parsed, lang), lang, f"{where}.{lang}")

    common_raw = _read(common_path)
    if not isinstance(common_raw, dict) or set(common_raw) != set(LANGS):
        raise TemplateError(f"{common_path}: expected exactly the sections fr and en")
    common: dict[str, CommonWording] = {
        lang: _common(_validate(_CommonLang, common_raw[lang], f"{common_path.name}: {lang}"),
                      lang, f"{common_path.name}: {lang}")
        for lang in LANGS
    }

    channels = load_channels(folder)
    for kind in channels:
        for lang in LANGS:
            if kind.medium not in common[lang].formats:
                raise TemplateError(f"channels.yaml: {kind.key}: medium '{kind.medium}' has no "
                                    f"formats in {common_path.name} ({lang})")
    vocabulary = load_refine_vocabulary(folder)
    return Wording(strategies, common, channels, vocabulary)


def load_channels(folder: Path = OFFLINE_DIR) -> tuple[ChannelKind, ...]:
    path = folder / "channels.yaml"
    raw = _read(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("channels"), dict):
        raise TemplateError(f"{path}: expected a 'channels:' mapping")
    kinds = []
    for key, entry in raw["channels"].items():
        item = _validate(_Channel, entry, f"{path.name}: {key}")
        if set(item.name) != set(LANGS) or not item.aliases:
            raise TemplateError(f"{path.name}: {key}: needs a name in fr and en and some aliases")
        kinds.append(
            ChannelKind(key, dict(item.name), item.medium, tuple(fold(a) for a in item.aliases))
        )
    return tuple(kinds)


def load_refine_vocabulary(folder: Path = OFFLINE_DIR) -> RefineVocabulary:
    path = folder / "refine.yaml"
    refine = _validate(_Refine, _read(path), path.name)
    return RefineVocabulary(
        tone={k: tuple(fold(p) for p in v) for k, v in refine.tone.items()},
        length={k: tuple(fold(p) for p in v) for k, v in refine.length.items()},
        audience_markers=tuple(fold(p) for p in refine.audience_markers),
        channel_markers=tuple(fold(p) for p in refine.channel_markers),
        theme_markers=tuple(fold(p) for p in refine.theme_markers),
        modifiers=tuple(fold(p) for p in refine.modifiers),
        synonyms={k: tuple(fold(p) for p in v) for k, v in refine.synonyms.items()},
        one_sentence=tuple(fold(p) for p in refine.one_sentence),
    )
