"""Teams' streaming protocol in a personal chat, over real HTTP against the mock
Bot Connector (which enforces the protocol: tests/teams/mock_connector.StreamRules):
an informative update, the angles streamed as they are written, then the final
message with the AI label; channels keep plain proactive delivery."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from langchain_core.outputs import ChatGenerationChunk

from adapters.teams.server import BOT_KEY
from adapters.teams.streaming import StreamSlots
from tests.llm_fakes import EchoAnglesChatModel
from tests.teams import activities as A
from tests.teams.harness import BotServer
from tests.teams.helpers import BRIEF_EN, cards_of, is_ai_labelled
from tests.teams.mock_connector import MockConnector, stream_info


class SlowAnglesModel(EchoAnglesChatModel):
    """Writes its angles slowly, so several stream updates go out meanwhile."""

    async def _astream(self, *args: Any, **kwargs: Any) -> AsyncIterator[ChatGenerationChunk]:
        async for chunk in super()._astream(*args, **kwargs):
            if "title" in chunk.text:
                await asyncio.sleep(0.15)
            yield chunk


async def _bot(start_bot: Callable[..., Awaitable[BotServer]], **overrides: Any) -> BotServer:
    bot = await start_bot(chat_model=SlowAnglesModel(), **overrides)
    bot.app[BOT_KEY].stream_interval_s = 0.05  # Teams' pace is ~1/s; tests go faster
    return bot


def _texts_of_cards(activities: list[dict[str, Any]]) -> list[Any]:
    return [cards_of(a) for a in activities]


async def test_personal_chat_streams_then_sends_the_final_message(
    start_bot: Callable[..., Awaitable[BotServer]], connector: MockConnector, key_prefix: str
) -> None:
    bot = await _bot(start_bot)
    conversation = A.personal_conversation()
    await bot.post(A.personal_message(connector.url, BRIEF_EN, conversation=conversation))
    await bot.idle()
    sent = connector.sent(conversation["id"], kind=None)
    streamed = [a for a in sent if stream_info(a) is not None]
    kinds = [stream_info(a)["streamType"] for a in streamed]  # type: ignore[index]
    # Informative first, then streamed text, then the final message.
    assert kinds[0] == "informative" and kinds[-1] == "final", kinds
    assert kinds.count("final") == 1 and "streaming" in kinds
    assert kinds.index("streaming") > 0
    assert all(k == "informative" for k in kinds[: kinds.index("streaming")])
    first_id = next(c.response_id for c in connector.calls if c.body is streamed[0]
                    or c.body == streamed[0])
    infos = [stream_info(a) for a in streamed]
    assert [i["streamSequence"] for i in infos[:-1]] == list(range(1, len(infos)))  # type: ignore[index]
    assert all(i["streamId"] == first_id for i in infos[1:])  # type: ignore[index]
    assert infos[0].get("streamId") is None  # type: ignore[union-attr]
    assert all(a["type"] == "typing" for a in streamed[:-1])

    # The streamed text grows angle by angle, in order.
    streaming = [a["text"] for a in streamed if stream_info(a)["streamType"] == "streaming"]  # type: ignore[index]
    assert len(streaming) >= 2, streaming
    final_cards = [c for a in sent if a["type"] == "message" for c in cards_of(a)]
    titles = [c["body"][1]["text"] for c in final_cards if len(c.get("body", [])) > 1]
    assert len(titles) == 5
    shown = [[title for title in titles if title in text] for text in streaming]
    # Each update shows the first k angles, k growing: one by one, in order.
    assert all(found == titles[: len(found)] for found in shown), shown
    counts = [len(found) for found in shown]
    assert counts == sorted(counts) and counts[0] < counts[-1] and counts[-1] >= 3, counts
    last = streaming[-1]
    positions = [last.find(title) for title in shown[-1]]
    assert positions == sorted(positions)

    # The final message: streamType final, the AI label, feedback buttons; the cards follow.
    final = streamed[-1]
    assert final["type"] == "message" and is_ai_labelled(final)
    assert final["channelData"]["feedbackLoopEnabled"] is True
    assert final["channelData"]["streamType"] == "final"
    after = sent[sent.index(final) + 1:]
    assert len([a for a in after if cards_of(a)]) >= 5
    assert connector.streams.finished == [first_id]

    # Without streaming, the same turn (same user and chat, a fresh store) shows
    # the same final message and the same cards.
    plain = await _bot(start_bot, key_prefix=key_prefix + ":plain")
    plain.app[BOT_KEY].streaming = False
    connector.calls.clear()
    await plain.post(A.personal_message(connector.url, BRIEF_EN, conversation=conversation))
    await plain.idle()
    unstreamed = [a for a in connector.sent(conversation["id"])]
    assert all(stream_info(a) is None for a in unstreamed)
    header = next(a for a in unstreamed if a.get("text"))
    assert header["text"] == final["text"]
    assert _texts_of_cards(unstreamed[unstreamed.index(header) + 1:]) == _texts_of_cards(after)


async def test_quick_answers_and_channels_do_not_stream(
    start_bot: Callable[..., Awaitable[BotServer]], connector: MockConnector
) -> None:
    bot = await _bot(start_bot)
    personal = A.personal_conversation()
    await bot.post(A.personal_message(connector.url, "help", conversation=personal))
    channel = A.channel_conversation()
    await bot.post(A.channel_message(connector.url, BRIEF_EN, conversation=channel))
    await bot.idle()
    assert [a for a in connector.sent(kind=None) if stream_info(a) is not None] == []
    assert connector.sent(personal["id"]) and cards_of(connector.sent(channel["id"])[-1])


async def test_beyond_the_live_streams_budget_answers_come_whole(
    start_bot: Callable[..., Awaitable[BotServer]], connector: MockConnector
) -> None:
    bot = await _bot(start_bot)
    bot.app[BOT_KEY].stream_slots = StreamSlots(limit=1)
    first, second = A.personal_conversation("ann"), A.personal_conversation("bob")
    await asyncio.gather(
        bot.post(A.personal_message(connector.url, BRIEF_EN, conversation=first, user="ann")),
        bot.post(A.personal_message(connector.url, BRIEF_EN, conversation=second, user="bob")))
    await bot.idle()
    streamed = {c for c in (first["id"], second["id"])
                if any(stream_info(a) for a in connector.sent(c, kind=None))}
    assert len(streamed) == 1  # one slot: one stream, the other answer sent whole
    for conversation in (first, second):
        assert len([a for a in connector.sent(conversation["id"]) if cards_of(a)]) >= 5
    assert bot.app[BOT_KEY].stream_slots.in_use == 0
