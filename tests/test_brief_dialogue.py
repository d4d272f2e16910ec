"""The dialogue around the brief: answers kept, feedback in plain words, bad input."""

from __future__ import annotations

import re

import pytest
import redis.asyncio as aioredis

from bot.brief.model import BriefModel
from bot.dialogue.references import emoji_verdict, feedback_intent
from bot.engine import Engine
from bot.kernel.messages import Angle
from tests.engine_helpers import Chat


async def _model(engine: Engine, chat: Chat) -> BriefModel:
    snap = await engine.store.load(chat.user_id, chat.conversation_id)
    return BriefModel.from_dict(snap.conversation.model)


ANGLES = [Angle(n=i, id=f"a{i}", strategy="s", title=title, hook=hook, rationale="", channel="")
          for i, (title, hook) in enumerate([("The night lantern", "Light your camp"),
                                              ("Solar proof", "Charged by day"),
                                              ("Behind the lamp", "Our engineers"),
                                              ("Hikers talk", "Reviews"),
                                              ("Contrarian", "Don't buy")], 1)]


@pytest.mark.parametrize(("text", "kind", "n"), [
    ("the third one is too corporate", "dislike", 3),
    ("la 2 est trop banale", "dislike", 2),
    ("j'adore la première", "like", 1),
    ("je n'aime pas la deuxième", "dislike", 2),
    ("pas mal la 4", "like", 4),
    ("on garde la 5", "validate", 5),
    ("la dernière est trop longue", "dislike", 5),
    ("#3 but shorter", "refine", 3),
    ("the lantern one is great", "like", 1),
    ("more like 2", "more", 2),
    ("more like 1 but less formal", "refine", 1),
    ("the second one feels like every other ad", "dislike", 2),
    ("Actually I love the second one, it sounds like our CFO", "like", 2),
])
def test_plain_feedback_finds_the_angle_and_the_verdict(text: str, kind: str, n: int) -> None:
    intent = feedback_intent(text, ANGLES)
    assert intent is not None and (intent.kind, intent.n) == (kind, n)


@pytest.mark.parametrize("text", ["Nous lançons une gourde pour les randonneurs",
                                  "the 2nd is better than the 3rd", "I want 3 more"])
def test_not_every_sentence_is_feedback(text: str) -> None:
    assert feedback_intent(text, ANGLES) is None


def test_something_completely_different_leaves_the_strategies_shown() -> None:
    intent = feedback_intent("something completely different", ANGLES)
    assert intent is not None and (intent.kind, intent.arg) == ("more", "different")


def test_emoji_alone_is_a_verdict_only_when_clear() -> None:
    assert emoji_verdict("🔥🔥🔥") == "like" and emoji_verdict("👎") == "dislike"
    assert emoji_verdict("🔥👎") is None and emoji_verdict("🦄") is None


async def test_the_livret_dialogue_keeps_every_answer(chat: Chat, engine: Engine) -> None:
    first = await chat.say("Nous lançons un livret d'épargne pour les jeunes actifs, "
                           "objectif ouvertures de comptes")
    assert first.kind == "questions" and "livret d'épargne" in first.text
    state = (await engine.store.load(chat.user_id, chat.conversation_id)).conversation
    assert state.pending_fields == ["tone"]  # the objective in the brief is not asked again
    second = await chat.say("ton rassurant mais pas ringard")
    assert second.kind == "angles"
    model = await _model(engine, chat)
    assert model.get("tone") == "rassurant mais pas ringard" and model.source("tone") == "said"
    assert model.get("objective") == "ouvertures de comptes"
    third = await chat.say("la 2 est trop banale")
    assert third.kind == "feedback" and third.recorded is not None
    assert third.recorded.kind == "dislike" and third.recorded.angle_id == second.angles[1].id


async def test_an_answer_to_a_question_nobody_asked_is_noted(chat: Chat, engine: Engine) -> None:
    chat.lang = "en"
    await chat.say("We launch Trailpod, a solar camping lantern, for weekend hikers. "
                   "Objective: pre-orders. Tone: warm.")
    reply = await chat.say("tone cosy and a bit cheeky")
    assert reply.kind == "brand"
    assert "“cosy and a bit cheeky” replaces “warm”" in reply.text  # the later wins, said so
    assert (await _model(engine, chat)).get("tone") == "cosy and a bit cheeky"


async def test_a_contradiction_in_an_answer_wins_and_is_said(chat: Chat, engine: Engine) -> None:
    await chat.say("Nous lançons un livret d'épargne pour les jeunes actifs. Ton : rassurant.")
    reply = await chat.say("Objectif : ouvertures de comptes\nTon : complice")
    assert reply.kind == "angles"
    assert "Ton : « complice » remplace « rassurant »." in reply.text
    model = await _model(engine, chat)
    assert model.get("tone") == "complice" and model.get("objective") == "ouvertures de comptes"


