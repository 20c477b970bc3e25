"""`MemberRoomDoor` with fakes: a join a member room's door would refuse reads the stored
rooms again first (an invitation made on another node a moment ago), then refuses or lets
the join go on; other joins cost nothing."""

from __future__ import annotations

import pytest

from causerie.core.commands import Join
from causerie.core.policy import member_rooms as mr
from causerie.core.policy.member_rooms import ModeChange
from causerie.core.rooms import Audience, Room, RoomKind
from causerie.errors import CauserieError, ErrorCode
from causerie.node.member_room_door import MemberRoomDoor
from causerie.node.requests import Request
from tests.unit.core.builders import hello, make_hub

JAZZ = mr.changed_modes(
    Room("fans-de-jazz", "Fans de jazz", RoomKind.THEMATIC, Audience.ADULT, 1000, owner="Alice"),
    "Alice",
    ModeChange(invite_only=True),
)


class FakeSync:
    """Following the store puts `stored` into the hub."""

    def __init__(self, hub, stored: Room) -> None:  # type: ignore[no-untyped-def]
        self.hub, self.stored, self.follows = hub, stored, 0

    async def follow(self, *, force: bool = False) -> int:
        self.follows += 1
        self.hub.put_room(self.stored)
        return 1


def _request(session: str, room: str = JAZZ.id, key: str | None = None) -> Request:
    return Request(None, None, Join(room, key=key), session)  # type: ignore[arg-type]


async def test_door_an_invitation_stored_elsewhere_lets_the_join_through() -> None:
    hub = make_hub()
    hub.put_room(JAZZ)
    carla = hello(hub, "Carla")
    sync = FakeSync(hub, mr.changed_invitation(JAZZ, "Alice", "Carla"))
    pending = MemberRoomDoor(hub, sync).run(_request(carla))
    assert pending is not None
    await pending
    assert sync.follows == 1


async def test_door_still_closed_after_reading_the_store_refuses_invite_only() -> None:
    hub = make_hub()
    hub.put_room(JAZZ)
    dan = hello(hub, "Dan")
    sync = FakeSync(hub, JAZZ)
    pending = MemberRoomDoor(hub, sync).run(_request(dan))
    assert pending is not None
    with pytest.raises(CauserieError) as caught:
        await pending
    assert caught.value.code is ErrorCode.INVITE_ONLY and sync.follows == 1


def test_door_an_open_or_official_room_reads_nothing() -> None:
    hub = make_hub()
    hub.put_room(mr.changed_modes(JAZZ, "Alice", ModeChange(invite_only=False)))
    bob = hello(hub, "Bob")
    sync = FakeSync(hub, JAZZ)
    door = MemberRoomDoor(hub, sync)
    assert door.run(_request(bob)) is None
    assert door.run(_request(bob, "general")) is None
    assert sync.follows == 0
