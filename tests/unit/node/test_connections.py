"""A connection's bounded outgoing queue: frames go out in order; a reader too far behind is
closed with 4001 "too slow" and its queue dropped, instead of holding up the room."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from causerie.node.connections import CLOSE_NORMAL, CLOSE_TOO_SLOW, Connection, Peer
from causerie.node.envelope import Envelope
from causerie.store.base import Origin

PEER = Peer(Origin("127.0.0.1", 50_000), "device-1", "pytest", "ws")


class FakeTransport:
    """Records what the connection writes; `send_text` may be held by the test."""

    def __init__(self, *, held: bool = False) -> None:
        self.sent: list[str] = []
        self.closed: list[tuple[int, str]] = []
        self.held = held
        self.release = asyncio.Event()
        self.sending: list[str] = []

    async def send_text(self, frame: str) -> None:
        self.sending.append(frame)
        if self.held:
            await self.release.wait()
        self.sent.append(frame)

    async def close(self, code: int, reason: str) -> None:
        self.closed.append((code, reason))


def _connection(transport: FakeTransport, max_pending_bytes: int = 1 << 20) -> Connection:
    return Connection("c1", PEER, transport.send_text, transport.close, max_pending_bytes)


async def _until(condition: Callable[[], bool]) -> None:
    for _ in range(100):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition never held")


async def _spin(turns: int = 20) -> None:
    for _ in range(turns):
        await asyncio.sleep(0)


async def test_run_writer_sends_frames_in_order() -> None:
    transport = FakeTransport()
    connection = _connection(transport)
    writer = asyncio.ensure_future(connection.run_writer())

    for n in range(5):
        connection.send(Envelope.of_text(f'{{"n": {n}}}'))
    await _until(lambda: len(transport.sent) == 5)
    connection.send(Envelope.of_text('{"n": 5}'))
    await _until(lambda: len(transport.sent) == 6)

    assert transport.sent == [f'{{"n": {n}}}' for n in range(6)]
    assert connection.pending_bytes == 0
    assert not writer.done() and transport.closed == []
    connection.close(CLOSE_NORMAL, "bye")
    await writer
    assert transport.closed == [(CLOSE_NORMAL, "bye")]


async def test_send_counts_pending_until_written() -> None:
    transport = FakeTransport()
    connection = _connection(transport)

    connection.send(Envelope.of_text("abc"))
    connection.send(Envelope.of_text("de"))

    assert connection.pending_bytes == 5
    connection.close(CLOSE_NORMAL, "bye")
    await connection.run_writer()
    assert connection.pending_bytes == 0


async def test_send_up_to_bound_kept() -> None:
    transport = FakeTransport()
    connection = _connection(transport, max_pending_bytes=10)

    connection.send(Envelope.of_text("x" * 4))
    connection.send(Envelope.of_text("y" * 6))

    assert connection.pending_bytes == 10
    assert not connection.is_closing


async def test_send_past_bound_closes_too_slow_and_drops_queue() -> None:
    transport = FakeTransport(held=True)
    connection = _connection(transport, max_pending_bytes=10)
    writer = asyncio.ensure_future(connection.run_writer())
    connection.send(Envelope.of_text("first"))
    await _until(lambda: transport.sending == ["first"])  # the client stopped reading here
    connection.send(Envelope.of_text("abcdef"))

    connection.send(Envelope.of_text("ghijk"))  # 6 + 5 > 10

    assert connection.is_closing
    assert connection.pending_bytes == 0
    connection.send(Envelope.of_text("after"))
    assert connection.pending_bytes == 0
    transport.release.set()
    await writer
    assert set(transport.sent) <= {"first"}  # what was queued behind it is dropped
    assert transport.closed == [(CLOSE_TOO_SLOW, "too slow")]
    assert CLOSE_TOO_SLOW == 4001


async def test_send_single_frame_over_bound_closes_too_slow() -> None:
    transport = FakeTransport()
    connection = _connection(transport, max_pending_bytes=10)

    connection.send(Envelope.of_text("x" * 11))

    await connection.run_writer()
    assert (transport.sent, transport.closed) == ([], [(CLOSE_TOO_SLOW, "too slow")])


async def test_send_past_bound_while_send_blocked_forever_closes_too_slow() -> None:
    transport = FakeTransport(held=True)  # never released: the peer never reads again
    connection = _connection(transport, max_pending_bytes=10)
    writer = asyncio.ensure_future(connection.run_writer())
    connection.send(Envelope.of_text("first"))
    await _until(lambda: transport.sending == ["first"])

    connection.send(Envelope.of_text("x" * 11))
    try:
        await _spin()

        assert transport.closed == [(CLOSE_TOO_SLOW, "too slow")]
        assert writer.done() and writer.exception() is None
    finally:
        writer.cancel()
        await asyncio.gather(writer, return_exceptions=True)


async def test_send_multibyte_frames_counted_in_bytes() -> None:
    transport = FakeTransport()
    connection = _connection(transport, max_pending_bytes=10)

    connection.send(Envelope.of_text("é" * 6))  # 6 characters, 12 bytes

    assert connection.pending_bytes == 12 or connection.is_closing


async def test_close_after_queued_frames_sends_them_then_closes() -> None:
    transport = FakeTransport()
    connection = _connection(transport)
    connection.send(Envelope.of_text("one"))
    connection.send(Envelope.of_text("two"))

    connection.close(CLOSE_NORMAL, "bye")
    await connection.run_writer()

    assert transport.sent == ["one", "two"]
    assert transport.closed == [(CLOSE_NORMAL, "bye")]


async def test_send_after_close_ignored() -> None:
    transport = FakeTransport()
    connection = _connection(transport)
    connection.send(Envelope.of_text("before"))
    connection.close(CLOSE_NORMAL, "bye")

    connection.send(Envelope.of_text("after"))

    assert connection.pending_bytes == len("before")
    await connection.run_writer()
    assert transport.sent == ["before"]


async def test_close_twice_first_reason_kept() -> None:
    transport = FakeTransport()
    connection = _connection(transport)

    connection.close(1008, "hello timeout")
    connection.close(CLOSE_NORMAL, "bye")
    await connection.run_writer()

    assert transport.closed == [(1008, "hello timeout")]
