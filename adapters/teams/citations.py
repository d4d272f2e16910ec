"""Teams citations: a message cites its source in the schema.org Message entity
(`citation`: a list of Claims, each referenced as `[n]` in the message text),
and Teams shows the source in a pop-up on hover.

A glossary answer cites the glossary entry it comes from: its name, the start
of its definition, its category and related terms as keywords, and the entry
itself as an Adaptive Card in the pop-up. The checks of an answer cite the
rule entry they come from (`CheckSource`, from prompts/rules): the rule's name
and the law or code it cites as the name, the check as the abstract. Limits
are Teams' (name 80 characters, abstract 160, three keywords of 28)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from botbuilder.schema import Entity

from adapters.teams import cards
from adapters.teams.safe_text import clip, plain
from bot.kernel.i18n import t
from bot.kernel.messages import CheckSource, GlossaryCard, Lang

NAME_MAX = 80
ABSTRACT_MAX = 160
KEYWORDS_MAX = 3
KEYWORD_MAX = 28


class CitedMessageEntity(Entity):
    """The schema.org Message entity with citations (and the AI label when the
    content is generated; a glossary entry is written by people, so not there)."""

    _attribute_map = {
        "type": {"key": "type", "type": "str"},
        "schema_type": {"key": "@type", "type": "str"},
        "context": {"key": "@context", "type": "str"},
        "id": {"key": "@id", "type": "str"},
        "additional_type": {"key": "additionalType", "type": "[str]"},
        "citation": {"key": "citation", "type": "[object]"},
    }

    def __init__(self, *, citation: list[dict[str, Any]], ai: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(type="https://schema.org/Message", **kwargs)
        self.schema_type = "Message"
        self.context = "https://schema.org"
        self.id = ""
        self.additional_type = ["AIGeneratedContent"] if ai else None
        self.citation = citation


def glossary_claim(entry: GlossaryCard, lang: Lang, *, position: int = 1) -> dict[str, Any]:
    keywords = [plain(k, KEYWORD_MAX) for k in [entry.category, *entry.related] if k.strip()]
    appearance: dict[str, Any] = {
        "@type": "DigitalDocument",
        "name": plain(t("teams.glossary_source_name", lang, term=entry.term), NAME_MAX),
        "abstract": plain(entry.definition, ABSTRACT_MAX),
        # The entry itself, shown in the citation's pop-up.
        "text": json.dumps(cards.glossary_card(entry, lang), ensure_ascii=False),
        "encodingFormat": cards.CONTENT_TYPE,
        "keywords": keywords[:KEYWORDS_MAX],
    }
    return {"@type": "Claim", "position": position, "appearance": appearance}


def glossary_source_line(entry: GlossaryCard, lang: Lang, *, position: int = 1) -> str:
    """The message text that carries the citation mark."""
    return f"{clip(t('teams.glossary_source', lang, term=plain(entry.term, 80)), 300)} [{position}]"


def check_claims(sources: Sequence[CheckSource]) -> list[dict[str, Any]]:
    """One Claim per sourced check, numbered from 1 in the order given."""
    return [{"@type": "Claim", "position": i, "appearance": {
        "@type": "DigitalDocument",
        "name": plain(f"{s.title} — {s.source}", NAME_MAX),
        "abstract": plain(s.check, ABSTRACT_MAX),
        "keywords": [plain(s.title, KEYWORD_MAX)],
    }} for i, s in enumerate(sources, 1)]


def checks_source_line(sources: Sequence[CheckSource], lang: Lang) -> str:
    """The message text that carries the citation marks ("Rules ...: [1] [2]")."""
    marks = " ".join(f"[{i}]" for i in range(1, len(sources) + 1))
    return f"{t('teams.checks_sources', lang)} {marks}"


def cited(sources: Sequence[CheckSource], *, ai: bool) -> list[Entity]:
    """The entities of a message citing `sources` (none: just the AI label, if any)."""
    if sources:
        return [CitedMessageEntity(citation=check_claims(sources), ai=ai)]
    return []
