"""An in-process memory of event ids seen lately: dedupe's fallback while Redis
is down. Bounded (oldest forgotten first) and time-limited, so a long outage
cannot grow it without end; only this process remembers, which still stops a
platform's retries, since they usually reach the process that answered."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class RecentEvents:
    def __init__(self, *, capacity: int = 10_000, ttl_s: float = 3600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = capacity
        self.ttl_s = ttl_s
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    def first_time(self, key: str) -> bool:
        """True the first time `key` is seen within `ttl_s`; remembers it."""
        now = self._clock()
        self._expire(now)
        if key in self._seen:
            return False
        self._seen[key] = now
        while len(self._seen) > self.capacity:
            self._seen.popitem(last=False)
        return True

    def _expire(self, now: float) -> None:
        while self._seen:
            oldest, at = next(iter(self._seen.items()))
            if now - at < self.ttl_s:
                return
            del self._seen[oldest]
