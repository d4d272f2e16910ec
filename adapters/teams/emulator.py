"""The rules of emulator mode (no MICROSOFT_APP_ID: nothing is authenticated).

Without credentials anyone who reaches the port could speak as any tenant and
user, and the bot would POST its reply to whatever `serviceUrl` the request
names. So emulator mode is for one machine only: the server listens on
127.0.0.1 (another `--host` is refused), and an activity is served only when
its `serviceUrl` is on the loopback too (where the Bot Framework Emulator
listens). With credentials the SDK checks the token's `serviceurl` claim
against the activity, so replies only ever go where the token says.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

LOOPBACK_HOST = "127.0.0.1"
NETWORK_HOST = "0.0.0.0"


class ExposedEmulator(ValueError):
    """A non-loopback address was asked for without credentials."""


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def listen_host(requested: str | None, *, emulator_mode: bool) -> str:
    """Where to listen: 127.0.0.1 in emulator mode (anything else refused),
    `requested` or every interface with credentials."""
    if not emulator_mode:
        return requested or NETWORK_HOST
    if requested is None or is_loopback(requested):
        return requested or LOOPBACK_HOST
    raise ExposedEmulator(requested)


def loopback_service_url(url: str) -> bool:
    """True when replies to `url` stay on this machine (the local emulator)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and is_loopback(host)
