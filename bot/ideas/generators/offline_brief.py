"""Offline angles written from the brief model: the path used when the brief has material.

`BriefComposer` ties the brief writer (titles, hooks, brief sentences of the
why) to the offline generator's channel planner, strategy wording ("why" of
the strategy, its own checks) and the sector book (checks per market,
forbidden claims). A channel that breaks an exclusion ("Affichage — jeu de
mots" when puns are ruled out) is replaced. Checks are ordered most
important first: the sector's regulated ones by priority, then the figure
and testimonial checks the hook calls for, then one of the strategy's own.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from bot.brief.brand import BrandContext
from bot.brief.model import BriefModel
from bot.ideas.generators.base import AngleRequest, angle_id
from bot.ideas.generators.brief_material import Material, build_material
from bot.ideas.generators.brief_writer import BriefWriter, Violations, Written
from bot.ideas.generators.offline_text import fr_typography
from bot.kernel.i18n import t
from bot.kernel.messages import Angle, Lang

MAX_CHECKS = 5  # per angle from the generator; the answer keeps at most 3 (answer_checks.py)
_CHANNEL_TRIES = 24  # a stated channel has few formats: keep looking for one that obeys


def brand_with_model(brand: BrandContext, model: BriefModel) -> BrandContext:
    """The brand completed by what the brief model states (never by its assumptions)."""
    facts = {k: v for k, v in model.known(facts_only=True).items() if not brand.get(k)}
    return brand.updated(facts) if facts else brand


@dataclass(frozen=True)
class BriefComposer:
    writer: BriefWriter
    book: Any  # bot.brief.sectors.SectorBook, or None
    _materials: dict[tuple[object, ...], Material] = field(default_factory=dict)

    def material(self, request: AngleRequest) -> Material:
        m = request.model
        # `more` and refine come back with the same brief: read its material once.
        key = (request.lang, m.text, m.concerns, m.figures, m.sectors, m.exclusions, m.occasion,
               m.market)
        found = self._materials.get(key)
        if found is None:
            found = build_material(m, request.lang, guard=self.writer.guard, book=self.book)
            if len(self._materials) > 512:
                self._materials.clear()
            self._materials[key] = found
        return found

    def violations(self, model: BriefModel, lang: Lang) -> Violations:
        if self.book is None:
            return lambda _text: []
        sectors, market = model.sectors, model.market

        def check(text: str) -> list[str]:
            return [v.reason for v in self.book.violations(text, sectors, market, lang)]
        return check

    def channel(self, pick: Callable[[random.Random], str], model: BriefModel, lang: Lang,
                rng: random.Random) -> str:
        channel = pick(rng)
        for _ in range(_CHANNEL_TRIES):
            if not self.writer.guard.breaks(channel, model, lang):
                return channel
            channel = pick(rng)
        return channel

    def checks(self, *, sid: str, written: Written, model: BriefModel, lang: Lang,
               strategy_checks: list[str]) -> list[str]:
        out: list[str] = []
        if self.book is not None:
            out += _sector_checks(self.book, model.sectors, model.market, lang, model.text)
        fig = written.slots.get("fig")
        if fig and fig in written.hook:
            out.append(_typo(t("writing.check_figure", lang, figure=fig), lang))
        if "testimonial" in written.line.tags:
            out.append(_typo(t("writing.check_testimonial", lang), lang))
        out += strategy_checks[:2]
        return list(dict.fromkeys(out))[:MAX_CHECKS]

    def angle(self, *, n: int, sid: str, written: Written, why: str, mat: Material,
              rng: random.Random, used: set[str], channel: str, checks: list[str],
              name: str, brief: str = "") -> Angle:
        parts = [why, *self.writer.why(mat, written.slots, rng, used=used, hook=written.hook,
                                       sid=sid, brief=brief)]
        return Angle(n=n, id=angle_id(sid, written.title, written.hook), strategy=sid,
                     title=written.title, hook=written.hook, rationale=" ".join(parts),
                     channel=channel, to_validate=checks, strategy_name=name)


def slots_with_names(slots: dict[str, str], audience: str, text: str, lang: Lang,
                     names: tuple[str, ...] = ()) -> dict[str, str]:
    """Keep the capital of a name opening an English audience ("Leeds families").

    The offline context lower-cases an audience's first letter ("Students" ->
    "students"); a word the brief itself capitalises mid-sentence is a name.
    """
    first = audience.split(" ", 1)[0]
    if lang != "en" or not first[:1].isupper() or not slots.get("audience"):
        return slots
    import re  # noqa: PLC0415 (only on this path)
    if first not in names and not re.search(rf"(?<![.!?]\s)(?<!^)\b{re.escape(first)}\b",
                                            text):
        return slots
    fixed = dict(slots)
    for key in ("audience", "a_audience", "de_audience"):
        if key in fixed:
            fixed[key] = fixed[key].replace(first.lower(), first, 1)
    return fixed


@lru_cache(maxsize=256)
def _sector_checks(book: Any, sectors: tuple[str, ...], market: str, lang: Lang,
                   text: str) -> tuple[str, ...]:
    """The brief's sector and market checks, most important first (the same for every angle)."""
    found = book.checks(sectors, market, lang, text)
    return tuple(c.text for c in sorted(found, key=lambda c: c.priority))


def _typo(text: str, lang: Lang) -> str:
    return fr_typography(text) if lang == "fr" else text



