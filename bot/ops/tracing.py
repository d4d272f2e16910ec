"""Optional traces of LLM calls, off by default (SYMBIOSE_LLM_TRACING).

- `langsmith`: langchain's own LangSmith tracer; it reads LANGSMITH_TRACING=true,
  LANGSMITH_API_KEY and LANGSMITH_PROJECT from the environment itself, so this
  module adds nothing for it.
- `otel`: one OpenTelemetry span per model call ("symbiose.llm", with the model's
  name, outcome and token counts, never the prompt or the answer), through the
  global tracer provider: run the bot under `opentelemetry-instrument` (or any
  SDK setup) with the usual OTEL_* variables to export them. Needs the
  `symbiose[tracing]` extra (opentelemetry-api).
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage
from langchain_core.outputs import LLMResult

log = logging.getLogger(__name__)


class OtelLLMSpans(BaseCallbackHandler):
    run_inline = True

    def __init__(self, tracer: Any) -> None:
        self._tracer = tracer
        self._spans: dict[UUID, Any] = {}

    def on_chat_model_start(self, serialized: dict[str, Any],
                            messages: list[list[BaseMessage]], *, run_id: UUID,
                            **kwargs: Any) -> None:
        span = self._tracer.start_span("symbiose.llm")
        name = (kwargs.get("metadata") or {}).get("ls_model_name") or (serialized or {}).get(
            "name", "")
        span.set_attribute("gen_ai.request.model", str(name))
        self._spans[run_id] = span

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        span = self._spans.pop(run_id, None)
        if span is None:
            return
        for batch in response.generations:
            for gen in batch:
                meta = getattr(getattr(gen, "message", None), "usage_metadata", None) or {}
                if meta:
                    span.set_attribute("gen_ai.usage.input_tokens", int(meta["input_tokens"]))
                    span.set_attribute("gen_ai.usage.output_tokens", int(meta["output_tokens"]))
        span.set_attribute("symbiose.llm.outcome", "ok")
        span.end()

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        span = self._spans.pop(run_id, None)
        if span is None:
            return
        from opentelemetry.trace import Status, StatusCode

        span.set_attribute("symbiose.llm.outcome", "error")
        span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        span.end()


def tracing_callbacks(mode: str | None) -> list[BaseCallbackHandler]:
    """The callback handlers for SYMBIOSE_LLM_TRACING's value."""
    mode = (mode or "").strip().lower()
    if not mode or mode in ("0", "off", "none"):
        return []
    if mode == "langsmith":
        return []  # langchain's tracer attaches itself from the LANGSMITH_* variables
    if mode == "otel":
        try:
            from opentelemetry import trace
        except ImportError:
            log.warning("SYMBIOSE_LLM_TRACING=otel needs opentelemetry-api "
                        "(pip install 'symbiose[tracing]'); no traces")
            return []
        return [OtelLLMSpans(trace.get_tracer("symbiose"))]
    log.warning("SYMBIOSE_LLM_TRACING=%r is not one of langsmith, otel; no traces", mode)
    return []
