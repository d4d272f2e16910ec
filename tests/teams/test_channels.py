"""Channels are clients on Teams: the real bot over real HTTP, the mock Bot
Connector, a real Redis. One Teams channel, two reply chains, two people."""

from __future__ import annotations

import base64
import json

from tests.teams import activities as A
from tests.teams.helpers import BRIEF_EN, angle_calls, cards_of


def _texts(connector, conversation_id: str) -> str:
    return "\n".join(json.dumps(c.body, ensure_ascii=False)
                     for c in connector.posted(conversation_id))


async def test_a_teams_channel_shares_its_brand_across_reply_chains(bot, connector):
    first = A.channel_conversation()
    second = {**first, "id": first["id"].split(";")[0] + ";messageid=1700000999999"}
    await bot.post(A.channel_message(connector.url, "Brand: Acme\nAudience: riders",
                                     conversation=first, user="alice"))
    await bot.idle()
    assert "changed by Alice" in _texts(connector, first["id"])
    await bot.post(A.channel_message(connector.url, "brand", conversation=second, user="bob"))
    await bot.idle()
    said = _texts(connector, second["id"])
    assert "Acme" in said and "riders" in said and "by Alice" in said
    # In his personal chat Bob's own context is empty, and `brands` lists the channel's.
    personal = A.personal_conversation("bob")
    await bot.post(A.personal_message(connector.url, "brand", conversation=personal, user="bob"))
    await bot.idle()
    assert "Acme" not in _texts(connector, personal["id"])
    await bot.post(A.personal_message(connector.url, "brands", conversation=personal,
                                      user="bob"))
    await bot.idle()
    assert "Acme" in _texts(connector, personal["id"])


async def test_export_sends_a_card_and_a_markdown_file(bot, connector):
    chain = A.channel_conversation()
    await bot.post(A.channel_message(connector.url, BRIEF_EN, conversation=chain))
    await bot.idle()
    [first, *_] = angle_calls(connector, chain["id"])
    title = cards_of(first.body)[0]["body"][1]["text"]
    await bot.post(A.channel_message(connector.url, "validate 1", conversation=chain))
    await bot.idle()
    await bot.post(A.channel_message(connector.url, "export", conversation=chain, user="bob"))
    await bot.idle()
    [export] = [c for c in connector.posted(chain["id"])
                if any(a["contentType"] == "text/markdown" for a in c.body.get("attachments", []))]
    [card] = cards_of(export.body)
    shown = json.dumps(card, ensure_ascii=False)
    assert title in shown and "Alice" in shown and "Checks still to do" in shown
    [file] = [a for a in export.body["attachments"] if a["contentType"] == "text/markdown"]
    assert file["name"].endswith(".md")
    markdown = base64.b64decode(file["contentUrl"].split(",", 1)[1]).decode()
    assert markdown.startswith("# ") and title in markdown and "Gourdo" in markdown
