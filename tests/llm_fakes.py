"""Fake chat models for the whole team, built on langchain_core's fakes.

- `ScriptedChatModel(replies)`: answers with the scripted replies in order
  (a str, an AIMessage, an Exception to raise, or a callable taking the
  messages and returning a str) and records every list of messages it was sent
  in `.calls`, so tests assert on the prompt.
- `EchoAnglesChatModel(delay_s=0.0, interpretations=None)`: answers any request
  of the LLM generator (angles, refine, challenge, extract_brand, interpret)
  with valid JSON, reading the requested strategies and language from the
  prompt; sleeps `delay_s` first, to benchmark adapters with "a fake LLM that
  takes 2 s". An interpret prompt gets {"intent": "brief"}, or the answer
  `interpretations` gives for that exact message, e.g.
  `{"j'adore la deuxième": {"intent": "like", "n": 2}}`.
- `angles_json(strategies, lang)`: a valid angles answer, as text.
- `TokenCountingChatModel(...)`: an EchoAnglesChatModel that reports, like a
  provider, the tokens of each call it answers (`count_tokens`: tiktoken's
  o200k_base when it can be loaded, else about 4 characters a token) and, as
  `input_token_details.cache_read`, the tokens of the longest prefix its prompt
  shares with a prompt it was sent before: what a provider's prompt cache could
  serve. bench/bench_tokens.py measures prompts with it.

Both report token usage like a provider (`AIMessage.usage_metadata`) when given
`usage=(input_tokens, output_tokens)`: on the message, and when streaming on a
last empty chunk, as OpenAI's stream does.

Both models stream (word by word, like GenericFakeChatModel) and sleep with
asyncio, so a generator's timeout cancels them at once.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

Reply = str | AIMessage | BaseException | Callable[[list[BaseMessage]], str]

_WORDS = {
    "fr": ("Angle", "Une accroche qui parle à la cible", "Parce que cela colle au ton de la marque",
           "Publication LinkedIn", "Vérifier les chiffres cités"),
    "en": ("Angle", "A hook that speaks to the audience", "Because it fits the brand's tone",
           "LinkedIn post", "Check any figure quoted"),
}
_STRATEGY_LINE = re.compile(r"^\s*\d+\.\s*\[([^\]\s]+)\]", re.MULTILINE)
_ANGLE_HEADER = re.compile(r"^\[([^\]\s]+)\]", re.MULTILINE)
_INTERPRET = '{"intent": "<intent>"'
_READ_BRIEF = '"left_open": []'
_MESSAGE = re.compile(r"<message>\n(.*?)\n</message>", re.DOTALL)


def angle_dict(strategy: str, lang: str = "en", n: int = 1, *, tag: str = "") -> dict[str, Any]:
    angle, hook, rationale, channel, check = _WORDS.get(lang, _WORDS["en"])
    suffix = f" {tag}" if tag else ""
    return {
        "strategy": strategy,
        "title": f"{angle} {n}: {strategy}{suffix}",
        "hook": f"{hook} ({strategy}{suffix})",
        "rationale": rationale,
        "channel": channel,
        "to_validate": [check],
    }


def angles_json(strategies: Sequence[str], lang: str = "en", *, tag: str = "") -> str:
    """A valid answer to an angles prompt: one angle per strategy, in order."""
    items = [angle_dict(s, lang, n, tag=tag) for n, s in enumerate(strategies, 1)]
    return json.dumps({"angles": items}, ensure_ascii=False)


class _RecordingFake(GenericFakeChatModel):
    """GenericFakeChatModel + a record of every prompt + an async delay."""

    messages: Iterator[Any] = Field(default_factory=lambda: iter(()))
    calls: list[list[BaseMessage]] = Field(default_factory=list)
    delay_s: float = 0.0
    usage: tuple[int, int] | None = None

    def _answer(self, messages: list[BaseMessage]) -> AIMessage:
        raise NotImplementedError

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.calls.append(list(messages))
        if self.delay_s:
            time.sleep(self.delay_s)
        return self._result(messages)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.calls.append(list(messages))  # recorded first: a timed-out call still counts
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        return self._result(messages)

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        self.calls.append(list(messages))
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        result = self._result(messages)
        # Reuse GenericFakeChatModel's word-by-word chunking on a fixed result.
        chunker = GenericFakeChatModel(messages=iter([result.generations[0].message]))
        for chunk in chunker._stream(messages):
            yield chunk
            await asyncio.sleep(0)  # let other tasks run, like a real stream
        usage = result.generations[0].message.usage_metadata  # type: ignore[attr-defined]
        if usage:
            yield ChatGenerationChunk(message=AIMessageChunk(content="", usage_metadata=usage))

    def _result(self, messages: list[BaseMessage]) -> ChatResult:
        message = self._answer(messages)
        if self.usage is not None and message.usage_metadata is None:
            message = AIMessage(content=message.content, usage_metadata=self._usage())
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _usage(self) -> UsageMetadata:
        used_in, used_out = self.usage or (0, 0)
        return UsageMetadata(input_tokens=used_in, output_tokens=used_out,
                             total_tokens=used_in + used_out)

    @property
    def prompts(self) -> list[str]:
        """Each call's messages joined into one text, for `in` assertions."""
        return ["\n".join(m.text for m in call) for call in self.calls]


