import pytest

from bot.kernel.lang import detect


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Nous lançons une gourde réutilisable pour les étudiants", "fr"),
        ("We are launching a reusable bottle for students", "en"),
        ("j'aime 2", "fr"),
        ("like 2", "en"),
        ("affiner 2 plus drôle", "fr"),
        ("refine 2 more playful", "en"),
        ("Quelle idée pour la rentrée ?", "fr"),
        ("help", "en"),
        ("aide", "fr"),
    ],
)
def test_detect(text: str, lang: str) -> None:
    assert detect(text) == lang


@pytest.mark.parametrize("text", ["2", "ok", "Gourdo", "🙂"])
def test_no_signal_gives_none(text: str) -> None:
    assert detect(text) is None
