"""The offline devil's advocate: five pointed questions on an angle or an idea.

One question per axis, always in this order: audience fit, differentiation,
proof, risks (brand, legal, cultural), measurability. The proof, risk and KPI
material comes from the angle's strategy; for a user's own idea, from the
strategy its words suggest ("concours" -> challenge, "témoignages" -> social
proof), or from neutral wording when none does.
"""

from __future__ import annotations

import random
import re

from bot.brief.brand import fold
from bot.ideas.generators.base import Critique
from bot.ideas.generators.offline_context import Context
from bot.ideas.generators.offline_templates import FOCUSES, CommonWording, StrategyWording, Variant
from bot.ideas.generators.offline_text import capitalise, clean, fr_typography, key_phrase
from bot.kernel.i18n import t
from bot.kernel.messages import Angle


def detect_strategy(idea: str, wordings: dict[str, StrategyWording]) -> str | None:
    """The strategy whose keywords appear most in the idea (ties: catalogue order)."""
    folded = fold(idea)
    best, best_hits = None, 0
    for sid, wording in wordings.items():
        hits = sum(
            1 for k in wording.keywords if re.search(rf"(?<![\w']){re.escape(k)}(?![\w'])", folded)
        )
        if hits > best_hits:
            best, best_hits = sid, hits
    return best


def _pick(variants: tuple[Variant, ...], known: frozenset[str], rng: random.Random) -> Variant:
    usable = [v for v in variants if v.needs <= known] or [v for v in variants if not v.needs]
    weights = [1 + len(v.uses & known) for v in usable]
    return rng.choices(usable, weights)[0]


def build_critique(target: Angle | str, *, ctx: Context, common: CommonWording,
                   wordings: dict[str, StrategyWording], rng: random.Random) -> Critique:
    if isinstance(target, Angle):
        title = target.title
        wording = wordings.get(target.strategy)
        angle: Angle | None = target
    else:
        title = key_phrase(target, max_words=12) or clean(target, 80)
        sid = detect_strategy(target, wordings)
        wording = wordings.get(sid) if sid else None
        angle = None
    if ctx.lang == "fr":
        title = fr_typography(title)
    material = (
        {"proof": wording.proof, "risk": wording.risk, "kpi": wording.kpi, "focus": wording.focus}
        if wording else dict(common.generic)
    )
    values = {**ctx.slots, "title": title, "proof": material["proof"],
              "risk": material["risk"], "kpi": material["kpi"]}
    questions = [
        capitalise(_pick(common.challenge[kind], ctx.known, rng).text.format_map(values))
        for kind in FOCUSES
    ]
    summary = t("offline.critique_summary", ctx.lang, title=title,
                focus=common.focus[material["focus"]])
    if ctx.lang == "fr":
        summary = fr_typography(summary)
    return Critique(target=title, questions=questions, summary=summary, angle=angle)
