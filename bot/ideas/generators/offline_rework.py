"""What a refinement asks for, counting the notes of earlier refinements.

An `Angle` carries no hidden state, so a refined angle says which notes it
followed in the first sentence of its rationale ("Version retravaillée selon
vos consignes « plus court », puis « pour les retraités »."). Reading that
sentence back lets a second refinement keep the first one's changes: refining
the refined angle "plus premium" keeps it short and aimed at retirees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.brief.brand import fold
from bot.dialogue.refinement import RefinementParser
from bot.ideas.fit import find_occasion
from bot.ideas.generators.offline_text import clean, fr_typography
from bot.kernel.i18n import t
from bot.kernel.messages import Lang

MAX_NOTES = 3  # earlier notes remembered (the oldest are dropped first)
_QUOTED = {"fr": re.compile(r"«\s?([^»]+?)\s?»"), "en": re.compile(r"“([^”]+)”")}


@dataclass(frozen=True, slots=True)
class Rework:
    """The merged wishes of every note, the newest winning."""

    notes: tuple[str, ...]  # every note followed, oldest first (the new one last)
    tone: str | None = None
    length: str | None = None
    audience: str | None = None
    channel: str | None = None  # channel key asked for
    occasion: str | None = None  # a theme that is a moment ("the Tokyo opening in March")
    theme: str | None = None  # any other theme ("sustainability")
    new: frozenset[str] = frozenset()  # what the newest note asks: "tone", "length", ...
    one_sentence: bool = False  # "en une phrase", "one-liner": the hook is a single sentence


class NoteBook:
    """Writes and reads the "reworked following your notes" sentence, per language."""

    def __init__(self) -> None:
        self._texts = {lang: {key: _typo(t(f"offline.{key}", lang), lang)
                              for key in ("refine_note", "refine_note_many", "refine_note_then",
                                          "refine_note_short", "refine_note_empty")}
                       for lang in ("fr", "en")}
        self._quote = {"fr": "«\u00a0{}\u00a0»", "en": "“{}”"}
        self._heads = {
            lang: tuple(texts[key].split("{", 1)[0] for key in ("refine_note", "refine_note_many",
                                                                "refine_note_short"))
            for lang, texts in self._texts.items()
        }

    def earlier(self, rationale: str, lang: Lang) -> list[str]:
        """The notes an angle's rationale says it already followed."""
        if not rationale.startswith(self._heads[lang]):
            return []
        end = rationale.find(". ")
        first = rationale if end < 0 else rationale[:end]
        return [clean(q, 80) for q in _QUOTED[lang].findall(first)]

    def note(self, notes: tuple[str, ...], lang: Lang, *, short: bool = False) -> str:
        texts = self._texts[lang]
        if not notes:
            return texts["refine_note_empty"]
        quoted = [self._quote[lang].format(n) for n in notes]
        if short:
            return texts["refine_note_short"].format(instructions=", ".join(quoted))
        key = "refine_note" if len(notes) == 1 else "refine_note_many"
        return texts[key].format(instructions=texts["refine_note_then"].join(quoted))


def _typo(text: str, lang: Lang) -> str:
    return fr_typography(text) if lang == "fr" else text


def merge(notes: list[str], parser: RefinementParser) -> Rework:
    """Every note in order; later notes override earlier ones on the same point."""
    unique: list[str] = []
    for note in notes:
        note = clean(note, 80)
        if not note:
            continue
        unique = [n for n in unique if fold(n) != fold(note)] + [note]
    unique = unique[-MAX_NOTES:]
    merged: dict[str, str | None] = {}
    new: frozenset[str] = frozenset()
    for index, note in enumerate(unique):
        wanted = parser.parse(note)
        found: dict[str, str | None] = {k: v for k, v in wanted.items() if k != "free"}
        if "free" in wanted:
            theme = parser.theme(wanted["free"])
            occasion = find_occasion(theme) if theme else ""
            if occasion:
                # "soldes" -> "les soldes"; a longer theme keeps its own words.
                found.update(occasion=max(occasion, theme, key=len), theme=None)
            elif theme:
                found.update(theme=theme, occasion=None)
        merged.update(found)
        if index == len(unique) - 1:
            new = frozenset(found)
    return Rework(
        notes=tuple(unique),
        tone=merged.get("tone"), length=merged.get("length"), audience=merged.get("audience"),
        channel=merged.get("channel"), occasion=merged.get("occasion"), theme=merged.get("theme"),
        new=new, one_sentence=merged.get("sentences") == "one" and merged.get("length") == "short",
    )
