"""The IRC listener: one asyncio protocol per client socket around `IrcSession`, plugged into
the node like a WebSocket.

Per client: a `Connection` whose `Sink` turns each core event into IRC lines (`IrcSink.encode`,
reading `envelope.event`: a room message is rendered once for every IRC client with the same
capabilities, the envelope keeping the bytes per kind). Lines are parsed as they arrive; the
session answers them or turns them into core commands with request ids of its own, which go to
`node.dispatch` in order through an `Inbox` (a task only while a request is in flight, reading
paused while many wait), exactly as the WebSocket's do. A line that needs no request is
answered at once. Registration must complete within `hello_timeout_s`; one sweep per listener
PINGs idle clients and closes those that do not answer (`Keepalive`). Too many bad lines in a
row, or too many connections from one address, end with an ERROR line. An unexpected exception
closes only its connection and is logged, never sent.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import ssl
import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any, cast

from causerie import __version__
from causerie.config import Settings
from causerie.errors import ErrorCode
from causerie.irc.directory import Census, Directory
from causerie.irc.parser import Line, LineError, LineReader, format_line
from causerie.irc.profile import parse_profile
from causerie.irc.session import IrcSession
from causerie.irc.state import Action, Request, SessionConfig
from causerie.node.connections import (
    CLOSE_BANNED,
    CLOSE_INTERNAL,
    CLOSE_KICKED,
    CLOSE_RESTART,
    CLOSE_TAKEN_OVER,
    CLOSE_TOO_MANY,
    CLOSE_TOO_SLOW,
    Connection,
    Peer,
    TransportSink,
)
from causerie.node.envelope import Envelope
from causerie.node.inbox import Keepalive
from causerie.node.runtime import Node
from causerie.node.shell import CLOSE_WAIT_S, Listening, Shell
from causerie.node.throttle import Throttle
from causerie.store.base import Origin

log = logging.getLogger(__name__)
_CLOSE_REASONS = {
    CLOSE_BANNED: "Banned",
    CLOSE_KICKED: "Kicked by a moderator",
    CLOSE_TOO_SLOW: "Too slow: output buffer full",
    CLOSE_RESTART: "Server restarting",
    CLOSE_TAKEN_OVER: "Connected elsewhere",
    CLOSE_INTERNAL: "Internal error",
    CLOSE_TOO_MANY: "Too many logins from your address",
}


class IrcSink(TransportSink):
    """The socket of one IRC client (a `Sink` for `node.connections.Connection`)."""

    __slots__ = ("_close", "_session", "_transport", "connection", "kind")
    # A room change, an invitation…: what it means depends on this session's channels and
    # the room as it knew it, so such an event is encoded for it alone (room events are not).
    reads_events_alone = True

    def __init__(
        self,
        session: IrcSession,
        transport: asyncio.BaseTransport,
        close: Callable[[int, str], None],
    ) -> None:
        self._session = session
        self._close = close
        self._transport = cast(asyncio.Transport, transport)
        self.kind = session.kind  # fan-out reads it per recipient: an attribute, not a property
        self.connection: Connection | None = None  # the one it writes for, once it exists
        session.on_output_change = self._follow_session

    def attach(self, connection: Connection) -> None:
        self.connection = connection
        self._follow_session()

    def _follow_session(self) -> None:
        """The session's capabilities changed, or whether it awaits its own echo."""
        session, connection = self._session, self.connection
        if connection is None:
            return
        if session.kind != self.kind:
            self.kind = session.kind
            connection.kind_changed()
        connection.leave_out(self._leaves_out if session.watching else None)

    def _leaves_out(self, envelope: Envelope) -> bool:
        return self._session.leaves_out(envelope)

    def encode(self, envelope: Envelope) -> bytes:
        return self._session.render(envelope)

    def write(self, data: bytes) -> None:
        self._session.settle()
        if data and not self._transport.is_closing():
            self._transport.write(data)

    def close(self, code: int, reason: str) -> None:
        self._close(code, reason)


def session_config(settings: Settings) -> SessionConfig:
    return SessionConfig(
        server_name=settings.irc_server_name,
        version=f"causerie-{__version__}",
        created=time.strftime("%Y-%m-%d", time.gmtime()),
        default_profile=parse_profile(settings.irc_default_profile)
        if settings.irc_default_profile
        else None,
        max_rooms=settings.max_rooms_per_session,
        max_text_chars=settings.max_text_chars,
        motd=tuple(settings.irc_motd.split("\\n")) if settings.irc_motd else (),
        password=settings.irc_password,
    )


def tls_context(settings: Settings) -> ssl.SSLContext | None:
    if settings.irc_tls_cert is None or settings.irc_tls_key is None:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(settings.irc_tls_cert, settings.irc_tls_key)
    return context


