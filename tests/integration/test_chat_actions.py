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


# -- replies ---------------------------------------------------------------------------------


async def test_reply_in_room_carries_the_quote_to_everyone_and_in_history(people: People) -> None:
    alice = await people.person("Alice")
    bruno = await people.person("Bruno")
    await alice.join("general")
    await bruno.join("general")
    question, _ = await alice.say("general", "Qui vient samedi ?")

    await bruno.send(
        {"type": "say", "id": "r1", "room": "general", "text": "moi", "reply_to": question["id"]}
    )
    ack = await bruno.expect(lambda f: f.get("re") == "r1")
    seen = await alice.expect_type("message", id=ack["message_id"])
    late = await people.person("Chloe")
    history = (await late.join("general"))["history"]

    quote = {"id": question["id"], "from": "Alice", "text": "Qui vient samedi ?"}
    assert seen["reply_to"] == quote
    assert [m.get("reply_to") for m in history if m["id"] == ack["message_id"]] == [quote]


async def test_reply_to_a_message_of_a_room_one_cannot_see_refused(people: People) -> None:
    minor = await people.person("Lea", age=15)
    await minor.join("ados-general")
    hidden, _ = await minor.say("ados-general", "salut les ados")
    adult = await people.person("Marc", age=40)
    await adult.join("general")

    refused = await adult.request("say", room="general", text="coucou", reply_to=hidden["id"])

    assert (refused["type"], refused["code"], refused["field"]) == (
        "error",
        "not_found",
        "reply_to",
    )


async def test_reply_to_someone_elses_private_message_refused(people: People) -> None:
    alice = await people.person("Alice")
    bruno = await people.person("Bruno")
    chloe = await people.person("Chloe")
    dm = await alice.request_outcome("dm", to="Bruno", text="entre nous")
    await chloe.request_outcome("dm", to="Alice", text="hello")

    refused = await chloe.request("dm", to="Alice", text="!", reply_to=dm["message_id"])

    assert (refused["code"], refused["field"]) == ("not_found", "reply_to")
    await bruno.expect_type("dm_request")


# -- taking back one's own message -----------------------------------------------------------


async def test_delete_own_message_gone_for_all_kept_for_moderators(people: People) -> None:
    alice = await people.person("Alice")
    bruno = await people.person("Bruno")
    await alice.join("general")
    await bruno.join("general")
    message, _ = await alice.say("general", "message regretté")

    await alice.send({"type": "delete", "id": "d1", "message_id": message["id"]})
    told = await bruno.expect_type("deleted", message_id=message["id"])
    late = await people.person("Chloe")
    history = (await late.join("general"))["history"]

    assert told == {
        "type": "deleted",
        "room": "general",
        "message_id": message["id"],
        "by": "author",
    }
    assert message["id"] not in [m["id"] for m in history]
    store = people.running.node.store
    kept = await store.find_message(message["id"])
    assert kept is not None and kept.text == "message regretté"
    audit = [row for row in await store.audit_rows() if row["action"] == "delete_own_message"]
    assert [(row["actor"], row["target"]) for row in audit] == [
        ("Alice", f"message:{message['id']}")
    ]


async def test_delete_someone_elses_message_refused_and_nothing_changes(people: People) -> None:
    alice = await people.person("Alice")
    bruno = await people.person("Bruno")
    await alice.join("general")
    await bruno.join("general")
    message, _ = await alice.say("general", "à moi")

    refused = await bruno.request("delete", message_id=message["id"])
    history = (await (await people.person("Chloe")).join("general"))["history"]

    assert (refused["code"], refused["field"]) == ("forbidden", "message_id")
    assert message["id"] in [m["id"] for m in history]


async def test_delete_own_private_message_both_sides_told(people: People) -> None:
    alice = await people.person("Alice")
    bruno = await people.person("Bruno")
    await bruno.request_outcome("dm", to="Alice", text="salut")
    await alice.expect_type("dm_request")
    sent = (await alice.request_outcome("dm", to="Bruno", text="oups, pas pour toi"))["message_id"]
    await bruno.expect_type("dm", id=sent)

    await alice.send({"type": "delete", "id": "d2", "message_id": sent})

    for side in (alice, bruno):
        told = await side.expect_type("deleted", message_id=sent)
        assert "room" not in told
    refused = await alice.request("delete", message_id=sent)
    assert refused["code"] == "not_found"  # deleted: nothing to delete any more


# -- typing ----------------------------------------------------------------------------------


async def test_typing_reaches_the_room_but_not_a_blocker(people: People) -> None:
    alice = await people.person("Alice")
    bruno = await people.person("Bruno")
    chloe = await people.person("Chloe")
    for client in (alice, bruno, chloe):
        await client.join("general")
    await chloe.request("block", nick="Alice")

    await alice.send({"type": "typing", "room": "general"})
    typing = await bruno.expect_type("typing", room="general")
    await bruno.send({"type": "typing", "room": "general"})
    after = await chloe.expect_type("typing", room="general")

    assert typing["from"]["nick"] == "Alice"
    assert after["from"]["nick"] == "Bruno"  # Alice's, sent before, never came to Chloe
    assert not [f for f in chloe.inbox if f["type"] == "typing"]


