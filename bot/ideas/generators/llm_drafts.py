"""The angles a model has finished writing so far, read from its unfinished
JSON answer, so an adapter can show each angle as soon as it is written.

Only complete objects count: the k-th object of the `angles` array is taken
once its closing brace has arrived. A draft is a preview; the answer that
follows is the validated, possibly reordered one.
"""

from __future__ import annotations

import json
import re
from typing import Any

_ANGLES_ARRAY = re.compile(r'"angles"\s*:\s*\[')
_SEPARATORS = " \t\r\n,"


def complete_objects(text: str) -> list[dict[str, Any]]:
    """The complete objects at the start of the answer's angle array (or of a bare list)."""
    found = _ANGLES_ARRAY.search(text)
    if found is not None:
        at = found.end()
    else:
        bare = text.find("[")
        if bare < 0 or "{" in text[:bare]:
            return []
        at = bare + 1
    decoder = json.JSONDecoder()
    objects: list[dict[str, Any]] = []
    while True:
        while at < len(text) and text[at] in _SEPARATORS:
            at += 1
        if at >= len(text) or text[at] != "{":
            return objects
        try:
            value, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError:
            return objects  # not finished yet
        if not isinstance(value, dict):
            return objects
        objects.append(value)
