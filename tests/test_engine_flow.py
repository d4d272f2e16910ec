"""Whole conversations through the real engine and a real Redis."""

from __future__ import annotations

from dataclasses import replace

import pytest
import redis.asyncio as aioredis

from bot.app import build_engine
from bot.engine import Engine
from bot.kernel.messages import Action
from bot.kernel.settings import Settings
from bot.store.events import decode_event
from tests.engine_helpers import BRAND_EN, BRAND_FR, Chat


async def test_a_brief_without_context_gets_at_most_two_questions_first(chat: Chat) -> None:
    reply = await chat.say("Nous lançons une gourde pour la rentrée, il nous faut des idées")
    assert reply.kind == "questions"
    assert reply.lang == "fr"
    assert 1 <= len(reply.questions) <= 2
    assert any(q.value in ("vas-y", "go") for q in reply.quick_replies)


async def test_answers_then_angles(chat: Chat) -> None:
    first = await chat.say("We want ideas for the back-to-school season")
    assert first.kind == "questions" and first.lang == "en"
    second = await chat.say("An insulated steel bottle\nUrban students")
    assert second.kind == "questions"  # the two remaining key fields
    assert len(second.questions) == 2
    objective = next(q for q in second.quick_replies if "Awareness" in q.label)
    third = await chat.click(Action("say", value=objective.value))
    assert third.kind == "questions" and len(third.questions) == 1  # the tone, still
    final = await chat.say("playful")
    assert final.kind == "angles"
    assert len(final.angles) == 5
    assert len({a.strategy for a in final.angles}) == 5
    brand = await chat.say("brand")
    for fact in ("Urban students", "insulated steel bottle", "Awareness", "playful"):
        assert fact.lower() in brand.text.lower()


async def test_facts_stated_in_the_brief_are_not_asked_again(chat: Chat) -> None:
    reply = await chat.say("Nous lançons une gourde isotherme pour les randonneurs du dimanche")
    assert reply.kind == "questions"
    assert "gourde isotherme" in reply.text and "randonneurs du dimanche" in reply.text
    assert all("cible" not in q.lower() and "vendez" not in q.lower() for q in reply.questions)


async def test_a_typo_is_not_taken_for_an_answer(chat: Chat) -> None:
    await chat.say("We want ideas for the back-to-school season")
    reply = await chat.say("hepl")
    assert reply.kind == "help" and "`help`" in reply.text
    assert "hepl" not in (await chat.say("brand")).text


async def test_a_lone_tone_word_is_noted_as_a_brand_fact(chat: Chat) -> None:
    reply = await chat.say("décalé")
    assert reply.kind == "brand" and "décalé" in reply.text


async def test_thanks_gets_a_polite_answer_not_angles(chat: Chat) -> None:
    assert (await chat.say("merci !")).kind == "info"
    assert (await chat.say("thanks")).kind == "info"


async def test_go_skips_the_questions_and_states_assumptions(chat: Chat) -> None:
    await chat.say("Nous lançons une gourde pour la rentrée")
    reply = await chat.say("vas-y")
    assert reply.kind == "angles"
    assert "hypothèses" in reply.text.lower()
    assert len(reply.angles) == 5
    # Assumptions are not stored as facts.
    assert "supposé" not in (await chat.say("marque")).text


async def test_known_brand_goes_straight_to_angles_in_french(chat: Chat) -> None:
    await chat.say(BRAND_FR)
    reply = await chat.say("Trouver des idées pour la rentrée de septembre")
    assert reply.kind == "angles"
    assert reply.lang == "fr"
    for angle in reply.angles:
        assert angle.title and angle.hook and angle.rationale and angle.channel
        assert angle.to_validate
        assert angle.id and angle.strategy
    assert reply.text.count("**") >= 10


async def test_feedback_is_recorded_and_shortlisted(chat: Chat, engine: Engine) -> None:
    await chat.say(BRAND_EN)
    angles = (await chat.say("Ideas for the September back-to-school launch")).angles
    liked = await chat.say("like 2")
    assert liked.kind == "feedback" and liked.recorded == Action("like", angles[1].id)
    disliked = await chat.say("dislike 3 too corporate")
    assert disliked.kind == "feedback" and "too corporate" in disliked.text
    validated = await chat.say("validate 1")
    assert validated.kind == "feedback"
    shortlist = await chat.say("shortlist")
    assert shortlist.kind == "shortlist"
    assert [a.id for a in shortlist.angles] == [angles[0].id]
    log = [decode_event(e) for e in await engine.store.feedback_log(chat.user_id)]
    assert [e["a"] for e in reversed(log)] == ["like", "dislike", "validate"]
    assert log[1]["x"] == "too corporate"
    profile = await engine.profile(chat.user_id, "en")
    assert profile.top_strategies[0][0] == angles[0].strategy


async def test_a_rejected_angle_is_never_proposed_again(chat: Chat) -> None:
    await chat.say(BRAND_EN)
    first = (await chat.say("Ideas for the September back-to-school launch")).angles
    for n in range(1, 6):
        await chat.say(f"dislike {n}")
    rejected = {a.id for a in first}
    for _ in range(5):
        again = await chat.say("more")
        assert again.kind == "angles"
        assert not rejected & {a.id for a in again.angles}


