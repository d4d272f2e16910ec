"""Markdown (what the engine writes) -> Slack mrkdwn, with every piece of text escaped.

Slack treats `<...>` as control sequences: `<!channel>` pings a channel, `<@U1>` a
person, `<http://x|y>` renders a disguised link. Escaping `&`, `<` and `>` in all
user and LLM text means none of that can come from content; the only `<...>`
this module emits are the links the markdown explicitly asked for.
Bidi controls and zero-width characters are removed from everything shown,
as Teams does (bot.kernel.invisible): an LLM answer cannot reverse or hide text.
Pure functions, no Slack SDK: table-tested in tests/slack/test_mrkdwn.py.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bot.kernel.invisible import strip_invisible

_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))

# Placeholders use characters that cannot appear in escaped text.
_CODE_MARK = "\x00{}\x00"
_FENCE = re.compile(r"```(?:[a-zA-Z0-9_+-]*\n)?(.*?)```", re.DOTALL)
_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s()<>|]+)\)")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC_STAR = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_BULLET = re.compile(r"^(\s*)[-*+]\s+", re.MULTILINE)
_BOLD_MARK = "\x01"


def escape(text: str) -> str:
    """Escape the three characters Slack reserves; nothing else changes."""
    for raw, safe in _ESCAPES:
        text = text.replace(raw, safe)
    return text


def markdown_to_mrkdwn(markdown: str) -> str:
    """Convert the engine's markdown to mrkdwn, escaping all text on the way.

    Handles what the engine and LLMs write: **bold**, __bold__, *italic*,
    _italic_ (same in mrkdwn), ~~strike~~, `code`, fenced code, # headings,
    `-`/`*` bullets and [label](https://url) links. Anything else is left as
    (escaped) text.
    """
    saved: list[str] = []
    # Our placeholder characters (control characters) must not come from the input.
    markdown = strip_invisible(markdown)

    def keep(snippet: str) -> str:
        saved.append(snippet)
        return _CODE_MARK.format(len(saved) - 1)

    text = _FENCE.sub(lambda m: keep("```" + escape(m.group(1).strip("\n")) + "```"), markdown)
    text = _INLINE_CODE.sub(lambda m: keep("`" + escape(m.group(1)) + "`"), text)
    text = _LINK.sub(lambda m: keep(_link(m.group(2), m.group(1))), text)
    text = escape(text)
    text = _HEADING.sub(lambda m: f"{_BOLD_MARK}{m.group(1)}{_BOLD_MARK}", text)
    # Bold first becomes a neutral mark, so the italic rule cannot eat its stars.
    text = _BOLD.sub(lambda m: f"{_BOLD_MARK}{m.group(2)}{_BOLD_MARK}", text)
    text = _ITALIC_STAR.sub(lambda m: f"_{m.group(1)}_", text)
    text = _STRIKE.sub(lambda m: f"~{m.group(1)}~", text)
    text = _BULLET.sub(lambda m: f"{m.group(1)}• ", text)
    text = text.replace(_BOLD_MARK + _BOLD_MARK, "").replace(_BOLD_MARK, "*")
    return re.sub("\x00(\\d+)\x00", lambda m: saved[int(m.group(1))], text)


def _link(url: str, label: str) -> str:
    """A markdown link, showing where it goes: unless the label already names the
    host, the host follows it, so "[your bank](http://evil.test)" can't pass
    for anything else. The URL pattern already excludes `<`, `>`, `|` and
    spaces; `&` must still be escaped."""
    try:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:  # "http://[oops": not a URL anyone meant; show it as text
        return escape(f"{label} ({url})")
    shown = f"<{escape(url)}|{escape(label)}>"
    return shown if not host or host in label.lower() else f"{shown} ({escape(host)})"


def plain(text: str, limit: int) -> str:
    """Plain text (buttons, headers, modal titles) cut to Slack's length limit.

    Angle brackets become look-alike guillemets: whether or not Slack decodes
    entities in plain_text, `‹!channel›` can never be a control sequence.
    """
    text = " ".join(strip_invisible(text).split()).replace("<", "‹").replace(">", "›")
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def markdown_line(text: str, limit: int = 500) -> str:
    """Plain text for a surface that renders markdown (chat streaming): as `plain`,
    so no `<...>` control sequence can form, and no `[label](url)` link either
    (a word joiner separates `]` from `(`)."""
    return plain(text, limit).replace("](", "]\u2060(")
