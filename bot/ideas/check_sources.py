"""The rule entry behind each check of an answer, for platforms that cite sources.

A generator writes checks as text (`Angle.to_validate`); the sector and market
checks among them come from an entry of prompts/rules with a cited law or
code. `attach_sources` finds them by their exact text in what the sector book
gives for the brief, once the angles are built, whatever chose the checks;
`split_sources` follows `answer_checks.factor_checks`: the sources of the
checks said once for the answer, and each angle keeps those of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from bot.brief.model import BriefModel
from bot.kernel.messages import Angle, CheckSource, Lang


def attach_sources(angles: Iterable[Angle], book: Any, model: BriefModel, lang: Lang) -> None:
    """`book`: a bot.brief.sectors.SectorBook, or None (no sources then)."""
    if book is None:
        return
    found = _sources(book, model.sectors, model.market, lang, model.text)
    if not found:
        return
    for angle in angles:
        angle.sources = [found[c] for c in dict.fromkeys(angle.to_validate) if c in found]


def split_sources(angles: Sequence[Angle], common: Sequence[str]) -> list[CheckSource]:
    """After the common checks were taken off the angles: their sources, in order;
    each angle keeps only the sources of the checks it still shows."""
    by_check = {s.check: s for a in angles for s in a.sources}
    for angle in angles:
        own = set(angle.to_validate)
        angle.sources = [s for s in angle.sources if s.check in own]
    return [by_check[c] for c in common if c in by_check]


@lru_cache(maxsize=256)
def _sources(book: Any, sectors: tuple[str, ...], market: str, lang: Lang,
             text: str) -> dict[str, CheckSource]:
    return {c.text: CheckSource(c.text, c.topic, book.topic_name(c.topic, lang), c.source)
            for c in book.checks(sectors, market, lang, text) if c.source}
