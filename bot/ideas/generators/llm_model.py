"""Turning SYMBIOSE_MODEL into a langchain chat model, with errors a person can act on."""

from __future__ import annotations

import re
from typing import Any

from langchain_core.language_models import BaseChatModel
from pydantic import ValidationError

from bot.kernel.secrets import mask_secrets

_PIP = re.compile(r"pip install ([\w.\[\]-]+)")
# How langchain says it does not know the provider (other ValueErrors, e.g. a
# pydantic ValidationError for a missing key, come from the provider itself).
_UNKNOWN = re.compile(r"infer model provider|Unsupported (?:model_)?provider", re.I)
EXAMPLES = (
    "openai:gpt-4o-mini, anthropic:claude-sonnet-4-5, ollama:llama3.1, "
    "mistralai:mistral-large-latest"
)


# Providers whose langchain class talks through the openai SDK (its http_async_client).
_OPENAI_SDK = frozenset({"openai", "azure_openai"})
# LLM calls in flight at once per process: a burst of 1,000 mentions is up to 1,000.
LLM_CONNECTIONS = 1000
# Idle connections kept this long, so the next burst (or a brief's second call)
# finds them open instead of paying a new TCP and TLS handshake each.
LLM_KEEPALIVE_S = 30.0


class ModelConfigError(ValueError):
    """SYMBIOSE_MODEL cannot be used; the message says how to fix it."""


def redact(text: str) -> str:
    """Mask anything that looks like a key or token before it reaches a log
    (a provider's message may echo a key in no recognisable shape: aggressive)."""
    return mask_secrets(text, aggressive=True)


def make_chat_model(model: str) -> BaseChatModel:
    """The chat model named by a langchain model string ("provider:model")."""
    spec = model.strip()
    if not spec or spec.lower() == "offline":
        raise ModelConfigError(
            f"SYMBIOSE_MODEL={spec!r} names no chat model; use one like {EXAMPLES}"
        )
    # Imported here so that the offline path never pays for langchain's import.
    from langchain.chat_models import init_chat_model

    try:
        return init_chat_model(spec, **pooled_http_client(spec))
    except ImportError as exc:
        found = _PIP.search(str(exc))
        if not found:
            raise ModelConfigError(
                f"SYMBIOSE_MODEL={spec!r} needs a package that is not installed: {_first_line(exc)}"
            ) from exc
        package = found.group(1)
        raise ModelConfigError(
            f"SYMBIOSE_MODEL={spec!r} needs the {package} package: pip install {package}"
        ) from exc
    except Exception as exc:
        if isinstance(exc, ValueError) and _UNKNOWN.search(str(exc)):
            raise ModelConfigError(
                f"SYMBIOSE_MODEL={spec!r} is not a model string langchain understands; "
                f"use 'provider:model', e.g. {EXAMPLES} (or 'offline')"
            ) from exc
        # The provider's own checks at construction, most often a missing API key.
        raise ModelConfigError(
            f"SYMBIOSE_MODEL={spec!r} could not be set up ({type(exc).__name__}: "
            f"{_first_line(exc)}); check the provider's settings and API key variable"
        ) from exc


def pooled_http_client(spec: str) -> dict[str, Any]:
    """For providers on the openai SDK: one aiohttp-backed client for every call of
    this process (`http_async_client`), its connections kept between calls.

    The SDK's default transport (httpx + httpcore) costs about three times the
    CPU per request at a thousand requests in flight, and keeps only 100 idle
    connections, so each burst past that opens new ones (bench_width, issue 13).
    Other providers, or an SDK without its aiohttp client: their defaults ({}).
    """
    provider = spec.split(":", 1)[0].strip().lower() if ":" in spec else ""
    if provider not in _OPENAI_SDK:
        return {}
    try:
        import openai

        limits = type(openai.DEFAULT_CONNECTION_LIMITS)(
            max_connections=LLM_CONNECTIONS, max_keepalive_connections=LLM_CONNECTIONS,
            keepalive_expiry=LLM_KEEPALIVE_S,
        )
        # The aiohttp session itself is made on the first request, in the running loop.
        return {"http_async_client": openai.DefaultAioHttpClient(limits=limits)}
    except Exception:  # not installed, or an SDK without it: its default client
        return {}


async def close_chat_model(model: BaseChatModel) -> None:
    """Close the pooled HTTP client `make_chat_model` gave the model, if any."""
    client = getattr(model, "http_async_client", None)
    close = getattr(client, "aclose", None)
    if close is not None:
        await close()


def _first_line(exc: BaseException) -> str:
    """A one-line reason. For pydantic errors only the messages: their full text
    repeats the input values, which may include a key."""
    if isinstance(exc, ValidationError):
        text = "; ".join(str(e["msg"]) for e in exc.errors())
    else:
        text = str(exc).strip()
    return redact(text.splitlines()[0] if text else "")[:200]


def model_label(model: BaseChatModel) -> str:
    for attr in ("model_name", "model"):
        value = getattr(model, attr, None)
        if isinstance(value, str) and value:
            return value
    return type(model).__name__
