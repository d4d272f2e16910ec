"""Table tests: text from users and LLMs shows as typed in Teams."""

from __future__ import annotations

import pytest

from adapters.teams.safe_text import card_markdown, card_plain, message_markdown, plain

ZW = "\u200b"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("**bold** and _it_", "**bold** and _it_"),
        ("<at>General</at> hi", "&lt;at&gt;General&lt;/at&gt; hi"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("[docs](https://example.com/a?b=1&c=2)", "docs (https://example.com/a?b=1&amp;c=2)"),
        ("[https://x.example](https://x.example)", "https://x.example"),
        ("[login](mailto:it@example.com)", "login (mailto:it@example.com)"),
        ("![pixel](https://tracker.example/p.png)", "!pixel (https://tracker.example/p.png)"),
        ("[win](javascript:alert(1))", "win"),  # label kept, unsafe target dropped
        ("[x](data:text/html,hi)", "x"),
        ("a\u202eevil\x00", "aevil"),  # bidi override and NUL removed
    ],
)
def test_message_markdown(raw: str, expected: str) -> None:
    assert message_markdown(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain words", "plain words"),
        ("<at>Bob</at>", f"<{ZW}at>Bob<{ZW}/at>"),
        ("{{DATE(2017-02-14T06:08:39Z, SHORT)}}", f"{{{ZW}{{DATE(2017-02-14T06:08:39Z, SHORT)}}}}"),
        ("[click](https://evil.example)", f"[click]{ZW}(https://evil.example)"),
    ],
)
def test_card_plain(raw: str, expected: str) -> None:
    assert card_plain(raw) == expected


def test_card_markdown_shows_link_targets_and_drops_unsafe_ones() -> None:
    assert (
        card_markdown("see [a](https://x.example) [b](javascript:x) <at>c</at> {{DATE(x)}}")
        == f"see a (https://x.example) b <{ZW}at>c<{ZW}/at> {{{ZW}{{DATE(x)}}}}"
    )


def test_long_text_is_clipped() -> None:
    assert len(card_plain("x" * 10_000)) <= 3000
    assert plain("a\n b   c", 10) == "a b c"
