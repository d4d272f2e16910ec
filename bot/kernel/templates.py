"""Prompt templates for the LLM generator, as validated data files.

Each `prompts/llm/<name>.yaml` holds one template:

```yaml
description: what the template asks the model for
variables: [brief, brand]        # every {placeholder} the template uses
system: ...                      # the system message
user: ...                        # the user message
format_instructions: ...         # optional; appended to the user message
```

Placeholders are `{name}` with `name` a lower-case identifier; any other brace
is literal text, so JSON examples need no escaping. Loading checks that every
placeholder is declared and every declared variable is used, so a broken
template stops the bot at start-up instead of producing a broken prompt.
Values are substituted in one pass: a `{brief}` typed by a user inside the
brief is never expanded. A line holding nothing but a placeholder whose value
is empty is left out, so an optional block costs nothing when it has nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from prompts import PROMPTS_DIR

LLM_PROMPTS_DIR = PROMPTS_DIR / "llm"
LLM_RULES_PATH = PROMPTS_DIR / "llm_rules.yaml"
# The run metadata key naming what a model call was for (angles, more, refine,
# challenge, interpret, read_brief, extract_brand): bot.ops.usage counts tokens by it.
CALL_KIND = "symbiose_call"
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class TemplateError(ValueError):
    """A prompt template is invalid, or was rendered without a variable it needs."""


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


@dataclass(frozen=True, slots=True)
class RenderedPrompt:
    system: str
    user: str


class PromptTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str = ""
    variables: tuple[str, ...] = ()
    system: str = ""  # empty for follow-up messages (e.g. the repair request)
    user: str
    format_instructions: str = ""

    @field_validator("variables")
    @classmethod
    def _identifiers(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [v for v in value if not _PLACEHOLDER.fullmatch("{" + v + "}")]
        if bad:
            raise ValueError(f"variable names must be lower-case identifiers: {', '.join(bad)}")
        twice = sorted({v for v in value if value.count(v) > 1})
        if twice:
            raise ValueError(f"variable declared twice: {', '.join(twice)}")
        return value

    @field_validator("user")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value

    @model_validator(mode="after")
    def _placeholders_match(self) -> PromptTemplate:
        used = placeholders(self.system) | placeholders(self.user)
        used |= placeholders(self.format_instructions)
        declared = set(self.variables)
        if used - declared:
            raise ValueError(f"uses undeclared placeholder(s): {_names(used - declared)}")
        if declared - used:
            raise ValueError(f"declares variable(s) it never uses: {_names(declared - used)}")
        return self

    def render(self, values: Mapping[str, Any] | None = None, /, **more: Any) -> RenderedPrompt:
        """Fill the placeholders. Extra values are ignored (a template may use
        fewer than the generator offers); a missing one is a TemplateError."""
        given = {**(values or {}), **more}
        missing = set(self.variables) - set(given)
        if missing:
            raise TemplateError(f"template {self.name!r}: missing variable(s) {_names(missing)}")
        text = {k: str(given[k]) for k in self.variables}

        def fill(part: str) -> str:
            # A line that is only a placeholder left empty (an optional block with
            # nothing to say) goes whole: a prompt pays for every line.
            kept = [line for line in part.split("\n")
                    if not ((m := _PLACEHOLDER.fullmatch(line.strip())) and not text[m.group(1)])]
            return _PLACEHOLDER.sub(lambda m: text[m.group(1)], "\n".join(kept))

        user = fill(self.user).rstrip()
        if self.format_instructions.strip():
            user = f"{user}\n\n{fill(self.format_instructions).strip()}"
        return RenderedPrompt(system=fill(self.system).strip(), user=user)


def _names(items: set[str]) -> str:
    return ", ".join(f"{{{n}}}" for n in sorted(items))


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(x) for x in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts)


def load_template(path: Path) -> PromptTemplate:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TemplateError(f"{path.name}: not valid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict):
        raise TemplateError(f"{path.name}: expected a mapping with 'variables', 'system', 'user'")
    if "name" in data:
        raise TemplateError(f"{path.name}: 'name' comes from the file name, remove the key")
    try:
        return PromptTemplate.model_validate({**data, "name": path.stem})
    except ValidationError as exc:
        raise TemplateError(f"{path.name}: {_describe(exc)}") from None


def load_templates(folder: Path = LLM_PROMPTS_DIR) -> dict[str, PromptTemplate]:
    """Every template of `folder`, by file name without `.yaml`."""
    if not folder.is_dir():
        raise TemplateError(f"prompt template folder not found: {folder}")
    return {path.stem: load_template(path) for path in sorted(folder.glob("*.yaml"))}


class PromptRules(BaseModel):
    """Rules added to the system message of every template (prompts/llm_rules.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    data_rule: str

    @field_validator("data_rule")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    def system(self, task_system: str) -> str:
        """A call's system message: these rules first, the same words in every call
        (a provider's prompt cache serves them), then the task's own static part."""
        return f"{self.data_rule}\n\n{task_system}".strip()


def load_rules(path: Path = LLM_RULES_PATH) -> PromptRules:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return PromptRules.model_validate(data)
    except OSError as exc:
        raise TemplateError(f"{path.name}: cannot be read ({type(exc).__name__})") from exc
    except yaml.YAMLError as exc:
        raise TemplateError(f"{path.name}: not valid YAML ({exc.__class__.__name__})") from exc
    except ValidationError as exc:
        raise TemplateError(f"{path.name}: {_describe(exc)}") from None
