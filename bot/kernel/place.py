"""Where a message was said: the platform, the organisation, and the channel if any.

Keys, the channel brand and team taste all hang off this. The organisation is
the Slack Enterprise Grid org when there is one (user and channel ids are
unique across its workspaces, so a user's data follows them from one workspace
to the next), else the workspace; the Microsoft tenant on Teams. A direct
message (or a Teams personal chat) has no channel: the context is the user's.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.messages import Message

NO_ORG = "-"


def split_user_id(user_id: str) -> tuple[str, str, str]:
    """"slack:T1:U1" -> ("slack", "T1", "U1"); "console:alice" -> ("console", "-", "alice")."""
    parts = user_id.split(":", 2)
    if len(parts) == 3:
        return parts[0], parts[1] or NO_ORG, parts[2]
    if len(parts) == 2:
        return parts[0], NO_ORG, parts[1]
    return "console", NO_ORG, user_id


@dataclass(frozen=True, slots=True)
class Place:
    platform: str
    org: str
    user: str  # the platform's own user id, without platform or org
    channel: str | None = None  # None in a direct message
    channel_label: str = ""  # a readable name when the platform gave one
    workspace: str | None = None  # the Slack workspace inside an Enterprise Grid org
    user_name: str = ""

    @property
    def in_channel(self) -> bool:
        return self.channel is not None

    @property
    def who(self) -> str:
        """How to name the user to colleagues: their name, else their platform id."""
        return self.user_name or self.user

    @classmethod
    def of(cls, message: Message) -> Place:
        """Read from the neutral extras the adapters fill (`org`, `channel`, `dm`,
        `workspace`, `user_name`, `channel_label`); the user id gives the rest."""
        platform, org, user = split_user_id(message.user_id)
        extras = message.extras
        channel = extras.get("channel")
        dm = bool(extras.get("dm", channel is None))
        return cls(
            platform=platform,
            org=str(extras.get("org") or org),
            user=user,
            channel=None if dm or not channel else str(channel),
            channel_label=str(extras.get("channel_label") or ""),
            workspace=str(extras["workspace"]) if extras.get("workspace") else None,
            user_name=str(extras.get("user_name") or ""),
        )

    @classmethod
    def personal(cls, user_id: str) -> Place:
        platform, org, user = split_user_id(user_id)
        return cls(platform=platform, org=org, user=user)
