"""The brief writer's wording, loaded from prompts/writing/ and checked at start-up.

hooks.yaml (per strategy), moves.yaml (wording per refine kind, CTAs,
closers, rationale sentences). A placeholder outside SLOTS, a hook that does
not use the brief's own concern word, an unknown tone or tag, or a strategy
of the catalogue without hooks is an error naming the file and the entry.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.ideas.catalogue import CatalogueError
from bot.kernel.messages import Lang
from prompts import PROMPTS_DIR

WRITING_DIR = PROMPTS_DIR / "writing"
LANGS: tuple[Lang, ...] = ("fr", "en")
TONES = ("playful", "serious", "bold", "emotional", "premium", "rational", "soft")
TAGS = ("pun", "humour", "urgency", "promo", "fear", "superlative", "testimonial",
        "question", "cta", "local", "b2b", "young", "plain", "concrete")
SLOTS = frozenset({
    "c", "C", "de_c", "c2", "c_np", "c_en", "fig", "Fig", "pain", "Pain", "desire", "Desire",
    "proof", "word", "occasion", "Occasion", "brand", "our_product", "a_our_product",
    "de_our_product",
    "audience", "a_audience", "de_audience", "X", "hook", "hook_lc", "rules", "Vocative",
    "Brand", "Our_product", "count", "Count", "price", "want", "objective",
})
CONCERN_SLOTS = frozenset({"c", "C", "de_c", "c_en", "c_np"})
_ADDRESS = re.compile(r"\[\[([^|\]]*)\|([^\]]*)\]\]")


class WritingError(CatalogueError):
    """A wording file of the brief writer is invalid."""


@dataclass(frozen=True, slots=True)
class Line:
    """One template: text with slots, its register and what kind of line it is."""

    text: str
    uses: frozenset[str]
    tone: str | None = None
    tags: frozenset[str] = frozenset()
    domain: str | None = None
    key: str = ""  # "storytelling.fr.hooks.2": which template (so a conversation never reuses it)
    tu: bool = False  # has a French tu/vous alternative
    kinds: frozenset[str] = frozenset()  # product kinds it suits (prompts/fit.yaml); empty = any

    @property
    def question(self) -> bool:
        return "question" in self.tags or self.text.rstrip().endswith("?")


@dataclass(frozen=True, slots=True)
class StrategyLines:
    titles: tuple[Line, ...]
    hooks: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Moves:
    titles: tuple[Line, ...]
    hooks: dict[str, tuple[Line, ...]]  # kind (a tone or a tag) -> hooks
    cta: dict[str, tuple[Line, ...]]  # channel key or "default" -> closing lines
    closers: dict[str, tuple[Line, ...]]
    forward: Line
    address: Line
    rationale: dict[str, tuple[Line, ...]]


@dataclass(frozen=True, slots=True)
class BriefWording:
    strategies: dict[Lang, dict[str, StrategyLines]]
    moves: dict[Lang, Moves]


class _Tagged(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    tone: str | None = None
    tags: list[str] = []
    domain: str | None = None
    kinds: list[str] = []


_Item = str | _Tagged


class _StrategyLang(BaseModel):
    model_config = ConfigDict(extra="forbid")
    titles: list[_Item]
    hooks: list[_Item]


class _MovesLang(BaseModel):
    model_config = ConfigDict(extra="forbid")
    titles: list[_Item]
    hooks: dict[str, list[_Item]]
    cta: dict[str, list[str]]
    closers: dict[str, list[str]]
    forward: str
    address: str
    rationale: dict[str, list[str]]


def _line(item: _Item, where: str, index: int, *, need_concern: bool = False) -> Line:
    data = item if isinstance(item, _Tagged) else _Tagged(text=item)
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(_ADDRESS.sub(r"\1", data.text)) if f}
        names |= {f for _, f, _, _ in string.Formatter().parse(_ADDRESS.sub(r"\2", data.text))
                  if f}
    except ValueError as exc:
        raise WritingError(f"{where}[{index}]: {exc}") from exc
    unknown = names - SLOTS
    if unknown:
        raise WritingError(f"{where}[{index}]: unknown placeholders {sorted(unknown)}")
    if need_concern and not names & CONCERN_SLOTS:
        raise WritingError(f"{where}[{index}]: a hook must use the brief's concern ({{c}}, {{C}})")
    if data.tone is not None and data.tone not in TONES:
        raise WritingError(f"{where}[{index}]: unknown tone {data.tone!r}")
    bad = set(data.tags) - set(TAGS)
    if bad:
        raise WritingError(f"{where}[{index}]: unknown tags {sorted(bad)}")
    return Line(text=data.text, uses=frozenset(names), tone=data.tone,
                tags=frozenset(data.tags), domain=data.domain, key=f"{where}.{index}",
                tu=bool(_ADDRESS.search(data.text)), kinds=frozenset(data.kinds))


def _lines(items: Iterable[_Item], where: str, **kw: Any) -> tuple[Line, ...]:
    return tuple(_line(item, where, i, **kw) for i, item in enumerate(items))


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise WritingError(f"{path.name}: {exc}") from exc


def load_brief_wording(strategy_ids: Iterable[str], folder: Path = WRITING_DIR) -> BriefWording:
    hooks_raw = _read(folder / "hooks.yaml") or {}
    moves_raw = _read(folder / "moves.yaml") or {}
    strategies: dict[Lang, dict[str, StrategyLines]] = {lang: {} for lang in LANGS}
    for sid in strategy_ids:
        entry = hooks_raw.get(sid)
        if not isinstance(entry, dict):
            raise WritingError(f"hooks.yaml: no wording for strategy {sid!r}")
        for lang in LANGS:
            try:
                data = _StrategyLang.model_validate(entry.get(lang))
            except ValidationError as exc:
                raise WritingError(f"hooks.yaml: {sid}.{lang}: {exc}") from exc
            where = f"{sid}.{lang}"
            strategies[lang][sid] = StrategyLines(
                titles=_lines(data.titles, f"{where}.titles"),
                hooks=_lines(data.hooks, f"{where}.hooks", need_concern=True))
    moves: dict[Lang, Moves] = {}
    for lang in LANGS:
        try:
            m = _MovesLang.model_validate(moves_raw.get(lang))
        except ValidationError as exc:
            raise WritingError(f"moves.yaml: {lang}: {exc}") from exc
        moves[lang] = Moves(
            titles=_lines(m.titles, f"moves.{lang}.titles"),
            hooks={k: _lines(v, f"moves.{lang}.{k}", need_concern=True)
                   for k, v in m.hooks.items()},
            cta={k: _lines(v, f"moves.{lang}.cta.{k}") for k, v in m.cta.items()},
            closers={k: _lines(v, f"moves.{lang}.closers.{k}") for k, v in m.closers.items()},
            forward=_line(m.forward, f"moves.{lang}.forward", 0),
            address=_line(m.address, f"moves.{lang}.address", 0),
            rationale={k: _lines(v, f"moves.{lang}.rationale.{k}")
                       for k, v in m.rationale.items()},
        )
        unknown = set(moves[lang].hooks) - set(TONES) - set(TAGS)
        if unknown:
            raise WritingError(f"moves.yaml: {lang}.hooks: unknown kinds {sorted(unknown)}")
    return BriefWording(strategies=strategies, moves=moves)


def render_address(text: str, tu: bool) -> str:
    """'[[vous avez|tu as]]' -> the form asked for."""
    return _ADDRESS.sub(lambda m: m.group(2) if tu else m.group(1), text)
