"""The `Broker` port: publish a frame on a channel; every node subscribed receives it once.

Channels are `room:<id>` (a room's messages and presence) and `session:<id>` (private
messages). The payload is the WebSocket frame text, encoded once by the publishing node; a
node writes it as-is to its local recipients.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

Handler = Callable[[str, str], None]


class BrokerUnavailable(Exception):
    """The broker did not take the publication; nothing was delivered."""


def room_channel(room_id: str) -> str:
    return f"room:{room_id}"


def session_channel(session_id: str) -> str:
    return f"session:{session_id}"


class Broker(Protocol):
    is_healthy: bool

    async def start(self, handler: Handler) -> None:
        """Begin delivering every message of a subscribed channel to `handler(channel, payload)`."""

    async def publish(self, channel: str, payload: str) -> None: ...

    async def subscribe(self, channel: str) -> None: ...

    async def unsubscribe(self, channel: str) -> None: ...

    async def close(self) -> None: ...
