"""Over the WebSocket, a person or a room one may not see answers exactly as one that does not
exist (DESIGN.md rules 2 and 3; docs/protocol.md): a private message, a report or a block naming
a minor, from an adult, and a join, history, part or message to a room outside one's audience.
An adult who keeps naming minors is flagged for the moderators, once per window."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from causerie.safety.staff import StaffAccount, StaffRole, hash_password
from tests.support.chat import Client, RunningServer, start_server, stop_server

pytestmark = pytest.mark.integration
PASSWORD = "un-mot-de-passe-long"


class World:
    def __init__(self, running: RunningServer) -> None:
        self.running = running
        self.clients: list[Client] = []

    async def person(self, nick: str, age: int, **hello: Any) -> Client:
        client = await Client.connect(self.running)
        self.clients.append(client)
        welcome = await client.hello(nick, age=age, **hello)
        assert welcome["type"] == "welcome", welcome
        return client

    async def moderator(self) -> Client:
        store = self.running.node.store
        await store.add_staff(
            StaffAccount("Sophie_Modo", StaffRole.MODERATOR, hash_password(PASSWORD)), 0
        )
        staff = await Client.connect(self.running)
        self.clients.append(staff)
        assert (await staff.request("login", name="Sophie_Modo", password=PASSWORD))[
            "type"
        ] == "staff"
        await staff.expect_type("queue")
        return staff


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    running, server, task = await start_server(tmp_path, new_conversations_per_hour=1000)
    world = World(running)
    yield world
    for client in world.clients:
        await client.close()
    await stop_server(server, task)


def _unanswered(frame: dict[str, Any], *names: str) -> dict[str, Any]:
    """A reply without its request id, and the names asked about replaced by one placeholder."""
    text = repr({key: value for key, value in frame.items() if key != "re"})
    for name in names:
        text = text.replace(name, "<X>")
    return {"reply": text}


async def test_adult_naming_a_minor_gets_the_answers_for_nobody(world: World) -> None:
    nina = await world.person("Ninateen", 14, postcode="69001")
    assert (await nina.join("ados-general"))["type"] == "joined"
    adult = await world.person("Marc", 40, gender="man")

    for request in (
        {"type": "dm", "text": "salut", "to": "{}"},
        {"type": "report", "category": "other", "nick": "{}"},
        {"type": "block", "nick": "{}"},
        {"type": "unblock", "nick": "{}"},
        {"type": "accept", "nick": "{}"},
        {"type": "decline", "nick": "{}"},
    ):
        answers = []
        for name in ("Ninateen", "Zorglub"):
            fields = {k: v.format(name) if isinstance(v, str) else v for k, v in request.items()}
            kind = fields.pop("type")
            answers.append(_unanswered(await adult.request(kind, **fields), name))
            if kind == "block":  # back to no block, for the next name
                await adult.request("unblock", nick=name)
        assert answers[0] == answers[1], request
    assert not [f for f in nina.inbox if f["type"] in ("dm", "dm_request")]


async def test_same_band_private_message_and_report_still_reach(world: World) -> None:
    lea = await world.person("Lea", 15)
    await world.person("Ninateen", 14)
    adult = await world.person("Marc", 40, gender="man")
    await world.person("Julie", 35)

    assert (await lea.request_outcome("dm", to="Ninateen", text="coucou"))["type"] == "ack"
    assert (await adult.request_outcome("dm", to="Julie", text="bonjour"))["type"] == "ack"
    assert (await adult.request("report", nick="Julie", category="spam"))["type"] == "reported"


async def test_a_room_outside_the_audience_answers_as_no_room(world: World) -> None:
    adult = await world.person("Marc", 40, gender="man")
    teen = await world.person("Lea", 15)
    cases = (
        ("join", {}),
        ("part", {}),
        ("history", {}),
        ("say", {"text": "coucou"}),
    )

    for person, room in ((adult, "ados-general"), (teen, "general"), (adult, "charme")):
        for kind, extra in cases:
            about_room = _unanswered(await person.request(kind, room=room, **extra), room)
            nothing = _unanswered(
                await person.request(kind, room="nulle-part", **extra), "nulle-part"
            )
            assert about_room == nothing, (room, kind)
            assert "not_found" in about_room["reply"]


async def test_member_lists_show_only_the_room_s_band(world: World) -> None:
    nina = await world.person("Ninateen", 14)
    lea = await world.person("Lea", 15)
    adult = await world.person("Marc", 40, gender="man")
    await nina.join("ados-general")

    teen_view = await lea.join("ados-general")
    adult_view = await adult.join("general")

    assert {m["nick"] for m in teen_view["members"]} == {"Ninateen", "Lea"}
    assert {m["nick"] for m in adult_view["members"]} == {"Marc"}
    await nina.expect(lambda f: f["user"]["nick"] == "Lea", type_="presence")
    await adult.request("ping")
    assert not [f for f in adult.inbox if f["type"] == "presence" and f["user"]["age"] < 18]


async def test_adult_who_keeps_naming_minors_is_flagged_once_per_window(world: World) -> None:
    moderator = await world.moderator()
    for nick in ("Lea", "Ninateen"):
        await world.person(nick, 14)
    adult = await world.person("Marc", 40, gender="man")
    nobody = _unanswered(await adult.request("dm", to="Zorglub", text="salut"), "Zorglub")

    for name in ("Lea", "Ninateen", "Lea", "Ninateen", "Lea"):
        answer = await adult.request("dm", to=name, text="t'as quel âge ?")
        assert _unanswered(answer, name) == nobody

    alert = await moderator.expect(lambda f: f["item"]["rule"] == "seeking_minors", type_="alert")
    item = alert["item"]
    assert (item["category"], item["severity"], item["kind"]) == ("child_safety", 4, "flag")
    assert item["target"]["nick"] == "Marc"
    await asyncio.sleep(0.2)
    flags = [r for r in await world.running.node.store.open_reports() if r.rule == "seeking_minors"]
    assert len(flags) == 1
    details = flags[0].evidence["details"]
    assert details["minors"] == ["Lea", "Ninateen"] and details["attempts"] == 3
    assert not [f for f in moderator.inbox if f["type"] == "alert"]


async def test_a_minor_naming_an_adult_is_nobody_too_but_not_a_seeking_flag(world: World) -> None:
    await world.person("Marc", 40, gender="man")
    teen = await world.person("Lea", 15)
    nobody = _unanswered(await teen.request("dm", to="Zorglub", text="salut"), "Zorglub")

    for _ in range(5):
        assert _unanswered(await teen.request("dm", to="Marc", text="salut"), "Marc") == nobody
    await asyncio.sleep(0.2)

    rules = {r.rule for r in await world.running.node.store.open_reports()}
    assert "seeking_minors" not in rules
