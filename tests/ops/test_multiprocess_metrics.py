"""Several worker processes behind one port: with PROMETHEUS_MULTIPROC_DIR, /metrics'
exposition adds up every process's counters (prometheus_client's multiprocess mode)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

WORKER = """
from bot.ops import metrics
metrics.TURNS.labels(platform="slack", kind="angles").inc({n})
metrics.LLM_TOKENS.labels(direction="input").inc(100)
"""
SCRAPE = """
from bot.ops.metrics import exposition
print(exposition()[0].decode())
"""


def _run(code: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60, check=True)
    return done.stdout


def test_counters_of_several_workers_are_summed(tmp_path: Path) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for n in (2, 3):
        _run(WORKER.format(n=n), env)
    text = _run(SCRAPE, env)
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for family in text_string_to_metric_families(text) for s in family.samples}
    assert samples[("symbiose_turns_total", (("kind", "angles"), ("platform", "slack")))] == 5
    assert samples[("symbiose_llm_tokens_total", (("direction", "input"),))] == 200
