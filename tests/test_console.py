"""The console adapter as a real subprocess through a pipe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.engine_helpers import BRAND_EN


def _run(args: list[str], stdin: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=120)


@pytest.fixture
def env(tmp_path: Path, redis_url: str, key_prefix: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SYMBIOSE_", "REDIS_"))}
    env |= {"REDIS_URL": redis_url, "SYMBIOSE_KEY_PREFIX": key_prefix, "HOME": str(tmp_path)}
    return env


def test_json_mode_answers_each_line_with_one_object(env: dict[str, str]) -> None:
    lines = [*BRAND_EN.splitlines(), "Ideas for the back-to-school launch", "", "like 2",
             "like 42", "glossary symbiotic ai", "strategies", "\x07\x1b[31m", "help"]
    result = _run(["chat", "--json", "--user", "pipe"], "\n".join(lines) + "\n", env)
    assert result.returncode == 0, result.stderr
    out = result.stdout.strip().splitlines()
    assert len(out) == len(lines)
    replies = [json.loads(line) for line in out]
    kinds = [r["kind"] for r in replies]
    assert kinds[5] == "angles" and len(replies[5]["angles"]) == 5
    assert {"n", "id", "strategy", "title", "hook", "rationale", "channel", "to_validate"} <= set(
        replies[5]["angles"][0])
    assert kinds[6] == "error"
    assert kinds[7] == "feedback"
    assert kinds[8] == "error"
    assert kinds[9] == "glossary" and replies[9]["glossary"]["term"]
    assert kinds[10] == "info"
    assert kinds[12] == "help"
    assert all(r["lang"] in ("fr", "en") for r in replies)
    assert all("**" not in r["text"] for r in replies)  # plain text, as a person reads it


def test_plain_mode_in_a_pipe_prints_text_without_markup(env: dict[str, str]) -> None:
    result = _run(["chat", "--lang", "en"], "help\n", env)
    assert result.returncode == 0
    assert "Symbiose, your marketing sparring partner." in result.stdout
    assert "**" not in result.stdout and "\x1b[" not in result.stdout


def test_embedded_store_keeps_the_brand_between_runs(env: dict[str, str], tmp_path: Path) -> None:
    del env["REDIS_URL"]
    env["SYMBIOSE_DATA_DIR"] = str(tmp_path / "data")
    first = _run(["chat", "--json", "--user", "solo"], "Brand: Gourdo\nAudience: students\n", env)
    assert first.returncode == 0, first.stderr
    second = _run(["chat", "--json", "--user", "solo"], "brand\n", env)
    reply = json.loads(second.stdout)
    assert reply["kind"] == "brand" and "Gourdo" in reply["text"] and "students" in reply["text"]
    assert (tmp_path / "data" / "store.json").exists()


def test_strategies_json_lists_the_catalogue(env: dict[str, str]) -> None:
    result = _run(["strategies", "--json"], "", env)
    items = json.loads(result.stdout)
    assert len(items) >= 15
    assert all({"id", "name", "description"} <= set(item) for item in items)


def test_glossary_command(env: dict[str, str]) -> None:
    result = _run(["glossary", "--lang", "en", "--json", "symbiotic", "ai"], "", env)
    assert result.returncode == 0
    assert json.loads(result.stdout)["kind"] == "glossary"


def test_bad_configuration_is_one_clear_line(env: dict[str, str]) -> None:
    env["SYMBIOSE_LANG"] = "de"
    result = _run(["chat"], "", env)
    assert result.returncode == 2
    assert "SYMBIOSE_LANG" in result.stderr and "Traceback" not in result.stderr


def test_export_prints_the_markdown_document(env: dict[str, str]) -> None:
    lines = [*BRAND_EN.splitlines(), "Ideas for the back-to-school launch", "validate 2",
             "taste", "export"]
    result = _run(["chat", "--lang", "en", "--user", "exporter"], "\n".join(lines) + "\n", env)
    assert result.returncode == 0, result.stderr
    document = result.stdout.split("# Symbiose: validated angles", 1)[1]
    assert "## Brief" in document and "Ideas for the back-to-school launch" in document
    assert "### 1. " in document and "Checks still to do" in document and "- [ ] " in document
    assert "What I have learned about you" in result.stdout
    as_json = _run(["chat", "--json", "--user", "exporter"], "export\n", env)
    [reply] = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert reply["document"]["markdown"].startswith("# ") and reply["document"]["filename"]
