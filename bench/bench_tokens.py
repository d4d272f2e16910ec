"""Prompt tokens per answer on the LLM path, and per session, with a fake LLM that counts.

    python -m bench.bench_tokens [--sessions 4] [--show KIND]

Runs scripted 13-turn conversations (two in English, two in French, each on a
different brief: the same script a marketer would follow) through the real
engine on real Redis, with `TokenCountingChatModel` (tests/llm_fakes.py) in place
of a provider. It answers like EchoAnglesChatModel and reports each call's usage
as a provider with a prompt cache would. Tokens are counted with tiktoken when
its encoding can be loaded, else estimated at 4 characters a token (the measure
of issue 13, and what bot.ops.usage assumes when a provider reports nothing).

Prints, by call kind (first answer, `more`, refine, challenge, interpret,
read_brief): calls, median prompt tokens, and the cache-eligible prefix share: the
longest prefix every prompt of that kind shares, over each prompt's length (the
part a provider's prefix cache can serve, whatever the brief, user or language).
Then LLM calls and tokens per 13-turn session and per free-text turn (a turn the
command table does not read as a command; the `interpret` call included), and
the per-kind counters of /metrics when the build has them.
Targets (issue 13): first answer <= 264 prompt tokens (2x ChatGPT-in-Slack's 132),
cache-eligible prefix >= 60 % of each prompt.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace

from prometheus_client.parser import text_string_to_metric_families

from bot.app import build_engine
from bot.dialogue.intents import parse
from bot.kernel.messages import Message
from bot.kernel.settings import Settings
from bot.ops import metrics
from tests.llm_fakes import (
    TOKEN_COUNTER,
    TokenCountingChatModel,
    common_prefix,
    count_tokens,
    prompt_text,
)
from tests.redis_server import delete_prefix, redis_server

FIRST_ANSWER_TARGET = 264
PREFIX_TARGET = 0.60
KINDS = ("first answer", "more", "refine", "challenge", "interpret", "read_brief",
         "extract_brand", "angles (other)")

# (brief, answer to the questions) per session; then the same 11 turns in its language.
BRIEFS = (
    ("en", "We're launching Gourdo, an insulated bottle made of recycled steel, for urban "
           "students at back to school in September. We never name competitors.",
     "objective: awareness, tone: playful"),
    ("en", "Planwise is a resource-planning SaaS for architecture practices of 10 to 50 "
           "people in the UK; the campaign runs in Q1 with a 20% launch discount.",
     "goal is demo requests, tone expert but not boring"),
    ("fr", "Nous lançons un livret d'épargne à 4 % pour les jeunes actifs, objectif "
           "ouvertures de comptes.",
     "ton rassurant mais pas ringard"),
    ("fr", "Boulangerie Maison Pétrin : on relance notre galette des rois artisanale en "
           "janvier auprès des familles du quartier, objectif trafic en boutique, sans promo "
           "agressive.",
     "la galette des rois artisanale, ton chaleureux"),
)
SCRIPT = {
    "en": ("like 2", "I love the third one", "more", "refine 1 shorter", "challenge 2",
           "the second one is too corporate", "hmm, could you push it further for TikTok?",
           "validate 1", "what do you know about my brand so far?", "shortlist",
           "more like 1 but less formal"),
    "fr": ("j'aime 2", "j'adore la troisième", "encore", "affiner 1 plus court", "challenge 2",
           "la deuxième fait trop corporate", "hmm, tu peux pousser plus loin pour TikTok ?",
           "valider 1", "tu sais quoi de ma marque pour l'instant ?", "shortlist",
           "plus comme la 1 mais moins formel"),
}
# What a competent interpreter answers for the long tail (the fake answers "brief" otherwise).
INTERPRETATIONS = {
    "hmm, could you push it further for TikTok?": {"intent": "more"},
    "hmm, tu peux pousser plus loin pour TikTok ?": {"intent": "more"},
    "what do you know about my brand so far?": {"intent": "brand_show"},
    "tu sais quoi de ma marque pour l'instant ?": {"intent": "brand_show"},
}


@dataclass
class Call:
    kind: str
    prompt: str
    tokens: int


@dataclass
class Turn:
    text: str
    free_text: bool
    calls: list[Call] = field(default_factory=list)


def call_kind(prompt: str) -> str:
    """What an LLM call was for, from the markers of its prompt's answer format."""
    if '"left_open"' in prompt:
        return "read_brief"
    if '"intent"' in prompt:
        return "interpret"
    if '"questions"' in prompt:
        return "challenge"
    if '"fields"' in prompt:
        return "extract_brand"
    if '"angle": {' in prompt:
        return "refine"
    return "angles"


async def run_session(engine: object, model: TokenCountingChatModel, lang: str, brief: str,
                      answer: str) -> list[Turn]:
    user = f"bench:{uuid.uuid4().hex[:8]}"
    turns: list[Turn] = []
    answered = False
    for text in (brief, answer, *SCRIPT[lang]):
        before = len(model.calls)
        await engine.handle(Message(text=text, user_id=user, conversation_id=f"{user}-dm",  # type: ignore[attr-defined]
                                    platform="test", lang=lang))  # type: ignore[arg-type]
        turn = Turn(text, parse(text).kind in ("text", "unknown"))
        for messages in model.calls[before:]:
            prompt = prompt_text(messages)
            kind = call_kind(prompt)
            if kind == "angles":
                kind = "more" if parse(text).kind == "more" else (
                    "angles (other)" if answered else "first answer")
                answered = True
            turn.calls.append(Call(kind, prompt, count_tokens(prompt)))
        turns.append(turn)
    return turns


