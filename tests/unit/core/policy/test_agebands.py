"""Age bands (DESIGN.md rule 2): who sees which room; private messages never cross bands."""

from __future__ import annotations

import pytest

from causerie.core.policy.agebands import can_see_room, may_reach
from causerie.core.rooms import Audience, Room, RoomKind
from causerie.core.users import AgeBand, age_band
from tests.unit.core.builders import profile


def _room(audience: Audience) -> Room:
    return Room(f"room-{audience.value}", "Salon", RoomKind.THEMATIC, audience)


@pytest.mark.parametrize(
    ("audience", "age", "is_age_verified", "visible"),
    [
        (Audience.TEEN, 13, False, True),
        (Audience.TEEN, 17, False, True),
        (Audience.TEEN, 17, True, True),
        (Audience.TEEN, 18, False, False),
        (Audience.TEEN, 40, True, False),
        (Audience.ADULT, 13, False, False),
        (Audience.ADULT, 17, True, False),
        (Audience.ADULT, 18, False, True),
        (Audience.ADULT, 40, True, True),
        (Audience.ADULT_VERIFIED, 15, False, False),
        (Audience.ADULT_VERIFIED, 17, True, False),
        (Audience.ADULT_VERIFIED, 18, False, False),
        (Audience.ADULT_VERIFIED, 40, False, False),
        (Audience.ADULT_VERIFIED, 18, True, True),
        (Audience.ADULT_VERIFIED, 120, True, True),
    ],
)
def test_can_see_room_audience_and_band_decide(
    audience: Audience, age: int, is_age_verified: bool, visible: bool
) -> None:
    person = profile(age, is_age_verified=is_age_verified)

    assert can_see_room(person, _room(audience)) is visible


@pytest.mark.parametrize(
    ("age", "band"), [(13, AgeBand.TEEN), (17, AgeBand.TEEN), (18, AgeBand.ADULT)]
)
def test_age_band_boundary_at_18(age: int, band: AgeBand) -> None:
    assert age_band(age) is band
    assert profile(age).is_minor is (band is AgeBand.TEEN)


@pytest.mark.parametrize(
    ("sender_age", "recipient_age", "allowed"),
    [
        (13, 17, True),
        (17, 13, True),
        (18, 120, True),
        (25, 25, True),
        (17, 18, False),
        (18, 17, False),
        (45, 14, False),
        (14, 45, False),
    ],
)
def test_may_reach_only_within_one_band(sender_age: int, recipient_age: int, allowed: bool) -> None:
    sender = profile(sender_age, nick="Sender")
    recipient = profile(recipient_age, nick="Recipient", is_age_verified=True)

    assert may_reach(sender, recipient) is allowed
    assert may_reach(recipient, sender) is allowed
