"""Which channel and format an offline angle suggests.

The brand's own channels win when it has some (favouring those the strategy
suits: a sketch fits TikTok better than a newsletter); the format then comes
from the strategy's catalogue suggestion for that channel, or from the
channel's medium. Without brand channels, the catalogue's suggestion is used.
"""

from __future__ import annotations

import random

from bot.catalogue import Catalogue
from bot.generators.offline_context import ChannelMatcher, Context
from bot.generators.offline_templates import Wording
from bot.generators.offline_text import fr_typography
from bot.messages import Lang


class ChannelPlanner:
    def __init__(self, catalogue: Catalogue, wording: Wording, matcher: ChannelMatcher) -> None:
        self._wording = wording
        self._matcher = matcher
        # Catalogue suggestions "Instagram — carrousel ...", split into (kind, text, format).
        self._suggested: dict[str, dict[str, tuple[tuple[str | None, str, str], ...]]] = {}
        for lang in ("fr", "en"):
            table = {}
            for strategy in catalogue:
                items = []
                for text in strategy.channels_in(lang):
                    text = fr_typography(text) if lang == "fr" else text
                    head, _, fmt = text.partition(" — ")
                    items.append((matcher.kind_of(head), text, fmt or text))
                table[strategy.id] = tuple(items)
            self._suggested[lang] = table

    def pick(self, sid: str, ctx: Context, rng: random.Random,
             forced: tuple[str, str | None] | None = None) -> str:
        lang: Lang = ctx.lang
        suggested = self._suggested[lang][sid]
        if forced is None and not ctx.channels:
            return rng.choice(suggested)[1]
        if forced is not None:
            name, key = forced
        else:
            fitting = {k for k, _, _ in suggested if k}
            weights = [3.0 if key in fitting else 1.0 for _, key in ctx.channels]
            name, key = rng.choices(ctx.channels, weights)[0]
        same = [fmt for k, _, fmt in suggested if key and k == key]
        if same:
            return f"{name} — {rng.choice(same)}"
        if key:
            medium = self._matcher.kinds[key].medium
            return f"{name} — {rng.choice(self._wording.common[lang].formats[medium])}"
        return f"{name} — {self._wording.strategies[lang][sid].format}"
