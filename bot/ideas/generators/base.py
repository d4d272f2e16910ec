"""The interface every angle generator implements, and what it is given."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bot.brief.brand import BrandContext
from bot.brief.model import BriefModel
from bot.kernel.messages import Angle, Lang

# Called with short progress texts ("Angle 2/5…"). A progress callback that also
# has an `async angle(angle: Angle)` method gets each angle as soon as an LLM has
# written it (a draft, to show text as it comes: see llm_progress.AngleProgress).
Progress = Callable[[str], Awaitable[None]]


class GenerationError(RuntimeError):
    """The generator could not produce a usable answer (after its own retry).

    The engine then answers with the offline generator and says so.
    """


class DeadlineReached(GenerationError):
    """The answer's overall deadline (bot.kernel.deadline) left no time for the model."""


def angle_id(strategy: str, title: str, hook: str) -> str:
    """A stable id for an angle: the same content always gets the same id."""
    digest = hashlib.blake2s(f"{strategy}\x1f{title}\x1f{hook}".encode(), digest_size=6)
    return digest.hexdigest()


@dataclass(frozen=True)
class AngleRequest:
    """Everything a generator needs for one answer.

    `strategies` are catalogue ids chosen by the engine (preferences + exploration):
    produce exactly one angle per id, in this order. `avoid_ids` are ids of angles
    the user rejected: never return one of them (vary the wording instead).
    `style` summarises learned taste, e.g. {"tone": "playful", "length": "short"}.
    `assumptions` are brand fields the engine assumed because the user said "go".
    `model` is the brief as read (sectors, market, occasion, exclusions, concerns,
    figures): generators write from it and never break its exclusions.
    """

    brief: str
    brand: BrandContext
    lang: Lang
    strategies: Sequence[str]
    seed: int = 0
    liked: Sequence[Angle] = ()
    avoid_ids: frozenset[str] = frozenset()
    avoid: Sequence[Angle] = ()  # the rejected angles we still have, as "don't repeat" examples
    style: Mapping[str, str] = field(default_factory=dict)
    history: Sequence[str] = ()
    progress: Progress | None = field(default=None, compare=False)
    model: BriefModel = field(default_factory=BriefModel)


@dataclass
class Critique:
    """A devil's-advocate review: pointed questions plus a short verdict."""

    target: str
    questions: list[str]
    summary: str = ""
    angle: Angle | None = None


class AngleGenerator(Protocol):
    name: str

    async def angles(self, request: AngleRequest) -> list[Angle]:
        """One angle per `request.strategies` id, numbered 1..n in order."""
        ...

    async def refine(self, angle: Angle, instruction: str, request: AngleRequest) -> Angle:
        """A new version of `angle` (same strategy) following `instruction`."""
        ...

    async def challenge(self, target: Angle | str, request: AngleRequest) -> Critique:
        """Devil's advocate on an angle or on the user's own idea."""
        ...
