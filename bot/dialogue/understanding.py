"""Free text the rules read with confidence: no model call for it.

With an LLM, a short message in an open conversation may be a command in plain
words, and the interpreter (bot.dialogue.llm_interpret) is asked. Not when the
rules are sure already: "I love the second one", "la 2 est trop banale" or
"more like 1 but less formal" (the feedback rules of bot.dialogue.references),
an emoji or punctuation only, or, while questions wait, a message that only
states brief facts ("tone playful, goal awareness"). Asking the model there
would cost a second and a few hundred prompt tokens to hear what the rules
already said (issue 13); only the long tail goes to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.brief.categories import category
from bot.brief.statements import bare_statements
from bot.dialogue.references import feedback_intent
from bot.kernel.intent import Intent
from bot.kernel.messages import Angle

_HAS_WORDS = re.compile(r"[^\W_]", re.UNICODE)
_ASKS_FOR_IDEAS = re.compile(r"\b(?:ideas?|idées?|idees?|angles?|pistes?|propositions?|"
                             r"brainstorm)\b",
                             re.IGNORECASE)


def has_words(text: str) -> bool:
    return bool(_HAS_WORDS.search(text))


def facts_only(text: str, *, loose: bool = False) -> dict[str, str]:
    """The fields a message states when it is nothing but field statements ("tone X, goal Y").

    Without a field word, only a very short phrase of one field's vocabulary counts
    ("décalé"); `loose` allows a few more words ("rassurant mais pas ringard").
    """
    stated = bare_statements(text)
    if not stated:
        limit = 6 if loose else 2
        if len(text.split()) > limit or _ASKS_FOR_IDEAS.search(text):
            return {}
        single = category(text)
        return {single: text.strip(" .")} if single else {}
    covered = sum(len(v) for v in stated.values())
    return stated if covered >= 0.6 * len(text.strip()) else {}


def read_offline(text: str, angles: Sequence[Angle], pending_fields: Sequence[str],
                 rules: Intent) -> Intent | None:
    """What the rules are sure `text` means (`rules`: the command table's reading of it),
    or None when only a model could tell."""
    if not has_words(text):
        return rules
    about = feedback_intent(text, angles)
    if about is not None:
        return about
    if pending_fields and facts_only(text):
        return rules  # an answer to the questions: the engine takes it as one
    return None


def asks_for_ideas(text: str) -> bool:
    """"Des idées pour la rentrée", "angles for the launch": a request of its own."""
    return bool(_ASKS_FOR_IDEAS.search(text))
