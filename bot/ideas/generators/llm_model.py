"""Turning SYMBIOSE_MODEL into a langchain chat model, with errors a person can act on."""

from __future__ import annotations

import re

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
        return init_chat_model(spec)
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
