"""The IRC listener: asyncio streams around `IrcSession`, plugged into the node like a WebSocket.

Per client: a `Connection` whose `Sink` turns each wire frame into IRC lines (`IrcSink.encode`,
so a room message is rendered once for every IRC client with the same capabilities); a reader
loop that parses lines, lets the session answer or turn them into wire requests, and hands
those to `node.dispatch` exactly as the WebSocket transport does. Registration must complete
within `hello_timeout_s`; an idle client is PINGed and closed if it does not answer. Too many
bad lines in a row, or too many connections from one address, end with an ERROR line. An
unexpected exception closes only its connection and is logged, never sent.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import ssl
import time
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from causerie import __version__
from causerie.config import Settings
from causerie.errors import ErrorCode
from causerie.irc.directory import Directory
from causerie.irc.parser import LineError, LineReader, format_line
from causerie.irc.profile import parse_profile
from causerie.irc.session import IrcSession, SessionConfig
from causerie.node.connections import (
    CLOSE_BANNED,
    CLOSE_INTERNAL,
    CLOSE_KICKED,
    CLOSE_RESTART,
    CLOSE_TAKEN_OVER,
    CLOSE_TOO_SLOW,
    Connection,
    Peer,
)
from causerie.node.runtime import Node
from causerie.store.base import Origin
from causerie.ws.codec import FrameError, decode_frame

log = logging.getLogger(__name__)
READ_BYTES = 16 * 1024
_CLOSE_REASONS = {
    CLOSE_BANNED: "Banned",
    CLOSE_KICKED: "Kicked by a moderator",
    CLOSE_TOO_SLOW: "Too slow: output buffer full",
    CLOSE_RESTART: "Server restarting",
    CLOSE_TAKEN_OVER: "Connected elsewhere",
    CLOSE_INTERNAL: "Internal error",
}


class IrcSink:
    """The socket of one IRC client (a `Sink` for `node.connections.Connection`)."""

    def __init__(self, session: IrcSession, transport: asyncio.BaseTransport) -> None:
        self._session = session
        self._transport: Any = transport
        self.kind = session.kind  # fan-out reads it per recipient: an attribute, not a property
        session.on_kind_change = self._follow_kind

    def _follow_kind(self, kind: str) -> None:
        self.kind = kind

    def encode(self, text: str) -> bytes:
        return self._session.render(text)

    def write(self, data: bytes) -> None:
        self._session.settle()
        if data and not self._transport.is_closing():
            self._transport.write(data)

    def buffered_bytes(self) -> int:
        return int(self._transport.get_write_buffer_size())

    def abort(self) -> None:
        self._transport.abort()

    def prepare_close(self) -> None:
        """Nothing holds our writes back: the ERROR line queues behind the rest."""


class Throttle:
    """Connections per address: at most `max_open` at once and `per_minute` new ones."""

    def __init__(
        self, max_open: int, per_minute: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._max_open, self._per_minute, self._clock = max_open, per_minute, clock
        self._open: dict[str, int] = {}
        self._recent: dict[str, deque[float]] = {}

    def admit(self, address: str) -> bool:
        now = self._clock()
        recent = self._recent.setdefault(address, deque())
        while recent and recent[0] <= now - 60:
            recent.popleft()
        if self._open.get(address, 0) >= self._max_open or len(recent) >= self._per_minute:
            return False
        recent.append(now)
        self._open[address] = self._open.get(address, 0) + 1
        return True

    def release(self, address: str) -> None:
        left = self._open.get(address, 0) - 1
        if left > 0:
            self._open[address] = left
        else:
            self._open.pop(address, None)
            if not self._recent.get(address):
                self._recent.pop(address, None)


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
        self.directory = Directory()
        self.config = session_config(settings)
        self.throttle = Throttle(
            settings.irc_connections_per_address, settings.irc_connects_per_minute
        )
        self._server: asyncio.Server | None = None
        self._clients: set[asyncio.Task[None]] = set()
        self.port = 0

    async def start(self) -> None:
        host = self.settings.irc_host or self.settings.host
        self._server = await asyncio.start_server(
            self._serve, host, self.settings.irc_port, ssl=tls_context(self.settings)
        )
        self.port = int(self._server.sockets[0].getsockname()[1])
        log.info("IRC listening on %s port %d", host, self.port)

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for task in list(self._clients):
            task.cancel()
        for task in list(self._clients):
            with suppress(asyncio.CancelledError, Exception):
                await task
        with suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), 5)
        self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._clients.add(task)
        address, port = _peername(writer)
        try:
            if not self.throttle.admit(address):
                writer.write(b"ERROR :Too many connections from your address\r\n")
                with suppress(Exception):
                    await asyncio.wait_for(writer.drain(), 5)
                writer.close()
                return
            try:
                await _Client(self, reader, writer, Origin(address, port)).run()
            finally:
                self.throttle.release(address)
        finally:
            self._clients.discard(task)


def _peername(writer: asyncio.StreamWriter) -> tuple[str, int]:
    peer = writer.get_extra_info("peername")
    if isinstance(peer, tuple) and len(peer) >= 2:
        return str(peer[0]), int(peer[1])
    return "", 0


class _Client:
    def __init__(
        self,
        listener: IrcListener,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        origin: Origin,
    ) -> None:
        self.listener, self.node, self.settings = listener, listener.node, listener.settings
        self.reader, self.writer = reader, writer
        connection_id = secrets.token_hex(6)
        self.session = IrcSession(listener.config, listener.directory, key=connection_id)
        self.connection = Connection(
            connection_id,
            Peer(origin, "new-irc-" + secrets.token_urlsafe(9), "irc", "irc"),
            self._send_text,
            self._close,
            self.settings.outgoing_queue_bytes,
            IrcSink(self.session, writer.transport),
        )
        self.host = origin.address or "unknown"

    async def _send_text(self, text: str) -> None:  # only without a sink, which never happens
        self.writer.write(self.session.render(text))

    async def _close(self, code: int, reason: str) -> None:
        text = _CLOSE_REASONS.get(code, reason)
        with suppress(Exception):
            self.writer.write(format_line("ERROR", f"Closing Link: {self.host} ({text})").encode())
            self.writer.close()

    def _on_away(self, nick: str, mask: str, text: str | None) -> None:
        session = self.session
        if not session.has("away-notify") or nick == session.nick:
            return
        if not set(self.listener.directory.rooms_of(nick)) & session.channels:
            return
        params = (text,) if text else ()
        self.connection.send(session.raw(format_line("AWAY", *params, source=mask)))

    async def run(self) -> None:
        node, connection, session = self.node, self.connection, self.session
        node.attach(connection)
        self.listener.directory.listen(self, self._on_away)
        connection.start()
        try:
            await self._read_loop()
        except Exception:
            log.exception(
                "IRC connection %s failed; closing it",
                connection.id,
                extra={"connection": connection.id, "session": connection.session},
            )
            node.metrics.errors.labels(ErrorCode.INTERNAL.value).inc()
            connection.close(CLOSE_INTERNAL, "internal error")
        finally:
            self.listener.directory.forget(self)
            if session.away and session.has_profile:
                self.listener.directory.set_away(session.nick, session.mask, None)
            await node.detach(connection)
            connection.close(1000, "Connection closed")
            await connection.finish(timeout_s=5)
            self.writer.close()

    async def _read_loop(self) -> None:
        settings, session, connection = self.settings, self.session, self.connection
        lines = LineReader()
        started = time.monotonic()
        pinged = False
        bad_in_a_row = 0
        while not connection.is_closing:
            if session.registered:
                timeout = settings.irc_ping_interval_s
            else:
                timeout = max(0.0, settings.hello_timeout_s - (time.monotonic() - started))
            try:
                data = await asyncio.wait_for(self.reader.read(READ_BYTES), timeout)
            except TimeoutError:
                if not session.registered:
                    connection.close(1008, "Registration timeout")
                    return
                if pinged:
                    connection.close(1000, "Ping timeout")
                    return
                pinged = True
                connection.send(session.raw(format_line("PING", session.source)))
                continue
            except (ConnectionError, OSError):
                return
            if not data:
                return
            pinged = False
            for item in lines.feed(data):
                session.receive(item)
                bad_in_a_row = bad_in_a_row + 1 if isinstance(item, LineError) else 0
                if bad_in_a_row >= settings.invalid_frames_before_close:
                    session.close("Too many invalid lines")
                await self._act()
                if connection.is_closing:
                    return

    async def _act(self) -> None:
        """Carry out what the session asked, in order (a reply may ask for more)."""
        session, connection, node = self.session, self.connection, self.node
        while actions := session.take():
            for kind, value in actions:
                if kind == "send":
                    connection.send(session.raw(value))
                elif kind == "close":
                    connection.close(1000, str(value))
                    return
                else:
                    try:
                        request_id, command = decode_frame(json.dumps(value))
                    except FrameError as error:
                        node.send_error(connection, error, error.request_id or value.get("id"))
                        continue
                    await node.dispatch(connection, request_id, command)


async def start_irc(node: Node) -> IrcListener | None:
    """The IRC listener, listening, when the settings ask for one (`irc_port` >= 0)."""
    if node.settings.irc_port < 0:
        return None
    listener = IrcListener(node, node.settings)
    await listener.start()
    return listener
