"""Member rooms in the hub: entering (ban, invitation, key, limit), speaking in a moderated
room, unlisted rooms in lists, and the teen space's member rooms out of adults' sight. Pure."""

from __future__ import annotations

import dataclasses

from causerie.core.commands import FetchHistory, Join, ListRooms, Say
from causerie.core.events import Joined, RoomsListed, RoomUpdated, ToSession
from causerie.core.policy import member_rooms as mr
from causerie.core.policy.member_rooms import ModeChange
from causerie.core.rooms import Audience, Room, RoomKind
from causerie.errors import ErrorCode
from tests.unit.core.builders import hello, join, make_hub, refusal, say

JAZZ = Room("fans-de-jazz", "Fans de jazz", RoomKind.THEMATIC, Audience.ADULT, 1000, owner="Alice")
FORTNITE = Room("ados-fortnite", "Fortnite", RoomKind.TEEN, Audience.TEEN, 1001, owner="Nina")


def _listed(hub, session: str) -> set[str]:  # type: ignore[no-untyped-def]
    [event] = hub.apply(session, ListRooms(), 0).replies
    assert isinstance(event, RoomsListed)
    return {view.room.id for view in event.rooms}


def test_join_a_banned_person_is_refused_banned_the_owner_always_enters() -> None:
    hub = make_hub()
    hub.put_room(mr.changed_ban(JAZZ, "Alice", "Eve", True))
    alice, eve = hello(hub, "Alice"), hello(hub, "Eve")
    assert refusal(hub, eve, Join(JAZZ.id)).code is ErrorCode.BANNED
    join(hub, alice, JAZZ.id)
    assert alice in set(hub.members_of(JAZZ.id))


def test_join_invite_only_needs_an_invitation_and_a_key_needs_the_key() -> None:
    hub = make_hub()
    closed = mr.changed_modes(JAZZ, "Alice", ModeChange(invite_only=True))
    hub.put_room(closed)
    carla = hello(hub, "Carla")
    assert refusal(hub, carla, Join(JAZZ.id)).code is ErrorCode.INVITE_ONLY
    hub.put_room(mr.changed_invitation(closed, "Alice", "Carla"))
    join(hub, carla, JAZZ.id)
    hub.put_room(mr.changed_modes(JAZZ, "Alice", ModeChange(key="k1")))
    dan = hello(hub, "Dan")
    error = refusal(hub, dan, Join(JAZZ.id, key="k2"))
    assert (error.code, error.field) == (ErrorCode.BAD_KEY, "key")
    [joined] = hub.apply(dan, Join(JAZZ.id, key="k1"), 0).replies
    assert isinstance(joined, Joined)


def test_join_a_member_room_at_its_limit_is_room_full() -> None:
    hub = make_hub()
    hub.put_room(mr.changed_modes(JAZZ, "Alice", ModeChange(member_limit=1)))
    join(hub, hello(hub, "Alice"), JAZZ.id)
    assert refusal(hub, hello(hub, "Bob"), Join(JAZZ.id)).code is ErrorCode.ROOM_FULL


def test_join_member_rooms_one_after_another_is_rate_limited_past_the_burst() -> None:
    hub = make_hub()
    rooms = [dataclasses.replace(JAZZ, id=f"jazz-{n}", name=f"Jazz {n}") for n in range(12)]
    for room in rooms:
        hub.put_room(room)
    bob = hello(hub, "Bob")
    for room in rooms[:10]:
        join(hub, bob, room.id)
    assert refusal(hub, bob, Join(rooms[10].id)).code is ErrorCode.RATE_LIMITED


def test_say_in_a_moderated_room_only_the_owner_and_operators_speak() -> None:
    hub = make_hub()
    room = mr.changed_operator(JAZZ, "Alice", "Bob", True)
    hub.put_room(mr.changed_modes(room, "Alice", ModeChange(moderated=True)))
    alice, bob, carla = hello(hub, "Alice"), hello(hub, "Bob"), hello(hub, "Carla")
    join(hub, alice, JAZZ.id)
    join(hub, bob, JAZZ.id)
    join(hub, carla, JAZZ.id)
    assert say(hub, alice, JAZZ.id, "Bienvenue").text == "Bienvenue"
    assert say(hub, bob, JAZZ.id, "Salut").text == "Salut"
    error = refusal(hub, carla, Say(JAZZ.id, "Coucou"))
    assert (error.code, error.key) == (ErrorCode.FORBIDDEN, "room_moderated")


def test_unlisted_room_left_out_of_lists_for_non_members_joinable_all_the_same() -> None:
    hub = make_hub()
    alice, carla = hello(hub, "Alice"), hello(hub, "Carla")
    outcome = hub.put_room(mr.changed_modes(JAZZ, "Alice", ModeChange(unlisted=True)))
    told = {t.session for t, e in outcome.deliveries if isinstance(t, ToSession)}
    assert alice in told and carla not in told
    assert JAZZ.id in _listed(hub, alice) and JAZZ.id not in _listed(hub, carla)
    join(hub, carla, JAZZ.id)
    assert JAZZ.id in _listed(hub, carla)


def test_teen_member_room_an_adult_never_sees_it_by_any_lookup() -> None:
    hub = make_hub()
    nina, alice = hello(hub, "Nina", age=15), hello(hub, "Alice")
    outcome = hub.put_room(FORTNITE)
    told = {t.session for t, e in outcome.deliveries if isinstance(e, RoomUpdated)}
    assert told == {nina}
    join(hub, nina, FORTNITE.id)
    assert FORTNITE.id in _listed(hub, nina) and FORTNITE.id not in _listed(hub, alice)
    for command in (Join(FORTNITE.id), FetchHistory(FORTNITE.id), Say(FORTNITE.id, "hé")):
        error = refusal(hub, alice, command)
        assert (error.code, error.key) == (ErrorCode.NOT_FOUND, "room_not_found")
    welcome = hub.welcome(alice, 0).replies[0]
    assert FORTNITE.id not in {view.room.id for view in welcome.rooms}  # type: ignore[attr-defined]
