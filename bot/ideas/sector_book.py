"""The sector book (bot/brief/sectors.py) for the generators, loaded once."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def default_sector_book() -> Any:
    """The sector book, or None until the sector knowledge is installed."""
    try:
        from bot.brief.sectors import load_sectors  # noqa: PLC0415 (optional until merged)
    except ImportError:
        return None
    return load_sectors()
