"""The adult signals and the move out of the teen space on two real `causerie serve` processes
sharing PostgreSQL and Redis: a decision taken on one node holds on the other, and minors on
another node are counted as reached when they share no room with the sender."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from tests.support.chat import TIMEOUT_S, Client
from tests.support.databases import (
    POSTGRES_URL,
    drop_redis_prefix,
    postgres_schema,
    require_redis,
    unique_prefix,
)
from tests.support.process import REPO_ROOT, ServerProcess

pytestmark = pytest.mark.integration
MODERATOR = "Sophie_Modo"
PASSWORD = "un-mot-de-passe-long"


@dataclass
class Nodes:
    processes: list[ServerProcess]
    clients: list[Client]
    env: dict[str, str]

    async def connect(self, node: int, device: str | None = None) -> Client:
        headers = {"Cookie": f"causerie_device={device}"} if device else None
        ws = await websockets.connect(self.processes[node].ws_url, additional_headers=headers)
        client = Client(ws)
        self.clients.append(client)
        return client

    async def person(self, node: int, nick: str, age: int, device: str | None = None) -> Client:
        client = await self.connect(node, device)
        welcome = await client.hello(nick, age=age)
        assert welcome["type"] == "welcome", welcome
        return client

    async def moderator(self, node: int) -> Client:
        result = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "causerie", "--data-dir", str(self.processes[0].data_dir),
             "staff", "add", MODERATOR, "--password-stdin"],
            input=f"{PASSWORD}\n",
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, **self.env, "PYTHONPATH": str(REPO_ROOT / "src")},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        client = await self.connect(node)
        assert (await client.request("login", name=MODERATOR, password=PASSWORD))["type"] == "staff"
        await client.expect_type("queue")
        return client


@pytest.fixture
async def nodes(tmp_path: Path) -> AsyncIterator[Nodes]:
    redis_url = await require_redis()
    prefix = unique_prefix()
    async with postgres_schema() as schema:
        env = {
            "CAUSERIE_DATABASE_URL": POSTGRES_URL,
            "CAUSERIE_DATABASE_SCHEMA": schema,
            "CAUSERIE_REDIS_URL": redis_url,
            "CAUSERIE_REDIS_PREFIX": prefix,
            "CAUSERIE_NODE_TTL_S": "2",
        }
        processes = []
        try:
            for index in range(2):
                data_dir = tmp_path / f"node{index}"
                data_dir.mkdir()
                processes.append(await asyncio.to_thread(ServerProcess(data_dir, env).start))
            running = Nodes(processes, [], env)
            yield running
            for client in running.clients:
                await client.close()
        finally:
            for process in processes:
                process.stop()
            await drop_redis_prefix(prefix)


async def test_moved_out_on_one_node_is_kept_out_on_the_other(nodes: Nodes) -> None:
    moderator = await nodes.moderator(0)
    suspect = await nodes.person(1, "Faux15", 15, device="tel-faux")
    done = await moderator.request(
        "mod", action="move_out_of_teen_space", nick="Faux15", reason="adulte présumé"
    )
    assert done["type"] == "mod_done"
    statement = await suspect.expect_type("notice", kind="moderation")
    assert statement["statement_id"] == done["statement_id"]
    with pytest.raises(ConnectionClosed):
        async with asyncio.timeout(TIMEOUT_S):
            while True:
                await suspect.receive()
    for node in (0, 1):
        again = await nodes.connect(node, device="tel-faux")
        refused = await again.hello(f"Ado{node}", age=14)
        assert (refused["code"], refused.get("reason")) == (
            "age_restricted",
            "move_out_of_teen_space",
        )


async def test_minors_on_another_node_sharing_no_room_are_reached(nodes: Nodes) -> None:
    moderator = await nodes.moderator(0)
    sender = await nodes.person(0, "Tom15", 15, device="tel-tom")
    for index in range(4):
        await nodes.person(1, f"Ado{index}", 14, device=f"tel-ado{index}")
    for index in range(4):
        sent = await sender.request_outcome("dm", to=f"Ado{index}", text="salut")
        assert sent["type"] == "ack", sent
    alert = await moderator.expect(lambda f: f["item"]["rule"] == "reaching_minors", type_="alert")
    assert alert["item"]["details"]["minors"] == ["Ado0", "Ado1", "Ado2", "Ado3"]


async def test_minors_on_another_node_in_a_shared_room_are_not_counted(nodes: Nodes) -> None:
    moderator = await nodes.moderator(0)
    sender = await nodes.person(0, "Tom15", 15, device="tel-tom")
    assert (await sender.join("ados-general"))["type"] == "joined"
    for index in range(4):
        teen = await nodes.person(1, f"Ado{index}", 14, device=f"tel-ado{index}")
        assert (await teen.join("ados-general"))["type"] == "joined"
    for index in range(4):
        sent = await sender.request_outcome("dm", to=f"Ado{index}", text="salut")
        assert sent["type"] == "ack", sent
    await asyncio.sleep(0.5)  # the presence look-ups run after the acknowledgement
    items = (await moderator.request("queue"))["items"]
    assert not [item for item in items if item["rule"] == "reaching_minors"]