class IrcListener:
    def __init__(self, node: Node, settings: Settings) -> None:
        self.node = node
        self.settings = settings
        self.directory = Directory(self.census)
        self.config = session_config(settings)
        self.throttle = Throttle(
            settings.irc_connections_per_address, settings.irc_connects_per_minute
        )
        self.keepalive = Keepalive(settings.irc_ping_interval_s)
        self.clients: set[IrcClient] = set()
        self.finishing: set[asyncio.Task[None]] = set()
        self.listening = Listening(
            door=node,
            outbox=node.outbox,
            keepalive=self.keepalive,
            hello_timeout_s=settings.hello_timeout_s,
            outgoing_queue_bytes=settings.outgoing_queue_bytes,
            count_internal_error=node.metrics.errors.labels(ErrorCode.INTERNAL.value).inc,
            close_wait_s=CLOSE_WAIT_S,
        )
        self._server: asyncio.Server | None = None
        self.port = 0

    def census(self) -> Census:
        """This node's people (web and IRC; an IRC client registered without a profile is
        one too) and this listener's connections still registering, for LUSERS."""
        people, unregistered = len(self.node.sessions()), 0
        for client in self.clients:
            session, connection = client.session, client.connection
            if session is None or connection is None or connection.is_closing:
                continue
            if not session.registered:
                unregistered += 1
            elif not session.has_profile and session.staff is None:
                people += 1
        return Census(people, unregistered)

    async def start(self) -> None:
        host = self.settings.irc_host or self.settings.host
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: IrcClient(self), host, self.settings.irc_port, ssl=tls_context(self.settings)
        )
        self.port = int(self._server.sockets[0].getsockname()[1])
        log.info("IRC listening on %s port %d", host, self.port)

    async def stop(self) -> None:
        """Stop listening; every client is told the server restarts and leaves the node."""
        if self._server is None:
            return
        self._server.close()
        for client in list(self.clients):
            client.shutdown()
        if self.finishing:
            await asyncio.wait(set(self.finishing), timeout=CLOSE_WAIT_S)
        for client in list(self.clients):
            client.abort()
        with suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), CLOSE_WAIT_S)
        self._server = None


