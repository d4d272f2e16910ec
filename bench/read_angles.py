"""Print offline angles for real briefs, read by the real reader, to read them as a marketer would.

    python bench/read_angles.py [--rounds 3] [--seed 1] [name ...]

The briefs are those of tests/test_writing_reading.py (a QA's briefs: B2B SaaS,
a nasal spray, a bistrot, a €38,000 watch, a haulier recruiting, a cider, a
protein bar, a mortgage broker, a barber, pet insurance, a water bottle, a cat
shelter). Each is read by `read_brief`, then answered `--rounds` times as `more`
would (strategies rotating, shown lines remembered). Every title, hook, why and
channel is printed, then the lines that came back word for word and the hook
openings shared inside one answer. Numbers say little here: read the lines.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.brief.brand import BrandContext  # noqa: E402
from bot.brief.reader import read_brief  # noqa: E402
from bot.ideas.catalogue import Catalogue  # noqa: E402
from bot.ideas.exclusions import default_guard  # noqa: E402
from bot.ideas.generators.base import AngleRequest  # noqa: E402
from bot.ideas.generators.offline import OfflineGenerator  # noqa: E402
from tests.test_writing_reading import BRIEFS  # noqa: E402


async def main(names: list[str], rounds: int, seed: int) -> None:
    catalogue = Catalogue.load()
    gen = OfflineGenerator(catalogue)
    ids = catalogue.ids()
    lines: Counter[str] = Counter()
    shared_openings = 0
    for name in names:
        lang, text = BRIEFS[name]
        model = read_brief(text, lang)
        ruled_out = default_guard().strategies_ruled_out(model)
        usable = [s for s in ids if s not in ruled_out]
        print(f"\n######## {name} ({lang}) topics={model.concerns} ruled out={sorted(ruled_out)}")
        shown: list[tuple[str, str]] = []
        for r in range(rounds):
            start = (r * 5 + seed) % len(usable)
            strategies = [usable[(start + i) % len(usable)] for i in range(5)]
            angles = await gen.angles(AngleRequest(
                brief=model.text, brand=BrandContext(), lang=lang, strategies=strategies,
                seed=seed * 100 + r, model=model, shown=tuple(shown[-60:])))
            shown += [(a.title, a.hook) for a in angles]
            firsts = [a.hook.split(" ", 1)[0].casefold() for a in angles]
            shared_openings += len(firsts) - len(set(firsts))
            for a in angles:
                print(f"[{a.strategy}] {a.title}\n   > {a.hook}\n   why: {a.rationale}"
                      f"\n   channel: {a.channel}")
                lines.update([a.title, a.hook])
    again = {line: n for line, n in lines.items() if n > 1}
    print(f"\nlines shown more than once: {len(again)}; hook openings shared inside an answer: "
          f"{shared_openings}")
    for line, n in sorted(again.items(), key=lambda x: -x[1])[:20]:
        print(f"  {n}x {line}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help=f"briefs to read (default all): {sorted(BRIEFS)}")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(main(args.names or list(BRIEFS), args.rounds, args.seed))
