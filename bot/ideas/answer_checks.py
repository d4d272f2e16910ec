"""The checks of one answer: what applies to every angle is said once, each angle keeps its own.

A check found on every angle of an answer (a market rule, a sector's labelling
rule) is taken off the angles and said once in the answer's text; each angle
then keeps at most MAX_PER_ANGLE of its own, in the order the generator gave
(most important first). Works the same for every generator.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.kernel.messages import Angle

MAX_PER_ANGLE = 3


def _key(check: str) -> str:
    return " ".join(check.casefold().split()).rstrip(".")


def factor_checks(angles: Sequence[Angle], *, keep: int = MAX_PER_ANGLE) -> list[str]:
    """Take the checks shared by every angle off them; return those, in first-seen order."""
    common: list[str] = []
    if len(angles) >= 2:
        shared = set.intersection(*({_key(c) for c in a.to_validate} for a in angles))
        seen: set[str] = set()
        for check in angles[0].to_validate:
            key = _key(check)
            if key in shared and key not in seen:
                seen.add(key)
                common.append(check)
    gone = {_key(c) for c in common}
    for angle in angles:
        own = [c for c in angle.to_validate if _key(c) not in gone]
        angle.to_validate = list(dict.fromkeys(own))[:keep]
    return common
