"""Age bands (DESIGN.md, rule 2): minors and adults never meet.

A room's audience decides who sees and enters it; a private message never crosses bands, in
either direction. Every path that shows a room or reaches a person goes through here.
"""

from __future__ import annotations

from causerie.core.rooms import Audience, Room
from causerie.core.users import AgeBand, Profile, PublicUser, age_band


def can_see_room(profile: Profile, room: Room) -> bool:
    if room.audience is Audience.TEEN:
        return profile.band is AgeBand.TEEN
    if room.audience is Audience.ADULT:
        return profile.band is AgeBand.ADULT
    return profile.band is AgeBand.ADULT and profile.is_age_verified


def may_reach(sender: Profile, recipient: Profile | PublicUser) -> bool:
    """Whether a private message from `sender` to `recipient` stays within one band."""
    return sender.band is age_band(recipient.age)
