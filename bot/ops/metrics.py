"""The Prometheus metrics of DESIGN.md, and their text exposition for GET /metrics.

Counters live in this process's default registry. With several worker processes
behind one port, set PROMETHEUS_MULTIPROC_DIR (an empty directory shared by the
workers, wiped at deploy) and `exposition()` merges every process's files, as
prometheus_client's multiprocess mode documents; otherwise scrape each process
(each replica or pod has its own port): see docs/observability.md.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as _multiprocess

TURNS = Counter("symbiose_turns", "Turns answered, by platform and reply kind",
                ["platform", "kind"])
TURN_SECONDS = Histogram(
    "symbiose_turn_seconds", "Time to answer one turn (engine, without the platform call)",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
LLM_CALLS = Counter("symbiose_llm_calls", "Chat model calls, by outcome (ok, error)",
                    ["outcome"])
LLM_TOKENS = Counter("symbiose_llm_tokens", "Chat model tokens, by direction (input, output)",
                     ["direction"])
# By call kind: what each kind of call costs (issue 13). `call` is angles (a first
# answer), more, refine, challenge, interpret, read_brief, extract_brand or other;
# `direction` is input, cached (the part of input the provider's prompt cache served)
# or output.
LLM_KIND_CALLS = Counter("symbiose_llm_kind_calls", "Chat model calls, by call kind and outcome",
                         ["call", "outcome"])
LLM_KIND_TOKENS = Counter("symbiose_llm_kind_tokens",
                          "Chat model tokens, by call kind and direction (input, cached, output)",
                          ["call", "direction"])
LLM_FALLBACKS = Counter("symbiose_llm_fallbacks",
                        "Answers made by the offline engine instead of the LLM "
                        "(model failure or budget reached)")
REDIS_ERRORS = Counter("symbiose_redis_errors", "Store operations that failed (an outage)")
RATE_LIMITED = Counter("symbiose_rate_limited", "Messages refused by the per-user rate limit")
DUPLICATES_DROPPED = Counter("symbiose_duplicates_dropped",
                             "Redelivered platform events dropped (handled once already)")


def count_call(call: str, outcome: str, input_tokens: int, cached_tokens: int,
               output_tokens: int) -> None:
    """One model call of kind `call` into the per-kind counters."""
    LLM_KIND_CALLS.labels(call=call, outcome=outcome).inc()
    LLM_KIND_TOKENS.labels(call=call, direction="input").inc(input_tokens)
    LLM_KIND_TOKENS.labels(call=call, direction="cached").inc(cached_tokens)
    LLM_KIND_TOKENS.labels(call=call, direction="output").inc(output_tokens)


def exposition() -> tuple[bytes, str]:
    """(body, content type) of the Prometheus text format for this process, or for
    all worker processes when PROMETHEUS_MULTIPROC_DIR is set."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        _multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
