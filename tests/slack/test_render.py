"""Reply -> Block Kit: limits, escaping, button values (pure)."""

from __future__ import annotations

import json

from adapters.slack import actions
from adapters.slack.render import BLOCKS_MAX, SECTION_MAX, SlackMessage, render_reply, split_text
from adapters.slack.updates import mark_angle, mark_choice
from bot.kernel.messages import Action, Angle, GlossaryCard, QuickReply, Reply


def _angle(n: int, **kw: str) -> Angle:
    base = dict(n=n, id=f"id{n:04d}", strategy="storytelling", title=f"Title {n}",
                hook=f"Hook {n}", rationale="Because.", channel="LinkedIn",
                to_validate=["figures"], strategy_name="Storytelling")
    base.update(kw)
    return Angle(**base)  # type: ignore[arg-type]


def _sections(messages: list[SlackMessage]) -> list[str]:
    return [b["text"]["text"] for m in messages for b in m.blocks if b["type"] == "section"]


def test_angles_have_one_section_and_five_buttons_carrying_ids() -> None:
    reply = Reply(kind="angles", lang="en", text="Here you go.\n\n**1. Title 1**\n...",
                  intro="Here you go.", angles=[_angle(1), _angle(2)])
    [message] = render_reply(reply)
    assert _sections([message])[0] == "Here you go."
    acts = [b for b in message.blocks if b["type"] == "actions"]
    assert [b["block_id"] for b in acts] == ["acts.1", "acts.2"]
    ids = [e["action_id"] for e in acts[0]["elements"]]
    assert ids == [
        "sym.like.1",
        "sym.dislike.1",
        "sym.validate.1",
        "sym.refine.1",
        "sym.challenge.1",
    ]
    assert {e["value"] for e in acts[1]["elements"]} == {"id0002"}
    decoded = actions.decode(ids[2], "id0001")
    assert decoded is not None and decoded.action == Action(kind="validate", angle_id="id0001")
    assert decoded.n == 1


def test_long_text_is_split_into_sections_and_messages_within_limits() -> None:
    paragraph = "word " * 500  # 2,500 characters
    reply = Reply(kind="info", lang="fr", text="\n\n".join([paragraph] * 80))
    messages = render_reply(reply)
    assert len(messages) > 1
    assert all(len(m.blocks) <= BLOCKS_MAX for m in messages)
    assert all(len(s) <= SECTION_MAX for s in _sections(messages))
    assert sum(len(s) for s in _sections(messages)) >= 80 * 2400


def test_many_angles_never_separate_an_angle_from_its_buttons() -> None:
    reply = Reply(kind="angles", lang="en", text="x", angles=[_angle(n) for n in range(1, 21)])
    messages = render_reply(reply)
    assert len(messages) == 2
    for m in messages:
        ids = [b.get("block_id") for b in m.blocks]
        for n in range(1, 21):
            if f"angle.{n}" in ids:
                assert f"acts.{n}" in ids


def test_user_and_llm_text_is_escaped_everywhere() -> None:
    evil = "<!channel> <@U1> <http://evil|bank>"
    reply = Reply(kind="angles", lang="en", text=evil, notices=[evil], intro=evil,
                  angles=[_angle(1, title=evil, hook=evil, rationale=evil)],
                  quick_replies=[QuickReply(label=evil, value="go")])
    dumped = json.dumps(
        [m.blocks for m in render_reply(reply)] + [m.text for m in render_reply(reply)]
    )
    assert "<!channel>" not in dumped and "<@U1>" not in dumped and "<http://evil" not in dumped
    assert "&lt;!channel&gt;" in dumped
    for m in render_reply(reply):
        for b in m.blocks:
            if b["type"] == "section":
                assert b["text"]["verbatim"] is True


def test_glossary_card_share_button_only_for_slash() -> None:
    card = GlossaryCard(term="RTB", definition="Reason to believe.", related=["USP"])
    reply = Reply(kind="glossary", lang="en", text="RTB: ...", glossary=card)
    [slash] = render_reply(reply, slash=True)
    [plain_msg] = render_reply(reply)
    assert any(
        e.get("action_id") == "sym.gloss_share.0"
        for b in slash.blocks
        for e in b.get("elements", [])
    )
    assert not any(b["type"] == "actions" for b in plain_msg.blocks)


def test_suggestions_become_buttons() -> None:
    reply = Reply(kind="glossary", lang="en", text="No entry.", suggestions=["RTB", "ROI"])
    [slash] = render_reply(reply, slash=True)
    [chat] = render_reply(reply)
    slash_values = [e["value"] for b in slash.blocks for e in b.get("elements", []) if "value" in e]
    chat_values = [e["value"] for b in chat.blocks for e in b.get("elements", []) if "value" in e]
    assert slash_values == ["RTB", "ROI"]
    assert chat_values == ["glossary RTB", "glossary ROI"]


def test_quick_replies_win_over_duplicate_suggestions_and_slash_gets_no_say_buttons() -> None:
    reply = Reply(kind="glossary", lang="en", text="No entry.", suggestions=["ROI"],
                  quick_replies=[QuickReply("ROI", "glossary ROI"), QuickReply("Go", "go")])
    [chat] = render_reply(reply)
    [slash] = render_reply(reply, slash=True)
    chat_ids = [
        e["action_id"] for b in chat.blocks for e in b.get("elements", []) if "action_id" in e
    ]
    slash_ids = [
        e["action_id"] for b in slash.blocks for e in b.get("elements", []) if "action_id" in e
    ]
    assert chat_ids == ["sym.say.0", "sym.say.1"]
    assert slash_ids == ["sym.gloss_pick.0"]


def test_split_text_prefers_paragraphs() -> None:
    assert split_text("aaa\n\nbbb ccc", 8) == ["aaa", "bbb ccc"]
    assert split_text("x" * 20, 8) == ["x" * 8, "x" * 8, "x" * 4]


def test_mark_angle_and_choice() -> None:
    reply = Reply(kind="angles", lang="en", text="x", angles=[_angle(1), _angle(2)],
                  quick_replies=[QuickReply("More", "more")])
    [message] = render_reply(reply)
    marked = mark_angle(message.blocks, 1, "👍 recorded")
    ids = [b.get("block_id") for b in marked]
    assert ids[ids.index("acts.1") + 1] == "fb.1"
    again = mark_angle(marked, 1, "✅ validated")
    assert [b.get("block_id") for b in again].count("fb.1") == 1
    chosen = mark_choice(message.blocks, "qr", "➡️ More")
    assert "qr" not in [b.get("block_id") for b in chosen]
    [line] = [b for b in chosen if b.get("block_id") == "chosen-qr"]
    assert line["elements"][0]["text"] == "➡️ More"


def test_unknown_action_ids_decode_to_none() -> None:
    assert actions.decode("other_app_button", "x") is None
    assert actions.decode("sym.launch_missiles.1", "x") is None
    assert actions.decode("sym.like.1", "") is None
