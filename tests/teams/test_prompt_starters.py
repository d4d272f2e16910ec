"""The Teams prompt starters (manifest commandLists, English, and fr.json) are
things the engine understands: each one, sent as Teams sends it (its title as
the message text), gets the answer it promises, in the language it is written in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.app import build_engine
from bot.kernel.messages import Message
from bot.kernel.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "teams"
# By position: brainstorm, challenge, glossary, help, taste, export, brands, forget me.
EXPECTED = ["questions", "info", "glossary", "help", "info", "info", "brand", "info"]


def _titles(lang: str) -> list[str]:
    manifest = json.loads((DEPLOY / "manifest.json").read_text(encoding="utf-8"))
    commands = manifest["bots"][0]["commandLists"][0]["commands"]
    if lang == "en":
        return [c["title"] for c in commands]
    french = json.loads((DEPLOY / "fr.json").read_text(encoding="utf-8"))
    return [french[f"bots[0].commandLists[0].commands[{i}].title"] for i in range(len(commands))]


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_each_prompt_starter_gets_the_answer_it_promises(
    settings: Settings, lang: str
) -> None:
    engine = build_engine(settings)
    try:
        replies = [await engine.handle(Message(text=title, user_id=f"teams:t:{lang}{i}",
                                               conversation_id=f"a:{lang}{i}", platform="teams",
                                               lang=lang))  # type: ignore[arg-type]
                   for i, title in enumerate(_titles(lang))]
    finally:
        await engine.aclose()
    assert [r.kind for r in replies] == EXPECTED, [(r.kind, r.text[:60]) for r in replies]
    assert all(r.lang == lang for r in replies)
    glossary = replies[2].glossary
    assert glossary is not None and glossary.id == "symbiotic-ai"
