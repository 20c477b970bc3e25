"""`Membership` alone (with the sessions and recent history it reads): the rooms one may see,
joins and parts, member lists and their versions, the join/part bucket, leaving."""

from __future__ import annotations

import dataclasses

import pytest

from causerie.core.commands import Join, ListRooms, Part
from causerie.core.events import (
    Joined,
    Parted,
    PresenceChanged,
    PresenceState,
    RoomsListed,
    ToRoom,
)
from causerie.core.hub.config import HubConfig
from causerie.core.messages import Message
from causerie.core.policy.ratelimits import RateLimit
from causerie.errors import CauserieError, ErrorCode
from tests.unit.core.builders import ADULT_ROOM_IDS, START_MS, TEEN_ROOM_IDS
from tests.unit.core.hub.parts import admit, in_room, make_parts


def _refusal(call: object) -> CauserieError:
    assert callable(call)
    with pytest.raises(CauserieError) as caught:
        call()
    return caught.value


def test_views_show_each_profile_its_own_band_only() -> None:
    parts = make_parts()
    adult = admit(parts.sessions, "Alice")
    teen = admit(parts.sessions, "Nina", age=15)
    verified = dataclasses.replace(adult.profile, is_age_verified=True)
    assert [v.room.id for v in parts.membership.views(adult.profile)] == list(ADULT_ROOM_IDS)
    assert [v.room.id for v in parts.membership.views(teen.profile)] == list(TEEN_ROOM_IDS)
    assert "charme" in {v.room.id for v in parts.membership.views(verified)}
    assert len(parts.membership.views()) == len(parts.membership.rooms())


def test_list_rooms_answers_the_sessions_views() -> None:
    parts = make_parts()
    teen = admit(parts.sessions, "Nina", age=15)
    outcome = parts.membership.list_rooms(teen, ListRooms(), START_MS)
    assert outcome.replies == [RoomsListed(parts.membership.views(teen.profile))]


def test_a_room_outside_ones_audience_is_refused_as_no_room_at_all() -> None:
    parts = make_parts()
    teen = admit(parts.sessions, "Nina", age=15)
    hidden = _refusal(lambda: parts.membership.join(teen, Join("general"), START_MS))
    missing = _refusal(lambda: parts.membership.join(teen, Join("nowhere"), START_MS + 1))
    assert (hidden.code, hidden.key, hidden.field) == (missing.code, missing.key, missing.field)
    assert (hidden.code, hidden.key) == (ErrorCode.NOT_FOUND, "room_not_found")
    assert list(parts.membership.members_of("general")) == []


def test_join_adds_a_member_once_and_tells_the_room_once() -> None:
    parts = make_parts()
    alice = admit(parts.sessions, "Alice")
    before = parts.membership.members_version("general")
    first = parts.membership.join(alice, Join("general"), START_MS)
    again = parts.membership.join(alice, Join("general"), START_MS)
    presence = PresenceChanged("general", alice.user, PresenceState.JOINED)
    assert first.deliveries == [(ToRoom("general"), presence)]
    assert again.deliveries == []
    assert list(parts.membership.members_of("general")) == ["s-Alice"]
    assert parts.membership.members_version("general") == before + 1
    assert parts.membership.rooms_of("s-Alice") == {"general"}


def test_join_lists_members_and_returns_the_history_after_since() -> None:
    parts = make_parts()
    alice, bruno = admit(parts.sessions, "Alice"), admit(parts.sessions, "Bruno")
    in_room(parts, alice, "general")
    old = Message(1, "general", alice.user, "ancien", START_MS)
    new = Message(2, "general", alice.user, "récent", START_MS)
    parts.history.add(old)
    parts.history.add(new)
    [joined] = parts.membership.join(bruno, Join("general", since=1), START_MS).replies
    assert isinstance(joined, Joined)
    assert joined.members == (alice.user, bruno.user)
    assert joined.history == (new,)
    assert joined.room.members == 2


def test_join_past_the_room_limit_is_invalid_and_keeps_the_rooms() -> None:
    parts = make_parts(HubConfig(max_rooms_per_session=2))
    alice = admit(parts.sessions, "Alice")
    in_room(parts, alice, "general")
    in_room(parts, alice, "musique")
    error = _refusal(lambda: parts.membership.join(alice, Join("sport"), START_MS))
    assert (error.code, error.key, error.params) == (
        ErrorCode.INVALID,
        "too_many_rooms",
        {"max": 2},
    )
    assert parts.membership.rooms_of("s-Alice") == {"general", "musique"}


