import pytest

from bot.dialogue.intents import Intent, likely_typo, parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Intent("empty")),
        ("   ", Intent("empty")),
        ("help", Intent("help")),
        ("Aide", Intent("help")),
        ("more", Intent("more")),
        ("encore", Intent("more")),
        ("d'autres idées", Intent("more")),
        ("angles", Intent("angles")),
        ("go", Intent("go")),
        ("Vas-y", Intent("go")),
        ("vas y !", Intent("go")),
        ("brand", Intent("brand_show")),
        ("marque", Intent("brand_show")),
        ("like 2", Intent("like", n=2)),
        ("j'aime 2", Intent("like", n=2)),
        ("J’aime #3", Intent("like", n=3)),
        ("j aime 2", Intent("like", n=2)),
        ("jaime 2", Intent("like", n=2)),
        ("je n aime pas 2", Intent("dislike", n=2)),
        ("lke 3", Intent("unknown", arg="lke 3")),
        ("like2", Intent("like", n=2)),
        ("Like 2 !", Intent("like", n=2)),
        ("j'aime la 2", Intent("like", n=2)),
        ("la 2 me plaît", Intent("like", n=2)),
        ("#3 is great", Intent("like", n=3)),
        ("la 4 ne me plaît pas", Intent("dislike", n=4)),
        ("je valide la 1", Intent("validate", n=1)),
        ("encore une fois", Intent("more")),
        ("merci !", Intent("social")),
        ("hello", Intent("greeting")),
        ("dislike 2", Intent("dislike", n=2)),
        ("dislike 2 too corporate", Intent("dislike", n=2, arg="too corporate")),
        ("je n'aime pas 4 trop banal", Intent("dislike", n=4, arg="trop banal")),
        ("validate 1", Intent("validate", n=1)),
        ("valider 1", Intent("validate", n=1)),
        ("refine 2 more playful", Intent("refine", n=2, arg="more playful")),
        ("affiner 2 plus drôle", Intent("refine", n=2, arg="plus drôle")),
        ("refine", Intent("refine")),
        ("challenge 2", Intent("challenge", n=2)),
        (
            "challenge a pop-up store in the metro",
            Intent("challenge", arg="a pop-up store in the metro"),
        ),
        ("challenger une boutique éphémère", Intent("challenge", arg="une boutique éphémère")),
        ("shortlist", Intent("shortlist")),
        ("sélection", Intent("shortlist")),
        ("strategies", Intent("strategies")),
        ("Stratégies", Intent("strategies")),
        ("glossary SEO", Intent("glossary", arg="SEO")),
        ("glossaire IA symbiotique", Intent("glossary", arg="IA symbiotique")),
        ("glossary", Intent("glossary")),
        ("forget me", Intent("forget")),
        ("oublie-moi", Intent("forget")),
        ("yes", Intent("yes")),
        ("oui", Intent("yes")),
        ("non", Intent("no")),
        ("in english", Intent("lang", arg="en")),
        ("en français", Intent("lang", arg="fr")),
        ("frobnicate", Intent("unknown", arg="frobnicate")),
        ("/deploy now", Intent("unknown", arg="/deploy now")),
        (
            "Launch our new oat drink for students",
            Intent("text", arg="Launch our new oat drink for students"),
        ),
    ],
)
def test_parse(text: str, expected: Intent) -> None:
    assert parse(text) == expected


def test_a_brief_that_starts_like_a_command_is_still_a_brief() -> None:
    assert parse("more sustainable packaging for our yogurts").kind == "text"
    assert parse("like a phoenix: relaunching a forgotten brand").kind == "text"


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("lkike 2", "like 2"),
        ("hepl", "help"),
        ("chalenge 2", "challenge 2"),
        ("afiner 2 plus court", "affiner 2 plus court"),
        ("strategis", "strategies"),
        ("glosary SEO", "glossary SEO"),
        ("frobnicate", None),
        ("randonneurs", None),
        ("Challenges of selling bikes in winter to city commuters", None),
    ],
)
def test_likely_typos_get_a_did_you_mean(text: str, fix: str | None) -> None:
    assert likely_typo(text, parse(text)) == fix
