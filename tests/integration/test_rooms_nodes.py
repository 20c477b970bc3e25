"""The operator's rooms across two real `causerie serve` processes sharing PostgreSQL and
Redis: a change made on one node (its admin API) or by the CLI reaches the people on both at
once, archiving takes members out on both, and a member limit counts both nodes' members."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import httpx
import pytest

from tests.integration import test_multinode
from tests.integration.test_multinode import Cluster
from tests.support.chat import TIMEOUT_S
from tests.support.databases import POSTGRES_URL
from tests.support.process import REPO_ROOT

pytestmark = pytest.mark.integration
PASSWORD = "Mot-de-passe-42"
cluster = test_multinode.cluster  # two nodes on PostgreSQL and Redis (the same fixture)


def causerie(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env, "PYTHONPATH": str(REPO_ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "causerie", *args],
        capture_output=True,
        text=True,
        env=environment,
        input=f"{PASSWORD}\n",
        timeout=TIMEOUT_S * 6,
        check=False,
    )


async def _admin(cluster: Cluster, http: httpx.AsyncClient) -> dict[str, str]:
    added = await asyncio.to_thread(
        causerie, cluster.env, "staff", "add", "admin1", "--role", "admin", "--password-stdin"
    )
    assert added.returncode == 0, added.stderr
    login = await http.post("/api/admin/login", json={"name": "admin1", "password": PASSWORD})
    assert login.status_code == 200, login.text
    return {"authorization": f"Bearer {login.json()['token']}"}


async def test_rooms_changed_on_one_node_reach_both_nodes(cluster: Cluster) -> None:
    assert POSTGRES_URL in cluster.env["CAUSERIE_DATABASE_URL"]
    alice = await cluster.client(0, "Alice")
    bruno = await cluster.client(1, "Bruno", gender="man")
    await bruno.join("cuisine")
    async with httpx.AsyncClient(base_url=cluster.nodes[0].url) as http:
        bearer = await _admin(cluster, http)
        room = {
            "id": "randonnee",
            "name": "Randonnée",
            "kind": "thematic",
            "audience": "adult",
            "member_limit": 2,
        }
        added = await http.post("/api/admin/rooms", json=room, headers=bearer)
        assert added.status_code == 201, added.text
        for client in (alice, bruno):
            assert (await client.expect_type("room_updated"))["room"]["id"] == "randonnee"

        # The member limit counts both nodes' members.
        carla = await cluster.client(1, "Carla")
        assert (await alice.join("randonnee"))["type"] == "joined"
        assert (await bruno.join("randonnee"))["type"] == "joined"
        full = await carla.join("randonnee")
        assert (full["type"], full["code"]) == ("error", "room_full")

        archived = await http.post(
            "/api/admin/rooms/cuisine/archive", json={"reason": "fusion"}, headers=bearer
        )
        assert archived.status_code == 200
    gone = await bruno.expect_type("room_archived", room="cuisine")  # a member on node 1
    assert gone["name"] == "Cuisine"
    await alice.expect_type("room_archived", room="cuisine")  # in node 0's list
    refused = await bruno.join("cuisine")
    assert (refused["type"], refused["code"]) == ("error", "not_found")


async def test_the_cli_with_the_shared_broker_reaches_every_node(cluster: Cluster) -> None:
    alice = await cluster.client(0, "Alice")
    bruno = await cluster.client(1, "Bruno", gender="man")
    await alice.join("general")
    await bruno.join("general")
    edited = await asyncio.to_thread(
        causerie, cluster.env, "rooms", "edit", "general", "--topic", "Soirée jeux", "--reason", "x"
    )
    assert edited.returncode == 0, edited.stderr
    for client in (alice, bruno):
        updated = await client.expect_type("room_updated")
        assert updated["room"]["topic"] == "Soirée jeux"
    listed = await asyncio.to_thread(causerie, cluster.env, "rooms", "list")
    assert "general" in listed.stdout
