"""Small language helpers for the offline generator.

The brand fields are free text typed by a user ("gourde isotherme", "Les
étudiants", "Evian"), so French needs care: the gender and number of an
unknown product are unknowable, "de" + "les" must become "des", "de" + "Evian"
becomes "d'Evian". These helpers turn raw fields into noun phrases that fit
the templates' slots, and pick a short key phrase out of a brief.
"""

from __future__ import annotations

import re

from bot.brand import fold, parse_fields
from bot.messages import Lang

_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ")
_FR_DETERMINERS = (
    "le ", "la ", "les ", "l'", "l’", "un ", "une ", "des ", "nos ", "vos ", "notre ",
    "votre ", "ces ", "cette ", "ce ", "ses ", "son ", "sa ", "leurs ", "leur ", "mes ",
    "mon ", "ma ", "tous ", "toutes ",
)
# Determiners dropped in front of a common-noun product, replaced by a possessive
# ("la gourde" -> "notre gourde"): possessives do not agree in gender.
_FR_DROPPABLE = ("le ", "la ", "les ", "l'", "l’", "un ", "une ", "des ")
_EN_DETERMINERS = ("the ", "a ", "an ", "our ", "your ", "their ", "these ", "those ", "all ")
_NBSP = "\u00a0"
_TYPO_CHARS = frozenset(":;?!«»")


def clean(text: str, limit: int = 120) -> str:
    """One line, squeezed spaces, no trailing punctuation, at most `limit` chars on a word."""
    one = re.sub(r"\s+", " ", text.replace("{", "(").replace("}", ")")).strip()
    one = one.strip(" .;,:!?-—")
    if len(one) > limit:
        one = one[:limit].rsplit(" ", 1)[0].rstrip(" ,;:-—")
    return one


def _starts_with(text: str, prefixes: tuple[str, ...]) -> str | None:
    low = text.lower()
    return next((p for p in prefixes if low.startswith(p)), None)


def _lower_first(text: str) -> str:
    """'Gourde isotherme' -> 'gourde isotherme', but 'DRH de PME' and 'iPhone' stay."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and any(c.isupper() for c in first[1:]):
        return text
    return text[:1].lower() + text[1:]


def looks_proper(text: str) -> bool:
    """A brand-like name ('Gourdo', 'Gourdo Bottle', 'iPhone 15'), not a common noun phrase."""
    words = text.split()
    if not words:
        return False
    if any(any(c.isupper() for c in w[1:]) or any(c.isdigit() for c in w) for w in words):
        return True
    if not words[0][:1].isupper():
        return False
    return len(words) == 1 or any(w[:1].isupper() for w in words[1:])


def _plural_head(text: str) -> bool:
    head = text.split(" ", 1)[0].lower()
    return len(head) > 3 and head[-1] in "sx" or head.isdigit()


def product_np(product: str, lang: Lang, person: str) -> str:
    """The product as a noun phrase: 'notre gourde' / 'vos chaussettes' / 'Gourdo Bottle'.

    `person` is "our" (brand voice) or "your" (talking to the marketer).
    """
    if looks_proper(product):
        return product
    if lang == "fr":
        dropped = _starts_with(product, _FR_DROPPABLE)
        if dropped:
            plural = dropped in ("les ", "des ")
            noun = _lower_first(product[len(dropped):])
        elif _starts_with(product, _FR_DETERMINERS):
            return _lower_first(product)
        else:
            plural, noun = _plural_head(product), _lower_first(product)
        owner = {("our", False): "notre", ("our", True): "nos",
                 ("your", False): "votre", ("your", True): "vos"}[(person, plural)]
        return f"{owner} {noun}"
    dropped = _starts_with(product, _EN_DETERMINERS)
    noun = _lower_first(product[len(dropped):] if dropped else product)
    return f"{person} {noun}"


def audience_np(audience: str, lang: Lang) -> str:
    """The audience as a noun phrase: 'les étudiants', 'votre cible « grand public »'."""
    if lang == "en":
        return audience if looks_proper(audience) else _lower_first(audience)
    if _starts_with(audience, _FR_DETERMINERS):
        return _lower_first(audience)
    if audience[:1].isdigit() or _plural_head(audience) or audience.split(" ", 1)[0].isupper():
        return f"les {_lower_first(audience)}"
    # A singular bare noun ("grand public"): its gender is unknown, so quote it.
    return f"votre cible « {audience} »"


def fr_de(np: str) -> str:
    """'de' + noun phrase, contracted: des étudiants, du Slip, d'Evian, de votre marque."""
    low = np.lower()
    if low.startswith("les "):
        return "des " + np[4:]
    if low.startswith("le "):
        return "du " + np[3:]
    if low.startswith("des "):
        return "de " + np[4:]
    if np[:1] in _VOWELS:
        return "d'" + np
    return "de " + np


