"""With an app id, only a request carrying a valid Bot Framework token is served.

Tokens are signed by a local issuer whose OpenID metadata and keys botbuilder
fetches over real HTTP; the bot's configuration points at it the way a
sovereign cloud's endpoints are configured. The probe is the glossary message
extension: answered in the HTTP response itself, so an accepted request makes
no call to Microsoft for an outgoing token.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import jwt
import pytest

from tests.teams import activities as A
from tests.teams.token_service import LocalCloudConfig, TokenService, new_key

APP_ID = "8d2b2d2e-0000-4000-8000-000000000001"
PASSWORD = "pw-NOT-TO-BE-LOGGED-7f3a9c"


@pytest.fixture
def issuer() -> Iterator[TokenService]:
    with TokenService() as service:
        yield service


@pytest.fixture
async def secured_bot(start_bot, issuer):
    config = LocalCloudConfig.for_service(issuer, app_id=APP_ID, password=PASSWORD)
    return await start_bot(config=config, microsoft_app_id=APP_ID,
                           microsoft_app_password=PASSWORD)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_token_signed_by_the_channel_is_accepted(secured_bot, issuer, connector):
    query = A.extension_query(connector.url, "persona")
    posted = await secured_bot.post(
        query, headers=bearer(issuer.token(app_id=APP_ID, service_url=connector.url))
    )
    assert posted.status == 200
    assert posted.body["composeExtension"]["attachments"]
    assert "/keys" in issuer.fetches  # the signature was checked against the issuer's keys


FORGED = {
    "signed by another key": lambda s, url: s.token(app_id=APP_ID, service_url=url, key=new_key()),
    "for another bot": lambda s, url: s.token(
        app_id="11111111-2222-4333-8444-555555555555", service_url=url
    ),
    "expired": lambda s, url: s.token(app_id=APP_ID, service_url=url, expires_in_s=-3600),
    "for another service url": lambda s, url: s.token(
        app_id=APP_ID, service_url="https://smba.example.net/"
    ),
    "from another issuer": lambda s, url: s.token(
        app_id=APP_ID, service_url=url, issuer="https://evil.example"
    ),
    "unsigned": lambda s, url: s.token(app_id=APP_ID, service_url=url, alg="none"),
    "signed with a shared secret (HS256)": lambda s, url: jwt.encode(
        {"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": url},
        "a shared secret, not the private key", algorithm="HS256",
        headers={"kid": "local-signing-key"},
    ),
}


@pytest.mark.parametrize("forgery", list(FORGED))
async def test_a_forged_token_gets_401(forgery, secured_bot, issuer, connector):
    token = FORGED[forgery](issuer, connector.url)
    posted = await secured_bot.post(A.extension_query(connector.url, "persona"),
                                    headers=bearer(token))
    assert posted.status == 401
    assert "composeExtension" not in (posted.body or {})


@pytest.mark.parametrize("header", [None, "Basic dXNlcjpwdw==", "Bearer", "Bearer a b"])
async def test_a_missing_or_malformed_authorization_gets_401(
    header, secured_bot, connector, redis_client, key_prefix
):
    headers = {"Authorization": header} if header else None
    for activity in (A.extension_query(connector.url, "persona"),
                     A.personal_message(connector.url, "help")):
        assert (await secured_bot.post(activity, headers=headers)).status == 401
    await secured_bot.idle()
    assert connector.calls == []
    assert [k async for k in redis_client.scan_iter(match=f"{key_prefix}:*")] == []


async def test_no_secret_or_token_is_logged(secured_bot, issuer, connector, caplog):
    caplog.set_level(logging.DEBUG)
    good = issuer.token(app_id=APP_ID, service_url=connector.url)
    forged = issuer.token(app_id=APP_ID, service_url=connector.url, key=new_key())
    for token in (good, forged, "not.a.token"):
        await secured_bot.post(A.extension_query(connector.url, "persona"),
                               headers=bearer(token))
    await secured_bot.post(A.personal_message(connector.url, "help"))
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert "rejected an unauthenticated activity" in logged  # the refusals were logged...
    for secret in (PASSWORD, good, forged, good.split(".")[2], forged.split(".")[2]):
        assert secret not in logged  # ...without what would let someone replay them


async def test_only_the_envelope_is_read_before_the_token_is_checked(
    secured_bot, issuer, connector, caplog
):
    # Building a whole activity is the costly part (msrest, pure Python: a third of a
    # second for 250 KB of tiny entities); a stranger must not get that far. An
    # activity whose envelope is fine but whose body is not gets 401 without a token,
    # and its 400 only with one.
    broken = A.extension_query(connector.url, "persona") | {"entities": "not a list"}
    assert (await secured_bot.post(broken)).status == 401
    assert (await secured_bot.post(broken, headers=bearer("not.a.token"))).status == 401
    good = bearer(issuer.token(app_id=APP_ID, service_url=connector.url))
    posted = await secured_bot.post(broken, headers=good)
    assert posted.status == 400
    assert posted.body == {"error": "malformed activity"}
    await secured_bot.idle()
    assert connector.calls == []
    assert not [r for r in caplog.records if r.exc_info]
