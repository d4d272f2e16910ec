"""Characters that change how text looks without being seen: bidirectional
overrides and isolates (which can make "exe.pdf" read "fdp.exe"), zero-width
spaces and joiners (which hide words from filters), and control characters.

Input is cleaned by the engine; output is cleaned again by each adapter,
because what it shows also comes from an LLM or an organisation's glossary.
"""

from __future__ import annotations

import re

INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 except tab/newline/CR, DEL, C1
    "\u061c\u180e\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


def strip_invisible(text: str) -> str:
    """`text` without bidi controls, zero-width characters and control characters."""
    return INVISIBLE.sub("", text)
