"""People: the profile declared at join, and what others may see of it.

The postal code is kept on the `Profile` (it goes to the connection record) but `PublicUser`,
the only shape that ever leaves for other people, carries the département and region alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Gender(StrEnum):
    MAN = "man"
    WOMAN = "woman"
    OTHER = "other"
    UNSPECIFIED = "unspecified"


class AgeBand(StrEnum):
    """Minors and adults live in separate spaces (DESIGN.md, rule 2)."""

    TEEN = "teen"
    ADULT = "adult"


ADULT_AGE = 18
MAX_AGE = 120


def age_band(age: int) -> AgeBand:
    return AgeBand.ADULT if age >= ADULT_AGE else AgeBand.TEEN


@dataclass(frozen=True, slots=True)
class PublicUser:
    """What other people see of someone: never the postal code."""

    nick: str
    gender: Gender
    age: int
    dept: str
    region: str


@dataclass(frozen=True, slots=True)
class Profile:
    """A connected person's declared profile, validated."""

    nick: str
    gender: Gender
    age: int
    postcode: str
    dept: str
    region: str
    lang: str = "fr"
    is_age_verified: bool = False  # an adult vouched for by a provider (adult_verified rooms)
    is_age_assured: bool = False  # a minor vouched for as under 18 (teen space, when gated)
    # Derived from `age` once: every message's checks read them (fields, not properties, so
    # reading one is not a call).
    band: AgeBand = field(init=False, compare=False, repr=False)
    is_minor: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        band = age_band(self.age)
        object.__setattr__(self, "band", band)
        object.__setattr__(self, "is_minor", band is AgeBand.TEEN)

    def public(self) -> PublicUser:
        return PublicUser(self.nick, self.gender, self.age, self.dept, self.region)
