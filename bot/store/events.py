"""The feedback log's entry format (one Stream field per decision).

A Stream node holds 4 KB; entries of about 30 bytes let a heavy user's 100
latest decisions fit in one node: one letter per action, the angle id in base64.
"""

from __future__ import annotations

import base64

_CODES = {"like": "L", "dislike": "D", "validate": "V", "refine": "R", "challenge": "C",
          "like-answer": "l", "dislike-answer": "d"}
_ACTIONS = {code: action for action, code in _CODES.items()}


def encode_event(action: str, strategy: str, angle_id: str, note: str) -> str:
    """"L|humour|<8-char id>[|note]": the 12-hex-digit angle id travels as base64."""
    packed = _b64_id(angle_id)
    fields = [_CODES.get(action, action), strategy, packed] + (
        [note.replace("|", "/")] if note else []
    )
    return "|".join(fields)


def decode_event(fields: dict[str, str]) -> dict[str, str]:
    """A feedback log entry as named fields: action, strategy, angle id, note."""
    code, strategy, packed, note = (fields.get("e", "").split("|", 3) + ["", "", "", ""])[:4]
    return {"a": _ACTIONS.get(code, code), "s": strategy, "id": _hex_id(packed), "x": note}


def _b64_id(angle_id: str) -> str:
    try:
        return base64.urlsafe_b64encode(bytes.fromhex(angle_id)).decode() if len(angle_id) == 12 \
            else angle_id
    except ValueError:
        return angle_id


def _hex_id(packed: str) -> str:
    try:
        return base64.urlsafe_b64decode(packed).hex() if len(packed) == 8 else packed
    except ValueError:
        return packed
