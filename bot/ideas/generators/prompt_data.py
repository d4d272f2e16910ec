"""User and stored text entering an LLM prompt, fenced as data.

Every piece of text the model should read but never obey (a brief, brand
fields, the conversation history, liked or rejected angles, an instruction,
a message to classify) goes into the prompt through `fence`: between
`<tag>` and `</tag>`, with anything inside that looks like a tag neutralised
(`</brief>` becomes `‹/brief>`), so that user text can neither close the fence
nor open a tag of its own. The system message says that fenced text is data
(prompts/llm_rules.yaml, added to every template by the generator).
"""

from __future__ import annotations

import re

# "<" opening a tag, a comment or a declaration, or a closing tag even with
# spaces ("< /brief>"); a lone "<" (prices, "<3", "a < b") is left as typed.
_TAG_OPENER = re.compile(r"<(?=[!?A-Za-z]|\s*/)")
_TAG_NAME = re.compile(r"[a-z][a-z_]*")
LOOKALIKE = "\u2039"  # ‹ : reads the same to a model, closes nothing


def neutralise(text: str) -> str:
    """`text` with every tag-like `<` replaced by a look-alike."""
    return _TAG_OPENER.sub(LOOKALIKE, text)


def fence(tag: str, text: str) -> str:
    """`text` as data for a prompt: `<tag>\\n…\\n</tag>`, unclosable from inside."""
    if not _TAG_NAME.fullmatch(tag):
        raise ValueError(f"not a fence tag: {tag!r}")
    return f"<{tag}>\n{neutralise(text)}\n</{tag}>"
