"""Refining a brief-written angle as asked: one rule per kind of prompts/writing/refine.yaml.

Kinds that change the register or the form of the hook (funnier, more premium,
as a testimonial, for decision-makers...) pick a new line of that kind, about
the same concern; kinds that edit a line (shorter, with a call to action,
with a figure, X up front, without the brand name, tu...) edit the chosen
line. What is asked and cannot be done is said in the rationale: blocked by
the brief's exclusions ("more urgent" when urgency is ruled out), impossible
offline ("in verse"), or without material ("with a figure" when the brief has
none). The changes actually made are listed there too, and nothing of the
refinement is stored anywhere a later fresh angle would read.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.brief.model import BriefModel, Exclusion
from bot.dialogue.refine_kinds import Ask, RefineTable
from bot.ideas.brief_checks import BriefCheckBook, default_brief_checks
from bot.ideas.generators.brief_material import Concern, Material
from bot.ideas.generators.brief_wording import Line
from bot.ideas.generators.brief_writer import (
    FALLBACK_POOLS,
    BriefWriter,
    Violations,
    WritingMemory,
    Written,
)
from bot.ideas.generators.offline_text import (
    capitalise,
    fr_typography,
    one_sentence,
    sentences,
)
from bot.kernel.i18n import t
from bot.kernel.messages import Angle, Lang

# Kinds answered by a line of another register or form (moves.yaml hooks).
POOL = {"playful": "playful", "humour_no_pun": "playful", "premium": "premium",
        "emotional": "emotional", "wilder": "bold", "softer": "soft", "serious": "serious",
        "rational": "rational", "concrete": "concrete", "testimonial": "testimonial",
        "question": "question", "plain": "plain", "simpler": "plain", "younger": "young",
        "urgent": "urgency", "local": "local", "b2b": "b2b", "positive": "soft"}
# Kinds an exclusion of the brief blocks.
BLOCKED_BY = {"urgent": "urgency", "playful": "humour", "humour_no_pun": "humour",
              "tutoiement": "tutoiement", "emoji": "emoji", "wilder": "fear"}
_EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF]\ufe0f?\\s?")
_VOUS = re.compile(r"(?<![\w'])(?:vous|votre|vos)(?![\w])", re.IGNORECASE)
_TU = re.compile(r"(?<![\w'])(?:(?:tu|te|toi|ton|ta|tes)(?![\w])|t')", re.IGNORECASE)
_RATE_WORDS = {"taux", "rate", "pourcentage", "percentage", "%"}
_MONEY_WORDS = {"prix", "price", "tarif", "cout", "coût", "cost", "montant", "amount"}
_NUMBER_WORDS = {"chiffre", "nombre", "figure", "number", "stat", "statistique", "statistic"}


@dataclass(frozen=True)
class Refined:
    title: str
    hook: str
    written: Written
    notes: list[str]  # sentences for the rationale: what changed, what could not be done


@dataclass(frozen=True)
class RefineInput:
    angle: Angle
    ask: Ask
    mat: Material
    model: BriefModel
    base: dict[str, str]  # the offline context's slots (brand, audience...)
    kinds: frozenset[str]  # product kinds
    channel_key: str | None  # the channel's kind, for the call to action
    audience: str  # a new audience asked for ("pour les retraités"), or ""
    vocative: str  # that audience as a vocative ("Retraités"), or ""
    also_done: tuple[str, ...] = ()  # changes made outside the hook ("pour LinkedIn")
    instruction: str = ""  # as the user wrote it, to quote it back when not understood
    now: tuple[str, ...] = ()  # the kinds this instruction asks (not the earlier ones)


class BriefRefiner:
    def __init__(self, writer: BriefWriter, table: RefineTable,
                 checks_book: BriefCheckBook | None = None) -> None:
        self.writer = writer
        self.table = table
        self.checks_book = checks_book or default_brief_checks()

    def refine(self, x: RefineInput, rng: random.Random, memory: WritingMemory,
               violations: Violations) -> Refined:
        lang, mat, ask = x.mat.lang, x.mat, x.ask
        said: list[str] = []
        blocked = self._blocked(x, said)
        kinds = [k for k in ask.kinds if k not in blocked]
        concern = _concern_of(x.angle, mat)
        slots = self.writer.slots(mat, x.base, concern, rng)
        # Only the brief's public figures, cut clean ("2.1% to" -> "2.1%"); its goals
        # ("200 cavistes en un an") are never announced as results.
        internal = self.checks_book.internal_figures(x.model.text, x.model.figures)
        public = self.checks_book.public_figures(x.model.text, x.model.figures)
        figures = tuple(c for c in (_clean_figure(f) for f in mat.figures)
                        if c and any(p in c for p in public))
        if slots.get("fig"):
            fig = _clean_figure(slots["fig"])
            if fig and any(p in fig for p in public):
                slots["fig"] = fig
            elif figures:
                slots["fig"] = figures[0]
            else:
                slots.pop("fig")
        if not figures and "figure" in kinds and "figure" not in blocked:
            said.append((t("refine.internal_figures", lang, figures=", ".join(sorted(internal)))
                         if internal else t("writing.refine_no_figure", lang)) + ".")
            kinds = [k for k in kinds if k != "figure"]
            blocked.add("figure")
        elif not figures and internal and ask.forward and _asks_number(ask.forward):
            said.append(t("refine.internal_figures", lang, figures=", ".join(sorted(internal)))
                        + ".")
        tu = lang == "fr" and "tutoiement" in kinds
        wanted = [POOL[k] for k in kinds if k in POOL]
        line, hook = self._base(x, kinds, wanted, slots, tu, rng, memory, violations)
        # A register or form counts as done only when a new line of it was found.
        done: list[str] = [k for k in kinds if k in POOL and hook != x.angle.hook]
        hook = self._edit(x, kinds, hook, slots, tu, rng, done, said, line)
        if ask.forward and _asks_number(ask.forward) and not figures:
            if not internal:
                said.append(t("writing.refine_no_figure", lang) + ".")
        elif ask.forward:
            value = _forward_value(ask.forward, figures, mat, concern)
            hook = self._fill(self.writer.wording.moves[lang].forward,
                              {**slots, "X": capitalise(value), "hook": hook}, lang, tu)
            done.append(self.table.forward_label[lang].format(x=value))
            if "shorter" in kinds and len(hook) >= len(x.angle.hook):
                rest = sentences(hook)
                hook = " ".join(rest[:2]) if len(rest) > 2 else (shorter_text(hook) or hook)
        voice = _voice(x.instruction) if "testimonial" in kinds else ""
        if voice and hook.lstrip()[:1] in "«“":
            hook = _with_voice(hook, voice, lang)
            done.append("testimonial")
        if x.vocative:
            hook = self._fill(self.writer.wording.moves[lang].address,
                              {**slots, "Vocative": capitalise(x.vocative), "hook": hook},
                              lang, tu)
        if x.audience:
            done.append(self.table.audience_label[lang].format(audience=x.audience))
        if self.writer.guard.breaks(hook, x.model, lang) or violations(hook) or (
                not well_formed(hook) and well_formed(x.angle.hook)):
            hook = x.angle.hook  # an edit that breaks the brief or the sentence is not kept
            done = []
        done = [k for k in done if _visible(k, x.angle.hook, hook)]
        title = self._title(x, kinds, slots, rng, memory, violations)
        if tu and _VOUS.search(hook) and hook != x.angle.hook:
            hook, done = x.angle.hook, []  # a tu line that still says "votre": not shown
        if tu and not _VOUS.search(hook) and (_TU.search(hook) or (
                line is not None and line.tu and hook != x.angle.hook)):
            done.append("tutoiement")
        if "vouvoiement" in kinds and lang == "fr" and not _TU.search(hook):
            done.append("vouvoiement")
        # A length change is said only when it happened.
        if "shorter" in done and len(hook) >= len(x.angle.hook):
            done.remove("shorter")
        if "longer" in done and len(hook) <= len(x.angle.hook):
            done.remove("longer")
        labels = [self.table.label(k, lang) if k in self.table.labels else k for k in done]
        labels = list(dict.fromkeys([*labels, *x.also_done]))
        unmet = [k for k in x.now if k not in done and k not in blocked
                 and not (lang == "en" and k in ("tutoiement", "vouvoiement"))
                 and not (k == "figure" and not mat.figures)]
        if unmet:
            what = ", ".join(self._quoted(k, lang) for k in unmet)
            said.append(t("refine.unmet", lang, what=what) + ".")
        if labels:
            head = t("writing.refine_done", lang, changes=", ".join(labels))
        elif not ask.kinds and not ask.forward and not ask.cannot and not x.audience \
                and not x.also_done and x.instruction.strip():
            quote = f"« {x.instruction.strip()} »" if lang == "fr" \
                else f"“{x.instruction.strip()}”"
            head = t("refine.not_understood", lang, what=quote) + "."
        elif unmet or said:
            head = ""
        else:
            head = capitalise(t("writing.refine_nothing", lang)) + "."
        written = Written(title, hook, line or _NO_LINE, concern, slots)
        notes = [_typo(n, lang) for n in [head, *said] if n]
        return Refined(title, hook, written, notes)

    def unmet(self, instruction: str, before: str, after: str, lang: Lang,
              understood: bool = False) -> str:
        """The sentence saying which asked changes do not show in `after` ("" if all do),
        or that nothing was recognised in the instruction."""
        ask = self.table.read([instruction])
        if not (ask.kinds or ask.forward or ask.cannot or understood) and instruction.strip():
            quote = f"« {instruction.strip()} »" if lang == "fr" else f"“{instruction.strip()}”"
            return _typo(t("refine.not_understood", lang, what=quote) + ".", lang)
        missing = [k for k in ask.kinds if k in _CHECKABLE and not _visible(k, before, after)
                   and not (k == "tutoiement" and (lang == "en" or _TU.search(after)))]
        if "tutoiement" in ask.kinds and lang == "fr" and not _TU.search(after):
            missing.append("tutoiement")
        if not missing:
            return ""
        what = ", ".join(self._quoted(k, lang) for k in dict.fromkeys(missing))
        return _typo(t("refine.unmet", lang, what=what) + ".", lang)

    # ---- what cannot be done ----

    def _blocked(self, x: RefineInput, said: list[str]) -> set[str]:
        lang, ask = x.mat.lang, x.ask
        blocked: set[str] = set()
        rules = {e.key: e.text for e in x.model.exclusions}
        for kind in ask.kinds:
            key = BLOCKED_BY.get(kind)
            if key and key in rules and not (kind == "wilder" and key == "fear"):
                blocked.add(kind)
                said.append(t("writing.refine_blocked", lang, what=self._quoted(kind, lang),
                              rule=rules[key]) + ".")
        if lang == "en":
            for kind in ("tutoiement", "vouvoiement"):
                if kind in ask.kinds:
                    blocked.add(kind)
                    said.append(t("writing.refine_english_address", lang) + ".")
        if "figure" in ask.kinds and not x.mat.figures:
            blocked.add("figure")
            said.append(t("writing.refine_no_figure", lang) + ".")
        for what in ask.cannot:
            quote = f"« {what} »" if lang == "fr" else f"“{what}”"
            said.append(t("writing.refine_cannot", lang, what=quote) + ".")
        for dropped, kept in ask.conflicts:
            said.append(t("writing.refine_conflict", lang, first=self.table.label(dropped, lang),
                          second=self.table.label(kept, lang)) + ".")
        return blocked

    def _quoted(self, kind: str, lang: Lang) -> str:
        label = self.table.label(kind, lang)
        return f"« {label} »" if lang == "fr" else f"“{label}”"

    # ---- the line ----

    def _fill(self, line: Line, slots: dict[str, str], lang: Lang, tu: bool) -> str:
        return self.writer.fill(line, slots, lang, tu=tu)

    def _candidates(self, x: RefineInput, pool: str | None, slots: dict[str, str],
                    kinds: Sequence[str], tu: bool) -> list[Line]:
        lang = x.mat.lang
        own = self.writer.wording.strategies[lang][x.angle.strategy].hooks
        moves = self.writer.wording.moves[lang].hooks
        if pool is None:
            lines = list(own)
        else:
            lines = [v for v in own if v.tone == pool or pool in v.tags] + list(moves.get(pool, ()))
        ok = []
        for v in lines:
            if not self.writer.allowed(v, x.mat, slots, x.kinds):
                continue
            if "humour_no_pun" in kinds and "pun" in v.tags:
                continue
            if "no_brand" in kinds and "brand" in v.uses:
                continue
            if "figure" in kinds and x.mat.figures and "fig" not in v.uses and pool in (
                    "rational", "concrete"):
                continue
            if tu and not v.tu:
                continue
            ok.append(v)
        return ok

    def _base(self, x: RefineInput, kinds: Sequence[str], wanted: Sequence[str],
              slots: dict[str, str], tu: bool, rng: random.Random, memory: WritingMemory,
              violations: Violations) -> tuple[Line | None, str]:
        """The line to start from: one of the kind asked last, else the angle's own hook."""
        lang = x.mat.lang
        original = x.angle.hook
        if "vouvoiement" in kinds and _TU.search(original):  # back to "vous", same line
            line = _line_of(self, x, slots)
            if line is not None:
                return line, self._fill(line, slots, lang, False)
            wanted = [*wanted] or ["serious"]
        edits = {"shorter", "longer", "one_sentence", "cta", "figure", "emoji", "no_emoji",
                 "no_brand", "question", "vouvoiement"}
        nothing = not set(kinds) & edits and not x.ask.forward and not x.audience
        single = "one_sentence" in kinds and len(sentences(original)) <= 1
        need_new = bool(wanted) or tu or nothing or single or (
            "no_brand" in kinds and x.base.get("brand", "") in original) or (
            "question" in kinds and not original.rstrip().endswith("?"))
        # "Shorter" keeps the idea when it can: the first sentence of the same hook.
        keeps_idea = "shorter" in kinds and (len(sentences(original)) >= 2
                                             or shorter_text(original) is not None)
        if not need_new and ("shorter" not in kinds or keeps_idea):
            return _line_of(self, x, slots), original
        pools: list[str | None] = [*reversed(wanted)] or [None]
        if "shorter" in kinds and not need_new:
            pools = [None]
        if single or nothing:  # the strategy's own lines first, then any register
            pools = [*pools, *FALLBACK_POOLS]
        # "Shorter and funnier": a shorter funny line if there is one, else a funny
        # line (the register is the ask; the length is then cut or said as not done).
        strict_lengths = (True, False) if "shorter" in kinds and wanted else (True,)
        for strict in strict_lengths:
            for pool in pools:
                lines = self._candidates(x, pool, slots, kinds, tu)
                rng.shuffle(lines)
                if "shorter" in kinds:
                    lines.sort(key=lambda v: len(self._fill(v, slots, lang, tu)))
                for v in lines:
                    hook = self._fill(v, slots, lang, tu)
                    if hook == original or not memory.fresh(hook) or (tu and _VOUS.search(hook)):
                        continue
                    if strict and "shorter" in kinds and (len(hook) >= len(original)
                                                          or len(hook.split()) < _MIN_WORDS):
                        continue
                    if single and len(sentences(hook)) > 1:
                        continue
                    if ("plain" in kinds or "simpler" in kinds) and self.writer.guard.breaks(
                            hook, _JARGON, lang):
                        continue
                    if "positive" in kinds and self.writer.guard.breaks(hook, _FEAR, lang):
                        continue
                    if self.writer.clean(hook, x.model, lang, violations):
                        return v, hook
        if tu:  # no fresh line of that kind has a "tu" form: any line that has one
            every = [v for pool in self.writer.wording.moves[lang].hooks.values() for v in pool]
            for v in [*self._candidates(x, None, slots, kinds, tu), *every]:
                if v.tu and self.writer.allowed(v, x.mat, slots, x.kinds):
                    hook = self._fill(v, slots, lang, tu)
                    if hook != original and not _VOUS.search(hook) \
                            and self.writer.clean(hook, x.model, lang, violations):
                        return v, hook
        return _line_of(self, x, slots), original

    def _edit(self, x: RefineInput, kinds: Sequence[str], hook: str, slots: dict[str, str],
              tu: bool, rng: random.Random, done: list[str], said: list[str],
              line: Line | None) -> str:
        lang = x.mat.lang
        moves = self.writer.wording.moves[lang]
        original = x.angle.hook

        def closer(kind: str) -> str | None:
            options = [v for v in moves.closers.get(kind, ()) if v.uses <= slots.keys()]
            return self._fill(rng.choice(options), slots, lang, tu) if options else None

        if "figure" in kinds and slots.get("fig") and slots["fig"] not in hook:
            extra = closer("figure")
            if extra:
                hook = f"{hook} {extra}"
        if "figure" in kinds and slots.get("fig") and slots["fig"] in hook:
            done.append("figure")
        if "question" in kinds and not hook.rstrip().endswith("?"):
            extra = closer("question")
            if extra:
                hook = f"{first_sentence(hook) if 'shorter' in kinds else hook} {extra}"
        if "longer" in kinds:
            options = [v for v in moves.closers.get("longer", ()) if v.uses <= slots.keys()]
            rng.shuffle(options)
            for v in options:
                extra = self._fill(v, slots, lang, tu)
                if extra not in hook:
                    hook = f"{hook} {extra}"
                    break
            done.append("longer")
        if "one_sentence" in kinds:
            hook = first_sentence(hook)
            done.append("one_sentence")
        if "shorter" in kinds:
            if len(hook) >= len(original):
                hook = shorter_text(hook) or hook
            done.append("shorter")
        if "cta" in kinds:
            options = list(moves.cta.get(x.channel_key or "", ()) or moves.cta["default"])
            hook = f"{hook} {self._fill(rng.choice(options), slots, lang, tu)}"
            done.append("cta")
        if "no_brand" in kinds:
            brand = x.base.get("brand", "")
            if brand and brand in hook:
                hook = hook.replace(brand, "nous" if lang == "fr" else "we")
            done.append("no_brand")
        if "no_emoji" in kinds:
            hook = _EMOJI.sub("", hook).strip()
            done.append("no_emoji")
        if "emoji" in kinds:
            hook = f"{rng.choice(['👉', '✨', '✅'])} {hook}"
            done.append("emoji")
        return capitalise(hook)

    def _title(self, x: RefineInput, kinds: Sequence[str], slots: dict[str, str],
               rng: random.Random, memory: WritingMemory, violations: Violations) -> str:
        title = x.angle.title
        brand = x.base.get("brand", "")
        if "no_brand" in kinds and brand and brand in title:
            lines = [v for v in self.writer.wording.strategies[x.mat.lang][x.angle.strategy].titles
                     if "brand" not in v.uses]
            found = self.writer.title(lines, x.mat, x.model, slots, rng, memory, None,
                                      violations, x.kinds)
            return found or title.replace(brand, "").strip(" :—-,") or title
        return title


