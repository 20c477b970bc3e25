"""The node's lookups (`LookUp`, `ListMembers`), built with a real hub and a fake presence: the
web's visibility rule, on this node and for people connected to other nodes."""

from __future__ import annotations

from typing import Any

import pytest

from causerie.broker.base import BrokerUnavailable
from causerie.core.commands import ListMembers, LookUp, SendDm
from causerie.core.hub import Hub
from causerie.errors import CauserieError, ErrorCode
from causerie.node.lookups import MAX_NICKS, Lookups
from causerie.wire.views import user_view
from tests.unit.core.builders import START_MS, hello, join, make_hub, public


class FakePresence:
    """Other nodes' people: nickname claims and room members, as `broker/presence.py` keeps
    them (the wire view of each person)."""

    def __init__(self) -> None:
        self.claims: dict[str, dict[str, Any]] = {}
        self.rooms: dict[str, list[dict[str, Any]]] = {}
        self.is_down = False
        self.asked_rooms: list[str] = []

    def add(self, key: str, user: dict[str, Any], *rooms: str) -> None:
        self.claims[key] = {"node": 1, "session": f"elsewhere-{key}", "user": user}
        for room in rooms:
            self.rooms.setdefault(room, []).append(user)

    async def find_nick(self, key: str) -> dict[str, Any] | None:
        if self.is_down:
            raise BrokerUnavailable("down")
        return self.claims.get(key)

    async def members(self, room: str, now_ms: int) -> list[dict[str, Any]]:
        if self.is_down:
            raise BrokerUnavailable("down")
        self.asked_rooms.append(room)
        return list(self.rooms.get(room, []))


def _view(nick: str, age: int) -> dict[str, Any]:
    return {"nick": nick, "gender": "woman", "age": age, "dept": "69", "region": "Auvergne"}


def _lookups(hub: Hub, presence: FakePresence | None = None) -> Lookups:
    return Lookups(hub, presence, lambda: START_MS)


async def test_look_up_same_band_in_a_shared_room_with_the_rooms_shared() -> None:
    hub = make_hub()
    asker = hello(hub, "Marc", age=40)
    bob = hello(hub, "Bob", age=30)
    join(hub, asker, "general", "sport")
    join(hub, bob, "general", "musique")

    found = await _lookups(hub).look_up(asker, LookUp(("bob",)))

    assert found.users == ((public(hub, bob), ("general",)),)


async def test_look_up_other_band_answers_exactly_as_nobody_even_in_a_conversation() -> None:
    hub = make_hub()
    asker = hello(hub, "Marc", age=40)
    teen = hello(hub, "Nina", age=14)
    join(hub, teen, "ados-general")
    hub.arrival(asker, "Nina")  # she wrote (it could not reach): no conversation shows her

    lookups = _lookups(hub)

    assert await lookups.look_up(asker, LookUp(("Nina",))) == await lookups.look_up(
        asker, LookUp(("Personne",))
    )


async def test_look_up_same_band_without_a_shared_room_only_once_in_a_conversation() -> None:
    hub = make_hub()
    asker = hello(hub, "Marc", age=40)
    bob = hello(hub, "Bob", age=30)
    join(hub, bob, "musique")
    lookups = _lookups(hub)
    assert (await lookups.look_up(asker, LookUp(("Bob",)))).users == ()

    hub.apply(asker, SendDm("Bob", "salut"), START_MS)  # writing to him opens it

    assert (await lookups.look_up(asker, LookUp(("Bob",)))).users == ((public(hub, bob), ()),)


async def test_look_up_self_always_and_each_name_once_and_look_alikes_never() -> None:
    hub = make_hub()
    asker = hello(hub, "Marc", age=40)
    bob = hello(hub, "Bob", age=30)
    join(hub, asker, "general")
    join(hub, bob, "general")

    found = await _lookups(hub).look_up(asker, LookUp(("MARC", "Bob", "bob", "B0b", " ", "")))

    assert [user.nick for user, _rooms in found.users] == ["Marc", "Bob"]
    assert found.users[0][1] == ("general",)


