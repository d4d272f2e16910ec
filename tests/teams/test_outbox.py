"""Sending to the Bot Connector over aiohttp: paths, bearer tokens, refusals.

The credentials are the SDK's `AppCredentials` with the one method a real
identity implements (msal's token request) answered locally; the connector is
the local mock, over real HTTP.
"""

from __future__ import annotations

import base64
import json
import threading

import pytest
from botbuilder.schema import Activity, ActivityTypes, ConversationAccount
from botframework.connector.auth import AppCredentials

from adapters.teams.outbox import ConnectorError, Outbox
from adapters.teams.tokens import REFRESH_BEFORE_S, BotTokens, jwt_expiry
from tests.teams.mock_connector import MockConnector

CHANNEL = "19:abc@thread.tacv2;messageid=1700000000001"


def jwt(exp: float, n: int) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none'})}.{part({'exp': exp, 'n': n})}.sig"


class IssuedCredentials(AppCredentials):
    """An app identity whose token endpoint issues JWTs valid `lifetime_s` from `now()`."""

    def __init__(
        self, clock: list[float], *, app_id: str | None = "app-1", lifetime_s: float = 3600
    ) -> None:
        super().__init__(app_id=app_id)
        self.clock = clock
        self.lifetime_s = lifetime_s
        self.requests: list[bool] = []  # force_refresh of each token request
        self.threads: set[str] = set()

    def get_access_token(self, force_refresh: bool = False) -> str:
        self.requests.append(force_refresh)
        self.threads.add(threading.current_thread().name)
        return jwt(self.clock[0] + self.lifetime_s, len(self.requests))


def message(connector: MockConnector, *, reply_to: str | None = None, text: str = "hi") -> Activity:
    return Activity(type=ActivityTypes.message, text=text, service_url=connector.url,
                    conversation=ConversationAccount(id=CHANNEL), reply_to_id=reply_to)


@pytest.fixture
def clock() -> list[float]:
    return [1_000_000.0]


@pytest.fixture
async def outbox(clock: list[float]):
    box = Outbox(tokens=BotTokens(clock=lambda: clock[0]))
    yield box
    await box.aclose()


async def test_posts_replies_and_updates_at_the_connector_paths(outbox, connector) -> None:
    new = await outbox.post(message(connector), None)
    reply = await outbox.post(message(connector, reply_to="1700000000001"), None)
    update = message(connector, text="edited")
    update.id = new.id
    updated = await outbox.put(update, None)

    post, post_reply, put = connector.calls
    # The channel thread id (':', '@', ';', '=') travels as one path segment.
    assert (post.method, post.conversation_id, post.activity_id) == ("POST", CHANNEL, None)
    assert (post_reply.method, post_reply.activity_id) == ("POST", "1700000000001")
    assert (put.method, put.activity_id, put.body["text"]) == ("PUT", new.id, "edited")
    assert new.id and reply.id and new.id != reply.id and updated.id == new.id
    assert all(c.authorization is None for c in connector.calls)  # emulator mode: no token


async def test_a_token_is_fetched_once_off_the_loop_and_renewed_before_expiry(
    outbox, connector, clock
) -> None:
    credentials = IssuedCredentials(clock)
    for _ in range(3):
        await outbox.post(message(connector), credentials)
    first = {c.authorization for c in connector.calls}
    assert len(first) == 1 and first.pop().startswith("Bearer ")
    assert credentials.requests == [False]
    assert threading.current_thread().name not in credentials.threads  # msal blocks: a thread

    clock[0] += 3600 - REFRESH_BEFORE_S + 1  # close to expiry: renewed before it is refused
    await outbox.post(message(connector), credentials)
    assert credentials.requests == [False, False]
    assert connector.calls[-1].authorization != connector.calls[0].authorization


async def test_a_refused_token_is_replaced_once(outbox, connector, clock) -> None:
    credentials = IssuedCredentials(clock)
    connector.refuse_next(401)
    response = await outbox.post(message(connector), credentials)
    assert response.id
    assert credentials.requests == [False, True]  # the second one bypasses msal's cache
    (refused,) = connector.refused
    assert refused[2] != connector.calls[0].authorization

    connector.refuse_next(401, times=2)
    with pytest.raises(ConnectorError) as error:
        await outbox.post(message(connector), credentials)
    assert error.value.status == 401


async def test_no_token_for_an_identity_without_app_id(outbox, connector, clock) -> None:
    credentials = IssuedCredentials(clock, app_id=None)
    await outbox.post(message(connector), credentials)
    assert connector.calls[0].authorization is None and credentials.requests == []


async def test_throttling_is_retried_after_the_delay_asked(outbox, connector) -> None:
    connector.refuse_next(429, times=2, retry_after="0")
    response = await outbox.post(message(connector), None)
    assert response.id and len(connector.calls) == 1 and len(connector.refused) == 2

    connector.refuse_next(503, times=3, retry_after="0")
    with pytest.raises(ConnectorError) as error:
        await outbox.post(message(connector), None)
    assert error.value.status == 503 and len(connector.calls) == 1


async def test_other_errors_are_not_retried(outbox, connector) -> None:
    connector.refuse_next(400)
    with pytest.raises(ConnectorError):
        await outbox.post(message(connector), None)
    assert len(connector.refused) == 1 and connector.calls == []


def test_jwt_expiry_reads_exp_and_tolerates_junk() -> None:
    assert jwt_expiry(jwt(1234.0, 1)) == 1234.0
    for junk in ("", "abc", "a.b.c", "a.!!!.c", f"a.{base64.urlsafe_b64encode(b'[1]').decode()}.c"):
        assert jwt_expiry(junk) is None
