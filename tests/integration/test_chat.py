"""The chat over a real WebSocket: join, rooms, messages, private messages, history."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.support.chat import Client, RunningServer, start_server, stop_server

pytestmark = pytest.mark.integration


async def test_hello_valid_profile_welcomes_with_visible_rooms(connect: Any) -> None:
    alice = await connect()
    welcome = await alice.hello("Alice", age=25, postcode="75011")
    assert welcome["type"] == "welcome"
    assert welcome["protocol"] == 1
    assert welcome["user"] == {
        "nick": "Alice",
        "gender": "woman",
        "age": 25,
        "dept": "75",
        "region": "Île-de-France",
        "band": "adult",
    }
    kinds = {room["kind"] for room in welcome["rooms"]}
    assert kinds == {"thematic", "regional"}
    assert all(room["audience"] == "adult" for room in welcome["rooms"])
    assert "postcode" not in str(welcome)


async def test_hello_teen_sees_only_teen_rooms(connect: Any) -> None:
    zoe = await connect()
    welcome = await zoe.hello("Zoe", age=15, postcode="33000")
    assert welcome["user"]["band"] == "teen"
    assert welcome["rooms"], "teens get the Ados rooms"
    assert {room["kind"] for room in welcome["rooms"]} == {"teen"}


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"age": 12}, "too_young", "age"),
        ({"postcode": "99999"}, "invalid", "postcode"),
        ({"postcode": "7501"}, "invalid", "postcode"),
        ({"nick": "a"}, "invalid", "nick"),
        ({"nick": "<script>"}, "invalid", "nick"),
        ({"nick": "Admin"}, "nick_taken", "nick"),
        ({"gender": "robot"}, "invalid", "gender"),
        ({"age": "vingt"}, "invalid", "age"),
    ],
)
async def test_hello_bad_profile_names_the_field(
    connect: Any, fields: dict[str, Any], code: str, field: str
) -> None:
    client = await connect()
    profile = {"nick": "Valide", "age": 30, "gender": "man", "postcode": "69001", **fields}
    error = await client.request("hello", **profile)
    assert (error["type"], error["code"], error["field"]) == ("error", code, field)
    assert error["message"]
    welcome = await client.hello("Valide")  # the same connection can try again
    assert welcome["type"] == "welcome"


async def test_hello_nick_taken_ignores_case_and_accents(connect: Any) -> None:
    first, second = await connect(), await connect()
    await first.hello("Élodie")
    error = await second.hello("elodie")
    assert (error["code"], error["field"]) == ("nick_taken", "nick")


async def test_nick_is_free_again_after_disconnect(connect: Any) -> None:
    first = await connect()
    await first.hello("Passant")
    await first.close()
    second = await connect()
    for _ in range(50):
        reply = await second.hello("Passant")
        if reply["type"] == "welcome":
            break
    assert reply["type"] == "welcome"


async def test_say_reaches_members_and_acks_after_storing(
    connect: Any, server: RunningServer
) -> None:
    alice, bruno = await connect(), await connect()
    await alice.hello("Alice")
    await bruno.hello("Bruno", gender="man", postcode="69001")
    await alice.join("general")
    joined = await bruno.join("general")
    assert [m["nick"] for m in joined["members"]] == ["Alice", "Bruno"]
    presence = await alice.expect(lambda f: f["user"]["nick"] == "Bruno", type_="presence")
    assert presence["state"] == "joined"
    message, ack = await alice.say("general", "Bonjour à tous !")
    assert ack["message_id"] == message["id"]
    seen = await bruno.expect_type("message", id=message["id"])
    assert seen["text"] == "Bonjour à tous !"
    assert seen["from"] == {
        "nick": "Alice",
        "gender": "woman",
        "age": 25,
        "dept": "75",
        "region": "Île-de-France",
    }
    database = server.settings.data_dir / "causerie.db"
    with sqlite3.connect(database) as db:
        stored = db.execute(
            "select text, source_address from messages where id = ?", (message["id"],)
        ).fetchone()
    assert stored == ("Bonjour à tous !", "127.0.0.1")


async def test_join_returns_last_50_messages_oldest_first(tmp_path: Path) -> None:
    running, uv, task = await start_server(tmp_path, rate_limits=False)
    try:
        alice, bruno = await Client.connect(running), await Client.connect(running)
        await alice.hello("Alice")
        await alice.join("cuisine")
        for index in range(55):
            await alice.say("cuisine", f"recette {index}")
        await bruno.hello("Bruno")
        joined = await bruno.join("cuisine")
        assert [m["text"] for m in joined["history"]] == [f"recette {i}" for i in range(5, 55)]
        oldest = joined["history"][0]["id"]
        older = await bruno.request("history", room="cuisine", before=oldest)
        assert [m["text"] for m in older["messages"]] == [f"recette {i}" for i in range(5)]
        assert older["more"] is False
        page = await bruno.request("history", room="cuisine", before=oldest, limit=2)
        assert [m["text"] for m in page["messages"]] == ["recette 3", "recette 4"]
        assert page["more"] is True
        await alice.close()
        await bruno.close()
    finally:
        await stop_server(uv, task)


async def test_dm_between_adults_reaches_both(connect: Any) -> None:
    alice, bruno = await connect(), await connect()
    await alice.hello("Alice")
    await bruno.hello("Bruno", gender="man")
    await alice.send({"type": "dm", "id": "d1", "to": "bruno", "text": "Salut Bruno"})
    ack = await alice.expect(lambda f: f.get("re") == "d1")
    assert ack["type"] == "ack"
    # A first message from a stranger is a request until Bruno accepts it.
    request = await bruno.expect_type("dm_request", id=ack["message_id"])
    assert request["from"]["nick"] == "Alice" and request["to"]["nick"] == "Bruno"
    assert request["text"] == "Salut Bruno"
    echo = await alice.expect_type("dm", id=ack["message_id"])
    assert echo["to"]["nick"] == "Bruno"
    assert (await bruno.request("accept", nick="Alice"))["type"] == "accepted"
    await alice.send({"type": "dm", "id": "d2", "to": "bruno", "text": "Tu vas bien ?"})
    second = await alice.expect(lambda f: f.get("re") == "d2")
    received = await bruno.expect_type("dm", id=second["message_id"])
    assert received["text"] == "Tu vas bien ?"


@pytest.mark.parametrize(("sender_age", "recipient_age"), [(30, 15), (15, 30), (18, 17)])
async def test_dm_across_age_bands_is_refused_as_to_nobody(
    connect: Any, sender_age: int, recipient_age: int
) -> None:
    sender, recipient = await connect(), await connect()
    await sender.hello("Expediteur", age=sender_age)
    await recipient.hello("Destinataire", age=recipient_age)
    error = await sender.request("dm", to="Destinataire", text="coucou")
    nobody = await sender.request("dm", to="Personne", text="coucou")
    assert (error["type"], error["code"]) == ("error", "not_found")
    assert {**error, "re": ""} == {**nobody, "re": ""}
    await recipient.send({"type": "ping", "id": "p"})
    pong = await recipient.expect(lambda f: f.get("re") == "p")
    assert pong["type"] == "pong"
    assert not any(f["type"] == "dm" for f in recipient.inbox)


async def test_adult_cannot_join_teen_room_nor_teen_adult_room(connect: Any) -> None:
    adult, teen = await connect(), await connect()
    await adult.hello("Adulte", age=40)
    await teen.hello("Ado", age=14)
    no_room = {**(await adult.join("nulle-part")), "re": ""}
    assert no_room["code"] == "not_found"
    assert {**(await adult.join("ados-general")), "re": ""} == no_room
    assert {**(await teen.join("general")), "re": ""} == no_room
    assert (await teen.join("ados-general"))["type"] == "joined"
    no_history = {**(await adult.request("history", room="nulle-part")), "re": ""}
    assert {**(await adult.request("history", room="ados-general")), "re": ""} == no_history


async def test_block_refuses_dm_both_ways(connect: Any) -> None:
    alice, bruno = await connect(), await connect()
    await alice.hello("Alice")
    await bruno.hello("Bruno")
    blocks = await alice.request("block", nick="Bruno")
    assert blocks == {"type": "blocks", "nicks": ["Bruno"], "re": blocks["re"]}
    assert (await bruno.request("dm", to="Alice", text="hé"))["code"] == "dm_blocked"
    assert (await alice.request("dm", to="Bruno", text="hé"))["code"] == "dm_blocked"
    await alice.request("unblock", nick="bruno")
    await bruno.send({"type": "dm", "id": "ok", "to": "Alice", "text": "hé"})
    assert (await bruno.expect(lambda f: f.get("re") == "ok"))["type"] == "ack"


async def test_error_codes_for_common_mistakes(connect: Any) -> None:
    client = await connect()
    assert (await client.request("join", room="general"))["code"] == "forbidden"
    await client.hello("Curieux")
    assert (await client.join("nulle-part"))["code"] == "not_found"
    assert (await client.request("say", room="general", text="hors salon"))["code"] == "forbidden"
    await client.join("general")
    assert (await client.request("say", room="general", text="   "))["code"] == "invalid"
    too_long = await client.request("say", room="general", text="x" * 2001)
    assert (too_long["code"], too_long["field"]) == ("too_large", "text")
    assert (await client.request("dm", to="Personne", text="allo"))["code"] == "not_found"
    assert (await client.request("dm", to="Curieux", text="moi"))["code"] == "invalid"
    assert (await client.request("hello", nick="Encore", age=20, gender="man", postcode="75001"))[
        "code"
    ] == "invalid"


async def test_flood_is_rate_limited_and_room_stays_usable(connect: Any) -> None:
    flooder, other = await connect(), await connect()
    await flooder.hello("Flooder")
    await other.hello("Calme")
    await flooder.join("general")
    await other.join("general")
    for index in range(12):
        await flooder.send(
            {"type": "say", "id": f"s{index}", "room": "general", "text": f"spam {index}"}
        )
    replies = [await flooder.expect(lambda f, i=i: f.get("re") == f"s{i}") for i in range(12)]
    kinds = [r.get("code", r["type"]) for r in replies]
    # A new identity's burst is 5 until it has earned trust (then 8).
    assert kinds[:5] == ["ack"] * 5, kinds
    assert "rate_limited" in kinds[5:], kinds
    error = await flooder.request("say", room="general", text="encore")
    assert error["code"] == "rate_limited" and error["retry_after"] > 0
    message, _ack = await other.say("general", "je peux encore parler")
    assert message["text"] == "je peux encore parler"


async def test_rooms_request_counts_members(connect: Any) -> None:
    alice = await connect()
    await alice.hello("Alice")
    await alice.join("musique")
    rooms = await alice.request("rooms")
    counts = {room["id"]: room["members"] for room in rooms["rooms"]}
    assert counts["musique"] == 1 and counts["general"] == 0


async def test_part_tells_the_room(connect: Any) -> None:
    alice, bruno = await connect(), await connect()
    await alice.hello("Alice")
    await bruno.hello("Bruno")
    await alice.join("sport")
    await bruno.join("sport")
    parted = await bruno.request("part", room="sport")
    assert parted["type"] == "parted"
    left = await alice.expect(
        lambda f: f["user"]["nick"] == "Bruno" and f["state"] == "left", type_="presence"
    )
    assert left["room"] == "sport"
    await bruno.close()


async def test_reconnecting_does_not_reset_the_flood_limit(server: RunningServer) -> None:
    cookie = {"Cookie": "causerie_device=appareil-1"}
    first = await Client.connect(server, additional_headers=cookie)
    await first.hello("Premier")
    await first.join("general")
    for index in range(5):  # a new identity's whole burst
        await first.say("general", f"rafale {index}")
    await first.close()
    second = await Client.connect(server, additional_headers=cookie)
    await second.hello("Second")
    await second.join("general")
    # A fresh session alone could post 5; the device has only 3 of its 8 left.
    outcomes = [
        await second.request_outcome("say", room="general", text=f"encore {i}") for i in range(5)
    ]
    kinds = [o.get("code", o["type"]) for o in outcomes]
    assert kinds[:3] == ["ack"] * 3 and kinds[3] == "rate_limited", kinds
    assert outcomes[3]["retry_after"] > 0
    await second.close()


async def test_block_hides_room_messages_both_ways(connect: Any) -> None:
    alice, bruno, chloe = await connect(), await connect(), await connect()
    await alice.hello("Alice")
    await bruno.hello("Bruno")
    await chloe.hello("Chloe")
    for client in (alice, bruno, chloe):
        await client.join("general")
    await alice.request("block", nick="Bruno")
    from_bruno, _ack = await bruno.say("general", "de Bruno")
    from_alice, _ack = await alice.say("general", "de Alice")
    assert (await chloe.expect_type("message", id=from_bruno["id"]))["text"] == "de Bruno"
    assert (await chloe.expect_type("message", id=from_alice["id"]))["text"] == "de Alice"
    for reader, hidden in ((alice, from_bruno["id"]), (bruno, from_alice["id"])):
        await reader.send({"type": "ping", "id": "sync"})
        await reader.expect(lambda f: f.get("re") == "sync")
        assert not [f for f in reader.inbox if f.get("id") == hidden]
    await alice.request("unblock", nick="Bruno")
    again, _ack = await bruno.say("general", "encore moi")
    assert (await alice.expect_type("message", id=again["id"]))["text"] == "encore moi"


async def test_safety_notice_comes_in_the_person_language(connect: Any) -> None:
    english = await connect()
    await english.hello("Emma", lang="en")
    await english.join("general")
    await english.say("general", "let's meet tomorrow at 6pm in front of the station?")
    notice = await english.expect_type("notice", kind="safety")
    assert "public place" in notice["text"]
