"""User-facing texts in French and English, loaded from prompts/i18n/*.yaml.

Each file maps a key to {fr: ..., en: ...}. Files are split by area (core,
slack, teams, glossary) so that each part owns its texts; a key defined twice,
a missing language or a `{placeholder}` that differs between languages is an
error at start-up, not a broken answer.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.kernel.messages import Lang
from prompts import PROMPTS_DIR

I18N_DIR = PROMPTS_DIR / "i18n"
LANGS: tuple[Lang, ...] = ("fr", "en")


class TextsError(ValueError):
    """A UI text file is invalid (raised at load time)."""


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def load_texts(folder: Path = I18N_DIR) -> dict[str, dict[str, str]]:
    texts: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise TextsError(f"{path.name}: expected a mapping of keys")
        for key, value in data.items():
            where = f"{path.name}: {key}"
            if key in texts:
                raise TextsError(f"{where}: defined twice")
            if not isinstance(value, dict) or set(value) != set(LANGS):
                raise TextsError(f"{where}: needs exactly 'fr' and 'en'")
            if not all(isinstance(v, str) for v in value.values()):
                raise TextsError(f"{where}: values must be strings")
            if _placeholders(value["fr"]) != _placeholders(value["en"]):
                raise TextsError(f"{where}: fr and en use different placeholders")
            texts[key] = value
    return texts


@lru_cache(maxsize=1)
def _texts() -> dict[str, dict[str, str]]:
    return load_texts()


def t(key: str, lang: Lang, /, **values: Any) -> str:
    """The text `key` in `lang`, with `{placeholders}` filled from `values`.

    When `count` is 1 and a `<key>_one` text exists, that singular form is used.
    """
    texts = _texts()
    if values.get("count") == 1 and f"{key}_one" in texts:
        key = f"{key}_one"
    entry = texts[key]
    text = entry.get(lang) or entry["fr"]
    return text.format(**values) if values else text


def colon(lang: Lang) -> str:
    """French typography puts a (non-breaking) space before a colon."""
    return "\u00a0:" if lang == "fr" else ":"
