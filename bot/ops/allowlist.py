"""Which workspaces and tenants may use the bot (SYMBIOSE_ALLOWED_TEAMS / _TENANTS).

Checked before anything is read or written: a refused message leaves no key in
the store. Slack is matched on the workspace or the Enterprise Grid org id, Teams
on the tenant id; the console (one person's own machine) is never restricted.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.messages import Message


def workspace_of(message: Message) -> str:
    """The workspace (Slack team) or tenant (Teams) a message comes from; user ids
    are "<platform>:<workspace or tenant>:<user>" (docs/ARCHITECTURE.md)."""
    parts = message.user_id.split(":", 2)
    return parts[1] if len(parts) == 3 else "_"


@dataclass(frozen=True)
class Allowlist:
    teams: frozenset[str] = frozenset()
    tenants: frozenset[str] = frozenset()

    def admits(self, message: Message) -> bool:
        if message.platform == "slack" and self.teams:
            # The workspace, or its Enterprise Grid org (user ids carry the org there).
            extras = message.extras
            ids = {workspace_of(message), str(extras.get("team") or ""),
                   str(extras.get("workspace") or ""), str(extras.get("org") or ""),
                   str(extras.get("enterprise") or "")}
            return bool(ids & self.teams)
        if message.platform == "teams" and self.tenants:
            return workspace_of(message) in self.tenants
        return True
