"""The pictures part of the store, against SQLite and PostgreSQL alike: upload rows, messages
that carry a picture (with its size in history), who may see a picture, and the blocklist of
exact bytes moderators removed."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from causerie.core.messages import DirectMessage, MediaRef, Message
from causerie.core.rooms import DEFAULT_ROOMS
from causerie.core.users import Gender, PublicUser
from causerie.media.records import MediaRecord, MediaState
from causerie.store.base import Origin
from causerie.store.sql import SqlStore
from tests.support.databases import open_store

pytestmark = pytest.mark.integration

ALICE = PublicUser("Alice", Gender.WOMAN, 25, "75", "Île-de-France")
BRUNO = PublicUser("Bruno", Gender.MAN, 31, "69", "Auvergne-Rhône-Alpes")
HERE = Origin("127.0.0.1", 40000)
T0 = 1_700_000_000_000


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqlStore]:
    async with open_store(request.param, tmp_path) as opened:
        yield opened


def _record(media_id: str = "Ab3_x-9Zk2Lq", sha: str = "a" * 64) -> MediaRecord:
    return MediaRecord(
        id=media_id,
        state=MediaState.UPLOADED,
        sha256=sha,
        thumb_sha256="b" * 64,
        original_sha256="c" * 64,
        pdq="d" * 64,
        pdq_quality=90,
        mime="image/jpeg",
        width=640,
        height=480,
        bytes=12345,
        uploader_session="s-alice",
        uploader_nick="Alice",
        source_address="127.0.0.1",
        source_port=40000,
        created_at_ms=T0,
    )


async def test_add_media_reads_back_identical(store: SqlStore) -> None:
    await store.add_media(_record())

    assert await store.media("Ab3_x-9Zk2Lq") == _record()
    assert await store.media("unknown-id-00") is None


async def test_message_with_picture_history_carries_its_size(store: SqlStore) -> None:
    await store.add_media(_record())
    message = Message(1, "general", ALICE, "", T0, "s-alice", MediaRef("Ab3_x-9Zk2Lq"))
    await store.save([(message, HERE), (Message(2, "general", ALICE, "hi", T0, "s-alice"), HERE)])

    history, _ = await store.history("general", None, 10)
    missed, _ = await store.since("general", 0, 10)

    assert [m.media for m in history] == [MediaRef("Ab3_x-9Zk2Lq", 640, 480), None]
    assert missed == history


async def test_media_rooms_and_conversations_name_who_may_see_it(store: SqlStore) -> None:
    await store.add_media(_record())
    picture = MediaRef("Ab3_x-9Zk2Lq")
    dm = DirectMessage(3, ALICE, BRUNO, "", T0, "s-alice", "s-bruno", picture)
    await store.save([(Message(1, "sport", ALICE, "", T0, "s-alice", picture), HERE), (dm, HERE)])
    await store.mark_media_posted("Ab3_x-9Zk2Lq", 1, "sport", None)

    assert await store.media_rooms("Ab3_x-9Zk2Lq") == {"sport"}
    assert await store.media_conversations("Ab3_x-9Zk2Lq") == {"s-alice", "s-bruno"}
    assert await store.media_of_message(3) == "Ab3_x-9Zk2Lq"
    posted = await store.media("Ab3_x-9Zk2Lq")
    assert posted is not None and (posted.state, posted.message_id) == (MediaState.POSTED, 1)

    await store.mark_deleted(1, T0 + 1)
    assert await store.media_rooms("Ab3_x-9Zk2Lq") == set()


async def test_blocklist_media_refuses_exact_bytes_idempotently(store: SqlStore) -> None:
    assert not await store.is_media_blocklisted(["e" * 64])

    await store.blocklist_media(["e" * 64, "f" * 64], "Ab3_x-9Zk2Lq", "removed", "modo", T0)
    await store.blocklist_media(["e" * 64], "Ab3_x-9Zk2Lq", "again", "modo", T0)

    assert await store.is_media_blocklisted(["0" * 64, "f" * 64])
    assert not await store.is_media_blocklisted(["0" * 64])


async def test_room_pictures_setting_kept(store: SqlStore) -> None:
    await store.seed_rooms(DEFAULT_ROOMS, T0)

    assert await store.set_room_pictures("ados-general", True)
    assert not await store.set_room_pictures("no-such-room", True)

    rooms = {room.id: room for room in await store.load_rooms()}
    assert rooms["ados-general"].pictures and not rooms["ados-musique"].pictures
    assert rooms["general"] == dataclasses.replace(DEFAULT_ROOMS[0])
