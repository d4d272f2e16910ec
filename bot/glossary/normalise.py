"""Folding text into comparable keys: the one place that decides what "the same term" means.

Everything the glossary compares (terms, aliases, queries, brainstorm texts) goes
through these functions, so "IA symbiotique", "l'IA symbiotique ?", "Symbiotic-AI"
and "symbiotic AIs" land on comparable keys. Indexes are built with the same
functions at load time, which is why the rules must stay deterministic.
"""

from __future__ import annotations

import re
import unicodedata

# Ligatures that NFKD does not decompose.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NON_WORD = re.compile(r"[^0-9a-z]+")
_WORD = re.compile(r"[0-9A-Za-z]+")
# Combining diacritics left by NFKD; a regex is much faster than a per-character loop.
_MARKS = re.compile(r"[\u0300-\u036f]+")

# Question scaffolding and articles: dropped from lookup keys so that
# "c'est quoi le ROI ?" and "what is an LLM" find their entry. Never applied
# when it would leave nothing (a term made only of such words keeps them).
FILLER = frozenset(
    """
    le la les l un une des du de d au aux et ou en a à c est quoi qu ce que qui
    signifie veut dire definition definir terme mot
    the an of and or to what is are does do mean meaning means define s
    """.split()
)


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return _MARKS.sub("", unicodedata.normalize("NFKD", text.translate(_LIGATURES)))


def fold(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces."""
    return _NON_WORD.sub(" ", _strip_accents(text).lower()).strip()


def cased_words(text: str) -> list[str]:
    """Accent-free words with their case kept (to spot acronyms such as "SEO")."""
    return _WORD.findall(_strip_accents(text))


def singular(token: str) -> str:
    """A crude French/English singular, good enough to make plurals meet.

    It only has to be consistent (the same rule runs on the index and on the
    query), not linguistically right: "bias" and "biais" are left alone.
    """
    if len(token) <= 3:
        return token
    if token.endswith("eaux"):
        return token[:-1]
    if token.endswith(("ss", "us")) or (token.endswith("is") and len(token) > 4):
        return token  # business, bonus, analysis, biais
    if token.endswith("s"):
        return token[:-1]
    return token


def tokens(text: str) -> list[str]:
    """Folded, singular tokens in their original order (filler words kept)."""
    return [singular(tok) for tok in fold(text).split()]


def _content(toks: list[str]) -> list[str]:
    kept = [tok for tok in toks if tok not in FILLER]
    return kept or toks


def key(text: str) -> str:
    """The lookup key: content words, singular, sorted (word order does not matter)."""
    return " ".join(sorted(_content(tokens(text))))


def joined(text: str) -> str:
    """The content words glued together, so "open source" meets "opensource"."""
    return "".join(_content(tokens(text)))


def slug(text: str) -> str:
    """An entry id derived from a term: "Symbiotic AI" -> "symbiotic-ai"."""
    return "-".join(fold(text).split())
