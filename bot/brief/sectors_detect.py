"""The brief's sectors and their vocabulary, for the reader.

Until the sector book (prompts/sectors/) is in, the sectors of prompts/fit.yaml.
"""

from __future__ import annotations

from bot.brief.brand import BrandContext
from bot.ideas.fit import fit_data, profile_brief


def sector_ids(text: str) -> tuple[str, ...]:
    return tuple(sorted(profile_brief(text, BrandContext()).sectors))


def sector_vocabulary(sectors: tuple[str, ...], lang: str) -> tuple[str, ...]:
    return ()


__all__ = ["fit_data", "sector_ids", "sector_vocabulary"]
