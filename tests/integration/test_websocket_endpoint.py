"""The WebSocket endpoint at the socket level (RFC 6455): what a real client library would
never send, sent by hand, and the keepalive."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import struct
from pathlib import Path
from typing import Any

import pytest
import websockets
from websockets.exceptions import InvalidStatus

from causerie.ws.parser import _python_mask
from tests.support.chat import (
    TIMEOUT_S,
    Client,
    RunningServer,
    pending_timers,
    start_server,
    stop_server,
    until_timers,
)

pytestmark = pytest.mark.integration
HELLO = {"type": "hello", "nick": "Brut", "age": 30, "gender": "man", "postcode": "75011"}


class RawClient:
    """A client that writes frames byte by byte as the test says, and reads server frames."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, server: RunningServer, path: str = "/ws") -> tuple[RawClient, bytes]:
        host, port = server.url.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT_S)
        return cls(reader, writer), head

    def frame(self, first: int, payload: bytes, *, masked: bool = True) -> bytes:
        length = len(payload)
        if length < 126:
            header = bytes((first, (0x80 if masked else 0) | length))
        else:
            header = struct.pack("!BBH", first, (0x80 if masked else 0) | 126, length)
        if not masked:
            return header + payload
        mask = os.urandom(4)
        return header + mask + _python_mask(payload, mask)

    def send_text(self, text: str) -> None:
        self.writer.write(self.frame(0x81, text.encode()))

    async def receive(self) -> tuple[int, bytes]:
        first, second = await asyncio.wait_for(self.reader.readexactly(2), TIMEOUT_S)
        length = second & 0x7F
        if length == 126:
            length = int.from_bytes(await self.reader.readexactly(2), "big")
        elif length == 127:
            length = int.from_bytes(await self.reader.readexactly(8), "big")
        return first & 0x0F, await self.reader.readexactly(length)

    async def receive_json(self) -> dict[str, Any]:
        while True:
            opcode, payload = await self.receive()
            assert opcode == 0x1, f"expected text, got opcode {opcode}"
            frame: dict[str, Any] = json.loads(payload)
            if frame["type"] not in ("presence", "rooms"):
                return frame

    async def close_code(self) -> int:
        while True:
            opcode, payload = await self.receive()
            if opcode == 0x8:
                return int.from_bytes(payload[:2], "big")

    async def is_cut_off(self) -> bool:
        try:
            while await asyncio.wait_for(self.reader.read(4096), TIMEOUT_S * 2):
                pass
        except ConnectionError:
            pass
        return True

    def close(self) -> None:
        self.writer.close()


async def test_upgrade_on_another_path_is_refused_404(server: RunningServer) -> None:
    with pytest.raises(InvalidStatus) as refused:
        await websockets.connect(server.url.replace("http://", "ws://") + "/autre")
    assert refused.value.response.status_code == 404
    raw, head = await RawClient.open(server, "/ws")  # the right path still works
    assert head.startswith(b"HTTP/1.1 101 ")
    raw.close()


async def test_fragmented_and_pipelined_commands_run_in_order(server: RunningServer) -> None:
    raw, _head = await RawClient.open(server)
    hello = json.dumps(HELLO | {"id": "h"}).encode()
    thirds = [hello[:5], hello[5:20], hello[20:]]
    data = raw.frame(0x01, thirds[0]) + raw.frame(0x00, thirds[1])
    data += raw.frame(0x89, b"entre-deux")  # a ping between fragments is answered at once
    data += raw.frame(0x80, thirds[2])
    data += b"".join(
        raw.frame(0x81, json.dumps({"type": "ping", "id": f"p{i}"}).encode()) for i in range(50)
    )
    raw.writer.write(data)
    opcode, payload = await raw.receive()
    assert (opcode, payload) == (0xA, b"entre-deux")
    assert (await raw.receive_json())["type"] == "welcome"
    replies = [(await raw.receive_json()).get("re") for _ in range(50)]
    assert replies == [f"p{i}" for i in range(50)]
    raw.close()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (lambda raw: raw.frame(0x81, b"\xff\xfe not UTF-8"), 1007),
        (lambda raw: raw.frame(0x81, b"{}", masked=False), 1002),
        (lambda raw: raw.frame(0xF1, b"{}"), 1002),
    ],
)
async def test_broken_framing_closes_with_its_code_and_the_neighbour_stays(
    server: RunningServer, connect: Any, data: Any, code: int
) -> None:
    neighbour = await connect()
    await neighbour.hello("Voisine")
    await neighbour.join("general")
    raw, _head = await RawClient.open(server)
    raw.send_text(json.dumps(HELLO))
    assert (await raw.receive_json())["type"] == "welcome"
    raw.writer.write(data(raw))
    assert await raw.close_code() == code
    raw.close()
    message, _ack = await neighbour.say("general", "rien senti")
    assert message["text"] == "rien senti"