async def test_typing_privately_only_to_an_accepted_contact_of_the_same_band(
    people: People,
) -> None:
    adult = await people.person("Marc", age=40)
    minor = await people.person("Lea", age=15)
    friend = await people.person("Zoe", age=16)
    await minor.request_outcome("dm", to="Zoe", text="coucou")
    await friend.expect_type("dm_request")

    await adult.send({"type": "typing", "to": "Lea"})  # another band: nobody
    await friend.send({"type": "typing", "to": "Lea"})  # Lea wrote to Zoe: she knows her
    typing = await minor.expect_type("typing")

    assert typing["from"]["nick"] == "Zoe" and "room" not in typing
    assert not [f for f in minor.inbox if f["type"] == "typing"]


# -- held messages: released or discarded by a moderator -----------------------------------


def _held_item(frame: dict[str, Any]) -> bool:
    """A new ticket for a held message, as the console gets it (urgent ones as `alert`)."""
    return frame["type"] in ("queue_item", "alert") and bool(frame["item"].get("held"))


async def _held_in_teen_room(people: People, moderator: Client) -> tuple[Client, Client, int]:
    """Tom's teen-room message held by automatic moderation; returns Tom, Zoe (a member who
    never saw it) and the ticket's id."""
    tom = await people.person("Tom", age=15)
    zoe = await people.person("Zoe", age=14)
    await tom.join("ados-general")
    await zoe.join("ados-general")
    held = await tom.request("say", room="ados-general", text="appelle-moi au 06 12 34 56 78")
    assert held["code"] == "held_for_review"
    item = (await moderator.expect(_held_item))["item"]
    return tom, zoe, item["id"]


async def test_release_held_delivers_it_as_if_it_had_passed_and_tells_the_sender(
    people: People,
) -> None:
    moderator = await people.moderator()
    tom, zoe, report_id = await _held_in_teen_room(people, moderator)

    done = await moderator.request(
        "mod", action="release_held", report_id=report_id, reason="numéro d'un service public"
    )
    delivered = await zoe.expect_type("message", room="ados-general")
    told = await tom.expect(lambda f: "publié" in f.get("text", ""), type_="notice")
    history = (await (await people.person("Lina", age=16)).join("ados-general"))["history"]

    assert done["type"] == "mod_done" and done["action"] == "release_held"
    assert delivered["text"] == "appelle-moi au 06 12 34 56 78"
    assert delivered["from"]["nick"] == "Tom"
    assert told["kind"] == "info" and "appelle-moi" in told["text"]
    assert delivered["id"] in [m["id"] for m in history]
    store = people.running.node.store
    report = await store.report(report_id)
    assert report is not None and not report.is_open
    audit = [r for r in await store.audit_rows() if r["action"] == "release_message"]
    assert [(r["actor"], r["target"]) for r in audit] == [
        ("Sophie_Modo", f"message:{delivered['id']}")
    ]
    again = await moderator.request(
        "mod", action="release_held", report_id=report_id, reason="encore"
    )
    assert (again["type"], again["code"]) == ("error", "invalid")  # once, not twice


async def test_discard_held_tells_the_sender_and_delivers_nothing(people: People) -> None:
    moderator = await people.moderator()
    tom, zoe, report_id = await _held_in_teen_room(people, moderator)

    done = await moderator.request(
        "mod", action="discard_held", report_id=report_id, reason="coordonnées à un mineur"
    )
    told = await tom.expect(lambda f: "pas été publié" in f.get("text", ""), type_="notice")
    await tom.say("ados-general", "bon, tant pis")
    seen = await zoe.expect_type("message", room="ados-general")

    assert done["action"] == "discard_held"
    assert "appelle-moi" in told["text"]
    assert seen["text"] == "bon, tant pis"  # the held line never came before it
    assert not [f for f in zoe.inbox if f["type"] == "message"]
    audit = [
        r for r in await people.running.node.store.audit_rows() if r["action"] == "discard_message"
    ]
    assert len(audit) == 1


async def test_release_held_by_a_moderator_of_another_room_refused(people: People) -> None:
    everywhere = await people.moderator()
    tom, zoe, report_id = await _held_in_teen_room(people, everywhere)
    elsewhere = await people.moderator("Marc_Modo", rooms=("general",))

    refused = await elsewhere.request(
        "mod", action="release_held", report_id=report_id, reason="je publie"
    )
    await tom.say("ados-general", "toujours là ?")
    seen = await zoe.expect_type("message", room="ados-general")

    assert (refused["type"], refused["code"]) == ("error", "forbidden")
    assert seen["text"] == "toujours là ?"  # nothing was released before it
    report = await people.running.node.store.report(report_id)
    assert report is not None and report.is_open


async def test_release_held_private_message_reaches_the_recipient_as_a_request(
    people: People,
) -> None:
    moderator = await people.moderator()
    tom = await people.person("Tom", age=15)
    zoe = await people.person("Zoe", age=14)
    held = await tom.request("dm", to="Zoe", text="mon numéro : 06 12 34 56 78")
    assert held["code"] == "held_for_review"
    item = (await moderator.expect(_held_item))["item"]

    await moderator.request("mod", action="release_held", report_id=item["id"], reason="ok")
    request = await zoe.expect_type("dm_request")

    assert request["from"]["nick"] == "Tom"
