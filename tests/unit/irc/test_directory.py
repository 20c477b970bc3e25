"""The listener's directory: room lists shared by its sessions, and AWAY (IRC's own); no roster
of people, which the node keeps."""

from __future__ import annotations

import dataclasses

from causerie.core.events import RoomView
from causerie.core.rooms import Audience, Room, RoomKind
from causerie.irc.directory import MAX_ROOM_LISTS, Directory

SPORT = Room("sport", "Sport", RoomKind.THEMATIC, Audience.ADULT, topic="on parle sport")
GENERAL = Room("general", "Général", RoomKind.THEMATIC, Audience.ADULT)


def test_sessions_seeing_the_same_rooms_share_one_list_without_member_counts() -> None:
    directory = Directory()

    first = directory.shared_rooms([RoomView(SPORT, 3), RoomView(GENERAL, 10)])
    second = directory.shared_rooms([RoomView(SPORT, 4), RoomView(GENERAL, 11)])
    other_band = directory.shared_rooms([RoomView(GENERAL, 11)])

    assert first is second and list(first) == ["sport", "general"]
    assert first["sport"] is SPORT, "the hub's own room, not a copy"
    assert other_band is not first and list(other_band) == ["general"]


def test_a_changed_room_is_a_list_of_the_session_own_and_the_shared_one_stays() -> None:
    directory = Directory()
    shared = directory.shared_rooms([RoomView(SPORT, 3), RoomView(GENERAL, 10)])
    retitled = dataclasses.replace(SPORT, topic="ce soir, le match")

    changed = directory.with_room(shared, retitled)

    assert directory.with_room(shared, SPORT) is shared  # nothing new: the same list
    assert changed["sport"].topic == "ce soir, le match" and changed["general"] is GENERAL
    assert shared["sport"].topic == "on parle sport"
    assert "cinema" in directory.with_room(shared, dataclasses.replace(SPORT, id="cinema"))


def test_room_lists_are_bounded() -> None:
    directory = Directory()
    rooms = [dataclasses.replace(SPORT, id=f"r{index}") for index in range(MAX_ROOM_LISTS + 10)]

    for room in rooms:
        directory.shared_rooms([RoomView(room, 1)])

    assert len(directory._room_lists) <= MAX_ROOM_LISTS


def test_away_is_kept_per_nickname_and_told_with_the_setter_channels() -> None:
    directory = Directory()
    told: list[tuple[str, str | None, frozenset[str]]] = []
    directory.listen("x", lambda nick, _mask, text, rooms: told.append((nick, text, rooms)))

    directory.set_away("Alice", "Alice!u@75.causerie", "parti", frozenset({"sport"}))
    assert directory.away == {"alice": "parti"}
    directory.forget("x")
    directory.set_away("Alice", "Alice!u@75.causerie", None, frozenset({"sport"}))

    assert directory.away == {} and told == [("Alice", "parti", frozenset({"sport"}))]
