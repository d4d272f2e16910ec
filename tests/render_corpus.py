"""Many answers to render: the real engine's (French and English, every kind of
reply, sector checks with their sources) and the extremes an LLM can produce
(long texts, 10 angles, emoji, markup in every field). The Slack and Teams
renderers are checked over all of them (tests/slack/test_blocks_valid.py,
tests/teams/test_cards_valid.py)."""

from __future__ import annotations

from bot.kernel.messages import (
    Angle,
    CheckSource,
    Document,
    GlossaryCard,
    QuickReply,
    Reply,
)
from tests.engine_helpers import BRAND_EN, BRAND_FR, Chat

SCRIPTS: dict[str, list[str]] = {
    "en": [BRAND_EN + "\nLaunch ideas for the back-to-school season", "more", "like 2",
           "refine 1 shorter and more playful", "challenge 2", "validate 3", "shortlist",
           "strategies", "help", "glossary ROI", "glossary zzqqxx", "taste", "brand", "export",
           "A savings account for students in the UK with 3% interest", "go"],
    "fr": [BRAND_FR + "\nLancement de notre bière blonde pour la fête des pères à Lyon",
           "encore", "affiner 2 plus drôle", "challenger 1", "valider 2", "glossaire persona",
           "aide", "stratégies", "Une appli de crédit à la consommation", "vas-y", "exporter"],
}

MARKUP = "<@U123> <!channel> <https://evil.example|click> **gras** & {{DATE(1)}} <at>x</at> "
EMOJI = "🎉✨🚀 🇫🇷 👩🏽‍💻 "
LONG = ("Une idée qui tient la route, avec des chiffres à vérifier et un ton léger. " * 60)


async def engine_replies(chat: Chat) -> list[Reply]:
    replies = []
    for lang, script in SCRIPTS.items():
        chat.conversation_id = f"corpus-{lang}"
        chat.lang = lang  # type: ignore[assignment]
        for text in script:
            replies.append(await chat.say(text))
    return replies


def extreme_replies() -> list[Reply]:
    source = CheckSource(check="Check " + MARKUP + LONG[:400], rule="alcohol",
                         title="Alcool " + EMOJI * 5, source="Code " + MARKUP * 4)
    angles = [Angle(n=n, id=f"x{n:04d}", strategy="storytelling",
                    title=f"{n}. {MARKUP}{EMOJI}" + LONG[:300], hook=LONG + EMOJI,
                    rationale=MARKUP + LONG * 2, channel="Instagram " + EMOJI * 20,
                    to_validate=[source.check, LONG[:900], MARKUP * 3] + [f"c{i}" for i in
                                                                          range(6)],
                    strategy_name="Storytelling " + EMOJI, why="explore",
                    sources=[source])
              for n in range(1, 11)]
    intro = "**10 angles** " + EMOJI + MARKUP + "\n\n" + LONG
    return [
        Reply(kind="angles", lang="fr", text=intro + LONG * 5, intro=intro, angles=angles,
              outro="_" + LONG[:500] + "_", sources=[source] * 6,
              notices=[MARKUP + LONG[:3500]] * 12,
              quick_replies=[QuickReply(f"{EMOJI}{i} {LONG[:90]}", f"say {i} {LONG}")
                             for i in range(30)]),
        Reply(kind="info", lang="en", text=(LONG + "\n\n") * 40 + MARKUP),
        Reply(kind="glossary", lang="en", text="",
              glossary=GlossaryCard(term="ROI " + EMOJI + LONG[:300], definition=LONG * 3,
                                    category=MARKUP, related=[EMOJI + LONG[:40]] * 15,
                                    in_practice=LONG * 2,
                                    faq=[{"q": LONG[:400], "a": LONG * 2}] * 8),
              quick_replies=[QuickReply("Lire en français", "glossaire ROI fr")]),
        Reply(kind="glossary", lang="fr", text="Pas d'entrée.", suggestions=[
            f"{EMOJI}{i} {LONG[:200]}" for i in range(20)]),
        Reply(kind="critique", lang="fr", text=MARKUP + LONG * 3, about=angles[0]),
        Reply(kind="shortlist", lang="en", text=LONG, document=Document(
            title="Shortlist " + EMOJI, markdown="# T\n\n## A " + MARKUP + "\n\n### B\n" + LONG,
            filename="shortlist.md")),
    ]
