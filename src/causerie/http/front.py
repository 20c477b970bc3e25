"""The first protocol of every accepted HTTP socket: WebSocket or plain HTTP.

A WebSocket upgrade goes straight to `ws.protocol`; anything else to uvicorn's HTTP protocol,
which gets the bytes read so far. Logins used to pass through uvicorn's HTTP parser, its
request scope and the head written out again before reaching the WebSocket: about a fifth of
the server's time per login (docs/performance.md). uvicorn still hands over an upgrade that
comes later on a kept-alive HTTP connection (its `ws` setting).
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar, cast

from uvicorn.protocols.http.auto import AutoHTTPProtocol

from causerie.ws.handshake import wants_websocket

HEAD_WAIT_S = 60.0  # a socket that never finishes its request head is let go (as nginx does)


class FrontDoor(asyncio.Protocol):
    __slots__ = ("_head", "_kwargs", "_server_state", "_timer", "_transport")
    websocket: ClassVar[type[asyncio.Protocol]]

    def __init__(self, **kwargs: Any) -> None:
        # uvicorn's arguments (config, server_state, app_state, _loop), passed on as they came.
        self._kwargs = kwargs
        self._server_state = kwargs.get("server_state")
        self._head = b""
        self._transport: asyncio.Transport | None = None
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)
        if self._server_state is not None:  # closed by `shutdown` when uvicorn stops
            self._server_state.connections.add(self)
        self._timer = asyncio.get_running_loop().call_later(HEAD_WAIT_S, self._transport.close)

    def data_received(self, data: bytes) -> None:
        head = self._head + data
        websocket = wants_websocket(head)
        if websocket is None:
            self._head = head
        elif websocket:
            self._hand_over(self.websocket(**self._kwargs), head)
        else:
            self._hand_over(AutoHTTPProtocol(**self._kwargs), head)

    def connection_lost(self, exc: Exception | None) -> None:
        self._leave()

    def shutdown(self) -> None:
        if self._transport is not None:
            self._transport.close()

    def _hand_over(self, protocol: asyncio.Protocol, head: bytes) -> None:
        transport = self._transport
        assert transport is not None
        self._leave()
        protocol.connection_made(transport)
        transport.set_protocol(protocol)
        protocol.data_received(head)

    def _leave(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._server_state is not None:
            self._server_state.connections.discard(self)


def front_door_for(websocket: type[asyncio.Protocol]) -> type[FrontDoor]:
    """The protocol class for uvicorn's `http` setting, sending upgrades to `websocket`."""

    class Door(FrontDoor):
        __slots__ = ()

    Door.websocket = websocket
    return Door
