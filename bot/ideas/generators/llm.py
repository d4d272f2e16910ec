"""The LLM angle generator: any langchain chat model, prompts from prompts/llm/.

Every call is made with the user's text fenced as data (llm_prompts,
prompt_data) under a system rule saying so (prompts/llm_rules.yaml) and, unless
SYMBIOSE_REDACT_PII=0, with e-mails, phone numbers, IBANs and card numbers
replaced by placeholders that are put back in the answer (bot.kernel.pii).

Failure policy: an exception, a timeout or an unusable answer gets one retry
(after an unusable answer the model is told what was wrong); a second failure
raises GenerationError with a short reason, and the engine answers with the
offline generator instead. Errors carry no traceback and no provider message
(which may echo part of an API key); one warning is logged per failed call.

`interpret` (plain language -> an Intent) is the exception: it runs before
every free-text message, so a timeout or a provider error is not retried and
it returns None instead of raising; the engine then reads the text with its
rule-based parser.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.runnables import RunnableConfig

from bot.brief.brand import BrandContext
from bot.dialogue.llm_interpret import interpret_values, parse_interpretation
from bot.ideas.exclusions import default_guard
from bot.ideas.generators.base import (
    AngleRequest,
    Critique,
    DeadlineReached,
    GenerationError,
    angle_id,
)
from bot.ideas.generators.llm_model import ModelConfigError, make_chat_model, model_label, redact
from bot.ideas.generators.llm_output import (
    AngleOut,
    BadOutput,
    parse_angles,
    parse_brand_fields,
    parse_critique,
    parse_refined,
)
from bot.ideas.generators.llm_progress import AngleProgress, notify
from bot.ideas.generators.llm_prompts import (
    OFFERED,
    CatalogueLike,
    angles_values,
    brief_values,
    challenge_values,
    extract_values,
    refine_values,
)
from bot.ideas.sector_book import default_sector_book
from bot.kernel import deadline
from bot.kernel.i18n import t
from bot.kernel.intent import Intent
from bot.kernel.messages import Angle, Lang
from bot.kernel.pii import Redaction
from bot.kernel.templates import (
    CALL_KIND,
    PromptRules,
    PromptTemplate,
    TemplateError,
    load_rules,
    load_templates,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_QUESTIONS = 8
MAX_CHECKS = 6
MAX_CHECKED = 1000  # characters of a title, hook or channel checked against the brief's rules
MAX_ECHOED_ANSWER = 4000  # how much of a bad answer is sent back with the repair request
INTERPRET_TIMEOUT_S = 8.0  # reading a command must feel instant; past this, the rules decide
MIN_CALL_S = 0.5  # less than this left before the answer's deadline: no model call
# Every template the generator renders, with the values it offers each one.


class LLMGenerator:
    """AngleGenerator over a langchain chat model, with JSON-in-text answers."""

    def __init__(
        self,
        model: BaseChatModel,
        *,
        catalogue: CatalogueLike,
        templates: Mapping[str, PromptTemplate] | None = None,
        timeout_s: float = 30.0,
        name: str = "llm",
        redact_pii: bool = True,
        rules: PromptRules | None = None,
        sectors: Any = None,
    ) -> None:
        self.name = name
        self._book = sectors if sectors is not None else default_sector_book()
        self._guard = default_guard()
        self._model = model
        self._catalogue = catalogue
        self._templates = dict(load_templates() if templates is None else templates)
        self._rules = rules or load_rules()
        self._redact_pii = redact_pii
        self._timeout_s = timeout_s
        self._label = model_label(model)
        self._check_templates()

    def _check_templates(self) -> None:
        # A template needing a value we never supply would only fail at answer
        # time; refuse it now, at start-up.
        for task, offered in OFFERED.items():
            template = self._templates.get(task)
            if template is None:
                raise TemplateError(
                    f"prompt template {task!r} is missing (prompts/llm/{task}.yaml)"
                )
            unknown = set(template.variables) - offered
            if unknown:
                raise TemplateError(
                    f"{task}.yaml: variable(s) {', '.join(sorted(unknown))} are not supplied; "
                    f"available: {', '.join(sorted(offered))}"
                )

    async def angles(self, request: AngleRequest) -> list[Angle]:
        if not request.strategies:
            return []

        def drafts(objects: list[dict[str, Any]]) -> list[Angle]:
            # Complete angle objects as the model wrote them, for a preview: stop
            # at the first one that is not usable as is.
            out: list[Angle] = []
            for n, raw in enumerate(objects, 1):
                angle_out = AngleOut.model_validate(raw)
                if angle_out.strategy not in request.strategies:
                    break
                out.append(self._angle(n, angle_out, request.lang))
            return out

        progress = (
            AngleProgress(request.progress, request.lang, len(request.strategies), drafts=drafts)
            if request.progress
            else None
        )
        angles = await self._angles_once(request, progress)
        broken = {a.n: why for a in angles if (why := self._breaks(a, request))}
        if not broken:
            return angles
        # One more try for the angles that break the brief or a sector rule, shown
        # as rejected examples; what still breaks is dropped and the user is told.
        retry = replace(request, strategies=[a.strategy for a in angles if a.n in broken],
                        avoid=[*request.avoid, *(a for a in angles if a.n in broken)])
        try:
            again = await self._angles_once(retry, None)
        except (GenerationError, DeadlineReached):  # no time or no answer: drop them, say so
            again = []
        fixed = {a.strategy: a for a in again if not self._breaks(a, request)}
        out: list[Angle] = []
        dropped: list[str] = []
        for a in angles:
            if a.n not in broken:
                out.append(a)
            elif a.strategy in fixed:
                out.append(fixed.pop(a.strategy))
            else:
                dropped += broken[a.n]
        for n, a in enumerate(out, 1):
            a.n = n
        if dropped:
            log.info("LLM %s: %d angle(s) dropped after a retry: %s", self._label,
                     len(angles) - len(out), ", ".join(sorted(set(dropped))))
            request.notices.append(t("writing.llm_dropped", request.lang,
                                     count=len(angles) - len(out),
                                     reasons=", ".join(sorted(set(dropped)))))
        return out

    async def _angles_once(self, request: AngleRequest,
                           progress: AngleProgress | None) -> list[Angle]:
        def parse(text: str) -> list[Angle]:
            outs = parse_angles(text, request.strategies)
            angles = [self._angle(n, out, request.lang) for n, out in enumerate(outs, 1)]
            repeated = [str(a.n) for a in angles if a.id in request.avoid_ids]
            if repeated:
                raise BadOutput(f"angle(s) {', '.join(repeated)} repeat one the user rejected")
            return angles

        values = {**angles_values(request, self._catalogue),
                  **brief_values(request, self._book, self._guard)}
        # Counted apart in /metrics: a first answer, or more after angles were shown.
        kind = "more" if request.shown else "angles"
        return await self._run("angles", values, parse, progress, call=kind)

    def _breaks(self, angle: Angle, request: AngleRequest) -> list[str]:
        """What in this angle breaks the brief's exclusions or a sector rule (empty: fine)."""
        model, lang = request.model, request.lang
        # A title or hook is a line or two: a model's 100 KB answer is not scanned in full.
        text = f"{angle.title[:MAX_CHECKED]} {angle.hook[:MAX_CHECKED]}"
        reasons = self._guard.breaks(f"{text} {angle.channel[:MAX_CHECKED]}", model, lang)
        if self._book is not None and model.sectors:
            reasons += [v.topic for v in self._book.violations(text, model.sectors, model.market,
                                                               lang)]
        return reasons

    async def refine(self, angle: Angle, instruction: str, request: AngleRequest) -> Angle:
        await notify(request.progress, "llm_progress_refine", request.lang, n=angle.n)

        def parse(text: str) -> Angle:
            # The strategy stays the one being refined, whatever the model wrote.
            out = parse_refined(text).model_copy(update={"strategy": angle.strategy})
            new = self._angle(angle.n, out, request.lang)
            if new.id == angle.id:
                raise BadOutput("the angle is unchanged; rework it following the instruction")
            if new.id in request.avoid_ids:
                raise BadOutput("this angle was rejected by the user; write a different one")
            broken = self._breaks(new, request)
            if broken:
                raise BadOutput("the angle breaks what the brief rules out or a sector rule ("
                                + ", ".join(broken) + "); rewrite it without that")
            return new

        values = {**refine_values(angle, instruction, request, self._catalogue),
                  **brief_values(request, self._book, self._guard)}
        return await self._run("refine", values, parse)

    async def challenge(self, target: Angle | str, request: AngleRequest) -> Critique:
        await notify(request.progress, "llm_progress_challenge", request.lang)

        def parse(text: str) -> Critique:
            out = parse_critique(text)
            angle = target if isinstance(target, Angle) else None
            return Critique(
                target=angle.title if angle else str(target).strip(),
                questions=list(out.questions[:MAX_QUESTIONS]),
                summary=out.summary.strip(),
                angle=angle,
            )

        return await self._run("challenge", challenge_values(target, request), parse)

    async def extract_brand(self, text: str, brand: BrandContext, lang: Lang) -> dict[str, str]:
        """Brand fields stated in free text; {} when none."""
        if not text.strip():
            return {}

        def parse(answer: str) -> dict[str, str]:
            found = parse_brand_fields(answer)
            return {k: v for k, v in found.items() if v != brand.get(k)}

        return await self._run("extract_brand", extract_values(text, brand, lang), parse)

    async def interpret(
        self,
        text: str,
        lang: Lang,
        *,
        angles: Sequence[Angle],
        pending_fields: Sequence[str],
    ) -> Intent | None:
        """What a plain-language message asks for, as the engine's Intent.

        Kind "text" means a brief or an answer to a pending question; None means
        the model could not tell (error, timeout, unusable answer twice): read
        the text with the rules. Never raises; a failure is logged once.
        """
        if not text.strip():
            return None
        values = interpret_values(text, lang, angles, pending_fields)
        try:
            return await self._run(
                "interpret",
                values,
                lambda answer: parse_interpretation(answer, text, angles),
                timeout_s=min(self._timeout_s, INTERPRET_TIMEOUT_S),
                retry_errors=False,
            )
        except GenerationError:
            return None  # _run has logged it

    def _angle(self, n: int, out: AngleOut, lang: Lang) -> Angle:
        checks = [c for c in out.to_validate if c][:MAX_CHECKS]
        return Angle(
            n=n,
            id=angle_id(out.strategy, out.title, out.hook),
            strategy=out.strategy,
            title=out.title,
            hook=out.hook,
            rationale=out.rationale,
            channel=out.channel,
            to_validate=checks,
            strategy_name=self._catalogue.get(out.strategy).name_in(lang),
        )

    async def _run(
        self,
        task: str,
        values: Mapping[str, Any],
        parse: Callable[[str], T],
        progress: AngleProgress | None = None,
        *,
        timeout_s: float | None = None,
        retry_errors: bool = True,
        call: str | None = None,
    ) -> T:
        timeout = self._timeout_s if timeout_s is None else timeout_s
        redaction = Redaction()
        if self._redact_pii:  # before rendering: only the values carry user text
            values = {k: redaction.redact(v) if isinstance(v, str) else v
                      for k, v in values.items()}
        prompt = self._templates[task].render(values)
        system = self._rules.system(prompt.system)
        messages: list[BaseMessage] = [SystemMessage(system), HumanMessage(prompt.user)]
        problems: list[str] = []
        for attempt in (1, 2):
            left = deadline.remaining()
            if left is not None and left < MIN_CALL_S:
                problems.append("the answer's deadline was reached")
                log.warning("LLM %s skipped on %s: the answer's deadline was reached",
                            self._label, task)
                raise DeadlineReached(f"{task}: deadline reached")
            call_timeout = timeout if left is None else min(timeout, left)
            if progress is not None and attempt == 2:
                await progress.restart()
            text = ""
            try:
                text = await asyncio.wait_for(self._ask(messages, progress, call or task),
                                              call_timeout)
                return parse(redaction.restore(text))
            except BadOutput as exc:
                problems.append(f"unusable answer ({exc})")
                repair = self._templates["repair"].render(problem=redaction.redact(str(exc)))
                bad = AIMessage(text[:MAX_ECHOED_ANSWER])  # as the model wrote it: redacted
                messages = [*messages, bad, HumanMessage(repair.user)]
            except TimeoutError:
                problems.append(f"no answer within {call_timeout:g} s")
                if not retry_errors:
                    break
            except Exception as exc:  # any provider error: network, auth, rate limit, ...
                problems.append(f"model error {type(exc).__name__}: {redact(str(exc))[:160]}")
                if not retry_errors:
                    break
            log.debug("LLM %s, %s, attempt %d failed: %s", self._label, task, attempt, problems[-1])
        tries = "twice" if len(problems) == 2 else "once"
        log.warning("LLM %s failed %s on %s: %s", self._label, tries, task, " | ".join(problems))
        # The reason shown upstream names the error type only: a provider's
        # message can echo request details or part of a key.
        raise GenerationError(f"{task}: {_short(problems[-1])}")

    async def _ask(self, messages: list[BaseMessage], progress: AngleProgress | None,
                   call: str) -> str:
        # The call's kind reaches the usage callback (bot.ops.usage): tokens by kind.
        config: RunnableConfig = {"metadata": {CALL_KIND: call}}
        if progress is None:
            reply = await self._model.ainvoke(messages, config=config)
            return reply.text
        # astream falls back to a single ainvoke chunk for models that can't stream.
        parts: list[str] = []
        async for chunk in self._model.astream(messages, config=config):
            piece = chunk.text
            if piece:
                parts.append(piece)
                await progress.feed(piece)
        await progress.finish()
        return "".join(parts)


def _short(problem: str) -> str:
    short = problem.split(":", 1)[0] if problem.startswith("model error") else problem
    return short[:200]


__all__ = ["LLMGenerator", "ModelConfigError", "make_chat_model", "redact"]
