"""What a message asks for, as a neutral type: read by dialogue, used by generators."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

IntentKind = Literal[
    "empty", "help", "more", "angles", "go", "brand_show", "like", "dislike", "validate",
    "refine", "challenge", "shortlist", "strategies", "glossary", "forget", "yes", "no",
    "lang", "social", "ack", "greeting", "unknown", "text", "taste", "export", "brands",
]


@dataclass(frozen=True)
class Intent:
    kind: IntentKind
    n: int | None = None  # angle number, when the command names one
    arg: str = ""  # the rest: a reason, an instruction, an idea, a glossary term
    more_ns: tuple[int, ...] = ()  # further angle numbers: "like 1 and 3", "valider 1, 3 et 5"

    @property
    def numbers(self) -> tuple[int, ...]:
        return ((self.n,) if self.n is not None else ()) + self.more_ns
