"""What people do to their messages and conversations, over a real WebSocket (issue 19): the
wait for new private conversations as the client is told it, and statements of reasons that
name rooms by their names."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from causerie.safety.staff import StaffAccount, StaffRole, hash_password
from tests.support.chat import Client, RunningServer, start_server, stop_server

PASSWORD = "un-mot-de-passe-long"


class People:
    """Connects people and moderators to one server and closes them all at the end."""

    def __init__(self, running: RunningServer) -> None:
        self.running = running
        self.clients: list[Client] = []

    async def person(self, nick: str, age: int = 30, **hello: Any) -> Client:
        client = await Client.connect(self.running)
        self.clients.append(client)
        welcome = await client.hello(nick, age=age, **hello)
        assert welcome["type"] == "welcome", welcome
        client.welcome = welcome  # type: ignore[attr-defined]
        return client

    async def moderator(self, name: str = "Sophie_Modo", rooms: tuple[str, ...] = ()) -> Client:
        store = self.running.node.store
        if await store.staff_account(name) is None:
            account = StaffAccount(name, StaffRole.MODERATOR, hash_password(PASSWORD), rooms=rooms)
            await store.add_staff(account, 0)
        staff = await Client.connect(self.running)
        self.clients.append(staff)
        welcome = await staff.request("login", name=name, password=PASSWORD)
        assert welcome["type"] == "staff", welcome
        await staff.expect_type("queue")
        return staff


@pytest.fixture
async def people(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[People]:
    running, server, task = await start_server(tmp_path, **getattr(request, "param", {}))
    found = People(running)
    yield found
    for client in found.clients:
        await client.close()
    await stop_server(server, task)


# -- the wait for new private conversations ------------------------------------------------


@pytest.mark.parametrize("people", [{"dm_wait_s": 60}], indirect=True)
async def test_dm_wait_welcome_says_it_and_refusal_names_it(people: People) -> None:
    alice = await people.person("Alice")
    await people.person("Bruno")

    assert alice.welcome["dm_wait_s"] in (59, 60)  # type: ignore[attr-defined]
    refused = await alice.request("dm", to="Bruno", text="salut")

    assert (refused["type"], refused["code"], refused["reason"]) == (
        "error",
        "rate_limited",
        "dm_wait",
    )
    assert 0 < refused["retry_after"] <= 60


async def test_dm_without_wait_welcome_has_no_dm_wait(people: People) -> None:
    alice = await people.person("Alice")

    assert "dm_wait_s" not in alice.welcome  # type: ignore[attr-defined]


# -- statements of reasons -------------------------------------------------------------------


async def test_statement_names_the_room_by_its_name(people: People) -> None:
    moderator = await people.moderator()
    author = await people.person("Auteur")
    await author.join("general")
    message, _ack = await author.say("general", "un message déplacé")

    await moderator.request(
        "mod", action="delete_message", message_id=message["id"], reason="hors sujet"
    )
    statement = await author.expect_type("notice", kind="moderation")

    assert "Salon : Général" in statement["text"]
    assert "Salon : general" not in statement["text"]
