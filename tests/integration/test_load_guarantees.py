"""Guarantees under load: a reader that stops is cut off (4001) without costing the others a
message, and random traffic, valid and invalid, leaves nothing behind on the server.

Sizes are small and every wait is bounded; the figures themselves live in `bench/`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import random
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import websockets

from causerie.node.connections import CLOSE_TOO_SLOW, Connection
from tests.support.chat import TIMEOUT_S, Client, RunningServer, start_server, stop_server

pytestmark = pytest.mark.integration

BOUND_BYTES = 64 * 1024
SAY = {"text": "un message assez long pour remplir les tampons " * 30}  # ~1.4 KB a frame


@pytest.fixture
async def busy_server(tmp_path: Path) -> AsyncIterator[RunningServer]:
    running, uv, task = await start_server(
        tmp_path, rate_limits=False, outgoing_queue_bytes=BOUND_BYTES
    )
    yield running
    await stop_server(uv, task)


async def _member(server: RunningServer, nick: str, **connect: Any) -> Client:
    client = await Client.connect(server, **connect)
    assert (await client.hello(nick))["type"] == "welcome"
    assert (await client.join("general"))["type"] == "joined"
    return client


async def _wait_until(condition: Any, timeout_s: float) -> None:
    async with asyncio.timeout(timeout_s):
        while not condition():  # noqa: ASYNC110 (polling the node's own state)
            await asyncio.sleep(0.02)


async def test_reader_that_stops_is_closed_too_slow_and_others_miss_nothing(
    busy_server: RunningServer,
) -> None:
    node = busy_server.node
    readers = [await _member(busy_server, f"Lecteur{i}") for i in range(2)]
    sender = await _member(busy_server, "Bavard")
    # A client whose socket takes little and whose library stops reading after one frame.
    slow_sock = socket.socket()
    slow_sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    slow_sock.connect(("127.0.0.1", _port(busy_server)))
    slow = await _member(busy_server, "Dormeur", sock=slow_sock, max_queue=1)
    [slow_session] = [s for s in node.sessions() if node.hub.profile_of(s).nick == "Dormeur"]
    received: dict[str, set[int]] = {r.ws.id.hex: set() for r in readers}
    acked: list[int] = []

    async def read(client: Client) -> None:
        while True:
            frame = json.loads(await client.ws.recv())
            if frame["type"] == "message":
                received[client.ws.id.hex].add(frame["id"])

    async def acks() -> None:
        while True:
            frame = json.loads(await sender.ws.recv())
            if frame["type"] == "ack":
                acked.append(frame["message_id"])

    tasks = [asyncio.create_task(read(r)) for r in readers] + [asyncio.create_task(acks())]
    try:
        sent = 0
        async with asyncio.timeout(TIMEOUT_S * 6):
            while slow_session in node.sessions() and sent < 20_000:
                for _ in range(50):
                    await sender.send({"type": "say", "room": "general", "id": str(sent)} | SAY)
                    sent += 1
                await asyncio.sleep(0.01)
        assert slow_session not in node.sessions(), "the stalled reader was let go"
        # It wakes up at once and reads what was sent before the close: the close comes last.
        woken = asyncio.create_task(_read_until_closed(slow))
        await _wait_until(lambda: len(acked) == sent, TIMEOUT_S * 4)
        await _wait_until(lambda: all(len(ids) == sent for ids in received.values()), TIMEOUT_S * 4)
        assert all(ids == set(acked) for ids in received.values()), "no message lost"
        await asyncio.wait_for(woken, TIMEOUT_S)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    assert slow.ws.close_code == CLOSE_TOO_SLOW
    assert slow.ws.close_reason == "too slow"


async def _read_until_closed(client: Client) -> None:
    with contextlib.suppress(websockets.ConnectionClosed):
        while True:
            await client.ws.recv()


def _random_frame(rng: random.Random, step: int) -> str | bytes:
    """Mostly valid commands, with malformed JSON, unknown types and wrong fields mixed in."""
    choice = rng.random()
    if choice < 0.45:
        return json.dumps({"type": "say", "room": "general", "id": str(step), "text": f"m{step}"})
    if choice < 0.55:
        return json.dumps({"type": "history", "room": "general", "limit": rng.randint(-5, 80)})
    if choice < 0.65:
        room = rng.choice(["general", "nulle-part", 7])
        return json.dumps({"type": rng.choice(["join", "part"]), "room": room})
    if choice < 0.75:
        return json.dumps({"type": rng.choice(["nope", "say", "dm", ""]), "x": [1, {"y": None}]})
    if choice < 0.85:
        return rng.randbytes(rng.randint(0, 40)).decode("latin-1")
    if choice < 0.92:
        return rng.randbytes(rng.randint(1, 20))  # binary frames are refused
    return "{" * rng.randint(1, 300)


async def test_soak_of_random_traffic_leaves_no_connection_task_or_session(
    busy_server: RunningServer,
) -> None:
    node = busy_server.node
    await asyncio.sleep(0.1)
    baseline_tasks = len(asyncio.all_tasks())
    rng = random.Random(7)

    async def visitor(index: int) -> None:
        for round_ in range(4):
            try:
                ws = await websockets.connect(busy_server.ws_url)
            except OSError:
                continue
            client = Client(ws)
            try:
                if rng.random() < 0.8:
                    hello = {"type": "hello", "nick": f"Soak{index}x{round_}", "age": 30}
                    await client.send(hello | {"gender": "other", "postcode": "75011"})
                for step in range(rng.randint(5, 60)):
                    await ws.send(_random_frame(rng, step))
                    if step % 10 == 0:
                        await asyncio.sleep(0)  # let the server answer while we go on
                if rng.random() < 0.5:
                    await ws.close()
                else:
                    ws.transport.abort()  # vanished without a close frame
            except websockets.ConnectionClosed:
                pass

    async with asyncio.timeout(TIMEOUT_S * 8):
        await asyncio.gather(*(visitor(i) for i in range(12)))
    await _wait_until(lambda: not node.table.attached and not node.sessions(), TIMEOUT_S * 2)
    await _wait_until(lambda: len(asyncio.all_tasks()) <= baseline_tasks, TIMEOUT_S * 2)
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, Connection)], "connections leaked"
    metrics = await _metrics(busy_server)
    assert 'causerie_connections{protocol="ws"} 0.0' in metrics
    assert "causerie_sessions 0.0" in metrics
    assert "causerie_outgoing_queue_bytes 0.0" in metrics


def _port(server: RunningServer) -> int:
    return int(server.url.rsplit(":", 1)[1])


async def _metrics(server: RunningServer) -> str:
    host, port = "127.0.0.1", _port(server)
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET /metrics HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
    body = await reader.read()
    writer.close()
    return body.decode()
