"""Angles shown as the model writes them: complete objects read from an
unfinished JSON answer, and handed over one by one, in order, by the LLM
generator (langchain's fake chat model streaming a scripted answer)."""

from __future__ import annotations

from typing import Any

from bot.brief.brand import BrandContext
from bot.ideas.catalogue import Catalogue
from bot.ideas.generators.base import AngleRequest
from bot.ideas.generators.llm import LLMGenerator
from bot.ideas.generators.llm_drafts import complete_objects
from bot.kernel.messages import Angle
from tests.llm_fakes import EchoAnglesChatModel


def test_complete_objects_take_only_what_is_finished() -> None:
    text = '```json\n{"angles": [{"title": "A", "x": [1, 2]}, {"title": "B"}, {"title": "C'
    assert complete_objects(text) == [{"title": "A", "x": [1, 2]}, {"title": "B"}]
    assert complete_objects('{"angles": [') == []
    assert complete_objects('[{"title": "bare list"}, ') == [{"title": "bare list"}]
    assert complete_objects('{"summary": "no angles"}') == []
    # A brace inside a string does not end the object early.
    assert complete_objects('{"angles": [{"title": "a } b"}') == [{"title": "a } b"}]


class Collector:
    """A progress callback that can also show angles, as an adapter's is."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    async def __call__(self, text: str) -> None:
        self.events.append(("text", text))

    async def angle(self, angle: Angle) -> None:
        self.events.append(("angle", angle))


async def test_the_generator_hands_over_each_angle_in_order_as_it_is_written() -> None:
    catalogue = Catalogue.load()
    generator = LLMGenerator(EchoAnglesChatModel(), catalogue=catalogue)
    strategies = catalogue.ids()[:4]
    collector = Collector()
    request = AngleRequest(brief="launch of a bottle", brand=BrandContext(), lang="en",
                           strategies=strategies, progress=collector)
    final = await generator.angles(request)

    drafts = [a for kind, a in collector.events if kind == "angle"]
    assert [a.n for a in drafts] == [1, 2, 3, 4]
    assert [(a.id, a.title, a.hook) for a in drafts] == [(a.id, a.title, a.hook) for a in final]
    # Each angle is handed over as soon as it is complete, before the next one is written.
    kinds = [kind if kind == "angle" else value for kind, value in collector.events]
    assert kinds == ["Angle 1/4…", "angle", "Angle 2/4…", "angle", "Angle 3/4…", "angle",
                     "Angle 4/4…", "angle"]


async def test_a_plain_progress_callback_gets_texts_only() -> None:
    catalogue = Catalogue.load()
    generator = LLMGenerator(EchoAnglesChatModel(), catalogue=catalogue)
    texts: list[str] = []

    async def progress(text: str) -> None:
        texts.append(text)

    request = AngleRequest(brief="x", brand=BrandContext(), lang="fr",
                           strategies=catalogue.ids()[:3], progress=progress)
    assert len(await generator.angles(request)) == 3
    assert texts == ["Angle 1/3…", "Angle 2/3…", "Angle 3/3…"]