async def test_close_from_the_client_is_echoed_and_the_session_leaves(
    server: RunningServer,
) -> None:
    raw, _head = await RawClient.open(server)
    raw.send_text(json.dumps(HELLO))
    welcome = await raw.receive_json()
    raw.writer.write(raw.frame(0x88, (1000).to_bytes(2, "big") + b"bye"))
    assert await raw.close_code() == 1000
    assert await raw.is_cut_off()
    async with asyncio.timeout(TIMEOUT_S):
        while welcome["session"] in server.node.sessions():  # noqa: ASYNC110 (node state)
            await asyncio.sleep(0.02)
    raw.close()


async def test_silent_peer_is_pinged_then_dropped_a_live_one_stays(tmp_path: Path) -> None:
    running, uv, task = await start_server(tmp_path, ws_ping_interval_s=0.2)
    try:
        live = await Client.connect(running)  # websockets answers pings by itself
        await live.hello("Vivante")
        raw, _head = await RawClient.open(running)
        raw.send_text(json.dumps(HELLO))
        assert (await raw.receive_json())["type"] == "welcome"
        opcode, _payload = await raw.receive()
        while opcode != 0x9:
            opcode, _payload = await raw.receive()
        assert await raw.is_cut_off()  # never answered the ping
        raw.close()
        assert (await live.request("ping"))["type"] == "pong"
        await live.close()
    finally:
        await stop_server(uv, task)


async def test_a_handshake_sent_byte_by_byte_still_opens(server: RunningServer) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    key = base64.b64encode(os.urandom(16)).decode()
    head = (
        f"GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()
    for index in range(len(head)):
        writer.write(head[index : index + 1])
        await writer.drain()

    answer = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT_S)

    assert answer.startswith(b"HTTP/1.1 101 ")
    writer.close()


async def test_plain_http_on_the_same_port_keeps_working_kept_alive(server: RunningServer) -> None:
    """Requests that are not WebSocket upgrades are uvicorn's, several on one connection, and
    an upgrade later on that connection still opens a WebSocket."""
    host, port = server.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    for _ in range(2):
        writer.write(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        status = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT_S)
        assert status.startswith(b"HTTP/1.1 200 "), status
        length = int(status.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        await reader.readexactly(length)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            f"GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    answer = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT_S)
    assert answer.startswith(b"HTTP/1.1 101 ")
    writer.close()


async def test_a_socket_that_never_sends_its_request_is_let_go(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("causerie.http.front.HEAD_WAIT_S", 0.3)
    host, port = server.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(b"GET /ws HTTP/1.1\r\n")  # and nothing more

    assert await asyncio.wait_for(reader.read(), TIMEOUT_S) == b""
    writer.close()


async def test_a_logged_in_connection_keeps_no_timer_of_its_own(server: RunningServer) -> None:
    """The hello timeout goes at the welcome, not `hello_timeout_s` later: ten thousand logins
    at once held 6 MB of timers."""
    before = pending_timers()
    raws = [(await RawClient.open(server))[0] for _ in range(12)]
    try:
        await until_timers(before + 12)  # each waits with a timer of its own

        for index, raw in enumerate(raws):
            raw.send_text(json.dumps({**HELLO, "nick": f"Minuteur{index}"}))
            assert (await raw.receive_json())["type"] == "welcome"

        assert pending_timers() - before < 12
    finally:
        for raw in raws:
            raw.close()
