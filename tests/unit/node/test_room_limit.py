"""A room's member limit across nodes: the shared presence's count, asked only of a room the
person may see and is not in yet."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import pytest

from causerie.core.commands import Join
from causerie.core.rooms import DEFAULT_ROOMS
from causerie.errors import CauserieError, ErrorCode
from causerie.node.checks import RoomLimitAcrossNodes
from causerie.node.ports import Clock
from causerie.node.requests import Request
from tests.unit.core.builders import hello, join, make_hub

LIMITED = [
    dataclasses.replace(r, member_limit=3) if r.id == "general" else r for r in DEFAULT_ROOMS
]


class Counts:
    def __init__(self, count: int) -> None:
        self.count = count
        self.asked: list[list[str]] = []

    async def counts(self, rooms: Iterable[str], now_ms: int) -> dict[str, int]:
        self.asked.append(list(rooms))
        return {room: self.count for room in self.asked[-1]}


def _request(session: str, room: str) -> Request:
    connection: Any = object()
    return Request(connection, "1", Join(room), session)


async def _run(check: RoomLimitAcrossNodes, session: str, room: str) -> None:
    pending = check.run(_request(session, room))
    if pending is not None:
        await pending


async def test_room_limit_across_nodes_refuses_a_full_room_as_room_full() -> None:
    hub = make_hub(rooms=LIMITED)
    alice = hello(hub, "Alice")
    counts = Counts(3)
    with pytest.raises(CauserieError) as caught:
        await _run(RoomLimitAcrossNodes(hub, counts, Clock(lambda: 1.0)), alice, "general")
    assert (caught.value.code, caught.value.field) == (ErrorCode.ROOM_FULL, "room")
    counts.count = 2
    await _run(RoomLimitAcrossNodes(hub, counts, Clock(lambda: 1.0)), alice, "general")


async def test_room_limit_across_nodes_asks_nothing_for_a_room_out_of_band_or_joined() -> None:
    hub = make_hub(rooms=LIMITED)
    nina, alice = hello(hub, "Nina", age=15), hello(hub, "Alice")
    join(hub, alice, "general")
    counts = Counts(99)
    check = RoomLimitAcrossNodes(hub, counts, Clock(lambda: 1.0))
    await _run(check, nina, "general")  # the hub answers not_found, never room_full
    await _run(check, alice, "general")  # a member joining again is no newcomer
    await _run(check, alice, "musique")  # no limit
    assert counts.asked == []
