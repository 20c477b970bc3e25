"""Bad input gets a clear error and loses nothing; garbage closes only the sender."""

from __future__ import annotations

import json
from typing import Any

import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from tests.support.chat import TIMEOUT_S, RunningServer

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("frame", "code", "field"),
    [
        ("ceci n'est pas du JSON", "invalid", None),
        ("[1, 2, 3]", "invalid", None),
        ('{"type": "danse"}', "invalid", "type"),
        ('{"id": 5}', "invalid", "type"),
        ('{"type": "join", "id": "x"}', "invalid", "room"),
        ('{"type": "say", "room": 3, "text": "a", "id": "x"}', "invalid", "room"),
        (
            '{"type": "hello", "nick": "A", "age": [], "gender": "man", "postcode": "1"}',
            "invalid",
            "age",
        ),
        ('{"type": "ping", "id": true}', "invalid", "id"),
        (json.dumps({"type": "say", "room": "general", "text": "x" * 17000}), "too_large", None),
    ],
)
async def test_bad_frame_gets_error_and_connection_stays(
    connect: Any, frame: str, code: str, field: str | None
) -> None:
    client = await connect()
    await client.hello("Testeur")
    await client.send(frame)
    error = await client.expect_type("error")
    assert error["code"] == code
    assert error.get("field") == field
    assert error["message"]
    assert "Traceback" not in error["message"]
    await client.join("general")
    message, _ack = await client.say("general", "toujours là")
    assert message["text"] == "toujours là"


async def test_error_reply_carries_request_id_when_readable(connect: Any) -> None:
    client = await connect()
    await client.send('{"type": "join", "id": "r1"}')
    error = await client.expect_type("error")
    assert error["re"] == "r1"


async def test_binary_frame_is_refused_politely(connect: Any) -> None:
    client = await connect()
    await client.ws.send(b"\x00\x01binary")
    error = await client.expect_type("error")
    assert error["code"] == "invalid"
    assert (await client.hello("Binaire"))["type"] == "welcome"


async def test_garbage_sender_is_closed_neighbour_is_not(connect: Any) -> None:
    garbage, neighbour = await connect(), await connect()
    await neighbour.hello("Voisin")
    await neighbour.join("general")
    await garbage.hello("Casseur")
    for _ in range(10):
        await garbage.send("}{")
    with pytest.raises(ConnectionClosed) as closed:
        for _ in range(20):
            await garbage.receive()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1008
    assert "invalid" in closed.value.rcvd.reason
    message, _ack = await neighbour.say("general", "rien vu")
    assert message["text"] == "rien vu"


async def test_frame_over_hard_cap_closes_with_1009(server: RunningServer) -> None:
    async with websockets.connect(server.ws_url, max_size=None) as ws:
        await ws.send("x" * (1024 * 1024 + 10))
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


async def test_crash_in_one_handler_closes_only_that_connection(
    connect: Any, server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim, neighbour = await connect(), await connect()
    await victim.hello("Victime")
    await neighbour.hello("Voisine")
    await neighbour.join("general")
    original = server.node.hub.apply

    def explode(session_id: str, command: Any, now_ms: int) -> Any:
        if server.node.hub.profile_of(session_id).nick == "Victime":
            raise RuntimeError("simulated bug")
        return original(session_id, command, now_ms)

    monkeypatch.setattr(server.node.hub, "apply", explode)
    await victim.send({"type": "join", "id": "boom", "room": "general"})
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            frame = await victim.receive()
            assert "simulated bug" not in json.dumps(frame)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1011
    message, _ack = await neighbour.say("general", "tout va bien")
    assert message["text"] == "tout va bien"


async def test_no_hello_within_timeout_closes(tmp_path: Any) -> None:
    from tests.support.chat import start_server, stop_server

    running, uv, task = await start_server(tmp_path, hello_timeout_s=0.3)
    try:
        async with websockets.connect(running.ws_url) as ws:
            with pytest.raises(ConnectionClosed) as closed:
                await ws.recv()  # the server closes before anything is said
            assert closed.value.rcvd is not None
            assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1008, "hello timeout")
    finally:
        await stop_server(uv, task)
    assert TIMEOUT_S > 0.3
