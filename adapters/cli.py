"""The `symbiose` command (also `python -m bot`).

Each sub-command reads the settings once and hands them to an adapter; heavy
imports (Slack, Teams SDKs) happen only for the sub-command that needs them.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from adapters.workers import WorkerPlan
from bot.kernel.settings import Settings
from bot.ops.logs import configure as configure_logs


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symbiose",
        description="Symbiose, a marketing sparring partner for Slack, Teams and the console.",
    )
    parser.add_argument("--log-level", default=None,
                        help="logging level (default INFO for the servers, else WARNING)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    chat = sub.add_parser("chat", help="brainstorm in the console (stdin/stdout)")
    chat.add_argument("--user", default=None, help="user id (default: your login name)")
    chat.add_argument("--lang", choices=["fr", "en"], default=None, help="default language")
    chat.add_argument("--json", action="store_true", help="one JSON object per input line")

    slack = sub.add_parser("slack", help="run the Slack app")
    slack.add_argument("--http", action="store_true", help="HTTP mode on /slack/events")
    slack.add_argument("--port", type=int, default=3000)
    _add_worker_options(slack)

    teams = sub.add_parser("teams", help="run the Microsoft Teams bot on /api/messages")
    teams.add_argument("--port", type=int, default=3978)
    teams.add_argument(
        "--host", default=None,
        help="address to listen on (default 0.0.0.0 with credentials; "
             "without MICROSOFT_APP_ID only 127.0.0.1 is allowed)",
    )
    _add_worker_options(teams)

    glossary = sub.add_parser("glossary", help="print a glossary entry")
    glossary.add_argument("term", nargs="*", help="the term (empty: how to use it)")
    glossary.add_argument("--lang", choices=["fr", "en"], default=None)
    glossary.add_argument("--json", action="store_true")

    strategies = sub.add_parser("strategies", help="list the creative strategies")
    strategies.add_argument("--lang", choices=["fr", "en"], default=None)
    strategies.add_argument("--json", action="store_true")
    return parser


def _workers(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError("a number of processes from 1 to 64")
    return value


def _add_worker_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--workers", type=_workers, default=1,
        help="server processes sharing the port and Redis (default 1; one per core, "
             "e.g. 2 on a 2-core machine: see docs/operations.md)",
    )
    # Set by the supervisor on the workers it starts (adapters.workers), not by people.
    command.add_argument("--reuse-port", action="store_true", help=argparse.SUPPRESS)
    command.add_argument("--worker-index", type=int, default=0, help=argparse.SUPPRESS)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    from dotenv import load_dotenv

    # An explicit environment beats the .env file.
    load_dotenv(override=False)
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        print(f"symbiose: configuration error: {exc}", file=sys.stderr)
        return 2
    server = args.command in ("slack", "teams")
    default_level = logging.INFO if server else logging.WARNING
    # Servers log one JSON object per line (one per turn at INFO); the console, text.
    configure_logs(
        getattr(logging, str(args.log_level or "").upper(), default_level),
        json_lines=settings.log_json if settings.log_json is not None else server,
    )

    if args.command == "chat":
        from adapters.console import run_chat

        return run_chat(settings, user=args.user, lang=args.lang, as_json=args.json)
    if args.command == "slack":
        from adapters.slack.server import run as run_slack

        return run_slack(settings, http=args.http, port=args.port, workers=_plan(args, argv))
    if args.command == "teams":
        from adapters.teams.server import run as run_teams

        return run_teams(settings, port=args.port, host=args.host, workers=_plan(args, argv))
    if args.command == "glossary":
        from adapters.console import run_glossary

        return run_glossary(settings, " ".join(args.term), lang=args.lang, as_json=args.json)
    if args.command == "strategies":
        from adapters.console import run_strategies

        return run_strategies(settings, lang=args.lang, as_json=args.json)
    return 2  # pragma: no cover - argparse rejects unknown commands


def _plan(args: argparse.Namespace, argv: list[str]) -> WorkerPlan:
    return WorkerPlan(count=args.workers, argv=tuple(argv), reuse_port=args.reuse_port,
                      index=args.worker_index)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
