"""The strategy catalogue: the shipped file, and clear errors on broken files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from bot.ideas.catalogue import TAGS, Catalogue, CatalogueError, Strategy

REQUIRED = ("storytelling", "contrarian", "distant-analogy", "social-proof", "humour",
            "behind-the-scenes")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load()


def test_shipped_catalogue_has_enough_complete_strategies(catalogue: Catalogue) -> None:
    assert len(catalogue) >= 18
    assert len(set(catalogue.ids())) == len(catalogue)
    for sid in REQUIRED:
        assert sid in catalogue
    for strategy in catalogue:
        for lang in ("fr", "en"):
            assert strategy.name_in(lang).strip()
            assert len(strategy.description_in(lang)) > 30
            assert strategy.channels_in(lang)
        assert strategy.tags and set(strategy.tags) <= TAGS
        assert strategy.name["fr"] != strategy.description["fr"]
        # What an LLM prompt carries: shorter than the description, in both languages.
        for lang in ("fr", "en"):
            assert 10 < len(strategy.short_in(lang)) < len(strategy.description_in(lang))


def test_lookup_and_iteration_follow_the_file(catalogue: Catalogue) -> None:
    assert [s.id for s in catalogue] == catalogue.ids()
    story = catalogue.get("storytelling")
    assert isinstance(story, Strategy)
    assert story.name_in("fr") == "Récit de marque"
    assert story.name_in("en") == "Storytelling"
    assert "nope" not in catalogue
    with pytest.raises(KeyError):
        catalogue.get("nope")


def test_strategies_are_frozen(catalogue: Catalogue) -> None:
    with pytest.raises(ValidationError):  # pydantic's frozen-instance error
        catalogue.get("humour").id = "other"  # type: ignore[misc]


def _entry(**changes: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "id": "storytelling",
        "name": {"fr": "Récit", "en": "Story"},
        "description": {"fr": "Raconter une histoire.", "en": "Tell a story."},
        "tags": ["emotional"],
        "channels": {"fr": ["Instagram — carrousel"], "en": ["Instagram — carousel"]},
    }
    entry.update(changes)
    return entry


def _write(tmp_path: Path, entries: object) -> Path:
    path = tmp_path / "strategies.yaml"
    path.write_text(yaml.safe_dump({"strategies": entries}, allow_unicode=True), encoding="utf-8")
    return path


def test_a_small_valid_file_loads(tmp_path: Path) -> None:
    path = _write(tmp_path, [_entry(), _entry(id="humour", tags=["playful"])])
    assert Catalogue.load(path).ids() == ["storytelling", "humour"]


def test_without_a_short_form_the_description_is_used(tmp_path: Path) -> None:
    path = _write(tmp_path, [_entry(), _entry(id="humour", short={"fr": "Rire.", "en": "Laugh."})])
    catalogue = Catalogue.load(path)
    assert catalogue.get("storytelling").short_in("en") == "Tell a story."
    assert catalogue.get("humour").short_in("fr") == "Rire."


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        (_entry(name={"fr": "Récit"}), "name"),
        (_entry(description={"fr": "x", "en": ""}), "description"),
        (_entry(tags=["grumpy"]), "grumpy"),
        (_entry(tags=[]), "tags"),
        (_entry(channels={"fr": [], "en": ["x"]}), "channels"),
        (_entry(colour="blue"), "colour"),
        (_entry(id="Story Telling"), "id"),
        (_entry(short={"fr": "Court.", "en": "x" * 71}), "short"),
        (_entry(short={"en": "Short."}), "short"),
    ],
)
def test_invalid_entries_name_file_entry_and_reason(tmp_path: Path, entry: dict[str, object],
                                                    reason: str) -> None:
    path = _write(tmp_path, [_entry(id="humour"), entry])
    with pytest.raises(CatalogueError) as info:
        Catalogue.load(path)
    message = str(info.value)
    assert "strategies.yaml" in message
    assert "entry 2" in message
    assert reason in message


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="defined twice"):
        Catalogue.load(_write(tmp_path, [_entry(), _entry()]))


@pytest.mark.parametrize("content", ["strategies: []\n", "just text\n", "strategies: [oops\n", ""])
def test_unusable_files_are_rejected(tmp_path: Path, content: str) -> None:
    path = tmp_path / "strategies.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogueError, match="strategies.yaml"):
        Catalogue.load(path)


def test_missing_file_is_a_catalogue_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="cannot read"):
        Catalogue.load(tmp_path / "absent.yaml")
