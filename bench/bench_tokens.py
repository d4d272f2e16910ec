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
import re
import statistics
import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace

from prometheus_client.parser import text_string_to_metric_families

from bot.app import build_engine
from bot.dialogue.intents import parse
from bot.engine import Engine
from bot.kernel.messages import Lang, Message
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
BRIEFS: tuple[tuple[Lang, str, str], ...] = (
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
SCRIPT: dict[str, tuple[str, ...]] = {
    "en": ("like 2", "I love the third one", "more", "refine 1 shorter", "challenge 2",
           "the second one is too corporate", "hmm, could you push it further for TikTok?",
           "validate 1", "what do you know about my brand so far?", "shortlist",
           "more like 1 but less formal"),
    "fr": ("j'aime 2", "j'adore la troisième", "encore", "affiner 1 plus court", "challenge 2",
           "la deuxième fait trop corporate", "hmm, tu peux pousser plus loin pour TikTok ?",
           "valider 1", "tu sais quoi de ma marque pour l'instant ?", "shortlist",
           "plus comme la 1 mais moins formel"),
}
# The mention of the load benches (bench_slack, bench_teams), where issue 13 measured
# ~2,690 prompt characters (~673 tokens) for a first answer against the peer's 132.
LOAD_BENCH_MENTION = ("Brand: Gourdo\nProduct: reusable water bottle\nAudience: students\n"
                      "Objective: awareness\nTone: playful\nIdeas for the back-to-school launch?")
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
    cached: int  # characters of the longest prefix shared with any earlier prompt


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


async def run_session(engine: Engine, model: TokenCountingChatModel, lang: Lang, brief: str,
                      answer: str, seen: list[str]) -> list[Turn]:
    user = f"bench:{uuid.uuid4().hex[:8]}"
    turns: list[Turn] = []
    answered = False
    for text in (brief, answer, *SCRIPT[lang]):
        before = len(model.calls)
        await engine.handle(Message(text=text, user_id=user, conversation_id=f"{user}-dm",
                                    platform="test", lang=lang))
        turn = Turn(text, parse(text).kind in ("text", "unknown"))
        for messages in model.calls[before:]:
            prompt = prompt_text(messages)
            kind = call_kind(prompt)
            if kind == "angles":
                kind = "more" if parse(text).kind == "more" else (
                    "angles (other)" if answered else "first answer")
                answered = True
            cached = max((common_prefix(prompt, old) for old in seen), default=0)
            seen.append(prompt)
            turn.calls.append(Call(kind, prompt, count_tokens(prompt), cached))
        turns.append(turn)
    return turns


def _common(prompts: list[str]) -> str:
    common = prompts[0]
    for p in prompts[1:]:
        common = common[:common_prefix(common, p)]
    return common


def prefix_shares(prompts: list[str]) -> tuple[float, int]:
    """(the smallest share of a prompt its kind's common prefix is, that prefix in tokens)."""
    common = _common(prompts)
    return min(len(common) / len(p) for p in prompts), count_tokens(common)


_SECTION = re.compile(r"^(?:<([a-z_]+)>\n|(Sector rules|Strategies|Strategy|Brand):)",
                      re.MULTILINE)


def breakdown(prompt: str, prefix: int) -> dict[str, int]:
    """Tokens of a prompt by part: the shared prefix, then each fenced block or labelled
    section of the rest (what the floor of a first answer is made of)."""
    # The shared part, cut back to where a section starts.
    prefix = prompt.rfind("\n", 0, prefix) + 1
    while prefix > 0 and not _SECTION.match(prompt, prefix):
        prefix = prompt.rfind("\n", 0, prefix - 1) + 1
    parts: dict[str, int] = {"shared prefix": count_tokens(prompt[:prefix])}
    rest = prompt[prefix:]
    starts = [(m.start(), m.group(1) or m.group(2)) for m in _SECTION.finditer(rest)]
    edges = [*starts, (len(rest), "")]
    if starts and starts[0][0] > 0:
        parts["other"] = count_tokens(rest[:starts[0][0]])
    for (start, name), (end, _) in zip(edges, edges[1:], strict=False):
        parts[name] = parts.get(name, 0) + count_tokens(rest[start:end])
    return parts


def per_kind_metrics() -> list[str]:
    """The per-kind counters of GET /metrics (this process), one line per call kind."""
    body = metrics.exposition()[0].decode()
    calls: dict[str, float] = defaultdict(float)
    tokens: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            call = sample.labels.get("call")
            if call is None or not sample.name.endswith("_total"):
                continue
            if "outcome" in sample.labels:
                calls[call] += sample.value
            elif "direction" in sample.labels:
                tokens[call][sample.labels["direction"]] += sample.value
    return [f"  {call:<12} {calls[call]:>3.0f} calls, input {tokens[call]['input']:>6.0f}, "
            f"cached {tokens[call]['cached']:>6.0f}, output {tokens[call]['output']:>5.0f}"
            for call in calls]


async def main(args: argparse.Namespace) -> None:
    logging.disable(logging.WARNING)
    with redis_server() as url:
        prefix = f"benchtok-{uuid.uuid4().hex[:8]}"
        settings = replace(Settings(), redis_url=url, key_prefix=prefix)
        model = TokenCountingChatModel(interpretations=INTERPRETATIONS)
        engine = build_engine(settings, chat_model=model)
        sessions: list[list[Turn]] = []
        seen: list[str] = []
        try:
            for i in range(args.sessions):
                lang, brief, answer = BRIEFS[i % len(BRIEFS)]
                sessions.append(await run_session(engine, model, lang, brief, answer, seen))
            before = len(model.calls)
            await engine.handle(Message(text=LOAD_BENCH_MENTION, user_id="bench:load",
                                        conversation_id="bench:load", platform="test", lang="en"))
            load = [count_tokens(prompt_text(m)) for m in model.calls[before:]
                    if call_kind(prompt_text(m)) == "angles"]
        finally:
            await engine.aclose()
            delete_prefix(url, prefix)
    print(f"the load benches' mention (brand fields and a question in one message): first "
          f"answer {', '.join(map(str, load))} prompt tokens "
          f"({', '.join(str(t * 4) for t in load)} characters)")
    report(sessions, args.show, args.turns)


def report(sessions: list[list[Turn]], show: str | None, turns_too: bool = False) -> None:
    calls = [c for session in sessions for turn in session for c in turn.calls]
    by_kind: dict[str, list[Call]] = defaultdict(list)
    for call in calls:
        by_kind[call.kind].append(call)
    print(f"token counter: {TOKEN_COUNTER}; {len(sessions)} sessions of "
          f"{len(sessions[0])} turns (en and fr)")
    print(f"{'call':<15}{'calls':>6}{'prompt tokens':>15}{'prefix common to all':>23}"
          f"{'cacheable':>11}")
    print(f"{'':<15}{'':>6}{'median  max':>15}{'tokens  min share':>23}{'median':>11}")
    for kind in KINDS:
        group = by_kind.get(kind)
        if not group:
            continue
        tokens = [c.tokens for c in group]
        share, prefix = prefix_shares([c.prompt for c in group])
        cached = statistics.median(c.cached / len(c.prompt) for c in group)
        print(f"{kind:<15}{len(group):>6}{statistics.median(tokens):>9.0f}{max(tokens):>6}"
              f"{prefix:>12}{share:>11.0%}{cached:>11.0%}")
    first = by_kind.get("first answer", [])
    if first:
        worst = max(c.tokens for c in first)
        print(f"first answer: max {worst} prompt tokens (target <= {FIRST_ANSWER_TARGET}: "
              f"{'OK' if worst <= FIRST_ANSWER_TARGET else 'missed'}); by part:")
        common = len(_common([c.prompt for c in first]))
        for call in first:
            parts = ", ".join(f"{k} {v}" for k, v in breakdown(call.prompt, common).items())
            print(f"  {call.tokens} = {parts}")
    low = {k: round(prefix_shares([c.prompt for c in v])[0] * 100)
           for k, v in by_kind.items() if len(v) > 1}
    low = {k: v for k, v in low.items() if v < PREFIX_TARGET * 100}
    print(f"prefix common to every call of a kind >= {PREFIX_TARGET:.0%} of each prompt: "
          f"{'OK' if not low else 'missed for ' + str(low)}")
    turns = [t for s in sessions for t in s]
    free = [t for t in turns if t.free_text]
    tokens_in = sum(c.tokens for c in calls)
    cached_in = sum(count_tokens(c.prompt[:c.cached]) for c in calls)
    print(f"per 13-turn session: {len(calls) / len(sessions):.1f} LLM calls, "
          f"{tokens_in / len(sessions):.0f} prompt tokens, of which a prefix cache could serve "
          f"{cached_in / len(sessions):.0f} ({len(calls) / len(turns):.2f} calls and "
          f"{tokens_in / len(turns):.0f} prompt tokens a turn)")
    free_calls = [c for t in free for c in t.calls]
    interprets = [c for c in free_calls if c.kind == "interpret"]
    print(f"per free-text turn ({len(free)} of {len(turns)}): "
          f"{len(free_calls) / len(free):.2f} LLM calls, "
          f"{sum(c.tokens for c in free_calls) / len(free):.0f} prompt tokens; interpret: "
          f"{len(interprets)} calls, {sum(c.tokens for c in interprets) / len(free):.0f} "
          f"prompt tokens a free-text turn")
    lines = per_kind_metrics()
    print("/metrics, symbiose_llm_kind_calls_total and symbiose_llm_kind_tokens_total by call "
          "(usage as the fake provider reported it):" if lines
          else "/metrics: no per-kind counters in this build")
    for line in lines:
        print(line)
    if turns_too:
        for n, session in enumerate(sessions, 1):
            print(f"\nsession {n}:")
            for turn in session:
                said = ", ".join(f"{c.kind} {c.tokens}" for c in turn.calls) or "-"
                print(f"  {'free' if turn.free_text else 'cmd ':<5}{turn.text[:50]!r:<54}{said}")
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
