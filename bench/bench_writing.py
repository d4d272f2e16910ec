"""Writing benchmark: 20 briefs x 10 rounds of `more`, offline, and every refine kind.

    python bench/bench_writing.py [--rounds 10] [--angles 5]

Each brief (tests/writing_briefs.py, fr and en, many sectors) is one client's
conversation: a first answer then `more` nine times, strategies chosen as the
engine does (preferences + the brief's fit, avoiding the last answer's), every
hook and title shown kept in the conversation like the engine keeps them.
Prints:
- verbatim and near-verbatim (rapidfuzz ratio >= 90) repeat rates of hooks and
  titles within a conversation, and of hooks across clients;
- the share of hooks that use at least one of the brief's own concern words;
- titles that open on a bare topic and a colon ("Bottle: ..."), and rationales that
  praise the angle instead of giving a reason (both should be 0);
- exclusions broken and forbidden claims made (with the sector book, when installed);
- the diversity measure (mean pairwise similarity of an answer's hooks, and of
  each new hook to the closest one already shown);
- the share of refines that changed what was asked, each kind checked on the
  output independently of how the engine did it (bench/refine_checks.py), on
  every angle of the first answer and after a "shorter", a cut or unbalanced
  hook never counting;
- generator turn time p50/p99 (bench/bench_engine.py measures the whole engine turn).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz, process  # noqa: E402

from bench.refine_checks import REFINES, obeyed, refused_plainly  # noqa: E402
from bot.brief.brand import BrandContext, fold  # noqa: E402
from bot.brief.model import BriefModel  # noqa: E402
from bot.ideas.catalogue import Catalogue  # noqa: E402
from bot.ideas.diversity import cross_similarity, mean_similarity  # noqa: E402
from bot.ideas.exclusions import default_guard  # noqa: E402
from bot.ideas.fit import profile_brief, strategy_fit  # noqa: E402
from bot.ideas.generators.base import AngleRequest  # noqa: E402
from bot.ideas.generators.offline import OfflineGenerator  # noqa: E402
from bot.ideas.sector_book import default_sector_book  # noqa: E402
from bot.kernel.conversation import SHOWN_LINES_CAP  # noqa: E402
from bot.kernel.messages import Angle  # noqa: E402
from bot.learning.preferences import PreferenceModel  # noqa: E402
from tests.writing_briefs import BRIEFS  # noqa: E402

NEAR = 90
# Why sentences that praise the angle instead of giving a reason (the old filler).
PRAISE = re.compile(r"(?i)au sérieux, là où|takes “[^”]+” seriously|porte d'entrée|the way in\b"
                    r"|tape, cherche et prononce|types, searches and says|generic copy would")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def uses_concern(hook: str, model: BriefModel) -> bool:
    text = fold(hook)
    for concern in model.concerns:
        words = fold(concern)
        bare = words.split(" ", 1)[1] if words.split(" ", 1)[0] in (
            "le", "la", "les", "the", "a", "an") and " " in words else words
        if bare.startswith("l'"):
            bare = bare[2:]
        if bare in text:
            return True
    return False


async def conversation(gen: OfflineGenerator, catalogue: Catalogue, model: BriefModel,
                       rounds: int, k: int, seed: int) -> tuple[list[list[Angle]], list[float]]:
    lang = "fr" if model.lang == "fr" else "en"
    rng = random.Random(seed)
    prefs = PreferenceModel()
    fit = strategy_fit(profile_brief(model.text, BrandContext()))
    shown: list[tuple[str, str]] = []
    answers: list[list[Angle]] = []
    times: list[float] = []
    last: list[str] = []
    for r in range(rounds):
        strategies = prefs.choose(catalogue.ids(), k, rng, avoid=last, fit=fit)
        request = AngleRequest(brief=model.text, brand=BrandContext(), lang=lang,
                               strategies=strategies, seed=seed * 1000 + r, model=model,
                               shown=tuple(shown[-SHOWN_LINES_CAP:]))
        start = time.perf_counter()
        angles = await gen.angles(request)
        times.append(time.perf_counter() - start)
        answers.append(angles)
        shown += [(a.title, a.hook) for a in angles]
        last = strategies
    return answers, times


def repeats(lines: list[str]) -> tuple[int, int]:
    """(verbatim repeats, near-verbatim repeats) of `lines`, each against those before it."""
    verbatim = near = 0
    for i, line in enumerate(lines):
        before = lines[:i]
        if line in before:
            verbatim += 1
            near += 1
        elif before and process.extractOne(line, before, scorer=fuzz.ratio,
                                           score_cutoff=NEAR) is not None:
            near += 1
    return verbatim, near


async def main(rounds: int, k: int) -> None:
    catalogue = Catalogue.load()
    book = default_sector_book()
    gen = OfflineGenerator(catalogue)
    guard = default_guard()
    hooks_by_client: list[list[str]] = []
    all_times: list[float] = []
    totals = Counter()
    answer_div: list[float] = []
    cross_div: list[float] = []
    refine_results: Counter[str] = Counter()
    refine_fail: list[str] = []
    for i, model in enumerate(BRIEFS):
        lang = "fr" if model.lang == "fr" else "en"
        answers, times = await conversation(gen, catalogue, model, rounds, k, seed=i + 1)
        all_times += times
        hooks = [a.hook for ans in answers for a in ans]
        titles = [a.title for ans in answers for a in ans]
        hooks_by_client.append(hooks)
        v, n = repeats(hooks)
        tv, tn = repeats(titles)
        totals.update(hooks=len(hooks), hook_verbatim=v, hook_near=n, title_verbatim=tv,
                      title_near=tn, concern=sum(uses_concern(h, model) for h in hooks))
        topics = {fold(c) for c in model.concerns}
        for ans in answers:
            for a in ans:
                head = re.match(r"^([^:,«“]+?)\s?:", a.title.replace("\u00a0", " "))
                totals["label_titles"] += bool(head and fold(head.group(1)) in topics)
                totals["praise"] += bool(PRAISE.search(a.rationale))
                if guard.breaks(f"{a.title} {a.hook} {a.channel}", model, lang):
                    totals["exclusion_broken"] += 1
                if book is not None and book.violations(a.hook, model.sectors, model.market,
                                                        lang):
                    totals["forbidden_claims"] += 1
        seen: list[str] = []
        for ans in answers:
            answer_div.append(mean_similarity([a.hook for a in ans]))
            if seen:
                cross_div.append(cross_similarity([a.hook for a in ans], seen))
            seen += [a.hook for a in ans]
        # Every refine kind on every angle of the first answer (each a different strategy),
        # then again after "shorter": an earlier one-off edit must not spoil the next ask.
        base = AngleRequest(brief=model.text, brand=BrandContext(), lang=lang,
                            strategies=[a.strategy for a in answers[0]], seed=7, model=model,
                            shown=tuple((a.title, a.hook) for a in answers[0]))
        for n, angle in enumerate(answers[0]):
            starts = [("", angle)]
            if n == 0:
                starts.append(("shorter>", await gen.refine(angle, REFINES["shorter"][lang], base)))
            for chain, first in starts:
                for kind, phrases in REFINES.items():
                    start = first
                    if kind == "vouvoiement" and lang == "fr":  # from tutoiement back to vous
                        start = await gen.refine(first, "tutoiement", base)
                    refined = await gen.refine(start, phrases[lang], base)
                    ok = obeyed(kind, start, refined, model, lang)
                    refine_results[ok] += 1
                    if not ok:
                        refine_results["refused plainly"] += refused_plainly(refined)
                        refine_fail.append(f"{i}:{lang}:{chain}{kind}")
    across_v = across_n = 0
    for i, hooks in enumerate(hooks_by_client):
        others = [h for j, other in enumerate(hooks_by_client) if j != i for h in other]
        other_set = set(others)
        for h in set(hooks):
            if h in other_set:
                across_v += 1
                across_n += 1
            elif process.extractOne(h, others, scorer=fuzz.ratio, score_cutoff=NEAR):
                across_n += 1
    unique = sum(len(set(h)) for h in hooks_by_client)
    n_hooks = totals["hooks"]
    print(f"briefs {len(BRIEFS)}, rounds {rounds}, angles per answer {k}, hooks {n_hooks}"
          f" (sector book: {'yes' if book is not None else 'not installed'})")
    print(f"within a conversation: hooks verbatim {totals['hook_verbatim'] / n_hooks:.1%}, "
          f"near (ratio>={NEAR}) {totals['hook_near'] / n_hooks:.1%}; titles verbatim "
          f"{totals['title_verbatim'] / n_hooks:.1%}, near {totals['title_near'] / n_hooks:.1%}")
    print(f"across clients: hooks verbatim {across_v / unique:.1%}, near {across_n / unique:.1%}")
    print(f"hooks using a concern word of their brief: {totals['concern'] / n_hooks:.1%}")
    print(f"titles opening on a bare topic and a colon: {totals['label_titles']}; "
          f"rationales praising the angle: {totals['praise']}")
    print(f"hooks breaking an exclusion: {totals['exclusion_broken']}; "
          f"forbidden claims: {totals['forbidden_claims']}")
    print(f"diversity (mean pairwise similarity of hooks, 0-1): answer mean "
          f"{statistics.mean(answer_div):.2f} max {max(answer_div):.2f}; "
          f"new hook vs closest shown {statistics.mean(cross_div):.2f}")
    done = refine_results[True]
    total = done + refine_results[False]
    print(f"refines obeyed: {done}/{total} = {done / total:.1%} ({len(REFINES)} kinds x "
          f"{len(BRIEFS)} briefs x every angle of the first answer, and after 'shorter'; "
          f"a cut or unbalanced hook never counts); not obeyed but said plainly: "
          f"{refine_results['refused plainly']}")
    if refine_fail:
        print("  not obeyed:", ", ".join(refine_fail[:40]))
    ms = [x * 1000 for x in all_times]
    print(f"generator turn ({k} angles): p50 {percentile(ms, 50):.2f} ms, "
          f"p99 {percentile(ms, 99):.2f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--angles", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.angles))
