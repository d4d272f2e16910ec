"""Reading a refine instruction: "plus drôle", "shorter for students on TikTok", ...

`parse_refinement` is public so the engine can learn tone and length
preferences from what users ask for, whichever generator answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.brief.brand import fold_aligned
from bot.ideas.generators.offline_templates import (
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
# What may stand before a bare tone word: "plus militant", "un peu plus chic", "ton expert".
_TONE_LEAD = re.compile(
    r"(?:^|(?<=\s))(?:(?:un peu|encore|bien|beaucoup|nettement|a bit|a little|slightly|much|"
    r"way|even|far)\s+)?(?:plus|more|davantage|version|ton|tone|style|registre|register|"
    r"make it|rends-le|rends le|rendre)\s+(?:(?:plus|more|un peu plus)\s+)?"
    r"(?P<word>[a-z][a-z'-]*(?: de gamme)?)"
)
_FUZZY_SCORE = 86  # "militante" ~ "militant", "quirkyer" ~ "quirkier"; "direct" matches nothing


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
    synonyms: dict[str, str] | None = None  # bare tone word -> register
    one_sentence: re.Pattern[str] | None = None

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
        synonyms = {word: tone for tone, words in vocabulary.synonyms.items() for word in words}
        one_sentence = None
        if vocabulary.one_sentence:
            one_sentence = re.compile(
                rf"(?<![\w'])(?:{_alternation(vocabulary.one_sentence)})(?![\w'])")
        return cls(phrases, labels, audience, channel, channel_of, theme_re,
                   frozenset(vocabulary.modifiers), synonyms, one_sentence)

    def nearest_tone(self, word: str) -> str | None:
        """The register of a bare tone word: 'engagées' -> 'bold', 'chic' -> 'premium'."""
        if not self.synonyms:
            return None
        forms = [word]
        for ending in ("es", "s", "e"):  # plural / feminine: "militantes" -> "militant"
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                forms.append(word[: -len(ending)])
        for form in forms:
            if form in self.synonyms:
                return self.synonyms[form]
        if len(word) < 5:  # too short to guess a misspelling safely ("pop" vs "pro")
            return None
        best = process.extractOne(word, self.synonyms.keys(), scorer=fuzz.ratio,
                                  score_cutoff=_FUZZY_SCORE)
        return self.synonyms[best[0]] if best else None

    def _synonym_tone(self, folded: str) -> str | None:
        bare = folded.strip(" .!?")
        if bare and " " not in bare:  # the whole note is one word: "militant", "quirky"
            return self.nearest_tone(bare)
        for match in _TONE_LEAD.finditer(folded):
            tone = self.nearest_tone(match.group("word"))
            if tone:
                return tone
        return None

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
        if self.one_sentence and self.one_sentence.search(folded):
            found["length"] = "short"
            found["sentences"] = "one"
        if "tone" not in found:
            tone = self._synonym_tone(folded)
            if tone:
                found["tone"] = tone
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
    instruction, only when nothing else was recognised). A tone word no phrase
    lists ("plus militant", "more chic") maps to its nearest register, and
    "en une phrase" / "one-liner" adds "sentences": "one" to "length": "short".

    >>> parse_refinement("plus drôle pour les étudiants sur TikTok")
    {'tone': 'playful', 'channel': 'tiktok', 'audience': 'les étudiants'}
    """
    return default_parser().parse(instruction)
