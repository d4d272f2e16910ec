"""Which channel and format an offline angle suggests, and what that channel shows.

The brand's own channels win when it has some (favouring those the strategy
suits: a sketch fits TikTok better than a newsletter); the format then comes
from the strategy's catalogue suggestion for that channel, or from the
channel's medium. Without brand channels, the catalogue's suggestions are
weighed by how well each channel fits the brief's sectors (bot/fit.py): no
TikTok hashtag challenge for CFOs, no LinkedIn op-ed for a neighbourhood
bakery; when all of a strategy's suggestions are ruled out, the sector's own
channels are used. `media_of` tells what a channel shows, so that a hook
saying "cette vidéo" never lands on a poster.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

from bot.brief.brand import fold
from bot.ideas.catalogue import Catalogue
from bot.ideas.generators.offline_context import ChannelMatcher, Context
from bot.ideas.generators.offline_templates import Wording
from bot.ideas.generators.offline_text import fr_typography
from bot.kernel.messages import Lang

# What each medium of channels.yaml can show.
_MEDIUM_MEDIA: dict[str, frozenset[str]] = {
    "visual": frozenset({"visual"}),
    "video": frozenset({"video", "visual"}),
    "pro": frozenset({"text", "visual"}),
    "short_text": frozenset({"text"}),
    "live": frozenset({"live", "video"}),
    "community": frozenset({"text"}),
    "email": frozenset({"text", "visual"}),
    "web": frozenset({"text", "visual"}),
    "audio": frozenset({"audio"}),
    "print": frozenset({"visual"}),
    "press": frozenset({"text"}),
    "event": frozenset({"live"}),
}
# Words of a format that add a medium ("Instagram — stories" shows video).
_FORMAT_WORDS = {
    "video": "video videos reel reels sketch film asmr making-of tutoriel tutorial talking-head "
             "documentaire documentary transition stories shorts live direct emission show",
    "visual": "carrousel carousel visuel visuels visual affiche poster infographie infographic "
              "meme photo photos image images split-screen scinde close-up galerie gallery "
              "portraits",
    "audio": "podcast episode spot radio audio",
    "live": "atelier workshop pop-up boutique in-store evenement event rencontre meet-up "
            "masterclass webinaire webinar experience animation",
    "text": "article tribune op-ed fil thread post newsletter email emails page faq blog dossier "
            "sequence edition objet",
}
_FORMAT_MEDIA = tuple(
    (medium, re.compile(rf"\b(?:{'|'.join(map(re.escape, words.split()))})\b"))
    for medium, words in _FORMAT_WORDS.items()
)
_SCORE_WEIGHT = 3.0  # weight = 3 ** fit: a +1 channel is 9x as likely as a -1 one


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
            return self._suggestion(sid, ctx, rng)
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
            return f"{name} — {self._format(key, lang, rng)}"
        return f"{name} — {self._wording.strategies[lang][sid].format}"

    def _suggestion(self, sid: str, ctx: Context, rng: random.Random) -> str:
        suggested = self._suggested[ctx.lang][sid]
        fit = ctx.channel_fit
        suited = [item for item in suggested if _suits_kinds(item[1], ctx.kinds)] or suggested
        if not fit:
            return rng.choice(suited)[1]
        open_ = [(k, text) for k, text, _ in suited if fit.get(k or "", 0.0) > -1.0]
        if open_:
            weights = [_SCORE_WEIGHT ** fit.get(k or "", 0.0) for k, _ in open_]
            return rng.choices(open_, weights)[0][1]
        # Every suggestion is ruled out for this brief: the sector's own channels.
        fallback = [k for k in ctx.default_channels if fit.get(k, 0.0) > -1.0]
        key = rng.choice(fallback) if fallback else None
        if key is None:
            return rng.choice(suggested)[1]
        return f"{self._matcher.display(key, ctx.lang)} — {self._format(key, ctx.lang, rng)}"

    def _format(self, key: str, lang: Lang, rng: random.Random) -> str:
        medium = self._matcher.kinds[key].medium
        return rng.choice(self._wording.common[lang].formats[medium])

    def media_of(self, channel: str) -> frozenset[str]:
        return _media(channel, self._matcher)


# Formats that show a place where things are made ("stories en direct de l'atelier"):
# right for a maker of goods or food, odd for a bank, an app or an NGO.
_MAKER_FORMAT = re.compile(r"\b(?:atelier|workshop|fabrication|usine|factory)\b", re.IGNORECASE)


def _suits_kinds(text: str, kinds: frozenset[str]) -> bool:
    if not kinds or kinds & {"physical", "food"}:
        return True
    fmt = text.partition(" — ")[2] or text
    return not _MAKER_FORMAT.search(fmt) or "co-cr" in fmt


@lru_cache(maxsize=2048)
def _media_cached(channel: str, key: str | None, medium: str | None) -> frozenset[str]:
    found = set(_MEDIUM_MEDIA.get(medium or "", frozenset()))
    folded = fold(channel.partition(" — ")[2] or channel)
    for medium_name, pattern in _FORMAT_MEDIA:
        if pattern.search(folded):
            found.add(medium_name)
    # A format that names what it is ("Instagram — carrousel") overrides the
    # channel's usual mix: a carousel shows no video.
    named = {m for m, p in _FORMAT_MEDIA if p.search(folded)}
    if named and medium in ("visual", "video", "pro", "email", "web"):
        found = named | ({"visual"} if "video" in named else set())
    return frozenset(found) or frozenset({"text", "visual"})


def _media(channel: str, matcher: ChannelMatcher) -> frozenset[str]:
    head = channel.partition(" — ")[0]
    key = matcher.kind_of(head)
    medium = matcher.kinds[key].medium if key else None
    return _media_cached(channel, key, medium)