_NO_LINE = Line(text="", uses=frozenset())
_MIN_WORDS = 4  # a shorter hook still says something ("Édition ?" does not)
# A testimonial or quoted hook: « words » — who said it. Cuts happen inside the quote.
_QUOTED = re.compile(r"^(?P<open>[«“][\s\u00a0]?)(?P<body>[^«»“”]+?)(?P<close>[\s\u00a0]?[»”])"
                     r"(?P<tail>.*)$", re.S)
_CLAUSE = re.compile(r"\s?[:;]\s|\s[—–]\s|,\s")
# A cut never ends on one of these ("on a compté au lieu.", "2.1% to.").
_FUNCTION_END = re.compile(
    r"(?i)(?:(?<![\w'’-])(?:sur|de|du|des|d'|à|au|aux|le|la|les|l'|et|ou|pour|avec|par|"
    r"dans|au lieu|the|and|or|than)|(?<=\d)%?\s(?:to|from|for|on))[\s\u00a0]*[.!?…]?$")
_PAIRS = (("«", "»"), ("“", "”"), ("(", ")"), ("[", "]"))


def _head(text: str) -> str | None:
    """The first clause of a one-sentence text, if it stands alone (4 words or more)."""
    for match in _CLAUSE.finditer(text):
        head = text[:match.start()].rstrip(" \u00a0,")
        if len(head.split()) >= 4 and not _FUNCTION_END.search(head):
            return head + ("" if head.endswith(("?", "!", ".", "…")) else ".")
    return None


