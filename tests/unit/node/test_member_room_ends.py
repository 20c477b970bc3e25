"""`RoomEnds` with fakes: a member room ends once empty for its time (once, audited by the
system), someone in it again keeps it, and roles of nicknames nobody holds lapse."""

from __future__ import annotations

import dataclasses
from typing import Any

from causerie.core.rooms import Audience, Room, RoomAccess, RoomKind
from causerie.node.member_room_ends import RoomEnds
from causerie.store.base import StoredRoom
from tests.unit.core.builders import hello, join, make_hub

JAZZ = Room(
    "fans-de-jazz",
    "Fans de jazz",
    RoomKind.THEMATIC,
    Audience.ADULT,
    1000,
    owner="Alice",
    access=RoomAccess(frozenset({"Bob"}), frozenset({"Eve"}), frozenset({"Carla"})),
)


class FakeClock:
    def __init__(self) -> None:
        self.ms = 1_000_000

    def now_ms(self) -> int:
        return self.ms


class FakeStore:
    def __init__(self, room: Room) -> None:
        self.row = StoredRoom(room, 0.0, False, None, 1)
        self.audit: list[tuple[str, str]] = []

    async def stored_rooms(self) -> list[StoredRoom]:
        return [self.row]

    async def set_room_empty_since(self, room_id: str, since_ms: int | None) -> None:
        self.row = dataclasses.replace(self.row, empty_since_ms=since_ms)

    async def archive_room(self, room_id: str, now_ms: int) -> bool:
        if self.row.archived_at_ms is not None:
            return False
        self.row = dataclasses.replace(self.row, archived_at_ms=now_ms)
        return True

    async def update_room(self, room: Room, slow_mode_s: float, now_ms: int) -> bool:
        self.row = dataclasses.replace(self.row, room=room)
        return True

    async def append_audit(self, **fields: Any) -> None:
        self.audit.append((str(fields["action"]), str(fields["actor_kind"])))


class FakeDirectory:
    def __init__(self, *held: str) -> None:
        self.held = set(held)

    async def find_person(self, nick: str) -> tuple[str, object] | None:
        return ("s", object()) if nick in self.held else None


def _ends(
    store: FakeStore, directory: FakeDirectory, hub: Any = None
) -> tuple[RoomEnds, list[int]]:
    announced: list[int] = []

    async def announce() -> None:
        announced.append(1)

    ends = RoomEnds(
        hub=hub or make_hub(),
        store=store,  # type: ignore[arg-type]
        directory=directory,  # type: ignore[arg-type]
        cluster=None,
        announce=announce,
        idle_end_s=60,
        clock=CLOCK,  # type: ignore[arg-type]
    )
    return ends, announced


CLOCK = FakeClock()


async def test_sweep_an_empty_room_ends_after_its_time_once_and_audited() -> None:
    store = FakeStore(JAZZ)
    ends, announced = _ends(store, FakeDirectory("Alice", "Bob", "Carla"))
    assert await ends.sweep(force=True) == 0
    assert store.row.empty_since_ms == CLOCK.ms
    CLOCK.ms += 59_000
    assert await ends.sweep(force=True) == 0 and store.row.archived_at_ms is None
    CLOCK.ms += 1_000
    assert await ends.sweep(force=True) == 1
    assert store.row.archived_at_ms == CLOCK.ms and announced == [1]
    assert store.audit == [("room_ended", "system")]


async def test_sweep_someone_in_it_again_clears_the_wait() -> None:
    hub = make_hub()
    hub.put_room(JAZZ)
    store = FakeStore(JAZZ)
    store.row = dataclasses.replace(store.row, empty_since_ms=CLOCK.ms - 3_600_000)
    join(hub, hello(hub, "Alice"), JAZZ.id)
    ends, _ = _ends(store, FakeDirectory("Alice", "Bob", "Carla"), hub)
    assert await ends.sweep(force=True) == 0
    assert store.row.empty_since_ms is None and store.row.archived_at_ms is None


async def test_sweep_roles_of_nicknames_nobody_holds_lapse_bans_stay() -> None:
    hub = make_hub()
    hub.put_room(JAZZ)
    join(hub, hello(hub, "Dan"), JAZZ.id)
    store = FakeStore(JAZZ)
    ends, announced = _ends(store, FakeDirectory("Bob"), hub)
    assert await ends.sweep(force=True) == 1
    room = store.row.room
    assert room.owner == "" and room.access == RoomAccess(frozenset({"Bob"}), frozenset({"Eve"}))
    assert store.audit == [("room_roles_lapsed", "system")] and announced == [1]


async def test_sweep_waits_its_interval_unless_forced() -> None:
    store = FakeStore(JAZZ)
    ends, _ = _ends(store, FakeDirectory("Alice", "Bob", "Carla"))
    await ends.sweep()
    store.row = dataclasses.replace(store.row, empty_since_ms=None)
    assert await ends.sweep() == 0 and store.row.empty_since_ms is None  # too soon
