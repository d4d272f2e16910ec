"""The LLM reader, with langchain fake chat models: native structured output first,
JSON after, and the offline reading standing whenever the model fails."""

from __future__ import annotations

from bot.app import build_engine
from bot.brief.llm_reader import LLMReader
from bot.brief.model import BriefModel
from bot.kernel.settings import Settings
from tests.engine_helpers import Chat
from tests.llm_fakes import EchoAnglesChatModel, ScriptedChatModel, StructuredReaderChatModel

BRIEF = "Atelier Ravel unveils a tourbillon for collectors in New York, 250 pieces."
READING = {"product": "tourbillon watch", "audience": "collectors", "objective": "boutique visits",
           "exclusions": [{"key": "celebrity", "text": "no celebrities"},
                          {"key": "made-up", "text": "no blue"}],
           "sectors": ["luxury_watches_jewellery", "not_a_sector"], "market": "US",
           "season": "Winter", "figures": ["250 pieces"], "concerns": ["tourbillon"],
           "left_open": ["tone", "nonsense"]}


async def test_native_structured_output_is_asked_for_first() -> None:
    model = StructuredReaderChatModel(readings={BRIEF: READING})
    reading = await LLMReader(model=model).read(BRIEF, lang="en", known=BriefModel())
    assert model.methods[0] == "json_schema"
    assert reading.get("product") == "tourbillon watch" and reading.source("product") == "extracted"
    assert [(e.key, e.text) for e in reading.exclusions] == [
        ("celebrity", "no celebrities"), ("other", "no blue")]  # unknown keys kept as "other"
    assert reading.sectors == ("luxury_watches_jewellery",)  # unknown sector ids dropped
    assert (reading.market, reading.season) == ("us", "winter")
    assert reading.left_open == ("tone",)
    prompt = "\n".join(m.text for m in model.calls[0])
    assert "<message>\n" + BRIEF + "\n</message>" in prompt and "luxury_watches_jewellery" in prompt


async def test_a_model_without_structured_output_answers_json() -> None:
    model = ScriptedChatModel(['Sure: {"product": "savings account", "market": "fr"}'])
    reading = await LLMReader(model=model).read("Un livret...", lang="fr", known=BriefModel())
    assert reading.get("product") == "savings account" and reading.market == "fr"


async def test_what_the_user_labelled_wins_over_the_model(settings: Settings) -> None:
    brief = "We launch Trailpod, a solar camping lantern. Audience: weekend hikers."
    model = StructuredReaderChatModel(readings={brief: {
        "product": "camping lantern", "audience": "families", "objective": "pre-orders"}})
    engine = build_engine(settings, chat_model=model)
    chat = Chat(engine, lang="en")
    await chat.say(brief)
    snap = await engine.store.load(chat.user_id, chat.conversation_id)
    stored = BriefModel.from_dict(snap.conversation.model)
    assert stored.get("audience") == "weekend hikers" and stored.source("audience") == "said"
    assert stored.get("objective") == "pre-orders" and stored.source("objective") == "extracted"
    await engine.aclose()


async def test_a_failing_reader_leaves_the_offline_reading(settings: Settings) -> None:
    class Broken(EchoAnglesChatModel):
        def reading_for(self, messages):  # type: ignore[no-untyped-def]
            raise RuntimeError("provider down")

    engine = build_engine(settings, chat_model=Broken())
    chat = Chat(engine, lang="fr")
    reply = await chat.say("Nous lançons un livret d'épargne pour les jeunes actifs")
    assert reply.kind == "questions" and "provider down" not in reply.text
    snap = await engine.store.load(chat.user_id, chat.conversation_id)
    assert BriefModel.from_dict(snap.conversation.model).get("product") == "livret d'épargne"
    await engine.aclose()
