"""The WebSocket endpoint: one asyncio protocol per client socket.

uvicorn keeps HTTP. A socket whose first request asks for `Upgrade: websocket` is given to this
protocol by `http.front` before uvicorn parses anything; an upgrade later on a kept-alive HTTP
connection is given by uvicorn (its `ws` setting takes the class, `protocol_for(node)`). How a
connection goes:

    HANDSHAKE  `GET /ws` with a valid key gets 101 and the connection is attached to the node;
               another path or a bad request gets an HTTP refusal and is closed (`ws.handshake`).
    OPEN       each text message is decoded (`wire/commands`) and queued; one task at a time
               runs the queue in order through `node.dispatch`, and exists only while there is
               something to run, so an idle connection holds no task. Reading pauses while the
               queue is long. A bad frame gets an error frame, in order with the replies; too
               many in a row close the connection (1008).
    CLOSING    a close frame went out or came in (or the peer broke RFC 6455, answered with the
               close code `ws.parser` chose): input is ignored; a peer that does not answer our
               close within `CLOSE_WAIT_S` is cut off.
    gone       `connection_lost`: the queue finishes, then the node forgets the connection.

Fan-out writes pre-framed bytes through this protocol as the connection's `Sink`. The timers,
the keepalive, the close wait and the finish are `node.shell.Shell`'s, shared with the IRC
listener; this supplies the framing, the codec, the handshake and the WebSocket's ping and
close frames. Pings go out from one sweep per server (`Keepalive`) rather than a timer per
connection. uvicorn's own
WebSocket protocol with the ASGI stack around it cost ~32 KB per idle connection; this costs a
few (docs/performance.md).
"""

from __future__ import annotations

import asyncio
import secrets
import time
from enum import IntEnum
from typing import Any, ClassVar, cast

from causerie.core.commands import Command
from causerie.errors import ErrorCode
from causerie.node.admission import NEW_DEVICE_PREFIX
from causerie.node.connections import (
    CLOSE_POLICY,
    CLOSE_RESTART,
    CLOSE_TOO_MANY,
    Connection,
    Peer,
    TransportSink,
)
from causerie.node.envelope import Envelope
from causerie.node.inbox import Keepalive
from causerie.node.runtime import Node
from causerie.node.shell import CLOSE_WAIT_S, Listening, Shell
from causerie.node.throttle import ConnectionLimits, address_key
from causerie.store.base import Origin
from causerie.wire.commands import FrameError, RequestId, decode_frame
from causerie.ws.handshake import (
    MAX_HEAD_BYTES,
    HandshakeRefused,
    TrustedProxies,
    Upgrade,
    accept_response,
    client_address,
    parse_upgrade,
    refusal_response,
)
from causerie.ws.origins import OriginPolicy, request_scheme
from causerie.ws.parser import (
    CLOSE_NO_STATUS,
    OP_BINARY,
    OP_CLOSE,
    OP_PING,
    OP_TEXT,
    FrameParser,
    ProtocolViolation,
    parse_close,
)
from causerie.ws.wire import close_frame, frame_of, ping_frame, pong_frame

DEVICE_COOKIE = "causerie_device"
WS_PATH = "/ws"
HARD_FRAME_CAP_BYTES = 1024 * 1024  # the codec refuses over `max_frame_bytes` politely

Queued = tuple[RequestId, Command] | FrameError
_TOO_MANY = {
    "address": "too many connections from your address",
    "device": "too many connections from this device",
}


class State(IntEnum):
    HANDSHAKE = 0
    OPEN = 1
    CLOSING = 2


def device_of(cookie: str) -> str:
    """The device cookie when it looks like one of ours, else a new device id."""
    if 0 < len(cookie) <= 64 and cookie.replace("-", "").replace("_", "").isalnum():
        return cookie
    return NEW_DEVICE_PREFIX + secrets.token_urlsafe(12)


