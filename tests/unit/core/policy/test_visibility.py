"""Who may see whom (core/policy/visibility.py), and the hub's answers that follow from it: a
person or a room one may not see answers exactly as one that does not exist, and only then."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from causerie.core.commands import Command, FetchHistory, Join, Part, Say, SendDm
from causerie.core.policy.visibility import (
    Unreachable,
    listed_in,
    may_address,
    may_see,
    nobody,
    refuse_unless_addressable,
)
from causerie.core.rooms import Audience, Room, RoomKind
from causerie.errors import CauserieError
from causerie.wire.events import encode_error
from tests.unit.core.builders import ADULT_ROOM_IDS, TEEN_ROOM_IDS, hello, join, make_hub

AGES = st.integers(13, 120)


def _wire(error: CauserieError, lang: str = "fr") -> str:
    return encode_error(error, "7", lang)


@given(AGES, AGES, st.booleans(), st.booleans())
def test_may_see_same_band_and_a_shared_room_or_conversation(
    viewer: int, person: int, shares_room: bool, in_conversation: bool
) -> None:
    same_band = (viewer >= 18) == (person >= 18)

    seen = may_see(viewer, person, shares_room=shares_room, in_conversation=in_conversation)

    assert seen is (same_band and (shares_room or in_conversation))
    assert may_address(viewer, person) is same_band
    assert not seen or may_address(viewer, person)  # whom one sees, one may name


def test_no_profile_sees_nobody_and_is_seen_by_nobody() -> None:
    assert not may_see(None, 30, shares_room=True, in_conversation=True)
    assert not may_see(30, None, shares_room=True, in_conversation=True)
    assert not may_address(None, 30) and not may_address(30, None)


@pytest.mark.parametrize(("sender", "person", "seeks_minor"), [(40, 14, True), (15, 30, False)])
def test_unreachable_is_on_the_wire_exactly_nobody(
    sender: int, person: int, seeks_minor: bool
) -> None:
    with pytest.raises(Unreachable) as caught:
        refuse_unless_addressable(sender, person, target="Ninateen")

    assert caught.value.seeks_minor is seeks_minor and caught.value.target == "Ninateen"
    for lang in ("fr", "en"):
        assert _wire(caught.value, lang) == _wire(nobody("to"), lang)


def test_listed_in_keeps_a_room_list_to_its_band() -> None:
    teen = Room("ados", "Ados", RoomKind.TEEN, Audience.TEEN)
    verified = Room("charme", "Charme", RoomKind.THEMATIC, Audience.ADULT_VERIFIED)

    assert listed_in(teen, 17) and not listed_in(teen, 18)
    assert listed_in(verified, 18) and not listed_in(verified, 17)


# -- the hub: invisible answers as nonexistent ---------------------------------------------------


def _answer(command: Command, sender_age: int, person_age: int) -> str:
    """The wire error (or "accepted") for `command` from someone of `sender_age`, with a
    person of `person_age` connected as "Cible"."""
    hub = make_hub()
    sender = hello(hub, "Envoyeur", age=sender_age)
    hello(hub, "Cible", age=person_age)
    join(hub, sender, TEEN_ROOM_IDS[0] if sender_age < 18 else ADULT_ROOM_IDS[0])
    try:
        hub.apply(sender, command, 0)
    except CauserieError as error:
        return _wire(error)
    return "accepted"


@given(AGES, AGES)
def test_dm_to_someone_of_the_other_band_answers_as_to_nobody_and_only_then(
    sender_age: int, person_age: int
) -> None:
    to_person = _answer(SendDm("Cible", "salut"), sender_age, person_age)
    to_nobody = _answer(SendDm("Personne", "salut"), sender_age, person_age)

    assert (to_person == to_nobody) is ((sender_age >= 18) != (person_age >= 18))


@given(AGES, st.sampled_from((*TEEN_ROOM_IDS, *ADULT_ROOM_IDS, "charme")))
def test_a_room_outside_the_audience_answers_as_no_room_and_only_then(age: int, room: str) -> None:
    hub = make_hub()
    viewer = hub.profile_of(hello(hub, "Xavier", age=age))
    visible = {view.room.id for view in hub.room_views(viewer)}
    commands = (
        lambda r: Join(r),
        lambda r: Part(r),
        lambda r: FetchHistory(r, None, 10),
        lambda r: Say(r, "salut"),
    )

    for make in commands:
        about_room = _answer(make(room), age, 30)
        about_nothing = _answer(make("nulle-part"), age, 30)
        assert (about_room == about_nothing) is (room not in visible), make(room)