def shorter_text(hook: str) -> str | None:
    """A shorter hook cut at a sentence or clause end, quotes kept whole; None if none."""
    quoted = _QUOTED.match(hook.strip())
    if quoted:
        body = quoted["body"]
        parts = sentences(body)
        cut = parts[0] if len(parts) >= 2 and len(parts[0].split()) >= _MIN_WORDS \
            else _head(body)
        if cut is not None:
            return f"{quoted['open']}{cut}{quoted['close']}{quoted['tail']}"
    parts = sentences(hook)
    found = None
    if len(parts) >= 2:  # "Sobre ? Trois questions..." keeps more than "Sobre ?"
        found = next((" ".join(parts[:n]) for n in range(1, len(parts))
                      if len(" ".join(parts[:n]).split()) >= _MIN_WORDS), None)
    found = found or _head(hook)
    return found if found is not None and well_formed(found) else None


def first_sentence(hook: str) -> str:
    """The hook as one sentence; a quote keeps its closing mark and who said it."""
    quoted = _QUOTED.match(hook.strip())
    if quoted:
        parts = sentences(quoted["body"])
        if len(parts) >= 2:
            return f"{quoted['open']}{parts[0]}{quoted['close']}{quoted['tail']}"
    found = one_sentence(hook)
    return found if well_formed(found) else hook


