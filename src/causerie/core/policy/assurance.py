"""Age assurance in the teen space: what a declared minor needs a provider's proof for. Pure.

Age bands hold for people who tell the truth about their age; an adult who declares 15 is let
into the teen space by the bands alone. The operator may therefore ask minors for a proof,
from an independent age-assurance provider, that they are under 18 (a signed single-use token,
`safety/ageverify.py` with `Purpose.MINOR`; docs/age-verification.md). What the proof gates is
the operator's choice (`teen_assurance`):

- `off`: nothing (the embedded laptop default, which runs without a provider);
- `dm`: a minor not assured may not send private messages (the private conversation is where
  grooming moves to);
- `space`: a minor not assured may neither join teen rooms nor send private messages.

Adults are never asked: the gate only ever looks at declared minors. A refusal is
`age_restricted` with the key and `reason` `age_assurance_needed`, so a client can offer the
walk-through; it says nothing about anyone else (a private message is refused before its
recipient is looked up, so the answer is the same for every nickname).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum

from causerie.core.rooms import Audience, Room
from causerie.core.users import Profile
from causerie.errors import CauserieError, ErrorCode

NEEDED = "age_assurance_needed"


class AssuranceGate(StrEnum):
    """What a minor needs an age-assurance proof for (the `teen_assurance` setting)."""

    OFF = "off"
    DM = "dm"
    SPACE = "space"


@dataclass(frozen=True, slots=True)
class AssuranceStatus:
    """What a minor's `welcome` says: what is gated, whether this session is assured, and the
    provider's page the client opens (filled in by the node, which knows the settings)."""

    required: AssuranceGate
    is_assured: bool
    provider_url: str = ""


def status_of(gate: AssuranceGate, profile: Profile) -> AssuranceStatus | None:
    """The `welcome`'s assurance block: for minors only (adults are never asked)."""
    if not profile.is_minor:
        return None
    return AssuranceStatus(gate, profile.is_age_assured)


def _is_unassured_minor(profile: Profile) -> bool:
    return profile.is_minor and not profile.is_age_assured


def may_write_privately(gate: AssuranceGate, profile: Profile) -> bool:
    """Whether `profile` may send a private message as far as age assurance goes."""
    return gate is AssuranceGate.OFF or not _is_unassured_minor(profile)


def may_join(gate: AssuranceGate, profile: Profile, room: Room) -> bool:
    """Whether `profile` may join `room` as far as age assurance goes (the room's audience is
    checked elsewhere: `agebands.can_see_room`)."""
    if gate is not AssuranceGate.SPACE or room.audience is not Audience.TEEN:
        return True
    return not _is_unassured_minor(profile)


def needed() -> CauserieError:
    """The refusal: `age_restricted`, key and `reason` `age_assurance_needed`."""
    return CauserieError(ErrorCode.AGE_RESTRICTED, NEEDED, reason=NEEDED)


def refuse_unless_may_write(gate: AssuranceGate, profile: Profile) -> None:
    if not may_write_privately(gate, profile):
        raise needed()


def refuse_unless_may_join(gate: AssuranceGate, profile: Profile, room: Room) -> None:
    if not may_join(gate, profile, room):
        raise needed()


def assured(profile: Profile) -> Profile:
    """`profile` once a provider vouched it is a minor's. Raises `age_restricted` (key
    `age_assurance_adult`) for a declared adult: the proof is for the teen space, and an adult
    holding a minor's proof is not made a minor by it."""
    if not profile.is_minor:
        raise CauserieError(
            ErrorCode.AGE_RESTRICTED, "age_assurance_adult", reason="age_assurance_adult"
        )
    return dataclasses.replace(profile, is_age_assured=True)
