"""A live client connection, whatever its protocol, with a bounded outgoing buffer.

Frames are queued without awaiting, so fan-out to a room never waits on one slow reader. When a
client stops reading and its pending bytes pass the bound, it is closed with 4001 ("too slow")
instead of growing memory or delaying the room; it can come back and `resume`.

Two ways out, chosen by the transport:
- with a `Sink` (the fast path): each frame arrives already in wire form (fan-out encodes it
  once for all recipients), is appended to this connection's buffer, and the `Outbox` writes
  every dirty buffer with one `write` per connection once per loop iteration (coalescing). The
  bound covers both our buffer and the socket's; a client still not reading
  `TOO_SLOW_GRACE_S` after its close frame was queued is cut off (the bytes held for it are
  freed).
- without one: a writer task drains a queue of text frames through `send_text`.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Hashable, Iterable
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


def frame_size(frame: str) -> int:
    """Bytes a frame takes on the wire; fan-out computes it once for all recipients."""
    return len(frame) if frame.isascii() else len(frame.encode())


class Sink(Protocol):
    """Where a connection's coalesced bytes go (the WebSocket's `ws.protocol.WebSocketProtocol`,
    the IRC listener's `irc.transport.IrcSink`; both are `TransportSink`s)."""

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
        """Let the close frame through even while the socket's buffer is over its mark."""
        ...


class TransportSink:
    """The `Sink` methods every transport over an asyncio socket shares (`_transport` is the
    socket); a subclass adds `kind`, `encode` and `write`."""

    __slots__ = ()
    _transport: asyncio.Transport

    def buffered_bytes(self) -> int:
        return int(self._transport.get_write_buffer_size())

    def abort(self) -> None:
        self._transport.abort()

    def prepare_close(self) -> None:
        """Nothing holds our writes back: the closing bytes queue behind the rest."""


class Run:
    """Frames for one unchanged list of recipients (a room), gathered in one loop iteration
    and handed to each recipient once, joined: per message the work no longer grows with the
    room; per recipient it is one append per iteration instead of one per message.

    Order holds because anything else bound for a member (an ack, a reply, a close) first
    hands that member what the run holds so far (`give`); the run goes on for everyone, and
    that member gets only the later frames at its end. A member that leaves some frames out
    (`Connection.leave_out`: an IRC client's own echo) is asked about each one and gets the
    others joined.
    """

    __slots__ = (
        "count",
        "frames",
        "given",
        "key",
        "members",
        "others",
        "sinks",
        "size",
        "skipped",
        "watchers",
        "wires",
    )

    def __init__(self, key: Hashable) -> None:
        self.key = key
        # With a sink, and the kind of bytes they take (a kind that changes ends the run:
        # `Connection.kind_changed`).
        self.members: dict[Connection, str] = {}
        self.given: dict[Connection, int] = {}  # frames already handed to a member (`give`)
        self.others: list[Connection] = []  # without one: sent each frame as it comes
        self.sinks: dict[str, Sink] = {}  # one sink of each kind, to encode with
        self.wires: dict[str, list[bytes]] = {}
        self.watchers: list[Connection] = []  # members that may leave frames out
        self.skipped: dict[Connection, set[int]] = {}  # the frames each left out
        self.frames = 0
        self.count = 0  # recipients given each frame
        self.size = 0  # bytes gathered for the largest kind

    def add(self, envelope: Envelope) -> None:
        for connection in self.others:
            connection.send(envelope)
        largest = 0
        for kind, sink in self.sinks.items():
            wire = envelope.wire(kind, sink.encode)
            self.wires[kind].append(wire)
            largest = max(largest, len(wire))
        for watcher in self.watchers:
            leaves_out = watcher._leaves_out
            if leaves_out is not None and leaves_out(envelope):
                self.skipped.setdefault(watcher, set()).add(self.frames)
        self.frames += 1
        self.size += largest

    def give(self, connection: Connection) -> None:
        """Hand one member what the run gathered so far, before something else for it."""
        start = self.given.get(connection, 0)
        self.given[connection] = self.frames
        if self.frames > start and connection._close_request is None:
            connection._append(self._part(connection, self.members[connection], start))

    def hand_out(self, dirty: list[Connection], writing: bool = False) -> None:
        """Append the joined frames to each member's buffer (`dirty`: the outbox's list).

        `writing`: the outbox is flushing. A member with nothing else queued is then written
        to at once, the commonest case of a busy room.
        """
        joined = {kind: b"".join(wires) for kind, wires in self.wires.items()}
        given, skipped = self.given, self.skipped
        for connection, kind in self.members.items():
            connection._run = None
            if connection._close_request is not None or not self.size:
                continue
            if (given and connection in given) or (skipped and connection in skipped):
                start = given.get(connection, 0)
                if start == self.frames:
                    continue
                data = self._part(connection, kind, start)
            else:
                data = joined[kind]
            if writing and not connection._out:
                connection._write(data)
            else:
                connection._append(data, dirty)

    def _part(self, connection: Connection, kind: str, start: int) -> bytes:
        """The frames from `start` on, for one member, without those it leaves out."""
        wires = self.wires[kind]
        left_out = self.skipped.get(connection)
        if left_out is None:
            return b"".join(wires[start:])
        return b"".join(w for i, w in enumerate(wires[start:], start) if i not in left_out)


