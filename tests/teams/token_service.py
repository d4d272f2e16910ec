"""A local Bot Framework token issuer: the OpenID metadata and signing keys the
SDK checks a request's token against, and tokens signed like Teams' own.

It runs in a thread with the standard library's HTTP server because botbuilder
fetches the metadata with blocking `requests` calls on the event loop: a server
on that same loop could never answer.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from adapters.teams.config import BotFrameworkConfig

ISSUER = "https://api.botframework.com"  # what Teams' tokens carry
KEY_ID = "local-signing-key"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class TokenService:
    def __init__(self) -> None:
        self.key = new_key()
        self.fetches: list[str] = []  # paths the SDK asked for
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        self._keys = {"keys": [{**jwk, "kid": KEY_ID, "use": "sig", "endorsements": ["msteams"]}]}
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                service.fetches.append(self.path)
                if self.path == "/openid":
                    body: dict[str, Any] = {"issuer": ISSUER, "jwks_uri": f"{service.url}/keys"}
                elif self.path == "/keys":
                    body = service._keys
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> TokenService:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def token(self, *, app_id: str, service_url: str, key: rsa.RSAPrivateKey | None = None,
              issuer: str = ISSUER, expires_in_s: float = 3600, alg: str = "RS256") -> str:
        now = int(time.time())
        claims = {"iss": issuer, "aud": app_id, "serviceurl": service_url,
                  "nbf": now - 60, "iat": now - 60, "exp": int(now + expires_in_s)}
        signing_key = None if alg == "none" else (key or self.key)
        return jwt.encode(claims, signing_key, algorithm=alg, headers={"kid": KEY_ID})


@dataclass(frozen=True)
class LocalCloudConfig(BotFrameworkConfig):
    """The bot's configuration with botbuilder's own endpoint settings pointed at
    the local issuer (how a sovereign cloud is configured, too)."""

    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL: str = ""
    TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL: str = ""
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER: str = ISSUER
    TO_CHANNEL_FROM_BOT_LOGIN_URL: str = "https://login.microsoftonline.com/botframework.com"
    TO_CHANNEL_FROM_BOT_OAUTH_SCOPE: str = "https://api.botframework.com"

    @classmethod
    def for_service(cls, service: TokenService, *, app_id: str, password: str) -> LocalCloudConfig:
        return cls(APP_ID=app_id, APP_PASSWORD=password,
                   TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=f"{service.url}/openid",
                   TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL=f"{service.url}/openid")
