"""The node's `Outbox`: the connections with something to write, flushed together once per
loop iteration, and the `Run` of room frames being gathered for them.

One per node, owned by its fan-out (node/fanout.py) and given to every `Connection` the
transports open (`Node.outbox`). `send_to_all` is the hot loop of a busy room: a frame's wire
form is computed once per kind of sink, and while a room's members stay the same, the frames
of one loop iteration reach each of them joined (`Run`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable, Iterable

from causerie.node.connections import FLUSH_AT_BYTES, Connection, Sink
from causerie.node.envelope import Envelope


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
        "sinks",
        "size",
        "skipped",
        "watchers",
        "wires",
    )

    def __init__(self, key: Hashable) -> None:
        self.key = key
        # And the kind of bytes each takes (a kind that changes ends the run:
        # `Connection.kind_changed`).
        self.members: dict[Connection, str] = {}
        self.given: dict[Connection, int] = {}  # frames already handed to a member (`give`)
        self.sinks: dict[str, Sink] = {}  # one sink of each kind, to encode with
        self.wires: dict[str, list[bytes]] = {}
        self.watchers: list[Connection] = []  # members that may leave frames out
        self.skipped: dict[Connection, set[int]] = {}  # the frames each left out
        self.frames = 0
        self.count = 0  # recipients given each frame
        self.size = 0  # bytes gathered for the largest kind

    def add(self, envelope: Envelope) -> None:
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

    def watch(self, connection: Connection) -> None:
        """A member that may leave frames out from now on: asked about each later one."""
        if connection not in self.watchers:
            self.watchers.append(connection)

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
        self.run: Run | None = None

    def dirty(self) -> list[Connection]:
        """The list to append newly dirty connections to; its flush is scheduled."""
        if not self._dirty and self.run is None:
            asyncio.get_running_loop().call_soon(self.flush)
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

    def send_to_all(
        self,
        connections: Iterable[Connection | None],
        envelope: Envelope,
        same_as: Hashable = None,
    ) -> int:
        """One frame to many connections (None are skipped); returns how many were given it.

        The hot loop of a busy room: the frame's size and its wire form (once per kind of sink)
        are computed once. `same_as`, when given, names the list of recipients (a room and the
        versions of its members): frames for the same list in one loop iteration are gathered in
        a `Run` and each recipient gets them joined, so `connections` is only walked when the
        list changes. Without it, the same bytes are appended to each recipient's buffer.
        """
        if same_as is not None:
            run = self.run
            if run is None or run.key != same_as:
                run = self.start_run(same_as, connections)
            run.add(envelope)
            if run.size >= FLUSH_AT_BYTES:  # a long loop iteration: write now
                self.end_run()
            return run.count
        self.end_run()
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
            wire_and_size = wires.get(sink.kind)
            if wire_and_size is None:
                wire = envelope.wire(sink.kind, sink.encode)
                wire_and_size = wires[sink.kind] = (wire, len(wire))
            out = connection._out
            if not out:
                if dirty is None:
                    dirty = self.dirty()
                dirty.append(connection)
            if connection._leaves_out is not None and connection._leaves_out(envelope):
                out.append(b"")  # still a write, which settles what it left out
                continue
            out.append(wire_and_size[0])
            connection._pending += wire_and_size[1]
            if connection._pending >= FLUSH_AT_BYTES:
                connection.flush()
        return count
