"""What a user means: a table of French/English command patterns -> `Intent`.

A table rather than an `if text == ...` chain, so adding a synonym is one line.
Patterns match the folded text (lower case, no accents, one space), so
"Stratégies", "strategies" and "STRATEGIES" are the same command.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from bot.brief.brand import fold
from bot.kernel.intent import Intent, IntentKind

_ART = r"(?:#|n°|no\.?|number|numero|la|le|les|l'|the|angles?|idees?|ideas?|options?|pistes?)"
_N = (rf"\s*{_ART}?\s*#?(\d{{1,3}}(?:\s*(?:,|et|and|&|ni|nor)\s*{_ART}?\s*#?\d{{1,3}})*)"
      r"[ !.]*")
_TAIL = r"(?:\s*[:,-]?\s*(.*))?"
_END = r"[ !.]*"
# (intent, verbs, what may follow). A verb must end where a word ends, so that
# "challenger" is never read as "challenge" + "r" (emoji verbs like 👍 still work).
_TABLE: tuple[tuple[IntentKind, str, str], ...] = (
    ("help", r"/?help|/?aide|\?|commands|commandes|menu", ""),
    ("more", r"more|more please|encore|encore une fois|again|another|more ideas|more angles|"
             r"other ideas|other angles|new ones|autres?|d'autres|d'autres idees|"
             r"d'autres angles|encore des idees|encore des angles|plus d'idees|autre chose|"
             r"next|suivant|la suite", _END),
    ("angles", r"angles|ideas|idees|propose|proposals|propositions|brainstorm|ideate", _END),
    ("go", r"go|go anyway|go ahead|just go|vas-y|vas y|vas-y quand meme|allez|allez-y|"
           r"allons-y|c'est parti|fonce|skip|passe|je ne sais pas|je sais pas|jsp|"
           r"aucune idee|peu importe|comme vous voulez|comme tu veux|a vous de voir|"
           r"i don'?t know|idk|no idea|whatever|whatever works|you choose|up to you|"
           r"dunno|not sure",
     r"(?:[ ,]+(?:whatever(?: works)?|up to you|you choose|peu importe|comme vous voulez))?"
     + _END),
    ("brands", r"brands|marques|my brands|mes marques|all brands|toutes les marques|"
               r"channel brands|marques des canaux|my channels|mes canaux", ""),
    ("taste", r"taste|my taste|mes gouts|gouts|my preferences|mes preferences|preferences|"
              r"what have you learned|what did you learn|qu'as-tu appris|"
              r"qu'avez-vous appris", r"[ ?!.]*"),
    ("export", r"export|exporter|exporte|export the shortlist|exporter la selection|"
               r"export shortlist|download|telecharger", _END),
    ("brand_show", r"brand|marque|my brand|ma marque|profile|profil|brand profile|"
                   r"contexte|context", ""),
    ("like", r"like|i like|i love|j[' ]?aime|aime|love|j[' ]?adore|adore|\+1|👍", _N),
    ("dislike", r"dislike|je n[' ]?aime pas|j[' ]?aime pas|n[' ]?aime pas|i don'?t like|"
                r"i do not like|don'?t like|not a fan of|pas fan de|pas fan du|pas fan des|"
                r"reject|rejeter|rejette|-1|👎", _N + _TAIL),
    ("validate", r"validate|validated|valide|valider|je valide|on valide|approve|keep|"
                 r"let's keep|garder|garde|je garde|on garde|retenir|retiens|✅", _N),
    ("refine", r"refine|affine|affiner|rework|retravaille|retravailler|tweak|ajuste|ajuster",
     f"(?:{_N})?" + _TAIL),
    # "plus court", "more playful": a refinement without its verb (the number is asked).
    ("refine", r"(?:un peu |a bit |much |bien )?(?:plus|more|moins|less)\s+[a-z'-]+|shorter|longer|"
               r"funnier|bolder|punchier|simpler|en une phrase|in one sentence|one-liner",
     r"(?:\s+[a-z'-]+)?(?P<bare>)"),
    ("challenge", r"challenge|challenger|critique|critiquer|devil's advocate|play devil's advocate|"
                  r"joue l'avocat du diable|fais l'avocat du diable|poke holes(?: in)?|"
                  r"avocat du diable|conteste|contester", _TAIL),
    ("shortlist", r"shortlist|short-list|short list|selection|ma selection|my shortlist|"
                  r"favoris|favorites|validated|valides|retenus", ""),
    ("strategies", r"strategies|strategy|strategie|catalogue|catalog|list strategies|"
                   r"liste des strategies", ""),
    ("glossary", r"/?glossary|/?glossaire|/?lexique|define|definis|definir|definition",
     r"(?:\s+(.*))?"),
    ("forget", r"forget me|forget my data|delete my data|erase my data|oublie-moi|"
               r"oublie moi|oubliez-moi|efface mes donnees|supprime mes donnees|"
               r"supprimer mes donnees",
     # "forget me, yes": asked and confirmed in one message.
     r"(?:[ ,.!-]*(?:stp|svp|please)?[ ,.!-]*(?P<confirmed>yes|oui|i confirm|je confirme|"
     r"confirme|confirmed))?" + _END),
    ("yes", r"yes|y|oui|o|confirm|confirmer|je confirme|i confirm|sure|d'accord", _END),
    ("no", r"no|n|non|cancel|annuler|annule|nope|stop", _END),
    ("lang", r"english|in english|en anglais|francais|en francais|in french|french", ""),
    ("social", r"merci|merci beaucoup|thanks|thank you|thx|au revoir|bye|a plus",
     # Thanks may run on ("merci pour ces idées") as long as it asks for nothing.
     r"(?:\s+[^\d?]{0,40})?" + _END),
    ("ack", r"ok|okay|d'ac|dac|cool|super|top|parfait|perfect|great|genial|nice|noted|note",
     _END),
    ("greeting", r"salut|hello|hi|hey|bonjour|bonsoir|coucou|yo",
     r"(?:\s+(?:there|all|everyone|team|symbiose|tout le monde|a tous|a toutes))?" + _END),
)
# "la 2 me plaît", "#3 is great": the number first, the verdict after.
_VERDICT_WORDS: tuple[tuple[IntentKind, str], ...] = (
    ("dislike", r"ne me plait pas|me plait pas|est nulle?|est bof|bof|is bad|is weak|"
                r"is meh|sucks"),
    ("like", r"me plait|me plait bien|est (?:top|super|geniale?|parfaite?|tres bien|bien)|"
             r"is (?:great|good|perfect|nice|the best)|rocks"),
)
_VERDICTS = tuple(
    (kind, re.compile(r"(?:la|le|l'|the|angle|idee|idea|option|piste|n°|#)?\s*#?(\d{1,3})\s+"
                      rf"(?:{verdict})[ !.]*$"))
    for kind, verdict in _VERDICT_WORDS
)
_COMPILED = tuple(
    (kind, re.compile(f"(?:{verbs})(?![^\\W\\d_]){tail}$")) for kind, verbs, tail in _TABLE
)
# Every command word, for "did you mean" on a typo (short words would match anything).
_COMMAND_WORDS = sorted({
    word
    for _, verbs, _ in _TABLE
    for alt in verbs.split("|")
    if len(word := alt.replace("/?", "").split(" ")[0]) >= 3 and re.fullmatch(r"[a-z'-]+", word)
})


def normalise(text: str) -> str:
    return fold(text.replace("’", "'").replace("`", "'"))


def parse(text: str) -> Intent:
    """The intent of one message. Free text that is no command is a brief ("text")."""
    folded = normalise(text)
    if not folded:
        return Intent("empty")
    for kind, pattern in _COMPILED:
        match = pattern.match(folded)
        if match:
            return _build(kind, match, text)
    for kind, pattern in _VERDICTS:
        match = pattern.match(folded)
        if match:
            return Intent(kind, n=int(match.group(1)))
    # A lone word, a slash command, or two or three words with a number ("jaime
    # deux 2", "lke 3") is a mistyped command, not a brief.
    words = folded.split()
    if folded.startswith("/") or (len(words) == 1 and len(folded) <= 24) or (
        len(words) <= 3 and any(w.isdigit() for w in words)
    ):
        return Intent("unknown", arg=text.strip())
    return Intent("text", arg=text.strip())


def _build(kind: IntentKind, match: re.Match[str], original: str) -> Intent:
    groups = [g for g in match.groups()]
    if kind in ("like", "validate"):
        return _numbered(kind, groups[0])
    if kind == "refine" and "bare" in match.re.groupindex:
        return Intent(kind, arg=original.strip())
    if kind in ("dislike", "refine"):
        return _numbered(kind, groups[0], arg=_original_tail(original, groups[1]))
    if kind == "forget":
        return Intent(kind, arg="confirmed" if match.group("confirmed") else "")
    if kind == "challenge":
        rest = _original_tail(original, groups[0])
        if rest.strip().lstrip("#").isdigit():
            return Intent(kind, n=int(rest.strip().lstrip("#")))
        return Intent(kind, arg=rest)
    if kind == "glossary":
        return Intent(kind, arg=_original_tail(original, groups[0]))
    if kind == "lang":
        return Intent(
            kind, arg="en" if "engl" in match.group(0) or "anglais" in match.group(0) else "fr"
        )
    return Intent(kind)


def _numbered(kind: IntentKind, numbers: str | None, arg: str = "") -> Intent:
    found = [int(x) for x in re.findall(r"\d{1,3}", numbers or "")]
    if not found:
        return Intent(kind, arg=arg)
    return Intent(kind, n=found[0], arg=arg, more_ns=tuple(found[1:]))


def _original_tail(original: str, folded_tail: str | None) -> str:
    """The user's own words (accents and case kept) for a folded tail we matched."""
    if not folded_tail:
        return ""
    stripped = original.strip()
    # Folding keeps length for Latin text, so the tail sits at the same end.
    tail = stripped[len(stripped) - len(folded_tail):]
    return tail if normalise(tail) == folded_tail else folded_tail


def suggest(text: str) -> str | None:
    """The command the user probably meant ("lkike 2" -> "like 2"), or None.

    Only the first word is corrected, and only if the result is a real command.
    """
    words = normalise(text).split()
    if not words:
        return None
    found = process.extractOne(words[0], _COMMAND_WORDS, scorer=fuzz.ratio, score_cutoff=70)
    if found is None or found[0] == words[0]:
        return None
    fixed = " ".join([found[0], *text.split()[1:]])
    return fixed if parse(fixed).kind not in ("text", "unknown") else None


def likely_typo(text: str, intent: Intent) -> str | None:
    """A correction worth proposing for text the rules did not understand.

    A short message with a number ("afiner 2 plus court") or of one or two words
    ("hepl", "glosary SEO") is checked; a real brief never is.
    """
    words = text.split()
    short = len(words) <= 2 or (len(words) <= 6 and any(w.isdigit() for w in words))
    if intent.kind == "unknown" or (intent.kind == "text" and short):
        return suggest(text)
    return None
