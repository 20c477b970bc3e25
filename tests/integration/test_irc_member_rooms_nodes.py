"""A member room run over IRC across two nodes: two real `causerie serve` processes sharing
PostgreSQL and Redis, each with its IRC listener; the owner on one, a member on the other."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.integration.test_irc_member_rooms import _joined
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
async def two_listeners(tmp_path: Path) -> AsyncIterator[tuple[int, int]]:
    redis_url = await require_redis()
    prefix = unique_prefix()
    ports = (_free_port(), _free_port())
    async with postgres_schema() as schema:
        env = {
            "CAUSERIE_DATABASE_URL": POSTGRES_URL,
            "CAUSERIE_DATABASE_SCHEMA": schema,
            "CAUSERIE_REDIS_URL": redis_url,
            "CAUSERIE_REDIS_PREFIX": prefix,
            "CAUSERIE_NODE_TTL_S": "3",
            "CAUSERIE_TRUST_MESSAGES": "0",
            "CAUSERIE_TRUST_SPAN_S": "0",
        }
        nodes: list[ServerProcess] = []
        try:
            for index, port in enumerate(ports):
                data_dir = tmp_path / f"node{index}"
                data_dir.mkdir()
                node_env = {**env, "CAUSERIE_IRC_PORT": str(port)}
                nodes.append(await asyncio.to_thread(ServerProcess(data_dir, node_env).start))
            yield ports
        finally:
            for node in nodes:
                node.stop()
            await drop_redis_prefix(prefix)


async def test_a_room_made_on_one_node_is_keyed_run_and_kicked_from_on_the_other(
    two_listeners: tuple[int, int],
) -> None:
    alice = await IrcClient.connect(two_listeners[0], "Alice")
    bruno = await IrcClient.connect(two_listeners[1], "Bruno", "31 h 44000")
    try:
        assert await _joined(alice, "#club") == ["@Alice"]
        alice.send("MODE #club +k sesame")
        await alice.expect("mode")

        bruno.send("JOIN #club")  # made on the other node: refused for its key, not made again
        assert (await bruno.expect("badchannelkey")).arguments[0] == "#club"
        assert sorted(await _joined(bruno, "#club", "sesame")) == ["@Alice", "Bruno"]

        alice.send("MODE #club +m")
        assert (await bruno.expect("mode", lambda e: e.target == "#club")).arguments == ["+m"]
        bruno.send("PRIVMSG #club :muet ?")
        assert (await bruno.expect("cannotsendtochan")).arguments[0] == "#club"
        alice.send("MODE #club +v Bruno")  # the voice is stored, and read on the other node
        voiced = await bruno.expect("mode", lambda e: e.arguments[:1] == ["+v"])
        assert voiced.arguments == ["+v", "Bruno"]
        bruno.send("PRIVMSG #club :je parle")
        assert (await alice.expect("pubmsg")).arguments == ["je parle"]
        bruno.send("PART #club :je reviens")  # leaving words cross nodes in the presence
        parted = await alice.expect("part", lambda e: e.source.nick == "Bruno")
        assert parted.arguments == ["je reviens"]
        await _joined(bruno, "#club", "sesame")
        alice.send("KICK #club Bruno :dehors")
        assert (await bruno.expect("kick")).target == "#club"
    finally:
        alice.close()
        bruno.close()
