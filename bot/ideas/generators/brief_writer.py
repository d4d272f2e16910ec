"""Titles, hooks and "why" sentences written from the brief model, for the offline engine.

Every hook carries one of the brief's own concern words (prompts/writing/hooks.yaml
checks it at load), so the same hook never serves two clients; within a
conversation a hook, a title or a template already shown is never used again
(nor a near copy: rapidfuzz ratio >= NEAR). A candidate is dropped when it
breaks an exclusion of the brief or makes a claim the sector's rules forbid;
the next one is tried. Which slots a line needs decides whether it can be
used, so an unknown figure or pain never prints an empty slot.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.brief.brand import fold
from bot.brief.model import BriefModel
from bot.ideas.exclusions import ExclusionGuard
from bot.ideas.generators.brief_material import Concern, Material, concern_slots
from bot.ideas.generators.brief_wording import BriefWording, Line, render_address
from bot.ideas.generators.offline_text import capitalise, fr_typography
from bot.kernel.messages import Lang

NEAR = 88  # rapidfuzz ratio from which two hooks read as the same line
TAIL_MAX = 95  # hooks longer than this get no second sentence
MAX_TRIES = 60  # candidate hooks rendered for one angle at most
_ENOUGH_TITLES = 3
# Strategies that rest on a proof: their "why" says which one to gather.
PROOF_STRATEGIES = frozenset({"social-proof", "data-insight", "customer-hero", "myth-busting",
                              "expert-education", "before-after"})
# Lines any strategy may fall back on when its own are spent in a conversation (not the
# kinds that change who is spoken to or add pressure: b2b, young, local, urgency, testimonial;
# nor jokes and bravado, which misfire for a charity or a medicine: playful, bold; nor plain,
# whose lines name a price).
FALLBACK_POOLS = ("question", "serious", "rational", "concrete", "soft", "emotional", "premium")
# Tags and tones an exclusion key rules out beyond its words (exclusions.yaml `tags`).
# ("no puns" leaves jokes in; "no humour" takes every playful line out.)
_TAG_TONES = {"humour": "playful"}
_OBJECTIVE_WORDS = 9  # a longer objective reads as a paragraph inside a "why" sentence
# English desires of the sector data that start with a verb ("be thanked sincerely").
_EN_VERBS = frozenset("be know see get find have feel make save pay keep learn discover progress "
                      "stay avoid understand choose start stop spend enjoy".split())
_FIGURE_SLOTS = frozenset({"fig", "Fig"})

Violations = Callable[[str], list[str]]  # text -> the rules it breaks (empty when none)


def opening(hook: str) -> str:
    """The first word of a hook: five hooks that all open on "Côté" read as one template."""
    return hook.split(" ", 1)[0].strip("«“\"' ,:").casefold()


_VOUS = re.compile(r"\b(?:vous|votre|vos)\b", re.IGNORECASE)


def _NONE(_text: str) -> list[str]:
    return []


@dataclass(slots=True)
class WritingMemory:
    """What must not come back in this conversation."""

    hooks: list[str] = field(default_factory=list)
    titles: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)  # template keys used in this answer
    openings: set[str] = field(default_factory=set)  # first words of this answer's hooks

    @classmethod
    def of(cls, shown: Iterable[tuple[str, str]]) -> WritingMemory:
        memory = cls()
        for title, hook in shown:
            memory.titles.add(title)
            memory.hooks.append(hook)
        return memory

    def fresh(self, hook: str) -> bool:
        if hook in self.hooks:
            return False
        return process.extractOne(hook, self.hooks, scorer=fuzz.ratio, score_cutoff=NEAR) is None

    def remember(self, title: str, hook: str, key: str = "") -> None:
        self.titles.add(title)
        self.hooks.append(hook)
        if key:
            self.keys.add(key)
            self.openings.add(opening(hook))


@dataclass(frozen=True, slots=True)
class Written:
    title: str
    hook: str
    line: Line
    concern: Concern
    slots: dict[str, str]


class BriefWriter:
    def __init__(self, wording: BriefWording, guard: ExclusionGuard) -> None:
        self.wording = wording
        self.guard = guard

    # ---- slots ----

    def slots(self, mat: Material, base: dict[str, str], concern: Concern,
              rng: random.Random) -> dict[str, str]:
        """Every slot this angle may use; a missing one is simply absent."""
        out = {k: base[k] for k in ("brand", "our_product", "a_our_product", "de_our_product",
                                    "audience", "a_audience", "de_audience") if base.get(k)}
        if out.get("brand"):
            out["Brand"] = out["brand"]
        if out.get("our_product"):
            out["Our_product"] = capitalise(out["our_product"])
        objective = base.get("objective", "")
        if (objective and len(objective.split()) <= _OBJECTIVE_WORDS
                and not set(objective) & set(";:")):
            out["objective"] = objective
        out.update(concern_slots(concern, mat.lang))
        others = [c for c in mat.concerns if c != concern]
        if others:
            out["c2"] = rng.choice(others).bare
        # A hook prints only facts of the offer; a refine "with a figure" may use any figure.
        if mat.facts:
            fig = rng.choice(mat.facts)
            out.update(fig=fig, Fig=capitalise(fig), _fact="1")
        elif mat.figures:
            fig = rng.choice(mat.figures)
            out.update(fig=fig, Fig=capitalise(fig))
        if mat.counts:
            count = rng.choice(mat.counts)
            out.update(count=count, Count=capitalise(count))
        if mat.prices:
            out["price"] = rng.choice(mat.prices)
        for name, values in (("pain", mat.pains), ("desire", mat.desires)):
            if values:
                value = rng.choice(values)
                out.update({name: value, name.capitalize(): capitalise(value)})
        if "desire" in out:
            verb = mat.lang == "en" and out["desire"].split(" ", 1)[0].lower() in _EN_VERBS
            out["want"] = f"to {out['desire']}" if verb else out["desire"]
        if mat.proofs:
            out["proof"] = rng.choice(mat.proofs)
        if mat.words:
            out["word"] = rng.choice(mat.words)
        if mat.occasion:
            out.update(occasion=mat.occasion, Occasion=capitalise(mat.occasion))
        return out

    def fill(self, line: Line, slots: dict[str, str], lang: Lang, *, tu: bool = False) -> str:
        text = render_address(line.text, tu).format_map(slots)
        text = capitalise(" ".join(text.split()))
        return fr_typography(text) if lang == "fr" else text

    # ---- choosing ----

    def allowed(self, line: Line, mat: Material, slots: dict[str, str],
                kinds: frozenset[str] = frozenset(), *, fresh: bool = False) -> bool:
        """Can `line` be written here? `fresh`: for a new angle, where only facts of the
        offer are printed (a refine "with a figure" may quote a target, as asked)."""
        if not line.uses <= slots.keys():
            return False
        if fresh and line.uses & _FIGURE_SLOTS and "_fact" not in slots:
            return False
        if line.kinds and not line.kinds & kinds:  # "the texture in your hand" is not for NIS2
            return False
        if line.tags & mat.banned:
            return False
        return line.tone is None or not any(_TAG_TONES.get(tag) == line.tone for tag in mat.banned)

    def clean(self, text: str, model: BriefModel, lang: Lang, violations: Violations) -> bool:
        return not self.guard.breaks(text, model, lang) and not violations(text)

    def fresh(self, sid: str, mat: Material, model: BriefModel, base: dict[str, str],
              rng: random.Random, memory: WritingMemory, *, order: int,
              violations: Violations, lean: str | None = None,
              kinds: frozenset[str] = frozenset(),
              title_lines: Sequence[Line] | None = None) -> Written | None:
        """A title and hook for strategy `sid` that nothing in `memory` has used."""
        lang = mat.lang
        lines = self.wording.strategies[lang][sid]
        moves = self.wording.moves[lang]
        own = list(lines.hooks)
        rng.shuffle(own)
        if lean:  # the register the user favours first, the others after
            own.sort(key=lambda v: v.tone != lean)
        spare = [v for pool in FALLBACK_POOLS for v in moves.hooks.get(pool, ())]
        rng.shuffle(spare)
        titles = [*(title_lines or lines.titles), *moves.titles]
        n = len(mat.concerns)
        concerns = [mat.concerns[(order + i) % n] for i in range(n)]
        # First with an opening word no other hook of this answer has, then with any.
        return (self._search(own, spare, concerns, titles, mat, model, base, rng, memory,
                             violations, kinds, varied=True)
                or self._search(own, spare, concerns, titles, mat, model, base, rng, memory,
                                violations, kinds, varied=False))

    def _search(self, own: Sequence[Line], spare: Sequence[Line], concerns: Sequence[Concern],
                titles: Sequence[Line], mat: Material, model: BriefModel, base: dict[str, str],
                rng: random.Random, memory: WritingMemory, violations: Violations,
                kinds: frozenset[str], *, varied: bool) -> Written | None:
        lang = mat.lang
        budget = MAX_TRIES  # after a long conversation every line is spent: stop looking
        for hooks in (own, spare):  # the strategy's own lines first, on every concern
            for concern in concerns:
                slots = self.slots(mat, base, concern, rng)
                free = self._free_titles(titles, mat, model, slots, rng, memory, kinds)
                if not free:  # every title about this concern is spent
                    continue
                for line in hooks:
                    if line.key in memory.keys or not self.allowed(line, mat, slots, kinds,
                                                                     fresh=True):
                        continue
                    budget -= 1
                    if budget < 0:
                        return None
                    title = next((text for t, text in free if t.domain in (None, line.domain)),
                                 None)
                    if title is None:
                        continue
                    hook = self._with_tail(self.fill(line, slots, lang, tu=mat.tu), line, slots,
                                           lang, rng)
                    if varied and opening(hook) in memory.openings:
                        continue
                    if mat.tu and _VOUS.search(hook):
                        continue  # "tutoiement ok": a line with no tu form is not this brief's
                    if not memory.fresh(hook) or self.guard.breaks(hook, model, lang):
                        continue
                    # The sector's forbidden claims, on title and hook at once (one look-up).
                    if violations(f"{title}. {hook}"):
                        continue
                    return Written(title, hook, line, concern, slots)
        return None

    def _free_titles(self, titles: Sequence[Line], mat: Material, model: BriefModel,
                     slots: dict[str, str], rng: random.Random, memory: WritingMemory,
                     kinds: frozenset[str]) -> list[tuple[Line, str]]:
        """Titles not shown yet, filled, the strategy's own first (computed once per concern)."""
        options = [t for t in titles if self.allowed(t, mat, slots, kinds, fresh=True)]
        own = [t for t in options if t.key.split(".")[0] != "moves"]
        spare = [t for t in options if t.key.split(".")[0] == "moves"]
        rng.shuffle(own)
        rng.shuffle(spare)
        out = []
        for line in own + spare:
            text = self.fill(line, slots, mat.lang, tu=mat.tu)
            if text not in memory.titles and not self.guard.breaks(text, model, mat.lang):
                out.append((line, text))
                if len(out) >= _ENOUGH_TITLES and any(t.domain is None for t, _ in out):
                    break  # enough to choose from, one of them fitting any hook
        return out

    def _with_tail(self, hook: str, line: Line, slots: dict[str, str], lang: Lang,
                   rng: random.Random) -> str:
        """A short hook gets, one time in two, a sentence of the brief's own material."""
        if len(hook) > TAIL_MAX or hook.count(". ") >= 2 or rng.random() < 0.5:
            return hook
        options = [v for v in self.wording.moves[lang].closers.get("tail", ())
                   if v.uses <= slots.keys() and not v.uses & line.uses
                   and not any(slots[u].casefold() in hook.casefold() for u in v.uses)]
        if not options:
            return hook
        return f"{hook} {self.fill(rng.choice(options), slots, lang)}"

    def title(self, titles: Sequence[Line], mat: Material, model: BriefModel,
              slots: dict[str, str], rng: random.Random, memory: WritingMemory,
              hook_line: Line | None, violations: Violations,
              kinds: frozenset[str] = frozenset()) -> str | None:
        options = [t for t in titles if self.allowed(t, mat, slots, kinds)
                   and (hook_line is None or t.domain in (None, hook_line.domain))]
        own = [t for t in options if t.key.split(".")[0] != "moves"]
        spare = [t for t in options if t.key.split(".")[0] == "moves"]
        rng.shuffle(own)
        rng.shuffle(spare)
        options = own + spare  # the strategy's own titles first
        for line in options:
            title = self.fill(line, slots, mat.lang, tu=mat.tu)
            if title not in memory.titles and self.clean(title, model, mat.lang, violations):
                return title
        return None

    # ---- the "why" ----

    def why(self, mat: Material, slots: dict[str, str], rng: random.Random,
            *, used: set[str], hook: str = "", sid: str = "", brief: str = "") -> list[str]:
        """Brief-specific sentences of the rationale: why this hook should work.

        One reason, from what the hook actually uses (the audience's frustration or
        wish, a fact, the moment, else its topic and the brief's objective); the proof
        to gather for the strategies that rest on one; the brief's rules once per answer.
        No sentence is used twice in an answer.
        """
        lang = mat.lang
        table = self.wording.moves[lang].rationale
        picks: list[str] = []

        def say(kind: str, extra: dict[str, str] | None = None) -> bool:
            values = {**slots, **(extra or {})}
            options = [line for line in table.get(kind, ()) if line.uses <= values.keys()
                       and line.key not in used]
            if options:
                line = rng.choice(options)
                used.add(line.key)
                picks.append(self.fill(line, values, lang))
            return bool(options)

        def shows(name: str) -> bool:
            return bool(slots.get(name)) and slots[name].casefold() in hook.casefold()

        reason = next((k for k, n in (("pain", "pain"), ("desire", "desire"), ("figure", "fig"),
                                      ("occasion", "occasion")) if shows(n)), None)
        if not (reason and say(reason)):
            kinds = ["objective", "concern"] if "objective" in slots else ["concern"]
            rng.shuffle(kinds)
            any(say(kind) for kind in kinds)
        if sid in PROOF_STRATEGIES and "proof" in slots and "once:proof" not in used:
            used.add("once:proof")
            say("proof")
        # What holds for the whole answer (the exclusions kept) is said once, in the first angle.
        if mat.refused_occasion and "once:refused" not in used:
            used.add("once:refused")
            say("refused", {"occasion": mat.refused_occasion})
        folded = fold(brief)
        # The rules in the user's own words, each once ("summer" read from "pas seulement
        # l'été" is the engine's key, not the user's words: it is not quoted back).
        rules = [r for r in dict.fromkeys(mat.rules) if r != mat.refused_occasion
                 and (not brief or fold(r) in folded)]
        if rules and "once:rules" not in used:
            used.add("once:rules")
            quote = "« {} »" if lang == "fr" else "“{}”"
            say("exclusion", {"rules": ", ".join(quote.format(r) for r in rules[:3])})
        return picks
