"""Pre-framed WebSocket output: a whole server frame built once, written as bytes.

A room message goes to hundreds of connections; building its RFC 6455 frame (section 5.2:
FIN + opcode, length, unmasked payload) once and writing the same bytes to every socket is
what keeps fan-out cheap. `FramedSink` writes such bytes straight to the transport of uvicorn's
websockets-sansio protocol, beside (never inside) the frames that protocol writes itself
(handshake, pings, close): every write is a sequence of whole frames, so they cannot interleave
badly. Permessage-deflate is off on this server, so frames go out as they are.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from typing import Any

_TEXT = 0x81  # FIN + text opcode


def text_frame(payload: bytes) -> bytes:
    """The whole unmasked server frame carrying `payload` as text."""
    length = len(payload)
    if length < 126:
        return bytes((_TEXT, length)) + payload
    if length < 65536:
        return struct.pack("!BBH", _TEXT, 126, length) + payload
    return struct.pack("!BBQ", _TEXT, 127, length) + payload


def frame_of(text: str) -> bytes:
    return text_frame(text.encode())


class FramedSink:
    """The socket under one of uvicorn's websockets-sansio connections (a `Sink` for
    `node.connections.Connection`)."""

    kind = "ws"

    def __init__(self, protocol: Any) -> None:
        self._protocol = protocol
        self._transport = protocol.transport

    def encode(self, text: str) -> bytes:
        return text_frame(text.encode())

    def write(self, data: bytes) -> None:
        # After the close frame nothing may follow (RFC 6455 section 5.5.1).
        if not self._protocol.close_sent and not self._transport.is_closing():
            self._transport.write(data)

    def buffered_bytes(self) -> int:
        return int(self._transport.get_write_buffer_size())

    def abort(self) -> None:
        self._transport.abort()

    def prepare_close(self) -> None:
        # uvicorn holds every ASGI send, the close included, while the socket is over its
        # high-water mark; a reader found too slow is exactly that case, and its 4001 must
        # still be queued behind what it has not read (the grace abort bounds the wait).
        writable = getattr(self._protocol, "writable", None)
        if writable is not None:
            writable.set()


def framed_sink(scope: Mapping[str, Any]) -> FramedSink | None:
    """The sink for a WebSocket scope when the server exposed its protocol (see
    `http.server.ExposeTransport`); None otherwise, and the connection sends text frames."""
    protocol = scope.get("extensions", {}).get(RAW_PROTOCOL_EXTENSION)
    if protocol is None or getattr(protocol, "transport", None) is None:
        return None
    if not hasattr(protocol, "close_sent"):
        return None
    return FramedSink(protocol)


RAW_PROTOCOL_EXTENSION = "causerie.ws_protocol"
