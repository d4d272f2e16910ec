"""One turn of conversation: the message, what we know, what will change."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.brief.brand import LABELS, BrandContext
from bot.brief.model import BriefModel, Source
from bot.ideas.generators.base import Progress
from bot.ideas.render import with_notices
from bot.kernel.conversation import ConversationState
from bot.kernel.i18n import t
from bot.kernel.messages import Angle, Lang, Message, QuickReply, Reply, ReplyKind
from bot.kernel.place import Place
from bot.store.user_store import Changes, Snapshot


@dataclass
class Turn:
    message: Message
    text: str
    lang: Lang
    snap: Snapshot
    changes: Changes
    notices: list[str] = field(default_factory=list)
    memory_on: bool = True
    progress: Progress | None = None
    save: bool = True  # False after "forget me": nothing of this turn is kept
    forget_pending: bool = False  # the previous message asked to forget the user
    understood: dict[str, str] = field(default_factory=dict)  # facts taken from the brief
    # The brief as read so far (the conversation's model); saved with the turn.
    brief: BriefModel = field(default_factory=BriefModel)
    # Stated values that replaced another stated value this turn: {field: (old, new)}.
    replaced: dict[str, tuple[str, str]] = field(default_factory=dict)
    new_brief: bool = False  # this turn read a new brief: say back what it rules out, once
    # In a direct conversation held beside a channel (Slack's assistant pane), the
    # name of the channel (or of its brand) whose brand this turn works from;
    # "" when the brand is the user's own.
    context_from: str = ""

    @property
    def user_id(self) -> str:
        return self.message.user_id

    @property
    def conv(self) -> ConversationState:
        return self.changes.conversation

    def update_brand(self, values: Mapping[str, str]) -> None:
        """Learn brand facts: visible to the rest of this turn and written with it.

        On a channel's brand (`context_from`), facts complete it into the user's
        own; another brand name starts the user's own from scratch."""
        base = self.snap.brand
        if self.context_from and values.get("brand") and \
                values["brand"].strip().casefold() != base.brand.casefold():
            base, self.context_from = BrandContext(), ""
        self.changes.brand = self.snap.brand = base.updated(values)
        self.changes.brand_fields += [k for k in values if k not in self.changes.brand_fields]

    @property
    def place(self) -> Place:
        """Where this turn happens: a channel shares its brand, a DM is the user's own."""
        return Place.of(self.message)

    def learn(self, values: Mapping[str, str], source: Source, *, echo: bool = False) -> None:
        """Facts about the brief: into the brief model (with their source) and the brand.

        A stated value that replaces a different stated one is remembered so the
        reply can say so (the later wins). What was read from free text is said
        back once (`understood`), so the user can correct it.
        """
        values = {k: v for k, v in values.items() if v and v.strip()}
        if not values:
            return
        if source == "said" and not self.new_brief:
            for name, value in values.items():
                old = self.brief.get(name) if self.brief.source(name) != "assumed" else ""
                old = old or self.snap.brand.get(name)
                if old and old.casefold() != value.strip().casefold() and name not in self.replaced:
                    self.replaced[name] = (old, value.strip())
        self.brief = self.brief.with_fields(values, source)
        self.update_brand(values)
        if source == "extracted" or echo:  # `echo`: read from a brief, said back too
            self.understood.update(values)

    def replaced_lines(self) -> list[str]:
        return [t("replaced", self.lang, field=LABELS[name][self.lang], old=old, new=new)
                for name, (old, new) in self.replaced.items() if name in LABELS]

    def seed(self) -> int:
        """Deterministic per user, conversation and round: same inputs, same angles."""
        raw = f"{self.user_id}\x1f{self.message.conversation_id}\x1f{self.conv.round}"
        return int.from_bytes(hashlib.blake2s(raw.encode(), digest_size=8).digest(), "big")

    def reply(
        self,
        kind: ReplyKind,
        text: str,
        *,
        angles: list[Angle] | None = None,
        questions: list[str] | None = None,
        quick_replies: list[QuickReply] | None = None,
        **extra: Any,  # further Reply fields (glossary, recorded, ...)
    ) -> Reply:
        return Reply(
            kind=kind,
            lang=self.lang,
            text=with_notices(text, self.notices),
            angles=angles or [],
            questions=questions or [],
            quick_replies=quick_replies or [],
            notices=list(self.notices),
            **extra,
        )

    def error(self, key: str, **values: object) -> Reply:
        return self.reply("error", t(key, self.lang, **values))
