"""Decisions on angles: like, dislike, validate, refine, challenge.

Each decision is appended to the user's feedback log (a Redis Stream) and
folded into the preference model, in the same write as the rest of the turn.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace

from bot.brief.exclusions import exclusions
from bot.brief.model import BriefModel
from bot.dialogue.turn import Turn
from bot.ideas import render
from bot.ideas.ideation import Ideation
from bot.kernel.i18n import t
from bot.kernel.messages import Action, ActionKind, Angle, QuickReply, Reply
from bot.learning.preferences import PreferenceModel
from bot.store.events import encode_event

REASON_MAX = 200
# Teams' built-in thumbs rate a whole answer: each of its angles gets this share.
WHOLE_ANSWER_WEIGHT = 0.5


class AngleNotFound(Exception):
    """Carries the user-facing reply explaining why the angle can't be found."""

    def __init__(self, reply: Reply) -> None:
        super().__init__("angle not found")
        self.reply = reply


def resolve(turn: Turn, *, n: int | None, angle_id: str | None, example: str) -> Angle:
    conv = turn.conv
    if angle_id:
        found = conv.find(angle_id)
        if found is None:
            raise AngleNotFound(turn.error("angle_gone"))
        return found
    if not conv.angles:
        raise AngleNotFound(turn.error("no_angles_yet"))
    if n is None:
        raise AngleNotFound(turn.error("need_number", example=example))
    for angle in conv.angles:
        if angle.n == n:
            return angle
    raise AngleNotFound(turn.error("no_such_angle", n=n, count=len(conv.angles)))


def record(turn: Turn, action: str, angle: Angle | None, *, weight: float = 1.0,
           style: dict[str, str] | None = None, note: str = "", scope: str = "") -> None:
    """Append the event to the log and the preference increments to the turn's write.

    One field per entry, "action|strategy|angle id|note", keeps the Stream
    small (a Stream stores repeated field names once); the entry id already
    carries the time.
    """
    turn.changes.events.append({"e": encode_event(
        f"{action}-{scope}" if scope else action,
        angle.strategy if angle else "",
        angle.id if angle else "",
        note[:REASON_MAX],
    )})
    deltas = PreferenceModel.deltas(action, angle.strategy if angle else None, style or {})
    for key, inc in deltas.items():
        turn.changes.pref_deltas[key] = turn.changes.pref_deltas.get(key, 0.0) + inc * weight
    turn.snap.prefs.apply({k: v * weight for k, v in deltas.items()})


def feedback_reply(turn: Turn, key: str, angle: Angle, action: Action, **values: object) -> Reply:
    text = t(key, turn.lang, n=angle.n, strategy=angle.strategy_name or angle.strategy, **values)
    return turn.reply("feedback", text, recorded=action, about=angle)


def _unreject(turn: Turn, angle: Angle) -> None:
    """Liking or validating an angle after rejecting it: the user changed their mind."""
    if angle.id in turn.snap.rejected:
        turn.snap.rejected.discard(angle.id)
        turn.changes.unrejected.append(angle.id)
    if angle.strategy in turn.conv.set_aside:
        turn.conv.set_aside.remove(angle.strategy)


def like(turn: Turn, angle: Angle) -> Reply:
    _unreject(turn, angle)
    record(turn, "like", angle)
    turn.changes.liked.append(angle)
    return feedback_reply(turn, "like_done", angle, Action("like", angle.id))


def dislike(turn: Turn, angle: Angle, reason: str) -> Reply:
    reason = reason.strip()[:REASON_MAX]
    record(turn, "dislike", angle, note=reason)
    turn.changes.rejected.append(angle.id)
    turn.snap.rejected.add(angle.id)
    if angle.strategy not in turn.conv.set_aside:
        turn.conv.set_aside.append(angle.strategy)
    reply = feedback_reply(turn, "dislike_done", angle, Action("dislike", angle.id, reason or None))
    if reason:
        reply.text += " " + t("dislike_reason", turn.lang, reason=reason)
        # "4 is off, we don't do jokes", "pas de réduction d'impôt": a reason that rules
        # something out holds for the rest of the brief, not only for this angle.
        ruled_out = exclusions(reason)
        if ruled_out:
            turn.brief = turn.brief.merged(BriefModel(exclusions=ruled_out))
    return reply