async def test_emoji_only_lines_change_nothing(chat: Chat, engine: Engine) -> None:
    await chat.say("Nous lançons un livret d'épargne pour les jeunes actifs")
    before = await _model(engine, chat)
    reply = await chat.say("🤔🤔")
    assert reply.kind == "info" and "vas-y" in reply.text
    assert await _model(engine, chat) == before


async def test_a_4000_character_brief_is_read_and_nothing_breaks(chat: Chat,
                                                                 engine: Engine) -> None:
    brief = ("Nous lançons un livret d'épargne à 4 % pour les jeunes actifs de Lyon. "
             + "Le contexte du marché est tendu et la concurrence vive. " * 80)[:4000]
    reply = await chat.say(brief)
    assert reply.kind in ("questions", "angles")
    model = await _model(engine, chat)
    assert model.get("product") == "livret d'épargne" and model.market == "fr"
    assert [f.text for f in model.figures] == ["4 %"]


async def test_go_assumes_only_what_is_missing(chat: Chat, engine: Engine) -> None:
    await chat.say("Nous lançons un livret d'épargne pour les jeunes actifs. Ton : rassurant.")
    reply = await chat.say("vas-y")
    assert reply.kind == "angles"
    model = await _model(engine, chat)
    assert model.source("objective") == "assumed" and model.source("tone") == "said"
    assert model.source("product") == "extracted"


async def test_a_second_brief_for_another_offer_forgets_the_first_ones_goal(
    chat: Chat, engine: Engine, redis_client: aioredis.Redis
) -> None:
    await chat.say("Nous lançons un livret d'épargne pour les jeunes actifs, "
                   "objectif ouvertures de comptes")
    reply = await chat.say("On lance une carte de crédit premium pour les cadres voyageurs")
    assert reply.kind == "questions"
    snap = await engine.store.load(chat.user_id, chat.conversation_id)
    assert snap.brand.product == "carte de crédit premium" and not snap.brand.objective


async def test_praise_before_any_angle_is_not_an_answer(chat: Chat, engine: Engine) -> None:
    chat.lang = "en"
    await chat.say("We launch Trailpod, a solar camping lantern. Objective: pre-orders.")
    reply = await chat.say("Actually I love the second one, it sounds like our CFO")
    assert reply.kind == "info" and "haven't proposed any angles yet" in reply.text
    model = await _model(engine, chat)
    assert "CFO" not in " ".join(model.known().values())


async def test_an_answer_to_another_question_asks_the_open_one_again(chat: Chat,
                                                                      engine: Engine) -> None:
    chat.lang = "en"
    first = await chat.say("Fibrely: full-fibre broadband for rural villages in Wales, £35 a "
                           "month. Tone: neighbourly, no tech jargon.")
    assert first.kind == "questions"
    second = await chat.say("families and people working from home in the villages; "
                            "oh and no emojis in anything")
    assert second.kind == "questions"  # the goal is still open: asked, not assumed
    model = await _model(engine, chat)
    assert model.get("objective") == ""  # "no emojis" is no goal
    assert model.get("audience").startswith("families and people working from home")
    assert {"emoji", "jargon"} <= {e.key for e in model.exclusions}
    third = await chat.say("sign-ups before the street installs start")
    assert third.kind == "angles"
    assert (await _model(engine, chat)).get("objective").startswith("sign-ups")


async def test_a_reason_that_rules_something_out_holds_for_the_brief(chat: Chat,
                                                                     engine: Engine) -> None:
    chat.lang = "en"
    first = await chat.say("Pagepals is a reading app for children aged 5-9 in the UK. Goal: "
                           "trial sign-ups. Tone: warm. Audience: parents.")
    assert first.kind == "angles"
    reply = await chat.say("4 is off, we don't do jokes about markets")
    assert reply.kind == "feedback" and reply.recorded is not None
    model = await _model(engine, chat)
    assert "humour" in {e.key for e in model.exclusions}
    more = await chat.say("more")
    assert more.kind == "angles"
    assert not {a.strategy for a in more.angles} & {"humour"}


async def test_a_disliked_kind_of_angle_stays_out_of_the_conversation(chat: Chat) -> None:
    chat.lang = "en"
    first = await chat.say("Grainful, a plant-based protein bar for women 25-40 who work out. "
                           "Goal: subscriptions. Tone: upbeat.")
    assert first.kind == "angles"
    disliked = first.angles[2].strategy
    await chat.say("3 is too corporate")
    for _ in range(6):  # beyond the 20 recent angles a conversation keeps in full
        more = await chat.say("more")
        assert disliked not in {a.strategy for a in more.angles}


