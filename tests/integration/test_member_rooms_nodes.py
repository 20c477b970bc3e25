"""Rooms people make across two real `causerie serve` processes sharing PostgreSQL and Redis:
two nodes racing for one name make one room (the store's key decides; the other maker is told
`room_name_taken`), and an owner on one node invites, keys, bans and kicks people on the
other."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.integration.test_multinode import NODE_TTL_S, Cluster
from tests.support.databases import (
    POSTGRES_URL,
    drop_redis_prefix,
    postgres_schema,
    require_redis,
    unique_prefix,
)
from tests.support.process import ServerProcess

pytestmark = pytest.mark.integration
JAZZ = "fans-de-jazz"


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[Cluster]:
    redis_url = await require_redis()
    prefix = unique_prefix()
    async with postgres_schema() as schema:
        env = {
            "CAUSERIE_DATABASE_URL": POSTGRES_URL,
            "CAUSERIE_DATABASE_SCHEMA": schema,
            "CAUSERIE_REDIS_URL": redis_url,
            "CAUSERIE_REDIS_PREFIX": prefix,
            "CAUSERIE_NODE_TTL_S": str(NODE_TTL_S),
            "CAUSERIE_TRUST_MESSAGES": "0",  # making rooms at once (the threshold has its test)
            "CAUSERIE_TRUST_SPAN_S": "0",
        }
        nodes = []
        try:
            for index in range(2):
                data_dir = tmp_path / f"node{index}"
                data_dir.mkdir()
                nodes.append(await asyncio.to_thread(ServerProcess(data_dir, env).start))
            running = Cluster(nodes, [], env)
            yield running
            for client in running.clients:
                await client.close()
        finally:
            for node in nodes:
                node.stop()
            await drop_redis_prefix(prefix)


async def test_two_nodes_racing_for_one_name_make_one_room(cluster: Cluster) -> None:
    assert POSTGRES_URL in cluster.env["CAUSERIE_DATABASE_URL"]
    alice = await cluster.client(0, "Alice")
    bruno = await cluster.client(1, "Bruno", gender="man")
    for attempt in range(3):  # each round a new name, both nodes asking at once
        name = f"Fans de jazz {attempt}"
        answers = await asyncio.gather(
            alice.request("create_room", name=name), bruno.request("create_room", name=name)
        )
        kinds = sorted(a["type"] for a in answers)
        assert kinds == ["error", "room_created"], answers
        [refused] = [a for a in answers if a["type"] == "error"]
        assert (refused["code"], refused["field"]) == ("invalid", "name")
        [made] = [a for a in answers if a["type"] == "room_created"]
        assert made["room"]["owner"] in ("Alice", "Bruno")


async def test_owner_on_one_node_runs_people_on_the_other(cluster: Cluster) -> None:
    alice = await cluster.client(0, "Alice")
    bruno = await cluster.client(1, "Bruno", gender="man")
    carla = await cluster.client(1, "Carla")
    created = await alice.request("create_room", name="Fans de jazz")
    assert created["type"] == "room_created", created
    await alice.join(JAZZ)
    await alice.request("room_modes", room=JAZZ, invite_only=True)
    # The change reaches node 1 as every room change does (the control channel).
    await bruno.expect(lambda f: f["room"]["modes"]["invite_only"], type_="room_updated")
    refused = await bruno.join(JAZZ)
    assert (refused["type"], refused["code"]) == ("error", "invite_only")

    await alice.request("invite", room=JAZZ, nick="Bruno")
    invited = await bruno.expect_type("invited")
    assert (invited["room"]["id"], invited["by"]) == (JAZZ, "Alice")
    assert (await bruno.join(JAZZ))["type"] == "joined"
    await alice.expect(lambda f: f["user"]["nick"] == "Bruno", type_="presence")

    await alice.request("room_modes", room=JAZZ, invite_only=False, key="sesame")
    await carla.expect(lambda f: f["room"]["modes"]["keyed"], type_="room_updated")
    assert (await carla.request("join", room=JAZZ, key="faux"))["code"] == "bad_key"
    assert (await carla.request("join", room=JAZZ, key="sesame"))["type"] == "joined"

    await alice.request("kick", room=JAZZ, nick="Carla", reason="hors sujet")
    assert (await carla.expect_type("parted"))["room"] == JAZZ
    left = await alice.expect(
        lambda f: f["user"]["nick"] == "Carla" and f["state"] == "left", type_="presence"
    )
    assert left["room"] == JAZZ

    await alice.request("room_ban", room=JAZZ, nick="Bruno", reason="insultes")
    assert (await bruno.expect_type("parted"))["room"] == JAZZ
    assert (await bruno.request("join", room=JAZZ, key="sesame"))["code"] == "banned"
