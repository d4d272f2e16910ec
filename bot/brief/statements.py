"""Key fields a brief states in plain words, without a `Field:` colon.

"..., objectif ouvertures de comptes", "the goal is to get demo requests",
"tone expert but not boring", "cible jeunes actifs de la région": a field word
at the start of a clause, then its value. These are the user's own statements
(source "said"); what `brief_facts` infers from sentences is "extracted".
"""

from __future__ import annotations

import re

from bot.brief.brand import MAX_VALUE_LENGTH, fold_aligned
from bot.brief.categories import category
from bot.brief.vocabulary import ReadingVocabulary, reading_vocabulary

# A statement's clause ends at a sentence end, a semicolon, a line break, a colon that
# starts a description ("Pack Aidants : 10 heures de répit"), or a comma followed by
# another field word ("objective is X, tone Y").
_END = re.compile(r"[.;!?\n]|\s:\s|,\s+(?=\S)")
# The first words of a value that show a sentence, not a value ("ton produit est ...").
_NOT_VALUES = frozenset("produit offre service marque idee avis message".split())


def bare_statements(text: str, vocabulary: ReadingVocabulary | None = None) -> dict[str, str]:
    """{field: value} for the clauses of `text` that start with a field word."""
    vocab = vocabulary or reading_vocabulary()
    folded = fold_aligned(text)
    found: dict[str, str] = {}
    starts = [0] + [m.end() for m in re.finditer(r"[.;!?\n]\s*|,\s*", folded)]
    for start in starts:
        match = vocab.bare_label.match(folded, start)
        if not match:
            continue
        name = vocab.label_field.get(" ".join(match.group("label").split()))
        if name is None or name in found:
            continue
        value_start = match.start("value")
        end = _value_end(folded, value_start, vocab)
        value = text[value_start:end].strip(" ,.;:-–\"'«»“”")
        first = fold_aligned(value).split()[:1]
        if not value or (first and first[0] in _NOT_VALUES):
            continue
        found[name] = value[:MAX_VALUE_LENGTH]
    if "tone" not in found:
        tone = _tone_phrase(text, folded, vocab)
        if tone:
            found["tone"] = tone
    return found


def _tone_phrase(text: str, folded: str, vocab: ReadingVocabulary) -> str:
    """"we want it approachable and fun", "keep it light, not preachy": a tone."""
    for match in vocab.tone_phrase.finditer(folded):
        value = text[match.start("value"):match.end("value")].strip(" ,.")
        if category(value) == "tone" or category(value.split(",")[0]) == "tone":
            return value[:MAX_VALUE_LENGTH]
    return ""


def _value_end(folded: str, start: int, vocab: ReadingVocabulary) -> int:
    """Where the value starting at `start` ends: the clause end, or the next field word."""
    position = start
    for match in _END.finditer(folded, start):
        if match.group(0).strip().startswith(","):
            # A comma ends the value only if another field word follows it.
            if vocab.bare_label.match(folded, match.end()):
                return match.start()
            continue
        return match.start()
    position = len(folded)
    return position


def leaves_it_open(value: str) -> bool:
    """"up to you", "à vous de voir": the user leaves the field to Symbiose."""
    folded = fold_aligned(value).strip(" ?!.,")
    match = reading_vocabulary().up_to_you.match(folded)
    return match is not None and len(folded.split()) <= len(match.group(0).split()) + 4
