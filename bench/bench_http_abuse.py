"""An attacker's view of the HTTP endpoints, on 127.0.0.1 only, bounded in
count and time: what slow clients, big unsigned bodies and malformed input
cost the Slack HTTP server and the Teams server.

Each server runs in a process of its own (the real app, embedded store, a
local mock Slack Web API / Bot Connector), so its memory is measured alone:
VmRSS from /proc before the attack and after it. For each scenario the
script counts the status codes it got and the connections the server closed.

Scenarios (all against 127.0.0.1):
  slow-headers   N connections that send half a request line and stop
  slow-body      N requests whose body never finishes arriving
  big-unsigned   N bodies of 1 MB (Slack: no signature; Teams: over the cap)
  malformed      invalid UTF-8, 5000-digit timestamps, 100k-deep JSON, wrong
                 content types (Slack: correctly signed, so they get past the
                 signature), and for Teams a serviceUrl off this machine

Run: `PYTHONPATH=. python bench/bench_http_abuse.py [--count 200] [--wait 15]`
Compare with another checkout: `cd OTHER && PYTHONPATH=. python /path/to/bench_http_abuse.py`
(the server processes import `bot`, `adapters` and `tests` from PYTHONPATH).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import Any

HOST = "127.0.0.1"  # never anything else: this script attacks only this machine
SECRET = "bench-signing-secret"
MB = 1 << 20


# -- the servers (run as `python -m bench.bench_http_abuse --serve slack|teams PORT`) ----------

async def _serve(kind: str, port: int) -> None:
    from aiohttp import web

    from bot.app import build_engine
    from bot.kernel.settings import Settings

    data_dir = tempfile.mkdtemp(prefix="symbiose-abuse-")
    settings = Settings(data_dir=__import__("pathlib").Path(data_dir), lang="en")
    try:  # this checkout's hardened runner options, when it has them
        from adapters.http_guard import runner_options
        options: dict[str, Any] = runner_options()
    except ImportError:
        options = {"access_log": None}
    if kind == "slack":
        from dataclasses import replace

        from adapters.slack.app import build_slack_app, build_web_app
        from tests.slack.mock_slack import MockSlack

        mock = await MockSlack().start()
        settings = replace(settings, slack_bot_token="xoxb-bench", slack_signing_secret=SECRET,
                           slack_api_url=mock.api_url)
        engine = build_engine(settings)
        app = build_web_app(build_slack_app(settings, engine), signing_secret=SECRET)
    else:
        from adapters.teams.server import build_web_app as build_teams

        engine = build_engine(settings)
        app = build_teams(settings, engine)
    runner = web.AppRunner(app, **options)
    await runner.setup()
    await web.TCPSite(runner, HOST, port, backlog=1024).start()
    print("ready", flush=True)
    await asyncio.Event().wait()


# -- measuring ---------------------------------------------------------------------------------

def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def head(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {HOST}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def signed(body: bytes, content_type: str, timestamp: str | None = None) -> dict[str, str]:
    ts = timestamp or str(int(time.time()))
    mac = hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": "v0=" + mac.hexdigest()}


async def exchange(port: int, data: bytes, *, wait_s: float) -> str:
    """Send `data`, then read until the server answers or closes: the status code,
    'closed' (hung up without a status) or 'open' (still open after wait_s)."""
    try:
        reader, writer = await asyncio.open_connection(HOST, port)
    except OSError:
        return "refused"
    try:
        writer.write(data)
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), wait_s)
        return line.split()[1].decode() if line else "closed"
    except TimeoutError:
        return "open"
    except (ConnectionError, IndexError):
        return "closed"
    finally:
        writer.close()


async def held(port: int, data: bytes, *, wait_s: float) -> str:
    """Like `exchange` for a connection that never completes its request."""
    return await exchange(port, data, wait_s=wait_s)


# -- the attack --------------------------------------------------------------------------------

def scenarios(kind: str, count: int) -> dict[str, list[bytes]]:
    path = "/slack/events" if kind == "slack" else "/api/messages"
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    big = b"x" * MB
    if kind == "slack":
        fresh = signed(b"{" + b"x" * 999, "application/json")
        malformed_bodies = [
            (b'{"type": "event_callback", "x": "\xff\xfe"}', "application/json", None),
            (deep, "application/json", None),
            (b"payload=" + deep, "application/x-www-form-urlencoded", None),
            (b'{"type": "url_verification", "challenge": "c"}', "text/plain", None),
            (b'{"type": "event_callback"}', "application/json", "9" * 5000),
        ]
        malformed = []
        for body, content_type, timestamp in malformed_bodies:
            headers = signed(body, content_type, timestamp)
            if timestamp:  # a junk timestamp cannot be signed by anyone
                headers["X-Slack-Signature"] = "v0=" + "0" * 64
            malformed.append(head(path, {**headers, "Content-Length": str(len(body))}) + body)
        big_request = head(path, {"Content-Type": "application/json",
                                  "Content-Length": str(len(big))}) + big
        slow_body = head(path, {**fresh, "Content-Length": "1000"}) + b"{"
    else:
        local = json.dumps({"type": "message", "id": "1", "serviceUrl": "http://evil.example/",
                            "channelId": "msteams", "from": {"id": "u"}, "text": "forget me",
                            "conversation": {"id": "c"}, "recipient": {"id": "b"}}).encode()
        malformed = [
            head(path, {"Content-Type": "application/json", "Content-Length": str(len(b))}) + b
            for b in (b'{"type": "message", "text": "\xff"}', deep, local)
        ] + [head(path, {"Content-Type": "text/plain", "Content-Length": "2"}) + b"{}"]
        big_request = head(path, {"Content-Type": "application/json",
                                  "Content-Length": str(len(big))}) + big
        slow_body = head(path, {"Content-Type": "application/json",
                                "Content-Length": "1000"}) + b"{"
    per = max(1, count // len(malformed))
    return {
        "slow-headers": [f"POST {path} HTTP/1.1\r\nHost: x\r\nX-Wait".encode()] * count,
        "slow-body": [slow_body] * count,
        "big-unsigned": [big_request] * count,
        "malformed": [m for m in malformed for _ in range(per)],
    }


async def attack(kind: str, port: int, pid: int, *, count: int, wait_s: float,
                 log_path: str) -> None:
    print(f"\n{kind}: server pid {pid}, RSS at start {rss_mb(pid):.1f} MB")
    for name, requests in scenarios(kind, count).items():
        before = rss_mb(pid)
        started = time.monotonic()
        # Slow clients are held open: they wait up to `wait_s` for the server to act.
        wait = wait_s if name.startswith("slow") else 30.0
        results = await asyncio.gather(*(exchange(port, r, wait_s=wait) for r in requests))
        took = time.monotonic() - started
        tally = collections.Counter(results)
        closed = sum(n for r, n in tally.items() if r != "open")
        print(f"  {name:13} {len(requests):4} conns in {took:5.1f} s: "
              f"{dict(sorted(tally.items()))}; closed/answered by the server {closed}/"
              f"{len(requests)}; RSS {before:.1f} -> {rss_mb(pid):.1f} MB")
    await asyncio.sleep(1.0)
    with open(log_path, encoding="utf-8", errors="replace") as log:
        logged = log.read()
    print(f"  RSS at end {rss_mb(pid):.1f} MB; server alive: {_alive(pid)}; its stderr: "
          f"{logged.count(chr(10))} lines, {logged.count('Traceback')} tracebacks")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", nargs=2, metavar=("KIND", "PORT"), help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=200, help="connections per scenario (<=400)")
    parser.add_argument("--wait", type=float, default=15.0,
                        help="seconds a slow client waits for the server to act (<=60)")
    parser.add_argument("--only", choices=["slack", "teams"], default=None)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(args.serve[0], int(args.serve[1])))
        return
    count, wait = min(max(args.count, 1), 400), min(max(args.wait, 1.0), 60.0)
    for kind in ([args.only] if args.only else ["slack", "teams"]):
        port = free_port()
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("SYMBIOSE_", "REDIS_URL", "MICROSOFT_", "SLACK_"))}
        log = tempfile.NamedTemporaryFile(prefix=f"abuse-{kind}-", suffix=".log", delete=False)
        # The script by path: the server imports `bot` and `adapters` from PYTHONPATH.
        server = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--serve",
                                   kind, str(port)], stdout=subprocess.PIPE, stderr=log,
                                  text=True, env=env)
        try:
            assert server.stdout is not None
            if server.stdout.readline().strip() != "ready":
                raise SystemExit(f"the {kind} server did not start (see {log.name})")
            asyncio.run(attack(kind, port, server.pid, count=count, wait_s=wait,
                               log_path=log.name))
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()
            os.unlink(log.name)


if __name__ == "__main__":
    main()