def validate(turn: Turn, angle: Angle) -> Reply:
    _unreject(turn, angle)
    record(turn, "validate", angle)
    if angle.id in turn.conv.common_for:  # the checks said once for its answer go with it
        shared = [c for c in turn.conv.common_checks if c not in angle.to_validate]
        angle = replace(angle, to_validate=[*angle.to_validate, *shared])
    turn.changes.shortlist.append(angle)
    check = (angle.to_validate[0] if angle.to_validate
             else t("validate_check_default", turn.lang)).rstrip(" .")
    reply = feedback_reply(turn, "validate_done", angle, Action("validate", angle.id),
                           check=_after_colon(check))
    # The shortlist as a deliverable is one click away.
    reply.quick_replies.append(QuickReply(t("quick_export", turn.lang),
                                          "exporter" if turn.lang == "fr" else "export"))
    return reply


def _after_colon(text: str) -> str:
    """Lower-case the first letter after a colon, unless it starts an acronym ("RGPD")."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def whole_answer(turn: Turn, kind: ActionKind, comment: str) -> Reply:
    """Feedback on a whole answer (Teams' thumbs): a lighter vote for each of its angles."""
    for angle in turn.conv.angles:
        record(turn, kind, angle, weight=WHOLE_ANSWER_WEIGHT, scope="answer", note=comment)
    if not turn.conv.angles:
        record(turn, kind, None, scope="answer", note=comment)
    key = "whole_answer_like" if kind == "like" else "whole_answer_dislike"
    return turn.reply("feedback", t(key, turn.lang), recorded=Action(kind, None, comment or None))


async def refine(turn: Turn, ideation: Ideation, angle: Angle, instruction: str,
                 style: dict[str, str]) -> Reply:
    refined = await ideation.refine(turn, angle, instruction)
    record(turn, "refine", angle, style=style, note=instruction)
    if angle.id in turn.conv.common_for:  # same answer: its shared checks still apply
        turn.conv.common_for.append(refined.id)
    turn.conv.replace(refined)
    turn.changes.shown.append(refined)
    how = instruction or t("refine_variant", turn.lang)
    text = t("refined_intro", turn.lang, n=refined.n, instruction=render.short(how, 60))
    return turn.reply("angles", text + "\n\n" + render.angle(refined, turn.lang), angles=[refined],
                      recorded=Action("refine", angle.id, instruction or None),
                      intro=render.with_notices(text, turn.notices))


async def challenge_answer(turn: Turn, ideation: Ideation) -> Reply:
    """"What's weak about these angles?": the weakest point of each angle just shown."""
    angles = list(turn.conv.angles)
    critiques = await asyncio.gather(*(ideation.challenge(turn, a) for a in angles))
    lines = [t("challenge_intro", turn.lang, target=t("challenge_the_answer", turn.lang))]
    asked: set[str] = set()
    for angle, critique in zip(angles, critiques, strict=True):
        record(turn, "challenge", angle)
        # Each angle gets a question the others did not (the same doubt five times says little).
        fresh = [q for q in critique.questions if _shape(q) not in asked]
        weakest = (fresh or critique.questions or [critique.summary])[0]
        asked.add(_shape(weakest))
        lines.append(f"{angle.n}. **{angle.title}** — {weakest}")
    lines += ["", t("challenge_answer_outro", turn.lang)]
    return turn.reply("critique", "\n".join(lines), recorded=Action("challenge", None))


def _shape(question: str) -> str:
    """A question without what it quotes: two angles' "what would they remember of “X”?" match."""
    return re.sub(r"“[^”]*”|«[^»]*»|\"[^\"]*\"", "…", question)


async def challenge(turn: Turn, ideation: Ideation, target: Angle | str) -> Reply:
    critique = await ideation.challenge(turn, target)
    if isinstance(target, Angle):
        record(turn, "challenge", target)
        critique.target = f"{target.n}. {target.title}"
    return turn.reply("critique", render.critique(critique, turn.lang),
                      about=target if isinstance(target, Angle) else None)
