"""markdown -> mrkdwn and escaping: table tests (pure functions)."""

from __future__ import annotations

import pytest

from adapters.slack.mrkdwn import escape, markdown_line, markdown_to_mrkdwn, plain


@pytest.mark.parametrize(
    ("markdown", "mrkdwn"),
    [
        ("plain words", "plain words"),
        ("**bold** and *italic*", "*bold* and _italic_"),
        ("__bold__ and _italic_", "*bold* and _italic_"),
        ("~~gone~~", "~gone~"),
        ("# Title\ntext", "*Title*\ntext"),
        ("### Sub ###", "*Sub*"),
        ("- one\n- two\n  * nested", "• one\n• two\n  • nested"),
        (
            "[docs](https://example.com/a?b=1&c=2)",
            "<https://example.com/a?b=1&amp;c=2|docs> (example.com)",
        ),
        ("[your bank](http://evil.test/login)", "<http://evil.test/login|your bank> (evil.test)"),
        ("[acme.test](https://www.acme.test/)", "<https://www.acme.test/|acme.test>"),
        ("[x](http://[oops)", "x (http://[oops)"),
        ("`a < b`", "`a &lt; b`"),
        (
            "```\nif a < b && c:\n    **not bold**\n```",
            "```if a &lt; b &amp;&amp; c:\n    **not bold**```",
        ),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("snake_case_name", "snake_case_name"),
        ("**1. Title**  _storytelling_", "*1. Title*  _storytelling_"),
        ("> quoted hook", "&gt; quoted hook"),
    ],
)
def test_markdown_to_mrkdwn(markdown: str, mrkdwn: str) -> None:
    assert markdown_to_mrkdwn(markdown) == mrkdwn


@pytest.mark.parametrize(
    "attack",
    [
        "<!channel> hello",
        "<!here>",
        "<!everyone>",
        "<@U024BE7LH> ping",
        "<!subteam^S123|@team>",
        "<http://evil.example|your bank>",
        "[click](javascript:alert(1))",
        "[x](http://a.b/<!channel>)",
        "**<!here>**",
        "`<!channel>`",
        "```<!channel>```",
        "\x00<!channel>\x00",
    ],
)
def test_no_control_sequence_survives(attack: str) -> None:
    out = markdown_to_mrkdwn(attack)
    assert "<!" not in out and "<@" not in out and "<http://evil" not in out
    assert "javascript:" not in out or "<javascript" not in out


def test_only_requested_links_render() -> None:
    out = markdown_to_mrkdwn("see [the brief](https://acme.test/brief) <http://x|y>")
    assert out == "see <https://acme.test/brief|the brief> (acme.test) &lt;http://x|y&gt;"


def test_escape_is_exactly_the_three_characters() -> None:
    assert escape("a & b < c > d \"e\" 'f'") == "a &amp; b &lt; c &gt; d \"e\" 'f'"


@pytest.mark.parametrize(("text", "limit", "out"), [
    ("short", 10, "short"),
    ("a  b\n c", 10, "a b c"),
    ("0123456789abc", 10, "012345678…"),
    ("<!here> me", 20, "‹!here› me"),
])
def test_plain(text: str, limit: int, out: str) -> None:
    assert plain(text, limit) == out


@pytest.mark.parametrize(("text", "out"), [
    ("Angle 2/5…", "Angle 2/5…"),
    ("<!channel> now", "‹!channel› now"),
    ("[bank](http://evil.test)", "[bank]\u2060(http://evil.test)"),
])
def test_markdown_line_can_neither_ping_nor_link(text: str, out: str) -> None:
    assert markdown_line(text) == out
