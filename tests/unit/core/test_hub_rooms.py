"""The operator's room changes in the hub: a room made, changed, archived, and a member
limit, each told to exactly the people who may see the room. Pure."""

from __future__ import annotations

import dataclasses

from causerie.core.commands import Join, ListRooms, Part
from causerie.core.events import (
    PresenceChanged,
    PresenceState,
    RoomArchived,
    RoomsListed,
    RoomUpdated,
    ToRoom,
    ToSession,
)
from causerie.core.rooms import DEFAULT_ROOMS, Audience, Room, RoomKind
from causerie.errors import ErrorCode
from tests.unit.core.builders import hello, join, make_hub, public, refusal

JARDIN = Room("jardinage", "Jardinage", RoomKind.THEMATIC, Audience.ADULT, 13, "Potagers")
GENERAL = next(r for r in DEFAULT_ROOMS if r.id == "general")


def _targets(outcome_deliveries: list, kind: type) -> set[str]:  # type: ignore[type-arg]
    return {
        target.session
        for target, event in outcome_deliveries
        if isinstance(target, ToSession) and isinstance(event, kind)
    }


def test_put_room_a_new_room_reaches_the_adults_only_and_opens_to_them() -> None:
    hub = make_hub()
    alice, nina = hello(hub, "Alice"), hello(hub, "Nina", age=15)
    outcome = hub.put_room(JARDIN)
    assert _targets(outcome.deliveries, RoomUpdated) == {alice}
    [(_, event)] = outcome.deliveries
    assert isinstance(event, RoomUpdated) and event.room.room == JARDIN
    join(hub, alice, "jardinage")
    assert list(hub.members_of("jardinage")) == [alice]
    assert refusal(hub, nina, Join("jardinage")).code is ErrorCode.NOT_FOUND
    listed = hub.apply(alice, ListRooms(), 0).replies[0]
    assert isinstance(listed, RoomsListed)
    ids = [view.room.id for view in listed.rooms]
    assert ids.index("jardinage") == ids.index("50-plus") + 1  # by position


def test_put_room_a_new_teen_room_is_never_told_to_adults() -> None:
    hub = make_hub()
    alice, nina = hello(hub, "Alice"), hello(hub, "Nina", age=15)
    teen = Room("ados-sciences", "Ados — Sciences", RoomKind.TEEN, Audience.TEEN, 210)
    outcome = hub.put_room(teen)
    assert _targets(outcome.deliveries, RoomUpdated) == {nina}
    assert refusal(hub, alice, Join("ados-sciences")).code is ErrorCode.NOT_FOUND


def test_put_room_a_new_topic_reaches_members_and_keeps_them() -> None:
    hub = make_hub()
    alice, bob = hello(hub, "Alice"), hello(hub, "Bob")
    join(hub, alice, "general")
    outcome = hub.put_room(dataclasses.replace(GENERAL, topic="Nouveau sujet"))
    assert _targets(outcome.deliveries, RoomUpdated) == {alice, bob}
    room = hub.room("general")
    assert room is not None and room.topic == "Nouveau sujet"
    assert list(hub.members_of("general")) == [alice]


def test_put_room_tightened_to_verified_adults_takes_the_others_out() -> None:
    hub = make_hub()
    alice, bob = hello(hub, "Alice"), hello(hub, "Bob")
    join(hub, alice, "general")
    hub.verify_age(bob)
    join(hub, bob, "general")
    tightened = dataclasses.replace(GENERAL, audience=Audience.ADULT_VERIFIED)
    outcome = hub.put_room(tightened)
    assert _targets(outcome.deliveries, RoomArchived) == {alice}
    assert _targets(outcome.deliveries, RoomUpdated) == {bob}
    left = PresenceChanged("general", public(hub, alice), PresenceState.LEFT)
    assert (ToRoom("general"), left) in outcome.deliveries
    assert list(hub.members_of("general")) == [bob]
    assert "general" not in hub.rooms_of(alice)
    assert refusal(hub, alice, Join("general")).code is ErrorCode.NOT_FOUND


def test_archive_room_takes_members_out_and_refuses_joins_as_no_room() -> None:
    hub = make_hub()
    alice, bob, nina = hello(hub, "Alice"), hello(hub, "Bob"), hello(hub, "Nina", age=15)
    join(hub, alice, "general", "musique")
    outcome = hub.archive_room("general")
    assert _targets(outcome.deliveries, RoomArchived) == {alice, bob}
    assert nina not in {t.session for t, _ in outcome.deliveries if isinstance(t, ToSession)}
    assert all(isinstance(t, ToSession) for t, _ in outcome.deliveries)
    assert hub.rooms_of(alice) == {"musique"}
    assert hub.room("general") is None
    archived = refusal(hub, bob, Join("general"))
    never = refusal(hub, bob, Join("nowhere"))
    assert (
        (archived.code, archived.key)
        == (never.code, never.key)
        == (
            ErrorCode.NOT_FOUND,
            "room_not_found",
        )
    )
    assert "general" not in {v.room.id for v in hub.room_views(hub.profile_of(bob))}
    assert hub.archive_room("general").deliveries == []


def test_archive_room_forgets_its_slow_mode() -> None:
    hub = make_hub()
    hub.restrict_room("general", slow_mode_s=30)
    hub.archive_room("general")
    hub.put_room(dataclasses.replace(GENERAL, name="Général bis"))  # the same id, made again
    assert hub.restrictions.room("general").slow_mode_s == 0


def test_join_a_room_at_its_member_limit_is_refused_as_room_full() -> None:
    hub = make_hub()
    hub.put_room(dataclasses.replace(JARDIN, member_limit=2))
    alice, bob, carol = hello(hub, "Alice"), hello(hub, "Bob"), hello(hub, "Carole")
    join(hub, alice, "jardinage")
    join(hub, bob, "jardinage")
    error = refusal(hub, carol, Join("jardinage"))
    assert (error.code, error.key, error.field) == (ErrorCode.ROOM_FULL, "room_full", "room")
    join(hub, alice, "jardinage")  # a member joining again is no newcomer
    hub.apply(bob, Part("jardinage"), 10)
    join(hub, carol, "jardinage", now_ms=20)
    assert set(hub.members_of("jardinage")) == {alice, carol}
