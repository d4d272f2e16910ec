"""The console adapter: `symbiose chat`, `symbiose glossary`, `symbiose strategies`.

Reads one message per line on stdin and answers on stdout, so it works in a
terminal and in a pipe. With `--json`, every input line gets exactly one JSON
object on one line (DESIGN.md), whatever the line held.
"""

from __future__ import annotations

import asyncio
import getpass
import io
import json
import re
import sys
from typing import TextIO

from bot.kernel.messages import Lang, Message, Reply
from bot.kernel.settings import Settings

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])_(.+?)_(?!\w)")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)]+)\)")


def to_terminal(markdown: str, *, color: bool) -> str:
    """Markdown made readable in a terminal: ANSI bold/italic on a tty, plain in a pipe."""
    bold = r"\033[1m\1\033[0m" if color else r"\1"
    italic = r"\033[3m\1\033[0m" if color else r"\1"
    text = _BOLD.sub(bold, markdown)
    text = _ITALIC.sub(italic, text)
    return _LINK.sub(r"\1 (\2)", text)


def _user_id(user: str | None) -> str:
    try:
        name = user or getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        name = "local"
    return f"console:{name}"


def _emit(reply: Reply, *, as_json: bool, out: TextIO) -> None:
    if as_json:
        data = reply.to_json_dict()
        # "The reply as a person would read it": the same plain text a pipe gets.
        data["text"] = to_terminal(reply.text, color=False)
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        out.write(to_terminal(reply.text, color=out.isatty()) + "\n\n")
        if reply.document is not None:
            # The export as Markdown, untouched, so it can be copied into a file.
            out.write(reply.document.markdown + "\n\n")
    out.flush()


async def _chat(settings: Settings, user_id: str, lang: Lang | None, as_json: bool,
                inp: TextIO, out: TextIO) -> int:
    from bot.app import build_engine

    engine = build_engine(settings)
    interactive = inp.isatty() and not as_json
    loop = asyncio.get_running_loop()
    try:
        if interactive:
            from bot.kernel.i18n import t

            out.write(to_terminal(t("help", lang or settings.lang), color=out.isatty()) + "\n\n")
        while True:
            if interactive:
                out.write("> ")
                out.flush()
            line = await loop.run_in_executor(None, inp.readline)
            if not line:  # EOF
                return 0
            message = Message(text=line.rstrip("\n"), user_id=user_id,
                              conversation_id=f"{user_id}:chat", platform="console", lang=lang)
            _emit(await engine.handle(message), as_json=as_json, out=out)
    finally:
        await engine.aclose()


def run_chat(settings: Settings, *, user: str | None, lang: Lang | None, as_json: bool) -> int:
    # Bytes that are not UTF-8 (a pasted Latin-1 file) become U+FFFD, not a crash.
    for stream in (sys.stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    try:
        return asyncio.run(_chat(settings, _user_id(user), lang, as_json, sys.stdin, sys.stdout))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # start-up problems (bad model config...) in one line
        print(f"symbiose: {exc}", file=sys.stderr)
        return 1


def run_glossary(settings: Settings, term: str, *, lang: Lang | None, as_json: bool) -> int:
    from bot.glossary import Glossary

    glossary = Glossary.load(settings.glossary_paths)
    for problem in glossary.errors:
        print(f"symbiose: glossary: {problem}", file=sys.stderr)
    reply = glossary.reply(term, lang or settings.lang)
    _emit(reply, as_json=as_json, out=sys.stdout)
    # Like grep: 1 when nothing matched (suggestions only), so scripts can tell.
    return 0 if glossary.knows(term) else 1


def run_strategies(settings: Settings, *, lang: Lang | None, as_json: bool) -> int:
    from bot.ideas.catalogue import Catalogue

    lang = lang or settings.lang
    catalogue = Catalogue.load()
    if as_json:
        items = [{"id": s.id, "name": s.name_in(lang), "description": s.description_in(lang),
                  "tags": list(s.tags), "channels": list(s.channels.get(lang, []))}
                 for s in catalogue]
        print(json.dumps(items, ensure_ascii=False, indent=2))
    else:
        for s in catalogue:
            print(f"{s.id:<22} {s.name_in(lang)}\n{'':<22} {s.description_in(lang)}")
    return 0