def well_formed(hook: str) -> bool:
    """Closed quotes and brackets, no sentence cut on a function word."""
    text = hook.strip()
    if any(text.count(a) != text.count(b) for a, b in _PAIRS) or text.count('"') % 2:
        return False
    return not _FUNCTION_END.search(text.rstrip("»”\"' \u00a0"))
# The exclusion guard checks these words the same way for a refine that asks for them.
_JARGON = BriefModel(exclusions=(Exclusion("jargon", "jargon"),))
_FEAR = BriefModel(exclusions=(Exclusion("fear", "fear"),))


_TRAILING = re.compile(
    r"(?i)(?:[\s\u00a0]+(?:sur|de|du|des|d'|à|au|aux|le|la|les|un|une|et|ou|pour|avec|en|par|"
    r"dans|the|a|an|of|to|for|with|and|or|in|on|at|by|after|from|than|as|apres|avant|before))+$")


def _clean_figure(phrase: str) -> str:
    """A figure phrase never ends on a preposition: '3,2 % sur' -> '3,2 %'."""
    return _TRAILING.sub("", phrase.strip(" ,.;:")).strip()


_VOICE = re.compile(
    r"(?i)(?:t[ée]moignage|citation|verbatim|avis|testimonial|quote|review)\s+"
    r"(?:d['’]\s?(?:une?\s+)?|de\s+(?:la\s+|l['’]\s?)?|du\s+|des\s+|from\s+(?:an?\s+|the\s+|our\s+)?"
    r"|by\s+(?:an?\s+|the\s+)?)(?P<who>[^,.;!?]{2,40}?)\s*(?:$|[,.;!?]|\s(?:et|and|puis|then|pour|for)\s)")
