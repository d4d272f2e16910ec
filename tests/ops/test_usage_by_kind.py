"""What each kind of LLM call costs: the provider's usage (input, cached, output tokens)
counted by call kind in /metrics and in the turn's log line (issue 13). The fake model
reports usage like a provider with a prompt cache (tests/llm_fakes.TokenCountingChatModel)."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from bot.app import build_engine
from bot.kernel.messages import Message, Reply
from bot.kernel.settings import Settings
from bot.ops import metrics, usage
from bot.ops.meter import TurnMeter
from tests.engine_helpers import BRAND_EN, Chat
from tests.llm_fakes import TokenCountingChatModel, count_tokens, prompt_text

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape() -> Samples:
    body = metrics.exposition()[0].decode()
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(body) for s in family.samples}


def delta(after: Samples, before: Samples, name: str, **labels: str) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


async def test_tokens_are_counted_by_call_kind_with_the_cached_part(settings: Settings) -> None:
    model = TokenCountingChatModel(interpretations={
        "could you push it further?": {"intent": "more"}})
    engine = build_engine(settings, chat_model=model)
    chat = Chat(engine, lang="en")
    before = scrape()
    try:
        assert (await chat.say(BRAND_EN)).kind == "angles"
        first = len(model.calls) - 1  # the first answer is the turn's last call
        await chat.say("more")
        await chat.say("refine 1 shorter")
        await chat.say("challenge 2")
        await chat.say("could you push it further?")
    finally:
        await engine.aclose()
    after = scrape()
    kinds = ("angles", "more", "refine", "challenge", "interpret", "read_brief")
    counted = {k: delta(after, before, "symbiose_llm_kind_calls_total", call=k, outcome="ok")
               for k in kinds}
    assert counted["angles"] == 1 and counted["refine"] == 1 and counted["challenge"] == 1
    assert counted["more"] == 2 and counted["interpret"] == 1 and counted["read_brief"] == 1
    assert sum(counted.values()) == len(model.calls)
    tokens = {(k, d): delta(after, before, "symbiose_llm_kind_tokens_total", call=k, direction=d)
              for k in kinds for d in ("input", "cached", "output")}
    assert tokens["angles", "input"] == count_tokens(prompt_text(model.calls[first]))
    # A later answer repeats the system message, the brand and the brief first: a
    # provider's prompt cache serves that part.
    assert 0 < tokens["more", "cached"] < tokens["more", "input"]
    assert tokens["more", "cached"] > tokens["angles", "cached"]
    assert all(tokens[k, "output"] > 0 for k in kinds if counted[k])
    total_in = sum(tokens[k, "input"] for k in kinds)
    assert delta(after, before, "symbiose_llm_tokens_total", direction="input") == total_in


async def test_the_turn_records_the_cached_tokens() -> None:
    model = TokenCountingChatModel()
    model.callbacks = [usage.UsageCallback()]
    seen: list[usage.TurnUsage] = []

    async def reply() -> Reply:
        await model.ainvoke("the same long prompt " * 20)
        await model.ainvoke("the same long prompt " * 20 + "and a new ending")
        seen.append(usage.current.get())  # type: ignore[arg-type]
        return Reply(kind="info", text="ok", lang="en")

    await TurnMeter().run(Message(text="x", user_id="u", conversation_id="c", platform="test"),
                          reply)
    [turn] = seen
    assert turn.calls == 2
    assert turn.cached_tokens == count_tokens("the same long prompt " * 20)
    assert turn.cached_tokens < turn.input_tokens
