"""A local fake of OpenAI's Chat Completions API over real HTTP.

The bot's real provider client (langchain-openai's ChatOpenAI -> openai SDK ->
httpx) talks to it through `base_url`, so a benchmark pays for the whole
client stack, connection handling included, and not for an in-process fake.
Each request waits `delay_s`, then answers what `EchoAnglesChatModel` would
(valid angles JSON, a brief reading, an intent...), streamed as server-sent
events when asked (`"stream": true`), with a `usage` block as OpenAI sends it.

It counts requests and the TCP connections they came on (`stats()`), so a
test or a bench can tell whether the client reuses its connections.

Run alone:  python -m tests.fake_openai --port 8099 --delay 1.0
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import time
from typing import Any

from aiohttp import web
from langchain_core.messages import AIMessage, BaseMessage, convert_to_messages

from tests.llm_fakes import EchoAnglesChatModel

USAGE = {"prompt_tokens": 600, "completion_tokens": 150, "total_tokens": 750,
         "prompt_tokens_details": {"cached_tokens": 0}}


class FakeOpenAI:
    def __init__(self, *, delay_s: float = 1.0) -> None:
        self.delay_s = delay_s
        self.requests = 0
        self.in_flight = 0
        self.peak_in_flight = 0
        self._connections: set[tuple[str, int]] = set()
        self._echo = EchoAnglesChatModel()
        # Raw request -> (answer, model, stream, usage asked): a burst repeats the same
        # prompt a thousand times, and the fake must not be what the bench measures.
        self._answers: dict[bytes, tuple[str, str, bool, bool]] = {}
        self._runner: web.AppRunner | None = None
        self.url = ""

    @property
    def base_url(self) -> str:
        """What OPENAI_BASE_URL / ChatOpenAI(base_url=...) takes."""
        return f"{self.url}/v1"

    def stats(self) -> dict[str, int]:
        return {"requests": self.requests, "connections": len(self._connections),
                "peak_in_flight": self.peak_in_flight}

    async def start(self, *, port: int = 0) -> FakeOpenAI:
        # A connection per waiting client: a burst of 1,000 must not queue in the backlog.
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", self._completions)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port, backlog=2048)
        await site.start()
        bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{bound}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _completions(self, request: web.Request) -> web.StreamResponse:
        peer = request.transport.get_extra_info("peername") if request.transport else None
        if peer:
            self._connections.add((str(peer[0]), int(peer[1])))
        raw = await request.read()
        key = hashlib.sha1(raw).digest()
        known = self._answers.get(key)
        if known is None:
            body = json.loads(raw)
            known = self._answers[key] = (
                self.answer(body.get("messages") or []), str(body.get("model") or "gpt-fake"),
                bool(body.get("stream")),
                bool((body.get("stream_options") or {}).get("include_usage")),
            )
        text, model, stream, usage = known
        self.requests += 1
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay_s)
        finally:
            self.in_flight -= 1
        if stream:
            return await self._stream(request, text, model, usage=usage)
        return web.json_response({
            "id": f"chatcmpl-{self.requests}", "object": "chat.completion",
            "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": text}}],
            "usage": USAGE,
        })

    def answer(self, messages: list[dict[str, Any]]) -> str:
        """What EchoAnglesChatModel answers to the same prompt."""
        parsed: list[BaseMessage] = convert_to_messages(
            [{"role": m.get("role", "user"), "content": _text(m.get("content"))}
             for m in messages]
        )
        reply: AIMessage = self._echo._answer(parsed)
        return str(reply.content)

    async def _stream(self, request: web.Request, text: str, model: str, *,
                      usage: bool) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        base = {"id": f"chatcmpl-{self.requests}", "object": "chat.completion.chunk",
                "created": int(time.time()), "model": model}
        # A few chunks, as a provider sends tokens: the client's parsing is exercised.
        step = max(1, len(text) // 4)
        parts = [text[i:i + step] for i in range(0, len(text), step)]
        for i, part in enumerate(parts):
            delta = {"role": "assistant", "content": part} if i == 0 else {"content": part}
            await _event(response, {**base, "choices": [
                {"index": 0, "delta": delta, "finish_reason": None}]})
        await _event(response, {**base, "choices": [
            {"index": 0, "delta": {}, "finish_reason": "stop"}]})
        if usage:
            await _event(response, {**base, "choices": [], "usage": USAGE})
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response


async def _event(response: web.StreamResponse, data: dict[str, Any]) -> None:
    await response.write(b"data: " + json.dumps(data).encode() + b"\n\n")


def _text(content: Any) -> str:
    if isinstance(content, list):  # content parts
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return str(content or "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--delay", type=float, default=1.0)
    args = parser.parse_args()

    async def serve() -> None:
        fake = await FakeOpenAI(delay_s=args.delay).start(port=args.port)
        print(fake.base_url, flush=True)
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
