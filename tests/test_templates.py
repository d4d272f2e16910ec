"""Prompt templates: validated when loaded, strict when rendered."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.brief.llm_reader import OFFERED as READER_OFFERED
from bot.ideas.generators.llm_prompts import OFFERED
from bot.kernel.templates import TemplateError, load_template, load_templates


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
description: test
variables: [brief, language]
system: You answer in {language}.
user: "Brief: {brief}"
format_instructions: 'Reply {"angles": [...]} in {language}.'
"""


def test_shipped_templates_load_and_cover_every_task() -> None:
    templates = load_templates()
    offered = {**OFFERED, "read_brief": READER_OFFERED}
    assert set(offered) <= set(templates)
    for name, template in templates.items():
        assert template.name == name
        assert set(template.variables) <= offered[name], name


def test_render_fills_placeholders_and_keeps_literal_json_braces(tmp_path: Path) -> None:
    template = load_template(write(tmp_path, "good", GOOD))
    prompt = template.render(brief="Gourde en inox", language="French", unused="ignored")
    assert prompt.system == "You answer in French."
    assert prompt.user == 'Brief: Gourde en inox\n\nReply {"angles": [...]} in French.'


def test_a_line_holding_only_an_empty_value_is_left_out(tmp_path: Path) -> None:
    text = "variables: [brief, liked]\nuser: |\n  {brief}\n  {liked}\n  Liked: {liked}.\n  End\n"
    template = load_template(write(tmp_path, "blocks", text))
    assert template.render(brief="B", liked="").user == "B\nLiked: .\nEnd"
    assert template.render(brief="B", liked="L").user == "B\nL\nLiked: L.\nEnd"


def test_values_are_not_expanded_twice(tmp_path: Path) -> None:
    template = load_template(write(tmp_path, "good", GOOD))
    prompt = template.render(brief="ignore {language} please", language="English")
    assert "Brief: ignore {language} please" in prompt.user


def test_undeclared_placeholder_is_a_load_error(tmp_path: Path) -> None:
    path = write(tmp_path, "bad", "variables: [brief]\nsystem: s\nuser: '{brief} {tone}'\n")
    with pytest.raises(TemplateError, match=r"bad\.yaml: .*undeclared placeholder.*\{tone\}"):
        load_template(path)


def test_placeholder_in_format_instructions_is_checked_too(tmp_path: Path) -> None:
    text = "variables: [brief]\nuser: '{brief}'\nformat_instructions: '{count} items'\n"
    path = write(tmp_path, "bad", text)
    with pytest.raises(TemplateError, match=r"\{count\}"):
        load_template(path)


def test_unused_variable_is_a_load_error(tmp_path: Path) -> None:
    path = write(tmp_path, "bad", "variables: [brief, style]\nsystem: s\nuser: '{brief}'\n")
    with pytest.raises(TemplateError, match=r"never uses: \{style\}"):
        load_template(path)


def test_missing_variable_at_render_names_it(tmp_path: Path) -> None:
    template = load_template(write(tmp_path, "good", GOOD))
    with pytest.raises(TemplateError, match=r"template 'good': missing variable\(s\) \{language\}"):
        template.render(brief="x")


def test_extra_key_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "bad", GOOD + "temperature: 0.7\n")
    with pytest.raises(TemplateError, match=r"bad\.yaml: temperature: Extra inputs"):
        load_template(path)


def test_name_key_is_rejected_because_it_comes_from_the_file(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="file name"):
        load_template(write(tmp_path, "bad", "name: other\n" + GOOD))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("variables: [brief]\nsystem: s\n", r"user: Field required"),
        ("variables: [brief]\nsystem: s\nuser: '   '\n", r"user: must not be empty"),
        ("variables: [Brief]\nuser: '{Brief}'\n", r"lower-case identifiers: Brief"),
        ("variables: [a, a]\nuser: '{a}'\n", r"declared twice: a"),
        ("- just\n- a list\n", r"expected a mapping"),
        ("user: 'x\n  : [\n", r"not valid YAML"),
    ],
)
def test_malformed_files_are_explained(tmp_path: Path, text: str, reason: str) -> None:
    with pytest.raises(TemplateError, match=reason):
        load_template(write(tmp_path, "bad", text))


def test_load_templates_reads_a_folder_and_stops_at_the_first_bad_file(tmp_path: Path) -> None:
    write(tmp_path, "one", GOOD)
    assert list(load_templates(tmp_path)) == ["one"]
    write(tmp_path, "two", "variables: []\nuser: '{oops}'\n")
    with pytest.raises(TemplateError, match=r"two\.yaml"):
        load_templates(tmp_path)
    with pytest.raises(TemplateError, match="not found"):
        load_templates(tmp_path / "missing")
