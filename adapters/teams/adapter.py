"""botbuilder's CloudAdapter, sending through `Outbox` instead of the SDK's
ConnectorClient (see outbox.py for why).

Everything else is the SDK's: authenticating requests, turn contexts,
`continue_conversation`, invoke responses. The turn's ConnectorClient is still
created (cached, see connectors.py): its credentials are the ones the token
for a reply is fetched with, so single-tenant, multi-tenant and managed
identity bots sign their calls exactly as the SDK would.
"""

from __future__ import annotations

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes, ResourceResponse
from botframework.connector.auth import AppCredentials, BotFrameworkAuthentication

from adapters.teams.outbox import Outbox

# Not Bot Connector calls: the SDK handles these (invoke responses go back in
# the HTTP response, "delay" is a pause, traces are dropped outside the emulator).
_SDK_TYPES = frozenset({ActivityTypes.invoke_response, ActivityTypes.trace, "delay"})


class OutboxCloudAdapter(CloudAdapter):
    def __init__(self, auth: BotFrameworkAuthentication, *, outbox: Outbox) -> None:
        super().__init__(auth)
        self.outbox = outbox

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        if not activities:
            return await super().send_activities(context, activities)  # the SDK's errors
        responses: list[ResourceResponse] = []
        for activity in activities:  # in order: Teams shows them as they arrive
            if activity.type in _SDK_TYPES:
                responses += await super().send_activities(context, [activity])
                continue
            activity.id = None  # the service assigns it
            responses.append(await self.outbox.post(activity, self._credentials(context)))
        return responses

    async def update_activity(
        self, context: TurnContext, activity: Activity
    ) -> ResourceResponse | None:
        response = await self.outbox.put(activity, self._credentials(context))
        return response if response.id else None

    def _credentials(self, context: TurnContext) -> AppCredentials | None:
        client = context.turn_state.get(self.BOT_CONNECTOR_CLIENT_KEY)
        if client is None:
            raise RuntimeError("no connector for this turn")  # the SDK raises the same
        return getattr(client.config, "credentials", None)
