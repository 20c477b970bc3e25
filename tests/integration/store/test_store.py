"""The `Store` contract, run against SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from causerie.core.messages import DirectMessage, Message
from causerie.core.rooms import DEFAULT_ROOMS
from causerie.core.users import Gender, PublicUser
from causerie.store.base import ConnectionRecord, Origin, StoreUnavailable
from causerie.store.sql import SqlStore
from tests.support.databases import open_store

pytestmark = pytest.mark.integration

ALICE = PublicUser("Alice", Gender.WOMAN, 25, "75", "Île-de-France")
BRUNO = PublicUser("Bruno", Gender.MAN, 31, "69", "Auvergne-Rhône-Alpes")
HERE = Origin("127.0.0.1", 40000)


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqlStore]:
    async with open_store(request.param, tmp_path) as opened:
        yield opened


def _message(message_id: int, room: str = "general", text: str = "salut") -> Message:
    return Message(message_id, room, ALICE, text, 1_700_000_000_000 + message_id, "s-alice")


async def test_migrate_twice_is_harmless(store: SqlStore) -> None:
    await store.migrate()
    assert await store.load_rooms() == []


async def test_seed_rooms_only_into_an_empty_table(store: SqlStore) -> None:
    assert await store.seed_rooms(DEFAULT_ROOMS, 1) == len(DEFAULT_ROOMS)
    # Once stored the rooms are the operator's: a later start seeds nothing, even for rooms
    # the default set gained or the operator archived.
    assert await store.seed_rooms(DEFAULT_ROOMS, 2) == 0
    rooms = await store.load_rooms()
    assert [r.id for r in rooms] == [
        r.id for r in sorted(DEFAULT_ROOMS, key=lambda r: (r.position, r.id))
    ]
    assert rooms[0] == DEFAULT_ROOMS[0]


async def test_save_and_page_history(store: SqlStore) -> None:
    await store.save([(_message(i, text=f"m{i}"), HERE) for i in range(1, 11)])
    await store.save([(_message(100, room="sport"), HERE)])
    newest, more = await store.history("general", None, 4)
    assert [m.text for m in newest] == ["m7", "m8", "m9", "m10"] and more
    older, more = await store.history("general", newest[0].id, 10)
    assert [m.id for m in older] == list(range(1, 7)) and not more
    assert older[0] == _message(1, text="m1")
    assert [m.text for m in await store.recent_messages("general", 2)] == ["m9", "m10"]
    assert await store.max_message_id() == 100


async def test_save_is_all_or_nothing(store: SqlStore) -> None:
    await store.save([(_message(1), HERE)])
    with pytest.raises(StoreUnavailable):
        await store.save([(_message(2), HERE), (_message(1), HERE)])
    dm = DirectMessage(7, ALICE, BRUNO, "coucou", 1_700_000_000_007, "s-alice", "s-bruno")
    with pytest.raises(StoreUnavailable):  # across tables: the room message goes too
        await store.save([(_message(3), HERE), (dm, HERE), (dm, HERE)])
    messages, _more = await store.history("general", None, 10)
    assert [m.id for m in messages] == [1]
    assert await store.count_rows("direct_messages") == 0

    await store.save([(_message(4), HERE)])  # the failed transactions left nothing open

    messages, _more = await store.history("general", None, 10)
    assert [m.id for m in messages] == [1, 4]


async def test_direct_messages_are_stored_apart(store: SqlStore) -> None:
    dm = DirectMessage(7, ALICE, BRUNO, "coucou", 1_700_000_000_007, "s-alice", "s-bruno")
    await store.save([(dm, HERE)])
    assert await store.count_rows("direct_messages") == 1
    assert await store.count_rows("messages") == 0
    assert await store.max_message_id() == 7


async def test_connection_records_open_and_close(store: SqlStore) -> None:
    record = ConnectionRecord(
        "s-alice",
        "Alice",
        "woman",
        25,
        "75011",
        "75",
        "127.0.0.1",
        40000,
        "device-1",
        "Firefox",
        "ws",
        1000,
    )
    await store.open_connection(record)
    await store.close_connection("s-alice", 2000)
    assert await store.count_rows("connections") == 1


async def test_connection_ends_of_a_burst_close_exactly_their_records(store: SqlStore) -> None:
    records = [
        ConnectionRecord(
            f"s-{index}",
            f"Nick{index}",
            "other",
            30,
            "69001",
            "69",
            "127.0.0.1",
            40000 + index,
            f"device-{index}",
            "Firefox",
            "ws",
            1000 + index,
            f"token-{index}",
        )
        for index in range(4)
    ]
    await store.open_connections(records)
    await store.close_connections([("s-0", 5000), ("s-2", 5001), ("s-absent", 5002)])
    await store.close_connections([])
    still_open = [await store.connection_by_token(f"token-{index}") for index in range(4)]
    assert [record is not None for record in still_open] == [False, True, False, True]


async def test_connection_records_of_a_burst_are_stored_together_each_readable(
    store: SqlStore,
) -> None:
    records = [
        ConnectionRecord(
            f"s-{index}",
            f"Nick{index}",
            "other",
            20 + index,
            "69001",
            "69",
            "127.0.0.1",
            40000 + index,
            f"device-{index}",
            "Firefox",
            "irc" if index % 2 else "ws",
            1000 + index,
        )
        for index in range(5)
    ]
    await store.open_connections(records)
    await store.open_connections([])
    assert await store.count_rows("connections") == 5
    stored = await store.connection("s-3")
    assert stored is not None
    assert (stored.nick, stored.age, stored.port, stored.protocol) == ("Nick3", 23, 40003, "irc")
