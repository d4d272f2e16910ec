"""The bilingual dialogue table (tests/dialogue/cases.yaml), through both readers.

102 cases written by a marketer from briefs of 40+ sectors, without the source at
hand. The offline reader does not get them all right: the share is a floor that
only goes up (the misses are listed in docs/brief-reading.md, and printed here).
The ten briefs of the first marketer's report must all pass.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import build_engine
from bot.engine import Engine
from bot.kernel.settings import Settings
from tests.dialogue.table import Outcome, fold, load_cases, run_case
from tests.llm_fakes import EchoAnglesChatModel

CASES = load_cases()
# Measured: 76 of 102 offline, 92 through the LLM reader path.
# A change that reads briefs worse fails here.
OFFLINE_FLOOR = 76
LLM_PATH_FLOOR = 101
REPORTED = (  # the ten briefs of the report that opened this work (issue 8)
    "fr-banque-livret-jeunes", "en-cyber-sentinel-xdr", "en-saas-planwise-leadgen-answer",
    "fr-mutuelle-aidants-ton-seul", "en-outdoor-trailpod-q3", "en-gym-forge-urban-answer",
    "en-accounting-too-corporate", "fr-boulangerie-galette-banale",
    "fr-vin-cremant-adore-premiere", "en-wine-rose-uk-french-clause",
)


async def _run_all(engine: Engine, only: tuple[str, ...] = ()) -> list[Outcome]:
    return [await run_case(engine, case, f"table:{case['id']}") for case in CASES
            if not only or case["id"] in only]


def _report(outcomes: list[Outcome]) -> str:
    return "\n".join(f"- {o.case_id}: {' / '.join(o.problems)}" for o in outcomes if not o.ok)


@pytest.fixture
async def offline(settings: Settings) -> AsyncIterator[Engine]:
    engine = build_engine(settings)
    yield engine
    await engine.aclose()


def test_the_table_is_wide_and_well_formed() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) >= 80 and len(set(ids)) == len(ids)
    french = sum(1 for i in ids if i.startswith("fr-"))
    assert 0.35 <= french / len(ids) <= 0.65
    assert all(c["turns"] and all("say" in t for t in c["turns"]) for c in CASES)


async def test_the_reported_briefs_are_read_right(offline: Engine) -> None:
    outcomes = await _run_all(offline, REPORTED)
    assert len(outcomes) == len(REPORTED)
    assert all(o.ok for o in outcomes), _report(outcomes)


async def test_the_offline_reader_gets_most_of_the_table_right(offline: Engine) -> None:
    outcomes = await _run_all(offline)
    right = sum(o.ok for o in outcomes)
    print(f"\noffline reader: {right}/{len(outcomes)} fully right\n{_report(outcomes)}")
    assert right >= OFFLINE_FLOOR, _report(outcomes)


def _reading(case: dict[str, Any]) -> dict[str, Any]:
    """What a competent reader answers for the case's first message: the expectations
    that message states (a tone given in a later answer is not in the first reading)."""
    expect = case.get("expect") or {}
    first = fold(case["turns"][0]["say"])
    names = ("product", "brand", "audience", "objective", "tone")
    out: dict[str, Any] = {k: expect[k] for k in names
                           if k in expect and fold(expect[k]) in first}
    out["exclusions"] = [{"key": k, "text": k} for k in expect.get("exclusions", [])]
    for name in ("market", "occasion", "season"):
        if name in expect:
            out[name] = expect[name]
    out["figures"] = list(expect.get("figures", []))
    out["concerns"] = list(expect.get("concerns", []))
    return out


async def test_the_llm_reader_path_runs_the_same_table(settings: Settings) -> None:
    """Through the LLM reader, with a fake chat model that answers each first message with
    what a competent reader would take from it. This checks the path (prompt, parsing,
    merging under what the user labelled, the dialogue after it), not a model's skill."""
    readings = {c["turns"][0]["say"].strip(): _reading(c) for c in CASES}
    model = EchoAnglesChatModel(readings=readings)
    engine = build_engine(settings, chat_model=model)
    try:
        outcomes = await _run_all(engine)
    finally:
        await engine.aclose()
    right = sum(o.ok for o in outcomes)
    print(f"\nLLM reader path: {right}/{len(outcomes)} fully right\n{_report(outcomes)}")
    assert any('"left_open"' in p for p in model.prompts)  # the reader was asked
    assert right >= LLM_PATH_FLOOR, _report(outcomes)
