"""The transport shell with fakes for the socket, the node and the listener's adapter: the hello
timer, the keepalive's ping and timeout, the close and the finish in order, and a failure that
closes only its own connection."""

from __future__ import annotations

import asyncio
import logging

import pytest

from causerie.node.connections import CLOSE_INTERNAL, CLOSE_POLICY, Connection, Peer
from causerie.node.envelope import Envelope
from causerie.node.inbox import Keepalive
from causerie.node.outbox import Outbox
from causerie.node.shell import Listening, Shell
from causerie.store.base import Origin

PEER = Peer(Origin("127.0.0.1", 50_000), "device-1", "pytest", "fake")


class FakeTransport:
    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.closing = False

    def write(self, data: bytes) -> None:
        self.log.append(f"write {data.decode()}")

    def close(self) -> None:
        self.closing = True
        self.log.append("socket closed")

    def abort(self) -> None:
        self.closing = True
        self.log.append("socket aborted")

    def is_closing(self) -> bool:
        return self.closing

    def get_write_buffer_size(self) -> int:
        return 0

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...


class FakeDoor:
    def __init__(self, log: list[str]) -> None:
        self.log = log

    def attach(self, connection: Connection) -> None:
        self.log.append(f"attach {connection.id}")

    async def detach(self, connection: Connection) -> None:
        await asyncio.sleep(0)
        self.log.append(f"detach {connection.id}")


class FakeAdapter:
    """A listener's side: its sink writes `<text>`, its goodbye `bye:<code>`; `handle` runs
    what the client sent (a command "boom" raises, as a bug in a codec would)."""

    kind = "fake"
    hello_timeout_reason = "too slow to say hello"
    bye_reason = "gone"

    def __init__(self, listening: Listening, log: list[str], name: str = "c1") -> None:
        self.log = log
        self.name = name
        self.transport = FakeTransport(log)
        self.shell = Shell(listening, self, self.transport)  # type: ignore[arg-type]
        self.is_logged_in = False
        self.may_ping = True
        self.handled: list[str] = []
        self.connection = self.shell.open(name, PEER, self, self.handle, self.failed)

    # Sink
    def encode(self, envelope: Envelope) -> bytes:
        return f"<{envelope.text}>".encode()

    def write(self, data: bytes) -> None:
        self.transport.write(data)

    def buffered_bytes(self) -> int:
        return 0

    def abort(self) -> None:
        self.transport.abort()

    def prepare_close(self) -> None: ...

    def close(self, code: int, reason: str) -> None:
        self.shell.close(code, reason)

    # Adapter
    def logged_in(self) -> bool:
        return self.is_logged_in

    def ping(self) -> bool:
        if self.may_ping:
            self.log.append(f"ping {self.name}")
        return self.may_ping

    def ping_timed_out(self) -> None:
        self.log.append(f"ping timed out {self.name}")

    def goodbye(self, code: int, reason: str) -> bool:
        if self.transport.is_closing():
            return False
        self.transport.write(f"bye:{code}:{reason}".encode())
        return True

    def leaving(self) -> None:
        self.log.append(f"leaving {self.name}")

    def finished(self) -> None:
        self.log.append(f"finished {self.name}")

    # what the client sent, in order
    async def handle(self, item: str) -> None:
        if item == "boom":
            raise RuntimeError("a bug")
        self.handled.append(item)
        self.connection.send(Envelope.of_text(f"re {item}"))

    def failed(self) -> None:
        self.shell.fail(f"{self.name} %s failed")


def _listening(log: list[str], **overrides: float) -> tuple[Listening, list[int]]:
    errors: list[int] = []
    listening = Listening(
        door=FakeDoor(log),
        outbox=Outbox(),
        keepalive=Keepalive(3600),
        hello_timeout_s=overrides.get("hello_timeout_s", 3600),
        outgoing_queue_bytes=1 << 20,
        count_internal_error=lambda: errors.append(1),
        close_wait_s=overrides.get("close_wait_s", 3600),
    )
    return listening, errors


async def _spin(turns: int = 10) -> None:
    for _ in range(turns):
        await asyncio.sleep(0)


async def test_open_attaches_the_connection_to_the_node_and_keeps_it_alive() -> None:
    log: list[str] = []
    listening, _ = _listening(log)
    client = FakeAdapter(listening, log)

    assert log == ["attach c1"]
    assert client.shell.connection is client.connection
    assert client.shell.timer is not None, "the hello is timed"
    client.shell.lost()
    await _spin()


async def test_no_hello_in_time_closes_with_the_adapters_reason() -> None:
    log: list[str] = []
    listening, _ = _listening(log, hello_timeout_s=0.01)
    client = FakeAdapter(listening, log)

    await asyncio.sleep(0.05)
    await _spin()

    assert client.connection.is_closing
    assert f"write bye:{CLOSE_POLICY}:too slow to say hello" in log
    assert log.index("leaving c1") < log.index("detach c1") < log.index("finished c1")


