"""The WebSocket endpoint: a short loop around the codec (RFC 6455 framing is the server's).

Per connection: the reader decodes each frame and hands the command to the node; what goes out
is pre-framed and coalesced by the connection (`ws.wire`, `node.connections`), or, when the
server does not expose its socket, drained by a writer task through `send_text`. Bad frames get
an error frame and the connection stays; too many in a row close it (1008). An unexpected
exception closes only this connection (1011) and is logged with its id, never sent to the
client.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from contextlib import suppress

from starlette.websockets import WebSocket, WebSocketDisconnect

from causerie.errors import ErrorCode
from causerie.node.connections import (
    CLOSE_INTERNAL,
    CLOSE_POLICY,
    Connection,
    Peer,
)
from causerie.node.runtime import Node
from causerie.store.base import Origin
from causerie.ws.codec import FrameError, decode_frame
from causerie.ws.wire import framed_sink

log = logging.getLogger(__name__)
DEVICE_COOKIE = "causerie_device"
REAL_PORT_HEADER = "x-real-port"


def _peer(websocket: WebSocket) -> Peer:
    client = websocket.client
    device = websocket.cookies.get(DEVICE_COOKIE, "")
    if not (0 < len(device) <= 64 and device.replace("-", "").replace("_", "").isalnum()):
        device = "new-" + secrets.token_urlsafe(12)
    host, port = (client.host, client.port) if client else ("", 0)
    if port == 0:
        # uvicorn took the address from a trusted proxy's X-Forwarded-For and has no port; the
        # proxy passes the client's source port, which the connection record must keep.
        with suppress(ValueError):
            port = int(websocket.headers.get(REAL_PORT_HEADER, "0"))
    return Peer(
        origin=Origin(host, port if 0 <= port <= 65535 else 0),
        device=device,
        user_agent=websocket.headers.get("user-agent", "")[:256],
        protocol="ws",
    )


async def _safe_close(websocket: WebSocket, code: int, reason: str) -> None:
    with suppress(Exception):
        await websocket.close(code, reason)


async def serve_websocket(websocket: WebSocket, node: Node) -> None:
    await websocket.accept()
    settings = node.settings
    connection = Connection(
        secrets.token_hex(6),
        _peer(websocket),
        websocket.send_text,
        lambda code, reason: _safe_close(websocket, code, reason),
        settings.outgoing_queue_bytes,
        framed_sink(websocket.scope),
    )
    node.attach(connection)
    connection.start()
    invalid_in_a_row = 0
    try:
        while not connection.is_closing:
            timeout = None if connection.session else settings.hello_timeout_s
            try:
                message = await asyncio.wait_for(websocket.receive(), timeout)
            except TimeoutError:
                connection.close(CLOSE_POLICY, "hello timeout")
                break
            if message["type"] == "websocket.disconnect":
                break
            text = message.get("text")
            try:
                if text is None:
                    raise FrameError("binary_frame")
                request_id, command = decode_frame(text, settings.max_frame_bytes)
            except FrameError as error:
                node.send_error(connection, error, error.request_id)
                invalid_in_a_row += 1
                if invalid_in_a_row >= settings.invalid_frames_before_close:
                    connection.close(CLOSE_POLICY, "too many invalid frames")
                continue
            invalid_in_a_row = 0
            await node.dispatch(connection, request_id, command)
    except WebSocketDisconnect:
        pass
    except Exception:
        log.exception(
            "connection %s failed; closing it",
            connection.id,
            extra={"connection": connection.id, "session": connection.session},
        )
        node.metrics.errors.labels(ErrorCode.INTERNAL.value).inc()
        connection.close(CLOSE_INTERNAL, "internal error")
    finally:
        await node.detach(connection)
        connection.close(1000, "bye")
        await connection.finish(timeout_s=5)
