"""A flood from one Slack user: how many Web API calls 500 DMs in a minute cost
once the user is over the rate limit (issue 14 measured 480 notices, 601 calls).

The real app over real HTTP, the mock Slack Web API, real Redis, the offline
engine. Counts the calls Slack received once the flood has been handled.

Run:  python -m bench.bench_flood                 (REDIS_URL or 127.0.0.1:6379)
      python -m bench.bench_flood --messages 500 --limit 20
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import logging
import os
import time
import uuid
from dataclasses import replace

from bot.kernel.settings import Settings
from tests.redis_server import delete_prefix
from tests.slack.conftest import start_app, stop_app
from tests.slack.harness import SECRET, dm
from tests.slack.mock_slack import MockSlack


async def flood(settings: Settings, messages: int) -> None:
    mock = await MockSlack().start()
    app = await start_app(replace(settings, slack_api_url=mock.api_url), mock)
    try:
        started = time.perf_counter()
        base = int(time.time())
        await asyncio.gather(*(app.send.event(dm("help", ts=f"{base}.{i:06d}"))
                               for i in range(messages)))
        await asyncio.sleep(2.0)  # the answers and notices still in flight
        elapsed = time.perf_counter() - started
        by_method = collections.Counter(c.method for c in mock.calls)
        total = sum(n for m, n in by_method.items() if m != "auth.test")
        print(f"{messages} DMs, limit {settings.rate_limit_per_minute}/min, {elapsed:.1f} s: "
              f"{total} Web API calls; " + ", ".join(f"{m} {n}" for m, n in
                                                     sorted(by_method.items())))
    finally:
        await stop_app(app)
        await mock.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    prefix = f"symbench-{uuid.uuid4().hex[:8]}"
    settings = replace(Settings(), redis_url=url, key_prefix=prefix, lang="en",
                       rate_limit_per_minute=args.limit, slack_bot_token="xoxb-bench",
                       slack_signing_secret=SECRET)
    try:
        asyncio.run(flood(settings, args.messages))
    finally:
        delete_prefix(url, prefix)


if __name__ == "__main__":
    main()
