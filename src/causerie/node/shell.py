"""`Shell`: one client socket's life around its `Connection`, the same for every listener.

The WebSocket endpoint (ws/protocol.py) and the IRC listener (irc/transport.py) differ only in
their framing and codec; everything else about a socket is here, once:

    open        the `Connection` (its bounded buffer written through the node's `Outbox`),
                the `Inbox` that runs what the client sends in order, attached to the node,
                and the hello timer: not logged in within `hello_timeout_s`, closed (1008)
    idle        one keepalive sweep per listener (`Keepalive`) asks `keep_alive`: a client
                silent for a whole interval is pinged, one that left the ping unanswered
                until the next sweep is let go
    close       the connection's `Sink.close` comes here once its queued bytes are out: the
                adapter's goodbye (a close frame, an ERROR line), then the socket is cut off
                if the peer has not closed it within `CLOSE_WAIT_S`
    fail        an unexpected exception closes only this connection (1011), logged and
                counted, never sent
    finish      when the socket closes or is lost: what the client sent finishes, the node
                forgets the connection, its close is waited for (bounded), the adapter lets go

Each adapter supplies its side (`Adapter`): whether the client is logged in, its ping, its
goodbye, and what it holds apart from the node. The adapter stamps `seen_at` on every read (an
attribute, not a call: reads are the hot path).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from causerie.node.connections import (
    CLOSE_INTERNAL,
    CLOSE_NORMAL,
    CLOSE_POLICY,
    Connection,
    Flushing,
    Peer,
    Sink,
)
from causerie.node.inbox import Inbox, Keepalive, Readable

log = logging.getLogger(__name__)
CLOSE_WAIT_S = 5.0


class Door(Protocol):
    """What the shell needs of the node: to attach a connection and to forget it."""

    def attach(self, connection: Connection) -> None: ...

    async def detach(self, connection: Connection) -> None: ...


class Adapter(Protocol):
    """A listener's side of one socket."""

    hello_timeout_reason: str  # the close's reason when the hello timer expires
    bye_reason: str  # the close's reason when the socket ended first

    def logged_in(self) -> bool:
        """Past the hello (the web) or registration (IRC): the hello timer is done."""
        ...

    def ping(self) -> bool:
        """Ping the idle client; False if it may not be pinged now."""
        ...

    def ping_timed_out(self) -> None: ...

    def goodbye(self, code: int, reason: str) -> bool:
        """Write the protocol's last bytes; False if it had already closed."""
        ...

    def leaving(self) -> None:
        """Before the node forgets the connection."""
        ...

    def finished(self) -> None:
        """After, whatever happened: let go of what the adapter holds (limits, lists)."""
        ...


class Transport(Readable, Protocol):
    def abort(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Listening:
    """What the connections of one listener share."""

    door: Door
    outbox: Flushing
    keepalive: Keepalive
    hello_timeout_s: float
    outgoing_queue_bytes: int
    count_internal_error: Callable[[], None]
    close_wait_s: float = CLOSE_WAIT_S


class Shell:
    # Ten thousand idle connections each hold one: slots.
    __slots__ = (
        "_adapter",
        "_finisher",
        "_listening",
        "_tasks",
        "_transport",
        "connection",
        "inbox",
        "pinged_at",
        "seen_at",
        "timer",
    )

    def __init__(
        self,
        listening: Listening,
        adapter: Adapter,
        transport: Transport,
        tasks: set[asyncio.Task[None]] | None = None,
    ) -> None:
        """`tasks`: where the finish goes, for whoever waits for them when stopping."""
        self._listening = listening
        self._adapter = adapter
        self._transport = transport
        self._tasks = tasks
        self._finisher: asyncio.Task[None] | None = None
        self.connection: Connection | None = None
        self.inbox: Inbox[Any] | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.seen_at = time.monotonic()
        self.pinged_at = 0.0

    def open(
        self,
        connection_id: str,
        peer: Peer,
        sink: Sink,
        handle: Callable[[Any], Awaitable[None]],
        on_failure: Callable[[], None],
    ) -> Connection:
        """The connection, attached to the node, its hello timed, kept alive."""
        listening = self._listening
        connection = self.connection = Connection(
            connection_id, peer, listening.outgoing_queue_bytes, sink, listening.outbox
        )
        self.inbox = Inbox(handle, on_failure, self._transport)
        listening.door.attach(connection)
        connection.start()
        loop = asyncio.get_running_loop()
        self.timer = loop.call_later(listening.hello_timeout_s, self._hello_expired)
        listening.keepalive.add(self)
        return connection

    def _hello_expired(self) -> None:
        self.timer = None
        connection = self.connection
        if connection is not None and not connection.is_closing and not self._adapter.logged_in():
            connection.close(CLOSE_POLICY, self._adapter.hello_timeout_reason)

    def check_hello(self) -> None:
        """Logged in: the hello timer's handle (~600 bytes) goes now, not after
        `hello_timeout_s` (10,000 logins at once held 6 MB of them). Adapters call this only
        while `timer` is set. While closing, the timer is the abort's."""
        timer, connection = self.timer, self.connection
        if timer is None or connection is None or connection.is_closing:
            return
        if self._adapter.logged_in():
            timer.cancel()
            self.timer = None

    def keep_alive(self, now: float, interval_s: float) -> None:
        if self.connection is None:
            return
        if self.pinged_at and self.seen_at < self.pinged_at:
            self._adapter.ping_timed_out()  # the ping of the last sweep is still unanswered
        elif now - self.seen_at >= interval_s and self._adapter.ping():
            self.pinged_at = now

    def lost(self) -> None:
        """The socket is gone (asyncio's `connection_lost`)."""
        self._listening.keepalive.discard(self)
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        self.start_finish()

    # -- closing ------------------------------------------------------------------------------

    def close(self, code: int, reason: str) -> None:
        """The connection's close (its `Sink.close`), after its queued output: the adapter's
        goodbye, then wait for the peer to close, and the session leaves now, not when the
        socket is gone."""
        if not self._adapter.goodbye(code, reason):
            return
        self.cut_off_later()
        self.start_finish()

    def cut_off_later(self) -> None:
        """Abort the socket if the peer has not closed it within `close_wait_s`."""
        if self.timer is not None:
            self.timer.cancel()
        loop = asyncio.get_running_loop()
        self.timer = loop.call_later(self._listening.close_wait_s, self._transport.abort)

    def fail(self, message: str) -> None:
        """An exception (a bug): logged here with `message` (`%s` is the connection's id),
        counted, and only this connection closed."""
        connection = self.connection
        connection_id = connection.id if connection is not None else "-"
        log.exception(
            message,
            connection_id,
            extra={
                "connection": connection_id,
                "session": connection.session if connection is not None else None,
            },
        )
        self._listening.count_internal_error()
        if connection is not None:
            connection.close(CLOSE_INTERNAL, "internal error")
        else:
            self._transport.abort()

    def start_finish(self) -> None:
        connection = self.connection
        if connection is None or self._finisher is not None:
            return
        task = self._finisher = asyncio.get_running_loop().create_task(self._finish(connection))
        tasks = self._tasks
        if tasks is not None:
            tasks.add(task)
            task.add_done_callback(tasks.discard)

    async def _finish(self, connection: Connection) -> None:
        adapter = self._adapter
        try:
            if self.inbox is not None:
                await self.inbox.drained()
            adapter.leaving()
            await self._listening.door.detach(connection)
            connection.close(CLOSE_NORMAL, adapter.bye_reason)
            await connection.finish(timeout_s=self._listening.close_wait_s)
        finally:
            adapter.finished()