class Endpoint:
    """What the connections of one server share."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self.settings = node.settings
        self.trusted = TrustedProxies(node.settings.trusted_proxies)
        self.keepalive = Keepalive(node.settings.ws_ping_interval_s)
        self.origins = OriginPolicy(node.settings.allowed_origins)
        settings = node.settings
        self.limits = (  # counted on this node (docs/operations.md)
            ConnectionLimits(
                settings.ws_connections_per_address, settings.ws_connections_per_device
            )
            if settings.rate_limits
            else None
        )
        errors = node.metrics.errors
        self.listening = Listening(
            door=node,
            outbox=node.outbox,
            keepalive=self.keepalive,
            hello_timeout_s=settings.hello_timeout_s,
            outgoing_queue_bytes=settings.outgoing_queue_bytes,
            count_internal_error=errors.labels(ErrorCode.INTERNAL.value).inc,
            close_wait_s=CLOSE_WAIT_S,
        )


class WebSocketProtocol(TransportSink, asyncio.Protocol):
    __slots__ = (
        "_close_sent",
        "_counted",
        "_head",
        "_invalid_in_a_row",
        "_parser",
        "_server_state",
        "_shell",
        "_state",
        "_transport",
    )
    endpoint: ClassVar[Endpoint]
    kind = "ws"  # as a `Sink`: every WebSocket shares the wire form of a frame
    hello_timeout_reason = "hello timeout"  # as the shell's `Adapter`
    bye_reason = "bye"

    def __init__(self, config: Any = None, server_state: Any = None, **_: Any) -> None:
        # uvicorn's ServerState: the connections it asks to shut down, the tasks it waits for.
        self._server_state = server_state
        self._transport = None  # type: ignore[assignment]
        self._state = State.HANDSHAKE
        self._head = b""
        self._parser = FrameParser(HARD_FRAME_CAP_BYTES)
        self._shell: Shell = None  # type: ignore[assignment]  # set in connection_made
        self._counted: tuple[str, str | None] | None = None  # (address, device) in the limits
        self._invalid_in_a_row = 0
        self._close_sent = False

    # -- asyncio ------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)
        server_state = self._server_state
        tasks = server_state.tasks if server_state is not None else None  # uvicorn waits for them
        self._shell = Shell(self.endpoint.listening, self, self._transport, tasks)
        if server_state is not None:
            server_state.connections.add(self)

    def data_received(self, data: bytes) -> None:
        self._shell.seen_at = time.monotonic()
        try:
            if self._state is State.HANDSHAKE:
                self._handshake(data)
            elif not self._transport.is_closing():
                self._receive(data)  # while closing too: the peer's close frame ends it
        except Exception:
            self._fail("connection %s failed reading; closing it")

    def connection_lost(self, exc: Exception | None) -> None:
        self._state = State.CLOSING
        if self._server_state is not None:
            self._server_state.connections.discard(self)
        self._shell.lost()

    def shutdown(self) -> None:
        """uvicorn is stopping: close with 1012 after what is queued (clients may resume)."""
        connection = self._shell.connection
        if connection is not None and self._state is State.OPEN:
            connection.close(CLOSE_RESTART, "server restarting")
        else:
            self._transport.close()

    # -- the shell's Adapter --------------------------------------------------------------------

    def logged_in(self) -> bool:
        connection = self._shell.connection
        return connection is not None and connection.session is not None

    def ping(self) -> bool:
        if self._close_sent:
            return False
        self._transport.write(ping_frame())
        return True

    def ping_timed_out(self) -> None:
        self._transport.abort()

    def goodbye(self, code: int, reason: str) -> bool:
        """Our close frame; then the peer's is awaited."""
        self._state = State.CLOSING
        if self._close_sent or self._transport.is_closing():
            return False
        self._close_sent = True
        self._transport.write(close_frame(code, reason))
        return True

    def leaving(self) -> None:
        """Nothing of the node's is held here."""

    def finished(self) -> None:
        counted, self._counted = self._counted, None
        limits = self.endpoint.limits
        if counted is not None and limits is not None:
            limits.release(*counted)

    # -- Sink, for the connection's coalesced output -------------------------------------------

    def encode(self, envelope: Envelope) -> bytes:
        return frame_of(envelope.text)

    def write(self, data: bytes) -> None:
        # After the close frame nothing may follow (RFC 6455 section 5.5.1).
        if not self._close_sent and not self._transport.is_closing():
            self._transport.write(data)

    # -- handshake ----------------------------------------------------------------------------

    def _handshake(self, data: bytes) -> None:
        head = self._head + data
        end = head.find(b"\r\n\r\n")
        if end < 0:
            if len(head) > MAX_HEAD_BYTES:
                self._refuse(HandshakeRefused(431, "request head too large"))
            else:
                self._head = head
            return
        self._head = b""
        endpoint = self.endpoint
        peername = self._transport.get_extra_info("peername")
        peer = (str(peername[0]), int(peername[1])) if isinstance(peername, tuple) else ("", 0)
        try:
            upgrade = parse_upgrade(head[: end + 4])
            if upgrade.path != WS_PATH:
                raise HandshakeRefused(404, "no WebSocket here: the chat is at /ws")
            headers = upgrade.headers
            scheme = request_scheme(peer[0] in endpoint.trusted, headers)
            if not endpoint.origins.allows(headers.get("origin"), scheme, headers.get("host")):
                endpoint.node.metrics.errors.labels(ErrorCode.FORBIDDEN.value).inc()
                raise HandshakeRefused(403, "this page's origin may not open the chat")
        except HandshakeRefused as refused:
            self._refuse(refused)
            return
        self._transport.write(accept_response(upgrade))
        address, port = client_address(peer, upgrade.headers, endpoint.trusted)
        device = device_of(upgrade.cookie(DEVICE_COOKIE))
        if not self._count(address, device):
            return
        self._state = State.OPEN
        self._open(upgrade, Origin(address, port), device)
        if len(head) > end + 4:
            self._receive(head[end + 4 :])

    def _count(self, address: str, device: str) -> bool:
        """Count this connection in the limits per address and device; past one, tell the
        client why in a close frame (4005) rather than a bare HTTP status a page cannot read."""
        limits = self.endpoint.limits
        if limits is None:
            return True
        counted = address_key(address), None if device.startswith(NEW_DEVICE_PREFIX) else device
        exceeded = limits.admit(*counted)
        if exceeded is None:
            self._counted = counted
            return True
        self.endpoint.node.metrics.errors.labels(ErrorCode.RATE_LIMITED.value).inc()
        self._state = State.CLOSING
        self._close_sent = True
        self._transport.write(close_frame(CLOSE_TOO_MANY, _TOO_MANY[exceeded]))
        self._shell.cut_off_later()
        return False

    def _refuse(self, refused: HandshakeRefused) -> None:
        self._state = State.CLOSING
        self._transport.write(refusal_response(refused))
        self._transport.close()

    def _open(self, upgrade: Upgrade, origin: Origin, device: str) -> None:
        peer = Peer(
            origin=origin,
            device=device,
            user_agent=upgrade.headers.get("user-agent", "")[:256],
            protocol="ws",
        )
        self._shell.open(secrets.token_hex(6), peer, self, self._run, self._failed)

    # -- messages -----------------------------------------------------------------------------

    def _receive(self, data: bytes) -> None:
        try:
            messages = self._parser.feed(data)
        except ProtocolViolation as violation:
            self._violated(violation)
            return
        for opcode, payload in messages:
            if opcode == OP_CLOSE:
                self._on_peer_close(payload)
                return
            if self._state is not State.OPEN:
                continue  # closing: only the peer's close frame matters now
            if opcode == OP_TEXT:
                self._on_text(payload)
            elif opcode == OP_BINARY:
                self._queue(FrameError("binary_frame"))
            elif opcode == OP_PING and not self._close_sent:
                self._transport.write(pong_frame(payload))

    def _on_text(self, payload: bytes) -> None:
        try:
            text = payload.decode()
        except UnicodeDecodeError:
            self._violated(ProtocolViolation(1007, "text is not UTF-8"))
            return
        try:
            self._queue(decode_frame(text, self.endpoint.settings.max_frame_bytes))
        except FrameError as error:
            self._queue(error)

    def _queue(self, item: Queued) -> None:
        inbox = self._shell.inbox
        assert inbox is not None
        if isinstance(item, FrameError) and inbox.is_idle:
            self._refused(item)  # nothing ahead of it: answer now, no task needed
        else:
            inbox.put(item)

    def _refused(self, error: FrameError) -> None:
        connection = self._shell.connection
        assert connection is not None
        self.endpoint.node.send_error(connection, error, error.request_id)
        self._strike(connection)

    def _strike(self, connection: Connection) -> None:
        self._invalid_in_a_row += 1
        if self._invalid_in_a_row >= self.endpoint.settings.invalid_frames_before_close:
            connection.close(CLOSE_POLICY, "too many invalid frames")

    async def _run(self, item: Queued) -> None:
        shell = self._shell
        connection, inbox = shell.connection, shell.inbox
        assert connection is not None and inbox is not None
        if connection.is_closing:
            inbox.clear()
        elif isinstance(item, FrameError):
            self._refused(item)
        else:
            strikes = connection.strikes
            await self.endpoint.node.dispatch(connection, *item)
            # A refusal the node counts as a bad frame (a failed staff login) keeps the count.
            if connection.strikes > strikes:
                self._strike(connection)
            else:
                self._invalid_in_a_row = 0
            if shell.timer is not None:
                shell.check_hello()

    def _failed(self) -> None:
        self._fail("connection %s failed; closing it")

    # -- closing ------------------------------------------------------------------------------

    def close(self, code: int, reason: str) -> None:
        """The connection's close (as its `Sink`): after its queued output."""
        self._shell.close(code, reason)

    def _on_peer_close(self, payload: bytes) -> None:
        self._state = State.CLOSING
        try:
            code, _reason = parse_close(payload)
        except ProtocolViolation as violation:
            code = violation.close_code
        connection = self._shell.connection
        if code in (1000, CLOSE_NO_STATUS) and connection is not None:
            connection.is_quitting = True  # a page's own close(), not a reload (1001)
        if not self._close_sent:  # echo it (section 5.5.1), then the TCP close is ours
            self._close_sent = True
            self._transport.write(close_frame(1000 if code == CLOSE_NO_STATUS else code))
        self._transport.close()

    def _violated(self, violation: ProtocolViolation) -> None:
        if self._state is State.CLOSING:  # broken framing while closing: stop waiting
            self._transport.close()
            return
        self._state = State.CLOSING
        connection = self._shell.connection
        if connection is not None:
            connection.close(violation.close_code, violation.reason)
        else:
            self._transport.close()

    def _fail(self, message: str) -> None:
        self._state = State.CLOSING
        self._shell.fail(message)


def protocol_for(node: Node) -> type[WebSocketProtocol]:
    """The protocol class uvicorn instantiates per upgraded socket, bound to `node`."""

    class NodeWebSocket(WebSocketProtocol):
        __slots__ = ()
        endpoint = Endpoint(node)

    return NodeWebSocket
