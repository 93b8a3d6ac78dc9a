"""What the SDK's CloudAdapter asks for on every turn, served from the one shared `Connector`.

The stock factory builds a `TeamsConnectorClient` (a new aiohttp session and connection, two
`importlib.metadata` scans for a User-Agent) and a `UserTokenClient` (another session, a warning
in anonymous mode) for every activity, and closes them at the end of the turn. This bot signs no
user in, so the user-token client is a stub, and turn replies go through the shared connector
with its retries.
"""
from __future__ import annotations

from typing import Any

from microsoft_agents.activity import Activity, ResourceResponse
from microsoft_agents.hosting.core import ClaimsIdentity, TurnContext

from handlers.teams.connector import Connector


def wire(activity: Activity) -> dict[str, Any]:
    return activity.model_dump(by_alias=True, exclude_unset=True, exclude_none=True, mode="json")


class _Conversations:
    def __init__(self, connector: Connector, service_url: str):
        self._connector = connector
        self._service_url = service_url

    async def reply_to_activity(self, conversation_id: str, activity_id: str, body: Activity) -> ResourceResponse:
        sent = await self._connector.send(self._service_url, conversation_id, wire(body), reply_to=activity_id,
                                          targeted=body.is_targeted_activity())
        return ResourceResponse(id=sent)

    async def send_to_conversation(self, conversation_id: str, body: Activity) -> ResourceResponse:
        sent = await self._connector.send(self._service_url, conversation_id, wire(body),
                                          targeted=body.is_targeted_activity())
        return ResourceResponse(id=sent)

    async def update_activity(self, conversation_id: str, activity_id: str, body: Activity) -> ResourceResponse:
        await self._connector.update(self._service_url, conversation_id, activity_id, wire(body))
        return ResourceResponse(id=activity_id)

    async def delete_activity(self, conversation_id: str, activity_id: str) -> None:
        await self._connector.delete(self._service_url, conversation_id, activity_id)

    def __getattr__(self, name: str) -> Any:
        raise NotImplementedError(f"the Teams adapter does not use conversations.{name}")


class TurnClient:
    """`ConnectorClientBase` for one turn; closing it closes nothing (the session is shared)."""

    def __init__(self, connector: Connector, service_url: str):
        self.base_uri = service_url
        self.conversations = _Conversations(connector, service_url)

    @property
    def attachments(self) -> Any:
        raise NotImplementedError("the Teams adapter does not download attachments")

    async def close(self) -> None:
        return None


class NoUserTokens:
    """`UserTokenClientBase` stand-in: the bot never signs a user in (no OAuth prompts)."""

    async def close(self) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        raise NotImplementedError(f"user tokens are not used by this bot ({name})")


class ClientFactory:
    """`ChannelServiceClientFactoryBase` for `CloudAdapter(channel_service_client_factory=…)`."""

    def __init__(self, connector: Connector):
        self.connector = connector
        self._no_tokens = NoUserTokens()
        self._clients: dict[str, TurnClient] = {}

    async def create_connector_client(self, context: TurnContext | None, claims_identity: ClaimsIdentity,
                                      service_url: str, audience: str,
                                      scopes: list[str] | None = None, use_anonymous: bool = False) -> TurnClient:
        client = self._clients.get(service_url)
        if client is None:
            if len(self._clients) > 256:  # serviceUrls are a handful of regions; never grow without bound
                self._clients.clear()
            client = self._clients[service_url] = TurnClient(self.connector, service_url)
        return client

    async def create_user_token_client(self, context: TurnContext, claims_identity: ClaimsIdentity,
                                       use_anonymous: bool = False) -> NoUserTokens:
        return self._no_tokens
