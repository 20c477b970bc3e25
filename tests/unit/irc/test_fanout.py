"""IRC connections in the node's fan-out: a room frame is rendered once per kind and every IRC
member gets it, except its sender when echo-message is off."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from causerie.irc import render
from causerie.irc.directory import Directory
from causerie.irc.session import IrcSession, SessionConfig
from causerie.irc.transport import IrcSink
from causerie.node.connections import Connection, Peer, send_to_all
from causerie.node.envelope import Envelope
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


def _connection(session: IrcSession, transport: _Transport) -> Connection:
    async def send_text(_text: str) -> None:
        raise AssertionError("a sink's connection never sends text")

    async def close(_code: int, _reason: str) -> None:
        pass

    peer = Peer(Origin("127.0.0.1", 1), "device", "irc", "irc")
    sink = IrcSink(session, transport)
    connection = Connection(session.nick, peer, send_text, close, 1 << 20, sink)
    sink.attach(connection)
    return connection


async def test_fan_out_while_senders_await_their_echo_reaches_every_other_member() -> None:
    directory = Directory()
    sessions = [IrcSession(SessionConfig(), directory) for i in range(4)]
    transports = [_Transport() for _ in sessions]
    for index, session in enumerate(sessions):
        session.nick = f"n{index}"
    for session in sessions[:2]:  # both just sent a message
        session.expect_own_echo()
    connections = [_connection(s, t) for s, t in zip(sessions, transports, strict=True)]
    sender = {"nick": "n0", "gender": "x", "age": 30, "dept": "75", "region": "IDF"}
    frame = {"type": "message", "id": 1, "room": "sport", "from": sender, "text": "hi", "ts": 0}

    assert send_to_all(connections, Envelope.of_text(json.dumps(frame))) == 4
    await asyncio.sleep(0)

    line = b":n0!u@75.causerie PRIVMSG #sport :hi\r\n"
    assert [t.data for t in transports] == [b"", line, line, line]
    assert not sessions[0].watching, "its echo was seen: settled when its bytes were written"
    assert sessions[1].watching, "its own message is still to come"


async def test_each_capability_set_gets_its_own_rendering_of_the_same_frame() -> None:
    """Renderings are shared between connections, but never across output capabilities."""
    directory = Directory()
    sessions = [IrcSession(SessionConfig(), directory) for i in range(4)]
    sessions[1].caps = {"server-time"}
    sessions[2].caps = {"server-time"}
    sessions[2].expect_own_echo()  # watching, with the same capabilities as sessions[1]
    for session in sessions[1:3]:
        session.caps_changed()
    sessions[3].caps = {"message-tags", "server-time"}
    sessions[3].caps_changed()
    transports = [_Transport() for _ in sessions]
    connections = [_connection(s, t) for s, t in zip(sessions, transports, strict=True)]
    sender = {"nick": "zoe", "gender": "f", "age": 30, "dept": "69", "region": "ARA"}
    frame = {"type": "message", "id": 7, "room": "sport", "from": sender, "text": "go", "ts": 0}

    send_to_all(connections, Envelope.of_text(json.dumps(frame)))
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
    directory = Directory()
    sessions = [IrcSession(SessionConfig(), directory) for _ in range(5)]
    transports = [_Transport() for _ in sessions]
    for index, session in enumerate(sessions):
        session.nick = f"n{index}"
    connections = [_connection(s, t) for s, t in zip(sessions, transports, strict=True)]
    renders = 0
    real_render = render.room_frame_lines

    def counting(*args: Any) -> list[str]:
        nonlocal renders
        renders += 1
        return real_render(*args)

    monkeypatch.setattr(render, "room_frame_lines", counting)
    texts = []
    for index in range(3):  # n0, n1, n2 each send, then their message comes back
        sessions[index].expect_own_echo()
        sender = {"nick": f"n{index}", "gender": "x", "age": 30, "dept": "75", "region": "IDF"}
        frame = {"type": "message", "id": index, "room": "r", "from": sender, "text": f"t{index}"}
        texts.append(json.dumps({**frame, "ts": 0}))
        send_to_all(connections, Envelope.of_text(texts[-1]), ("r", 1))
    await asyncio.sleep(0)

    lines = [f":n{i}!u@75.causerie PRIVMSG #r :t{i}\r\n".encode() for i in range(3)]
    for index, transport in enumerate(transports):
        expected = b"".join(line for i, line in enumerate(lines) if i != index)
        assert transport.data == expected, f"n{index} got its own message or lost another"
    assert renders == 3, "one rendering per frame for every connection"
    assert [t.writes for t in transports] == [1] * 5, "the run lasted the whole iteration"
    assert not any(session.watching for session in sessions)


def test_room_frames_are_parsed_once_for_everyone_and_other_frames_not_kept() -> None:
    """A room frame serves every member; any other frame is one connection's (asked twice at
    most), so only the last one is kept: a welcome with every room is ~20 KB parsed."""
    room_text = json.dumps({"type": "message", "room": "general", "id": 1, "text": "salut"})
    welcomes = [json.dumps({"type": "welcome", "session": f"s{i}"}) for i in range(100)]

    room_frame = render.parse_frame(room_text)
    parsed = [render.parse_frame(text) for text in welcomes]

    assert render.parse_frame(room_text) is room_frame
    assert render.parse_frame(welcomes[-1]) is parsed[-1]
    assert render.parse_frame(welcomes[0]) is not parsed[0]
    assert render.parse_frame(welcomes[0]) == {"type": "welcome", "session": "s0"}