def test_a_join_or_part_costs_a_token_before_the_room_is_looked_up() -> None:
    parts = make_parts(HubConfig(join_part_limit=RateLimit(capacity=2, refill_per_s=0.001)))
    alice = admit(parts.sessions, "Alice")
    for _ in range(2):
        error = _refusal(lambda: parts.membership.join(alice, Join("nowhere"), START_MS))
        assert error.key == "room_not_found"
    error = _refusal(lambda: parts.membership.part(alice, Part("nowhere"), START_MS))
    assert (error.code, error.key) == (ErrorCode.RATE_LIMITED, "join_rate_limited")


def test_part_of_a_room_one_is_not_in_is_forbidden() -> None:
    parts = make_parts()
    alice = admit(parts.sessions, "Alice")
    error = _refusal(lambda: parts.membership.part(alice, Part("general"), START_MS))
    assert (error.code, error.key) == (ErrorCode.FORBIDDEN, "not_in_room")


def test_part_removes_the_member_and_tells_the_room() -> None:
    parts = make_parts()
    alice = admit(parts.sessions, "Alice")
    in_room(parts, alice, "general")
    version = parts.membership.members_version("general")
    outcome = parts.membership.part(alice, Part("general"), START_MS)
    left = PresenceChanged("general", alice.user, PresenceState.LEFT)
    assert outcome.deliveries == [(ToRoom("general"), left)]
    assert list(parts.membership.members_of("general")) == []
    assert parts.membership.members_version("general") == version + 1
    assert alice.rooms == frozenset()


def test_leave_all_tells_each_room_in_order_and_empties_them() -> None:
    parts = make_parts()
    alice = admit(parts.sessions, "Alice")
    for room in ("sport", "general", "musique"):
        in_room(parts, alice, room)
    deliveries = parts.membership.leave_all(alice)
    assert [target for target, _event in deliveries] == [
        ToRoom("general"),
        ToRoom("musique"),
        ToRoom("sport"),
    ]
    assert all(not list(parts.membership.members_of(r)) for r in ("general", "musique", "sport"))


def test_remove_from_room_of_a_non_member_or_unknown_room_changes_nothing() -> None:
    parts = make_parts()
    alice = admit(parts.sessions, "Alice")
    version = parts.membership.members_version("general")
    assert parts.membership.remove_from_room("s-Alice", "general").deliveries == []
    assert parts.membership.remove_from_room("s-Alice", "nowhere").deliveries == []
    assert parts.membership.remove_from_room("s-nobody", "general").deliveries == []
    assert parts.membership.members_version("general") == version
    assert alice.rooms == frozenset()


def test_an_unknown_room_has_no_members_and_version_minus_one() -> None:
    parts = make_parts()
    assert parts.membership.room("nowhere") is None
    assert parts.membership.members_version("nowhere") == -1
    assert list(parts.membership.members_of("nowhere")) == []


def test_rooms_of_is_a_copy() -> None:
    parts = make_parts()
    alice = admit(parts.sessions, "Alice")
    in_room(parts, alice, "general")
    parts.membership.rooms_of("s-Alice").add("musique")
    assert parts.membership.rooms_of("s-Alice") == {"general"}


def test_kick_takes_out_someone_who_spent_every_join_and_part_token() -> None:
    from causerie.core.commands import Join
    from causerie.core.hub import HubConfig
    from causerie.core.policy.ratelimits import RateLimit
    from tests.unit.core.builders import ADULT_ROOM_IDS, START_MS, hello, make_hub

    hub = make_hub(HubConfig(dm_wait_s=0, join_part_limit=RateLimit(1, 0.0001)))
    flooder = hello(hub, "Yoyo")
    room = ADULT_ROOM_IDS[0]
    hub.apply(flooder, Join(room), START_MS)  # the only token, spent
    outcome = hub.remove_from_room(flooder, room)
    assert room not in hub.rooms_of(flooder)
    assert [type(event).__name__ for _target, event in outcome.deliveries] == ["PresenceChanged"]


def test_remove_from_room_by_someone_tells_the_room_who_took_them_out() -> None:
    parts = make_parts()
    alice = admit(parts.sessions, "Alice")
    in_room(parts, alice, "general")

    outcome = parts.membership.remove_from_room("s-Alice", "general", "Bob", "dehors")

    [(target, left)] = outcome.deliveries
    assert target == ToRoom("general") and isinstance(left, PresenceChanged)
    assert (left.state, left.by, left.reason) == (PresenceState.LEFT, "Bob", "dehors")
    assert outcome.replies == [Parted("general", "Bob", "dehors")] and alice.rooms == frozenset()
