"""Two real `causerie serve` processes sharing PostgreSQL and Redis, as in production.

Each test gets its own PostgreSQL schema and Redis prefix; the nodes use a 2-second node TTL so
that the death of a node is noticed quickly (production default: 15 s).
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import websockets

from causerie.safety.ageverify import TestAgeProvider
from tests.support.chat import TIMEOUT_S, Client
from tests.support.databases import (
    POSTGRES_URL,
    drop_redis_prefix,
    postgres_schema,
    require_redis,
    unique_prefix,
)
from tests.support.process import ServerProcess

pytestmark = pytest.mark.integration
NODE_TTL_S = 3.0  # a node beats every second; a loaded two-core machine can miss two
PROVIDER = TestAgeProvider.generate(kid="test")


@dataclass
class Cluster:
    nodes: list[ServerProcess]
    clients: list[Client]
    env: dict[str, str]

    async def client(
        self, node: int, nick: str, age: int = 25, device: str | None = None, **hello: Any
    ) -> Client:
        headers = {"Cookie": f"causerie_device={device}"} if device else None
        client = Client(
            await websockets.connect(self.nodes[node].ws_url, additional_headers=headers)
        )
        self.clients.append(client)
        welcome = await client.hello(nick, age=age, **hello)
        assert welcome["type"] == "welcome", welcome
        client.session = welcome["session"]  # type: ignore[attr-defined]
        client.resume_token = welcome.get("resume_token")  # type: ignore[attr-defined]
        return client


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
            "CAUSERIE_AGE_VERIFIER_KEYS": "test:"
            + base64.urlsafe_b64encode(PROVIDER.public_key_bytes()).decode().rstrip("="),
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


async def test_message_on_one_node_reaches_the_other_once_with_same_id(cluster: Cluster) -> None:
    alice = await cluster.client(0, "Alice")
    bruno = await cluster.client(1, "Bruno", gender="man")
    await alice.join("general")
    joined = await bruno.join("general")
    assert sorted(m["nick"] for m in joined["members"]) == ["Alice", "Bruno"]
    for index in range(5):  # within a new identity's flood burst
        await alice.say("general", f"de A {index}")
    seen = [await bruno.expect_type("message") for _ in range(5)]
    assert [m["text"] for m in seen] == [f"de A {i}" for i in range(5)]
    reply, _ack = await bruno.say("general", "de B")
    echoed = await alice.expect_type("message", id=reply["id"])
    assert echoed["text"] == "de B"
    await asyncio.sleep(0.2)
    assert not [f for f in bruno.inbox if f["type"] == "message"], "each message arrives once"
    late = await cluster.client(0, "Chloe")
    history = (await late.join("general"))["history"]
    assert [m["text"] for m in history][-2:] == ["de A 4", "de B"]
    rooms = {r["id"]: r["members"] for r in (await late.request("rooms"))["rooms"]}
    assert rooms["general"] == 3


async def test_nickname_is_unique_across_nodes(cluster: Cluster) -> None:
    await cluster.client(0, "Unique")
    other = Client(await websockets.connect(cluster.nodes[1].ws_url))
    cluster.clients.append(other)
    error = await other.hello("UNIQUE")
    assert (error["type"], error["code"], error["field"]) == ("error", "nick_taken", "nick")


async def test_look_alike_nickname_is_taken_across_nodes(cluster: Cluster) -> None:
    # The Redis claim is keyed by nick_key, so UTS #39 look-alikes collide across nodes too.
    await cluster.client(0, "Ninateen", age=14, postcode="63000")
    other = Client(await websockets.connect(cluster.nodes[1].ws_url))
    cluster.clients.append(other)
    error = await other.hello("Nіnateen", age=15)  # Cyrillic і
    assert (error["type"], error["code"], error["field"]) == ("error", "nick_taken", "nick")


async def test_private_messages_cross_nodes_within_a_band(cluster: Cluster) -> None:
    alice = await cluster.client(0, "Alice")
    bruno = await cluster.client(1, "Bruno")
    teen = await cluster.client(1, "Zoe", age=15)
    await alice.send({"type": "dm", "id": "d1", "to": "bruno", "text": "coucou de A"})
    ack = await alice.expect(lambda f: f.get("re") == "d1")
    assert ack["type"] == "ack"
    received = await bruno.expect_type("dm_request", id=ack["message_id"])
    assert received["text"] == "coucou de A"
    nobody = {**(await alice.request("dm", to="Personne", text="salut")), "re": ""}
    assert nobody["code"] == "not_found"
    assert {**(await alice.request("dm", to="Zoe", text="salut")), "re": ""} == nobody
    assert {**(await teen.request("dm", to="Alice", text="salut")), "re": ""} == nobody
    await bruno.request("block", nick="Alice")
    assert (await alice.request("dm", to="Bruno", text="encore"))["code"] == "dm_blocked"


async def test_killed_node_people_leave_and_resume_elsewhere_without_gap(
    cluster: Cluster,
) -> None:
    alice = await cluster.client(0, "Alice", device="alice-laptop-01")
    bruno = await cluster.client(1, "Bruno")
    await alice.join("general")
    await bruno.join("general")
    first, _ack = await bruno.say("general", "avant")
    last_seen = (await alice.expect_type("message", id=first["id"]))["id"]
    old_session = alice.session  # type: ignore[attr-defined]
    secret = alice.resume_token  # type: ignore[attr-defined]

    cluster.nodes[0].kill()
    killed_at = time.monotonic()
    missed = [(await bruno.say("general", f"pendant {i}"))[0]["id"] for i in range(4)]

    left = await bruno.expect(
        lambda f: f["user"]["nick"] == "Alice" and f["state"] == "left", type_="presence"
    )
    assert left["room"] == "general"
    assert time.monotonic() - killed_at < NODE_TTL_S * 3 + TIMEOUT_S

    device = {"Cookie": "causerie_device=alice-laptop-01"}
    back = Client(await websockets.connect(cluster.nodes[1].ws_url, additional_headers=device))
    cluster.clients.append(back)
    resume = {"session": old_session, "resume_token": secret, "last_id": last_seen}
    welcome = await back.hello("Alice", resume={**resume, "rooms": ["general"]})
    assert welcome["type"] == "welcome", welcome
    rejoined = await back.expect_type("joined")
    assert [m["id"] for m in rejoined["history"]] == missed, "every missed message, once"
    assert "Alice" in [m["nick"] for m in rejoined["members"]]


async def test_nickname_is_freed_when_its_node_dies(cluster: Cluster) -> None:
    await cluster.client(0, "Ephemere")
    cluster.nodes[0].kill()
    deadline = time.monotonic() + NODE_TTL_S * 3 + TIMEOUT_S
    while True:
        candidate = Client(await websockets.connect(cluster.nodes[1].ws_url))
        cluster.clients.append(candidate)
        reply = await candidate.hello("Ephemere")
        if reply["type"] == "welcome" or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    assert reply["type"] == "welcome"


async def test_flood_limit_follows_the_device_to_another_node(cluster: Cluster) -> None:
    first = await cluster.client(0, "Rapide", device="appareil-multi")
    await first.join("general")
    for index in range(5):  # a new identity's whole burst
        await first.say("general", f"rafale {index}")
    await first.close()
    second = await cluster.client(1, "Rapide2", device="appareil-multi")
    await second.join("general")
    # A fresh session alone could post 5; the device has only 3 of its 8 left, on any node.
    outcomes = [
        await second.request_outcome("say", room="general", text=f"encore {i}") for i in range(5)
    ]
    kinds = [o.get("code", o["type"]) for o in outcomes]
    assert kinds[:3] == ["ack"] * 3 and kinds[3] == "rate_limited", kinds


async def test_failed_staff_logins_on_one_node_count_on_the_other(cluster: Cluster) -> None:
    """The staff-login limit (10 failures per address by default) lives in Redis: moving to
    another node does not reset it."""
    first = Client(await websockets.connect(cluster.nodes[0].ws_url))
    cluster.clients.append(first)
    for _ in range(5):  # the connection would close at 10 bad frames in a row: two of them
        assert (await first.request("login", name="Devine", password="faux"))["code"] == (
            "forbidden"
        )
    second = Client(await websockets.connect(cluster.nodes[1].ws_url))
    cluster.clients.append(second)
    for _ in range(5):
        assert (await second.request("login", name="Devine", password="faux"))["code"] == (
            "forbidden"
        )

    third = Client(await websockets.connect(cluster.nodes[0].ws_url))
    cluster.clients.append(third)
    limited = await third.request("login", name="Autre", password="faux")

    assert limited["code"] == "rate_limited" and limited["retry_after"] > 0


async def test_ban_from_one_node_is_enforced_on_the_other(cluster: Cluster) -> None:
    import os
    import subprocess
    import sys

    from websockets.exceptions import ConnectionClosed

    from tests.support.process import REPO_ROOT

    target = await cluster.client(1, "Agresseur", device="appareil-ban")
    # An operator on node 0's machine bans through the shared database and Redis.
    result = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "-m",
            "causerie",
            "--data-dir",
            str(cluster.nodes[0].data_dir),
            "ban",
            "Agresseur",
            "--reason",
            "menaces",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **cluster.env, "PYTHONPATH": str(REPO_ROOT / "src")},
    )
    assert result.returncode == 0, result.stderr
    error = await target.expect_type("error")
    assert error["code"] == "banned"
    with pytest.raises(ConnectionClosed):
        while True:
            await target.receive()
    elsewhere = Client(
        await websockets.connect(
            cluster.nodes[0].ws_url, additional_headers={"Cookie": "causerie_device=appareil-ban"}
        )
    )
    cluster.clients.append(elsewhere)
    assert (await elsewhere.hello("AutrePseudo"))["code"] == "banned"


async def test_age_proof_used_on_one_node_is_refused_on_the_other(cluster: Cluster) -> None:
    first = await cluster.client(0, "Verifiee")
    copier = await cluster.client(1, "Copieur")
    token = PROVIDER.issue(int(time.time() * 1000))
    assert (await first.request("verify_age", token=token))["type"] == "age_verified"
    replayed = await copier.request("verify_age", token=token)
    assert replayed["code"] == "invalid" and "replayed" in replayed["message"]


async def test_lost_session_keeps_its_nickname_on_every_node_and_resumes_on_another(
    cluster: Cluster,
) -> None:
    alice = await cluster.client(0, "Alice", device="alice-laptop-01")
    bruno = await cluster.client(0, "Bruno")
    await alice.send({"type": "dm", "id": "d1", "to": "Bruno", "text": "salut"})
    assert (await alice.expect(lambda f: f.get("re") == "d1"))["type"] == "ack"
    await bruno.expect_type("dm_request")
    assert (await bruno.request_outcome("dm", to="Alice", text="salut toi"))["type"] == "ack"
    secret = {"session": alice.session, "resume_token": alice.resume_token}  # type: ignore[attr-defined]
    alice.ws.transport.abort()  # the network drops: Alice is away on node 0
    await asyncio.sleep(NODE_TTL_S)  # past a heartbeat: the claim is renewed while away

    taker = Client(await websockets.connect(cluster.nodes[1].ws_url))
    cluster.clients.append(taker)
    taken = await taker.hello("Alice")
    device = {"Cookie": "causerie_device=alice-laptop-01"}
    back = Client(await websockets.connect(cluster.nodes[1].ws_url, additional_headers=device))
    cluster.clients.append(back)
    welcome = await back.hello("Alice", resume=secret)
    sent = await bruno.request_outcome("dm", to="Alice", text="te revoilà")
    received = await back.expect(lambda f: f.get("id") == sent.get("message_id"))

    assert taken["code"] == "nick_taken", "reserved on the other node during the grace"
    assert welcome["type"] == "welcome", welcome
    assert sent["type"] == "ack", sent
    assert received["type"] == "dm", "the acceptance came along to the other node"


async def test_newcomer_on_another_node_inherits_no_acceptance(cluster: Cluster) -> None:
    alice = await cluster.client(0, "Alice")
    bruno = await cluster.client(1, "Bruno")
    await alice.send({"type": "dm", "id": "d1", "to": "Bruno", "text": "salut"})
    assert (await alice.expect(lambda f: f.get("re") == "d1"))["type"] == "ack"
    await bruno.expect_type("dm_request")
    assert (await bruno.request_outcome("dm", to="Alice", text="salut toi"))["type"] == "ack"
    await alice.close()  # Alice quits for good

    deadline = time.monotonic() + TIMEOUT_S
    while True:  # her nickname is free once her node let it go
        newcomer = Client(await websockets.connect(cluster.nodes[1].ws_url))
        cluster.clients.append(newcomer)
        reply = await newcomer.hello("Alice", age=40)
        if reply["type"] == "welcome" or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    sent = await newcomer.request_outcome("dm", to="Bruno", text="bonjour")
    at_bruno = await bruno.expect(lambda f: f.get("id") == sent.get("message_id"))

    assert reply["type"] == "welcome", reply
    assert at_bruno["type"] == "dm_request", "a stranger, not the Alice Bruno accepted"
