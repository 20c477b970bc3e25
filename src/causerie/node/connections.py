"""A live client connection, whatever its protocol, with a bounded outgoing buffer.

Frames are queued without awaiting, so fan-out to a room never waits on one slow reader. Each
arrives already in wire form (fan-out encodes it once for all recipients of a kind, through the
connection's `Sink`), is appended to this connection's buffer, and the node's `Outbox`
(node/outbox.py) writes every dirty buffer with one `write` per connection once per loop
iteration (coalescing). When a client stops reading and its pending bytes (our buffer and the
socket's) pass the bound, it is closed with 4001 ("too slow") instead of growing memory or
delaying the room; it can come back and `resume`. A client still not reading
`TOO_SLOW_GRACE_S` after its close was queued is cut off (the bytes held for it are freed).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Protocol

from causerie.node.envelope import Envelope
from causerie.store.base import Origin

log = logging.getLogger(__name__)
TOO_SLOW_GRACE_S = 5.0
FLUSH_AT_BYTES = 64 * 1024

CLOSE_NORMAL = 1000
CLOSE_POLICY = 1008
CLOSE_INTERNAL = 1011
CLOSE_RESTART = 1012
CLOSE_TOO_SLOW = 4001
CLOSE_TAKEN_OVER = 4002
CLOSE_BANNED = 4003
CLOSE_KICKED = 4004
CLOSE_TOO_MANY = 4005  # too many connections or logins from one address or device


class Sink(Protocol):
    """Where a connection's coalesced bytes go, and how it ends (the WebSocket's
    `ws.protocol.WebSocketProtocol`, the IRC listener's `irc.transport.IrcSink`; both are
    `TransportSink`s around a `node.shell.Shell`)."""

    kind: str  # sinks of one kind share the wire form of a frame

    def encode(self, envelope: Envelope) -> bytes:
        """The wire form of one event (its JSON frame for the WebSocket, lines for IRC)."""
        ...

    def write(self, data: bytes) -> None: ...

    def buffered_bytes(self) -> int:
        """Bytes written but not yet taken by the socket."""
        ...

    def abort(self) -> None: ...

    def prepare_close(self) -> None:
        """Let the close through even while the socket's buffer is over its mark."""
        ...

    def close(self, code: int, reason: str) -> None:
        """After everything queued: the protocol's goodbye (a close frame, an ERROR line)."""
        ...


class TransportSink:
    """The `Sink` methods every transport over an asyncio socket shares (`_transport` is the
    socket); a subclass adds `kind`, `encode`, `write` and `close`."""

    __slots__ = ()
    _transport: asyncio.Transport

    def buffered_bytes(self) -> int:
        return int(self._transport.get_write_buffer_size())

    def abort(self) -> None:
        self._transport.abort()

    def prepare_close(self) -> None:
        """Nothing holds our writes back: the closing bytes queue behind the rest."""


class Gathering(Protocol):
    """The room run a connection is in while its frames are gathered (`outbox.Run`)."""

    size: int  # bytes gathered so far, counted as pending

    def give(self, connection: Connection) -> None:
        """Hand this member what was gathered so far, before something else for it."""
        ...

    def watch(self, connection: Connection) -> None:
        """Ask this member about each later frame (it may leave some out)."""
        ...