def fr_a(np: str) -> str:
    """'à' + noun phrase, contracted: aux étudiants, au Slip, à Evian."""
    low = np.lower()
    if low.startswith("les "):
        return "aux " + np[4:]
    if low.startswith("le "):
        return "au " + np[3:]
    return "à " + np


def fr_typography(text: str) -> str:
    """Non-breaking spaces before : ; ? ! and inside « », as French typography wants."""
    if not _TYPO_CHARS.intersection(text):
        return text
    text = re.sub(r" ([:;?!»])", _NBSP + r"\1", text)
    return text.replace("« ", "«" + _NBSP)


def capitalise(text: str) -> str:
    """Upper-case the first letter (after any opening quote), leaving 'iPhone' alone."""
    for i, char in enumerate(text):
        if not char.isalpha() and char not in "«“\"'( \u00a0":
            return text  # starts with a figure or a symbol: "72 heures"
        if char.isalpha():
            word = text[i:].split(" ", 1)[0]
            if char.isupper() or any(c.isupper() for c in word[1:]):
                return text
            return text[:i] + char.upper() + text[i + 1:]
    return text


# Openings that carry no content ("I want ideas for ...", "Brief : ...").
_FILLER = re.compile(
    r"^(?:(?:bonjour|salut|hello|hi|hey)\b[\s,!.]*)?"
    r"(?:(?:brief|contexte|context|idée|idea)\s*:\s*)?"
    r"(?:(?:je|on|nous)\s+"
    r"(?:veux|voudrais|voudrions|voulons|veut|aimerais|aimerions|cherche|cherchons|"
    r"souhaite|souhaitons|dois|devons|doit|va|allons)\s+|"
    r"(?:i|we)\s+(?:want|need|would like|'d like|am looking|are looking|have|must)\s+(?:to\s+)?|"
    r"(?:aide|aidez)[- ]moi\s+à\s+|help\s+(?:me|us)\s+(?:to\s+)?|"
    r"il\s+(?:faut|nous faut)\s+|(?:please|s'il te plaît|stp|svp)[\s,]+)?"
    r"(?:(?:trouver|find|get|give me|donne-moi|donnez-moi|propose-moi|proposez-moi)\s+)?"
    r"(?:(?:des|quelques|de nouvelles|some|new|a few)\s+)?"
    r"(?:(?:idées|angles|pistes|ideas|angle|idée|idea|concepts?)\s+(?:créatifs?\s+|creative\s+)?"
    r"(?:pour|de|sur|about|for|on|to)\s+)?",
    re.IGNORECASE,
)
_TAIL_STOPWORDS = frozenset(
    "de du des la le les l' pour et à au aux en sur avec un une par ou dans the a an of for "
    "to and with on in our your notre votre nos vos their by or at".split()
)
_CUT_BEFORE = frozenset(
    "avant apres pour avec pendant durant aupres afin sans mais dans chez before after for with "
    "during without but so because while in at".split()
)
_COMMANDS = frozenset(
    {"angles", "angle", "more", "encore", "go", "vas-y", "vas y", "ideas", "idées"}
)


def key_phrase(brief: str, max_words: int = 9) -> str:
    """A short key phrase of the brief: its first clause, without filler, on word bounds."""
    lines = [ln for ln in brief.splitlines() if ln.strip() and not parse_fields(ln)]
    if not lines:
        return ""
    first = re.split(r"[.!?;\n]|\s[—–-]\s|,\s", " ".join(lines), maxsplit=1)[0]
    first = _FILLER.sub("", clean(first, 200)).strip(" :,")
    words = first.split()
    if len(words) > max_words:
        # Cut before a loose link word ("before", "avant", "pour"...) rather than
        # mid-expression ("before back [to school]").
        cuts = [i for i in range(3, max_words + 1) if fold(words[i]) in _CUT_BEFORE]
        words = words[: cuts[-1] if cuts else max_words]
    while words and fold(words[-1]) in _TAIL_STOPWORDS:
        words.pop()
    phrase = clean(" ".join(words), 80).strip("«»“”\"'")
    if len(phrase.split()) < 2 and fold(phrase) in _COMMANDS | {""}:
        return ""
    return phrase


def join_list(items: list[str], lang: Lang) -> str:
    """['A', 'B', 'C'] -> 'A, B et C' / 'A, B and C'."""
    if len(items) < 2:
        return "".join(items)
    word = " et " if lang == "fr" else " and "
    return ", ".join(items[:-1]) + word + items[-1]


def split_list(text: str) -> list[str]:
    """'Instagram, TikTok et newsletter' -> ['Instagram', 'TikTok', 'newsletter']."""
    parts = re.split(r"\s*(?:[,;/+&|\n]|\bet\b|\band\b|\bou\b|\bor\b)\s*", text)
    return [clean(p, 60) for p in parts if clean(p, 60)]
