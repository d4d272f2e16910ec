"""The neutral types that cross the adapter/engine boundary.

Adapters turn a platform event into a `Message` and render the engine's `Reply`;
nothing platform-specific lives here except in `Message.extras`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Lang = Literal["fr", "en"]
ReplyKind = Literal[
    "questions",
    "angles",
    "critique",
    "glossary",
    "feedback",
    "shortlist",
    "brand",
    "help",
    "info",
    "error",
]
ActionKind = Literal[
    "like", "dislike", "validate", "refine", "challenge", "more", "go", "say", "glossary"
]


@dataclass(frozen=True, slots=True)
class Action:
    """A button click / card action, already decoded by the adapter.

    `angle_id` is the stable id of the angle the button belongs to; `value` is a
    free-text payload (a refine instruction, a quick-reply text for kind "say",
    the term looked up for kind "glossary").
    """

    kind: ActionKind
    angle_id: str | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Message:
    """One thing a person said or clicked, on any platform.

    `user_id` is globally unique and stable ("slack:T123:U456", "teams:<aad id>",
    "console:alice"); `conversation_id` names the thread / chat the turn belongs
    to, so memory follows threads. `lang` is a hint (platform locale); the
    engine still detects the language of `text`. `delivery_ids` name the
    platform delivery (event id, message ts...): the engine admits a message
    once per id, so a redelivered event is not answered twice.
    """

    text: str
    user_id: str
    conversation_id: str
    platform: str = "console"
    lang: Lang | None = None
    action: Action | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    delivery_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckSource:
    """Where a check to verify comes from: an entry of the rules under
    prompts/rules (`rule`: its id, `title`: its name in the answer's language)
    and the law or code it cites (`source`). `check` is the check's text as shown."""

    check: str
    rule: str
    title: str
    source: str

    def to_dict(self) -> dict[str, str]:
        return {"check": self.check, "rule": self.rule, "title": self.title,
                "source": self.source}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckSource:
        return cls(**{k: str(data.get(k) or "") for k in ("check", "rule", "title", "source")})


@dataclass(slots=True)
class Angle:
    """One creative way in to a brief. `n` is its 1-based number in the answer."""

    n: int
    id: str
    strategy: str
    title: str
    hook: str
    rationale: str
    channel: str
    to_validate: list[str] = field(default_factory=list)
    strategy_name: str = ""
    # Whose brief it came from (a user id): erasure finds colleagues' copies by it.
    by: str = ""
    # Why its strategy was picked: "taste" (what the user or channel liked) or "explore".
    why: str = ""
    # The rule entry behind each of its checks that has one (in `to_validate` order),
    # so that a platform can cite it (Teams citations) without reading the text.
    sources: list[CheckSource] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        # By hand: dataclasses.asdict deep-copies recursively and showed up as
        # a third of a turn's time in profiles.
        out: dict[str, Any] = {
            "n": self.n, "id": self.id, "strategy": self.strategy, "title": self.title,
            "hook": self.hook, "rationale": self.rationale, "channel": self.channel,
            "to_validate": list(self.to_validate), "strategy_name": self.strategy_name,
        }
        if self.by:
            out["by"] = self.by
        if self.why:
            out["why"] = self.why
        if self.sources:
            out["sources"] = [s.to_dict() for s in self.sources]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Angle:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        if "sources" in known:
            known["sources"] = [CheckSource.from_dict(s) for s in known["sources"]
                                if isinstance(s, dict)]
        return cls(**known)


@dataclass(slots=True)
class GlossaryCard:
    """A glossary entry rendered in one language (the other one on request)."""

    term: str
    definition: str
    related: list[str] = field(default_factory=list)
    category: str = ""
    in_practice: str = ""
    faq: list[dict[str, str]] = field(default_factory=list)  # [{"q": ..., "a": ...}]
    aliases: list[str] = field(default_factory=list)
    id: str = ""


@dataclass(frozen=True, slots=True)
class QuickReply:
    """A button that, when clicked, behaves as if the user had typed `value`."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Document:
    """A deliverable (the validated angles as a document): Markdown, with a title
    and a file name for platforms that attach it as a file."""

    title: str
    markdown: str
    filename: str


@dataclass(slots=True)
class Reply:
    """What the engine answers. `text` is markdown, readable on its own;
    the structured fields let adapters build richer UIs (blocks, cards)."""

    kind: ReplyKind
    lang: Lang
    text: str
    questions: list[str] = field(default_factory=list)
    angles: list[Angle] = field(default_factory=list)
    glossary: GlossaryCard | None = None
    suggestions: list[str] = field(default_factory=list)
    quick_replies: list[QuickReply] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # For kind "feedback": which action was recorded on which angle.
    recorded: Action | None = None
    # With angles: the text that comes before them (what was understood,
    # assumptions, notices), so that an adapter showing the angles as cards
    # or blocks never has to cut it out of `text`.
    intro: str = ""
    # For feedback and critique on one angle: that angle, so that an adapter can
    # redraw it without the platform sending its content back (Teams card actions
    # carry only ids).
    about: Angle | None = None
    # For an export: the document (a Slack canvas, a Teams file, the console's text).
    document: Document | None = None
    # With angles: the line that closes `text` after them (the caution, what to say
    # next), for adapters that show `intro` and the angles instead of `text`.
    outro: str = ""
    # With angles: the rule entries behind the checks said once for the whole
    # answer (in `intro`); each angle carries those of its own checks.
    sources: list[CheckSource] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        """The one-line JSON object of DESIGN.md's `--json` contract."""
        out: dict[str, Any] = {"kind": self.kind, "lang": self.lang, "text": self.text}
        if self.questions:
            out["questions"] = list(self.questions)
        if self.angles:
            out["angles"] = [
                {
                    "n": a.n,
                    "id": a.id,
                    "strategy": a.strategy,
                    "title": a.title,
                    "hook": a.hook,
                    "rationale": a.rationale,
                    "channel": a.channel,
                    "to_validate": list(a.to_validate),
                    **({"why": a.why} if a.why else {}),
                }
                for a in self.angles
            ]
        if self.glossary is not None:
            out["glossary"] = {
                "term": self.glossary.term,
                "definition": self.glossary.definition,
                "related": list(self.glossary.related),
                "id": self.glossary.id,
                "category": self.glossary.category,
                "in_practice": self.glossary.in_practice,
                "faq": [dict(pair) for pair in self.glossary.faq],
            }
        if self.suggestions:
            out["suggestions"] = list(self.suggestions)
        if self.notices:
            out["notices"] = list(self.notices)
        if self.document is not None:
            out["document"] = {"title": self.document.title, "filename": self.document.filename,
                               "markdown": self.document.markdown}
        return out
