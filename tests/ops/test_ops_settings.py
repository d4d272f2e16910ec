"""The operating variables, read once into Settings."""

from __future__ import annotations

import pytest

from bot.kernel.settings import Settings


def test_allowlists_budget_and_log_format_are_read() -> None:
    settings = Settings.from_env({
        "SYMBIOSE_ALLOWED_TEAMS": " T1, E2 ,,",
        "SYMBIOSE_ALLOWED_TENANTS": "tenant-a",
        "SYMBIOSE_LLM_BUDGET": "50000",
        "SYMBIOSE_LOG_FORMAT": "Text",
        "SYMBIOSE_LLM_TRACING": "otel",
    })
    assert settings.allowed_teams == frozenset({"T1", "E2"})
    assert settings.allowed_tenants == frozenset({"tenant-a"})
    assert settings.llm_budget_tokens == 50000
    assert settings.log_json is False and settings.llm_tracing == "otel"


def test_defaults_are_open_and_unlimited() -> None:
    settings = Settings.from_env({})
    assert not settings.allowed_teams and not settings.allowed_tenants
    assert settings.llm_budget_tokens is None and settings.log_json is None
    assert Settings.from_env({"SYMBIOSE_LLM_BUDGET": "0"}).llm_budget_tokens is None


@pytest.mark.parametrize("name, value, needle", [
    ("SYMBIOSE_LLM_BUDGET", "lots", "whole number"),
    ("SYMBIOSE_LLM_BUDGET", "-5", "between"),
    ("SYMBIOSE_LOG_FORMAT", "xml", "'json' or 'text'"),
])
def test_bad_values_are_named(name: str, value: str, needle: str) -> None:
    with pytest.raises(ValueError) as raised:
        Settings.from_env({name: value})
    assert name in str(raised.value) and needle in str(raised.value)
