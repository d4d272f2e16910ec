"""Text from an LLM or an organisation's glossary file shows as typed in Teams:
no mention, no HTML, no card function, no link with a hidden target, in the
message text, the cards, and the message extension's previews."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage

from tests.llm_fakes import EchoAnglesChatModel
from tests.teams import activities as A
from tests.teams.helpers import BRIEF_EN, action_data, angle_calls, cards_of, displayed_strings

HOSTILE = ("<at>General</at> <img src=x onerror=alert(1)> [read this](https://evil.example/login) "
           "[win](javascript:alert(1)) {{DATE(2017-02-14T06:08:39Z, SHORT)}}")


class HostileChatModel(EchoAnglesChatModel):
    """Valid answers whose every text field carries markup (a prompt injection's output)."""

    def _answer(self, messages: list[BaseMessage]) -> AIMessage:
        answer = json.loads(str(super()._answer(messages).content))
        return AIMessage(content=json.dumps(_poison(answer)))


def _poison(node: Any, key: str = "") -> Any:
    if isinstance(node, dict):
        return {k: _poison(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_poison(v, key) for v in node]
    if isinstance(node, str) and key not in ("strategy", "intent"):
        return f"{node} {HOSTILE}"
    return node


def assert_inert(text: str, *, in_card: bool = True) -> None:
    """Nothing Teams would turn into markup, a mention, a masked link, or (in a
    card, where TextBlocks evaluate them) a function."""
    bad = ["<at>", "<img", "](javascript", "](https://evil", "[read this]("]
    for found in [*bad, "{{DATE"] if in_card else bad:
        assert found not in text, (found, text)


def assert_message_inert(activity: dict[str, Any]) -> None:
    assert_inert(activity.get("text") or "", in_card=False)
    for shown in displayed_strings(cards_of(activity)):
        assert_inert(shown)


async def test_llm_output_is_inert_in_messages_cards_and_critiques(start_bot, connector):
    bot = await start_bot(chat_model=HostileChatModel())
    conversation = A.personal_conversation()
    await bot.post(A.personal_message(connector.url, BRIEF_EN, conversation=conversation))
    await bot.idle()
    calls = angle_calls(connector, conversation["id"])
    assert calls
    shown = displayed_strings(cards_of(calls[0].body))
    assert any("evil.example/login" in s for s in shown)  # the LLM's text is there, inert
    challenge = action_data(cards_of(calls[0].body)[0], "challenge")
    await bot.post(A.card_submit(connector.url, conversation=conversation,
                                 reply_to_id=calls[0].response_id, data=challenge))
    await bot.idle()
    critique = connector.posted(conversation["id"])[-1].body
    assert "read this (https://evil.example/login)" in critique["text"]  # target shown
    for call in connector.calls:
        assert_message_inert(call.body)


def hostile_glossary(folder: Path) -> Path:
    path = folder / "hostile.yaml"
    path.write_text(
        "categories:\n  org: {en: 'Org <at>Everyone</at>', fr: 'Org'}\n"
        "entries:\n"
        "  - category: org\n"
        "    term: {en: 'Phishbowl <b>meeting</b>'}\n"
        f"    definition: {{en: {json.dumps(HOSTILE)}}}\n",
        encoding="utf-8",
    )
    return path


async def test_glossary_entries_from_a_file_are_inert_in_cards_and_previews(
    start_bot, connector, tmp_path
):
    bot = await start_bot(glossary_paths=(hostile_glossary(tmp_path),))
    conversation = A.personal_conversation()
    await bot.post(A.personal_message(connector.url, "glossary phishbowl",
                                      conversation=conversation))
    (call,) = await connector.wait_for(lambda: connector.posted(conversation["id"]))
    assert any("Phishbowl" in s for s in displayed_strings(cards_of(call.body)))
    assert_message_inert(call.body)

    posted = await bot.post(A.extension_query(connector.url, "phishbowl"))
    (result,) = [a for a in posted.body["composeExtension"]["attachments"]
                 if "Phishbowl" in json.dumps(a)]
    for shown in displayed_strings(result["content"]):
        assert_inert(shown)
    preview = result["preview"]["content"]  # a thumbnail card: Teams reads it as HTML
    assert preview["title"] == "Phishbowl &lt;b&gt;meeting&lt;/b&gt;"
    assert "<" not in preview["text"] and "&lt;at&gt;General" in preview["text"]
