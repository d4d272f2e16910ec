"""From a brief to angles: ask what matters first, then ideate.

The engine asks at most two questions at a time, and at most two rounds per
brief, about the key brand fields it doesn't know. `go` skips them: missing
fields are then assumed, said out loud, and not stored as facts.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Awaitable, Callable
from collections.abc import Set as AbstractSet
from typing import TypeVar

from bot.brief.brand import KEY_FIELDS, LABELS, BrandContext, fold
from bot.brief.model import BriefModel
from bot.dialogue.answers import read_answers
from bot.dialogue.turn import Turn
from bot.ideas import render
from bot.ideas.answer_checks import factor_checks
from bot.ideas.catalogue import Catalogue
from bot.ideas.check_sources import split_sources
from bot.ideas.exclusions import default_guard
from bot.ideas.fit import profile_brief, strategy_fit
from bot.ideas.generators.base import (
    AngleGenerator,
    AngleRequest,
    Critique,
    DeadlineReached,
    GenerationError,
)
from bot.kernel.i18n import colon, t
from bot.kernel.messages import Angle, Lang, QuickReply, Reply
from bot.learning.preferences import EXPLORE_MIN_FIT
from bot.learning.team_taste import blend, head_start, reason

log = logging.getLogger(__name__)
T = TypeVar("T")

QUESTIONS_PER_ROUND = 2
# Rounds of questions the user left unanswered before Symbiose goes ahead with
# stated assumptions: one; a round that got any answer does not count.
MAX_QUESTION_ROUNDS = 1
# Fields whose answer is usually a choice: offered as quick-reply buttons.
_CHOICES = {"objective": "objective_choices", "tone": "tone_choices"}


class Ideation:
    def __init__(
        self,
        *,
        catalogue: Catalogue,
        offline: AngleGenerator,
        generator: AngleGenerator,
        angles_per_answer: int,
        history_turns: int,
    ) -> None:
        self.catalogue = catalogue
        self.offline = offline
        self.generator = generator
        self.k = angles_per_answer
        self.history_turns = history_turns

    async def generate(self, turn: Turn, call: Callable[[AngleGenerator], Awaitable[T]]) -> T:
        """Ask the configured generator; if it fails, the offline one, and say so."""
        if self.generator is not self.offline:
            try:
                return await call(self.generator)
            except GenerationError as exc:
                # The generator already logged the details once; this is the outcome.
                log.info("LLM generation failed, using the offline engine: %s", exc)
                late = isinstance(exc, DeadlineReached) or "deadline" in str(exc)
                turn.notices.append(t("llm_deadline" if late else "llm_fallback", turn.lang))
        return await call(self.offline)

    # -- questions ---------------------------------------------------------

    def next_questions(self, turn: Turn) -> list[str]:
        conv = turn.conv
        if conv.go or conv.asked_rounds >= MAX_QUESTION_ROUNDS:
            return []
        return turn.snap.brand.missing(KEY_FIELDS)[:QUESTIONS_PER_ROUND]

    def ask(self, turn: Turn, fields: list[str]) -> Reply:
        lang = turn.lang
        turn.conv.pending_fields = fields
        turn.conv.asked_rounds += 1
        questions = [t(f"question_{f}", lang) for f in fields]
        intro = t("questions_intro" if len(fields) > 1 else "questions_intro_one", lang)
        lines = [intro, *(f"{i}. {q}" for i, q in enumerate(questions, 1)), "",
                 t("questions_outro", lang)]
        noted = understood_line(turn)
        if noted:
            lines[:0] = [noted, ""]
        quick: list[QuickReply] = []
        for name in fields:
            if name in _CHOICES:
                label = LABELS[name][lang]
                quick += [QuickReply(choice, f"{label}{colon(lang)} {choice}")
                          for choice in t(_CHOICES[name], lang).split("|")]
        quick.append(QuickReply(t("quick_go", lang), "vas-y" if lang == "fr" else "go"))
        return turn.reply("questions", "\n".join(lines), questions=questions, quick_replies=quick)

    def take_answers(self, turn: Turn, text: str) -> dict[str, str]:
        """Brand fields from a free answer to the questions just asked."""
        return read_answers(text, turn.conv.pending_fields, turn.snap.brand.missing(KEY_FIELDS))

    # -- angles ------------------------------------------------------------

    def assumptions(self, turn: Turn) -> dict[str, str]:
        """What to assume for each missing key field, in the user's language."""
        return {f: t(f"assumed_{f}", turn.lang) for f in turn.snap.brand.missing(KEY_FIELDS)}

    def assumed_brand(self, turn: Turn) -> BrandContext:
        """The brand as given to generators. An assumed product is only stated
        to the user: "our offer described in the brief" would read badly inside
        a hook, so the generator words it generically instead."""
        assumed = {f: v for f, v in self.assumptions(turn).items() if f != "product"}
        return turn.snap.brand.updated(assumed, assumed=True) if assumed else turn.snap.brand

    async def ideate(self, turn: Turn, *, more: bool = False, like: str | None = None,
                     different: bool = False) -> Reply:
        # What is assumed is marked so in the brief model, never as a fact.
        turn.brief = turn.brief.with_fields(self.assumptions(turn), "assumed")
        return await self._ideate(turn, more=more, like=like, different=different)

    async def _ideate(self, turn: Turn, *, more: bool, like: str | None,
                      different: bool) -> Reply:
        """Angles for the brief. `more` moves on from what was just shown, except what the
        user liked; `like` (a strategy) keeps that vein in ("more like 2"); `different`
        leaves every strategy just shown ("something completely different")."""
        conv, snap = turn.conv, turn.snap
        rng = random.Random(turn.seed())
        shown_strategies = [a.strategy for a in conv.angles
                            if different or snap.prefs.positive.get(a.strategy, 0) <= 0
                            ] if more else []
        # What suits this brief (sector, constraints) is a prior; the user's taste wins over time.
        fit = strategy_fit(profile_brief(conv.brief, snap.brand))
        # In a channel, its members' taste is a prior that fades as the user's own grows.
        prefs = blend(snap.prefs, snap.channel_taste)
        # Strategies the brief's exclusions rule out (no Humour angle when humour is) are left out.
        ruled_out = default_guard().strategies_ruled_out(turn.brief)
        ids = [s for s in self.catalogue.ids() if s not in ruled_out]
        # "Angle 3 (Customer as hero) is set aside": its kind stays out of this conversation
        # (the user read it as the kind, not the one text), while enough others remain.
        disliked = set(conv.set_aside)
        if len(ids) - len(disliked) >= self.k:
            ids = [s for s in ids if s not in disliked]
        # A strategy the brief's sector rules out (-1: a habit of gambling or drinking, a joke
        # about a 38,000 € watch) is not offered, not even as the exploration slot.
        vetoed = {s for s, score in fit.items() if score <= -1.0}
        if len(ids) - len(vetoed & set(ids)) >= self.k:
            ids = [s for s in ids if s not in vetoed]
        strategies = prefs.choose(ids, self.k, rng, avoid=shown_strategies, fit=fit)
        if like and like in self.catalogue and like not in strategies:
            strategies = [like, *strategies[:-1]]
        head = None if more else head_start(snap.prefs, snap.channel_taste)
        if head and head in self.catalogue and head not in strategies \
                and fit.get(head, 0.0) > EXPLORE_MIN_FIT:
            # A newcomer sees what the channel likes; the exploration slot stays.
            weakest = next((s for s in reversed(strategies) if s not in prefs.explored),
                           strategies[-1])
            strategies = [head, *(s for s in strategies if s != weakest)]
        seen = {a.id for a in conv.recent} if more else set()
        request = self._request_for(turn, strategies=strategies, also_avoid=seen)
        produced = await self.generate(turn, lambda g: g.angles(request))
        turn.notices.extend(request.notices)
        angles = _renumber([a for a in produced if a.id not in snap.rejected])
        for a in angles:
            a.hook = with_musts(a.hook, turn.brief, turn.lang)
            a.by = a.by or turn.user_id
            a.why = reason(snap.prefs, prefs, a.strategy, a.strategy in prefs.explored)
        # The checks shared by every angle are said once, each angle keeps its own 3; the
        # shared ones are remembered so that a validated angle is exported with them.
        shown = angles
        common = factor_checks(shown)
        # What the brief says must appear is checked on every angle of every answer.
        common = [*(t("must_check", turn.lang, text=m) for m in turn.brief.musts), *common]
        sources = split_sources(shown, common)
        conv.show(angles)
        conv.common_checks = common
        conv.common_for = [a.id for a in angles]
        turn.changes.shown.extend(angles)
        conv.round += 1
        for key, inc in snap.prefs.impressions(a.strategy for a in angles).items():
            turn.changes.pref_deltas[key] = turn.changes.pref_deltas.get(key, 0.0) + inc
        conv.pending_fields = []
        intro = self._intro(turn, request.brand, shown, common)
        outro = t("angles_outro", turn.lang)
        text = "\n\n".join([intro, render.angles(shown, turn.lang), outro])
        return turn.reply("angles", text, angles=shown, outro=outro, sources=sources,
                          intro=render.with_notices(intro, turn.notices))

    def _intro(self, turn: Turn, brand: BrandContext, angles: list[Angle],
               common: list[str] | None = None) -> str:
        lang = turn.lang
        subject = turn.conv.brief or brand.product or brand.brand
        parts = [t("angles_intro", lang, count=len(angles), brief=render.short(subject))]
        noted = understood_line(turn)
        if noted:
            parts.append(noted)
        assumed = self.assumptions(turn)
        if assumed:
            c = colon(lang)
            items = ", ".join(f"{LABELS[f][lang].lower()}{c} {v}" for f, v in assumed.items())
            parts.append(t("assumptions", lang, items=items))
        shown = {a.strategy for a in angles}
        liked = [s for s, score in turn.snap.prefs.top(3)
                 if score > 0.5 and s in self.catalogue and s in shown]
        if liked:
            names = ", ".join(self.catalogue.get(s).name_in(lang) for s in liked)
            parts.append(t("learned", lang, names=names))
        if common:  # said once for the answer rather than repeated under every angle
            parts.append(t("writing.common_checks", lang, checks="\n".join(
                f"- {render.short(check, MAX_CHECK_CHARS)}" for check in common[:MAX_COMMON])))
        return "\n\n".join(parts)

    async def refine(self, turn: Turn, angle: Angle, instruction: str) -> Angle:
        request = self._request_for(turn)
        refined = await self.generate(turn, lambda g: g.refine(angle, instruction, request))
        refined.n = angle.n
        if angle.id in turn.conv.common_for:  # said once for its answer: not again here
            said = {c.casefold() for c in turn.conv.common_checks}
            own = [c for c in refined.to_validate if c.casefold() not in said]
            refined.to_validate = own or refined.to_validate
        factor_checks([refined])  # at most 3, most important first
        split_sources([refined], [])
        # Still from the brief of whoever it came from: their erasure must reach it.
        refined.by = angle.by or turn.user_id
        refined.why = angle.why
        return refined

    async def challenge(self, turn: Turn, target: Angle | str) -> Critique:
        request = self._request_for(turn)
        return await self.generate(turn, lambda g: g.challenge(target, request))

    def _request_for(self, turn: Turn, *, strategies: list[str] | None = None,
                     also_avoid: AbstractSet[str] = frozenset()) -> AngleRequest:
        conv, snap = turn.conv, turn.snap
        return AngleRequest(
            brief=conv.brief,
            brand=self.assumed_brand(turn),
            lang=turn.lang,
            strategies=strategies if strategies is not None else [a.strategy for a in conv.angles],
            seed=turn.seed(),
            liked=snap.liked,
            avoid_ids=frozenset(snap.rejected | also_avoid),
            avoid=[a for a in conv.recent if a.id in snap.rejected],
            style=snap.prefs.style(),
            history=conv.history[-self.history_turns:],
            progress=turn.progress,
            model=turn.brief,
            shown=conv.shown_pairs(),
        )


