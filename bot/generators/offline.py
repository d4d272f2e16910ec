"""The built-in angle generator: no network, deterministic for a given seed.

Each angle combines variants of a strategy's wording (prompts/offline/) with
the brand context: a title, a hook, a rationale made of the strategy's "why"
plus a sentence tying it to the brand (objective, tone, values, audience...),
a channel taken from the brand's own channels when it has some, and checks
specific to the strategy. Which variants can be used depends on which brand
fields are known, so an empty context never prints an empty slot, and a full
one is woven in. Everything is compiled at construction; a turn costs a few
dictionary look-ups and string formats per angle.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from bot.brand import BrandContext
from bot.catalogue import Catalogue
from bot.generators.base import AngleRequest, Critique, GenerationError, angle_id
from bot.generators.offline_channel import ChannelPlanner
from bot.generators.offline_context import ChannelMatcher, Context, build_context, tone_words
from bot.generators.offline_critique import build_critique
from bot.generators.offline_refine import RefinementParser, parse_refinement
from bot.generators.offline_templates import (
    OFFLINE_DIR,
    TONES,
    StrategyWording,
    Variant,
    load_wording,
)
from bot.generators.offline_text import capitalise, clean, fr_typography
from bot.i18n import t
from bot.messages import Angle, Lang

__all__ = ["OfflineGenerator", "parse_refinement"]

_ATTEMPTS = 16
# Strategies where naming a competitor is likely: add the comparative-advertising check.
_COMPARATIVE = frozenset({"contrarian", "before-after", "myth-busting", "problem-agitate-solve"})


@dataclass(frozen=True, slots=True)
class _Style:
    tone: str | None = None  # asked for (style or refine): also adds a closing line
    lean: str | None = None  # tone to favour when picking variants (asked or brand's)
    length: str | None = None  # "short" | "long"
    kick: bool = False  # the tone was asked in a refinement: always close on it
    # Fields a refinement is about ("audience", or "brief" for free text): favour
    # variants that mention them, and always tie the rationale to them.
    focus: frozenset[str] = frozenset()


def _seed(*parts: object) -> int:
    text = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


class OfflineGenerator:
    """Angles from the strategy catalogue and the brand context, without any model."""

    name = "offline"

    def __init__(self, catalogue: Catalogue, *, templates_dir: Path | None = None) -> None:
        folder = templates_dir or OFFLINE_DIR
        self.catalogue = catalogue
        self.wording = load_wording(catalogue.ids(), folder)
        self._channels = ChannelMatcher(self.wording.channels)
        self._parser = RefinementParser.build(self.wording.refine, self.wording.channels)
        self._tone_words = tone_words(self.wording.refine)
        self._planner = ChannelPlanner(catalogue, self.wording, self._channels)
        self._texts = {
            lang: {
                key: (fr_typography if lang == "fr" else str)(t(f"offline.{key}", lang))
                for key in (
                    "check_assumed",
                    "check_constraints",
                    "check_competitors",
                    "refine_note",
                    "refine_note_empty",
                    "variant_suffix",
                )
            }
            for lang in ("fr", "en")
        }
        self._context = lru_cache(maxsize=512)(self._build_context)
        self._weights: dict[tuple[object, ...], tuple[list[Variant], list[float]]] = {}

    # ---- the AngleGenerator protocol ----

    async def angles(self, request: AngleRequest) -> list[Angle]:
        ctx = self._context(request.brief, request.brand, request.lang)
        style = self._style(request.style, ctx)
        taken = set(request.avoid_ids)
        out = []
        for n, sid in enumerate(request.strategies, start=1):
            rng = random.Random(_seed(request.seed, ctx.seed_key, sid))
            angle = self._compose(sid, n, ctx, style, rng, avoid=taken)
            taken.add(angle.id)
            out.append(angle)
        return out

    async def refine(self, angle: Angle, instruction: str, request: AngleRequest) -> Angle:
        if angle.strategy not in self.wording.strategies[request.lang]:
            raise GenerationError(f"unknown strategy {angle.strategy!r}")
        wanted = self._parser.parse(instruction)
        brand, brief = request.brand, request.brief
        if "audience" in wanted:
            brand = brand.updated({"audience": wanted["audience"]})
        if "free" in wanted:
            brief = wanted["free"]  # the instruction becomes what the wording quotes
        ctx = self._context(brief, brand, request.lang)
        base = dict(request.style)
        base.update({k: wanted[k] for k in ("tone", "length") if k in wanted})
        focus = {"audience"} if "audience" in wanted else set()
        focus |= {"brief"} if "free" in wanted else set()
        style = replace(self._style(base, ctx), focus=frozenset(focus), kick="tone" in wanted)
        texts = self._texts[request.lang]
        note = (
            texts["refine_note"].format(instruction=clean(instruction, 80))
            if instruction.strip()
            else texts["refine_note_empty"]
        )
        rng = random.Random(_seed(request.seed, ctx.seed_key, angle.id, instruction))
        channel = None
        if "channel" in wanted:
            channel = (self._channels.display(wanted["channel"], request.lang), wanted["channel"])
        return self._compose(
            angle.strategy, angle.n, ctx, style, rng,
            avoid=set(request.avoid_ids) | {angle.id}, not_hook=angle.hook, note=note,
            channel=channel, hook_len=len(angle.hook),
        )

    async def challenge(self, target: Angle | str, request: AngleRequest) -> Critique:
        ctx = self._context(request.brief, request.brand, request.lang)
        key = target.id if isinstance(target, Angle) else target
        rng = random.Random(_seed(request.seed, ctx.seed_key, "challenge", key))
        return build_critique(target, ctx=ctx, common=self.wording.common[request.lang],
                              wordings=self.wording.strategies[request.lang], rng=rng)

    # ---- composition ----

    def _build_context(self, brief: str, brand: BrandContext, lang: Lang) -> Context:
        return build_context(brief, brand, lang, channels=self._channels,
                             tone_words=self._tone_words)

    @staticmethod
    def _style(style: object, ctx: Context) -> _Style:
        get = style.get if isinstance(style, dict) or hasattr(style, "get") else (lambda _k: None)
        tone = get("tone")
        tone = tone if tone in TONES else None
        length = get("length")
        return _Style(tone=tone, lean=tone or ctx.brand_tone,
                      length=length if length in ("short", "long") else None)

    @staticmethod
    def _usable(variants: tuple[Variant, ...], ctx: Context) -> list[Variant]:
        return [v for v in variants if v.needs <= ctx.known] or [v for v in variants if not v.needs]

    def _pick(self, variants: tuple[Variant, ...], ctx: Context, style: _Style,
              rng: random.Random, *, hook_len: int | None = None) -> Variant:
        if hook_len is not None:  # refinements: rare, and may pass a filtered tuple
            usable, weights = self._weigh(variants, ctx, style, hook_len)
            return rng.choices(usable, cum_weights=weights)[0]
        # The wording tuples live as long as the generator, so their id is a safe key.
        key = (id(variants), ctx.known, style)
        cached = self._weights.get(key)
        if cached is None:
            cached = self._weigh(variants, ctx, style, hook_len)
            if len(self._weights) < 20_000:  # bounded: keys are few (strategy x context shape)
                self._weights[key] = cached
        usable, weights = cached
        return rng.choices(usable, cum_weights=weights)[0]

    def _weigh(self, variants: tuple[Variant, ...], ctx: Context, style: _Style,
               hook_len: int | None) -> tuple[list[Variant], list[float]]:
        usable = self._usable(variants, ctx)
        weights = []
        for v in usable:
            w = 1.0 + len(v.uses & ctx.known)
            if v.uses - ctx.known:  # would print a stand-in ("notre offre"): less telling
                w *= 0.5
            if v.tone is not None:
                w *= 4.0 if v.tone == style.lean else (0.6 if style.lean else 1.0)
            if v.uses & style.focus:
                w *= 6.0
            if hook_len is not None and style.length == "short":
                w *= 4.0 if len(v.text) < hook_len else 0.25
            elif hook_len is not None and style.length == "long":
                w *= 4.0 if len(v.text) > hook_len else 0.25
            weights.append(w)
        return usable, list(accumulate(weights))

    def _fill(self, variant: Variant | str, ctx: Context) -> str:
        text = variant if isinstance(variant, str) else variant.text
        return capitalise(text.format_map(ctx.slots))

    def _compose(
        self,
        sid: str,
        n: int,
        ctx: Context,
        style: _Style,
        rng: random.Random,
        *,
        avoid: set[str],
        not_hook: str | None = None,
        note: str | None = None,
        channel: tuple[str, str | None] | None = None,
        hook_len: int | None = None,
    ) -> Angle:
        lang = ctx.lang
        sw = self.wording.strategies[lang][sid]
        kickers = self.wording.common[lang].kickers
        length_ref = hook_len if hook_len is not None else (
            sorted(len(v.text) for v in sw.hooks)[len(sw.hooks) // 2] if style.length else None)
        hooks = sw.hooks
        if not_hook:  # a refinement must read differently: drop the hook it replaces
            hooks = tuple(v for v in hooks if not not_hook.startswith(self._fill(v, ctx))) or hooks

        def render(t_var: Variant, h_var: Variant) -> tuple[str, str]:
            hook = self._fill(h_var, ctx)
            if (style.tone and h_var.tone != style.tone and style.tone in kickers
                    and (style.kick or style.length != "short")):
                hook = f"{hook} {rng.choice(kickers[style.tone])}"
            return self._fill(t_var, ctx), hook

        def fresh(pair: tuple[str, str]) -> bool:
            return angle_id(sid, *pair) not in avoid and pair[1] != not_hook

        pair = ("", "")
        for _ in range(_ATTEMPTS):
            pair = render(self._pick(sw.titles, ctx, style, rng),
                          self._pick(hooks, ctx, style, rng, hook_len=length_ref))
            if fresh(pair):
                break
        else:
            # Many rejected angles: walk every combination before giving up on variety.
            combos = [
                (a, b) for a in self._usable(sw.titles, ctx) for b in self._usable(hooks, ctx)
            ]
            rng.shuffle(combos)
            pair = next((p for p in map(lambda c: render(*c), combos) if fresh(p)), pair)
            while not fresh(pair):  # all taken: number the title
                suffix = self._texts[lang]["variant_suffix"].format(n=rng.randint(2, 999))
                pair = (f"{pair[0].split(' (', 1)[0]} {suffix}", pair[1])
        title, hook = pair
        return Angle(
            n=n, id=angle_id(sid, title, hook), strategy=sid, title=title, hook=hook,
            rationale=self._rationale(sw, sid, ctx, style, rng, note),
            channel=self._planner.pick(sid, ctx, rng, channel),
            to_validate=self._checks(sw, sid, ctx, style, rng),
            strategy_name=self.catalogue.get(sid).name_in(lang),
        )

    def _rationale(self, sw: StrategyWording, sid: str, ctx: Context, style: _Style,
                   rng: random.Random, note: str | None) -> str:
        common = self.wording.common[ctx.lang]
        why = self._pick(sw.why, ctx, style, rng)
        parts = [note] if note else []
        parts.append(self._fill(why, ctx))
        # Tie to fields the "why" did not already mention; a refinement's focus first.
        fields = [f for f in ("objective", "values", "tone", "audience", "competitors", "brief")
                  if f in ctx.known and f in common.ties and f not in why.uses]
        rng.shuffle(fields)
        fields.sort(key=lambda f: f not in style.focus)
        count = {"short": 0, "long": 2}.get(style.length or "", 1)
        if fields and fields[0] in style.focus:
            count = max(count, 1)
        for field in fields[:count]:
            parts.append(self._fill(self._pick(common.ties[field], ctx, style, rng), ctx))
        if style.length != "short":
            if not fields:
                parts.append(rng.choice(common.open))
            if style.length == "long":
                parts.append(self._fill(self._pick(sw.more, ctx, style, rng), ctx))
        # Assumptions are stated once above the angles and listed in each angle's
        # checks; repeating them in every rationale only adds noise.
        return " ".join(parts)

    def _checks(self, sw: StrategyWording, sid: str, ctx: Context, style: _Style,
                rng: random.Random) -> list[str]:
        usable = [c for c in sw.checks if c.needs <= ctx.known]
        count = {"short": 2, "long": 4}.get(style.length or "", 3)
        checks = [self._fill(c, ctx) for c in rng.sample(usable, min(count, len(usable)))]
        texts = self._texts[ctx.lang]
        if "competitors" in ctx.known and sid in _COMPARATIVE:
            checks.append(texts["check_competitors"].format(competitors=ctx.slots["competitors"]))
        if "constraints" in ctx.known:
            checks.append(texts["check_constraints"].format(constraints=ctx.slots["constraints"]))
        if ctx.assumed:
            checks.append(texts["check_assumed"].format(fields=ctx.assumed))
        return checks
