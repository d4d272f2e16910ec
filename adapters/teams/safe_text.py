"""Rendering user and LLM text safely in Teams.

Teams renders a message's `text` as markdown *and* a subset of HTML, turns
`<at>Name</at>` into a mention, and Adaptive Card TextBlocks interpret markdown
links and `{{DATE(...)}}` / `{{TIME(...)}}` functions. Text we did not write
(a brief, an LLM answer, a glossary entry from an organisation file) must show
as typed, never as markup, a mention, a hidden link target or a function.
"""

from __future__ import annotations

import html
import re

from bot.kernel.invisible import strip_invisible

# A markdown link; the target may hold one level of parentheses, as `alert(1)` does.
_LINK = re.compile(r"\[([^\]\n]{0,300})\]\(((?:[^()\s]|\([^()\s]*\)){0,2000})\)")
_SAFE_URL = re.compile(r"^(https?://|mailto:)[^\s<>\"']+$", re.IGNORECASE)
_ZWSP = "\u200b"  # invisible: keeps the look, breaks the syntax

# Adaptive Cards show long text badly; Teams caps a whole message around 28 KB.
CARD_TEXT_MAX = 3000
MESSAGE_TEXT_MAX = 20000


def clip(text: str, limit: int) -> str:
    # Controls, bidi overrides and zero-width characters (one list for Slack and Teams).
    text = strip_invisible(text or "")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _unmask_links(text: str) -> str:
    """`[label](url)` -> `label (url)` for a web or mail target, just `label` otherwise.

    Our own texts carry no links, so any link in a reply came from a user, an LLM
    or a glossary file: its target is shown, never hidden behind a label (a
    prompt-injected answer must not carry a phishing link under innocent words).
    """

    def one(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2)
        if not _SAFE_URL.match(url):
            return label
        return url if label.strip() in ("", url) else f"{label} ({url})"

    return _LINK.sub(one, text)


def message_markdown(text: str) -> str:
    """Engine markdown (already mixing our words and the user's) for a Teams
    message `text`: HTML is escaped, so `<at>`, `<img>` or `<a>` typed by a user
    or produced by an LLM show as text; markdown emphasis stays, link targets show."""
    escaped = html.escape(clip(text, MESSAGE_TEXT_MAX), quote=False)
    # html.escape leaves the URL inside (...) untouched except & -> &amp; which Teams decodes.
    return _unmask_links(escaped)


def card_markdown(text: str) -> str:
    """Engine markdown for a TextBlock: link targets shown, no card functions, no tags."""
    return _unmask_links(_neutralise_card_syntax(clip(text, CARD_TEXT_MAX)))


def card_plain(text: str, limit: int = CARD_TEXT_MAX) -> str:
    """Content from a user, an LLM or a data file, for a TextBlock: shown as typed.

    Markdown links are broken (a prompt-injected angle must not carry a
    phishing link behind an innocent label); emphasis is left alone, harmless.
    """
    text = _neutralise_card_syntax(clip(text, limit))
    return text.replace("](", "]" + _ZWSP + "(")


def _neutralise_card_syntax(text: str) -> str:
    # `{{DATE(..)}}` is evaluated by card renderers; `<at>` would read as a mention.
    return text.replace("{{", "{" + _ZWSP + "{").replace("<", "<" + _ZWSP)


def plain(text: str, limit: int = 200) -> str:
    """A short single-line plain text (card titles, previews, fallback text)."""
    return " ".join(clip(text, limit).split())