class ScriptedChatModel(_RecordingFake):
    def __init__(self, replies: Sequence[Reply] = (), **kwargs: Any) -> None:
        super().__init__(messages=iter(list(replies)), **kwargs)

    def _answer(self, messages: list[BaseMessage]) -> AIMessage:
        try:
            reply = next(self.messages)
        except StopIteration:
            raise AssertionError(
                f"ScriptedChatModel: no reply left for call {len(self.calls)}"
            ) from None
        if isinstance(reply, BaseException):
            raise reply
        if callable(reply) and not isinstance(reply, AIMessage):
            reply = reply(messages)
        return reply if isinstance(reply, AIMessage) else AIMessage(content=reply)


def requested_strategies(prompt: str) -> list[str]:
    """The strategy ids of an angles prompt ("1. [storytelling] ...")."""
    return _STRATEGY_LINE.findall(prompt)


def requested_lang(prompt: str) -> str:
    return "fr" if "Answer in French" in prompt else "en"


class EchoAnglesChatModel(_RecordingFake):
    interpretations: dict[str, dict[str, Any]] = Field(default_factory=dict)
    readings: dict[str, dict[str, Any]] = Field(default_factory=dict)

    def __init__(
        self,
        delay_s: float = 0.0,
        interpretations: dict[str, dict[str, Any]] | None = None,
        readings: dict[str, dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(delay_s=delay_s, interpretations=dict(interpretations or {}),
                         readings=dict(readings or {}), **kwargs)

    def reading_for(self, messages: list[BaseMessage]) -> dict[str, Any]:
        """The scripted reading of the brief in a read_brief prompt ({} for other messages)."""
        found = _MESSAGE.search("\n".join(m.text for m in messages))
        return self.readings.get(found.group(1).strip() if found else "", {})

    def _answer(self, messages: list[BaseMessage]) -> AIMessage:
        prompt = "\n".join(m.text for m in messages)
        lang = requested_lang(prompt)
        if _READ_BRIEF in prompt:
            text = json.dumps(self.reading_for(messages), ensure_ascii=False)
        elif _INTERPRET in prompt:
            found = _MESSAGE.search(prompt)
            said = found.group(1).strip() if found else ""
            meaning = self.interpretations.get(said, {"intent": "brief"})
            text = json.dumps(meaning, ensure_ascii=False)
        elif '"questions": [' in prompt:
            questions = [f"Question {i} ({lang})?" for i in range(1, 4)]
            text = json.dumps({"questions": questions, "summary": "Verdict."})
        elif '"fields": {' in prompt:
            text = json.dumps({"fields": {}})
        elif '"angle": {' in prompt:
            found = _ANGLE_HEADER.findall(prompt) or requested_strategies(prompt)
            # Tagged with the call number so each version differs from the last.
            text = json.dumps({"angle": angle_dict(found[0], lang, tag=f"v{len(self.calls)}")})
        else:
            text = angles_json(requested_strategies(prompt), lang)
        return AIMessage(content=text)


class StructuredReaderChatModel(EchoAnglesChatModel):
    """An EchoAnglesChatModel that also offers native structured output, as OpenAI and
    Anthropic chat models do: `with_structured_output(schema, method=...)` answers the
    scripted reading as a schema object and records which method was asked for."""

    methods: list[str] = Field(default_factory=list)

    def with_structured_output(self, schema: Any, *, method: str = "json_schema",
                               **kwargs: Any) -> Any:
        from langchain_core.runnables import RunnableLambda

        self.methods.append(method)

        def answer(messages: list[BaseMessage]) -> Any:
            self.calls.append(list(messages))
            return schema.model_validate(self.reading_for(messages))

        return RunnableLambda(answer)


def _tiktoken_counter() -> Callable[[str], int] | None:
    # The encoding is a file tiktoken downloads on first use; without network
    # (CI, this project's machines) it is absent and we estimate instead.
    try:
        import tiktoken

        encoding = tiktoken.get_encoding("o200k_base")
    except Exception:
        return None
    return lambda text: len(encoding.encode(text, disallowed_special=()))


_TIKTOKEN = _tiktoken_counter()
TOKEN_COUNTER = "tiktoken o200k_base" if _TIKTOKEN else "estimate: 4 characters a token"


def count_tokens(text: str) -> int:
    """Tokens of `text`: tiktoken when available, else characters / 4 rounded up
    (the estimate bot.ops.usage uses when a provider reports nothing)."""
    if _TIKTOKEN is not None:
        return _TIKTOKEN(text)
    return -(-len(text) // 4)


def prompt_text(messages: Sequence[BaseMessage]) -> str:
    """A prompt as a provider reads it, for counting: every message's text in order."""
    return "\n".join(m.text for m in messages)


def common_prefix(a: str, b: str) -> int:
    """Length of the longest prefix `a` and `b` share."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


class TokenCountingChatModel(EchoAnglesChatModel):
    """EchoAnglesChatModel reporting each call's tokens as a provider with a prompt
    cache would: input, output, and the cached prefix read (`cache_read`)."""

    seen: list[str] = Field(default_factory=list)

    def _answer(self, messages: list[BaseMessage]) -> AIMessage:
        answer = super()._answer(messages)
        if not str(answer.content).startswith('{"angles"'):
            return answer
        # Tagged with the call number, as a model writes anew each time: the same
        # strategy in the same place never repeats an angle the user rejected.
        prompt = prompt_text(messages)
        return AIMessage(content=angles_json(requested_strategies(prompt), requested_lang(prompt),
                                             tag=f"c{len(self.calls)}"))

    def _result(self, messages: list[BaseMessage]) -> ChatResult:
        message = self._answer(messages)
        prompt = prompt_text(messages)
        cached = max((common_prefix(prompt, old) for old in self.seen), default=0)
        self.seen.append(prompt)
        used_in = count_tokens(prompt)
        usage = UsageMetadata(
            input_tokens=used_in, output_tokens=count_tokens(message.text),
            total_tokens=used_in + count_tokens(message.text),
            input_token_details={"cache_read": min(used_in, count_tokens(prompt[:cached]))})
        return ChatResult(generations=[ChatGeneration(
            message=AIMessage(content=message.content, usage_metadata=usage))])


_BRIEF = re.compile(r"<brief>\n(.*?)\n</brief>", re.DOTALL)
_MARK = re.compile(r"\bMK[0-9a-f]{6,}\b")


class BriefMarkChatModel(EchoAnglesChatModel):
    """EchoAnglesChatModel whose angles carry the marker word ("MK…") of the brief
    they answer, so a test can follow one person's material wherever it is copied.
    Only the brief counts: liked examples or history in the prompt don't."""

    def _answer(self, messages: list[BaseMessage]) -> AIMessage:
        answer = super()._answer(messages)
        try:
            data = json.loads(str(answer.content))
        except ValueError:
            return answer
        if not isinstance(data, dict) or "angles" not in data:
            return answer  # not an answer to an angles prompt
        prompt = "\n".join(m.text for m in messages)
        brief = _BRIEF.search(prompt)
        mark = _MARK.search(brief.group(1)) if brief else None
        text = angles_json(requested_strategies(prompt), requested_lang(prompt),
                           tag=mark.group(0) if mark else "")
        return AIMessage(content=text)
