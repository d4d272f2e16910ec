"""The built-in angle generator: no network, deterministic for a given seed.

Each angle combines variants of a strategy's wording (prompts/offline/) with
the brand context and what the brief is about (bot/fit.py): the channel is
picked first (the brand's own, else one that fits the brief's sectors), then
a hook that suits the product kind and what that channel shows, a title from
the same analogy world as the hook, a rationale tied to the brand and checks
specific to the strategy and to the regulated topics the brief touches. The
occasion of the brief ("la rentrée", "Black Friday") goes into titles and
hooks written for it. Which variants can be used depends on which brand
fields are known, so an empty context never prints an empty slot. Everything
is compiled at construction; a turn costs a few look-ups and formats per angle.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any

from bot.brief.brand import BrandContext
from bot.dialogue.refine_kinds import default_table
from bot.dialogue.refinement import RefinementParser
from bot.ideas.catalogue import Catalogue
from bot.ideas.check_sources import attach_sources
from bot.ideas.diversity import THRESHOLD, log_diversity, most_alike
from bot.ideas.exclusions import default_guard
from bot.ideas.fit import fit_data
from bot.ideas.generators.base import AngleRequest, Critique, GenerationError, angle_id
from bot.ideas.generators.brief_material import Material, clean_product
from bot.ideas.generators.brief_refine import BriefRefiner, RefineInput
from bot.ideas.generators.brief_wording import load_brief_wording
from bot.ideas.generators.brief_writer import BriefWriter, Violations, WritingMemory
from bot.ideas.generators.offline_brief import (
    BriefComposer,
    brand_with_model,
    slots_with_names,
)
from bot.ideas.generators.offline_channel import ChannelPlanner
from bot.ideas.generators.offline_context import ChannelMatcher, Context, build_context, tone_words
from bot.ideas.generators.offline_critique import build_critique
from bot.ideas.generators.offline_rationale import AnswerMemory, build_checks, build_rationale
from bot.ideas.generators.offline_rework import NoteBook, Rework, merge
from bot.ideas.generators.offline_templates import (
    OFFLINE_DIR,
    TONES,
    TemplateError,
    Variant,
    load_wording,
)
from bot.ideas.generators.offline_text import (
    capitalise,
    fr_typography,
    lower_first,
    one_sentence,
    sentences,
    shorten,
    vocative,
)
from bot.ideas.sector_book import default_sector_book
from bot.kernel.i18n import t
from bot.kernel.messages import Angle, Lang

__all__ = ["OfflineGenerator"]

_ATTEMPTS = 16
_DIVERSITY_RETRIES = 3
_OCCASION_TITLES = 2
# Registers that clash: a jokey hook for a brand whose tone is refined is rarely right.
_CLASH = frozenset({("playful", "premium"), ("playful", "serious"), ("bold", "premium"),
                    ("premium", "playful"), ("serious", "playful")})


@dataclass(frozen=True, slots=True)
class _Style:
    tone: str | None = None  # asked for (style or refine): also adds a closing line
    lean: str | None = None  # tone to favour when picking variants (asked or brand's)
    length: str | None = None  # "short" | "long"
    kick: bool = False  # the tone was asked in a refinement: always close on it
    # Fields a refinement is about ("audience", "occasion"...): favour variants
    # that mention them, and always tie the rationale to them.
    focus: frozenset[str] = frozenset()
    brand_tone: str | None = None
    single: bool = False  # "en une phrase": no closing line, one sentence only


@dataclass(frozen=True, slots=True)
class _Plan:
    """How a refinement reworks an angle (None for a fresh angle)."""

    note: tuple[str, str]  # the notes followed: in full, and compact (for "shorter")
    channel: str  # the channel kept or asked for
    original: Angle
    rework: Rework


def _no_violations(_text: str) -> list[str]:
    return []


def _seed(*parts: object) -> int:
    text = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


# Slots that stand for a field of the brief, and that field.
_GIVEN = {"brand": "brand", "our_product": "product", "a_our_product": "product",
          "de_our_product": "product", "audience": "audience", "a_audience": "audience",
          "de_audience": "audience", "objective": "objective"}

class OfflineGenerator:
    """Angles from the strategy catalogue and the brand context, without any model."""

    name = "offline"

    def __init__(self, catalogue: Catalogue, *, templates_dir: Path | None = None,
                 sectors: Any = None) -> None:
        folder = templates_dir or OFFLINE_DIR
        self.catalogue = catalogue
        self.wording = load_wording(catalogue.ids(), folder)
        topics = set(fit_data().regulated)
        for lang, common in self.wording.common.items():
            if set(common.regulated) != topics:
                raise TemplateError(
                    f"common.yaml: {lang}.regulated: needs checks for exactly the regulated topics "
                    f"of fit.yaml {sorted(topics)} (has {sorted(common.regulated)})")
        self._channels = ChannelMatcher(self.wording.channels)
        self._parser = RefinementParser.build(self.wording.refine, self.wording.channels)
        self._tone_words = tone_words(self.wording.refine)
        self._planner = ChannelPlanner(catalogue, self.wording, self._channels)
        self._notes = NoteBook()
        self._texts = {
            lang: {
                key: (fr_typography if lang == "fr" else str)(t(f"offline.{key}", lang))
                for key in ("check_assumed", "check_constraints", "check_competitors",
                            "variant_suffix")
            }
            for lang in ("fr", "en")
        }
        self._context = lru_cache(maxsize=512)(self._build_context)
        self._weights: dict[tuple[object, ...], tuple[list[Variant], list[float]]] = {}
        writer = BriefWriter(load_brief_wording(catalogue.ids()), default_guard())
        self._composer = BriefComposer(
            writer, sectors if sectors is not None else default_sector_book())
        self._refiner = BriefRefiner(writer, default_table())

    # ---- the AngleGenerator protocol ----

    async def angles(self, request: AngleRequest) -> list[Angle]:
        mat = self._composer.material(request)
        if mat.rich:
            return self._sourced(self._brief_angles(request, mat), request)
        # An occasion the brand stays out of ("ferme le Black Friday") is no occasion here
        # either: the templates would otherwise read it from the brief's words.
        occasion = "" if mat.refused_occasion else None
        ctx = self._context(request.brief, request.brand, request.lang, occasion)
        if mat.refused_occasion or request.model.excludes("discount"):
            # No price-reduction rule for a brand that runs no promotion.
            ctx = replace(ctx, profile=replace(
                ctx.profile, regulated=ctx.profile.regulated - {"price_reduction"}))
        style = self._style(request.style, ctx)
        memory = AnswerMemory.for_request(request)
        out = []
        for n, sid in enumerate(request.strategies, start=1):
            rng = random.Random(_seed(request.seed, ctx.seed_key, sid))
            angle = self._compose(sid, n, ctx, style, rng, memory)
            memory.remember(angle.id, angle.title, angle.hook)
            out.append(angle)
        return out

    async def refine(self, angle: Angle, instruction: str, request: AngleRequest) -> Angle:
        lang = request.lang
        if angle.strategy not in self.wording.strategies[lang]:
            raise GenerationError(f"unknown strategy {angle.strategy!r}")
        mat = self._composer.material(request)
        if mat.rich:
            return self._sourced([self._brief_refine(angle, instruction, request, mat)],
                                 request)[0]
        earlier = self._notes.earlier(angle.rationale, lang)
        rework = merge([*earlier, instruction], self._parser)
        if not instruction.strip():
            rework = replace(rework, new=frozenset())
        brand = request.brand
        if rework.audience:
            brand = brand.updated({"audience": rework.audience})
        ctx = self._context(request.brief, brand, lang, rework.occasion)
        base = dict(request.style)
        base.update({k: v for k, v in (("tone", rework.tone), ("length", rework.length)) if v})
        focus = {"audience"} if rework.audience else set()
        focus |= {"occasion"} if rework.occasion else set()
        style = replace(self._style(base, ctx), focus=frozenset(focus), kick=bool(rework.tone),
                        single=rework.one_sentence)
        if rework.channel and "channel" in rework.new:
            forced = (self._channels.display(rework.channel, lang), rework.channel)
            channel = self._planner.pick(angle.strategy, ctx, random.Random(
                _seed(request.seed, angle.id, rework.channel)), forced)
        else:
            channel = angle.channel  # built on the previous version: its channel stays
        notes = (self._notes.note(rework.notes, lang),
                 self._notes.note(rework.notes, lang, short=True))
        plan = _Plan(note=notes, channel=channel, original=angle, rework=rework)
        rng = random.Random(_seed(request.seed, ctx.seed_key, angle.id, instruction))
        memory = AnswerMemory.for_request(request)
        memory.ids.add(angle.id)
        out = self._compose(angle.strategy, angle.n, ctx, style, rng, memory, plan)
        # Without brief material this path knows tone, length, channel and audience
        # only: whatever else was asked and does not show is said plainly.
        missing = self._refiner.unmet(instruction, angle.hook, out.hook, lang,
                                      understood=bool(rework.new))
        return replace(out, rationale=f"{out.rationale} {missing}") if missing else out

    async def challenge(self, target: Angle | str, request: AngleRequest) -> Critique:
        ctx = self._context(request.brief, request.brand, request.lang, None)
        key = target.id if isinstance(target, Angle) else target
        rng = random.Random(_seed(request.seed, ctx.seed_key, "challenge", key))
        return build_critique(target, ctx=ctx, common=self.wording.common[request.lang],
                              wordings=self.wording.strategies[request.lang], rng=rng)

    # ---- composition from the brief model ----

    def _sourced(self, angles: list[Angle], request: AngleRequest) -> list[Angle]:
        """The rule entry behind each sector check, for platforms that cite it."""
        attach_sources(angles, self._composer.book, request.model, request.lang)
        return angles

    def _brief_angles(self, request: AngleRequest, mat: Material) -> list[Angle]:
        lang, model = request.lang, request.model
        brand = brand_with_model(request.brand, model)
        ctx = self._context(request.brief, brand, lang, mat.occasion)
        style = self._style(request.style, ctx)
        memory = AnswerMemory.for_request(request)
        writing = WritingMemory.of([*request.shown, *((a.title, a.hook) for a in request.avoid)])
        used: set[str] = set()
        check = self._composer.violations(model, lang)
        out = [self._brief_angle(request, mat, ctx, style, n, sid, memory, writing, used)
               for n, sid in enumerate(request.strategies, start=1)]
        # Too alike: the hook closest to the others is written again (its template is spent).
        for attempt in range(_DIVERSITY_RETRIES):
            if log_diversity([a.hook for a in out], [h for _, h in request.shown],
                             where="offline") <= THRESHOLD or len(out) < 3:
                break
            i = most_alike([a.hook for a in out])
            again = self._brief_angle(request, mat, ctx, style, i + 1, out[i].strategy, memory,
                                      writing, used, salt=attempt + 1)
            if again.hook != out[i].hook:
                out[i] = again
        # Forbidden claims: one look-up for the whole answer (it costs a scan of every
        # rule), then the angles that make one are written again, checked one by one.
        if check(" ".join(f"{a.title}. {a.hook}" for a in out)):
            for i, a in enumerate(out):
                if check(f"{a.title}. {a.hook}"):
                    out[i] = self._brief_angle(request, mat, ctx, style, a.n, a.strategy,
                                               memory, writing, used, salt=7, check=check)
        return out

    def _brief_angle(self, request: AngleRequest, mat: Material, ctx: Context, style: _Style,
                     n: int, sid: str, memory: AnswerMemory, writing: WritingMemory,
                     used: set[str], salt: int = 0, check: Violations | None = None
                     ) -> Angle:
        lang, model = request.lang, request.model
        rng = random.Random(_seed(request.seed, mat.key, ctx.seed_key, sid, salt))
        sw = self.wording.strategies[lang][sid]
        base = slots_with_names(ctx.slots, brand_with_model(request.brand, model).audience,
                                model.text, lang, model.concerns)
        ctx = replace(ctx, slots=base)
        # A hook names the brand, the offer or the audience only when the brief gives them
        # ("notre offre", "votre public" are stand-ins for the older wording, not copy).
        stated = {f for f in ("brand", "product", "audience", "objective")
                  if f in model.known(facts_only=True)
                  or (request.brand.get(f) and f not in request.brand.assumed)}
        if not clean_product(base.get("product", "")):
            stated.discard("product")
        given = {k: v for k, v in base.items() if _GIVEN.get(k, "") in ("", *stated)}
        written = self._composer.writer.fresh(
            sid, mat, model, given, rng, writing, order=n + request.seed % 97 + salt,
            violations=check or _no_violations, lean=style.lean, kinds=ctx.kinds)
        if written is None:  # every line of this strategy is spent here: the older wording
            angle = self._compose(sid, n, ctx, style, rng, memory)
        else:
            channel = self._composer.channel(
                lambda r: self._planner.pick(sid, ctx, r), model, lang, rng)
            own = [self._fill(c, ctx) for c in self._usable(sw.checks, ctx)]
            rng.shuffle(own)
            angle = self._composer.angle(
                n=n, sid=sid, written=written, mat=mat, rng=rng, used=used, channel=channel,
                why=self._fill(self._pick(sw.why, ctx, style, rng, without="brief"), ctx),
                checks=self._composer.checks(sid=sid, written=written, model=model, lang=lang,
                                             strategy_checks=own,
                                             channel_key=self._channels.kind_of(channel)),
                name=self.catalogue.get(sid).name_in(lang), brief=model.text)
            writing.remember(angle.title, angle.hook, written.line.key)
        memory.remember(angle.id, angle.title, angle.hook)
        return angle

    def _brief_refine(self, angle: Angle, instruction: str, request: AngleRequest,
                      mat: Material) -> Angle:
        lang, model = request.lang, request.model
        notes = [*self._notes.earlier(angle.rationale, lang), instruction]
        notes = [n for n in dict.fromkeys(n.strip() for n in notes) if n]
        ask = self._refiner.table.read_now(
            [n for n in notes if n != instruction.strip()], instruction)
        parsed = self._parser.parse(instruction)
        brand = brand_with_model(request.brand, model)
        ctx = self._context(request.brief, brand, lang, mat.occasion)
        channel = angle.channel
        if parsed.get("channel"):
            forced = (self._channels.display(parsed["channel"], lang), parsed["channel"])
            channel = self._planner.pick(angle.strategy, ctx, random.Random(
                _seed(request.seed, angle.id, parsed["channel"])), forced)
        young = "younger" in ask.kinds
        audience = "" if young else parsed.get("audience", "")
        also: tuple[str, ...] = ()
        if parsed.get("channel"):
            also = (self._refiner.table.channel_label[lang].format(
                channel=channel.split(" — ")[0]),)
        base = slots_with_names(ctx.slots, brand.audience, model.text, lang, model.concerns)
        x = RefineInput(angle=angle, ask=ask, mat=mat, model=model, base=base,
                        kinds=ctx.kinds, channel_key=self._channels.kind_of(channel),
                        audience=audience,
                        vocative=(vocative(audience, lang) or "") if audience else "",
                        also_done=also, instruction=instruction,
                        now=self._refiner.table.read([instruction]).kinds)
        rng = random.Random(_seed(request.seed, mat.key, angle.id, instruction))
        memory = WritingMemory.of([*request.shown, *((a.title, a.hook) for a in request.avoid)])
        violations = self._composer.violations(model, lang)
        done = self._refiner.refine(x, rng, memory, violations)
        notes_said = list(done.notes)
        own = [self._fill(c, ctx) for c in self._usable(self.wording.strategies[lang][
            angle.strategy].checks, ctx)]
        why = self._composer.writer.why(mat, done.written.slots, rng, used=set(),
                                        hook=done.hook)[:1]
        rationale = " ".join([self._notes.note(tuple(notes[-3:]), lang), *notes_said, *why])
        return Angle(n=angle.n, id=angle_id(angle.strategy, done.title, done.hook),
                     strategy=angle.strategy, title=done.title, hook=done.hook,
                     rationale=rationale, channel=channel,
                     to_validate=self._composer.checks(sid=angle.strategy, written=done.written,
                                                       model=model, lang=lang,
                                                       strategy_checks=own[:1],
                                                       channel_key=self._channels.kind_of(channel)),
                     strategy_name=angle.strategy_name
                     or self.catalogue.get(angle.strategy).name_in(lang))

    # ---- composition ----

    def _build_context(self, brief: str, brand: BrandContext, lang: Lang,
                       occasion: str | None) -> Context:
        return build_context(brief, brand, lang, channels=self._channels,
                             tone_words=self._tone_words, occasion=occasion)

    @staticmethod
    def _style(style: object, ctx: Context) -> _Style:
        get = style.get if isinstance(style, dict) or hasattr(style, "get") else (lambda _k: None)
        tone = get("tone")
        tone = tone if tone in TONES else None
        length = get("length")
        return _Style(tone=tone, lean=tone or ctx.brand_tone,
                      length=length if length in ("short", "long") else None,
                      brand_tone=ctx.brand_tone)

    def _usable(self, variants: tuple[Variant, ...], ctx: Context,
                media: frozenset[str] | None = None) -> list[Variant]:
        """Variants whose fields are known and that suit the product, goal and channel."""
        def fits(v: Variant) -> bool:
            return v.suits(ctx.kinds, ctx.goal) and (not v.media or media is None
                                                     or bool(v.media & media))
        known = [v for v in variants if v.needs <= ctx.known and fits(v)]
        return known or [v for v in variants if not v.needs and fits(v)] or [
            v for v in variants if not v.needs]

    def _pick(self, variants: tuple[Variant, ...], ctx: Context, style: _Style,
              rng: random.Random, media: frozenset[str] | None = None,
              domain: str | None | bool = False, without: str | None = None) -> Variant:
        # The wording tuples live as long as the generator, so their id is a safe key.
        key = (id(variants), ctx.known, ctx.kinds, ctx.goal, style, media, domain, without)
        cached = self._weights.get(key)
        if cached is None:
            usable = self._usable(variants, ctx, media)
            if without:  # e.g. not one more line quoting the brief
                usable = [v for v in usable if without not in v.uses] or usable
            if domain is not False:  # a title must come from the hook's analogy world
                same = [v for v in usable if v.domain is None or v.domain == domain]
                usable = same or usable
            cached = (usable, self._weigh(usable, ctx, style))
            if len(self._weights) < 20_000:  # bounded: keys are few (strategy x context shape)
                self._weights[key] = cached
        usable, weights = cached
        return rng.choices(usable, cum_weights=weights)[0]

    @staticmethod
    def _weigh(usable: Sequence[Variant], ctx: Context, style: _Style) -> list[float]:
        weights = []
        for v in usable:
            w = 1.0 + len(v.uses & ctx.known)
            if v.uses - ctx.known:  # would print a stand-in ("notre offre"): less telling
                w *= 0.5
            if v.tone is not None:
                w *= 4.0 if v.tone == style.lean else (0.6 if style.lean else 1.0)
                if (v.tone, style.brand_tone) in _CLASH and v.tone != style.tone:
                    w *= 0.3
            if "occasion" in v.uses:
                w *= 3.0
            if v.uses & style.focus:
                w *= 6.0
            weights.append(w)
        return list(accumulate(weights))

    def _fill(self, variant: Variant | str, ctx: Context) -> str:
        text = variant if isinstance(variant, str) else variant.text
        text = text.format_map(ctx.slots)
        if "hez Chez " in text:  # "Chez {brand}" with a brand named "Chez Paul"
            text = text.replace("Chez Chez ", "Chez ").replace("chez Chez ", "chez ")
        return capitalise(text)

    def _compose(self, sid: str, n: int, ctx: Context, style: _Style, rng: random.Random,
                 memory: AnswerMemory, plan: _Plan | None = None) -> Angle:
        lang = ctx.lang
        sw = self.wording.strategies[lang][sid]
        channel = plan.channel if plan else self._planner.pick(sid, ctx, rng)
        media = self._planner.media_of(channel)
        if plan is None:
            title, hook, hook_tone = self._fresh_pair(sid, ctx, style, rng, memory, media)
        else:
            title, hook, hook_tone = self._reworked_pair(sid, ctx, style, rng, memory, media, plan)
        mentions = f"{title} {hook}"
        length = style.length
        shorter_than = None
        if plan is not None and plan.rework.length == "short" and "length" in plan.rework.new:
            shorter_than = len(plan.original.rationale)  # asked now: shorter than the last one
        return Angle(
            n=n, id=angle_id(sid, title, hook), strategy=sid, title=title, hook=hook,
            rationale=build_rationale(
                sw, ctx, rng, common=self.wording.common[lang], fill=self._fill,
                pick_why=lambda no_quote: self._pick(sw.why, ctx, style, rng,
                                                     without="brief" if no_quote else None),
                note=plan.note if plan else None, length=length, hook_tone=hook_tone,
                asked_tone=style.tone,
                focus=style.focus, memory=memory, shorter_than=shorter_than),
            channel=channel,
            to_validate=build_checks(sw, sid, ctx, rng, common=self.wording.common[lang],
                                     fill=self._fill, texts=self._texts[lang], length=length,
                                     mentions=mentions),
            strategy_name=self.catalogue.get(sid).name_in(lang),
        )

    def _kicked(self, hook: str, variant: Variant, style: _Style,
                rng: random.Random, lang: Lang) -> tuple[str, str | None]:
        """Close on the asked tone when the hook is not written in it."""
        kickers = self.wording.common[lang].kickers
        if (not style.single and style.tone and variant.tone != style.tone
                and style.tone in kickers
                and (style.kick or style.length != "short")):
            return f"{hook} {rng.choice(kickers[style.tone])}", style.tone
        return hook, variant.tone

    def _fresh_pair(self, sid: str, ctx: Context, style: _Style, rng: random.Random,
                    memory: AnswerMemory, media: frozenset[str]) -> tuple[str, str, str | None]:
        sw = self.wording.strategies[ctx.lang][sid]

        def render(t_var: Variant, h_var: Variant) -> tuple[str, str, str | None]:
            hook, tone = self._kicked(self._fill(h_var, ctx), h_var, style, rng, ctx.lang)
            return self._fill(t_var, ctx), hook, tone

        def fresh(triple: tuple[str, str, str | None], strict: bool) -> bool:
            title, hook, _ = triple
            return (angle_id(sid, title, hook) not in memory.ids and memory.fresh_hook(hook)
                    and (not strict or title not in memory.titles))

        # The occasion in every title reads like a template: at most _OCCASION_TITLES per answer.
        occasion = ctx.slots["occasion"].lower()
        spent = bool(occasion) and sum(
            occasion in title.lower() for title in memory.titles) >= _OCCASION_TITLES
        skip = "occasion" if spent else None
        triple: tuple[str, str, str | None] = ("", "", None)
        for _ in range(_ATTEMPTS):
            h_var = self._pick(sw.hooks, ctx, style, rng, media)
            t_var = self._pick(sw.titles, ctx, style, rng, domain=h_var.domain, without=skip)
            triple = render(t_var, h_var)
            if fresh(triple, strict=True):
                return triple
        # Many rejected angles: walk every combination before giving up on variety.
        hooks = self._usable(sw.hooks, ctx, media)
        titles = [v for v in self._usable(sw.titles, ctx) if not skip or skip not in v.uses]
        combos = [(a, b) for b in hooks for a in titles or self._usable(sw.titles, ctx)
                  if a.domain in (None, b.domain)]
        rng.shuffle(combos)
        rendered = [render(*c) for c in combos]
        found = next((p for p in rendered if fresh(p, strict=True)), None) or next(
            (p for p in rendered if fresh(p, strict=False)), None)
        if found is not None:
            return found
        title, hook, tone = triple
        while angle_id(sid, title, hook) in memory.ids:  # all taken: number the title
            suffix = self._texts[ctx.lang]["variant_suffix"].format(n=rng.randint(2, 999))
            title = f"{title.split(' (', 1)[0]} {suffix}"
        return title, hook, tone

    def _reworked_pair(self, sid: str, ctx: Context, style: _Style, rng: random.Random,
                       memory: AnswerMemory, media: frozenset[str],
                       plan: _Plan) -> tuple[str, str, str | None]:
        """A new hook that does what the notes ask, under the previous title when it fits."""
        sw = self.wording.strategies[ctx.lang][sid]
        rework, original = plan.rework, plan.original
        usable = self._usable(sw.hooks, ctx, media)
        others = [v for v in usable if not original.hook.startswith(self._fill(v, ctx))] or usable
        short = rework.length == "short"
        shrink = short and "length" in rework.new  # asked now: shorter than the last version
        tiers: list[list[Variant]] = []
        wanted = others
        # Rewrite in the register asked for rather than append a line, and use a
        # hook written for the occasion; what the newest note asks comes first.
        wishes = []
        if rework.tone:
            wishes.append(("tone", lambda v: v.tone == rework.tone))
        if rework.occasion and "occasion" in ctx.known:
            wishes.append(("occasion", lambda v: "occasion" in v.uses))
        wishes.sort(key=lambda wish: wish[0] not in rework.new)
        for _, keep in wishes:
            wanted = [v for v in wanted if keep(v)] or wanted
        tiers = [wanted, others]
        if shrink:
            tiers = [[v for v in tier if len(self._fill(v, ctx)) < len(original.hook)]
                     for tier in tiers]
        if rework.one_sentence:  # hooks written as one sentence first, cut ones after
            tiers = [[v for v in tier if len(sentences(self._fill(v, ctx))) == 1]
                     for tier in tiers] + tiers

        def attempt(h_var: Variant | None, hook: str, tone: str | None
                    ) -> tuple[str, str, str | None] | None:
            hook = self._weave(hook, ctx, rework, short)
            if rework.one_sentence:
                hook = one_sentence(hook)
            title = self._title(sw.titles, ctx, style, rng, h_var, original, rework)
            if angle_id(sid, title, hook) in memory.ids or not memory.fresh_hook(hook):
                return None
            return title, hook, tone

        for tier in tiers:
            if not tier:
                continue
            weights = self._weigh(tier, ctx, style)
            for _ in range(_ATTEMPTS):
                h_var = rng.choices(tier, cum_weights=weights)[0]
                found = attempt(h_var, *self._kicked(self._fill(h_var, ctx), h_var, style, rng,
                                                     ctx.lang))
                if found:
                    return found
        if shrink:  # nothing shorter in the wording: the previous hook, cut to its first clause
            cut = shorten(one_sentence(original.hook) if rework.one_sentence else original.hook)
            found = attempt(None, cut, None) if cut != original.hook else None
            if found:
                return found
        # Everything is taken: the least-used wording (the shortest when asked
        # for shorter), under a numbered title.
        h_var = min(others, key=lambda v: len(self._fill(v, ctx))) if shrink else rng.choice(others)
        hook = self._weave(self._kicked(self._fill(h_var, ctx), h_var, style, rng, ctx.lang)[0],
                           ctx, rework, short)
        if rework.one_sentence:
            hook = one_sentence(hook)
            if shrink and len(hook) >= len(original.hook) and len(sentences(original.hook)) == 1:
                hook = original.hook  # already one short sentence: nothing shorter to say
        title = self._title(sw.titles, ctx, style, rng, h_var, original, rework)
        while angle_id(sid, title, hook) in memory.ids:
            suffix = self._texts[ctx.lang]["variant_suffix"].format(n=rng.randint(2, 999))
            title = f"{title.split(' (', 1)[0]} {suffix}"
        return title, hook, h_var.tone

    def _weave(self, hook: str, ctx: Context, rework: Rework, short: bool) -> str:
        """Put the theme, occasion and new audience of the notes into the hook itself."""
        common = self.wording.common[ctx.lang]
        keep = tuple(x for x in (ctx.slots["brand"], ctx.slots["product"]) if x)
        theme = rework.theme or (rework.occasion if rework.occasion
                                 and ctx.slots["occasion"] not in hook else None)
        if theme:
            frame = common.frames[_seed(theme, hook) % len(common.frames)]
            hook = frame.text.format_map({**ctx.slots, "theme": theme, "hook": hook,
                                          "hook_lc": lower_first(hook, keep)})
        if rework.audience and not short and ctx.slots["audience"] not in hook:
            who = vocative(ctx.slots["audience"], ctx.lang)
            if who and common.address:
                line = common.address[_seed(who, hook) % len(common.address)]
                hook = f"{line.text.format_map({**ctx.slots, 'vocative': who})} {hook}"
        return capitalise(hook)

    def _title(self, titles: tuple[Variant, ...], ctx: Context, style: _Style, rng: random.Random,
               h_var: Variant | None, original: Angle, rework: Rework) -> str:
        """The previous title, unless the notes call for a timely one or the analogy changed."""
        domain = h_var.domain if h_var else None
        usable = self._usable(titles, ctx)
        previous = next((v for v in usable if self._fill(v, ctx) == original.title), None)
        wants_moment = bool(rework.occasion) and "occasion" in rework.new
        if not wants_moment and (previous is None and domain is None
                                 or previous is not None and previous.domain in (None, domain)):
            return original.title
        options = [v for v in usable if v.domain in (None, domain)]
        if wants_moment:
            options = [v for v in options if "occasion" in v.uses] or options
        options = [v for v in options if self._fill(v, ctx) != original.title] or options
        return self._fill(rng.choices(options, cum_weights=self._weigh(options, ctx, style))[0],
                          ctx)
