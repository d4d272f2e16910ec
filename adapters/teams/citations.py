"""Teams citations: a message cites its source in the schema.org Message entity
(`citation`: a list of Claims, each referenced as `[n]` in the message text),
and Teams shows the source in a pop-up on hover.

A glossary answer cites the glossary entry it comes from: its name, the start
of its definition, its category and related terms as keywords, and the entry
itself as an Adaptive Card in the pop-up. Limits are Teams' (name 80
characters, abstract 160, three keywords of 28)."""

from __future__ import annotations

import json
from typing import Any

from botbuilder.schema import Entity

from adapters.teams import cards
from adapters.teams.safe_text import clip, plain
from bot.kernel.i18n import t
from bot.kernel.messages import GlossaryCard, Lang

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