def prefix_shares(prompts: list[str]) -> tuple[float, int]:
    """(the smallest share of a prompt its kind's common prefix is, that prefix in tokens)."""
    common = prompts[0]
    for p in prompts[1:]:
        common = common[:common_prefix(common, p)]
    return min(len(common) / len(p) for p in prompts), count_tokens(common)


def per_kind_metrics() -> list[str]:
    body = metrics.exposition()[0].decode()
    lines = []
    for family in text_string_to_metric_families(body):
        if family.name.startswith("symbiose_llm"):
            for sample in family.samples:
                if sample.name.endswith("_total") and "call" in sample.labels:
                    labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
                    lines.append(f"  {sample.name}{{{labels}}} {sample.value:g}")
    return lines


async def main(args: argparse.Namespace) -> None:
    logging.disable(logging.WARNING)
    with redis_server() as url:
        prefix = f"benchtok-{uuid.uuid4().hex[:8]}"
        settings = replace(Settings(), redis_url=url, key_prefix=prefix)
        model = TokenCountingChatModel(interpretations=INTERPRETATIONS)
        engine = build_engine(settings, chat_model=model)
        sessions: list[list[Turn]] = []
        try:
            for i in range(args.sessions):
                lang, brief, answer = BRIEFS[i % len(BRIEFS)]
                sessions.append(await run_session(engine, model, lang, brief, answer))
        finally:
            await engine.aclose()
            delete_prefix(url, prefix)
    report(sessions, args.show, args.turns)


def report(sessions: list[list[Turn]], show: str | None, turns_too: bool = False) -> None:
    by_kind: dict[str, list[Call]] = defaultdict(list)
    for session in sessions:
        for turn in session:
            for call in turn.calls:
                by_kind[call.kind].append(call)
    print(f"token counter: {TOKEN_COUNTER}; {len(sessions)} sessions of "
          f"{len(sessions[0])} turns (en and fr)")
    print(f"{'call':<16}{'calls':>6}{'prompt tokens (median, max)':>30}{'common prefix':>16}"
          f"{'min share':>11}")
    for kind in KINDS:
        calls = by_kind.get(kind)
        if not calls:
            continue
        tokens = [c.tokens for c in calls]
        share, prefix = prefix_shares([c.prompt for c in calls])
        print(f"{kind:<16}{len(calls):>6}{statistics.median(tokens):>22.0f}, {max(tokens):>5}"
              f"{prefix:>14} t{share:>10.0%}")
    first = by_kind.get("first answer", [])
    if first:
        worst = max(c.tokens for c in first)
        print(f"first answer: max {worst} prompt tokens (target <= {FIRST_ANSWER_TARGET}: "
              f"{'OK' if worst <= FIRST_ANSWER_TARGET else 'missed'})")
    shares = {k: prefix_shares([c.prompt for c in v])[0] for k, v in by_kind.items()
              if len(v) > 1}
    low = {k: round(s * 100) for k, s in shares.items() if s < PREFIX_TARGET}
    print(f"cache-eligible prefix >= {PREFIX_TARGET:.0%} of each prompt: "
          f"{'OK' if not low else 'missed for ' + str(low)}")
    turns = [t for s in sessions for t in s]
    free = [t for t in turns if t.free_text]
    calls = sum(len(t.calls) for t in turns)
    tokens_in = sum(c.tokens for t in turns for c in t.calls)
    print(f"per 13-turn session: {calls / len(sessions):.1f} LLM calls, "
          f"{tokens_in / len(sessions):.0f} prompt tokens "
          f"({calls / len(turns):.2f} calls and {tokens_in / len(turns):.0f} prompt tokens a turn)")
    free_in = sum(c.tokens for t in free for c in t.calls)
    interprets = sum(1 for t in free for c in t.calls if c.kind == "interpret")
    print(f"per free-text turn ({len(free)} of {len(turns)}): "
          f"{sum(len(t.calls) for t in free) / len(free):.2f} LLM calls, "
          f"{free_in / len(free):.0f} prompt tokens; interpret calls: {interprets} "
          f"({sum(c.tokens for t in free for c in t.calls if c.kind == 'interpret')} tokens)")
    lines = per_kind_metrics()
    print("/metrics by call kind:" if lines else "/metrics: no per-kind counters in this build")
    for line in lines:
        print(line)
    if turns_too:
        for n, session in enumerate(sessions, 1):
            print(f"\nsession {n}:")
            for turn in session:
                calls = ", ".join(f"{c.kind} {c.tokens}" for c in turn.calls) or "-"
                print(f"  {'free' if turn.free_text else 'cmd ':<5}{turn.text[:50]!r:<54}{calls}")
    if show:
        sample = by_kind.get(show)
        if sample:
            print(f"\n--- one {show} prompt ({sample[0].tokens} tokens) ---\n{sample[0].prompt}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--turns", action="store_true", help="print every turn's calls")
    parser.add_argument("--show", help="print one prompt of this kind (e.g. 'first answer')")
    asyncio.run(main(parser.parse_args()))