class IrcClient(asyncio.Protocol):
    """One IRC client socket, from accept to the node forgetting its session: the IRC side of
    its `node.shell.Shell` (lines, registration, PING, the ERROR line)."""

    __slots__ = (
        "_address",
        "_bad_in_a_row",
        "_lines",
        "_listener",
        "_shell",
        "_transport",
        "connection",
        "host",
        "session",
    )
    hello_timeout_reason = "Registration timeout"  # as the shell's `Adapter`
    bye_reason = "Connection closed"

    def __init__(self, listener: IrcListener) -> None:
        self._listener = listener
        self._transport: asyncio.Transport | None = None
        self._shell: Shell | None = None
        self._lines = LineReader()
        self._bad_in_a_row = 0
        self.connection: Connection | None = None
        self.session: IrcSession | None = None
        self.host = "unknown"
        self._address = ""

    # -- asyncio ------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport = cast(asyncio.Transport, transport)
        listener = self._listener
        address, port = _peername(transport)
        if not listener.throttle.admit(address):
            transport.write(b"ERROR :Too many connections from your address\r\n")
            transport.close()
            return
        self._address, self.host = address, address or "unknown"
        listener.clients.add(self)
        shell = self._shell = Shell(listener.listening, self, transport, listener.finishing)
        session = self.session = IrcSession(listener.config, listener.directory)
        sink = IrcSink(session, transport, shell.close)
        peer = Peer(Origin(address, port), "new-irc-" + secrets.token_urlsafe(9), "irc", "irc")
        connection = self.connection = shell.open(
            secrets.token_hex(6), peer, sink, self._run, self._fail
        )
        sink.attach(connection)
        listener.directory.listen(self, self._on_away)

    def data_received(self, data: bytes) -> None:
        shell = self._shell
        if shell is None:
            return  # refused by the throttle: its ERROR line is on the way
        connection, inbox = self.connection, shell.inbox
        assert connection is not None and inbox is not None
        shell.seen_at = time.monotonic()
        try:
            for item in self._lines.feed(data):
                if connection.is_closing:
                    return
                if inbox.is_idle:
                    self._take(item)
                    self._act_now()
                else:
                    inbox.put(item)
        except Exception:
            self._fail()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._shell is not None:  # else refused by the throttle: it never counted
            self._shell.lost()

    def shutdown(self) -> None:
        """Close with "Server restarting" after what is queued; the listener waits for it."""
        if self.connection is not None and self._shell is not None:
            self.connection.close(CLOSE_RESTART, "server restarting")
            self._shell.start_finish()

    def abort(self) -> None:
        if self._transport is not None:
            self._transport.abort()

    # -- the shell's Adapter --------------------------------------------------------------------

    def logged_in(self) -> bool:
        return self.session is not None and self.session.registered

    def ping(self) -> bool:
        connection, session = self.connection, self.session
        if connection is None or session is None or connection.is_closing:
            return False
        if not session.registered:
            return False  # the registration timer deals with it
        connection.send(session.raw(format_line("PING", session.source)))
        return True

    def ping_timed_out(self) -> None:
        if self.connection is not None:
            self.connection.close(1000, "Ping timeout")

    def goodbye(self, code: int, reason: str) -> bool:
        """The ERROR line after the connection's queued output, then the socket."""
        transport = self._transport
        assert transport is not None
        if transport.is_closing():
            return False
        text = _CLOSE_REASONS.get(code, reason)
        transport.write(format_line("ERROR", f"Closing Link: {self.host} ({text})").encode())
        transport.close()
        return True

    def leaving(self) -> None:
        session, directory = self.session, self._listener.directory
        assert session is not None
        directory.forget(self)
        if session.away and session.has_profile:
            directory.set_away(session.nick, session.mask, None, session.channels)

    def finished(self) -> None:
        listener = self._listener
        listener.clients.discard(self)
        listener.throttle.release(self._address)
        assert self._transport is not None
        self._transport.close()

    # -- lines --------------------------------------------------------------------------------

    def _take(self, item: Line | LineError) -> None:
        session = self.session
        assert session is not None
        session.receive(item)
        self._bad_in_a_row = self._bad_in_a_row + 1 if isinstance(item, LineError) else 0
        if self._bad_in_a_row >= self._listener.settings.invalid_frames_before_close:
            session.close("Too many invalid lines")

    def _act_now(self) -> None:
        """Answers and closes at once; from the first request on, in order through the inbox."""
        shell = self._shell
        assert self.session is not None and shell is not None and shell.inbox is not None
        actions = self.session.take()
        for index, (kind, value) in enumerate(actions):
            if kind == "request":
                shell.inbox.put(actions[index:])
                return
            if not self._do(kind, value):
                return
        if shell.timer is not None:
            shell.check_hello()

    def _do(self, kind: str, value: Any) -> bool:
        """Carry out a send or a close; False once the connection is closing."""
        connection, session = self.connection, self.session
        assert connection is not None and session is not None
        if kind == "send":
            connection.send(session.raw(value))
            return True
        if kind == "quit":
            connection.is_quitting, connection.farewell = True, str(value)
            return True
        connection.close(1000, str(value))
        return False

    async def _run(self, item: Line | LineError | list[Action]) -> None:
        connection, session, shell = self.connection, self.session, self._shell
        assert connection is not None and session is not None and shell is not None
        inbox = shell.inbox
        assert inbox is not None
        if connection.is_closing:
            inbox.clear()
            return
        if isinstance(item, list):
            actions = item
        else:
            self._take(item)
            actions = session.take()
        while actions:  # a reply may ask for more
            for kind, value in actions:
                if kind == "request":
                    await self._request(value)
                elif not self._do(kind, value):
                    inbox.clear()
                    return
            actions = session.take()
        if shell.timer is not None:
            shell.check_hello()

    async def _request(self, request: Request) -> None:
        connection = self.connection
        assert connection is not None
        request_id, command = request
        await self._listener.node.dispatch(connection, request_id, command)

    def _on_away(self, nick: str, mask: str, text: str | None, channels: frozenset[str]) -> None:
        session, connection = self.session, self.connection
        assert session is not None and connection is not None
        if not session.has("away-notify") or nick == session.nick:
            return
        if channels.isdisjoint(session.channels):  # no channel in common: not told
            return
        params = (text,) if text else ()
        connection.send(session.raw(format_line("AWAY", *params, source=mask)))

    def _fail(self) -> None:
        assert self._shell is not None
        self._shell.fail("IRC connection %s failed; closing it")


def _peername(transport: asyncio.BaseTransport) -> tuple[str, int]:
    peer = transport.get_extra_info("peername")
    if isinstance(peer, tuple) and len(peer) >= 2:
        return str(peer[0]), int(peer[1])
    return "", 0


async def start_irc(node: Node) -> IrcListener | None:
    """The IRC listener, listening, when the settings ask for one (`irc_port` >= 0)."""
    if node.settings.irc_port < 0:
        return None
    listener = IrcListener(node, node.settings)
    await listener.start()
    return listener