class Outbox:
    """The connections with something to write, flushed together once per loop iteration,
    and the `Run` of room frames being gathered."""

    def __init__(self) -> None:
        self._dirty: list[Connection] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self.run: Run | None = None

    def dirty(self) -> list[Connection]:
        """The list to append newly dirty connections to; its flush is scheduled."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new loop (tests run one each): nothing carries over
            self._loop, self._dirty, self.run = loop, [], None
        if not self._dirty and self.run is None:
            loop.call_soon(self.flush)
        return self._dirty

    def start_run(self, key: Hashable, connections: Iterable[Connection | None]) -> Run:
        self.end_run()
        self.dirty()  # the flush that will end this run
        run = self.run = Run(key)
        for connection in connections:
            if connection is None:
                continue
            run.count += 1
            if connection._close_request is not None:
                continue
            sink = connection._sink
            if sink is None:
                run.others.append(connection)
                continue
            kind = sink.kind
            if kind not in run.sinks:
                run.sinks[kind] = sink
                run.wires[kind] = []
            connection._run = run
            run.members[connection] = kind
            if connection._leaves_out is not None:
                run.watchers.append(connection)
        return run

    def end_run(self) -> None:
        """Give every member of the run what it gathered (before anything else for them)."""
        run, self.run = self.run, None
        if run is not None:
            run.hand_out(self.dirty())

    def flush(self) -> None:
        run, self.run = self.run, None
        if run is not None:
            run.hand_out(self._dirty, writing=True)
        dirty, self._dirty = self._dirty, []
        for connection in dirty:
            connection.flush()


OUTBOX = Outbox()


def send_to_all(
    connections: Iterable[Connection | None], envelope: Envelope, same_as: Hashable = None
) -> int:
    """One frame to many connections (None are skipped); returns how many were given it.

    The hot loop of a busy room: the frame's size and its wire form (once per kind of sink)
    are computed once. `same_as`, when given, names the list of recipients (a room and the
    versions of its members): frames for the same list in one loop iteration are gathered in
    a `Run` and each recipient gets them joined, so `connections` is only walked when the
    list changes. Without it, the same bytes are appended to each recipient's buffer.
    """
    if same_as is not None:
        run = OUTBOX.run
        if run is None or run.key != same_as:
            run = OUTBOX.start_run(same_as, connections)
        run.add(envelope)
        if run.size >= FLUSH_AT_BYTES:  # a long loop iteration: write now
            OUTBOX.end_run()
        return run.count
    OUTBOX.end_run()
    wires: dict[str, tuple[bytes, int]] = {}
    dirty: list[Connection] | None = None
    count = 0
    for connection in connections:
        if connection is None:
            continue
        count += 1
        if connection._close_request is not None:
            continue
        sink = connection._sink
        if sink is None:
            connection.send(envelope)
            continue
        wire_and_size = wires.get(sink.kind)
        if wire_and_size is None:
            wire = envelope.wire(sink.kind, sink.encode)
            wire_and_size = wires[sink.kind] = (wire, len(wire))
        out = connection._out
        if not out:
            if dirty is None:
                dirty = OUTBOX.dirty()
            dirty.append(connection)
        if connection._leaves_out is not None and connection._leaves_out(envelope):
            out.append(b"")  # still a write, which settles what it left out
            continue
        out.append(wire_and_size[0])
        connection._pending += wire_and_size[1]
        if connection._pending >= FLUSH_AT_BYTES:
            connection.flush()
    return count


@dataclass(frozen=True, slots=True)
class Peer:
    """Who is at the other end, for the connection record."""

    origin: Origin
    device: str
    user_agent: str
    protocol: str


class Connection:
    # Ten thousand idle connections each hold one: slots, and the writer's queue and event
    # only for connections that use them (a sink's connection needs them only to close).
    __slots__ = (
        "_close",
        "_close_request",
        "_is_started",
        "_leaves_out",
        "_max_pending",
        "_out",
        "_pending",
        "_queue",
        "_run",
        "_send_text",
        "_sink",
        "_wakeup",
        "_writer",
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
        send_text: Callable[[str], Awaitable[None]],
        close: Callable[[int, str], Awaitable[None]],
        max_pending_bytes: int,
        sink: Sink | None = None,
    ) -> None:
        self.id = connection_id
        self.peer = peer
        self.session: str | None = None
        self.lang = "fr"
        self._send_text = send_text
        self._close = close
        self._max_pending = max_pending_bytes
        self._queue: deque[tuple[str, int]] | None = None
        self._pending = 0
        self._wakeup: asyncio.Event | None = None
        self._close_request: tuple[int, str] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._sink = sink
        self._out: list[bytes] = []
        self._run: Run | None = None  # the run of room frames gathered for it, if any
        self._leaves_out: Callable[[Envelope], bool] | None = None  # see `leave_out`
        self._is_started = False
        self.on_too_slow: Callable[[], None] = lambda: None
        # Refusals the node counts as bad frames (a failed staff login): the transport closes
        # a connection that piles them up (`invalid_frames_before_close`).
        self.strikes = 0
        # The person left on purpose (a WebSocket close 1000 or without a code, IRC's QUIT):
        # their session ends now, it does not wait for a resume (node/sessions.py).
        self.is_quitting = False

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
        if self._sink is not None:
            gathered = self._run.size if self._run is not None else 0
            return gathered + self._pending + self._sink.buffered_bytes()
        return self._pending

    def send(self, envelope: Envelope) -> None:
        """Queue an event; never blocks. A reader too far behind is closed, not waited for."""
        if self._close_request is not None:
            return
        if self._run is not None:
            self._run.give(self)  # what the room said before this comes first
        sink = self._sink
        if sink is not None:
            leaves_out = self._leaves_out
            if leaves_out is not None and leaves_out(envelope):
                self._append(b"")
            else:
                self._append(envelope.wire(sink.kind, sink.encode))
            return
        frame = envelope.text
        size = frame_size(frame)
        if self._pending + size > self._max_pending:
            self._too_slow()
            return
        if self._queue is None:
            self._queue = deque()
        self._queue.append((frame, size))
        self._pending += size
        self._wake()

    def _append(self, data: bytes, dirty: list[Connection] | None = None) -> None:
        """Bytes for the sink, written by the next flush (`dirty`: the outbox's list, when
        the caller has it)."""
        out = self._out
        if not out:
            (OUTBOX.dirty() if dirty is None else dirty).append(self)
        out.append(data)
        self._pending += len(data)
        if self._pending >= FLUSH_AT_BYTES:  # a long loop iteration: write now, and
            self.flush()  # let the socket's backlog tell whether the reader keeps up

    def kind_changed(self) -> None:
        """The sink's kind changed (an IRC client's capabilities): bytes gathered under the
        old kind are handed out, and later frames are encoded for the new one."""
        if self._run is not None:
            OUTBOX.end_run()

    def leave_out(self, leaves_out: Callable[[Envelope], bool] | None) -> None:
        """Frames this connection leaves out of what its kind gets, asked frame by frame
        while set (an IRC client without echo-message and its own message: the others get
        it, and the run goes on)."""
        self._leaves_out = leaves_out
        run = self._run
        if leaves_out is not None and run is not None and self not in run.watchers:
            run.watchers.append(self)

    def _wake(self) -> None:
        if self._wakeup is None:
            self._wakeup = asyncio.Event()
        self._wakeup.set()

    def flush(self) -> None:
        """Write the coalesced buffer in one go (the `Outbox` calls this)."""
        if self._run is not None:
            self._run.give(self)
        out, sink = self._out, self._sink
        if not out or sink is None:
            return
        data = out[0] if len(out) == 1 else b"".join(out)
        out.clear()
        self._pending = 0
        self._write(data)

    def _write(self, data: bytes) -> None:
        """To the sink, with nothing of ours queued before it."""
        sink = self._sink
        assert sink is not None
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
        if self._queue is not None:
            self._queue.clear()
        self._out.clear()
        self._pending = 0
        self.close(CLOSE_TOO_SLOW, "too slow")
        if self._writer is not None and self._sink is None:
            self._writer.cancel()  # it may be stuck writing to a reader that stopped
        if self._sink is not None:
            # The close frame waits behind what the socket holds; a reader that never comes
            # back must not keep those bytes forever.
            asyncio.get_running_loop().call_later(TOO_SLOW_GRACE_S, self._sink.abort)

    def close(self, code: int, reason: str) -> None:
        """Ask the writer to send what is queued (unless too slow), then close."""
        if self._close_request is None:
            self.flush()  # may find the reader too slow, which closes with 4001 instead
        if self._close_request is None:
            self._close_request = (code, reason)
            self._wake()
            if self._is_started and self._writer is None:  # a sink's connection closes now
                self._writer = asyncio.get_running_loop().create_task(self.run_writer())

    def start(self) -> None:
        """Start writing. Text frames need a writer task for the life of the connection; a
        connection with a sink writes from the `Outbox` and needs a task only to close."""
        self._is_started = True
        if self._writer is None and (self._sink is None or self._close_request is not None):
            self._writer = asyncio.get_running_loop().create_task(self.run_writer())

    async def finish(self, timeout_s: float) -> None:
        """After the transport ended: let the writer close it (bounded), then let go."""
        writer = self._writer
        if writer is None:
            return
        with suppress(asyncio.TimeoutError, Exception):
            await asyncio.wait_for(writer, timeout_s)
        if not writer.done():
            writer.cancel()

    async def run_writer(self) -> None:
        """Drain the queue until a close is asked; then close the transport."""
        self._writer = asyncio.current_task()
        if self._wakeup is None:
            self._wakeup = asyncio.Event()
        try:
            while True:
                await self._wakeup.wait()
                self._wakeup.clear()
                while self._queue:
                    frame, size = self._queue.popleft()
                    self._pending -= size
                    await self._send_text(frame)
                if self._close_request is not None:
                    break
        except asyncio.CancelledError:
            if self._close_request != (CLOSE_TOO_SLOW, "too slow"):
                raise
        code, reason = self._close_request
        if self._sink is not None:
            self._sink.prepare_close()
        await self._close(code, reason)