async def test_logged_in_the_hello_timer_goes_and_never_closes() -> None:
    log: list[str] = []
    listening, _ = _listening(log, hello_timeout_s=0.01)
    client = FakeAdapter(listening, log)
    client.is_logged_in = True

    client.shell.check_hello()
    await asyncio.sleep(0.05)

    assert client.shell.timer is None
    assert not client.connection.is_closing
    client.shell.lost()
    await _spin()


async def test_keepalive_pings_an_idle_client_and_lets_go_of_a_silent_one() -> None:
    log: list[str] = []
    listening, _ = _listening(log)
    client = FakeAdapter(listening, log)
    shell = client.shell
    seen = shell.seen_at

    shell.keep_alive(seen + 10, 30)  # active lately: nothing
    assert log == ["attach c1"]
    shell.keep_alive(seen + 30, 30)
    assert log[-1] == "ping c1"
    shell.seen_at = seen + 31  # it answered
    pings = log.count("ping c1")
    shell.keep_alive(seen + 61, 30)
    assert log.count("ping c1") == pings + 1, "an answered ping is no timeout; idle, pinged"
    shell.keep_alive(seen + 91, 30)  # silent since the last ping
    assert log[-1] == "ping timed out c1"
    shell.lost()
    await _spin()


async def test_keepalive_does_not_count_a_ping_the_adapter_did_not_send() -> None:
    log: list[str] = []
    listening, _ = _listening(log)
    client = FakeAdapter(listening, log)
    client.may_ping = False  # e.g. not registered yet, or already closing
    shell = client.shell

    shell.keep_alive(shell.seen_at + 30, 30)
    shell.keep_alive(shell.seen_at + 60, 30)

    assert shell.pinged_at == 0.0
    assert "ping timed out c1" not in log
    shell.lost()
    await _spin()


async def test_close_writes_the_queued_frames_then_the_goodbye_then_finishes_in_order() -> None:
    log: list[str] = []
    listening, _ = _listening(log, close_wait_s=0.01)
    client = FakeAdapter(listening, log)
    client.connection.send(Envelope.of_text("last"))

    client.connection.close(1000, "see you")
    await _spin()

    assert log[1:3] == ["write <last>", "write bye:1000:see you"]
    assert log.index("leaving c1") < log.index("detach c1") < log.index("finished c1")
    await asyncio.sleep(0.05)
    assert "socket aborted" in log, "a peer that never closes is cut off after the wait"
    assert log.count("write bye:1000:see you") == 1, "one goodbye, though the finish closes too"


async def test_socket_lost_first_finishes_after_what_the_client_sent() -> None:
    log: list[str] = []
    listening, _ = _listening(log)
    client = FakeAdapter(listening, log)
    assert client.shell.inbox is not None
    client.shell.inbox.put("one")
    client.shell.inbox.put("two")

    client.transport.closing = True  # the peer went away
    client.shell.lost()
    await _spin()

    assert client.handled == ["one", "two"], "what was queued ran before the node forgot it"
    assert log.index("leaving c1") < log.index("detach c1") < log.index("finished c1")
    assert client.shell.timer is None


async def test_a_failure_closes_only_its_connection_logged_and_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log: list[str] = []
    listening, errors = _listening(log)
    broken, neighbour = FakeAdapter(listening, log, "c1"), FakeAdapter(listening, log, "c2")
    assert broken.shell.inbox is not None and neighbour.shell.inbox is not None

    with caplog.at_level(logging.ERROR, logger="causerie.node.shell"):
        broken.shell.inbox.put("boom")
        await _spin()

    assert f"write bye:{CLOSE_INTERNAL}:internal error" in log
    assert errors == [1]
    assert [record.getMessage() for record in caplog.records] == ["c1 c1 failed"]
    assert "RuntimeError" not in " ".join(log), "the exception is logged, never sent"
    neighbour.shell.inbox.put("still here")
    await _spin()
    assert neighbour.handled == ["still here"]
    assert not neighbour.connection.is_closing
    assert "write <re still here>" in log
    neighbour.shell.lost()
    await _spin()


async def test_a_failure_before_any_connection_aborts_the_socket() -> None:
    log: list[str] = []
    listening, errors = _listening(log)
    transport = FakeTransport(log)
    shell = Shell(listening, FakeAdapter.__new__(FakeAdapter), transport)  # type: ignore[arg-type]

    try:
        raise ValueError("a bad handshake, mishandled")
    except ValueError:
        shell.fail("connection %s failed reading")

    assert log == ["socket aborted"] and errors == [1]
