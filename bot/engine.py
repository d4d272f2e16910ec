"""The conversation engine: one `Message` in, one `Reply` out, any platform.

It composes its parts (store, catalogue, generators, glossary) received as
arguments; it never raises for anything a user can type: a user's mistake gets
an answer in their language, a bug gets logged once and a short apology.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

from bot.brief.brand import KEY_FIELDS, BrandContext, fold, split_fields
from bot.brief.model import BriefModel
from bot.brief.offer import announces_offer
from bot.brief.reader import BriefReader, read_brief
from bot.dialogue import privacy, taste, views
from bot.dialogue.admission import Admitter
from bot.dialogue.export import export
from bot.dialogue.guards import Guards
from bot.dialogue.intents import likely_typo, parse
from bot.dialogue.references import emoji_verdict, feedback_intent, sounds_like_feedback
from bot.dialogue.refinement import parse_refinement
from bot.dialogue.turn import Turn
from bot.dialogue.understanding import asks_for_ideas, facts_only, has_words, read_offline
from bot.glossary import Glossary
from bot.ideas import render
from bot.ideas.catalogue import Catalogue
from bot.ideas.generators.base import AngleGenerator, Progress
from bot.ideas.ideation import Ideation, label_list
from bot.kernel import deadline
from bot.kernel.admission import Admission
from bot.kernel.i18n import t
from bot.kernel.intent import Intent
from bot.kernel.lang import detect
from bot.kernel.messages import Action, Angle, Lang, Message, Reply
from bot.kernel.place import Place
from bot.learning import feedback
from bot.learning.preferences import PreferenceModel
from bot.learning.team_taste import TasteSummary, summarise
from bot.ops import metrics
from bot.ops.allowlist import Allowlist
from bot.ops.meter import TurnMeter
from bot.store.errors import StoreUnavailable
from bot.store.user_store import Changes, Snapshot, UserStore

log = logging.getLogger(__name__)

MAX_CHARS = 4000
# Longer than this, a message is content (a brief, an answer), never a command.
MAX_COMMAND_CHARS = 200
# While questions are pending, a message this long that launches an offer is a new brief.
NEW_BRIEF_WORDS = 6
# A short message keeps the conversation's language: "j'adore la 2" in an English session.
SHORT_WORDS = 4
# Terminal escape sequences ("\x1b[31m") go whole, then any other control or
# bidi-override character.
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass
class UserProfile:
    brand: BrandContext
    top_strategies: list[tuple[str, str, float]] = field(default_factory=list)
    shortlist: list[Angle] = field(default_factory=list)
    # The brand of each channel the user works in, and what was learned of their taste.
    channels: list[ChannelProfile] = field(default_factory=list)
    taste: TasteSummary = field(default_factory=TasteSummary)
    taste_text: str = ""  # markdown: favourites, rejections, how sure ('' if nothing yet)


@dataclass
class ChannelProfile:
    channel: str  # the platform's channel id
    label: str  # its name, when the platform gave one
    brand: BrandContext
    top_strategies: list[tuple[str, str, float]] = field(default_factory=list)
    taste_text: str = ""


def angle_number_in(text: str, angles: list[Angle]) -> int | None:
    """The angle a short sentence talks about ("the 3rd one?"), if exactly one fits."""
    words = text.split()
    if not angles or len(words) > 8:
        return None
    shown = {a.n for a in angles}
    found = {int(m) for m in re.findall(r"\b(\d{1,2})(?:st|nd|rd|th|e|ème|eme|er|re)?\b", text)}
    found &= shown
    return found.pop() if len(found) == 1 else None


def clean(text: str) -> str:
    """Control and bidi-override characters out; line breaks and tabs kept."""
    text = _ESCAPES.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", text).strip()


class Engine:
    def __init__(
        self,
        *,
        store: UserStore,
        catalogue: Catalogue,
        offline: AngleGenerator,
        generator: AngleGenerator | None = None,
        glossary: Glossary,
        guards: Guards,
        default_lang: Lang = "fr",
        angles_per_answer: int = 5,
        history_turns: int = 20,
        answer_deadline_s: float | None = None,
        startup: Callable[[], Awaitable[object]] | None = None,
        shutdown: Callable[[], Awaitable[object]] | None = None,
        reader: BriefReader | None = None,
        readiness: Callable[[], Awaitable[tuple[bool, str]]] | None = None,
        connect: Callable[[], Awaitable[object]] | None = None,
        allowlist: Allowlist | None = None,
        meter: TurnMeter | None = None,
    ) -> None:
        self.store = store
        self.catalogue = catalogue
        self.glossary = glossary
        self.guards = guards
        self.allowlist = allowlist or Allowlist()
        self.admission = Admitter(guards, default_lang=default_lang, allowlist=self.allowlist)
        self.default_lang = default_lang
        self.history_turns = history_turns
        self.answer_deadline_s = answer_deadline_s
        self.generator = generator or offline
        # The offline reading always runs; a model reader (LLM) completes it when configured.
        self.reader = reader
        self.ideation = Ideation(
            catalogue=catalogue,
            offline=offline,
            generator=self.generator,
            angles_per_answer=angles_per_answer,
            history_turns=history_turns,
        )
        self._startup = startup
        self._startup_lock = asyncio.Lock()
        self._shutdown = shutdown
        self._readiness = readiness
        self._connect = connect
        self.meter = meter or TurnMeter()
        # One handler per intent; the read-only and privacy ones live in their modules.
        self._handlers: dict[str, Callable[[Turn, Intent], Awaitable[Reply]]] = {
            "empty": views.empty,
            "help": views.help_,
            "unknown": views.unknown,
            "lang": views.switch_language,
            "brand_show": views.brand,
            "shortlist": lambda turn, _: views.shortlist(turn, store),
            "strategies": lambda turn, _: views.strategies(turn, catalogue),
            "brands": lambda turn, _: views.brands(turn, store),
            "taste": self._taste,
            "export": lambda turn, _: export(turn, store),
            "forget": lambda turn, intent: privacy.ask(turn, intent, store),
            "greeting": views.greeting,
            "ack": views.ack,
            "social": views.social,
            "yes": lambda turn, _: privacy.confirm(turn, store),
            "no": privacy.cancel,
            "glossary": self._glossary,
            "text": self._brief,
            "more": self._more,
            "angles": self._angles,
            "go": self._go,
            "like": self._on_angle,
            "dislike": self._on_angle,
            "validate": self._on_angle,
            "refine": self._on_angle,
            "challenge": self._challenge,
        }

    # -- entry points --------------------------------------------------------

    async def handle(self, message: Message, *, progress: Progress | None = None) -> Reply:
        lang = message.lang or self.default_lang
        if not self.allowlist.admits(message):
            # Before anything is read or written: a refused workspace leaves no trace.
            return Reply(kind="info", lang=lang, text=t("not_allowed", lang))
        return await self.meter.run(message, lambda: self._safely(message, progress, lang))

    async def _safely(self, message: Message, progress: Progress | None, lang: Lang) -> Reply:
        try:
            await self._ensure_started()
            with deadline.scope(self.answer_deadline_s):  # every model call of this answer
                return await self._handle(message, progress)
        except Exception:
            log.error("turn failed (platform=%s user=%s)", message.platform, message.user_id,
                      exc_info=True)
            return Reply(kind="error", lang=lang, text=t("sorry", lang))

    async def start(self) -> None:
        """Connect to the store before serving (a Cluster client learns its slot map
        now, not in the first burst). Writes nothing: the first turn still runs
        `startup` (migration, embedded restore)."""
        if self._connect is not None:
            await self._connect()

    async def ready(self) -> tuple[bool, str]:
        """(ready, why not): the store is reachable. For /readyz."""
        return (True, "") if self._readiness is None else await self._readiness()

    async def admit(self, message: Message, *, limit: bool = True) -> Admission:
        """Before `handle`: a redelivered event is a duplicate, a user over the rate
        limit is refused (told once per window, `Admission.notice`). `limit=False`
        for what no person asked for (a welcome when the bot is added)."""
        refused = self.admission.refusal(message)
        if refused is not None:
            return refused  # before the store is even started: nothing written
        try:
            await self._ensure_started()
            return await self.admission.admit(message, limit=limit)
        except Exception as exc:  # admission must never cost an answer
            log.error("admission failed (platform=%s): %s", message.platform, type(exc).__name__)
            return Admission()

    async def profile(self, user_id: str, lang: Lang) -> UserProfile:
        """What Symbiose knows about a user: for App Home and similar views."""
        await self._ensure_started()
        snap = await self.store.load(user_id, "-")
        channels = [ChannelProfile(c.channel, c.label, c.brand, self._named(c.taste, lang),
                                   taste.describe(c.taste, self.catalogue, lang))
                    for c in await self.store.channel_brands(user_id)]
        return UserProfile(snap.brand, self._named(snap.prefs, lang),
                           await self.store.shortlist(user_id), channels, summarise(snap.prefs),
                           taste.describe(snap.prefs, self.catalogue, lang))

    def _named(self, prefs: PreferenceModel, lang: Lang) -> list[tuple[str, str, float]]:
        return [(s, self.catalogue.get(s).name_in(lang), score)
                for s, score in prefs.top(5) if s in self.catalogue]

    async def aclose(self) -> None:
        if self._shutdown is not None:
            await self._shutdown()

    async def _ensure_started(self) -> None:
        if self._startup is None:
            return
        async with self._startup_lock:
            # A startup that returns False (Redis down) is tried again next turn.
            if self._startup is not None and await self._startup() is not False:
                self._startup = None

    # -- one turn ------------------------------------------------------------

    async def _handle(self, message: Message, progress: Progress | None) -> Reply:
        text = clean(message.text or "")
        notices: list[str] = []
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS]
            notices.append("trimmed")
        snap, memory_on = await self._load(message)
        lang = self._language(text, message, snap.conversation.lang)
        turn = Turn(message, text, lang, snap, Changes(conversation=snap.conversation),
                    memory_on=memory_on, progress=progress,
                    brief=BriefModel.from_dict(snap.conversation.model),
                    context_from=await self._looked_at(message, snap) if memory_on else "")
        if "trimmed" in notices:
            turn.notices.append(t("trimmed", lang, limit=MAX_CHARS))
        if not memory_on:
            turn.notices.append(t("memory_off", lang))
        reply = await self._dispatch(turn)
        self._say_who_changed_the_brand(turn, reply)
        turn.conv.lang = reply.lang
        turn.conv.model = turn.brief.to_dict()
        await self._save(turn, reply)
        return reply

    def _say_who_changed_the_brand(self, turn: Turn, reply: Reply) -> None:
        """In a channel the brand is everyone's: the thread says who changed what."""
        fields = turn.changes.brand_fields
        if not fields or not turn.save or not turn.memory_on or not turn.place.in_channel:
            return
        # First: Slack shows only the text before the angles of an answer.
        line = t("channel_brand_by", reply.lang, fields=label_list(fields, reply.lang),
                 who=turn.place.who)
        reply.text = line + "\n\n" + reply.text
        if reply.intro:
            reply.intro = line + "\n\n" + reply.intro

    def _language(self, text: str, message: Message, current: Lang | None) -> Lang:
        """The language to answer in.

        A sentence sets it: the language of the message. A bare command ("more",
        "like 2", "hello") has no real language: it gets the conversation's, then
        the platform locale or `--lang`, then the default. So a French session stays
        French when someone types "like 2", and `--lang fr` holds from the start.
        """
        fallback = current or message.lang or self.default_lang
        if not text:
            return fallback
        intent = parse(text)
        if intent.kind in ("text", "unknown", "lang"):
            found = detect(text)
            if current and found != current and len(text.split()) < SHORT_WORDS:
                return current  # "urban 25-40 y.o." or "j'adore la 2": no reason to switch
            return found or fallback
        # A command that carries a sentence (an idea to challenge) still counts.
        words = intent.arg.split()
        return (detect(intent.arg) if len(words) >= 4 else None) or fallback

    async def _load(self, message: Message) -> tuple[Snapshot, bool]:
        try:
            return await self.store.load(message.user_id, message.conversation_id,
                                         Place.of(message)), True
        except StoreUnavailable as exc:
            metrics.REDIS_ERRORS.inc()
            log.warning("Redis unavailable on load (%s); answering without memory",
                        str(exc).split(":", 1)[0])
            return Snapshot(), False

    async def _looked_at(self, message: Message, snap: Snapshot) -> str:
        """Slack's assistant pane is a direct conversation beside the channel the user
        looks at (`extras["context_channel"]`). Until they give a brand of their own,
        they work on that channel's brand: its name (or the brand's) is returned and
        said in the answer; "" when there is none to take."""
        looked_at = message.extras.get("context_channel")
        place = Place.of(message)
        if not looked_at or place.in_channel or not snap.brand.is_empty():
            return ""
        try:
            brand, label = await self.store.channel_brand(replace(place, channel=str(looked_at)))
        except StoreUnavailable:
            return ""  # a plus, never a reason to fail the answer
        if brand.is_empty():
            return ""
        snap.brand = brand
        return label or brand.brand or str(looked_at)

    async def _save(self, turn: Turn, reply: Reply) -> None:
        if not turn.save or not turn.memory_on:
            return
        conv = turn.conv
        if turn.text:
            conv.remember(f"user: {render.short(turn.text, 300)}", self.history_turns)
        conv.remember(
            f"symbiose ({reply.kind}): {render.short(reply.text, 300)}", self.history_turns
        )
        try:
            await self.store.save(turn.user_id, turn.message.conversation_id, turn.changes,
                                  turn.place)
        except StoreUnavailable as exc:
            metrics.REDIS_ERRORS.inc()
            log.warning("Redis unavailable on save (%s)", str(exc).split(":", 1)[0])
            notice = t("memory_off", turn.lang)
            reply.notices.append(notice)
            reply.text = render.with_notices(reply.text, [notice])

    async def _dispatch(self, turn: Turn) -> Reply:
        # A "forget me" confirmation is good for the very next message only.
        turn.forget_pending, turn.conv.forget_pending = turn.conv.forget_pending, False
        action = turn.message.action
        if action is not None and action.kind != "say":
            return await self._action(turn, action)
        if action is not None and action.value:
            turn.text = clean(action.value)
        fresh = _FRESH_BRIEF.match(turn.text)
        if fresh and turn.text[fresh.end():].strip():  # "new brief: ...": a brief of its own
            turn.text = turn.text[fresh.end():]
            return await self._brief(turn, Intent("text", arg=turn.text))
        fields, rest = split_fields(turn.text)
        if fields:
            if not rest and not turn.conv.brief and _states_a_brief(fields):
                # "Produit : ... / Cible : ... / Objectif : ..." as a first message: a brief.
                return await self._brief(turn, Intent("text", arg=turn.text))
            turn.learn(fields, "said")
            if not rest:
                return await self._brand_updated(turn, list(fields))
        intent = await self._understand(turn, rest)
        if intent.kind not in ("text", "unknown"):
            return await self._handlers[intent.kind](turn, intent)
        return await self._free_text(turn, rest, intent)

    async def _free_text(self, turn: Turn, text: str, intent: Intent) -> Reply:
        """A message no command matched: feedback, an answer, a fact, or a new brief."""
        conv = turn.conv
        if not has_words(text):
            verdict = emoji_verdict(text) if conv.angles else None
            if verdict:
                # "🔥🔥🔥" on the answer just shown: what the user thinks of it as a whole.
                return feedback.whole_answer(turn, verdict, text)
            # Emoji or punctuation only: nothing to read, nothing changed.
            key = "no_words" if conv.pending_fields or conv.brief else "no_words_idle"
            return turn.reply("info", t(key, turn.lang))
        about = feedback_intent(text, conv.angles)
        if about is not None:
            return await self._handlers[about.kind](turn, about)
        fix = likely_typo(text, intent)
        if fix:
            return views.did_you_mean(turn, fix)
        n = angle_number_in(text, conv.angles)
        if n is not None:
            # "what about the 3rd one, hmm": about an angle, not a new brief.
            return views.which_action(turn, n)
        if not conv.angles and sounds_like_feedback(text):
            # "I love the second one" before any angle: not an answer, not a brief.
            key = "no_angles_while_asking" if conv.pending_fields else "no_angles_yet"
            return turn.reply("info", t(key, turn.lang))
        if conv.pending_fields and not _new_brief(text):
            return await self._answers(turn, text)
        # While a brief waits for angles, a short phrase of tone or goal words is a fact.
        facts = facts_only(text, loose=bool(conv.brief and not conv.angles))
        if facts and (conv.brief or not turn.snap.brand.is_empty() or intent.kind == "unknown"):
            # "ton rassurant mais pas ringard", "objective is demo requests": a fact about
            # the brief in progress, not a new brief.
            turn.learn(facts, "said")
            return await self._brand_updated(turn, list(facts))
        if intent.kind == "unknown":
            return await self._handlers["unknown"](turn, intent)
        addition = self._addition_reading(turn, text) if conv.brief and conv.angles else None
        if addition is not None:
            return await self._addition(turn, text, addition)
        return await self._handlers["text"](turn, Intent("text", arg=text))

    @staticmethod
    def _addition_reading(turn: Turn, text: str) -> BriefModel | None:
        """After angles, a line that launches nothing and names no other brand adds to the
        brief ("Canaux : Google Ads, emailing", "Le petit budget : 800 €, flyers"): the
        blind QA saw such lines replace a whole brief, its legal checks with it. Its
        reading, or None when it is a brief of its own."""
        if _new_brief(text) or len(text.split()) > ADDITION_MAX_WORDS or asks_for_ideas(text):
            return None  # "Des idées pour la rentrée": a new request, the brand stays
        reading = read_brief(text, turn.lang)
        brand, offer = reading.get("brand"), reading.get("product")
        if brand and brand.casefold() != turn.brief.get("brand").casefold():
            return None  # another brand: a brief of its own
        # Another offer ("A savings account for students", after a bottle) is a new brief.
        if offer and fold(offer) not in fold(turn.brief.get("product")):
            return None
        return reading

    async def _addition(self, turn: Turn, text: str, reading: BriefModel) -> Reply:
        # Its rules, figures, must-includes and occasion join the brief as an answer's do;
        # what the line labels wins (the later word, said so); what it only implies fills
        # what is still missing.
        await self._read(turn, text, fields=False)
        turn.learn({k: i.value for k, i in reading.fields.items() if i.source == "said"},
                   "said", echo=True)
        turn.learn({k: i.value for k, i in reading.fields.items()
                    if i.source == "extracted" and not turn.brief.get(k)}, "extracted")
        reply = await self._ideate(turn, more=True)
        reply.text = t("brief_added", turn.lang) + "\n\n" + reply.text
        return reply

    async def _understand(self, turn: Turn, text: str) -> Intent:
        """The rules first; with an LLM, plain language too ("I love the second one").

        Only text the rules can't place reaches the model (bot.dialogue.understanding),
        so typed commands and plain feedback cost nothing; when the model can't
        tell (or fails), the rules' reading stands.
        """
        intent = parse(text)
        interpret = getattr(self.generator, "interpret", None)
        if intent.kind not in ("text", "unknown") or interpret is None or not text:
            return intent
        # A first message, or a long one, is a brief: only a short message in a
        # conversation that has angles or questions on the table may be a
        # command in disguise, worth a model call (which costs a second or two).
        conv = turn.conv
        if len(text) > MAX_COMMAND_CHARS or not (conv.angles or conv.pending_fields):
            return intent
        sure = read_offline(text, conv.angles, conv.pending_fields, intent)
        if sure is not None:  # the rules know already: no model call (issue 13)
            return sure
        understood = await interpret(text, turn.lang, angles=turn.conv.angles,
                                     pending_fields=turn.conv.pending_fields)
        return understood if understood is not None else intent

    async def _action(self, turn: Turn, action: Action) -> Reply:
        if action.kind == "glossary":  # a look-up (Slack /glossary, a pick among suggestions)
            return await self._glossary(turn, Intent("glossary", arg=action.value or ""))
        if action.kind in ("more", "go"):
            return await self._handlers[action.kind](turn, Intent(action.kind))
        if action.kind in ("like", "dislike") and action.angle_id is None:
            return feedback.whole_answer(turn, action.kind, action.value or "")
        intent = Intent(action.kind, arg=action.value or "")  # type: ignore[arg-type]
        return await self._on_angle(turn, intent, angle_id=action.angle_id)

    # -- handlers --------------------------------------------------------------

    async def _brief(self, turn: Turn, intent: Intent) -> Reply:
        conv = turn.conv
        conv.brief = intent.arg
        conv.asked_rounds = 0
        conv.go = False
        conv.pending_fields = []
        # A new brief starts a new reading; the fields this message labelled stay.
        turn.brief = BriefModel()
        turn.new_brief = True  # the previous brief's values are not "replaced": it is gone
        turn.learn(split_fields(turn.text)[0], "said", echo=True)
        old_offer = turn.snap.brand.product
        await self._read(turn, turn.text)
        new_offer = turn.brief.get("product")
        if old_offer and new_offer and new_offer.casefold() != old_offer.casefold():
            # Another offer: the audience and goal of the last one are not this one's.
            turn.update_brand({f: "" for f in ("audience", "objective")
                               if not turn.brief.get(f) and turn.snap.brand.get(f)})
        return await self._ask_or_ideate(turn)

    async def _read(self, turn: Turn, text: str, *, fields: bool = True) -> None:
        """Read `text` into the brief model: offline always, then the model reader if any."""
        reading = read_brief(text, turn.lang)
        if self.reader is not None:
            try:
                reading = reading.merged(await self.reader.read(text, lang=turn.lang,
                                                                known=turn.brief))
            except Exception as exc:  # the offline reading stands
                log.warning("brief reader failed: %s", type(exc).__name__)
        turn.brief = turn.brief.merged(BriefModel(
            text=reading.text, lang=reading.lang, exclusions=reading.exclusions,
            sectors=reading.sectors, market=reading.market, occasion=reading.occasion,
            season=reading.season, figures=reading.figures, left_open=reading.left_open,
            address=reading.address, musts=reading.musts,
            # An answer's words are field values ("playful"), not the brief's concerns.
            concerns=reading.concerns if fields else ()))
        if fields:
            for source in ("said", "extracted"):
                # Everything a brief says is said back once (the tone too), so a misreading
                # shows before any angle is written from it.
                turn.learn({k: i.value for k, i in reading.fields.items()
                            if i.source == source and not turn.brief.get(k)}, source, echo=True)

    async def _answers(self, turn: Turn, text: str) -> Reply:
        values = self.ideation.take_answers(turn, text)
        before = turn.brief.known(facts_only=True)
        # What else the answer says (an exclusion, a figure, an occasion) joins the brief.
        await self._read(turn, text, fields=False)
        if values:
            turn.learn(values, "said")
        # An answer to another question than the one asked ("families..." when the goal was
        # asked) is progress too: the question still open is asked again, not assumed.
        self._after_answer(turn, progressed=turn.brief.known(facts_only=True) != before)
        return await self._ask_or_ideate(turn)

    @staticmethod
    def _after_answer(turn: Turn, *, progressed: bool) -> None:
        # An answer is progress: asking for what is still missing is not nagging.
        if progressed:
            turn.conv.asked_rounds = 0
        turn.conv.pending_fields = []

    async def _ask_or_ideate(self, turn: Turn) -> Reply:
        missing = set(turn.snap.brand.missing(KEY_FIELDS))
        if missing and missing <= set(turn.brief.left_open):
            turn.conv.go = True  # what is missing was left to Symbiose: assume it, say so
        questions = self.ideation.next_questions(turn)
        if questions and turn.memory_on:
            return self.ideation.ask(turn, questions)
        return await self._ideate(turn)

    async def _ideate(self, turn: Turn, *, more: bool = False, like: str | None = None,
                      different: bool = False) -> Reply:
        reply = await self.ideation.ideate(turn, more=more, like=like, different=different)
        pointer = self._glossary_pointer(turn)
        if pointer:
            reply.text += "\n\n" + pointer
        return reply

    async def _more(self, turn: Turn, intent: Intent) -> Reply:
        if not turn.conv.brief and turn.snap.brand.is_empty():
            return turn.reply("info", t("need_brief", turn.lang))
        turn.conv.go = True
        liked = None
        if intent.arg == "like" and intent.n is not None:
            # "more like 2": a like of angle 2, then more in its vein.
            liked = next((a for a in turn.conv.angles if a.n == intent.n), None)
            if liked is not None:
                feedback.like(turn, liked)
        reply = await self._ideate(turn, more=bool(turn.conv.angles),
                                   like=liked.strategy if liked else None,
                                   different=intent.arg == "different")
        if liked is not None:
            reply.recorded = Action("like", liked.id)
        return reply

    async def _angles(self, turn: Turn, intent: Intent) -> Reply:
        if not turn.conv.brief and turn.snap.brand.is_empty():
            return turn.reply("info", t("need_brief", turn.lang))
        return await self._ask_or_ideate(turn)

    async def _go(self, turn: Turn, intent: Intent) -> Reply:
        if not turn.conv.brief and turn.snap.brand.is_empty():
            return turn.reply("info", t("need_brief", turn.lang))
        turn.conv.go = True
        return await self._ideate(turn)

    async def _brand_updated(self, turn: Turn, fields: list[str]) -> Reply:
        conv = turn.conv
        if conv.pending_fields or (conv.brief and not conv.angles):
            # A `Field: value`, a quick-reply button or a plain fact while questions are
            # open: the user is engaged, so what is still missing may be asked again.
            self._after_answer(turn, progressed=True)
            return await self._ask_or_ideate(turn)
        text = t("brand_updated", turn.lang, fields=label_list(fields, turn.lang))
        if turn.replaced:
            text += " " + " ".join(turn.replaced_lines())
        text += "\n\n" + turn.snap.brand.render(turn.lang) + "\n\n" + t("brand_next", turn.lang)
        return turn.reply("brand", text)

    async def _challenge(self, turn: Turn, intent: Intent) -> Reply:
        if intent.n is None and turn.conv.angles and _THE_ANSWER.search(intent.arg):
            return await feedback.challenge_answer(turn, self.ideation)
        if intent.n is None and intent.arg.strip():
            return await feedback.challenge(turn, self.ideation, intent.arg.strip())
        if intent.n is None and not turn.conv.angles:
            return turn.reply("info", t("challenge_what", turn.lang))
        return await self._on_angle(turn, intent)

    async def _on_angle(self, turn: Turn, intent: Intent, angle_id: str | None = None) -> Reply:
        if len(intent.numbers) > 1:
            # "like 1 and 3": each angle in turn, one answer.
            replies = [await self._on_angle(turn, Intent(intent.kind, n=n, arg=intent.arg))
                       for n in intent.numbers]
            merged = replies[-1]
            merged.text = "\n".join(r.text for r in replies)
            return merged
        examples = {"like": "like 2", "dislike": "dislike 2", "validate": "validate 2",
                    "refine": "refine 2 …", "challenge": "challenge 2"}
        if turn.lang == "fr":
            examples = {"like": "j'aime 2", "dislike": "je n'aime pas 2", "validate": "valider 2",
                        "refine": "affiner 2 …", "challenge": "challenger 2"}
        if angle_id and turn.conv.find(angle_id) is None and turn.memory_on:
            # A colleague's angle in a shared thread: adopt it into this user's memory.
            shared = await self.store.shared_angle(turn.place, turn.message.conversation_id,
                                                   angle_id)
            if shared is not None:
                turn.conv.recent.append(shared)
        try:
            angle = feedback.resolve(turn, n=intent.n, angle_id=angle_id,
                                     example=examples[intent.kind])
        except feedback.AngleNotFound as missing:
            return missing.reply
        if intent.kind == "like":
            return feedback.like(turn, angle)
        if intent.kind == "dislike":
            return feedback.dislike(turn, angle, intent.arg)
        if intent.kind == "validate":
            return feedback.validate(turn, angle)
        if intent.kind == "refine":
            return await feedback.refine(turn, self.ideation, angle, intent.arg,
                                         refinement_style(intent.arg))
        return await feedback.challenge(turn, self.ideation, angle)

    async def _taste(self, turn: Turn, intent: Intent) -> Reply:
        return taste.show(turn, intent, self.catalogue)

    async def _glossary(self, turn: Turn, intent: Intent) -> Reply:
        reply = self.glossary.reply(intent.arg, turn.lang)
        if turn.notices:
            reply.notices = list(turn.notices)
            reply.text = render.with_notices(reply.text, turn.notices)
        return reply

    def _glossary_pointer(self, turn: Turn) -> str:
        source = turn.conv.brief
        if not source:
            return ""
        cards = self.glossary.mentions(source, turn.lang, limit=1)
        if not cards or cards[0].term in turn.conv.pointed:
            return ""  # a tip said once per conversation, not under every answer
        turn.conv.pointed.append(cards[0].term)
        return t("glossary_pointer", turn.lang, term=cards[0].term)


