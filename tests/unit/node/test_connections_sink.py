"""The fast path of a connection: frames in wire form, coalesced into one write per loop
iteration, the same bytes shared by every recipient, and the bound on pending bytes covering
what the socket has not taken yet."""

from __future__ import annotations

import asyncio

from causerie.node.connections import CLOSE_NORMAL, CLOSE_TOO_SLOW, Connection, Peer
from causerie.node.envelope import Envelope
from causerie.node.outbox import Outbox
from causerie.store.base import Origin

PEER = Peer(Origin("127.0.0.1", 50_000), "device-1", "pytest", "ws")


class FakeSink:
    kind = "fake"

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.backlog = 0  # bytes the "socket" has not taken
        self.encoded = 0
        self.aborted = False
        self.prepared = False
        self.closes: list[tuple[int, str]] = []

    def encode(self, envelope: Envelope) -> bytes:
        text = envelope.text
        self.encoded += 1
        return b"<" + text.encode() + b">"

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def buffered_bytes(self) -> int:
        return self.backlog

    def abort(self) -> None:
        self.aborted = True

    def prepare_close(self) -> None:
        self.prepared = True

    def close(self, code: int, reason: str) -> None:
        self.closes.append((code, reason))


def _connection(sink: FakeSink, bound: int = 1 << 20, outbox: Outbox | None = None) -> Connection:
    connection = Connection("c1", PEER, bound, sink, outbox or Outbox())
    connection.start()
    return connection


async def test_sends_in_one_iteration_coalesced_into_one_write() -> None:
    sink = FakeSink()
    connection = _connection(sink)
    for text in ("a", "b", "c"):
        connection.send(Envelope.of_text(text))
    assert sink.writes == []
    await asyncio.sleep(0)
    assert sink.writes == [b"<a><b><c>"]
    assert connection.pending_bytes == 0


async def test_send_to_all_encodes_once_for_every_recipient() -> None:
    sink = FakeSink()
    outbox = Outbox()
    connections = [_connection(sink, outbox=outbox) for _ in range(5)]
    closed = _connection(sink, outbox=outbox)
    closed.close(CLOSE_NORMAL, "bye")
    assert outbox.send_to_all([*connections, None, closed], Envelope.of_text("salut")) == 6
    await asyncio.sleep(0)
    assert sink.encoded == 1
    assert sink.writes == [b"<salut>"] * 5, "the closed one and the gap get nothing"


async def test_socket_backlog_past_bound_closes_too_slow_and_aborts_later() -> None:
    sink = FakeSink()
    connection = _connection(sink, bound=100)
    sink.backlog = 101
    connection.send(Envelope.of_text("x"))
    await asyncio.sleep(0)
    await connection.finish(1)
    assert sink.closes == [(CLOSE_TOO_SLOW, "too slow")]
    assert sink.prepared, "the close frame is let through the full socket"
    connection.send(Envelope.of_text("after"))
    await asyncio.sleep(0)
    assert sink.writes == [b"<x>"], "nothing more is queued for a closed reader"


async def test_long_iteration_writes_at_flush_threshold_instead_of_closing() -> None:
    sink = FakeSink()
    connection = _connection(sink, bound=128 * 1024)
    frame = "y" * 1000
    for _ in range(200):  # ~200 KB in one loop iteration, more than the bound
        connection.send(Envelope.of_text(frame))
    assert sink.writes, "written before the iteration ends"
    assert not connection.is_closing
    await asyncio.sleep(0)
    assert sum(len(w) for w in sink.writes) == 200 * 1002


async def test_close_flushes_what_is_pending_first() -> None:
    sink = FakeSink()
    connection = _connection(sink)
    connection.send(Envelope.of_text("dernier"))
    connection.close(CLOSE_NORMAL, "bye")
    await connection.finish(1)
    assert sink.writes == [b"<dernier>"]
    assert sink.closes == [(CLOSE_NORMAL, "bye")]