_ATTRIBUTION = re.compile(r"\[[^\]]*\]")


def _voice(instruction: str) -> str:
    """Whose testimonial was asked: "avec un témoignage de bénévole" -> "bénévole"."""
    found = _VOICE.search(" ".join(instruction.split()))
    return found["who"].strip() if found else ""


def _with_voice(hook: str, who: str, lang: Lang) -> str:
    """The testimonial credited to the voice asked, as a placeholder to fill with a real one."""
    label = (f"[{who} — une vraie personne, prénom et accord écrit à recueillir]" if lang == "fr"
             else f"[{who} — a real person, first name and written consent to collect]")
    if _ATTRIBUTION.search(hook):
        return _ATTRIBUTION.sub(label, hook, count=1)
    return f"{hook.rstrip()} — {label}"


# Kinds whose result can be read on the text alone (_visible).
_CHECKABLE = frozenset({"question", "testimonial", "shorter", "longer", "cta", "one_sentence",
                        "emoji"})


def _visible(kind: str, before: str, after: str) -> bool:
    """A change said as made must show in the text."""
    if kind == "question":
        return after.rstrip().endswith("?")
    if kind == "testimonial":
        return after.lstrip()[:1] in "«“\""
    if kind == "shorter":
        return len(after) < len(before)
    if kind in ("longer", "cta"):
        return len(after) > len(before)
    if kind == "one_sentence":
        return len(sentences(after)) == 1
    if kind == "emoji":
        return bool(_EMOJI.search(after))
    return True