class Flushing(Protocol):
    """The node's writer of dirty buffers (`outbox.Outbox`)."""

    def dirty(self) -> list[Connection]:
        """The list to append a newly dirty connection to; its flush is scheduled."""
        ...

    def end_run(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Peer:
    """Who is at the other end, for the connection record."""

    origin: Origin
    device: str
    user_agent: str
    protocol: str


class Connection:
    # Ten thousand idle connections each hold one: slots, and a task only to close.
    __slots__ = (
        "_close_request",
        "_closer",
        "_is_started",
        "_leaves_out",
        "_max_pending",
        "_out",
        "_outbox",
        "_pending",
        "_run",
        "_sink",
        "farewell",
        "id",
        "is_quitting",
        "lang",
        "on_too_slow",
        "peer",
        "session",
        "strikes",
    )

    def __init__(
        self,
        connection_id: str,
        peer: Peer,
        max_pending_bytes: int,
        sink: Sink,
        outbox: Flushing,
    ) -> None:
        self.id = connection_id
        self.peer = peer
        self.session: str | None = None
        self.lang = "fr"
        self._max_pending = max_pending_bytes
        self._pending = 0
        self._close_request: tuple[int, str] | None = None
        self._closer: asyncio.Task[None] | None = None
        self._sink = sink
        self._outbox = outbox
        self._out: list[bytes] = []
        self._run: Gathering | None = None  # the run of room frames gathered for it, if any
        self._leaves_out: Callable[[Envelope], bool] | None = None  # see `leave_out`
        self._is_started = False
        self.on_too_slow: Callable[[], None] = lambda: None
        # Refusals the node counts as bad frames (a failed staff login): the transport closes
        # a connection that piles them up (`invalid_frames_before_close`).
        self.strikes = 0
        # The person left on purpose (a WebSocket close 1000 or without a code, IRC's QUIT):
        # their session ends now, it does not wait for a resume (node/sessions.py).
        self.is_quitting = False
        self.farewell = ""  # their leaving words (IRC `QUIT :text`), shown where they pass

    def strike(self) -> None:
        self.strikes += 1

    @property
    def is_closing(self) -> bool:
        return self._close_request is not None

    @property
    def close_code(self) -> int | None:
        """The code this node closed the connection with (None: it did not close it)."""
        return self._close_request[0] if self._close_request is not None else None

    @property
    def pending_bytes(self) -> int:
        gathered = self._run.size if self._run is not None else 0
        return gathered + self._pending + self._sink.buffered_bytes()

    @property
    def reads_events_alone(self) -> bool:
        """Whether its sink renders a person's events in light of its own state (IRC: what
        a room change means depends on the channels it is in), so that one event for many
        people must be encoded for it alone rather than shared with its kind."""
        return bool(getattr(self._sink, "reads_events_alone", False))

    def send(self, envelope: Envelope) -> None:
        """Queue an event; never blocks. A reader too far behind is closed, not waited for."""
        if self._close_request is not None:
            return
        if self._run is not None:
            self._run.give(self)  # what the room said before this comes first
        sink = self._sink
        leaves_out = self._leaves_out
        if leaves_out is not None and leaves_out(envelope):
            self._append(b"")
        else:
            self._append(envelope.wire(sink.kind, sink.encode))

    def _append(self, data: bytes, dirty: list[Connection] | None = None) -> None:
        """Bytes for the sink, written by the next flush (`dirty`: the outbox's list, when
        the caller has it)."""
        out = self._out
        if not out:
            (self._outbox.dirty() if dirty is None else dirty).append(self)
        out.append(data)
        self._pending += len(data)
        if self._pending >= FLUSH_AT_BYTES:  # a long loop iteration: write now, and
            self.flush()  # let the socket's backlog tell whether the reader keeps up

    def kind_changed(self) -> None:
        """The sink's kind changed (an IRC client's capabilities): bytes gathered under the
        old kind are handed out, and later frames are encoded for the new one."""
        if self._run is not None:
            self._outbox.end_run()

    def leave_out(self, leaves_out: Callable[[Envelope], bool] | None) -> None:
        """Frames this connection leaves out of what its kind gets, asked frame by frame
        while set (an IRC client without echo-message and its own message: the others get
        it, and the run goes on)."""
        self._leaves_out = leaves_out
        run = self._run
        if leaves_out is not None and run is not None:
            run.watch(self)

    def flush(self) -> None:
        """Write the coalesced buffer in one go (the `Outbox` calls this)."""
        if self._run is not None:
            self._run.give(self)
        out = self._out
        if not out:
            return
        data = out[0] if len(out) == 1 else b"".join(out)
        out.clear()
        self._pending = 0
        self._write(data)

    def _write(self, data: bytes) -> None:
        """To the sink, with nothing of ours queued before it."""
        sink = self._sink
        sink.write(data)
        if self._close_request is None and sink.buffered_bytes() > self._max_pending:
            self._too_slow()

    def _too_slow(self) -> None:
        log.info(
            "connection %s too slow (%d bytes pending), closing",
            self.id,
            self.pending_bytes,
            extra={"connection": self.id, "session": self.session},
        )
        self.on_too_slow()
        self._out.clear()
        self._pending = 0
        self.close(CLOSE_TOO_SLOW, "too slow")
        # The close waits behind what the socket holds; a reader that never comes back must
        # not keep those bytes forever.
        asyncio.get_running_loop().call_later(TOO_SLOW_GRACE_S, self._sink.abort)

    def close(self, code: int, reason: str) -> None:
        """Write what is queued (unless too slow), then close: in a task of its own, so that
        the caller's own turn of the loop ends first."""
        if self._close_request is None:
            self.flush()  # may find the reader too slow, which closes with 4001 instead
        if self._close_request is None:
            self._close_request = (code, reason)
            if self._is_started:
                self._closer = asyncio.get_running_loop().create_task(self._closing())

    def start(self) -> None:
        """The transport is ready: a close asked before now happens now."""
        self._is_started = True
        if self._closer is None and self._close_request is not None:
            self._closer = asyncio.get_running_loop().create_task(self._closing())

    async def finish(self, timeout_s: float) -> None:
        """After the transport ended: let the close finish (bounded), then let go."""
        closer = self._closer
        if closer is None:
            return
        with suppress(asyncio.TimeoutError, Exception):
            await asyncio.wait_for(closer, timeout_s)
        if not closer.done():
            closer.cancel()

    async def _closing(self) -> None:
        assert self._close_request is not None
        code, reason = self._close_request
        sink = self._sink
        sink.prepare_close()
        sink.close(code, reason)
