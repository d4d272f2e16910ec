"""The Redis key scheme.

All keys of one user share a Cluster hash tag (`{user}`), so a turn's reads and
writes go to one node in one pipeline, and "forget me" finds them all.
"""

from __future__ import annotations

import hashlib
import re

_UNSAFE = re.compile(r"[{}*?\[\]\\\s]")


def _safe(part: str) -> str:
    # Braces would break the hash tag and glob characters the SCAN pattern.
    return _UNSAFE.sub("_", part)


def _digest(conversation_id: str) -> str:
    return hashlib.blake2s(conversation_id.encode(), digest_size=8).hexdigest()


class Keys:
    def __init__(self, prefix: str = "symbiose") -> None:
        self.prefix = _safe(prefix)

    def user(self, user_id: str, part: str) -> str:
        return f"{self.prefix}:{{{_safe(user_id)}}}:{part}"

    def user_pattern(self, user_id: str) -> str:
        return f"{self.prefix}:{{{_safe(user_id)}}}:*"

    def conversation(self, user_id: str, conversation_id: str) -> str:
        return self.user(user_id, f"conv:{_digest(conversation_id)}")

    def thread_angles(self, conversation_id: str) -> str:
        """Angles shown in a conversation, for anyone in it (a colleague's click)."""
        return self.thread_angles_of(_digest(conversation_id))

    def thread_angles_of(self, digest: str) -> str:
        return f"{self.prefix}:{{thread:{digest}}}:angles"

    def conversation_digest(self, key: str) -> str | None:
        """The conversation digest in a user's conversation key, if it is one."""
        head, _, digest = key.rpartition(":conv:")
        return digest if head and digest else None

    def event(self, platform: str, event_id: str) -> str:
        return f"{self.prefix}:event:{_safe(platform)}:{_safe(event_id)}"

    # One name per part, so nothing else spells these strings.
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

    def budget(self, workspace: str, day: str) -> str:
        """LLM tokens a workspace or tenant spent on one UTC day (YYYYMMDD)."""
        return f"{self.prefix}:{{budget:{_safe(workspace)}}}:{day}"
