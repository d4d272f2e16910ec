"""Adapters only translate (../shared/DESIGN.md): they import no Redis, no
langchain, and neither import nor reach for the engine's rate limiter or dedupe
(which `Engine.admit` applies). Read from the source with `ast`, so it holds
for code paths no test runs; the same rules are import-linter contracts in
pyproject.toml ([tool.importlinter]) for CI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_IMPORTS = ("redis", "langchain", "langchain_core", "bot.dialogue.guards",
                     "bot.dialogue.admission", "bot.dialogue.recent_events")
# The guards' own API: an adapter calling it would be doing the engine's policy.
FORBIDDEN_ATTRIBUTES = frozenset({"guards", "first_delivery", "retry_after", "check_rate"})


def _adapter_files() -> list[Path]:
    return sorted((ROOT / "adapters").rglob("*.py"))


def _imports(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IMPORTS)


def test_there_are_adapters_to_check() -> None:
    assert len(_adapter_files()) > 20


@pytest.mark.parametrize("path", _adapter_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_adapter_imports_no_storage_model_or_admission_policy(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bad = [name for name in _imports(tree) if _forbidden(name)]
    assert bad == [], f"{path.name} imports {bad}"
    reached = sorted({node.attr for node in ast.walk(tree)
                      if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES})
    assert reached == [], f"{path.name} uses {reached}: call engine.admit instead"


def test_the_checker_sees_a_forbidden_import() -> None:
    tree = ast.parse("from redis.asyncio import Redis\nimport langchain_core.messages\n"
                     "from bot.dialogue import guards\n")
    assert [n for n in _imports(tree) if _forbidden(n)] == [
        "redis.asyncio", "redis.asyncio.Redis", "langchain_core.messages",
        "bot.dialogue.guards"]
