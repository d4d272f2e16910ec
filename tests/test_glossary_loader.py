"""Loading organisation files: additions, overrides, and reported errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.glossary import Glossary, GlossaryError
from bot.glossary.loader import BUILTIN_DIR

DATA = Path(__file__).parent / "glossary_data"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_org_file_adds_overrides_and_reports_bad_entries() -> None:
    builtin = len(Glossary.load())
    g = Glossary.load([DATA / "acme.yaml"])

    # One new entry; persona replaced in place (not added).
    assert len(g) == builtin + 1
    added = g.card("RDL", "fr")
    assert added is not None and added.term == "Revue du lundi"
    assert added.category == "Jargon Acme"
    assert added.related == ["Sparring-partner", "Brief créatif"]

    persona = g.card("persona", "en")
    assert persona is not None and persona.definition.startswith("At Acme")

    source = str(DATA / "acme.yaml")
    assert len(g.errors) == 2, g.errors
    missing, typo = g.errors
    assert missing.startswith(f"{source}: broken-entry: ")
    assert "definition" in missing and "required" in missing.lower()
    assert typo.startswith(f"{source}: Typo entry: ")
    assert "defintion" in typo


def test_single_language_entry_falls_back_to_the_other_language() -> None:
    g = Glossary.load([DATA / "acme.yaml"])
    en = g.card("revue du lundi", "en")
    assert en is not None
    assert en.term == "Revue du lundi"
    assert en.definition.startswith("Point d’équipe")
    assert en.category == "Acme jargon"


def test_override_by_canonical_term_keeps_the_builtin_id(tmp_path: Path) -> None:
    path = _write(tmp_path / "org.yaml", """
entries:
  - category: marketing
    term: {fr: "Tunnel de conversion"}
    definition: {fr: "Notre définition maison."}
""")
    builtin = Glossary.load()
    g = Glossary.load([path])
    assert len(g) == len(builtin)
    card = g.card("funnel", "fr")
    assert card is not None and card.id == "funnel"
    assert card.definition == "Notre définition maison."
    assert g.errors == []


def test_folder_of_files_and_later_files_win(tmp_path: Path) -> None:
    folder = tmp_path / "glossary"
    folder.mkdir()
    _write(
        folder / "a.yaml",
        """
categories:
  internal: {fr: "Interne", en: "Internal"}
entries:
  - id: okr
    category: internal
    term: {fr: "OKR", en: "OKR"}
    definition:
      fr: "Objectifs et résultats clés, version A."
      en: "Objectives and key results, version A."
""",
    )
    _write(folder / "b.yml", """
entries:
  - id: okr
    category: internal
    term: {en: "OKR"}
    definition: {en: "Objectives and key results, version B."}
""")
    _write(folder / "notes.txt", "not a glossary file")
    g = Glossary.load([folder])
    assert g.errors == []
    card = g.card("okr", "en")
    assert card is not None and card.definition.endswith("version B.")
    assert [c.id for c in g.categories("en")][-1] == "internal"


def test_invalid_yaml_and_missing_paths_are_reported_and_the_rest_loads(tmp_path: Path) -> None:
    bad = _write(tmp_path / "bad.yaml", "entries:\n  - id: x\n    term: {fr: [unclosed\n")
    not_mapping = _write(tmp_path / "list.yaml", "- just\n- a list\n")
    missing = tmp_path / "nowhere.yaml"
    g = Glossary.load([bad, not_mapping, missing, DATA / "acme.yaml"])
    assert any(e.startswith(f"{bad}: invalid YAML at line ") for e in g.errors), g.errors
    assert any(e.startswith(f"{not_mapping}: expected a mapping") for e in g.errors)
    assert f"{missing}: not found" in g.errors
    assert g.card("RDL", "fr") is not None


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("category: nope\n    term: {en: X1}\n    definition: {en: d}", "unknown category 'nope'"),
        (
            "category: marketing\n    term: {en: X2}\n    definition: {en: d}\n"
            "    related: [zzz-none]",
            "related term 'zzz-none' is not in the glossary",
        ),
        (
            "id: Bad Id\n    category: marketing\n    term: {en: X3}\n    definition: {en: d}",
            "id: String should match",
        ),
        ("category: marketing\n    term: {}\n    definition: {en: d}", "term: Value error"),
        ("category: marketing\n    term: {en: X5}\n    definition: {de: d}", "definition.de"),
    ],
)
def test_each_kind_of_bad_entry_names_file_entry_and_reason(
    tmp_path: Path, entry: str, reason: str
) -> None:
    path = _write(tmp_path / "org.yaml", f"entries:\n  - {entry}\n")
    g = Glossary.load([path])
    assert len(g.errors) == 1, g.errors
    assert g.errors[0].startswith(f"{path}: ")
    assert reason in g.errors[0]


def test_unresolved_related_keeps_the_entry(tmp_path: Path) -> None:
    path = _write(tmp_path / "org.yaml", """
