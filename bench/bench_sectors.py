"""Sector knowledge benchmark: load time of all sector and rule files, and per-call latency.

Plain script, prints its results:

    python bench/bench_sectors.py [--loads 20] [--calls 2000]

Load: `SectorBook.load()` from the YAML files, target < 100 ms: without the parse cache (first
start) and with it warm (every later start: `load_sectors()` keeps parsed YAML by content hash).
Calls: detect + market_of + checks + violations on the briefs and hooks of tests/sectors_data,
as the generator would call them once per brief and once per hook. Each latency is reported
as wall-clock and thread CPU time (the CPU time leaves out waits for a busy shared machine).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bot.brief.sectors import SectorBook  # noqa: E402

DATA = ROOT / "tests" / "sectors_data"


def _timed(fn: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.thread_time()
        fn()
        cpu.append((time.thread_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    return wall, cpu


def _report(name: str, wall: list[float], cpu: list[float]) -> None:
    def p(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    print(f"{name:<34} wall p50 {p(wall, .5):7.3f} ms  p99 {p(wall, .99):7.3f} ms  "
          f"| cpu p50 {p(cpu, .5):7.3f} ms  p99 {p(cpu, .99):7.3f} ms  "
          f"mean {statistics.fmean(wall):7.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loads", type=int, default=20)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()

    book = SectorBook.load()
    print(f"{len(book.ids())} sectors, {len(book.topic_ids())} topics")
    _report("load (all files, no parse cache)", *_timed(SectorBook.load, args.loads))
    with tempfile.TemporaryDirectory() as cache:
        SectorBook.load(cache_dir=Path(cache))  # fills the parse cache, as the first start does
        _report("load (parse cache warm)",
                *_timed(lambda: SectorBook.load(cache_dir=Path(cache)), args.loads))

    briefs = [c["brief"] for c in yaml.safe_load((DATA / "detect.yaml").read_text("utf-8"))]
    hooks = yaml.safe_load((DATA / "hooks.yaml").read_text("utf-8"))
    state = {"i": 0}

    def brief_calls() -> None:
        text = briefs[state["i"] % len(briefs)]
        state["i"] += 1
        sectors = book.detect(text)
        book.checks(sectors, book.market_of(text), "fr", text)

    def hook_call() -> None:
        hook = hooks[state["i"] % len(hooks)]
        state["i"] += 1
        book.violations(hook["text"], hook["sectors"], hook["market"], hook["lang"])

    _report("per brief: detect+market+checks", *_timed(brief_calls, args.calls))
    _report("per hook: violations", *_timed(hook_call, args.calls))


if __name__ == "__main__":
    main()
