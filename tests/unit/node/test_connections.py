"""A connection's bounded outgoing buffer: frames go out in order; a reader too far behind is
closed with 4001 "too slow", nothing more is queued for it and the bytes its socket holds are
dropped after a grace, instead of holding up the room."""

from __future__ import annotations

import asyncio

import pytest

from causerie.node import connections
from causerie.node.connections import CLOSE_NORMAL, CLOSE_TOO_SLOW, Connection, Peer
from causerie.node.envelope import Envelope
from causerie.node.outbox import Outbox
from causerie.store.base import Origin

PEER = Peer(Origin("127.0.0.1", 50_000), "device-1", "pytest", "ws")


class FakeSink:
    """A socket that records what it is given, in order; `held`: its reader stopped, so every
    byte written stays in its buffer."""

    kind = "fake"

    def __init__(self, *, held: bool = False) -> None:
        self.held = held
        self.log: list[tuple[str, object]] = []
        self.backlog = 0
        self.prepared = False
        self.aborted = False

    @property
    def sent(self) -> bytes:
        return b"".join(data for what, data in self.log if what == "write")  # type: ignore[misc]

    @property
    def closed(self) -> list[object]:
        return [detail for what, detail in self.log if what == "close"]

    def encode(self, envelope: Envelope) -> bytes:
        return envelope.text.encode()

    def write(self, data: bytes) -> None:
        self.log.append(("write", data))
        if self.held:
            self.backlog += len(data)

    def buffered_bytes(self) -> int:
        return self.backlog

    def abort(self) -> None:
        self.aborted = True
        self.backlog = 0

    def prepare_close(self) -> None:
        self.prepared = True

    def close(self, code: int, reason: str) -> None:
        self.log.append(("close", (code, reason)))


def _connection(sink: FakeSink, max_pending_bytes: int = 1 << 20) -> Connection:
    connection = Connection("c1", PEER, max_pending_bytes, sink, Outbox())
    connection.start()
    return connection


async def _spin(turns: int = 5) -> None:
    for _ in range(turns):
        await asyncio.sleep(0)


async def test_frames_go_out_in_order_and_close_comes_last() -> None:
    sink = FakeSink()
    connection = _connection(sink)

    for n in range(5):
        connection.send(Envelope.of_text(f'{{"n": {n}}}'))
    await _spin()
    connection.send(Envelope.of_text('{"n": 5}'))
    await _spin()

    assert sink.sent == b"".join(f'{{"n": {n}}}'.encode() for n in range(6))
    assert connection.pending_bytes == 0
    assert sink.closed == []
    connection.close(CLOSE_NORMAL, "bye")
    await connection.finish(1)
    assert sink.log[-1] == ("close", (CLOSE_NORMAL, "bye"))


async def test_send_counts_pending_until_written() -> None:
    sink = FakeSink()
    connection = _connection(sink)

    connection.send(Envelope.of_text("abc"))
    connection.send(Envelope.of_text("de"))

    assert connection.pending_bytes == 5
    await _spin()
    assert connection.pending_bytes == 0
    assert sink.sent == b"abcde"


async def test_send_up_to_bound_kept() -> None:
    sink = FakeSink(held=True)
    connection = _connection(sink, max_pending_bytes=10)

    connection.send(Envelope.of_text("x" * 4))
    connection.send(Envelope.of_text("y" * 6))
    await _spin()

    assert connection.pending_bytes == 10  # all in the socket, which the reader left
    assert not connection.is_closing


async def test_past_bound_closes_too_slow_and_drops_what_is_held(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(connections, "TOO_SLOW_GRACE_S", 0.0)
    sink = FakeSink(held=True)
    connection = _connection(sink, max_pending_bytes=10)
    connection.send(Envelope.of_text("first"))
    await _spin()  # the client stopped reading here
    connection.send(Envelope.of_text("abcdef"))

    await _spin()  # 5 + 6 > 10

    assert connection.is_closing
    assert sink.closed == [(CLOSE_TOO_SLOW, "too slow")]
    assert sink.prepared, "the close is let through the full socket"
    connection.send(Envelope.of_text("after"))
    await _spin()
    assert sink.sent == b"firstabcdef", "nothing more is queued for a reader too slow"
    assert sink.aborted and connection.pending_bytes == 0, "the bytes held for it are dropped"
    assert CLOSE_TOO_SLOW == 4001


async def test_single_frame_over_bound_closes_too_slow() -> None:
    sink = FakeSink(held=True)
    connection = _connection(sink, max_pending_bytes=10)

    connection.send(Envelope.of_text("x" * 11))
    await _spin()

    await connection.finish(1)
    assert sink.closed == [(CLOSE_TOO_SLOW, "too slow")]


async def test_too_slow_close_does_not_wait_for_a_reader_that_never_comes_back() -> None:
    sink = FakeSink(held=True)  # the peer never reads again
    connection = _connection(sink, max_pending_bytes=10)
    connection.send(Envelope.of_text("first"))
    await _spin()

    connection.send(Envelope.of_text("x" * 11))
    await _spin()

    assert sink.closed == [(CLOSE_TOO_SLOW, "too slow")]
    await asyncio.wait_for(connection.finish(1), 1)


async def test_send_multibyte_frames_counted_in_bytes() -> None:
    sink = FakeSink()
    connection = _connection(sink, max_pending_bytes=10)

    connection.send(Envelope.of_text("é" * 6))  # 6 characters, 12 bytes

    assert connection.pending_bytes == 12


async def test_close_after_queued_frames_sends_them_then_closes() -> None:
    sink = FakeSink()
    connection = _connection(sink)
    connection.send(Envelope.of_text("one"))
    connection.send(Envelope.of_text("two"))

    connection.close(CLOSE_NORMAL, "bye")
    await connection.finish(1)

    assert sink.log == [("write", b"onetwo"), ("close", (CLOSE_NORMAL, "bye"))]


async def test_send_after_close_ignored() -> None:
    sink = FakeSink()
    connection = _connection(sink)
    connection.send(Envelope.of_text("before"))
    connection.close(CLOSE_NORMAL, "bye")

    connection.send(Envelope.of_text("after"))

    assert connection.pending_bytes == 0
    await connection.finish(1)
    await _spin()
    assert sink.sent == b"before"


async def test_close_twice_first_reason_kept() -> None:
    sink = FakeSink()
    connection = _connection(sink)

    connection.close(1008, "hello timeout")
    connection.close(CLOSE_NORMAL, "bye")
    await connection.finish(1)

    assert sink.closed == [(1008, "hello timeout")]


async def test_close_asked_before_start_happens_at_start() -> None:
    sink = FakeSink()
    connection = Connection("c1", PEER, 1 << 20, sink, Outbox())

    connection.close(1008, "too early")
    await _spin()
    assert sink.closed == []
    connection.start()
    await connection.finish(1)

    assert sink.closed == [(1008, "too early")]
