"""Rendering benchmark: one engine `Reply` -> what goes on the wire, per surface.

    python bench/bench_render.py [--rounds 200]

The replies are real: the offline engine (embedded store, no Redis, no LLM)
answers French and English briefs (angles with their checks, questions, a
glossary entry), plus one long answer of 10 angles with long texts and emoji.
Timed per answer, rendering only (the engine runs once, before):

- slack: `render_reply` -> the Block Kit dicts of every message of the answer;
- teams: `reply_activities` -> the JSON of every activity (`activity_json`),
  as the outbox sends it.

One line per surface: median and p95 microseconds per answer, over all replies.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.slack.render import render_reply  # noqa: E402
from adapters.teams.render import reply_activities  # noqa: E402
from adapters.teams.wire import activity_json  # noqa: E402
from bot.app import build_engine  # noqa: E402
from bot.kernel.messages import Angle, Message, Reply  # noqa: E402
from bot.kernel.settings import Settings  # noqa: E402

TURNS = [
    ("fr", "Marque: Gourdo\nProduit: gourde isotherme en acier recyclé\nCible: étudiants urbains\n"
           "Objectif: notoriété\nTon: ludique"),
    ("fr", "Lancement d'une bière artisanale sans alcool à Lyon pour la fête des pères"),
    ("fr", "encore"),
    ("fr", "glossaire ROI"),
    ("en", "Brand: Gourdo\nProduct: insulated bottle made of recycled steel\n"
           "Audience: urban students\nObjective: awareness\nTone: playful"),
    ("en", "Launch of a savings account for students in the UK, 3% interest"),
    ("en", "more"),
    ("en", "glossary churn"),
    ("en", "A new brief please"),
]


async def engine_replies() -> list[Reply]:
    with tempfile.TemporaryDirectory() as data:
        engine = build_engine(replace(Settings(), redis_url=None, data_dir=Path(data)))
        replies = []
        for i, (lang, text) in enumerate(TURNS):
            user = f"console:bench-{lang}"
            replies.append(await engine.handle(Message(
                text=text, user_id=user, conversation_id=f"bench-{lang}", lang=lang,  # type: ignore[arg-type]
                delivery_ids=(f"d{i}",))))
        await engine.aclose()
    return replies


def long_reply() -> Reply:
    """10 angles, long texts and emoji: the worst an LLM answer usually gets."""
    words = "Une idée 🎉 qui tient la route, avec des chiffres à vérifier et un ton léger. "
    angles = [Angle(n=n, id=f"a{n:03d}", strategy="storytelling",
                    title=f"Angle {n} ✨ " + words[:60], hook=words * 8, rationale=words * 12,
                    channel="Instagram Reels 📱",
                    to_validate=[words[:120]] * 3, strategy_name="Storytelling", why="explore")
              for n in range(1, 11)]
    intro = "**10 angles pour : une gourde** 🎯\n\n" + words * 6
    return Reply(kind="angles", lang="fr", text=intro + "\n\n" + words * 100, angles=angles,
                 intro=intro, notices=["Réponse longue : coupée en plusieurs messages."])


def slack(reply: Reply) -> object:
    return [m.blocks for m in render_reply(reply)]


def teams(reply: Reply) -> object:
    return [activity_json(a) for a in reply_activities(reply)]


def timed(render: Callable[[Reply], object], replies: list[Reply], rounds: int) -> list[float]:
    for reply in replies:  # warm caches (i18n, lru_cache)
        render(reply)
    per_answer = []
    for _ in range(rounds):
        for reply in replies:
            start = time.perf_counter()
            render(reply)
            per_answer.append((time.perf_counter() - start) * 1e6)
    return per_answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    replies = [*asyncio.run(engine_replies()), long_reply()]
    angles = sum(1 for r in replies if r.angles)
    for name, render in (("slack", slack), ("teams", teams)):
        us = sorted(timed(render, replies, args.rounds))
        with_angles = timed(render, [r for r in replies[:-1] if r.angles], args.rounds)
        long = timed(render, replies[-1:], args.rounds)
        p95 = us[int(0.95 * (len(us) - 1))]
        print(f"{name}: {len(replies)} answers x {args.rounds}: "
              f"median {statistics.median(us):.0f} us, p95 {p95:.0f} us per answer; "
              f"{angles - 1} engine answers with angles: median "
              f"{statistics.median(with_angles):.0f} us; 10 long angles: "
              f"{statistics.median(long):.0f} us")


if __name__ == "__main__":
    main()
