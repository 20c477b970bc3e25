"""Rooms people make, over a real WebSocket (issue 20): creating and owning one, its topic,
invitations, key, member limit, bans and kicks (audited as a person's actions), the teen
space's rule, an adult never seeing a teen member room by any lookup, a moderator closing one
with a statement of reasons to its owner, and a room ending after its last member left."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from causerie.node.room_admin import settings_of
from tests.integration.test_chat_actions import People
from tests.support.chat import Client, start_server, stop_server

pytestmark = pytest.mark.integration
JAZZ = "fans-de-jazz"


@pytest.fixture
async def people(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[People]:
    options: dict[str, Any] = {
        "trust_messages": 0,
        "trust_span_s": 0,
        **getattr(request, "param", {}),
    }
    running, server, task = await start_server(tmp_path, **options)
    found = People(running)
    yield found
    for client in found.clients:
        await client.close()
    await stop_server(server, task)


async def _create(owner: Client, name: str = "Fans de jazz", **fields: Any) -> dict[str, Any]:
    created = await owner.request("create_room", name=name, **fields)
    assert created["type"] == "room_created", created
    return created["room"]


def _error(frame: dict[str, Any]) -> tuple[str, str]:
    assert frame["type"] == "error", frame
    return frame["code"], frame.get("field", "")


async def test_create_room_owned_by_its_maker_listed_apart_and_run_by_them(
    people: People,
) -> None:
    alice, bruno = await people.person("Alice"), await people.person("Bruno")
    room = await _create(alice, topic="Swing et bebop")
    assert (room["id"], room["owner"], room["audience"], room["topic"]) == (
        JAZZ,
        "Alice",
        "adult",
        "Swing et bebop",
    )
    told = await bruno.expect_type("room_updated")
    assert told["room"]["owner"] == "Alice" and "key" not in told["room"]
    assert (await alice.join(JAZZ))["type"] == "joined"
    assert (await bruno.join(JAZZ))["type"] == "joined"

    settings = await alice.request("room_topic", room=JAZZ, topic="Du swing, surtout")
    assert (settings["type"], settings["role"]) == ("room_settings", "owner")
    seen = await bruno.expect(
        lambda f: f["room"]["topic"] == "Du swing, surtout", type_="room_updated"
    )
    assert seen["room"]["id"] == JAZZ
    # A member is not an operator: no topic (locked), no settings, no modes.
    assert _error(await bruno.request("room_topic", room=JAZZ, topic="x"))[0] == "forbidden"
    assert _error(await bruno.request("room_settings", room=JAZZ))[0] == "forbidden"
    # A second room of the same name (or a look-alike) is refused on the name.
    assert _error(await bruno.request("create_room", name="Fans de Jàzz")) == (
        "invalid",
        "name",
    )
    # Named an operator, Bruno may change the modes but not name operators.
    named = await alice.request("room_operator", room=JAZZ, nick="bruno")
    assert named["operators"] == ["Bruno"]
    moderated = await bruno.request("room_modes", room=JAZZ, moderated=True)
    assert moderated["room"]["modes"]["moderated"] is True and moderated["role"] == "operator"
    assert _error(await bruno.request("room_operator", room=JAZZ, nick="Alice", on=False))[0] == (
        "forbidden"
    )
    # Staff see it like an official room, with its owner, modes and roles (/admin, the CLI).
    stored = await people.running.node.store.stored_room(JAZZ)
    assert stored is not None
    shown = settings_of(stored)
    assert (shown["official"], shown["owner"], shown["operators"]) == (False, "Alice", ["Bruno"])
    assert shown["modes"]["moderated"] is True


@pytest.mark.parametrize("people", [{"trust_messages": 2, "trust_span_s": 0}], indirect=True)
async def test_create_room_a_new_identity_waits_for_the_trust_threshold(people: People) -> None:
    alice = await people.person("Alice")
    refused = await alice.request("create_room", name="Fans de jazz")
    assert refused["code"] == "forbidden" and "discute" in refused["message"].lower()
    await alice.join("general")
    await alice.say("general", "bonjour")
    await alice.say("general", "ça va ?")
    assert (await alice.request("create_room", name="Fans de jazz"))["type"] == "room_created"


async def test_invite_only_key_and_limit_in_ircs_order(people: People) -> None:
    alice, carla, dan = (
        await people.person("Alice"),
        await people.person("Carla"),
        await people.person("Dan", gender="man"),
    )
    await _create(alice)
    await alice.join(JAZZ)
    await alice.request("room_modes", room=JAZZ, invite_only=True, key="sesame", member_limit=3)
    assert _error(await carla.join(JAZZ)) == ("invite_only", "room")
    settings = await alice.request("invite", room=JAZZ, nick="Carla")
    assert settings["invited"] == ["Carla"]
    invited = await carla.expect_type("invited")
    assert (invited["room"]["id"], invited["by"]) == (JAZZ, "Alice")
    assert (await carla.join(JAZZ))["type"] == "joined"  # an invitation opens the door

    await alice.request("room_modes", room=JAZZ, invite_only=False, member_limit=3)
    assert _error(await dan.request("join", room=JAZZ, key="faux")) == ("bad_key", "key")
    assert (await dan.request("join", room=JAZZ, key="sesame"))["type"] == "joined"
    eve = await people.person("Eve")
    assert _error(await eve.request("join", room=JAZZ, key="sesame"))[0] == "room_full"


async def test_ban_and_kick_take_out_told_why_and_audited_as_a_persons(people: People) -> None:
    alice, bruno = await people.person("Alice"), await people.person("Bruno")
    await _create(alice)
    await alice.join(JAZZ)
    await bruno.join(JAZZ)

    await alice.request("kick", room=JAZZ, nick="Bruno", reason="calme-toi")
    notice = await bruno.expect_type("notice")
    assert "Alice" in notice["text"] and "calme-toi" in notice["text"]
    assert (await bruno.expect_type("parted"))["room"] == JAZZ
    # The room sees Bruno taken out by Alice, with her reason (it passed the word lists).
    seen = await alice.expect_type("presence", room=JAZZ, state="left")
    assert (seen["user"]["nick"], seen["state"], seen["by"], seen["reason"]) == (
        "Bruno",
        "left",
        "Alice",
        "calme-toi",
    )
    assert (await bruno.join(JAZZ))["type"] == "joined"  # a kick is not a ban

    banned = await alice.request("room_ban", room=JAZZ, nick="Bruno", reason="insultes")
    assert banned["banned"] == ["Bruno"]
    await bruno.expect_type("parted", room=JAZZ)
    assert _error(await bruno.join(JAZZ))[0] == "banned"
    # An operator never acts on the owner.
    assert _error(await bruno.request("kick", room=JAZZ, nick="Alice"))[0] == "forbidden"

    rows = await people.running.node.store.audit_rows()
    mine = [r for r in rows if r["target"] == f"room:{JAZZ}"]
    assert [(r["action"], r["actor"], r["actor_kind"]) for r in mine] == [
        ("room_created", "Alice", "person"),
        ("room_kick", "Alice", "person"),
        ("room_ban", "Alice", "person"),
    ]


async def test_teen_member_room_always_open_and_never_seen_by_an_adult(people: People) -> None:
    nina, lea = await people.person("Nina", age=15), await people.person("Lea", age=14)
    alice = await people.person("Alice")
    room = await _create(nina, name="Fortnite")
    assert (room["id"], room["audience"]) == ("ados-fortnite", "teen")
    assert (await lea.expect_type("room_updated"))["room"]["id"] == "ados-fortnite"
    await nina.join("ados-fortnite")
    for modes in ({"invite_only": True}, {"key": "abc"}, {"unlisted": True}):
        refused = await nina.request("room_modes", room="ados-fortnite", **modes)
        assert refused["code"] == "invalid" and "ados" in refused["message"]

    # The adult: not in a list, and every lookup answers as for a room nobody made.
    listed = await alice.request("rooms")
    assert "ados-fortnite" not in {r["id"] for r in listed["rooms"]}
    nobody = await alice.join("no-such-room")
    for frame in (
        await alice.join("ados-fortnite"),
        await alice.request("history", room="ados-fortnite"),
        await alice.request("room_settings", room="ados-fortnite"),
        await alice.request("room_topic", room="ados-fortnite", topic="x"),
        await alice.request("invite", room="ados-fortnite", nick="Nina"),
    ):
        assert (frame["code"], frame["message"]) == (nobody["code"], nobody["message"])
    # Nor does the public directory, read without a session, show it.
    async with httpx.AsyncClient(base_url=people.running.url) as http:
        directory = (await http.get("/api/rooms")).json()["rooms"]
    assert "ados-fortnite" not in {r["id"] for r in directory}
    assert "ados-general" in {r["id"] for r in directory}  # the official ones are public
    # Inviting a minor into an adult room: as for a nickname nobody uses.
    await _create(alice)
    refused = await alice.request("invite", room=JAZZ, nick="Nina")
    ghost = await alice.request("invite", room=JAZZ, nick="Personne")
    assert (refused["code"], refused["message"]) == (ghost["code"], ghost["message"])
    assert not any(f.get("room", {}).get("id") == "ados-fortnite" for f in alice.inbox)


async def test_moderator_closes_a_member_room_with_a_statement_to_its_owner(
    people: People,
) -> None:
    alice, bruno = await people.person("Alice"), await people.person("Bruno")
    await _create(alice)
    await alice.join(JAZZ)
    await bruno.join(JAZZ)
    staff = await people.moderator()
    done = await staff.request("mod", action="close_room", room=JAZZ, reason="salon de spam")
    assert done["type"] == "mod_done" and done["statement_id"]
    stated = await alice.expect(lambda f: f.get("statement_id"), type_="notice")
    assert "salon de spam" in stated["text"] and "Fans de jazz" in stated["text"]
    assert (await bruno.expect_type("room_archived"))["room"] == JAZZ
    assert _error(await bruno.join(JAZZ))[0] == "not_found"
    official = await staff.request("mod", action="close_room", room="general", reason="non")
    assert official["code"] == "not_found"


@pytest.mark.parametrize("people", [{"member_room_end_s": 1}], indirect=True)
async def test_member_room_ends_after_its_last_member_left(people: People) -> None:
    alice, bruno = await people.person("Alice"), await people.person("Bruno")
    await _create(alice)
    await alice.join(JAZZ)
    await bruno.join(JAZZ)
    await alice.request("part", room=JAZZ)
    await bruno.request("part", room=JAZZ)
    for attempt in range(3):  # the store watch ends it within a few of its rounds
        try:
            ended = await bruno.expect_type("room_archived", room=JAZZ)
            break
        except TimeoutError:
            if attempt == 2:
                raise
    assert ended["name"] == "Fans de jazz"
    stored = await people.running.node.store.stored_room(JAZZ)
    assert stored is not None and stored.archived_at_ms is not None
    assert _error(await alice.join(JAZZ))[0] == "not_found"
    # Its id is never given to another room (its messages keep it under the evidence rules).
    assert _error(await alice.request("create_room", name="Fans de jazz")) == ("invalid", "name")