async def test_button_clicks_use_angle_ids(chat: Chat) -> None:
    await chat.say(BRAND_EN)
    angles = (await chat.say("Ideas for the September back-to-school launch")).angles
    reply = await chat.click(Action("validate", angle_id=angles[3].id))
    assert reply.kind == "feedback" and reply.recorded == Action("validate", angles[3].id)
    gone = await chat.click(Action("like", angle_id="doesnotexist"))
    assert gone.kind == "error" and "no longer available" in gone.text


async def test_refine_replaces_the_angle_and_keeps_its_number(chat: Chat) -> None:
    await chat.say(BRAND_EN)
    angles = (await chat.say("Ideas for the September back-to-school launch")).angles
    reply = await chat.say("refine 2 more playful")
    assert reply.kind == "angles"
    assert [a.n for a in reply.angles] == [2]
    assert reply.angles[0].strategy == angles[1].strategy
    assert reply.angles[0].id != angles[1].id
    liked = await chat.say("like 2")
    assert liked.recorded == Action("like", reply.angles[0].id)


async def test_challenge_an_angle_and_an_idea(chat: Chat) -> None:
    await chat.say(BRAND_FR)
    await chat.say("Des idées pour la rentrée de septembre")
    critique = await chat.say("challenger 2")
    assert critique.kind == "critique" and critique.lang == "fr"
    assert critique.text.count("?") >= 3
    idea = await chat.say("challenge a giant bottle parade in the city centre")
    assert idea.kind == "critique" and idea.lang == "en"


@pytest.mark.parametrize(
    ("text", "kind", "needle"),
    [
        ("", "error", "empty"),
        ("   \t ", "error", "empty"),
        ("like 9", "error", "any angles"),
        ("refine 2 shorter", "error", "any angles"),
        ("frobnicate", "help", "frobnicate"),
        ("yes", "info", "nothing to confirm"),
    ],
)
async def test_bad_input_gets_a_clear_answer(chat: Chat, text: str, kind: str, needle: str) -> None:
    chat.lang = "en"
    reply = await chat.say(text)
    assert reply.kind == kind
    assert needle in reply.text.lower()


async def test_out_of_range_angle_number(chat: Chat) -> None:
    await chat.say(BRAND_EN)
    await chat.say("Ideas for the September back-to-school launch")
    reply = await chat.say("like 9")
    assert reply.kind == "error" and "between 1 and 5" in reply.text
    # A bare French command in an English session: understood, the session stays English.
    reply = await chat.say("j'aime 0")
    assert reply.kind == "error" and "between 1 and 5" in reply.text


async def test_long_messages_are_trimmed_with_a_notice_and_controls_removed(chat: Chat) -> None:
    reply = await chat.say("Launch our bottle for students \x00\x07" + " and more" * 1000)
    assert reply.notices and "4000" in reply.notices[0]
    assert "\x00" not in reply.text


async def test_forget_me_asks_then_erases_everything(chat: Chat, engine: Engine,
                                                     redis_client: aioredis.Redis,
                                                     key_prefix: str) -> None:
    chat.lang = "en"  # the platform's locale: what remains once the memory is gone
    await chat.say(BRAND_EN)
    await chat.say("Ideas for the September back-to-school launch")
    await chat.say("validate 1")
    other = Chat(engine, user_id="test:bob")
    await other.say(BRAND_EN)
    ask = await chat.say("forget me")
    assert "yes" in ask.text
    assert await redis_client.keys(f"{key_prefix}:{{test:-:u:alice}}:*")
    # A direct conversation has no colleagues: no shared thread record is kept for it.
    assert not await redis_client.keys(f"{key_prefix}:*thread*")
    done = await chat.say("yes")
    assert done.kind == "info"
    assert not await redis_client.keys(f"{key_prefix}:{{test:-:u:alice}}:*")
    assert await redis_client.keys(f"{key_prefix}:{{test:-:u:bob}}:*")
    assert (await chat.say("brand")).text.startswith("I don't know your brand")


async def test_forget_me_confirmed_in_the_same_message(chat: Chat) -> None:
    await chat.say(BRAND_FR)
    done = await chat.say("oublie-moi, oui")
    assert done.kind == "info" and "effacé" in done.text
    assert (await chat.say("marque")).text.startswith("Je ne connais pas")


async def test_several_angles_at_once_and_sentences_about_an_angle(chat: Chat,
                                                                    engine: Engine) -> None:
    await chat.say(BRAND_EN)
    angles = (await chat.say("Ideas for the September back-to-school launch")).angles
    reply = await chat.say("like 1 and 3")
    assert reply.kind == "feedback" and reply.text.count("👍") == 2
    await chat.say("je valide les 2, 4 et 5")
    assert {a.id for a in (await engine.store.shortlist(chat.user_id))} == {
        angles[1].id, angles[3].id, angles[4].id}
    # A short sentence about one angle is not a new brief.
    unclear = await chat.say("hmm what about the 3rd one")
    assert unclear.kind == "help" and any("3" in q.value for q in unclear.quick_replies)
    assert (await chat.say("more")).kind == "angles"


