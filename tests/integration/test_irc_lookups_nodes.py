"""IRC lookups across nodes: two real `causerie serve` processes sharing PostgreSQL and Redis,
the IRC client on one, the people it asks about on the other. The listener keeps no roster: the
node answers from the cluster's presence, under the web's visibility rule."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import websockets

from tests.integration.test_irc_lookups import answer
from tests.support.chat import Client
from tests.support.databases import (
    POSTGRES_URL,
    drop_redis_prefix,
    postgres_schema,
    require_redis,
    unique_prefix,
)
from tests.support.irc import IrcClient
from tests.support.process import ServerProcess

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def two_nodes(tmp_path: Path) -> AsyncIterator[tuple[list[ServerProcess], int]]:
    redis_url = await require_redis()
    prefix = unique_prefix()
    irc_port = _free_port()
    async with postgres_schema() as schema:
        env = {
            "CAUSERIE_DATABASE_URL": POSTGRES_URL,
            "CAUSERIE_DATABASE_SCHEMA": schema,
            "CAUSERIE_REDIS_URL": redis_url,
            "CAUSERIE_REDIS_PREFIX": prefix,
            "CAUSERIE_NODE_TTL_S": "3",
        }
        nodes: list[ServerProcess] = []
        try:
            for index in range(2):
                data_dir = tmp_path / f"node{index}"
                data_dir.mkdir()
                node_env = {**env, "CAUSERIE_IRC_PORT": str(irc_port)} if index == 0 else env
                nodes.append(await asyncio.to_thread(ServerProcess(data_dir, node_env).start))
            yield nodes, irc_port
        finally:
            for node in nodes:
                node.stop()
            await drop_redis_prefix(prefix)


async def _web(node: ServerProcess, nick: str, age: int, room: str) -> Client:
    client = Client(await websockets.connect(node.ws_url))
    assert (await client.hello(nick, age=age))["type"] == "welcome"
    assert (await client.join(room))["type"] == "joined"
    return client


async def test_irc_lookups_find_people_on_another_node_as_the_web_would_show_them(
    two_nodes: tuple[list[ServerProcess], int],
) -> None:
    nodes, irc_port = two_nodes
    zoe = await _web(nodes[1], "Zoe", 30, "general")
    nina = await _web(nodes[1], "Ninateen", 14, "ados-general")
    marc = await IrcClient.connect(irc_port, "Marc", "40 m 13001")
    try:
        marc.send("JOIN #general")
        names = await marc.expect("namreply")
        assert "Zoe" in names.arguments[-1]  # the member list of both nodes

        whois = await answer(marc, "WHOIS Zoe")
        teen = await answer(marc, "WHOIS Ninateen")
        nobody = await answer(marc, "WHOIS Zorglub")
        ison = await answer(marc, "ISON Zoe Ninateen Zorglub")
        who = await answer(marc, "WHO #general")

        assert " 311 Marc Zoe u 75.causerie * :30 woman 75 " in whois[0]
        assert whois[1].endswith(" 319 Marc Zoe #general")
        assert [line.replace("Ninateen", "<X>") for line in teen] == [
            line.replace("Zorglub", "<X>") for line in nobody
        ]
        assert ison[0].endswith(" 303 Marc Zoe")
        assert {line.split(" ")[7] for line in who if " 352 " in line} == {"Zoe", "Marc"}
    finally:
        marc.close()
        await zoe.close()
        await nina.close()
