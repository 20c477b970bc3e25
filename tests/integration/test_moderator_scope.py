"""Moderators over the real protocols (issue 17, findings 4 and 5).

A moderator limited to rooms acts only on objects of their rooms, judged by the object — the
message's room, the report's room, the person's presence, the room itself — never by a field
they chose; private messages are for unrestricted moderators. Every number a moderator sends
has a range: outside it the answer is `invalid`, and nobody's connection is closed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from causerie.safety.staff import StaffAccount, StaffRole
from tests.support.chat import Client, RunningServer, start_server, stop_server
from tests.support.irc import IrcClient, irc_port, sasl_client, start_irc_server

pytestmark = pytest.mark.integration
PASSWORD = "un-mot-de-passe-long"
CHEAP_HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)


class World:
    def __init__(self, running: RunningServer) -> None:
        self.running = running
        self.clients: list[Client] = []

    async def connect(self) -> Client:
        client = await Client.connect(self.running)
        self.clients.append(client)
        return client

    async def person(self, nick: str, *rooms: str) -> Client:
        client = await self.connect()
        assert (await client.hello(nick, age=30))["type"] == "welcome"
        for room in rooms:
            assert (await client.join(room))["type"] == "joined"
        return client

    async def moderator(self, name: str, rooms: tuple[str, ...] = ()) -> Client:
        store = self.running.node.store
        account = StaffAccount(name, StaffRole.MODERATOR, CHEAP_HASH, rooms=rooms)
        await store.add_staff(account, 0)
        client = await self.connect()
        assert (await client.request("login", name=name, password=PASSWORD))["type"] == "staff"
        await client.expect_type("queue")
        return client


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    running, server, task = await start_server(tmp_path)
    made = World(running)
    yield made
    for client in made.clients:
        await client.close()
    await stop_server(server, task)


async def _say(client: Client, room: str, text: str) -> dict[str, Any]:
    request_id = f"say-{time.monotonic_ns()}"
    await client.send({"type": "say", "id": request_id, "room": room, "text": text})
    return await client.expect(lambda f: f.get("re") == request_id)


async def _still_open(client: Client) -> None:
    assert (await client.request("ping"))["type"] == "pong"


async def _staff_still_open(staff: Client) -> None:
    assert (await staff.request("queue"))["type"] == "queue"


async def _no_frame(client: Client, type_: str) -> None:
    await asyncio.sleep(0.2)
    await _still_open(client)
    assert not [f for f in client.inbox if f["type"] == type_], client.inbox


async def _mod(moderator: Client, **fields: Any) -> dict[str, Any]:
    return await moderator.request("mod", **{"reason": "motif", **fields})


# -- finding 4: the object's room, not the client's ---------------------------------------------


async def test_scoped_moderator_cannot_delete_a_message_of_another_room_by_naming_theirs(
    world: World,
) -> None:
    paul = await world.moderator("Paul_Modo", ("general",))
    bruno = await world.person("Bruno", "musique")
    posted = await _say(bruno, "musique", "un message de #musique")

    refused = await _mod(
        paul, action="delete_message", message_id=posted["message_id"], room="general"
    )

    assert (refused["type"], refused["code"]) == ("error", "forbidden")
    await _no_frame(bruno, "deleted")
    assert world.running.node.hub.find_recent(posted["message_id"]) is not None
    alice = await world.person("Alice", "general")
    own = await _say(alice, "general", "un message de #general")
    done = await _mod(paul, action="delete_message", message_id=own["message_id"])
    assert done["type"] == "mod_done"


async def test_scoped_moderator_cannot_take_or_dismiss_a_report_of_another_room(
    world: World,
) -> None:
    paul = await world.moderator("Paul_Modo", ("general",))
    bruno = await world.person("Bruno", "musique")
    chloe = await world.person("Chloe", "musique")
    posted = await _say(bruno, "musique", "pub pub pub")
    reported = await chloe.request("report", message_id=posted["message_id"], category="spam")

    for action in ("take", "dismiss", "delete_message", "mute", "kick"):
        fields = {"nick": "Bruno", "room": "general"} if action in ("mute", "kick") else {}
        refused = await _mod(paul, action=action, report_id=reported["report_id"], **fields)
        assert refused["code"] == "forbidden", (action, refused)

    report = await world.running.node.store.report(reported["report_id"])
    assert report is not None and report.state.value == "received"
    assert report.assigned_to is None


async def test_scoped_moderator_queue_lists_only_their_rooms_never_private_messages(
    world: World,
) -> None:
    paul = await world.moderator("Paul_Modo", ("general",))
    alice = await world.person("Alice", "general")
    bruno = await world.person("Bruno", "musique")
    chloe = await world.person("Chloe", "general", "musique")
    in_general = await _say(alice, "general", "message de general")
    in_musique = await _say(bruno, "musique", "message de musique")
    await chloe.request("report", message_id=in_general["message_id"], category="spam")
    await chloe.request("report", message_id=in_musique["message_id"], category="spam")
    await chloe.request("report", nick="Bruno", category="harassment")
    assert (await alice.request_outcome("dm", to="Chloe", text="un message privé"))["type"] == "ack"
    dm = await chloe.expect(lambda f: f["type"] in ("dm", "dm_request"))
    dm_report = await chloe.request("report", message_id=dm["id"], category="harassment")

    queue = await paul.request("queue")

    assert [item["room"] for item in queue["items"]] == ["general"]
    await asyncio.sleep(0.2)
    await _staff_still_open(paul)
    pushed = [f["item"]["room"] for f in paul.inbox if f["type"] == "queue_item"]
    assert pushed == ["general"]
    taken = await _mod(paul, action="take", report_id=dm_report["report_id"])
    assert taken["code"] == "forbidden"
    everyone = await world.moderator("Sophie_Modo")
    assert (await _mod(everyone, action="take", report_id=dm_report["report_id"]))[
        "type"
    ] == "mod_done"


async def test_scoped_moderator_measures_only_on_people_of_their_rooms(world: World) -> None:
    paul = await world.moderator("Paul_Modo", ("general",))
    alice = await world.person("Alice", "general")
    await world.person("Bruno", "musique")

    for action in ("mute", "kick", "ban"):
        stranger = await _mod(paul, action=action, nick="Bruno", room="general", duration_s=60)
        assert stranger["code"] == "forbidden", (action, stranger)
        site_wide = await _mod(paul, action=action, nick="Alice", duration_s=60)
        assert site_wide["code"] == "forbidden", (action, site_wide)

    muted = await _mod(paul, action="mute", nick="Alice", room="general", duration_s=60)
    assert muted["type"] == "mod_done"
    assert (await _say(alice, "general", "encore"))["code"] == "muted"


async def test_scoped_moderator_lock_and_slow_mode_only_their_rooms(world: World) -> None:
    paul = await world.moderator("Paul_Modo", ("general",))

    assert (await _mod(paul, action="lock_room", room="musique", locked=True))["code"] == (
        "forbidden"
    )
    assert (await _mod(paul, action="slow_mode", room="musique", interval_s=10))["code"] == (
        "forbidden"
    )
    assert (await _mod(paul, action="slow_mode", room="general", interval_s=10))["type"] == (
        "mod_done"
    )
    assert world.running.node.hub.restrictions.room("musique").slow_mode_s == 0.0


async def test_scoped_moderator_cannot_decide_the_appeal_of_a_site_wide_decision(
    world: World,
) -> None:
    sophie = await world.moderator("Sophie_Modo")
    paul = await world.moderator("Paul_Modo", ("general",))
    alice = await world.person("Alice", "general")
    done = await _mod(sophie, action="mute", nick="Alice", duration_s=60)
    await alice.expect_type("notice", kind="moderation")
    appealed = await alice.request("appeal", statement_id=done["statement_id"], text="erreur")
    assert appealed["type"] == "appealed"

    refused = await _mod(
        paul, action="decide_appeal", statement_id=done["statement_id"], uphold=False
    )

    assert refused["code"] == "forbidden"
    assert (await alice.request("ping"))["type"] == "pong"


async def test_irc_scoped_staff_kick_outside_their_rooms_refused(tmp_path: Path) -> None:
    running, server, task = await start_irc_server(tmp_path)
    world = World(running)
    irc: IrcClient | None = None
    try:
        await running.node.store.add_staff(
            StaffAccount("Paul_Modo", StaffRole.MODERATOR, CHEAP_HASH, rooms=("general",)), 0
        )
        bruno = await world.person("Bruno", "musique")
        irc = await sasl_client(irc_port(server), "Paul", "Paul_Modo", PASSWORD)
        await irc.expect("saslsuccess")
        irc.send("CAP END")
        await irc.expect("welcome")

        irc.send("KICK #musique Bruno :dehors")
        refused = await irc.expect("privnotice", lambda e: "salons" in e.arguments[0])

        assert "Hors de vos salons" in refused.arguments[0]
        await _no_frame(bruno, "parted")
    finally:
        if irc is not None:
            irc.close()
        for client in world.clients:
            await client.close()
        await stop_server(server, task)


# -- finding 5: numbers in range, nobody's connection closed -----------------------------------


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("mute", {"duration_s": 1e308}),
        ("ban", {"duration_s": -100}),
        ("mute", {"duration_s": "nan"}),
        ("ban", {"duration_s": "inf"}),
        ("slow_mode", {"interval_s": 1e308, "room": "general"}),
        ("slow_mode", {"interval_s": -1, "room": "general"}),
        ("delete_message", {"message_id": 10**30}),
        ("take", {"report_id": True}),
    ],
)
async def test_out_of_range_staff_number_invalid_and_the_moderator_stays_connected(
    world: World, action: str, fields: dict[str, Any]
) -> None:
    sophie = await world.moderator("Sophie_Modo")
    await world.person("Alice", "general")

    refused = await _mod(sophie, action=action, nick="Alice", **fields)

    assert (refused["type"], refused["code"]) == ("error", "invalid")
    assert refused["field"] in fields
    await _staff_still_open(sophie)


async def test_mute_longer_than_thirty_days_invalid_with_its_range(world: World) -> None:
    sophie = await world.moderator("Sophie_Modo")
    await world.person("Alice", "general")

    refused = await _mod(sophie, action="mute", nick="Alice", duration_s=31 * 86400)

    assert (refused["code"], refused["field"]) == ("invalid", "duration_s")
    assert "2592000" in refused["message"]
    banned = await _mod(sophie, action="ban", nick="Alice", room="general", duration_s=31 * 86400)
    assert banned["type"] == "mod_done"


async def test_slow_mode_at_its_maximum_users_refused_politely_and_stay_connected(
    world: World,
) -> None:
    sophie = await world.moderator("Sophie_Modo")
    alice = await world.person("Alice", "general")
    assert (await _mod(sophie, action="slow_mode", room="general", interval_s=3600))[
        "type"
    ] == "mod_done"
    await alice.expect_type("room_state", slow_mode_s=3600.0)

    assert (await _say(alice, "general", "premier"))["type"] == "ack"
    second = await _say(alice, "general", "second")

    assert second["code"] == "rate_limited" and 3590 < second["retry_after"] <= 3600.1
    await _still_open(alice)
