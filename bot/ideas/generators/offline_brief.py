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
from bot.ideas.brief_checks import BriefCheckBook, default_brief_checks
from bot.ideas.generators.base import AngleRequest, angle_id
from bot.ideas.generators.brief_material import Material, build_material
from bot.ideas.generators.brief_writer import BriefWriter, Violations, Written
from bot.ideas.generators.offline_text import fr_typography
from bot.kernel.i18n import t
from bot.kernel.messages import Angle, Lang

MAX_SHARED = 5  # said once for the answer: ideation.MAX_COMMON shows 6, one left for a
# per-angle check every angle happens to share (all five angles are newsletters)
MAX_OWN = 3  # per angle (answer_checks.MAX_PER_ANGLE)
_SECTOR_FIRST = 3  # legal checks of priority 1 said before the brief's own figures
_CHANNEL_TRIES = 24  # a stated channel has few formats: keep looking for one that obeys


def brand_with_model(brand: BrandContext, model: BriefModel) -> BrandContext:
    """The brand completed by what the brief model states (never by its assumptions)."""
    facts = {k: v for k, v in model.known(facts_only=True).items() if not brand.get(k)}
    return brand.updated(facts) if facts else brand


@dataclass(frozen=True)
class BriefComposer:
    writer: BriefWriter
    book: Any  # bot.brief.sectors.SectorBook, or None
    brief_checks: BriefCheckBook = field(default_factory=default_brief_checks)

    def __post_init__(self) -> None:
        if self.book is not None:
            unknown = sorted(set(self.brief_checks.channel_topics.values())
                             - set(self.book.topic_ids()))
            if unknown:
                raise ValueError(f"_brief_checks.yaml: channels: unknown topics {unknown}")
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
               strategy_checks: list[str], channel_key: str | None = None) -> list[str]:
        """The answer's shared checks (the same on every angle), then this angle's own.

        The answer layer (answer_checks.py) says the shared ones once and keeps
        at most three own ones per angle: what this hook quotes or claims, then
        one of its strategy's.
        """
        shared = list(self.shared_checks(model, lang))
        said = {c.casefold() for c in shared}
        own: list[str] = []
        fig = written.slots.get("fig")
        public = self.brief_checks.public_figures(model.text, model.figures)
        if fig and fig in written.hook and any(p in fig for p in public) \
                and not any(fig.casefold() in c for c in said):
            own.append(_typo(t("writing.check_figure", lang, figure=fig), lang))
        if "testimonial" in written.line.tags:
            own.append(_typo(t("writing.check_testimonial", lang), lang))
        topics = _topics(self.book, model.sectors, model.text)
        own += [_typo(c, lang) for c in self.brief_checks.hook_claims(written.hook, lang, topics)
                if c.casefold() not in said]
        topic = self.brief_checks.channel_topics.get(channel_key or "")
        if topic and self.book is not None:  # a newsletter angle: its consent rule
            found = self.book.topic_checks(topic, model.market, lang)
            own += [c.text for c in found[:1]]
        own += strategy_checks[:2]
        own = [c for c in dict.fromkeys(own) if c.casefold() not in said]
        return [*shared, *own[:MAX_OWN]]

    def shared_checks(self, model: BriefModel, lang: Lang) -> tuple[str, ...]:
        """What every angle of this brief must check: its sector's rules for its market
        (the most important first) and the brief's own figures and claims."""
        return _shared_checks(self.book, self.brief_checks, model.sectors, model.market,
                              model.text, tuple(model.figures), lang)

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
def _shared_checks(book: Any, brief_checks: BriefCheckBook, sectors: tuple[str, ...],
                   market: str, text: str, figures: tuple[Any, ...],
                   lang: Lang) -> tuple[str, ...]:
    """Legal checks of priority 1 first (the market note among them), then the brief's
    figures and claims, then the other legal checks: at most MAX_SHARED."""
    found = [] if book is None else sorted(
        book.checks(sectors, market, lang, text), key=lambda c: c.priority)
    topics = _topics(book, sectors, text)
    first = [c.text for c in found if c.priority == 1][:_SECTOR_FIRST]
    rest = [c.text for c in found if c.text not in first]
    own = [_typo(c, lang) for c in brief_checks.checks_of(text, figures, lang, topics)]
    return tuple(dict.fromkeys([*first, *own, *rest]))[:MAX_SHARED]


@lru_cache(maxsize=256)
def _topics(book: Any, sectors: tuple[str, ...], text: str) -> tuple[str, ...]:
    """The brief's regulated topics, read once per brief (every angle asks)."""
    return book.topics(sectors, text) if book is not None else ()


def _typo(text: str, lang: Lang) -> str:
    return fr_typography(text) if lang == "fr" else text



