"""Encryption at rest for what must never sit in Redis in clear: Slack tokens.

Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with keys given by the
operator. `SYMBIOSE_ENCRYPTION_KEY` is a comma-separated list: the first key
encrypts, every key decrypts, so a key can be rotated without losing the
installations (a record read with an older key is re-encrypted with the first
one, see slack_installations). A key is either a Fernet key as
`Fernet.generate_key()` prints it, or any long secret, stretched with HKDF.
Without `SYMBIOSE_ENCRYPTION_KEY`, the key is derived from `SLACK_STATE_SECRET`.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# Fixed on purpose: changing them changes every derived key (and loses the installations).
_SALT = b"symbiose/slack-installations"
_INFO = b"fernet-key/v1"
MIN_SECRET_CHARS = 16


class CipherError(ValueError):
    """The configured keys can't be used (raised at start-up)."""


def _fernet_key(secret: str) -> bytes:
    """`secret` itself when it is a Fernet key, else 32 bytes derived from it."""
    raw = secret.encode()
    try:
        if len(base64.urlsafe_b64decode(raw)) == 32 and len(raw) == 44:
            return raw
    except (binascii.Error, ValueError):
        pass
    if len(secret) < MIN_SECRET_CHARS:
        raise CipherError(
            f"an encryption secret must be a Fernet key or at least {MIN_SECRET_CHARS} characters"
        )
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(raw)
    return base64.urlsafe_b64encode(derived)


class TokenCipher:
    def __init__(self, secrets: list[str]) -> None:
        keys = [s.strip() for s in secrets if s.strip()]
        if not keys:
            raise CipherError(
                "no encryption key: set SYMBIOSE_ENCRYPTION_KEY or SLACK_STATE_SECRET"
            )
        self._primary = Fernet(_fernet_key(keys[0]))
        self._all = MultiFernet([Fernet(_fernet_key(k)) for k in keys])

    @classmethod
    def from_settings(cls, *, encryption_key: str | None, state_secret: str | None) -> TokenCipher:
        if encryption_key:
            return cls(encryption_key.split(","))
        return cls([state_secret or ""])

    def encrypt(self, plain: bytes) -> bytes:
        return self._primary.encrypt(plain)

    def decrypt(self, token: bytes) -> tuple[bytes, bool]:
        """(plaintext, stale): stale when an older key had to be used.

        Raises `InvalidToken` when no configured key opens it.
        """
        try:
            return self._primary.decrypt(token), False
        except InvalidToken:
            return self._all.decrypt(token), True


__all__ = ["CipherError", "InvalidToken", "TokenCipher"]
