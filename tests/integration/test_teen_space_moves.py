"""A moderator moves a person out of the teen space, over the real WebSocket (issue 22): the
statement of reasons, the session closed, the device kept out of the teen space (and across a
restart) but admitted as an adult, the appeal that lifts it, and who may do it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import websockets
from argon2 import PasswordHasher
from websockets.exceptions import ConnectionClosed

from causerie.core.policy.bans import BanScope
from causerie.safety.audit import verify_rows
from causerie.safety.staff import StaffAccount, StaffRole
from tests.support.chat import TIMEOUT_S, Client, RunningServer, start_server, stop_server

pytestmark = pytest.mark.integration
PASSWORD = "un-mot-de-passe-long"
CHEAP_HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
DEVICE = "tel-faux15"


class World:
    def __init__(self, running: RunningServer) -> None:
        self.running = running
        self.clients: list[Client] = []

    async def connect(self, device: str | None = None, address: str | None = None) -> Client:
        headers = {}
        if device:
            headers["Cookie"] = f"causerie_device={device}"
        if address:
            headers["X-Forwarded-For"] = address
        client = Client(
            await websockets.connect(self.running.ws_url, additional_headers=headers or None)
        )
        self.clients.append(client)
        return client

    async def person(self, nick: str, age: int, device: str | None = None) -> Client:
        client = await self.connect(device)
        welcome = await client.hello(nick, age=age)
        assert welcome["type"] == "welcome", welcome
        return client

    async def moderator(self, name: str, rooms: tuple[str, ...] = ()) -> Client:
        store = self.running.node.store
        if await store.staff_account(name) is None:
            await store.add_staff(
                StaffAccount(name, StaffRole.MODERATOR, CHEAP_HASH, rooms=rooms), 0
            )
        client = await self.connect()
        assert (await client.request("login", name=name, password=PASSWORD))["type"] == "staff"
        await client.expect_type("queue")
        return client


async def _world(tmp_path: Path) -> tuple[World, Any, Any]:
    running, server, task = await start_server(tmp_path)
    return World(running), server, task


async def _end(world: World, server: Any, task: Any) -> None:
    for client in world.clients:
        await client.close()
    await stop_server(server, task)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    made, server, task = await _world(tmp_path)
    yield made
    await _end(made, server, task)


async def _closed_code(client: Client) -> int | None:
    """Read until the server closes the connection; its close code."""
    try:
        async with asyncio.timeout(TIMEOUT_S):
            while True:
                client.inbox.append(json.loads(await client.ws.recv()))
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None


async def _move_out(moderator: Client, **fields: Any) -> dict[str, Any]:
    return await moderator.request(
        "mod",
        action="move_out_of_teen_space",
        reason="adulte se faisant passer pour un ado",
        **fields,
    )


async def test_move_out_states_reasons_closes_the_session_and_keeps_the_device_out(
    world: World,
) -> None:
    moderator = await world.moderator("Sophie_Modo")
    suspect = await world.person("Faux15", 15, DEVICE)
    done = await _move_out(moderator, nick="Faux15")
    assert done["type"] == "mod_done" and done["statement_id"]
    statement = await suspect.expect_type("notice", kind="moderation")
    assert statement["statement_id"] == done["statement_id"]
    assert "espace ados" in statement["text"] and "Contester" in statement["text"]
    assert await _closed_code(suspect) == 4003
    refusal = next(f for f in suspect.inbox if f["type"] == "error")
    assert (refusal["code"], refusal["reason"]) == ("age_restricted", "move_out_of_teen_space")

    again = await world.connect(DEVICE)
    refused = await again.hello("Autre14", age=14)
    assert (refused["code"], refused["field"]) == ("age_restricted", "age")
    assert refused["reason"] == "move_out_of_teen_space"
    assert "conteste" in refused["message"].lower()
    as_adult = await again.hello("Marc", age=30)
    assert as_adult["type"] == "welcome" and as_adult["user"]["band"] == "adult"

    store = world.running.node.store
    rows = await store.audit_rows()
    actions = [row["action"] for row in rows]
    assert "move_out_of_teen_space" in actions
    assert verify_rows(rows).ok
    stored = await store.statement(done["statement_id"])
    assert stored is not None and stored["decision"] == "moved_out_of_teen_space"
    other_device = await world.connect("tel-autre")
    assert (await other_device.hello("VraieAdo", age=15))["type"] == "welcome"


async def test_move_out_on_a_report_closes_it_and_tells_the_reporter(world: World) -> None:
    moderator = await world.moderator("Sophie_Modo")
    reporter = await world.person("Ines", 14)
    await world.person("Faux15", 15, DEVICE)
    reported = await reporter.request(
        "report", nick="Faux15", category="child_safety", reason="suspected_adult"
    )
    done = await _move_out(moderator, report_id=reported["report_id"])
    assert done["type"] == "mod_done"
    told = await reporter.expect_type("notice", kind="info")
    assert str(reported["report_id"]) in told["text"]
    report = await world.running.node.store.report(reported["report_id"])
    assert report is not None and report.state.value == "actioned"


async def test_move_out_by_session(world: World) -> None:
    moderator = await world.moderator("Sophie_Modo")
    suspect = await world.connect(DEVICE)
    welcome = await suspect.hello("Faux15", age=15)
    done = await _move_out(moderator, session=welcome["session"])
    assert done["type"] == "mod_done"
    assert await _closed_code(suspect) == 4003


async def test_move_out_refusals_change_nothing(world: World) -> None:
    limited = await world.moderator("Paul_Salons", rooms=("general",))
    everyone = await world.moderator("Sophie_Modo")
    teen = await world.person("Faux15", 15, DEVICE)
    await world.person("Adulte", 30)
    refused = await _move_out(limited, nick="Faux15")
    assert (refused["code"], refused["message"]) == (
        "forbidden",
        "Hors de vos salons : cette action revient à une modération sans restriction.",
    )
    assert (await _move_out(everyone, nick="Adulte"))["code"] == "invalid"
    assert (await _move_out(everyone, nick="Personne"))["code"] == "not_found"
    assert (await _move_out(everyone, session="s-inconnue"))["code"] == "not_found"
    missing_reason = await everyone.request("mod", action="move_out_of_teen_space", nick="Faux15")
    assert (missing_reason["code"], missing_reason["field"]) == ("invalid", "reason")
    assert (await teen.request("ping"))["type"] == "pong"
    bans = world.running.node.bans.known
    assert (
        bans.find_at_admission(
            BanScope.TEEN_SPACE, session=None, device=DEVICE, address=None, now_ms=0
        )
        is None
    )


async def test_move_out_holds_across_a_restart(tmp_path: Path) -> None:
    world, server, task = await _world(tmp_path)
    try:
        moderator = await world.moderator("Sophie_Modo")
        await world.person("Faux15", 15, DEVICE)
        assert (await _move_out(moderator, nick="Faux15"))["type"] == "mod_done"
    finally:
        await _end(world, server, task)
    world, server, task = await _world(tmp_path)
    try:
        again = await world.connect(DEVICE)
        assert (await again.hello("Faux15", age=15))["code"] == "age_restricted"
    finally:
        await _end(world, server, task)


async def test_reversed_appeal_lifts_it_even_from_before_hello(world: World) -> None:
    decider = await world.moderator("Sophie_Modo")
    reviewer = await world.moderator("Hugo_Modo")
    suspect = await world.person("Vraie15", 15, DEVICE)
    done = await _move_out(decider, nick="Vraie15")
    statement_id = done["statement_id"]
    await _closed_code(suspect)
    back = await world.connect(DEVICE)
    assert (await back.hello("Vraie15", age=15))["code"] == "age_restricted"
    assert (await back.hello("Vraie15b", age=19))["type"] == "welcome"  # tried the adult side
    await back.close()

    stranger = await world.connect("tel-autre")  # another device cannot appeal it
    refused = await stranger.request("appeal", statement_id=statement_id, text="c'est moi")
    assert refused["code"] == "not_found"
    appellant = await world.connect(DEVICE)  # the barred device, before any hello
    appealed = await appellant.request(
        "appeal", statement_id=statement_id, text="J'ai vraiment 15 ans, je suis en seconde."
    )
    assert appealed["type"] == "appealed"
    item = await reviewer.expect(lambda f: f["item"]["kind"] == "appeal", type_="queue_item")
    assert item["item"]["statement_id"] == statement_id
    assert (await appellant.request("ping"))["code"] == "forbidden"  # nothing else before hello
    same_decider = await decider.request(
        "mod", action="decide_appeal", statement_id=statement_id, uphold=False, reason="x"
    )
    assert same_decider["code"] == "forbidden"  # art. 20: someone else decides
    reversed_ = await reviewer.request(
        "mod",
        action="decide_appeal",
        statement_id=statement_id,
        uphold=False,
        reason="ado confirmée",
    )
    assert reversed_["type"] == "mod_done"
    welcomed = await appellant.hello("Vraie15", age=15)
    assert welcomed["type"] == "welcome" and welcomed["user"]["band"] == "teen"


async def test_upheld_decision_keeps_the_device_out(world: World) -> None:
    decider = await world.moderator("Sophie_Modo")
    reviewer = await world.moderator("Hugo_Modo")
    suspect = await world.person("Faux15", 15, DEVICE)
    done = await _move_out(decider, nick="Faux15")
    await _closed_code(suspect)
    appellant = await world.connect(DEVICE)
    appealed = await appellant.request("appeal", statement_id=done["statement_id"], text="non")
    assert appealed["type"] == "appealed"
    upheld = await reviewer.request(
        "mod",
        action="decide_appeal",
        statement_id=done["statement_id"],
        uphold=True,
        reason="signaux concordants",
    )
    assert upheld["type"] == "mod_done"
    assert (await appellant.hello("Faux15", age=15))["code"] == "age_restricted"
