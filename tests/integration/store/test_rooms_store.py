"""The rooms the operator manages, in the store: added, changed, archived (kept, not deleted),
and the fingerprint nodes watch, against SQLite and PostgreSQL alike."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from causerie.core.messages import Message
from causerie.core.rooms import DEFAULT_ROOMS, Audience, Room, RoomKind
from causerie.core.users import Gender, PublicUser
from causerie.store.base import Origin
from causerie.store.sql import SqlStore
from tests.support.databases import open_store

pytestmark = pytest.mark.integration

JARDIN = Room(
    "jardinage", "Jardinage", RoomKind.THEMATIC, Audience.ADULT, 13, "Potagers", False, 40
)


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqlStore]:
    async with open_store(request.param, tmp_path) as opened:
        await opened.seed_rooms(DEFAULT_ROOMS, 1)
        yield opened


async def test_add_room_stores_every_setting_and_refuses_a_taken_id(store: SqlStore) -> None:
    assert await store.add_room(JARDIN, 15.0, 10)
    stored = await store.stored_room("jardinage")
    assert stored is not None
    assert (stored.room, stored.slow_mode_s, stored.archived_at_ms) == (JARDIN, 15.0, None)
    assert JARDIN in await store.load_rooms()
    assert (await store.room_restrictions())["jardinage"] == (False, 15.0)
    assert not await store.add_room(dataclasses.replace(JARDIN, name="Autre"), 0, 11)


async def test_update_room_changes_settings_and_the_fingerprint(store: SqlStore) -> None:
    before = await store.rooms_fingerprint()
    renamed = dataclasses.replace(DEFAULT_ROOMS[0], name="Général et plus", member_limit=80)
    assert await store.update_room(renamed, 0, 5)  # earlier than its last change: still later
    after = await store.rooms_fingerprint()
    assert after != before and after[0] == before[0]
    assert renamed in await store.load_rooms()
    assert not await store.update_room(dataclasses.replace(JARDIN), 0, 6)  # no such room


async def test_archive_room_keeps_its_row_and_messages_and_its_id(store: SqlStore) -> None:
    alice = PublicUser("Alice", Gender.WOMAN, 25, "75", "Île-de-France")
    message = Message(1, "general", alice, "salut", 1_700_000_000_000, "s-alice")
    await store.save([(message, Origin("127.0.0.1", 4000))])
    before = await store.rooms_fingerprint()
    assert await store.archive_room("general", 20)
    assert await store.rooms_fingerprint() != before
    assert "general" not in {r.id for r in await store.load_rooms()}
    stored = await store.stored_room("general")
    assert stored is not None and stored.archived_at_ms == 20
    assert await store.find_message(1) == message  # evidence stays for reports
    assert not await store.archive_room("general", 21)
    assert not await store.update_room(DEFAULT_ROOMS[0], 0, 22)
    assert not await store.add_room(DEFAULT_ROOMS[0], 0, 23)  # never given to another room
    assert await store.seed_rooms(DEFAULT_ROOMS, 24) == 0


async def test_set_room_pictures_changes_the_fingerprint(store: SqlStore) -> None:
    before = await store.rooms_fingerprint()
    assert await store.set_room_pictures("general", False)
    assert await store.rooms_fingerprint() != before
    assert not await store.set_room_pictures("nowhere", False)


async def test_member_room_modes_and_roles_are_stored_and_read_back(store: SqlStore) -> None:
    from causerie.core.rooms import RoomAccess, RoomModes

    room = Room(
        "fans-de-jazz",
        "Fans de jazz",
        RoomKind.THEMATIC,
        Audience.ADULT,
        1000,
        "Swing",
        True,
        12,
        "Alice",
        RoomModes(True, True, "clé", True, False),
        RoomAccess(
            frozenset({"Bob"}), frozenset({"Ève"}), frozenset({"Carla"}), frozenset({"Dan"})
        ),
    )
    assert await store.add_room(room, 0, 10)
    # Two nodes racing for one name: the store's key is the arbiter, the second loses.
    assert not await store.add_room(dataclasses.replace(room, owner="Bob"), 0, 10)
    stored = await store.stored_room("fans-de-jazz")
    assert stored is not None and stored.room == room and stored.created_at_ms == 10
    assert (stored.room.created_ms, stored.room.topic_set_ms) == (10, 10)
    before = await store.rooms_fingerprint()
    await store.set_room_empty_since("fans-de-jazz", 30)
    stored = await store.stored_room("fans-de-jazz")
    assert stored is not None and stored.empty_since_ms == 30
    assert await store.rooms_fingerprint() == before  # nodes need not read the rooms again


async def test_a_rooms_topic_time_changes_with_its_text_only(store: SqlStore) -> None:
    room = Room("jazz", "Jazz", RoomKind.THEMATIC, Audience.ADULT, owner="Alice")
    assert await store.add_room(room, 0, 10)
    for topic, now_ms, expected_ms in (("", 20, 0), ("Swing", 30, 30), ("Swing", 40, 30)):
        changed = dataclasses.replace(room, topic=topic, member_limit=now_ms)
        assert await store.update_room(changed, 0, now_ms)
        stored = await store.stored_room("jazz")
        assert stored is not None and stored.room.topic_set_ms == expected_ms
    assert await store.update_room(room, 0, 50)  # the topic taken away
    stored = await store.stored_room("jazz")
    assert stored is not None and (stored.room.topic_set_ms, stored.room.created_ms) == (0, 10)
