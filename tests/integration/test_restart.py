"""Durability: rooms, messages and connection records survive a restart and a kill -9."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
import websockets

from tests.support.chat import TIMEOUT_S, Client
from tests.support.process import ServerProcess

pytestmark = pytest.mark.integration


async def _client(process: ServerProcess, nick: str) -> Client:
    client = Client(await websockets.connect(process.ws_url))
    assert (await client.hello(nick))["type"] == "welcome"
    return client


async def test_restart_keeps_rooms_messages_and_connection_records(tmp_path: Path) -> None:
    first = ServerProcess(tmp_path).start()
    try:
        alice = await _client(first, "Alice")
        await alice.join("musique")
        sent = [(await alice.say("musique", f"morceau {i}"))[0]["id"] for i in range(5)]
        await alice.close()
        await asyncio.sleep(0.2)
    finally:
        assert first.stop() == 0
    second = ServerProcess(tmp_path).start()
    try:
        bruno = await _client(second, "Bruno")
        joined = await bruno.join("musique")
        assert [m["id"] for m in joined["history"]] == sent
        rooms = await bruno.request("rooms")
        assert any(room["id"] == "general" for room in rooms["rooms"])
        message, _ack = await bruno.say("musique", "après redémarrage")
        assert message["id"] > sent[-1], "ids keep increasing across restarts"
        await bruno.close()
    finally:
        second.stop()
    with sqlite3.connect(tmp_path / "causerie.db") as db:
        records = db.execute(
            "select nick, postcode, address, port, disconnected_at_ms from connections "
            "order by connected_at_ms"
        ).fetchall()
    assert [r[0] for r in records] == ["Alice", "Bruno"]
    assert records[0][1] == "75011" and records[0][2] == "127.0.0.1" and records[0][3] > 0
    assert all(r[4] is not None for r in records), "each connection's end is recorded"


async def test_kill_9_loses_no_acknowledged_message(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path, env={"CAUSERIE_RATE_LIMITS": "off"}).start()
    acked: list[int] = []
    try:
        client = await _client(server, "Rafale")
        await client.join("general")
        in_flight = asyncio.Semaphore(64)  # a client that reads what it is sent
        enough = asyncio.Event()

        async def burst() -> None:
            for index in range(5000):
                await in_flight.acquire()
                await client.send(
                    {
                        "type": "say",
                        "id": f"b{index}",
                        "room": "general",
                        "text": f"message {index}",
                    }
                )

        async def collect() -> None:
            while True:
                frame = await client.receive()
                if frame["type"] == "ack":
                    acked.append(frame["message_id"])
                    in_flight.release()
                    if len(acked) == 300:
                        enough.set()

        sender = asyncio.create_task(burst())
        reader = asyncio.create_task(collect())
        await asyncio.wait_for(enough.wait(), TIMEOUT_S * 4)
        server.kill()  # mid-burst: messages are in flight and batches are being written
        for task in (sender, reader):
            task.cancel()
        await asyncio.gather(sender, reader, return_exceptions=True)
    finally:
        server.kill()
    restarted = ServerProcess(tmp_path).start()
    try:
        with sqlite3.connect(tmp_path / "causerie.db") as db:
            stored = [row[0] for row in db.execute("select id from messages")]
        assert len(acked) >= 300
        assert set(acked) <= set(stored), "every acknowledged message is stored"
        assert len(stored) == len(set(stored)), "no duplicates"
        reader_client = await _client(restarted, "Lecteur")
        joined = await reader_client.join("general")
        assert joined["history"][-1]["id"] == max(stored)
        await reader_client.close()
    finally:
        restarted.stop()


async def test_resume_after_restart_returns_exactly_the_missed_messages(tmp_path: Path) -> None:
    first = ServerProcess(tmp_path).start()
    try:
        alice = Client(await websockets.connect(first.ws_url))
        session = (await alice.hello("Alice"))["session"]
        bruno = await _client(first, "Bruno")
        await alice.join("general")
        await bruno.join("general")
        seen, _ack = await bruno.say("general", "avant")
        last_seen = (await alice.expect_type("message", id=seen["id"]))["id"]
        await alice.close()
        missed = [(await bruno.say("general", f"pendant {i}"))[0]["id"] for i in range(3)]
        await bruno.close()
    finally:
        assert first.stop() == 0
    second = ServerProcess(tmp_path).start()
    try:
        carla = await _client(second, "Carla")
        await carla.join("general")
        after = [(await carla.say("general", f"après {i}"))[0]["id"] for i in range(2)]
        back = Client(await websockets.connect(second.ws_url))
        resume = {"session": session, "last_id": last_seen, "rooms": ["general"]}
        assert (await back.hello("Alice", resume=resume))["type"] == "welcome"
        rejoined = await back.expect_type("joined")
        assert [m["id"] for m in rejoined["history"]] == missed + after, "all missed, once"
        await back.close()
        await carla.close()
    finally:
        second.stop()
