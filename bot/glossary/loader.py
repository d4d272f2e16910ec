"""Reading glossary files: the built-in content plus an organisation's own files.

The built-in content ships with Symbiose, so any problem in it is a bug and
stops start-up (`GlossaryError`). Organisation files (GLOSSARY_PATH) are the
operator's: a bad file or entry is reported as "file: entry: reason" and
skipped, and everything valid still loads. Organisation entries add terms or
replace a built-in entry with the same id or the same canonical term.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.glossary.model import Category, Entry, EntryModel, FileModel
from bot.glossary.normalise import key, slug
from prompts import PROMPTS_DIR

BUILTIN_DIR = PROMPTS_DIR / "glossary"
_SUFFIXES = (".yaml", ".yml")
# libyaml's parser when PyYAML was built with it: several times faster at start-up.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class GlossaryError(ValueError):
    """The built-in glossary content is invalid (raised at start-up)."""


@dataclass
class Loaded:
    entries: dict[str, Entry] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class _Report:
    """Problems, split by whose they are: ours (built-in) or the organisation's."""

    builtin: list[str] = field(default_factory=list)
    org: list[str] = field(default_factory=list)

    def add(self, builtin: bool, message: str) -> None:
        (self.builtin if builtin else self.org).append(message)


@dataclass(frozen=True)
class _Raw:
    model: EntryModel
    source: str
    builtin: bool


def _reason(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(part) for part in err["loc"])
        parts.append(f"{loc}: {err['msg']}" if loc else err["msg"])
    return "; ".join(parts)


def _entry_name(raw: Any, n: int) -> str:
    if isinstance(raw, dict):
        if isinstance(raw.get("id"), str):
            return raw["id"]
        term = raw.get("term")
        if isinstance(term, dict):
            for lang in ("en", "fr"):
                if isinstance(term.get(lang), str) and term[lang].strip():
                    return term[lang].strip()
    return f"entry #{n}"


def _files(paths: Iterable[Path]) -> Iterator[tuple[Path, str | None]]:
    """Each glossary file under `paths` (files or folders), or a not-found reason."""
    for path in paths:
        if path.is_dir():
            yield from ((p, None) for p in sorted(path.rglob("*")) if p.suffix in _SUFFIXES)
        elif path.is_file():
            yield path, None
        else:
            yield path, "not found"


def _read(path: Path, source: str, errors: list[str]) -> FileModel | None:
    """The file's top level, or None after adding the reason to `errors`."""
    try:
        data = yaml.load(
            path.read_text(encoding="utf-8"), Loader=_YAML_LOADER  # noqa: S506 - a safe loader
        )
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        errors.append(f"{source}: invalid YAML{where}: {problem}")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(f"{source}: cannot read: {exc.__class__.__name__}")
        return None
    if data is None:
        return FileModel()
    if not isinstance(data, dict):
        errors.append(f"{source}: expected a mapping with 'entries' (and optional 'categories')")
        return None
    try:
        return FileModel.model_validate(data)
    except ValidationError as exc:
        errors.append(f"{source}: {_reason(exc)}")
        return None


def _validate_entries(
    file: FileModel, source: str, builtin: bool, errors: list[str]
) -> Iterator[_Raw]:
    for n, raw in enumerate(file.entries, 1):
        name = _entry_name(raw, n)
        if not isinstance(raw, dict):
            errors.append(f"{source}: {name}: expected a mapping")
            continue
        try:
            model = EntryModel.model_validate(raw)
        except ValidationError as exc:
            errors.append(f"{source}: {name}: {_reason(exc)}")
            continue
        missing = model.missing_languages() if builtin else []
        if missing:
            errors.append(f"{source}: {name}: missing translation: {', '.join(missing)}")
            continue
        yield _Raw(model, source, builtin)


def _to_entry(raw: _Raw, entry_id: str) -> Entry:
    m = raw.model
    return Entry(
        id=entry_id,
        category=m.category,
        term=m.term.both(),
        aliases={"fr": tuple(m.aliases.fr), "en": tuple(m.aliases.en)},
        misspellings=tuple(m.misspellings),
        definition=m.definition.both(),
        in_practice=m.in_practice.both() if m.in_practice else {"fr": "", "en": ""},
        faq=tuple((item.q.both(), item.a.both()) for item in m.faq),
        related=tuple(m.related),  # still names; resolved once every file is merged
        source=raw.source,
        builtin=raw.builtin,
    )


def _merge(raws: Sequence[_Raw], loaded: Loaded, report: _Report) -> None:
    by_term: dict[str, str] = {}
    for raw in raws:
        m = raw.model
        name = m.id or m.term.en or m.term.fr or "?"
        if m.category not in loaded.categories:
            known = ", ".join(loaded.categories)
            report.add(
                raw.builtin,
                f"{raw.source}: {name}: unknown category {m.category!r} (known: {known})",
            )
            continue
        term_keys = [key(t) for t in (m.term.fr, m.term.en) if t]
        entry_id = m.id or next((by_term[k] for k in term_keys if k in by_term), None)
        entry_id = entry_id or slug(m.term.en or m.term.fr or "")
        previous = loaded.entries.get(entry_id)
        if previous is not None and previous.builtin and raw.builtin:
            report.add(True, f"{raw.source}: {name}: id already used in {previous.source}")
            continue
        # Replacing keeps the position (dicts keep the first insertion's place).
        loaded.entries[entry_id] = _to_entry(raw, entry_id)
        for k in term_keys:
            by_term.setdefault(k, entry_id)


def _resolve_related(loaded: Loaded, report: _Report) -> None:
    by_name: dict[str, str] = {}
    for entry in loaded.entries.values():
        for name in entry.names():
            by_name.setdefault(key(name), entry.id)
    for entry in list(loaded.entries.values()):
        resolved: list[str] = []
        for name in entry.related:
            target = name if name in loaded.entries else by_name.get(key(name))
            if target is None or target == entry.id:
                reason = "refers to itself" if target else "is not in the glossary"
                report.add(
                    entry.builtin, f"{entry.source}: {entry.id}: related term {name!r} {reason}"
                )
            elif target not in resolved:
                resolved.append(target)
        loaded.entries[entry.id] = replace(entry, related=tuple(resolved))


def load(extra_paths: Sequence[Path] = (), builtin_dir: Path = BUILTIN_DIR) -> Loaded:
    """Load the built-in glossary, then the organisation files in `extra_paths`."""
    loaded = Loaded()
    report = _Report()
    files: list[tuple[FileModel, str, bool]] = []
    for builtin, paths in ((True, [builtin_dir]), (False, list(extra_paths))):
        errors = report.builtin if builtin else report.org
        for path, problem in _files(paths):
            source = path.name if builtin else str(path)
            if problem:
                errors.append(f"{source}: {problem}")
                continue
            file = _read(path, source, errors)
            if file is not None:
                files.append((file, source, builtin))
    # Categories first, so an entry may use a category defined in another file.
    for file, _, _ in files:
        for cat_id, label in file.categories.items():
            loaded.categories[cat_id] = Category(cat_id, label.both())
    raws: list[_Raw] = []
    for file, source, builtin in files:
        raws += _validate_entries(file, source, builtin, report.builtin if builtin else report.org)
    _merge(raws, loaded, report)
    _resolve_related(loaded, report)
    if report.builtin:
        raise GlossaryError("invalid built-in glossary:\n" + "\n".join(report.builtin))
    loaded.errors = report.org
    return loaded
