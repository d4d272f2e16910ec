"""The rationale and the checks of an offline angle.

The rationale is the strategy's "why" plus sentences tying it to the brand
(objective, values, tone, audience, occasion...). Two rules keep it honest:
a tone sentence only claims "the tone stays yours" when the hook is written in
that tone (otherwise it says the register departs from it), and objective
sentences are tagged with the goal they suit ("a reason to act" is not said of
an awareness goal). Within one answer a stock sentence is used once.

The checks are the strategy's own (those that suit the product kind: no
hygiene rules for software), then the regulated topics the brief touches
(finance, children, alcohol...), competitors, constraints and assumptions.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.ideas.generators.base import AngleRequest
from bot.ideas.generators.offline_context import Context
from bot.ideas.generators.offline_templates import CommonWording, StrategyWording, Variant
from bot.ideas.generators.offline_text import capitalise, shorten

# Strategies where naming a competitor is likely: add the comparative-advertising check.
COMPARATIVE = frozenset({"contrarian", "before-after", "myth-busting", "problem-agitate-solve"})
MAX_QUOTES = 2  # the brief quoted in more rationales than this reads like a form letter
_TIE_FIELDS = ("occasion", "objective", "values", "tone", "audience", "competitors", "brief")


@dataclass(slots=True)
class AnswerMemory:
    """What must not come back: rejected angles, and what this answer already said."""

    ids: set[str] = field(default_factory=set)
    hooks: list[str] = field(default_factory=list)
    titles: set[str] = field(default_factory=set)
    sentences: set[str] = field(default_factory=set)  # stock rationale sentences used
    quotes: int = 0  # how many rationales already quote the brief

    @classmethod
    def for_request(cls, request: AngleRequest) -> AnswerMemory:
        memory = cls(ids=set(request.avoid_ids))
        for angle in request.avoid:
            memory.ids.add(angle.id)
            memory.hooks.append(angle.hook)
            memory.titles.add(angle.title)
        return memory

    def fresh_hook(self, hook: str) -> bool:
        # A kicker or a frame may have been added to a rejected hook: compare the cores.
        return not any(hook.startswith(h) or h.startswith(hook) or h in hook for h in self.hooks)

    def remember(self, angle_id: str, title: str, hook: str) -> None:
        self.ids.add(angle_id)
        self.hooks.append(hook)
        self.titles.add(title)


Fill = Callable[[Variant | str, Context], str]


def _choose(variants: Sequence[Variant], ctx: Context, rng: random.Random) -> Variant:
    weights = [1.0 + len(v.uses & ctx.known) for v in variants]
    return rng.choices(list(variants), weights)[0]


def _tone_field(hook_tone: str | None, brand_tone: str | None,
                asked: str | None) -> str | None:
    """Which tone sentence may be said: the same register, a stated departure, or none."""
    if asked is not None and hook_tone == asked:
        return None  # the register the user asked for: no need to comment on it
    if hook_tone is None or hook_tone == brand_tone:
        return "tone"
    if brand_tone is not None:
        return "tone_shift"
    return None


def build_rationale(sw: StrategyWording, ctx: Context, rng: random.Random, *, common: CommonWording,
                    fill: Fill, pick_why: Callable[[bool], Variant],
                    note: tuple[str, str] | None,
                    length: str | None, hook_tone: str | None, asked_tone: str | None,
                    focus: frozenset[str],
                    memory: AnswerMemory, shorter_than: int | None = None) -> str:
    why = pick_why(memory.quotes >= MAX_QUOTES)  # True: a "why" that does not quote the brief
    if "brief" in why.uses:
        memory.quotes += 1
    if shorter_than is not None:
        return _shorter(sw, ctx, fill, why, note, shorter_than)
    parts = [note[0]] if note else []
    parts.append(fill(why, ctx))
    tone_key = _tone_field(hook_tone, ctx.brand_tone, asked_tone) if "tone" in ctx.known else None
    fields = []
    for name in _TIE_FIELDS:
        key = tone_key if name == "tone" else name
        if name == "brief" and memory.quotes >= MAX_QUOTES:
            continue
        if key and name in ctx.known and key in common.ties and name not in why.uses:
            fields.append(key)
    rng.shuffle(fields)
    # A stated change of register comes first, then what the refinement is about.
    fields.sort(key=lambda f: (f != "tone_shift", f not in focus))
    count = {"short": 0, "long": 2}.get(length or "", 1)
    if fields and (fields[0] in focus or fields[0] == "tone_shift"):
        count = max(count, 1)
    said = 0
    for name in fields:
        if said >= count:
            break
        options = [v for v in common.ties[name]
                   if v.needs <= ctx.known and v.suits(ctx.kinds, ctx.goal)
                   and v.text not in memory.sentences]
        if not options:
            continue
        chosen = _choose(options, ctx, rng)
        memory.sentences.add(chosen.text)
        text = chosen.text
        if name == "tone_shift" and hook_tone:
            text = text.replace("{register}", common.registers.get(hook_tone, ""))
        parts.append(fill(text, ctx))
        said += 1
    if length != "short":
        if not said and not {"audience", "objective"} & ctx.known:  # they ask for these
            fresh = [s for s in common.open if s not in memory.sentences]
            if fresh:
                sentence = rng.choice(fresh)
                memory.sentences.add(sentence)
                parts.append(sentence)
        if length == "long":
            more = [v for v in sw.more if v.needs <= ctx.known and v.suits(ctx.kinds, ctx.goal)]
            parts.append(fill(_choose(more or sw.more, ctx, rng), ctx))
    return " ".join(parts)


def _shorter(sw: StrategyWording, ctx: Context, fill: Fill, why: Variant,
             notes: tuple[str, str] | None, limit: int) -> str:
    """The shortest honest rationale, shorter than `limit` characters when at all possible.

    `notes` is (full, compact): the note of the notes followed is always kept,
    since the next refinement reads it back.
    """
    whys = sorted((fill(v, ctx) for v in sw.why
                   if v.needs <= ctx.known and v.suits(ctx.kinds, ctx.goal)), key=len)
    best = whys[0] if whys else fill(why, ctx)
    cut = capitalise(shorten(best))
    full, compact = notes or ("", "")
    candidates = [f"{full} {best}", f"{compact} {best}", f"{compact} {cut}", compact] if notes \
        else [best, cut]
    candidates = [c.strip() for c in candidates if c.strip()]
    return next((c for c in candidates if len(c) < limit), candidates[-1])


def build_checks(sw: StrategyWording, sid: str, ctx: Context, rng: random.Random, *,
                 common: CommonWording, fill: Fill, texts: dict[str, str], length: str | None,
                 mentions: str) -> list[str]:
    regulated = []
    for topic in sorted(ctx.profile.regulated):
        if topic == "comparative" and ("competitors" in ctx.known or sid not in COMPARATIVE):
            continue  # named competitors get their own line below
        options = [v for v in common.regulated.get(topic, ()) if v.needs <= ctx.known]
        if options:
            regulated.append(fill(rng.choice(options), ctx))
    usable = [c for c in sw.checks if c.needs <= ctx.known and c.suits(ctx.kinds, ctx.goal)]
    count = {"short": 2, "long": 4}.get(length or "", 3) - min(1, len(regulated))
    checks = regulated + [fill(c, ctx) for c in rng.sample(usable, min(count, len(usable)))]
    if "competitors" in ctx.known:
        names = [n.strip() for n in ctx.slots["competitors"].replace(" et ", ", ")
                 .replace(" and ", ", ").split(",") if n.strip()]
        if sid in COMPARATIVE or any(n in mentions for n in names):
            checks.append(texts["check_competitors"].format(competitors=ctx.slots["competitors"]))
    if "constraints" in ctx.known:
        checks.append(texts["check_constraints"].format(constraints=ctx.slots["constraints"]))
    if ctx.assumed:
        checks.append(texts["check_assumed"].format(fields=ctx.assumed))
    return checks
