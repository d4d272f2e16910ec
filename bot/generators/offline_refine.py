"""Reading a refine instruction: "plus drôle", "shorter for students on TikTok", ...

`parse_refinement` is public so the engine can learn tone and length
preferences from what users ask for, whichever generator answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.brand import fold_aligned
from bot.generators.offline_templates import (
    OFFLINE_DIR,
    ChannelKind,
    RefineVocabulary,
    load_channels,
    load_refine_vocabulary,
)

# Words after "pour"/"for" that do not start an audience ("pour être lu", "for more fun").
_NOT_AUDIENCE = frozenset(
    "plus moins more less que qu qu'on faire rendre make etre be avoir have que ca cela "
    "it this that le moment la suite".split()
)
_STOP = (
    r"(?=\s+(?:sur|on|via|en|in|avec|with|et|and|mais|but|plus|more|moins|less|dans|au|as)\b"
    r"|[,.;!?]|$)"
)


def _alternation(phrases: tuple[str, ...]) -> str:
    return "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))


@dataclass(frozen=True)
class RefinementParser:
    """Compiled from prompts/offline/refine.yaml and channels.yaml."""

    phrases: re.Pattern[str]
    labels: dict[str, tuple[str, str]]  # phrase -> ("tone"|"length", value)
    audience: re.Pattern[str]
    channel: re.Pattern[str]
    channel_of: dict[str, str]  # folded alias -> channel key
    theme_re: re.Pattern[str] | None = None  # "make it about <theme>"
    modifiers: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls, vocabulary: RefineVocabulary, channels: tuple[ChannelKind, ...]
    ) -> RefinementParser:
        labels: dict[str, tuple[str, str]] = {}
        for kind, table in (("tone", vocabulary.tone), ("length", vocabulary.length)):
            for value, value_phrases in table.items():
                for phrase in value_phrases:
                    labels.setdefault(phrase, (kind, value))
        phrases = re.compile(rf"(?<![\w']){'(?:' + _alternation(tuple(labels)) + ')'}(?![\w'])")
        markers = _alternation(vocabulary.audience_markers)
        audience = re.compile(rf"(?:^|(?<=\s))(?:{markers})\s+(?P<who>.+?){_STOP}")
        channel_of = {alias: kind.key for kind in channels for alias in kind.aliases}
        channel = re.compile(
            rf"(?<![\w'])(?:{_alternation(vocabulary.channel_markers)})\s+"
            rf"(?:(?:le|la|les|l'|un|une|a|an|the|des)\s*)?"
            rf"(?P<alias>{_alternation(tuple(channel_of))})(?![\w'])"
        )
        theme_re = None
        if vocabulary.theme_markers:
            theme_re = re.compile(
                rf"^(?:(?:please|stp|svp|et|and|mais|but|plutot|rather)\s+)?"
                rf"(?:{_alternation(vocabulary.theme_markers)})\s+(?P<theme>\S.*)$"
            )
        return cls(phrases, labels, audience, channel, channel_of, theme_re,
                   frozenset(vocabulary.modifiers))

    def theme(self, free: str) -> str:
        """The theme of a free note ("make it about the Tokyo opening" -> "the Tokyo opening").

        "" when the note is a modifier ("plus direct") or names no theme.
        """
        text = " ".join(free.split()).strip(" .!?;,")
        folded = fold_aligned(text)
        if not text or folded.split(" ", 1)[0] in self.modifiers:
            return ""
        match = self.theme_re.match(folded) if self.theme_re else None
        if match:
            return text[match.start("theme"):].strip(" \"'«»“”")
        return ""

    def parse(self, instruction: str) -> dict[str, str]:
        text = " ".join(instruction.split())
        folded = fold_aligned(text)
        found: dict[str, str] = {}
        # The pattern lists longer phrases first, so "less playful" wins over "playful".
        for match in self.phrases.finditer(folded):
            kind, value = self.labels[match.group(0)]
            found.setdefault(kind, value)
        channel_match = self.channel.search(folded)
        if channel_match:
            found["channel"] = self.channel_of[channel_match.group("alias")]
        for match in self.audience.finditer(folded):
            who = text[match.start("who"):match.end("who")].strip(" \"'«»“”")
            head = folded[match.start("who"):].split(" ", 1)[0].strip("'")
            if not who or head in _NOT_AUDIENCE or len(who) > 80:
                continue
            if fold_aligned(who) in self.channel_of or self.labels.get(fold_aligned(who)):
                continue
            found["audience"] = who
            break
        if not found and text:
            found["free"] = text
        return found


@lru_cache(maxsize=1)
def default_parser() -> RefinementParser:
    return RefinementParser.build(load_refine_vocabulary(OFFLINE_DIR), load_channels(OFFLINE_DIR))


def parse_refinement(instruction: str) -> dict[str, str]:
    """What a refine instruction asks for, in French or English.

    Keys (each optional): "tone" (playful, serious, bold, emotional, premium,
    rational), "length" (short, long), "audience" (as typed), "channel" (a key
    of prompts/offline/channels.yaml, e.g. "tiktok"), and "free" (the whole
    instruction, only when nothing else was recognised).

    >>> parse_refinement("plus drôle pour les étudiants sur TikTok")
    {'tone': 'playful', 'channel': 'tiktok', 'audience': 'les étudiants'}
    """
    return default_parser().parse(instruction)
