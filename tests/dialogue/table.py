"""Running the bilingual dialogue table (tests/dialogue/cases.yaml) through a real engine.

The cases were written by a marketer from briefs of many sectors, without the
source at hand. Each runs on its own user and conversation; the checks are the
table's: reply kinds, the questions' fields, the feedback's action and angle,
and the brief as understood after the last turn.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.brief.model import BriefModel
from bot.engine import Engine
from bot.kernel.messages import Message, Reply

CASES_PATH = Path(__file__).with_name("cases.yaml")
# A stored value may add words to the expected one, within reason: "femmes 20-35 ans aux
# cheveux bouclés" for "20-35" is right (a qualifier is part of an audience); another
# sentence or another field's words are not (checked apart).
_SLACK_CHARS = 60
_SENTENCE = re.compile(r"[.!?]\s+[A-ZÀ-Ý]")


def load_cases() -> list[dict[str, Any]]:
    return list(yaml.safe_load(CASES_PATH.read_text(encoding="utf-8")))


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text).casefold().replace("’", "'"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


@dataclass
class Outcome:
    case_id: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


async def run_case(engine: Engine, case: dict[str, Any], user: str) -> Outcome:
    outcome = Outcome(case["id"])
    conversation = f"table:{case['id']}"
    previous: Reply | None = None
    for i, turn in enumerate(case["turns"], 1):
        reply = await engine.handle(Message(text=turn["say"], user_id=user,
                                            conversation_id=conversation, platform="test"))
        state = (await engine.store.load(user, conversation)).conversation
        _check_turn(outcome, i, turn, reply, previous, state.pending_fields)
        if reply.angles:
            previous = reply
    snap = await engine.store.load(user, conversation)
    model = BriefModel.from_dict(snap.conversation.model)
    _check_brief(outcome, case.get("expect") or {}, model, snap.brand.known())
    return outcome


def _check_turn(outcome: Outcome, i: int, turn: dict[str, Any], reply: Reply,
                previous: Reply | None, pending: list[str]) -> None:
    where = f"turn {i} ({turn['say'][:40]!r})"
    if "kind" in turn and reply.kind != turn["kind"]:
        outcome.problems.append(f"{where}: kind {reply.kind}, expected {turn['kind']}")
    if "lang" in turn and reply.lang != turn["lang"]:
        outcome.problems.append(f"{where}: lang {reply.lang}, expected {turn['lang']}")
    if "asks" in turn and reply.kind == "questions" and set(pending) != set(turn["asks"]):
        outcome.problems.append(f"{where}: asks {pending}, expected {turn['asks']}")
    if "action" in turn or "angle" in turn:
        recorded = reply.recorded
        if recorded is None:
            outcome.problems.append(f"{where}: no feedback recorded")
            return
        if "action" in turn and recorded.kind != turn["action"]:
            outcome.problems.append(f"{where}: action {recorded.kind}, expected {turn['action']}")
        if "angle" in turn and previous is not None:
            number = next((a.n for a in previous.angles if a.id == recorded.angle_id), None)
            if number != turn["angle"]:
                outcome.problems.append(f"{where}: angle {number}, expected {turn['angle']}")


def _check_brief(outcome: Outcome, expect: dict[str, Any], model: BriefModel,
                 brand: dict[str, str]) -> None:
    def value(name: str) -> str:
        return model.get(name) or brand.get(name, "")

    for name in ("product", "brand", "audience", "objective", "tone"):
        if name in expect:
            got, want = fold(value(name)), fold(expect[name])
            too_long = len(got) > len(want) + _SLACK_CHARS or _SENTENCE.search(value(name))
            if want not in got or too_long:
                outcome.problems.append(f"{name}: {value(name)!r}, expected {expect[name]!r}")
    for name, bad in (expect.get("not") or {}).items():
        for word in bad:
            if fold(word) in fold(value(name)):
                outcome.problems.append(f"{name}: {value(name)!r} should not contain {word!r}")
    for name, source in (expect.get("sources") or {}).items():
        got = model.source(name)
        # Read from a field word without a colon counts as said: still the user's words.
        fine = got == source or (source == "extracted" and got == "said")
        if not fine:
            outcome.problems.append(f"source of {name}: {got}, expected {source}")
    keys = {e.key for e in model.exclusions}
    for key in expect.get("exclusions") or []:
        if key not in keys:
            outcome.problems.append(f"exclusion {key} missing (got {sorted(keys)})")
    for name in ("occasion",):
        if name in expect and fold(expect[name]) not in fold(getattr(model, name)):
            outcome.problems.append(f"{name}: {getattr(model, name)!r}, expected {expect[name]!r}")
    for name in ("season", "market"):
        if name in expect and getattr(model, name) != expect[name]:
            outcome.problems.append(f"{name}: {getattr(model, name)!r}, expected {expect[name]!r}")
    kept = [fold(f.text) for f in model.figures]
    for figure in expect.get("figures") or []:
        # Kept as written, perhaps with its qualifier: "4.6% AER" keeps "4.6%".
        if not any(k.startswith(fold(figure)) for k in kept):
            outcome.problems.append(f"figure {figure!r} not kept (got {sorted(kept)})")
    concerns = " | ".join(fold(c) for c in model.concerns)
    for concern in expect.get("concerns") or []:
        if fold(concern) not in concerns and fold(concern).rstrip("s") not in concerns:
            outcome.problems.append(f"concern {concern!r} missing (got {list(model.concerns)})")
