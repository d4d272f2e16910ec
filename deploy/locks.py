"""Regenerate the hash-locked requirement files the Docker image installs from.

    pip install -e ".[dev]"     # brings uv
    python deploy/locks.py

One resolution of pyproject.toml with every LLM provider extra gives
`requirements.lock` (what the default image installs); each of
`deploy/locks/<name>.lock` (base: the offline engine only; one per provider) is
then resolved with those pins as constraints, so every image, whatever its
EXTRAS build argument, gets the same versions of what they share. Universal
resolution (`--universal`): the files work on amd64 and arm64 alike.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ROOT / "deploy" / "locks"
PROVIDERS = ("openai", "anthropic", "mistral", "ollama")
PYTHON = "3.11"
_PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+==[^ ;\\]+)(\s*;\s*[^\\]+?)?\s*\\?$")


def compile_lock(out: Path, extras: tuple[str, ...], constraints: Path | None = None) -> None:
    command = ["uv", "pip", "compile", str(ROOT / "pyproject.toml"), "--universal",
               "--python-version", PYTHON, "--generate-hashes", "--quiet",
               "--custom-compile-command", "python deploy/locks.py", "-o", str(out)]
    for extra in extras:
        command += ["--extra", extra]
    if constraints is not None:
        command += ["--constraint", str(constraints)]
    subprocess.run(command, check=True, cwd=ROOT)
    # uv writes the absolute path of pyproject.toml in the "# via" lines: keep the files portable.
    out.write_text(out.read_text(encoding="utf-8").replace(str(ROOT) + "/", ""), encoding="utf-8")


def pins(lock: Path) -> str:
    """name==version lines (with their markers), for use as constraints."""
    lines = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            lines.append(match.group(1) + (match.group(2) or ""))
    return "\n".join(lines) + "\n"


def main() -> int:
    LOCKS.mkdir(parents=True, exist_ok=True)
    everything = ROOT / "requirements.lock"
    compile_lock(everything, PROVIDERS)
    with tempfile.TemporaryDirectory() as tmp:
        constraints = Path(tmp) / "constraints.txt"
        constraints.write_text(pins(everything), encoding="utf-8")
        compile_lock(LOCKS / "base.lock", (), constraints)
        for provider in PROVIDERS:
            compile_lock(LOCKS / f"{provider}.lock", (provider,), constraints)
    print(f"wrote {everything.relative_to(ROOT)} and {len(PROVIDERS) + 1} files in "
          f"{LOCKS.relative_to(ROOT)}/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