async def test_greetings_and_dont_know(chat: Chat) -> None:
    assert "Symbiose" in (await chat.say("hi there")).text
    await chat.say("Nous lançons une gourde isotherme pour les randonneurs")
    reply = await chat.say("je ne sais pas")
    assert reply.kind == "angles"


async def test_a_forget_me_confirmation_expires_after_one_message(chat: Chat) -> None:
    await chat.say(BRAND_EN)
    await chat.say("forget me")
    await chat.say("Ideas for the September back-to-school launch")
    assert "nothing to confirm" in (await chat.say("yes")).text.lower()
    assert "Gourdo" in (await chat.say("brand")).text


async def test_forget_me_can_be_cancelled(chat: Chat) -> None:
    await chat.say(BRAND_FR)
    await chat.say("oublie-moi")
    assert "rien" in (await chat.say("non")).text
    assert "Gourdo" in (await chat.say("marque")).text


async def test_users_are_isolated(engine: Engine) -> None:
    alice = Chat(engine, user_id="test:alice", lang="en")
    bob = Chat(engine, user_id="test:bob", lang="en")
    await alice.say(BRAND_EN)
    assert "don't know" in (await bob.say("brand")).text


async def test_french_conversation_errors_are_in_french(chat: Chat) -> None:
    await chat.say(BRAND_FR)
    await chat.say("Des idées pour la rentrée de septembre")
    reply = await chat.say("like 7")
    assert reply.lang == "fr" and "entre 1 et 5" in reply.text
    assert (await chat.say("more")).lang == "fr"
    # No clue in the message (a click): the conversation's language.
    assert (await chat.click(Action("like", angle_id="nope"))).lang == "fr"
    # A sentence in the other language does switch.
    assert (await chat.say("Could you give me ideas for the summer instead?")).lang == "en"


async def test_language_follows_sentences_and_defaults(engine: Engine) -> None:
    chat = Chat(engine)
    # A bare command says nothing about language: the default (SYMBIOSE_LANG, fr).
    assert (await chat.say("help")).lang == "fr"
    # A sentence sets it.
    assert (await chat.say("We are looking for ideas for our summer launch")).lang == "en"
    # Then bare commands and messages with no clue keep it.
    assert (await chat.say("aide")).lang == "en"
    assert (await chat.say("2")).lang == "en"
    # The platform's locale (or --lang) is the default of a new conversation.
    assert (await Chat(engine, conversation_id="c2", lang="en").say("more")).lang == "en"


async def test_glossary_through_the_conversation(chat: Chat) -> None:
    reply = await chat.say("glossaire IA symbiotique")
    assert reply.kind == "glossary"
    assert reply.glossary is not None


async def test_strategies_listing(chat: Chat) -> None:
    reply = await chat.say("strategies")
    assert reply.kind == "info"
    assert reply.text.count("\n- ") >= 15


async def test_redis_down_still_answers_with_a_notice(settings: Settings) -> None:
    engine = build_engine(replace(settings, redis_url="redis://127.0.0.1:1/0"))
    reply = await Chat(engine, lang="en").say(BRAND_EN.replace("\n", "\n") + "\nIdeas please")
    assert reply.kind in ("angles", "brand")
    assert any("memory" in n for n in reply.notices)
    await engine.aclose()


async def test_a_colleague_can_react_to_angles_in_a_shared_thread(engine: Engine) -> None:
    here = {"channel": "C1", "dm": False}
    alice = Chat(engine, user_id="test:alice", conversation_id="slack:T1:C1:100.1", extras=here)
    bob = Chat(engine, user_id="test:bob", conversation_id="slack:T1:C1:100.1", extras=here)
    await alice.say(BRAND_EN)
    angles = (await alice.say("Ideas for the September back-to-school launch")).angles
    reply = await bob.click(Action("like", angle_id=angles[2].id))
    assert reply.kind == "feedback" and reply.recorded == Action("like", angles[2].id)
    # Bob's taste moved, Alice's did not.
    assert (await engine.profile("test:bob", "en")).top_strategies[0][0] == angles[2].strategy
    assert (await engine.profile("test:alice", "en")).top_strategies == []
    # Elsewhere the id means nothing.
    other = Chat(engine, user_id="test:bob", conversation_id="slack:T1:C2:5.5",
                 extras={"channel": "C2", "dm": False})
    assert (await other.click(Action("like", angle_id=angles[2].id))).kind == "error"


async def test_a_refinement_without_a_number_never_replaces_the_brief(chat: Chat) -> None:
    await chat.say(BRAND_FR)
    await chat.say("Des idées pour la rentrée de septembre")
    reply = await chat.say("plus court")
    assert reply.kind == "error" and "affiner 2" in reply.text
    again = await chat.say("encore")
    assert "rentrée de septembre" in again.text


async def test_ok_is_an_acknowledgement(chat: Chat) -> None:
    assert "👍" in (await chat.say("ok")).text