def refinement_style(instruction: str) -> dict[str, str]:
    """Tone/length asked for in a refinement, to learn the user's taste."""
    parsed = parse_refinement(instruction)
    return {k: str(v) for k, v in parsed.items() if k in ("tone", "length") and v}


def _new_brief(text: str) -> bool:
    """While questions are pending: is this message a new brief rather than an answer?"""
    if len(text.split()) < NEW_BRIEF_WORDS:
        return False
    return announces_offer(text) and not facts_only(text)


# "what's weak about these angles?", "challenge them all", "challenger ces pistes": the answer.
_FRESH_BRIEF = re.compile(r"^\s*(?:new brief|nouveau brief|autre brief|another brief)\s*[:,-]?\s*",
                          re.IGNORECASE)
# A line longer than this after angles is read as a brief of its own.
ADDITION_MAX_WORDS = 45

_THE_ANSWER = re.compile(r"\b(?:these|those|them|all|this answer|the angles|the ideas|ces|toutes|"
                         r"tous|cette réponse|cette reponse|les angles|les pistes|les idées)\b",
                         re.IGNORECASE)


def _states_a_brief(fields: dict[str, str]) -> bool:
    """Labelled lines that describe a campaign (an offer and two more key facts)."""
    return "product" in fields and len(set(fields) & set(KEY_FIELDS)) >= 3