async def test_look_up_without_a_session_sees_nobody_and_long_lists_are_cut() -> None:
    hub = make_hub()
    bob = hello(hub, "Bob", age=30)
    join(hub, bob, "general")
    asker = hello(hub, "Marc", age=40)
    join(hub, asker, "general")
    lookups = _lookups(hub)

    assert (await lookups.look_up(None, LookUp(("Bob",)))).users == ()
    many = (*(f"n{index}" for index in range(MAX_NICKS)), "Bob")
    assert (await lookups.look_up(asker, LookUp(many))).users == ()


async def test_look_up_someone_on_another_node_through_the_presence() -> None:
    hub = make_hub()
    asker = hello(hub, "Marc", age=40)
    join(hub, asker, "general", "sport")
    presence = FakePresence()
    presence.add("zoe", _view("Zoe", 30), "general", "musique")
    presence.add("nina", _view("Nina", 14), "ados-general")
    lookups = _lookups(hub, presence)

    found = await lookups.look_up(asker, LookUp(("Zoe", "Nina")))

    [(zoe, shared)] = found.users
    assert (zoe.nick, zoe.age, shared) == ("Zoe", 30, ("general",))
    assert sorted(presence.asked_rooms) == ["general", "sport"], "each room asked once"


async def test_look_up_presence_down_still_answers_for_this_node() -> None:
    hub = make_hub()
    asker = hello(hub, "Marc", age=40)
    bob = hello(hub, "Bob", age=30)
    join(hub, asker, "general")
    join(hub, bob, "general")
    presence = FakePresence()
    presence.is_down = True

    found = await _lookups(hub, presence).look_up(asker, LookUp(("Bob", "Zoe")))

    assert [user.nick for user, _rooms in found.users] == ["Bob"]


async def test_list_members_to_a_member_sorted_with_the_lock() -> None:
    hub = make_hub()
    asker = hello(hub, "Marc", age=40)
    bob = hello(hub, "bob", age=30)
    join(hub, asker, "general")
    join(hub, bob, "general")
    hub.restrict_room("general", locked=True)

    members = await _lookups(hub).list_members(asker, False, ListMembers("general"))

    assert [u.nick for u in members.users] == ["bob", "Marc"] and members.locked


async def test_list_members_of_a_visible_room_not_joined_tells_only_the_lock() -> None:
    hub = make_hub()
    asker = hello(hub, "Marc", age=40)
    bob = hello(hub, "Bob", age=30)
    join(hub, bob, "general")

    members = await _lookups(hub).list_members(asker, False, ListMembers("general"))

    assert (members.room, members.users, members.locked) == ("general", (), False)


@pytest.mark.parametrize("room", ["ados-general", "nulle-part"])
async def test_list_members_of_a_room_one_may_not_see_is_no_room(room: str) -> None:
    hub = make_hub()
    asker = hello(hub, "Marc", age=40)

    with pytest.raises(CauserieError) as caught:
        await _lookups(hub).list_members(asker, False, ListMembers(room))

    error = caught.value
    assert (error.code, error.key, error.field) == (ErrorCode.NOT_FOUND, "room_not_found", "room")


async def test_list_members_without_a_session_only_for_staff_and_without_people() -> None:
    hub = make_hub()
    teen = hello(hub, "Nina", age=14)
    join(hub, teen, "ados-general")
    lookups = _lookups(hub)

    with pytest.raises(CauserieError):
        await lookups.list_members(None, False, ListMembers("ados-general"))
    staff = await lookups.list_members(None, True, ListMembers("ados-general"))

    assert staff.users == () and not staff.locked


async def test_list_members_across_nodes_listed_once_and_only_of_the_room_band() -> None:
    hub = make_hub()
    asker = hello(hub, "Marc", age=40)
    join(hub, asker, "general")
    presence = FakePresence()
    presence.add("zoe", _view("Zoe", 30), "general")
    presence.add("marc", user_view(public(hub, asker)), "general")  # this node's, published
    presence.rooms["general"].append(_view("Kid", 15))  # a stale teen entry: never listed

    members = await _lookups(hub, presence).list_members(asker, False, ListMembers("general"))

    assert [u.nick for u in members.users] == ["Marc", "Zoe"]