async def test_whats_weak_about_these_angles_challenges_each_one(chat: Chat) -> None:
    chat.lang = "en"
    first = await chat.say("Pennywise is a round-up savings app for 18-25s in the UK. "
                           "Objective: app downloads. Tone: playful.")
    assert first.kind == "angles"
    reply = await chat.say("play devil's advocate: what's weak about these angles?")
    assert reply.kind == "critique"
    lines = [line for line in reply.text.splitlines() if line[:2] in {f"{a.n}." for a in
                                                                      first.angles}]
    assert len(lines) == len(first.angles)
    questions = [line.split(" — ", 1)[1] for line in lines]
    assert len(set(questions)) == len(questions)  # a different doubt for each angle


@pytest.mark.parametrize("user", ["u1", "u2", "u3"])
async def test_a_vetoed_strategy_is_not_even_explored(engine: Engine, user: str) -> None:
    chat = Chat(engine, user_id=user, conversation_id=f"bingo-{user}", lang="en")
    first = await chat.say("Lucky Lane Bingo, a UK-licensed online bingo site. Audience: women "
                           "35-60. Goal: reactivate lapsed players. Tone: friendly.")
    seen = {a.strategy for a in first.angles}
    for _ in range(3):
        seen |= {a.strategy for a in (await chat.say("more")).angles}
    assert not seen & {"ritual", "scarcity", "challenge-ugc"}


async def test_the_glossary_tip_is_given_once_per_conversation(chat: Chat) -> None:
    chat.lang = "en"
    first = await chat.say("Brand: Ledgerline\nProduct: accounts payable automation\n"
                           "Audience: finance teams\nObjective: demo requests and a better ROI\n"
                           "Tone: no-nonsense")
    assert first.kind == "angles"
    tips = ["Glossary term:" in first.text]
    for _ in range(3):
        tips.append("Glossary term:" in (await chat.say("more")).text)
    assert tips[0] and tips.count(True) == 1


async def test_a_brief_that_says_tu_is_written_with_tu(chat: Chat) -> None:
    chat.lang = "fr"
    hooks = [a.hook for a in (await chat.say(
        "Chez Mado, bistrot à Lyon, lance un brunch le dimanche à 24 €. Cible : familles du "
        "quartier. Objectif : remplir la salle. Ton chaleureux, tutoiement ok.")).angles]
    for _ in range(2):
        hooks += [a.hook for a in (await chat.say("encore")).angles]
    assert hooks and not [h for h in hooks if re.search(r"\b(?:vous|votre|vos)\b", h, re.I)]
    assert any(re.search(r"\b(?:tu|te|t'|ton|ta|tes|toi)\b", h, re.I) for h in hooks)


async def test_a_line_after_angles_adds_to_the_brief_instead_of_replacing_it(
        chat: Chat, engine: Engine) -> None:
    chat.lang = "fr"
    first = await chat.say("Finéo, organisme de crédit, lance un prêt auto à taux fixe. Cible : "
                           "ménages de 30-55 ans. Objectif : demandes en ligne. Ton rassurant.")
    assert first.kind == "angles"
    added = await chat.say("Le petit budget : 800 € au total, des affiches en vitrine et un "
                           "envoi aux clients existants.")
    assert added.kind == "angles" and added.text.startswith("Ajouté au brief")
    model = await _model(engine, chat)
    assert model.get("product") == "prêt auto à taux fixe" and model.get("audience")
    assert "800 €" in [f.text for f in model.figures]
    feedback = await chat.say("trop corporate la 4, on est un organisme de quartier")
    assert feedback.kind == "feedback" and feedback.recorded is not None
    fresh = await chat.say("nouveau brief : Maison Roux ouvre une boulangerie. Cible : "
                           "familles. Objectif : notoriété. Ton : chaleureux.")
    assert fresh.kind == "angles" and "remplace" not in fresh.text
    assert (await _model(engine, chat)).get("brand") == "Maison Roux"


async def test_what_must_appear_ends_each_hook_and_legal_mentions_stay_checks(chat: Chat) -> None:
    chat.lang = "en"
    reply = await chat.say("The Stirling Rooms is a 24-room boutique hotel in Edinburgh. Audience: "
                           "couples from London. Objective: winter bookings. Tone: cosy. Mention "
                           "the direct-booking perk: breakfast included. Legal disclaimer "
                           "mandatory.")
    assert reply.kind == "angles"
    assert all(a.hook.endswith("Direct-booking perk: breakfast included.") for a in reply.angles)
    assert not any("disclaimer" in a.hook.lower() for a in reply.angles)
    assert "The brief asks to include: Legal disclaimer" in reply.text