def _concern_of(angle: Angle, mat: Material) -> Concern:
    text = f"{angle.hook} {angle.title}".casefold()
    return next((c for c in mat.concerns if c.bare.casefold() in text), mat.concerns[0])


def _line_of(refiner: BriefRefiner, x: RefineInput, slots: dict[str, str]) -> Line | None:
    """The template the angle's hook came from, when it can be told."""
    lang = x.mat.lang
    lines = [*refiner.writer.wording.strategies[lang][x.angle.strategy].hooks,
             *(v for pool in refiner.writer.wording.moves[lang].hooks.values() for v in pool)]
    for v in lines:
        if v.uses <= slots.keys() and x.angle.hook in (
                refiner.writer.fill(v, slots, lang), refiner.writer.fill(v, slots, lang, tu=True)):
            return v
    return None


def _asks_number(asked: str) -> bool:
    words = set(re.findall(r"[\w%]+", asked.casefold()))
    return bool(words & (_RATE_WORDS | _MONEY_WORDS | _NUMBER_WORDS))


def _forward_value(asked: str, figures: tuple[str, ...], mat: Material,
                   concern: Concern) -> str:
    """'le taux' -> the brief's rate ('3,2 %'); a concern or anything else as written."""
    words = set(re.findall(r"[\w%]+", asked.casefold()))
    for fig in figures:
        if "%" in fig and words & _RATE_WORDS:
            return fig
        if any(c in fig for c in "€£$") and words & _MONEY_WORDS:
            return fig
    if words & _NUMBER_WORDS and figures:
        return figures[0]
    for c in mat.concerns:
        if c.bare.casefold() in asked.casefold() or asked.casefold() in c.written.casefold():
            return c.bare
    return asked


def _typo(text: str, lang: Lang) -> str:
    return fr_typography(text) if lang == "fr" else text