entries:
  - category: marketing
    term: {en: "Flywheel"}
    definition: {en: "A growth loop."}
    related: [funnel, no-such-term]
""")
    g = Glossary.load([path])
    card = g.card("flywheel", "en")
    assert card is not None and card.related == ["Funnel"]
    assert g.errors == [f"{path}: flywheel: related term 'no-such-term' is not in the glossary"]


def test_org_alias_taking_a_builtin_name_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path / "org.yaml", """
entries:
  - category: marketing
    term: {en: "Growth loop"}
    aliases: {en: ["funnel"]}
    definition: {en: "A growth loop."}
""")
    g = Glossary.load([path])
    # The canonical term of the built-in entry wins; the org alias is ignored.
    card = g.card("funnel", "en")
    assert card is not None and card.id == "funnel"
    assert len(g.errors) == 1 and "'funnel' is already used by 'funnel'" in g.errors[0]


def test_org_alias_can_take_over_a_builtin_alias(tmp_path: Path) -> None:
    path = _write(tmp_path / "org.yaml", """
entries:
  - category: marketing
    term: {fr: "Entonnoir maison"}
    aliases: {fr: ["entonnoir"]}
    definition: {fr: "Notre entonnoir."}
""")
    g = Glossary.load([path])
    card = g.card("entonnoir", "fr")
    assert card is not None and card.term == "Entonnoir maison"
    assert g.errors == []


def test_broken_builtin_content_stops_start_up(tmp_path: Path) -> None:
    builtin = tmp_path / "builtin"
    shutil.copytree(BUILTIN_DIR, builtin)
    with (builtin / "marketing.yaml").open("a", encoding="utf-8") as f:
        f.write("""
  - id: half-translated
    category: marketing
    term: {fr: "À moitié"}
    definition: {fr: "Pas de version anglaise."}
""")
    with pytest.raises(
        GlossaryError, match=r"marketing.yaml: half-translated: missing translation: term.en"
    ):
        Glossary.load(builtin_dir=builtin)


def test_duplicate_builtin_names_stop_start_up(tmp_path: Path) -> None:
    builtin = tmp_path / "builtin"
    shutil.copytree(BUILTIN_DIR, builtin)
    with (builtin / "marketing.yaml").open("a", encoding="utf-8") as f:
        f.write("""
  - id: second-funnel
    category: marketing
    term: {fr: "Entonnoir bis", en: "Funnel bis"}
    aliases: {en: ["sales funnel"]}
    definition: {fr: "Doublon.", en: "Duplicate."}
""")
    with pytest.raises(GlossaryError, match="'sales funnel' is already used by 'funnel'"):
        Glossary.load(builtin_dir=builtin)


def test_the_readme_example_file_is_valid(tmp_path: Path) -> None:
    readme = Path(__file__).parents[1] / "docs" / "glossary.md"
    block = readme.read_text(encoding="utf-8").split("```yaml\n", 1)[1].split("```", 1)[0]
    g = Glossary.load([_write(tmp_path / "readme.yaml", block)])
    assert g.errors == []
    card = g.card("revu du lundi", "fr")  # a listed misspelling
    assert card is not None and card.id == "revue-du-lundi" and card.aliases == ["RDL"]
    persona = g.card("persona", "en")
    assert persona is not None and persona.definition.startswith("At Acme")
