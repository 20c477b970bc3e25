"""Room frames gathered in a `Run`: one loop iteration's frames for the same recipients reach
each of them joined, in the order they were sent, with anything else bound for a member
(an ack, a reply, a close) kept in its place."""

from __future__ import annotations

import asyncio

import pytest

from causerie.node.connections import CLOSE_NORMAL, FLUSH_AT_BYTES, Connection, Peer
from causerie.node.envelope import Envelope
from causerie.node.outbox import Outbox
from causerie.store.base import Origin

PEER = Peer(Origin("127.0.0.1", 50_000), "device-1", "pytest", "ws")


class Sink:
    def __init__(self, kind: str = "fake") -> None:
        self.kind = kind
        self.writes: list[bytes] = []
        self.encoded = 0

    def encode(self, envelope: Envelope) -> bytes:
        text = envelope.text
        self.encoded += 1
        return f"{self.kind}<{text}>".encode()

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def buffered_bytes(self) -> int:
        return 0

    def abort(self) -> None: ...

    def prepare_close(self) -> None: ...

    def close(self, code: int, reason: str) -> None: ...


@pytest.fixture
def outbox() -> Outbox:
    return Outbox()


def _member(sink: Sink, outbox: Outbox) -> Connection:
    return Connection("c", PEER, 1 << 20, sink, outbox)


def _received(sink: Sink) -> bytes:
    return b"".join(sink.writes)


async def test_frames_for_same_recipients_reach_each_joined_in_one_write(outbox: Outbox) -> None:
    sinks = [Sink() for _ in range(4)]
    members = [_member(sink, outbox) for sink in sinks]

    counts = [outbox.send_to_all(members, Envelope.of_text(f"m{i}"), ("room", 1)) for i in range(3)]
    assert all(sink.writes == [] for sink in sinks), "nothing written before the iteration ends"
    await asyncio.sleep(0)

    assert counts == [4, 4, 4]
    assert all(sink.writes == [b"fake<m0>fake<m1>fake<m2>"] for sink in sinks)
    assert sinks[0].encoded == 3, "each frame encoded once, with the first sink of its kind"
    assert sum(sink.encoded for sink in sinks) == 3


async def test_direct_frame_to_member_keeps_its_place_between_room_frames(outbox: Outbox) -> None:
    sender_sink, other_sink = Sink(), Sink()
    sender, other = _member(sender_sink, outbox), _member(other_sink, outbox)
    room = [sender, other]

    outbox.send_to_all(room, Envelope.of_text("m1"), ("room", 1))
    sender.send(Envelope.of_text("ack1"))
    outbox.send_to_all(room, Envelope.of_text("m2"), ("room", 1))
    await asyncio.sleep(0)

    assert _received(sender_sink) == b"fake<m1>fake<ack1>fake<m2>"
    assert _received(other_sink) == b"fake<m1>fake<m2>"
    assert len(sender_sink.writes) == 1, "still one write for the iteration"


async def test_direct_frames_to_several_members_leave_the_run_going_for_all(outbox: Outbox) -> None:
    """Acks to two senders in the middle of the room's frames: each gets its own in place,
    and the run is not cut in pieces."""
    sinks = [Sink() for _ in range(4)]
    room = [_member(sink, outbox) for sink in sinks]

    outbox.send_to_all(room, Envelope.of_text("m1"), ("room", 1))
    run = outbox.run
    room[0].send(Envelope.of_text("ack-a"))
    outbox.send_to_all(room, Envelope.of_text("m2"), ("room", 1))
    room[1].send(Envelope.of_text("ack-b"))
    room[0].send(Envelope.of_text("ack-c"))
    outbox.send_to_all(room, Envelope.of_text("m3"), ("room", 1))
    assert outbox.run is run, "the members were walked once, not after every ack"
    await asyncio.sleep(0)

    assert _received(sinks[0]) == b"fake<m1>fake<ack-a>fake<m2>fake<ack-c>fake<m3>"
    assert _received(sinks[1]) == b"fake<m1>fake<m2>fake<ack-b>fake<m3>"
    assert [_received(sink) for sink in sinks[2:]] == [b"fake<m1>fake<m2>fake<m3>"] * 2
    assert [len(sink.writes) for sink in sinks] == [1, 1, 1, 1]


async def test_new_recipient_list_gets_only_frames_sent_after_it(outbox: Outbox) -> None:
    old_sink, new_sink = Sink(), Sink()
    old, new = _member(old_sink, outbox), _member(new_sink, outbox)

    outbox.send_to_all([old], Envelope.of_text("before"), ("room", 1))
    # Someone joins: the members change.
    outbox.send_to_all(
        [old, new], Envelope.of_text("after"), ("room", 2)
    )  # someone joined: the members changed
    await asyncio.sleep(0)

    assert _received(old_sink) == b"fake<before>fake<after>"
    assert _received(new_sink) == b"fake<after>"


