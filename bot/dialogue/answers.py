"""Reading free answers to the clarifying questions.

People answer two questions in one line ("étudiants, plutôt notoriété") or in
another order than asked. Objectives and tones come from a small vocabulary,
so a keyword match places those parts; what is left goes to the other fields
asked, in order. Explicit `Field: value` lines always win.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.brief.brand import parse_fields
from bot.brief.brief_facts import brief_facts, starts_with_age_band
from bot.brief.categories import VOCABULARY as _VOCABULARY
from bot.brief.categories import category
from bot.brief.offer import is_name
from bot.brief.statements import bare_statements

_SPLIT_LINES = re.compile(r"\s*(?:\n|;|\s/\s|(?<=[^\W\d])[.!]\s+(?=[A-ZÀ-Ýa-z]))\s*")
_SPLIT_COMMA = re.compile(r"\s*(?:(?<!\d),|,(?!\d{3})|\bet\b|\band\b|\bplutot\b|\bplutôt\b|"
                          r"\brather\b|\s[–—-]\s)\s*")
_LEAD = re.compile(r"^(?:(?:et |and |oh and )?(?:finalement|actually|en fait|plutôt|plutot|"
                   r"rather|c'est|"
                   r"it's|it is|mostly|surtout|make it|keep it|on veut quelque chose de|"
                   r"quelque chose de|on veut|we want|we'd like|let's go|let's)(?:\s*,?\s+|\s*$))+",
                   re.IGNORECASE)
_TRAIL = re.compile(r"(?:,?\s+(?:actually|en fait|finalement|please|svp|stp|merci|thanks))+$",
                    re.IGNORECASE)
_LABEL = re.compile(
    r"^(?:(?:un|une|a|an|le|la|l')\s*)?"
    r"(?:objectif|objective|goal|ton|tone|cible|audience|target)\b\s*"
    r"(?:[:\-=]|\b(?:is|est|are|sont)\b)?\s*",
    re.IGNORECASE,
)


def _clean(part: str) -> str:
    # A final period goes, except the one of an abbreviation ("25-40 y.o.").
    part = re.sub(r"(?<!\.[A-Za-z])\.+$", "", part.strip(" ,;"))
    return _TRAIL.sub("", _LABEL.sub("", _LEAD.sub("", part))).strip()


def read_answers(text: str, asked: Sequence[str], missing: Sequence[str] = ()) -> dict[str, str]:
    """Brand fields from a free answer to the questions about `asked` fields.

    In order of certainty: `Field: value` lines, then clauses that start with a
    field word ("ton honnête, direct"), then the vocabulary of each part, then
    what was asked. `missing` are the key fields still unknown: an unrecognised
    phrase may fill one of them (a product named while answering about the audience).
    """
    explicit = parse_fields(text)
    if explicit or not asked:
        return explicit
    parts = [p for p in _SPLIT_LINES.split(text.strip()) if p]
    if len(parts) < len(asked) or any(_COMMA.search(p) for p in parts):
        # Maybe one line for several questions: split on commas only if that helps.
        finer = [p for line in parts for p in _SPLIT_COMMA.split(line) if p]
        if sum(1 for p in finer if _field_of(p)) > 1 or (
            len(parts) < len(asked) and any(_field_of(p) for p in finer)
        ):
            parts = finer
    # "scrap the technical tone", "oublie le ton technique": what is taken back is not a value;
    # "mais pas vulgaire": what is ruled out goes to the exclusions, not into the value.
    parts = [p for p in parts if not _RETRACT.search(p) and not _NEGATED.match(p)] or parts
    found: dict[str, str] = {}
    rest: list[str] = []
    previous: str | None = None
    for part in parts:
        name = _field_of(part)
        if name is None and previous not in (None, "product", "brand") and len(part.split()) <= 2:
            # "ton honnête, direct, respectueux": a short word after a field's value
            # continues that value's list.
            name = previous
        if not _clean(part):
            continue  # "Actually," alone
        if name is not None:
            named = _BRAND_ANSWER.match(part) if name == "brand" else None
            stated = named.group("name") if named else bare_statements(part.strip()).get(name)
            value = _clean(stated or part)  # "l'offre s'appelle Pack Aidants" -> "Pack Aidants"
            if name == "objective" and not stated:
                value = brief_facts(part).get("objective", value)
            title = value.split(",")[0].strip()
            if name == "product" and "," in value and is_name(title):
                # "It's called The Back Office, weekly, 20 minutes": the name, not its details.
                value = title
            if name == "product" and is_name(value) and "product" not in (*asked, *missing):
                name = "brand"  # the known offer ("a podcast") keeps its place; this names it
            found[name] = f"{found[name]}, {value}" if name in found else value
        else:
            rest.append(part)
        previous = name
    # Unrecognised parts go to fields without a vocabulary (the product), asked
    # first; an objective or a tone takes free text only when it was the one question.
    free = [f for f in asked if f not in found and f not in _VOCABULARY]
    free += [f for f in missing if f not in found and f not in _VOCABULARY and f not in free]
    if len(asked) == 1 and asked[0] not in found and asked[0] in _VOCABULARY:
        free.append(asked[0])
    if rest and not free and len(asked) == 1 and asked[0] in found:
        # One question, its answer found, words left: they belong to that answer.
        found[asked[0]] = ", ".join([found[asked[0]], *(_clean(p) for p in rest)])
        rest = []
    if rest and free:
        # The last free field takes what remains, so nothing the user said is lost.
        for name, part in zip(free[:-1], rest, strict=False):
            found[name] = _clean(part)
        if len(rest) >= len(free):
            found[free[-1]] = ", ".join(_clean(p) for p in rest[len(free) - 1:])
    return {k: v for k, v in found.items() if v}


_COMMA = re.compile(r",")
_RETRACT = re.compile(r"\b(?:scrap|forget|drop|ditch|lose|oublie[rz]?|laisse[rz]? tomber|"
                      r"abandonne[rz]?|"
                      r"plus de|no more)\b.*\b(?:tone|ton|objective|objectif|audience|cible)\b",
                      re.IGNORECASE)
_NEGATED = re.compile(r"^\s*(?:(?:oh|ah|also|aussi|mais|but|et|and|plus|please|svp|oui|yes)\W+)*"
                      r"(?:pas|not|no|never|jamais|sans|without|"
                      r"surtout pas|"
                      r"zero|zéro)\b", re.IGNORECASE)


_BRAND_ANSWER = re.compile(r"^\s*(?:c'est|it's|it is|we're|we are|nous sommes|on est)\s+"
                           r"(?:la |le |l'|les |"
                           r"the )?(?P<name>[A-ZÀ-Ý][\w'&.-]*(?:\s+[A-ZÀ-Ý0-9][\w'&.-]*)*)\s*$")


def _field_of(part: str) -> str | None:
    """The field a part answers: its own field word first ("ton ..."), then its vocabulary."""
    if _BRAND_ANSWER.match(part):
        return "brand"  # "c'est la Mutuelle Horizon"
    stated = bare_statements(part.strip())
    if len(stated) == 1:
        return next(iter(stated))
    if _WANTS.match(part) and brief_facts(part).get("objective"):
        return "objective"  # "we want 5,000 subscribers by summer": a goal, not an audience
    kind = category(part)
    if kind is None and starts_with_age_band(part):
        return "audience"  # "les 45-65 ans qui portent des verres progressifs"
    return kind


_WANTS = re.compile(r"^\s*(?:and |et |oh and )?(?:we want|we need|we'd like|we're after|our goal|"
                    r"the goal|on veut|on voudrait|nous voulons|l'objectif|objectif|on vise)\b",
                    re.IGNORECASE)
