"""The state of one conversation (a thread, a DM, a console session).

Kept in Redis as one JSON value with a TTL: what was asked, the latest angles
(so "like 2" means something), recent angles (so a button on an older message
still works), and a short history for the LLM.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# orjson (already installed with langchain's langsmith) encodes and decodes the
# conversation several times faster than the json module: it is read and written
# on every turn, and after many rounds it is the largest value a turn moves.
import orjson

from bot.kernel.messages import Angle, Lang

# Enough for the two latest answers at the maximum of 10 angles each.
RECENT_ANGLES_CAP = 20
# Titles and hooks shown in this conversation ("title\x1fhook"), so that no hook
# or title comes back over many rounds of "more" (10 rounds of 5 angles, and refines).
SHOWN_LINES_CAP = 60


@dataclass
class ConversationState:
    lang: Lang | None = None
    brief: str = ""
    angles: list[Angle] = field(default_factory=list)
    recent: list[Angle] = field(default_factory=list)
    pending_fields: list[str] = field(default_factory=list)
    asked_rounds: int = 0
    go: bool = False
    round: int = 0
    forget_pending: bool = False
    history: list[str] = field(default_factory=list)
    # The brief as read (bot.brief.model.BriefModel.to_dict()): kept as plain data here
    # so the kernel does not depend on the brief package.
    model: dict[str, Any] = field(default_factory=dict)
    shown: list[str] = field(default_factory=list)
    # Checks said once for the latest answer, and the ids of its angles.
    common_checks: list[str] = field(default_factory=list)
    common_for: list[str] = field(default_factory=list)
    # Strategies of the angles disliked in this conversation: their kind is not proposed
    # again here ("set aside; I won't propose it again"), until the user likes one.
    set_aside: list[str] = field(default_factory=list)

    def find(self, angle_id: str) -> Angle | None:
        for angle in [*self.angles, *reversed(self.recent)]:
            if angle.id == angle_id:
                return angle
        return None

    def show(self, angles: list[Angle]) -> None:
        """Make `angles` the latest answer and remember them."""
        self.angles = angles
        known = {a.id for a in self.recent}
        self.recent.extend(a for a in angles if a.id not in known)
        del self.recent[:-RECENT_ANGLES_CAP]
        lines = set(self.shown)
        self.shown.extend(line for a in angles if (line := _line(a)) not in lines)
        del self.shown[:-SHOWN_LINES_CAP]

    def shown_pairs(self) -> list[tuple[str, str]]:
        """(title, hook) of every angle shown recently, oldest first."""
        return [(title, hook) for title, _, hook in (x.partition("\x1f") for x in self.shown)]

    def replace(self, angle: Angle) -> None:
        """Put a refined angle in place of the one with the same number."""
        self.angles = [angle if a.n == angle.n else a for a in self.angles]
        self.show(self.angles)

    def remember(self, line: str, cap: int) -> None:
        self.history.append(line[:500])
        del self.history[:-cap]

    def to_json(self) -> bytes:
        data: dict[str, Any] = {f: getattr(self, f) for f in self.__dataclass_fields__}
        # The latest angles are always among `recent`: store them once, by id.
        data["angles"] = [a.id for a in self.angles]
        data["recent"] = [a.to_dict() for a in self.recent]
        # Likewise the shown lines of recent angles: only the older ones are stored.
        in_recent = {_line(a) for a in self.recent}
        data["shown"] = [line for line in self.shown if line not in in_recent]
        return orjson.dumps(data)

    @classmethod
    def from_json(cls, raw: str | bytes | None) -> ConversationState:
        if not raw:
            return cls()
        try:
            data = orjson.loads(raw)
            data["recent"] = [Angle.from_dict(a) for a in data.get("recent", [])]
            by_id = {a.id: a for a in data["recent"]}
            data["angles"] = [by_id[i] for i in data.get("angles", []) if i in by_id]
            data["shown"] = _with_recent(list(data.get("shown", [])), data["recent"])
            known = cls.__dataclass_fields__
            return cls(**{k: v for k, v in data.items() if k in known})
        except (orjson.JSONDecodeError, ValueError, TypeError, KeyError, AttributeError):
            # A state we cannot read (older format, corruption) is dropped, not fatal:
            # it only holds this conversation's short-term memory.
            return cls()


def _line(angle: Angle) -> str:
    return f"{angle.title}\x1f{angle.hook}"


def _with_recent(older: list[str], recent: list[Angle]) -> list[str]:
    """The stored (older) shown lines, then those of the recent angles, once each."""
    lines, seen = list(older), set(older)
    for angle in recent:
        if (line := _line(angle)) not in seen:
            seen.add(line)
            lines.append(line)
    return lines
