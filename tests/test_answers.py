import pytest

from bot.dialogue.answers import read_answers


@pytest.mark.parametrize(
    ("text", "asked", "expected"),
    [
        ("étudiants urbains", ["product", "audience"], {"audience": "étudiants urbains"}),
        (
            "notoriété, ton décalé",
            ["audience", "objective"],
            {"objective": "notoriété", "tone": "décalé"},
        ),
        (
            "une gourde isotherme\nles étudiants",
            ["product", "audience"],
            {"product": "une gourde isotherme", "audience": "les étudiants"},
        ),
        (
            "plutôt notoriété et un ton décalé",
            ["objective", "tone"],
            {"objective": "notoriété", "tone": "décalé"},
        ),
        ("Gourde en inox", ["product"], {"product": "Gourde en inox"}),
        (
            "Cible: parents\nObjectif: ventes",
            ["audience", "objective"],
            {"audience": "parents", "objective": "ventes"},
        ),
        (
            "awareness; playful",
            ["objective", "tone"],
            {"objective": "awareness", "tone": "playful"},
        ),
        (
            "young parents, launch",
            ["audience", "objective"],
            {"audience": "young parents", "objective": "launch"},
        ),
        (
            "An insulated steel bottle\nUrban students",
            ["product", "audience"],
            {"product": "An insulated steel bottle", "audience": "Urban students"},
        ),
        ("Our oat drink", ["product", "audience"], {"product": "Our oat drink"}),
    ],
)
def test_read_answers(text: str, asked: list[str], expected: dict[str, str]) -> None:
    assert read_answers(text, asked) == expected


def test_answers_that_say_a_goal_or_a_tone_in_several_words() -> None:
    missing = ["product", "audience", "objective", "tone"]
    assert read_answers("engagé, un peu militant", ["audience", "objective"], missing) == {
        "tone": "engagé, un peu militant"}
    assert read_answers("faire venir plus de clients le week-end", ["product"], missing) == {
        "objective": "faire venir plus de clients le week-end"}


def test_a_name_and_a_target_in_an_answer_go_where_they_belong() -> None:
    text = ("It's called The Back Office, weekly, 20 minutes, hosted by two accountants; "
            "we want 5,000 subscribers by summer")
    assert read_answers(text, ["objective", "tone"], ["objective", "tone"]) == {
        "brand": "The Back Office", "objective": "5,000 subscribers"}


def test_an_age_band_answers_who() -> None:
    assert read_answers("les 45-65 ans qui portent des verres progressifs, ton expert et "
                        "chaleureux", ["audience", "objective"], ["audience", "objective"]) == {
        "audience": "les 45-65 ans qui portent des verres progressifs",
        "tone": "expert, chaleureux"}
