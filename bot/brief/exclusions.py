"""What a brief rules out: "we never discount", "pas seulement l'été", "no puns".

A negation and, later in the same clause, a word of an exclusion family
(prompts/brief/reading.yaml) rule the family out. Two shapes need more than
that: "not just summer" (a season must not be the whole story) and "closed on
Black Friday" (an occasion the brand stays out of).
"""

from __future__ import annotations

import re

from bot.brief.brand import fold_aligned
from bot.brief.model import Exclusion
from bot.brief.vocabulary import ReadingVocabulary, reading_vocabulary
from bot.ideas.fit import find_occasion

# Clauses end at punctuation and at "but/mais" ("no jokes, but warm").
_CLAUSES = re.compile(r"[.;!?\n]+|,\s|\s[/–—-]\s|"
                      r"\s(?:but|mais|however|cependant|et surtout|and above all)\s")
# A rule inside a clause: "OZEV grant no longer applies so dont mention grants".
_MID_RULE = re.compile(r"\b(?:dont|don't|do not|never|ne pas|jamais|sans) (?:mention|say|use|show|"
                       r"call|imply|promise|name|mentionner|dire|parler|utiliser|montrer|promettre|"
                       r"citer|nommer)\b.*$")
# "no (paid) influencer" yes; a negation 10 words before is another thought.
_MAX_GAP_WORDS = 6
# A clause that starts by ruling something out: "no ...", "pas de ...", "never ...".
RULES_OUT = re.compile(r"^\s*(?:and |et |but |mais |please |surtout |merci de |on )?"
                        r"(?:no|never|nothing|avoid|don't|do not|must not|mustn't|should never|"
                        r"rien (?:de|qui)|"
                        r"pas de|pas d'|jamais|aucune?|evitez|eviter|sans|zero|"
                        r"ne (?:jamais|pas|surtout pas|plus)|n'(?:evoquez|evoquer|utilisez|dites)|"
                        r"ne \w+ (?:pas|jamais)|dont|don t|do not|never ever|"
                        r"interdit de|hors de question de)\b")
# "Ne jamais dire que l'outil remplace les techniciens": a rule in a sentence of its own
# can be longer than "no puns".
_MAX_RULE_WORDS = 12


def clauses(text: str) -> list[tuple[int, str]]:
    """(offset, folded clause) pieces of a text, folded one char per char."""
    folded = fold_aligned(text)
    # A comma inside brackets or quotes does not end a clause: "never name competitors
    # (BambooHR, Personio)", 'must show "price includes taxes, fees extra"'.
    inside = [m.span() for m in re.finditer(r"\([^()]*\)|\"[^\"]*\"|“[^”]*”|«[^»]*»", folded)]
    out, start = [], 0
    for match in _CLAUSES.finditer(folded):
        if match.group(0).startswith(",") and any(a < match.start() < b for a, b in inside):
            continue
        out.append((start, folded[start:match.start()]))
        start = match.end()
    out.append((start, folded[start:]))
    return [(o, c) for o, c in out if c.strip()]


# "Interdit : promettre un montant, parler de gratuit", "À éviter : humour, jargon", "Avoid:":
# every part of that sentence is a rule, whatever its words.
_RULE_LABEL = re.compile(r"^\s*(?:interdits?|a eviter|eviter|avoid|attention|don'?ts|no-gos?|"
                         r"forbidden|banned|a proscrire|proscrits?|restrictions?|to avoid)\s*:\s*")
_SENTENCE = re.compile(r"[.;!?\n]+|\s/\s")


def exclusions(text: str, vocabulary: ReadingVocabulary | None = None) -> tuple[Exclusion, ...]:
    vocab = vocabulary or reading_vocabulary()
    found: dict[str, Exclusion] = {}
    folded_text = fold_aligned(text)
    starts = [0, *(m.end() for m in _SENTENCE.finditer(folded_text))]
    for offset, clause in clauses(text):
        original = text[offset:offset + len(clause)].strip()
        sentence = folded_text[max(s for s in starts if s <= offset):]
        listed = _RULE_LABEL.match(sentence)
        if listed:
            label = _RULE_LABEL.match(clause)
            if label:  # the label itself is no part of the rule
                clause = clause[label.end():]
                original = text[offset + label.end():offset + label.end() + len(clause)].strip()
        season = _season_only(clause, vocab)
        if season:
            # In the user's words ("pas seulement l'été ni le ski"), said back as written;
            # the season itself is read from them again where it matters.
            only = vocab.only_marker.search(clause)
            words = original if len(clause.split()) <= 8 or not only else \
                text[offset + only.start():offset + only.end()]
            found.setdefault("season_only", Exclusion("season_only", words))
            continue
        opted_out = _occasion_opt_out(clause, original, vocab)
        if opted_out:
            found.setdefault("occasion", Exclusion("occasion", opted_out))
        for key, marker in vocab.markers.items():
            if key not in found and marker.search(clause):
                found[key] = Exclusion(key, original)
        matched = False
        if listed:  # "À éviter : humour sur la vieillesse": the family, without a negation
            for key, pattern in vocab.exclusion.items():
                if pattern.search(clause):
                    matched = True
                    found.setdefault(key, Exclusion(key, original))
        mid = None if RULES_OUT.match(clause) or listed else _MID_RULE.search(clause)
        if mid:
            clause = clause[mid.start():]
            original = text[offset + mid.start():offset + mid.start() + len(clause)].strip()
        for negation in vocab.negation.finditer(clause):
            after = clause[negation.end():]
            window = " ".join(after.split()[:_MAX_GAP_WORDS + 2])
            for key, pattern in vocab.exclusion.items():
                if pattern.search(window):
                    matched = True
                    found.setdefault(key, Exclusion(key, original))
        if not matched and (listed or mid or RULES_OUT.match(clause)) \
                and len(clause.split()) <= _MAX_RULE_WORDS:
            # "no age stigma", "no guaranteed payouts": ruled out in the user's words.
            others = [e.text for e in found.values() if e.key == "other"]
            found["other"] = Exclusion("other", "; ".join([*others, original]))
    return tuple(found.values())


def _season_only(clause: str, vocab: ReadingVocabulary) -> str:
    """'summer' for "pas seulement l'été" / "not just a summer thing" / "hors saison"."""
    marker = vocab.only_marker.search(clause)
    if not marker:
        return ""
    for season, pattern in vocab.seasons.items():
        if pattern.search(clause):
            return season
    # "hors saison", "year-round" alone: the brief is about more than the high season,
    # which for most briefs is summer.
    return "summer"


def _occasion_opt_out(clause: str, original: str, vocab: ReadingVocabulary) -> str:
    occasion = find_occasion(original)
    if not occasion or not vocab.opt_out.search(clause):
        return ""
    occasion_at = clause.find(fold_aligned(occasion))
    cue = vocab.opt_out.search(clause)
    # The cue must come before the occasion ("fermé le Black Friday", "we skip Black Friday").
    return occasion if cue and (occasion_at < 0 or cue.start() < occasion_at) else ""
