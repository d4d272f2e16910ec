"""One exception for "the store is not there": whatever Redis or the client library raised.

Callers catch `StoreUnavailable` and degrade (answer without memory, let an event
through); they never need to know redis-py's exception tree, which on a Cluster
goes beyond `RedisError` (`RedisClusterException`, and in a cold burst even an
`AttributeError` from inside the cluster client while it opens connections).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

import redis
from redis.exceptions import RedisClusterException, RedisError

_REDIS_PACKAGE = os.path.dirname(redis.__file__) + os.sep


class StoreUnavailable(Exception):
    """The store could not serve this operation: an outage, to be degraded around."""


def is_store_failure(exc: BaseException) -> bool:
    """True for an error of the store or its client, False for a bug of ours.

    Network errors (`OSError`, timeouts) and redis-py's own exceptions count; so does
    any other exception raised from inside redis-py itself (its innermost frame is in
    the redis package): that is the client failing, not our code using it wrongly.
    """
    if isinstance(exc, StoreUnavailable | RedisError | RedisClusterException | OSError):
        return True
    if not isinstance(exc, Exception):
        return False
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_code.co_filename.startswith(_REDIS_PACKAGE)


@contextmanager
def store_call() -> Iterator[None]:
    """Turns a store failure raised in the block into `StoreUnavailable`."""
    try:
        yield
    except StoreUnavailable:
        raise
    except Exception as exc:
        if is_store_failure(exc):
            raise StoreUnavailable(f"{type(exc).__name__}: {exc}") from exc
        raise


P = ParamSpec("P")
R = TypeVar("R")


def store_errors(method: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """A store method whose failures come out as `StoreUnavailable` (see `store_call`)."""

    @functools.wraps(method)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with store_call():
            return await method(*args, **kwargs)

    return wrapper