MAX_COMMON = 6  # shared checks said in an answer's intro (a model may return many)
MAX_CHECK_CHARS = 300


# A must-include that is a legal mention goes in the checks, not in the hook's words.
_LEGAL_MUST = re.compile(r"(?i)\b(?:mentions? l[ée]gales?|legal|disclaimer|warning|avertissement|"
                         r"notice|T&Cs?|terms|conditions|mention obligatoire)\b")


def with_musts(hook: str, brief: BriefModel, lang: Lang) -> str:
    """The hook, ending with what the brief says must appear ("Mention the 2-year
    warranty"), when it does not already; never what the brief's rules forbid."""
    for must in brief.musts:
        text = must.strip(" .'\"«»“”")
        if (not text or len(text.split()) > 10 or _LEGAL_MUST.search(text)
                or fold(text) in fold(hook)):
            continue
        candidate = f"{hook.rstrip()} {text[:1].upper()}{text[1:]}."
        if not default_guard().breaks(candidate, brief, lang):
            hook = candidate
    return hook


def _renumber(angles: list[Angle]) -> list[Angle]:
    for i, a in enumerate(angles, 1):
        a.n = i
    return angles


def understood_line(turn: Turn) -> str:
    """What was taken from the brief, said once, so the user can correct it."""
    lines = []
    if turn.context_from:  # Slack's assistant pane, beside a channel with a brand
        lines.append(t("context_from_channel", turn.lang, name=turn.context_from))
    if turn.understood:
        c = colon(turn.lang)
        items = ", ".join(f"{LABELS[f][turn.lang].lower()}{c} « {v} »" if turn.lang == "fr"
                          else f"{LABELS[f][turn.lang].lower()}{c} “{v}”"
                          for f, v in sorted(turn.understood.items(),  # field order
                                             key=lambda kv: list(LABELS).index(kv[0])
                                             if kv[0] in LABELS else len(LABELS))
                          if f in LABELS)
        lines.append(t("understood", turn.lang, items=items))
    lines += turn.replaced_lines()  # a later answer wins, and Symbiose says so
    if turn.new_brief:
        rules, context = _rules(turn), _context(turn)
        sep = " ; " if turn.lang == "fr" else "; "  # French puts a space before a semicolon
        if rules:
            lines.append(t("understood_extras", turn.lang, items=sep.join(rules)))
        if context:
            lines.append(t("understood_context", turn.lang, items=sep.join(context)))
    return " ".join(lines)


def _rules(turn: Turn) -> list[str]:
    """What the brief rules out and what it requires, said back in the user's own words so
    they can see it will be kept (a label of ours could say more, or less, than they did)."""
    brief, lang = turn.brief, turn.lang
    out = []
    for exclusion in brief.exclusions:
        if exclusion.key == "occasion":
            out.append(t("exclusion_occasion", lang, occasion=exclusion.text))
        else:
            out.append(re.sub(r"^(?:and|et|but|mais|so|donc|also|aussi)\s+", "", exclusion.text,
                              flags=re.IGNORECASE))
    out += [t("must_noted", lang, text=must) for must in brief.musts]
    return out


def _context(turn: Turn) -> list[str]:
    """The brief's occasion, market and exact figures."""
    brief, lang = turn.brief, turn.lang
    out = []
    if brief.occasion:
        out.append(t("occasion_noted", lang, occasion=brief.occasion))
    if brief.market:
        out.append(t(f"market_{brief.market}", lang))
    if brief.figures:
        out.append(t("figures_kept", lang, items=", ".join(f.text for f in brief.figures[:4])))
    return out


def label_list(fields: list[str], lang: Lang) -> str:
    return ", ".join(LABELS[f][lang] for f in fields)
