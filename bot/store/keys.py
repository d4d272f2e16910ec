"""The Redis key scheme.

Every key names its owner in a Cluster hash tag: the platform, the organisation
(Slack Enterprise Grid org or workspace, Microsoft tenant), then what it
belongs to:

    symbiose:{slack:T1:u:U1}:prefs                a user (u)
    symbiose:{slack:T1:c:C1}:brand                a channel (c)
    symbiose:{slack:T1:c:C1}:thread:<digest>      the angles shown in one of its threads

All keys of one owner share a hash tag, so a turn's reads and writes for that
owner go to one node in one pipeline; writes for two owners (a user and their
channel) are separate operations, as a Redis Cluster requires.
"""

from __future__ import annotations

import hashlib
import re

from bot.kernel.place import Place, split_user_id

_UNSAFE = re.compile(r"[{}*?\[\]\\\s]")
# The owner kinds of the current layout (docs/channels.md); a tag without one is older.
USER, CHANNEL, ORG = "u", "c", "o"
KINDS = frozenset({USER, CHANNEL, ORG})
LAYOUT_VERSION = "2"


def _safe(part: str) -> str:
    # Braces would break the hash tag and glob characters the SCAN pattern.
    return _UNSAFE.sub("_", part)


def digest(conversation_id: str) -> str:
    return hashlib.blake2s(conversation_id.encode(), digest_size=8).hexdigest()


def user_tag(user_id: str) -> str:
    platform, org, user = split_user_id(user_id)
    return f"{_safe(platform)}:{_safe(org)}:{USER}:{_safe(user)}"


def channel_tag(place: Place) -> str | None:
    if place.channel is None:
        return None
    return f"{_safe(place.platform)}:{_safe(place.org)}:{CHANNEL}:{_safe(place.channel)}"


def org_tag(platform: str, org: str) -> str:
    return f"{_safe(platform)}:{_safe(org)}:{ORG}"


def tag_of(key: str) -> str | None:
    """The hash tag of a key ("slack:T1:u:U1"), or None for keys without one."""
    start = key.find("{")
    end = key.find("}", start + 1)
    return key[start + 1:end] if start >= 0 and end > start else None


def is_current(tag: str) -> bool:
    """True for tags of this layout (an owner kind in third place)."""
    parts = tag.split(":")
    return len(parts) >= 4 and parts[2] in KINDS


class Keys:
    def __init__(self, prefix: str = "symbiose") -> None:
        self.prefix = _safe(prefix)

    def tagged(self, tag: str, part: str) -> str:
        return f"{self.prefix}:{{{tag}}}:{part}"

    def tag_pattern(self, tag: str) -> str:
        return f"{self.prefix}:{{{tag}}}:*"

    def all_pattern(self) -> str:
        return f"{self.prefix}:*"

    def layout(self) -> str:
        return f"{self.prefix}:layout"

    def migration_lock(self) -> str:
        return f"{self.prefix}:layout:lock"

    # -- a user's keys ---------------------------------------------------------

    def user(self, user_id: str, part: str) -> str:
        return self.tagged(user_tag(user_id), part)

    def user_pattern(self, user_id: str) -> str:
        return self.tag_pattern(user_tag(user_id))

    def conversation(self, user_id: str, conversation_id: str) -> str:
        return self.user(user_id, f"conv:{digest(conversation_id)}")

    def conversation_of(self, user_id: str, conversation_digest: str) -> str:
        return self.user(user_id, f"conv:{conversation_digest}")

    def conversation_digest(self, key: str) -> str | None:
        """The conversation digest in a user's conversation key, if it is one."""
        head, _, found = key.rpartition(":conv:")
        return found if head and found else None

    # Slack distribution: one hash per installed workspace or Enterprise Grid org
    # (its own hash tag, so saving or deleting an installation is one command on one node).
    def slack_installation(self, enterprise_id: str | None, team_id: str | None) -> str:
        unit = f"{_safe(enterprise_id or '-')}:{_safe(team_id or '-')}"
        return f"{self.prefix}:{{slack-install:{unit}}}"

    def oauth_state(self, nonce: str) -> str:
        return f"{self.prefix}:{{oauth-state:{_safe(nonce)}}}"

    def brand(self, user_id: str) -> str:
        return self.user(user_id, "brand")

    def prefs(self, user_id: str) -> str:
        return self.user(user_id, "prefs")

    def feedback(self, user_id: str) -> str:
        return self.user(user_id, "feedback")

    def rejected(self, user_id: str) -> str:
        return self.user(user_id, "rejected")

    def shortlist(self, user_id: str) -> str:
        return self.user(user_id, "shortlist")

    def liked(self, user_id: str) -> str:
        return self.user(user_id, "liked")

    def rate(self, user_id: str) -> str:
        return self.user(user_id, "rate")

    def pending_forget(self, user_id: str) -> str:
        return self.user(user_id, "forget")

    def channels(self, user_id: str) -> str:
        """The channels the user works in (their tags), for App Home and erasure."""
        return self.user(user_id, "channels")

    def copies(self, user_id: str) -> str:
        """Where colleagues keep copies of this user's angles ("<user id>|<digest>")."""
        return self.user(user_id, "copies")

    # -- a channel's keys --------------------------------------------------------

    def channel(self, tag: str, part: str) -> str:
        return self.tagged(tag, part)

    # -- a thread's shared angles ------------------------------------------------

    def thread_angles(self, tag: str, conversation_id: str) -> str:
        """Angles shown in a thread of the channel `tag`, for anyone in it (a
        colleague's click). In the channel's slot: written with the channel's changes."""
        return self.thread_angles_of(tag, digest(conversation_id))

    def thread_angles_of(self, tag: str, conversation_digest: str) -> str:
        return self.channel(tag, f"thread:{conversation_digest}")

    def legacy_thread_angles(self, conversation_id: str) -> str:
        """Layout 1's thread record, read until it expires (its TTL is a conversation's)."""
        return f"{self.prefix}:{{thread:{digest(conversation_id)}}}:angles"

    def legacy_thread_angles_of(self, conversation_digest: str) -> str:
        return f"{self.prefix}:{{thread:{conversation_digest}}}:angles"

    # -- an organisation -----------------------------------------------------------

    def workspaces(self, platform: str, org: str) -> str:
        """The workspaces seen in an Enterprise Grid org, so erasure reaches all of them."""
        return self.tagged(org_tag(platform, org), "workspaces")

    def event(self, platform: str, event_id: str) -> str:
        return f"{self.prefix}:event:{_safe(platform)}:{_safe(event_id)}"

    def budget(self, workspace: str, day: str) -> str:
        """LLM tokens a workspace or tenant spent on one UTC day (YYYYMMDD)."""
        return f"{self.prefix}:{{budget:{_safe(workspace)}}}:{day}"
