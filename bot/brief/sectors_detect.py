"""The brief's sectors, market and the sector vocabulary its concerns are read with."""

from __future__ import annotations

from bot.brief.sectors import load_sectors


def sector_ids(text: str, lang: str | None = None) -> tuple[str, ...]:
    return load_sectors().detect(text, lang)


def market_of(text: str) -> str:
    """The sector book's reading of places, currencies and institutions (_markets.yaml).

    No second word list after it: "us" in "help us" is not the United States.
    """
    return load_sectors().market_of(text)


def sector_vocabulary(sectors: tuple[str, ...], lang: str) -> tuple[str, ...]:
    book = load_sectors()
    words: list[str] = []
    for sector in sectors:
        vocabulary = book.get(sector).vocabulary
        words += vocabulary.get(lang, ()) + vocabulary.get("en" if lang == "fr" else "fr", ())
    return tuple(words)
