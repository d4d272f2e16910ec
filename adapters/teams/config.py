"""Bot Framework credentials, in the shape botbuilder's configuration classes read."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.kernel.settings import Settings


@dataclass(frozen=True)
class BotFrameworkConfig:
    """Read by `ConfigurationBotFrameworkAuthentication` (attribute names are botbuilder's).

    With no APP_ID the adapter accepts unauthenticated requests: the Bot Framework
    Emulator's local mode, never to be exposed on a network.
    """

    APP_ID: str | None = None
    APP_PASSWORD: str | None = field(default=None, repr=False)
    APP_TYPE: str = "MultiTenant"
    APP_TENANTID: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> BotFrameworkConfig:
        return cls(
            APP_ID=settings.microsoft_app_id,
            APP_PASSWORD=settings.microsoft_app_password,
            APP_TYPE=settings.microsoft_app_type or "MultiTenant",
            APP_TENANTID=settings.microsoft_app_tenant_id,
        )

    @property
    def emulator_mode(self) -> bool:
        return not self.APP_ID
