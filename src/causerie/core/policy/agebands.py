"""Age bands (DESIGN.md, rule 2): minors and adults never meet.

A room's audience decides who sees and enters it; a private message never crosses bands, in
either direction. Every path that shows a room goes through here; who sees or reaches a person
is `visibility.py`'s.
"""

from __future__ import annotations

from causerie.core.policy.visibility import may_address
from causerie.core.rooms import Audience, Room
from causerie.core.users import AgeBand, Profile, PublicUser


def can_see_room(profile: Profile, room: Room) -> bool:
    if room.audience is Audience.TEEN:
        return profile.band is AgeBand.TEEN
    if room.audience is Audience.ADULT:
        return profile.band is AgeBand.ADULT
    return profile.band is AgeBand.ADULT and profile.is_age_verified


def may_reach(sender: Profile, recipient: Profile | PublicUser) -> bool:
    """Whether `sender` may name `recipient` (a private message, a report): the rule of
    `visibility.may_address`, the one place it is decided."""
    return may_address(sender.age, recipient.age)