async def test_frame_without_key_waits_behind_the_run(outbox: Outbox) -> None:
    sink = Sink()
    member = _member(sink, outbox)

    outbox.send_to_all([member], Envelope.of_text("room"), ("room", 1))
    outbox.send_to_all([member], Envelope.of_text("private"))
    await asyncio.sleep(0)

    assert _received(sink) == b"fake<room>fake<private>"


async def test_member_closing_during_run_gets_what_came_before_and_nothing_after(
    outbox: Outbox,
) -> None:
    closing_sink, staying_sink = Sink(), Sink()
    closing, staying = _member(closing_sink, outbox), _member(staying_sink, outbox)
    room = [closing, staying]

    outbox.send_to_all(room, Envelope.of_text("m1"), ("room", 1))
    closing.close(CLOSE_NORMAL, "bye")
    assert outbox.send_to_all(room, Envelope.of_text("m2"), ("room", 1)) == 2
    await asyncio.sleep(0)

    assert _received(closing_sink) == b"fake<m1>"
    assert _received(staying_sink) == b"fake<m1>fake<m2>"


async def test_each_kind_of_sink_gets_its_own_encoding(outbox: Outbox) -> None:
    web, irc = Sink("ws"), Sink("irc")
    room = [_member(web, outbox), _member(irc, outbox), None]

    assert outbox.send_to_all(room, Envelope.of_text("a"), ("room", 1)) == 2
    outbox.send_to_all(room, Envelope.of_text("b"), ("room", 1))
    await asyncio.sleep(0)

    assert _received(web) == b"ws<a>ws<b>"
    assert _received(irc) == b"irc<a>irc<b>"


async def test_long_iteration_writes_run_at_flush_threshold(outbox: Outbox) -> None:
    sink = Sink()
    member = _member(sink, outbox)
    frame = "y" * 1000

    for _ in range(2 * FLUSH_AT_BYTES // 1000):
        outbox.send_to_all([member], Envelope.of_text(frame), ("room", 1))
    assert sink.writes, "written before the iteration ends"
    await asyncio.sleep(0)

    assert _received(sink) == f"fake<{frame}>".encode() * (2 * FLUSH_AT_BYTES // 1000)
    assert outbox.run is None


async def test_pending_bytes_count_what_the_run_gathered(outbox: Outbox) -> None:
    member = _member(Sink(), outbox)

    outbox.send_to_all([member], Envelope.of_text("abc"), ("room", 1))

    assert member.pending_bytes == len(b"fake<abc>")
    await asyncio.sleep(0)
    assert member.pending_bytes == 0


async def test_member_leaving_out_its_own_frame_keeps_the_run_and_gets_the_others(
    outbox: Outbox,
) -> None:
    """Like an IRC client waiting for its own message: asked about each frame while it
    watches, it leaves that one out; the run goes on for everyone."""
    sender_sink, other_sink = Sink("shared"), Sink("shared")
    sender, other = _member(sender_sink, outbox), _member(other_sink, outbox)
    room = [sender, other]

    outbox.send_to_all(room, Envelope.of_text("m1"), ("room", 1))
    sender.leave_out(lambda envelope: envelope.text == "echo")  # it just sent "echo"
    outbox.send_to_all(room, Envelope.of_text("echo"), ("room", 1))
    outbox.send_to_all(room, Envelope.of_text("m2"), ("room", 1))
    await asyncio.sleep(0)

    assert sender_sink.writes == [b"shared<m1>shared<m2>"], "its own message left out, one write"
    assert other_sink.writes == [b"shared<m1>shared<echo>shared<m2>"]
    assert sender_sink.encoded + other_sink.encoded == 3, "each frame encoded once"


async def test_sink_changing_kind_gets_its_own_bytes_and_the_others_theirs(outbox: Outbox) -> None:
    changing, other_sink = Sink("plain"), Sink("plain")
    member, other = _member(changing, outbox), _member(other_sink, outbox)
    room = [member, other]

    outbox.send_to_all(room, Envelope.of_text("m1"), ("room", 1))
    changing.kind = "tagged"  # a capability asked mid-session
    member.kind_changed()
    outbox.send_to_all(room, Envelope.of_text("m2"), ("room", 1))
    await asyncio.sleep(0)

    assert _received(changing) == b"plain<m1>tagged<m2>"
    assert _received(other_sink) == b"plain<m1>plain<m2>"
