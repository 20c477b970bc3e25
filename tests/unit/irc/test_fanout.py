"""IRC connections in the node's fan-out: a room event is rendered once per kind and every IRC
member gets it, except its sender when echo-message is off (told by the event's sender, typed)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from causerie.core import events as ev
from causerie.core.messages import Message
from causerie.core.users import Gender, PublicUser
from causerie.irc import session as irc_session
from causerie.irc.directory import Directory
from causerie.irc.session import IrcSession, SessionConfig
from causerie.irc.transport import IrcSink
from causerie.node.connections import Connection, Peer
from causerie.node.envelope import Envelope
from causerie.node.outbox import Outbox
from causerie.store.base import Origin


class _Transport:
    def __init__(self) -> None:
        self.data = b""
        self.writes = 0

    def is_closing(self) -> bool:
        return False

    def write(self, data: bytes) -> None:
        self.data += data
        self.writes += 1

    def get_write_buffer_size(self) -> int:
        return 0


def _closed(_code: int, _reason: str) -> None:
    pass


def _connection(session: IrcSession, transport: _Transport, outbox: Outbox) -> Connection:
    peer = Peer(Origin("127.0.0.1", 1), "device", "irc", "irc")
    sink = IrcSink(session, transport, _closed)  # type: ignore[arg-type]
    connection = Connection(session.nick, peer, 1 << 20, sink, outbox)
    sink.attach(connection)
    return connection


def _user(nick: str, dept: str = "75") -> PublicUser:
    return PublicUser(nick, Gender.OTHER, 30, dept, "IDF")


def _message(sender: PublicUser, text: str, id: int = 1, room: str = "sport") -> Envelope:
    return Envelope(ev.MessagePosted(Message(id, room, sender, text, 0)))


async def test_fan_out_while_senders_await_their_echo_reaches_every_other_member() -> None:
    outbox = Outbox()
    directory = Directory()
    sessions = [IrcSession(SessionConfig(), directory) for i in range(4)]
    transports = [_Transport() for _ in sessions]
    for index, session in enumerate(sessions):
        session.nick = f"n{index}"
    for session in sessions[:2]:  # both just sent a message
        session.expect_own_echo()
    connections = [_connection(s, t, outbox) for s, t in zip(sessions, transports, strict=True)]
    assert outbox.send_to_all(connections, _message(_user("n0"), "hi")) == 4
    await asyncio.sleep(0)

    line = b":n0!u@75.causerie PRIVMSG #sport :hi\r\n"
    assert [t.data for t in transports] == [b"", line, line, line]
    assert not sessions[0].watching, "its echo was seen: settled when its bytes were written"
    assert sessions[1].watching, "its own message is still to come"


async def test_each_capability_set_gets_its_own_rendering_of_the_same_frame() -> None:
    """Renderings are shared between connections, but never across output capabilities."""
    outbox = Outbox()
    directory = Directory()
    sessions = [IrcSession(SessionConfig(), directory) for i in range(4)]
    sessions[1].caps = frozenset({"server-time"})
    sessions[2].caps = frozenset({"server-time"})
    sessions[2].expect_own_echo()  # watching, with the same capabilities as sessions[1]
    for session in sessions[1:3]:
        session.caps_changed()
    sessions[3].caps = frozenset({"message-tags", "server-time"})
    sessions[3].caps_changed()
    transports = [_Transport() for _ in sessions]
    connections = [_connection(s, t, outbox) for s, t in zip(sessions, transports, strict=True)]
    outbox.send_to_all(connections, _message(_user("zoe", "69"), "go", id=7))
    await asyncio.sleep(0)

    plain, timed, timed_too, tagged = (t.data for t in transports)
    assert plain == b":zoe!u@69.causerie PRIVMSG #sport :go\r\n"
    assert timed.startswith(b"@time=1970-01-01T00:00:00.000Z :zoe!") and timed == timed_too
    assert tagged != timed and b"msgid=7" in tagged


async def test_senders_awaiting_their_echo_keep_the_room_run_and_its_single_rendering(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each sender leaves out only its own message; a PRIVMSG in the middle of a loop
    iteration neither ends the room's run nor gives the sender a rendering of its own."""
    outbox = Outbox()
    directory = Directory()
    sessions = [IrcSession(SessionConfig(), directory) for _ in range(5)]
    transports = [_Transport() for _ in sessions]
    for index, session in enumerate(sessions):
        session.nick = f"n{index}"
    connections = [_connection(s, t, outbox) for s, t in zip(sessions, transports, strict=True)]
    renders = _count_renderings(monkeypatch)
    for index in range(3):  # n0, n1, n2 each send, then their message comes back
        sessions[index].expect_own_echo()
        envelope = _message(_user(f"n{index}"), f"t{index}", id=index, room="r")
        outbox.send_to_all(connections, envelope, ("r", 1))
    await asyncio.sleep(0)

    lines = [f":n{i}!u@75.causerie PRIVMSG #r :t{i}\r\n".encode() for i in range(3)]
    for index, transport in enumerate(transports):
        expected = b"".join(line for i, line in enumerate(lines) if i != index)
        assert transport.data == expected, f"n{index} got its own message or lost another"
    assert renders == [3], "one rendering per event for every connection"
    assert [t.writes for t in transports] == [1] * 5, "the run lasted the whole iteration"
    assert not any(session.watching for session in sessions)


def _count_renderings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    renders = [0]
    real_render = irc_session.room_event_lines

    def counting(*args: Any) -> list[str]:
        renders[0] += 1
        return real_render(*args)

    monkeypatch.setattr(irc_session, "room_event_lines", counting)
    return renders


async def test_a_published_frame_is_decoded_once_and_rendered_once_per_kind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the broker brings is read into its event once for every IRC member; each kind gets
    its rendering once; nothing outlives the envelope (a second one renders again)."""
    outbox = Outbox()
    sessions = [IrcSession(SessionConfig(), Directory()) for _ in range(4)]
    sessions[2].caps = sessions[3].caps = frozenset({"server-time"})
    for session in sessions[2:]:
        session.caps_changed()
    connections = [_connection(s, _Transport(), outbox) for s in sessions]
    sender = {"nick": "zoe", "gender": "woman", "age": 30, "dept": "69", "region": "ARA"}
    frame = {"type": "message", "id": 7, "room": "sport", "from": sender, "text": "go", "ts": 0}
    text = json.dumps(frame, separators=(",", ":"), ensure_ascii=False)  # as nodes publish
    renders = _count_renderings(monkeypatch)

    first = Envelope.of_text(text)
    outbox.send_to_all(connections, first)
    event = first.event
    outbox.send_to_all(connections, Envelope.of_text(text))
    await asyncio.sleep(0)

    assert isinstance(event, ev.MessagePosted) and event.message.sender.nick == "zoe"
    assert first.event is event, "decoded once, kept by its envelope"
    assert renders == [4], "two kinds, two envelopes: four renderings, no cache of our own"
