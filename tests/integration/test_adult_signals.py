"""Signals that a "teen" is an adult, over the real WebSocket (issue 22): an address seen with
an adult profile, minors reached with no room in common, the "I think this is an adult" report,
and what a moderator sees of a person's signals together.

Addresses come from `X-Forwarded-For` (the test client connects from 127.0.0.1, a trusted
proxy by default), device cookies from a `Cookie` header.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import websockets
from argon2 import PasswordHasher

from causerie.safety.staff import StaffAccount, StaffRole
from tests.support.chat import Client, RunningServer, start_server, stop_server

pytestmark = pytest.mark.integration
PASSWORD = "un-mot-de-passe-long"
CHEAP_HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
HOUSE = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


class World:
    def __init__(self, running: RunningServer) -> None:
        self.running = running
        self.clients: list[Client] = []

    async def connect(self, *, address: str | None = None, device: str | None = None) -> Client:
        headers = {}
        if address:
            headers["X-Forwarded-For"] = address
        if device:
            headers["Cookie"] = f"causerie_device={device}"
        ws = await websockets.connect(self.running.ws_url, additional_headers=headers or None)
        client = Client(ws)
        self.clients.append(client)
        return client

    async def person(
        self, nick: str, age: int, *, address: str | None = None, device: str | None = None
    ) -> Client:
        client = await self.connect(address=address, device=device)
        welcome = await client.hello(nick, age=age)
        assert welcome["type"] == "welcome", welcome
        return client

    async def moderator(self, name: str = "Sophie_Modo", rooms: tuple[str, ...] = ()) -> Client:
        store = self.running.node.store
        if await store.staff_account(name) is None:
            await store.add_staff(
                StaffAccount(name, StaffRole.MODERATOR, CHEAP_HASH, rooms=rooms), 0
            )
        client = await self.connect()
        assert (await client.request("login", name=name, password=PASSWORD))["type"] == "staff"
        await client.expect_type("queue")
        return client

    async def flags(self, rule: str) -> list[Any]:
        return [r for r in await self.running.node.store.open_reports() if r.rule == rule]


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    running, server, task = await start_server(tmp_path)
    made = World(running)
    yield made
    for client in made.clients:
        await client.close()
    await stop_server(server, task)


async def _settled(world: World) -> None:
    """Let the background flags reach the store (they never hold up the person)."""
    await asyncio.sleep(0.3)
    for client in world.clients:
        if client.ws.state.name == "OPEN":
            await client.send({"type": "ping", "id": "sync"})
    await asyncio.sleep(0.1)


async def _dm(client: Client, to: str, text: str) -> dict[str, Any]:
    return await client.request_outcome("dm", to=to, text=text)


# -- an address recently seen with an adult profile ------------------------------------------


async def test_minor_from_an_address_just_used_by_an_adult_profile_is_flagged_with_its_weight(
    world: World,
) -> None:
    moderator = await world.moderator()
    await world.person("Marc", 38, address=HOUSE, device="pc-marc")
    teen = await world.connect(address=HOUSE, device="pc-lea15")
    welcome = await teen.hello("Lea15", age=15)
    assert welcome["type"] == "welcome"  # a signal, never a refusal
    alert = await moderator.expect(lambda f: f["item"]["rule"] == "adult_address", type_="alert")
    item = alert["item"]
    assert (item["category"], item["target"]["nick"]) == ("child_safety", "Lea15")
    details = item["details"]
    # The same browser (user agent) minutes after an adult profile, from another cookie.
    assert details["factors"] == ["adult_within_15_min", "same_browser"]
    assert details["weight"] == 4 and details["adult_devices"] == 1
    assert item["severity"] == 2  # modest: families share addresses
    assert [s["rule"] for s in item["signals"]] == ["adult_address"]


async def test_minor_from_another_address_is_not_flagged(
    world: World,
) -> None:
    await world.person("Marc", 38, address=HOUSE, device="pc-marc")
    await world.person("Zoe", 14, address=ELSEWHERE, device="tel-zoe")
    await _settled(world)
    assert await world.flags("adult_address") == []


async def test_address_flag_comes_once_per_person_per_window(world: World) -> None:
    await world.person("Marc", 38, address=HOUSE)
    first = await world.person("Lea15", 15, address=HOUSE, device="tel-lea")
    await _settled(world)
    await first.close()
    await world.person("Lea15b", 15, address=HOUSE, device="tel-lea")  # the same device again
    await _settled(world)
    flags = await world.flags("adult_address")
    assert len(flags) == 1 and flags[0].target_nick == "Lea15"


async def test_private_window_after_an_adult_profile_weighs_more(world: World) -> None:
    await world.person("Marc", 38, address=HOUSE, device="pc-marc")
    await world.person("Lea15", 15, address=HOUSE)  # no cookie: a private window
    await _settled(world)
    (flag,) = await world.flags("adult_address")
    assert flag.evidence["details"]["weight"] == 5
    assert "no_device_cookie" in flag.evidence["details"]["factors"]
    assert flag.severity == 3


async def test_adult_arriving_after_a_minor_raises_nothing(world: World) -> None:
    await world.person("Lea15", 15, address=HOUSE, device="tel-lea")
    await world.person("Marc", 38, address=HOUSE, device="pc-marc")
    await _settled(world)
    assert await world.flags("adult_address") == []


# -- a person reaching many minors they share no room with -----------------------------------


async def test_reaching_four_minors_sharing_no_room_raises_one_flag(world: World) -> None:
    moderator = await world.moderator()
    sender = await world.person("Tom15", 15, device="tel-tom")
    for index in range(5):
        await world.person(f"Ado{index}", 14, device=f"tel-ado{index}")
    for index in range(5):
        assert (await _dm(sender, f"Ado{index}", "salut ça va ?"))["type"] == "ack"
    alert = await moderator.expect(lambda f: f["item"]["rule"] == "reaching_minors", type_="alert")
    item = alert["item"]
    assert (item["category"], item["severity"], item["target"]["nick"]) == (
        "child_safety",
        4,
        "Tom15",
    )
    assert item["details"]["minors"] == ["Ado0", "Ado1", "Ado2", "Ado3"]
    await _settled(world)
    assert len(await world.flags("reaching_minors")) == 1  # the fifth raised nothing more


async def test_minors_sharing_a_room_or_already_known_are_not_counted(world: World) -> None:
    sender = await world.person("Tom15", 15)
    assert (await sender.join("ados-general"))["type"] == "joined"
    for index in range(4):
        teen = await world.person(f"Ado{index}", 14)
        assert (await teen.join("ados-general"))["type"] == "joined"
    for index in range(4):
        assert (await _dm(sender, f"Ado{index}", "salut"))["type"] == "ack"
        assert (await _dm(sender, f"Ado{index}", "tu fais quoi ?"))["type"] == "ack"
    await _settled(world)
    assert await world.flags("reaching_minors") == []


# -- "I think this is an adult" --------------------------------------------------------------


async def test_suspected_adult_report_reaches_the_child_safety_lane_with_its_reason(
    world: World,
) -> None:
    moderator = await world.moderator()
    reporter = await world.person("Ines", 14)
    await world.person("Faux15", 15)
    reported = await reporter.request(
        "report", nick="Faux15", category="child_safety", reason="suspected_adult"
    )
    assert reported["type"] == "reported"
    alert = await moderator.expect(
        lambda f: f["item"]["id"] == reported["report_id"], type_="alert"
    )
    assert alert["item"]["reason"] == "suspected_adult"
    queue = (await moderator.request("queue"))["items"]
    item = next(i for i in queue if i["id"] == reported["report_id"])
    assert (item["category"], item["severity"], item["lane"], item["reason"]) == (
        "child_safety",
        5,
        "user",
        "suspected_adult",
    )
    assert item["signals"][-1]["reason"] == "suspected_adult"
    stored = await world.running.node.store.report(reported["report_id"])
    assert stored is not None and stored.evidence["reason"] == "suspected_adult"


async def test_suspected_adult_report_of_a_message_in_the_teen_room(world: World) -> None:
    moderator = await world.moderator()
    reporter = await world.person("Ines", 14)
    suspect = await world.person("Faux15", 15)
    for client in (reporter, suspect):
        assert (await client.join("ados-general"))["type"] == "joined"
    message, _ack = await suspect.say("ados-general", "t'as quel âge en vrai ?")
    reported = await reporter.request(
        "report", message_id=message["id"], category="child_safety", reason="suspected_adult"
    )
    assert reported["type"] == "reported"
    alert = await moderator.expect(
        lambda f: f["item"]["id"] == reported["report_id"], type_="alert"
    )
    assert alert["item"]["reason"] == "suspected_adult"
    assert alert["item"]["target"]["message"]["text"] == "t'as quel âge en vrai ?"


@pytest.mark.parametrize(
    ("age", "fields"),
    [
        (14, {"category": "child_safety", "reason": "adult"}),  # unknown
        (14, {"category": "child_safety", "reason": 3}),  # not a word
        (14, {"category": "harassment", "reason": "suspected_adult"}),  # not its lane
        (30, {"category": "child_safety", "reason": "suspected_adult"}),  # an adult reporting
    ],
)
async def test_report_reason_out_of_place_is_invalid_and_nothing_is_stored(
    world: World, age: int, fields: dict[str, Any]
) -> None:
    reporter = await world.person("Temoin", age)
    await world.person("Autre", age)
    refused = await reporter.request("report", nick="Autre", **fields)
    assert (refused["type"], refused["code"], refused["field"]) == ("error", "invalid", "reason")
    assert await world.running.node.store.open_reports() == []
    assert (await reporter.request("ping"))["type"] == "pong"


# -- a person's signals, together ------------------------------------------------------------


async def test_moderator_sees_every_signal_about_a_person_together(world: World) -> None:
    moderator = await world.moderator()
    await world.person("Marc", 38, address=HOUSE, device="pc-marc")
    suspect = await world.person("Faux15", 15, address=HOUSE, device="pc-faux")
    for index in range(4):
        await world.person(f"Ado{index}", 14, address=ELSEWHERE)
    for index in range(4):
        assert (await _dm(suspect, f"Ado{index}", "coucou"))["type"] == "ack"
    await moderator.expect(lambda f: f["item"]["rule"] == "reaching_minors", type_="alert")
    reporter = await world.connect(address=ELSEWHERE)
    assert (await reporter.hello("Ines", age=14))["type"] == "welcome"
    reported = await reporter.request(
        "report", nick="Faux15", category="child_safety", reason="suspected_adult"
    )
    alert = await moderator.expect(
        lambda f: f["item"]["id"] == reported["report_id"], type_="alert"
    )
    signals = alert["item"]["signals"]
    assert [s.get("rule") or s.get("reason") for s in signals] == [
        "adult_address",
        "reaching_minors",
        "suspected_adult",
    ]
    assert signals[0]["details"]["weight"] >= 3
    assert signals[1]["details"]["count"] == 4
